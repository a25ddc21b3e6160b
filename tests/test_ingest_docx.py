"""Word reading: body paragraphs in order, tables apart, damaged files refused."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement

from nqp_text.io.docx import read_docx
from nqp_text.io.errors import ReaderError


def _sample(path: Path) -> Path:
    document = Document()
    document.add_heading("数字经济发展规划", level=1)
    document.add_paragraph("　　数字经济是继农业经济、工业经济之后的主要经济形态。")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [["指标", "2020年", "2025年"],
                                       ["核心产业增加值占比（%）", "７.８", "10"]], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    broken = document.add_paragraph("数据要素是数字经济深化发展的")
    broken.add_run().add_break()
    broken.add_run("核心引擎。")
    document.add_paragraph("ＡＩ 赋能千行百业")
    # a content control (w:sdt) around a paragraph, as forms and templates use
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner = document.add_paragraph("（一）加快人工智能+行动。")._p
    content.append(copy.deepcopy(inner))
    inner.getparent().remove(inner)
    sdt.append(content)
    document.element.body.insert(len(document.element.body) - 1, sdt)
    document.save(str(path))
    return path


def test_body_paragraphs_in_order_tables_apart(tmp_path: Path) -> None:
    doc = read_docx(_sample(tmp_path / "plan.docx"))
    assert doc.status == "ok"
    assert doc.text.split("\n") == [
        "数字经济发展规划",
        "数字经济是继农业经济、工业经济之后的主要经济形态。",
        "数据要素是数字经济深化发展的核心引擎。",
        "AI赋能千行百业",
        "（一）加快人工智能+行动。",
    ]
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.page, table.table_index) == (None, 0)
    assert table.rows == [["指标", "2020年", "2025年"], ["核心产业增加值占比（%）", "7.8", "10"]]
    assert "2020年" not in doc.text


def test_tables_only_document_is_empty_with_tables(tmp_path: Path) -> None:
    document = Document()
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "只有表格"
    path = tmp_path / "t.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert (doc.status, doc.error) == ("empty", "no body text (tables only)")
    assert doc.tables[0].rows == [["只有表格", ""]]


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReaderError, match="not a valid .docx"):
        read_docx(path)


def test_truncated_docx_is_a_clear_error(tmp_path: Path) -> None:
    data = _sample(tmp_path / "full.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReaderError, match=r"cut\.docx: "):
        read_docx(path)


def test_zip_without_a_document_part_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "不是 Word 文件")
    with pytest.raises(ReaderError, match="not a valid .docx"):
        read_docx(path)
