"""Footnote numbers printed as small raised digits after a word are read as superscript
digits (``¹``), not glued to the figure after them (``某比率⁴1.25%``, not ``某比率41.25%``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("reportlab")

import _pdf_fixtures as fx  # noqa: E402
from nqp_text.io.pdf import read_pdf  # noqa: E402

BEFORE = "年末，本行某类客户数"
FIGURE = "3,456.78万户，较上年末增长5.2%，其中某某客户"
BETWEEN = "较上年末持平，某项比率"
AFTER = "1.25%，保持稳定。"


def _write(path: Path) -> Path:
    """One line: words, a raised 7-pt ``1`` and a figure; words, a raised ``4`` and a
    figure; then ``m²`` (a raised ``2`` after a Latin letter) and a plain ``12``."""
    from reportlab.pdfgen import canvas

    fx._register_font()
    pdf = canvas.Canvas(str(path), pagesize=(fx.PAGE_WIDTH, fx.PAGE_HEIGHT))
    top = fx.PAGE_HEIGHT - 100
    for text, size, rise in [(BEFORE, fx.SIZE, 0), ("1", 7, 5), (FIGURE, fx.SIZE, 0)]:
        pdf.setFont(fx.FONT, size)
        pdf.drawString(fx.LEFT + _width(pdf, text, size, reset=text == BEFORE), top + rise, text)
    top -= fx.LEADING
    for text, size, rise in [(BETWEEN, fx.SIZE, 0), ("4", 7, 5), (AFTER, fx.SIZE, 0)]:
        pdf.setFont(fx.FONT, size)
        pdf.drawString(fx.LEFT + _width(pdf, text, size, reset=text == BETWEEN), top + rise,
                       text)
    top -= fx.LEADING
    for text, size, rise in [("面积120m", fx.SIZE, 0), ("2", 7, 5), ("，共12层。", fx.SIZE, 0)]:
        pdf.setFont(fx.FONT, size)
        pdf.drawString(fx.LEFT + _width(pdf, text, size, reset=text == "面积120m"), top + rise,
                       text)
    pdf.showPage()
    pdf.save()
    return path


_X = [0.0]


def _width(pdf: object, text: str, size: float, *, reset: bool) -> float:
    """The x offset where ``text`` starts: each piece follows the one drawn before it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if reset:
        _X[0] = 0.0
    start = _X[0]
    _X[0] += stringWidth(text, fx.FONT, size)
    return start


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_raised_footnote_numbers_are_superscripts(tmp_path: Path, engine: str) -> None:
    doc = read_pdf(_write(tmp_path / "notes.pdf"), engine=engine)
    text = doc.text.replace("\n", "")
    assert BEFORE + "¹" + FIGURE in text
    assert BETWEEN + "⁴" + AFTER in text
    assert "面积120m2，共12层。" in text  # after a Latin letter: left as it was
    assert doc.meta["superscript_markers"] == 2
    assert not re.search(r"客户数1\d|比率41", text)


@pytest.mark.shared
def test_bank_report_figures_lose_their_glued_footnote_numbers(shared: Path) -> None:
    path = shared / "pdfs" / "annual_report_pingan_bank_2024.pdf"
    doc = read_pdf(path, pages=range(40, 53))
    markers = re.findall("[\u4e00-\u9fff][¹²³⁴⁵⁶⁷⁸⁹⁰]+", doc.text)
    assert len(markers) == doc.meta["superscript_markers"] >= 3
    # each marker stands between a word and the figure it annotates (set apart by a space
    # here: the marker is narrow, the gap wide), which the plain reading had glued it to
    assert len(re.findall("[\u4e00-\u9fff][¹²³⁴⁵⁶⁷⁸⁹⁰]+ ?\\d", doc.text)) >= 3
