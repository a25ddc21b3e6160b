"""A Word file laid out as an official document: what becomes passages and what does not.

The file is written here with python-docx (its text boxes and fields as the
XML Word writes): running header and footer with a page-number field, a footnote, a page
number typed into the body, a 专栏 text box (DrawingML with its VML fallback
copy), a one-cell frame table, a data table, an attachment list, a signature
block and the disclosure note.
"""

from __future__ import annotations

from pathlib import Path

import nqp_text

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_NS = (f'{_W} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')

TITLE = "某省人民政府关于加快培育新质生产力的实施意见"
OPENING = "各市人民政府，省政府各部门："
BODY = ["为深入贯彻党中央决策部署，加快发展新质生产力，推动数字经济和实体经济深度融合。",
        "到2027年，全省数字经济核心产业增加值占地区生产总值比重达到12%。"]
BOX = ["专栏1 数字经济重点工程", "建设算力枢纽节点，推进数据要素市场化配置，培育数据服务企业。"]
FRAME = "框内说明：本意见所称未来产业，是指由前沿技术驱动、尚处于孵化阶段的新兴产业。"
CLOSING = "各地各部门要结合实际抓好贯彻落实，重大情况及时向省政府报告。"
FURNITURE = ["— 2 —", "附件：1.某省新质生产力重点项目清单", "2.某省未来产业培育名单",
             "某省人民政府", "2025年3月12日", "（此件公开发布）"]


def _field(instruction: str, shown: str) -> str:
    return (f'<w:fldSimple {_W} w:instr="{instruction}"><w:r><w:t>{shown}</w:t></w:r>'
            "</w:fldSimple>")


def _box_paragraphs() -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in BOX)


def _text_box() -> str:
    content = f"<w:txbxContent>{_box_paragraphs()}</w:txbxContent>"
    anchor = ('<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
              'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
              '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
              '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>'
              '0</wp:posOffset></wp:positionV><wp:extent cx="3000000" cy="900000"/><wp:wrapNone/>'
              '<wp:docPr id="7" name="专栏 1"/><a:graphic><a:graphicData uri="http://schemas.'
              'microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
              f"<wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
              "</wp:anchor>")
    return (f"<w:r {_NS}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>{anchor}"
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}"
            "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


FOOTNOTE = "本意见所称数据要素，是指参与社会生产经营活动的数据资源。"


def _add_footnote(document: object, paragraph: object) -> None:
    """A footnotes part with one note, referenced from a run at the end of ``paragraph``."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    notes = (f'<w:footnotes {_W}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
             f"<w:r><w:t>{FOOTNOTE}</w:t></w:r></w:p></w:footnote></w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                notes.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {_W}><w:footnoteReference w:id="1"/></w:r>'))


def _write(path: Path) -> Path:
    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "某省人民政府文件"
    section.footer.paragraphs[0]._p.append(parse_xml(_field("PAGE", "1")))
    document.add_paragraph(TITLE)
    document.add_paragraph(OPENING)
    _add_footnote(document, document.add_paragraph(BODY[0]))
    document.add_paragraph(FURNITURE[0])  # a page number typed into the body
    anchor = document.add_paragraph(BODY[1])
    anchor._p.append(parse_xml(_text_box()))
    document.add_table(rows=1, cols=1).cell(0, 0).text = FRAME
    data = document.add_table(rows=2, cols=2)
    for (row, col), value in zip([(0, 0), (0, 1), (1, 0), (1, 1)],
                                 ["指标", "2027年目标", "数字经济核心产业占比", "12%"],
                                 strict=True):
        data.cell(row, col).text = value
    document.add_paragraph(CLOSING)
    for line in FURNITURE[1:]:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_an_official_word_file_gives_its_body_and_nothing_else(tmp_path: Path) -> None:
    corpus = nqp_text.read_corpus(_write(tmp_path / "2025_实施意见.docx"))
    texts = corpus.passages["text"].tolist()
    box = [line.replace(" ", "") for line in BOX]  # normalisation drops the space
    assert texts == [TITLE, OPENING, BODY[0], BODY[1], *box, FRAME, CLOSING]
    joined = "\n".join(texts)
    assert "某省人民政府文件" not in joined  # the running header
    assert FOOTNOTE not in joined  # the footnote is kept apart; its reference leaves no mark
    assert list(corpus.documents["footnotes"].iloc[0]) == [FOOTNOTE]
    assert joined.count(box[1]) == 1  # the text box once, not its VML copy as well
    documents = corpus.documents
    assert documents["boilerplate_lines"].tolist() == [len(FURNITURE)]
    assert list(documents["boilerplate_removed"].iloc[0]) == ["—2—", *FURNITURE[1:5]]
    assert corpus.tables["rows"].tolist() == [[["指标", "2027年目标"],
                                                ["数字经济核心产业占比", "12%"]]]
    kept = nqp_text.read_corpus(tmp_path / "2025_实施意见.docx", keep_boilerplate=True)
    assert kept.passages["text"].tolist()[-5:] == FURNITURE[1:]
