"""A document whose text is mostly in tables says so: table cells are in no passage, so
without the warning its term counts, labels and topics would be zero or nearly so, silently
(the Taiwan guidance PDF of ``../shared`` is one table over five pages)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import nqp_text
from nqp_text.cli import main

WARNING = "most of its text is in tables"


def _docx(path: Path, paragraphs: list[str], rows: int) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=rows, cols=2)
    for i, row in enumerate(table.rows):
        row.cells[0].text = f"第{i + 1}项"
        row.cells[1].text = "推动数字经济和实体经济深度融合，培育壮大新兴产业和未来产业。"
    document.save(str(path))


def test_a_document_that_is_mostly_a_table_warns(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx(folder / "2024_表格.docx", ["2024年重点任务清单"], rows=40)
    _docx(folder / "2025_正文.docx", ["加快发展新质生产力，推进科技创新和产业创新深度融合。"] * 60,
          rows=3)
    assert main(["ingest", str(folder), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if WARNING in line]
    assert len(lines) == 1 and "2024_表格.docx" in lines[0], err
    assert "in 1 table(s), 11 in the body" in lines[0]
    corpus = nqp_text.Corpus.load(tmp_path / "o")
    flagged = corpus.documents.set_index("title")["warnings"].map(
        lambda found: any(WARNING in sentence for sentence in found or ()))
    assert flagged.to_dict() == {"2024_表格": True, "2025_正文": False}


@pytest.mark.shared
def test_the_taiwan_table_pdf_warns_and_the_huaian_report_does_not(shared: Path) -> None:
    pdfs = shared / "pdfs"
    corpus = nqp_text.read_corpus([pdfs / "tw_pcc_eco_check_common_errors_zh_hant.pdf",
                                   pdfs / "gov_disclosure_annual_report_huaian_2024.pdf"])
    warned = {Path(path).name: any(WARNING in sentence for sentence in found or ())
              for path, found in zip(corpus.documents["path"], corpus.documents["warnings"],
                                     strict=True)}
    assert warned == {"tw_pcc_eco_check_common_errors_zh_hant.pdf": True,
                      "gov_disclosure_annual_report_huaian_2024.pdf": False}
