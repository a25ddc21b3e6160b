"""Bad PDFs through read_corpus: each is a row with a reason; a slow one is stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqp_text import read_corpus

pytest.importorskip("reportlab")

from reportlab.lib import pdfencrypt  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _pdf(path: Path, text: str = "数据要素市场化配置改革。", encrypt: object = None) -> Path:
    page = canvas.Canvas(str(path), invariant=1, encrypt=encrypt)
    page.setFont(FONT, 12)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return path


def _dense_grid(path: Path, lines: int = 160, pages: int = 1) -> Path:
    """Pages ruled into a lines x lines grid with a character in every other cell.

    Table finding is far worse than linear in the number of ruling lines: with
    pdfplumber's own cell finder one such page took 20 s on a loaded core, a real way
    for a 20 kB PDF to keep the reader busy for minutes. nqp_text's cell finder reads
    a page in about 1.3 s on an idle core, so the timeout test uses many pages.
    (From about 200 lines, 3.75 pt apart, the lines fall within the snapping
    tolerance, no table is found and the page is fast again.)
    """
    page = canvas.Canvas(str(path), pagesize=(600, 800), invariant=1)
    for _ in range(pages):
        page.setFont(FONT, 4)
        for i in range(lines):
            page.line(20, 20 + i * 750 / lines, 580, 20 + i * 750 / lines)
            page.line(20 + i * 560 / lines, 20, 20 + i * 560 / lines, 770)
        for i in range(0, lines, 2):
            for j in range(0, lines, 2):
                page.drawString(22 + j * 560 / lines, 22 + i * 750 / lines, "数")
        page.showPage()
    page.save()
    return path


def test_corrupt_truncated_encrypted_pdfs_are_rows_with_reasons(tmp_path: Path) -> None:
    good = _pdf(tmp_path / "2024_good.pdf")
    _pdf(tmp_path / "locked.pdf", encrypt=pdfencrypt.StandardEncryption("user-pw", "owner"))
    data = good.read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (tmp_path / "notes.pdf").write_bytes("其实是文本。".encode())
    (tmp_path / "scan.txt").write_bytes(data)  # a PDF named .txt
    docs = read_corpus(tmp_path, workers=2, timeout=120).documents
    docs = docs.set_index(docs["path"].map(lambda p: Path(p).name))
    assert docs["status"].to_dict() == {
        "2024_good.pdf": "ok", "corrupt.pdf": "failed", "locked.pdf": "failed",
        "notes.pdf": "failed", "scan.txt": "failed", "truncated.pdf": "failed"}
    assert "encrypted" in docs.loc["locked.pdf", "error"]
    assert "password" in docs.loc["locked.pdf", "error"]
    for name in ("truncated.pdf", "corrupt.pdf", "notes.pdf"):
        assert "corrupt" in docs.loc[name, "error"] or "truncated" in docs.loc[name, "error"]
    assert docs.loc["scan.txt", "error"] == "binary content: the file is a PDF, not text"
    assert docs.loc["2024_good.pdf", "year"] == 2024
    assert docs.loc["2024_good.pdf", "n_pages"] == 1


@pytest.mark.slow
def test_a_pdf_that_keeps_the_reader_busy_is_stopped(tmp_path: Path) -> None:
    _pdf(tmp_path / "a_before.pdf", "新质生产力。")
    _dense_grid(tmp_path / "b_grid.pdf", pages=30)  # about 40 s of reading when idle
    _pdf(tmp_path / "c_after.pdf", "数字经济。")
    corpus = read_corpus(tmp_path, workers=1, timeout=4)
    docs = corpus.documents
    assert docs["status"].tolist() == ["ok", "failed", "ok"]
    assert docs["error"][1] == "timed out after 4 s; the reader was stopped"
    assert docs["sha256"].notna().all()  # the stopped file still has its content id
    assert corpus.passages["text"].tolist() == ["新质生产力。", "数字经济。"]
