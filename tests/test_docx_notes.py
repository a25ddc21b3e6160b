"""Word footnotes and endnotes are read and kept apart from the body, as tables are.

The file is written here with python-docx plus the notes parts as Word writes
them (separator notes, the ``w:footnoteRef`` mark, a custom mark, a note of two
paragraphs, notes listed out of reference order). Each note's text goes to
``documents.footnotes`` / ``documents.endnotes`` in the order of its reference
mark; the paragraphs that cite them stay whole and the notes are no passage.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import nqp_text
from nqp_text.io.docx import read_docx

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = ["本报告所称新质生产力，以劳动者、劳动资料、劳动对象及其优化组合的跃升为基本内涵。",
        "全年数字经济核心产业增加值增长12%，高于地区生产总值增速。",
        "加快培育未来产业，布局人工智能、量子信息等前沿领域。"]
FOOTNOTES = {"2": "数据来源：某省统计局《2024年国民经济和社会发展统计公报》。",
             "1": "新质生产力的提法见2023年9月的考察讲话。",
             "3": ["未来产业，指由前沿技术驱动、尚处于孵化阶段的新兴产业。", "（下同）"]}
ENDNOTE = "本报告中的增速均按可比价格计算。"


def _note(kind: str, note_id: str, text: str | list[str]) -> str:
    paragraphs = [text] if isinstance(text, str) else text
    first, *rest = paragraphs
    mark = f"<w:r><w:{kind}Ref/></w:r>"
    body = f"<w:p>{mark}<w:r><w:t xml:space=\"preserve\"> {first}</w:t></w:r></w:p>"
    body += "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in rest)
    return f'<w:{kind} w:id="{note_id}">{body}</w:{kind}>'


def _part(document: object, kind: str, notes: dict[str, str | list[str]]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                  f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                  f"<w:continuationSeparator/></w:r></w:p></w:{kind}>")
    xml = (f"<w:{kind}s {_W}>{separators}"
           + "".join(_note(kind, key, text) for key, text in notes.items()) + f"</w:{kind}s>")
    part = Part(PackURI(f"/word/{kind}s.xml"),
                f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
                xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, getattr(RELATIONSHIP_TYPE, f"{kind.upper()}S"))


def _cite(paragraph: object, kind: str, note_id: str, custom: str | None = None) -> None:
    from docx.oxml import parse_xml

    follows = ' w:customMarkFollows="1"' if custom else ""
    shown = f"<w:t>{custom}</w:t>" if custom else ""
    paragraph._p.append(parse_xml(f'<w:r {_W}><w:{kind}Reference{follows} w:id="{note_id}"/>'
                                  f"{shown}</w:r>"))


def _write(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("某省政府工作报告")
    first = document.add_paragraph(BODY[0][:20])  # a note cited inside the sentence
    _cite(first, "footnote", "1")
    first.add_run(BODY[0][20:])
    second = document.add_paragraph(BODY[1])
    _cite(second, "footnote", "2")
    _cite(second, "endnote", "1")
    third = document.add_paragraph(BODY[2])
    _cite(third, "footnote", "3", custom="*")
    _part(document, "footnote", FOOTNOTES)
    _part(document, "endnote", {"1": ENDNOTE})
    document.save(path)
    return path


def test_notes_are_read_apart_and_the_citing_paragraphs_stay_whole(tmp_path: Path) -> None:
    path = _write(tmp_path / "2025_某省政府工作报告.docx")
    corpus = nqp_text.read_corpus(path)
    assert corpus.passages["text"].tolist() == ["某省政府工作报告", BODY[0], BODY[1], BODY[2] + "*"]
    row = corpus.documents.iloc[0]
    assert list(row["footnotes"]) == [FOOTNOTES["1"], FOOTNOTES["2"], "\n".join(FOOTNOTES["3"])]
    assert list(row["endnotes"]) == [ENDNOTE]
    joined = "\n".join(corpus.passages["text"])
    assert "数据来源" not in joined and ENDNOTE not in joined
    saved = tmp_path / "saved"
    corpus.save(saved)
    assert list(nqp_text.Corpus.load(saved).documents["footnotes"].iloc[0])[0] == FOOTNOTES["1"]


def test_a_file_without_notes_has_no_note_columns(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph(BODY[1])
    document.save(tmp_path / "2025_plain.docx")
    assert "footnotes" not in read_docx(tmp_path / "2025_plain.docx").meta
    notes = _write(tmp_path / "2025_notes.docx")
    mixed = nqp_text.read_corpus([tmp_path / "2025_plain.docx", notes])
    by_path = mixed.documents.set_index(mixed.documents["path"].map(lambda p: Path(p).name))
    assert by_path.loc["2025_plain.docx", "footnotes"] is None or pd.isna(
        by_path.loc["2025_plain.docx", "footnotes"])
    assert len(by_path.loc["2025_notes.docx", "footnotes"]) == 3


def test_a_damaged_notes_part_is_a_warning_not_a_failed_document(tmp_path: Path) -> None:
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = Document()
    document.add_paragraph(BODY[1])
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                b"<w:footnotes " + _W.encode() + b"><w:footnote", document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(tmp_path / "damaged.docx")
    read = read_docx(tmp_path / "damaged.docx")
    assert read.text == BODY[1] and read.status == "ok"
    assert read.meta["warnings"][0].startswith("the footnotes part could not be read")
