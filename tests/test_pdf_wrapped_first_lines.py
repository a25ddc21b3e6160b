"""A paragraph whose first line is indented and whose wrap goes back to the margin stays
one paragraph when its block holds mostly indented first lines (a two-line paragraph between
two tables of an annual report): the wrap was taken for an outdented list item and the
paragraph was cut mid-word (``…利息净`` / ``收入的增长…``), losing any term across the cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqp_text.io.pdf import read_pdf

WHOLE = [
    "2013年，本行实现利息净收入406.88亿元，同比增长23.16%；占营业收入的77.96%。"
    "利息净收入的增长，主要是生息资产规模增长和结构改善所致。",
    "贷款结构有所改善，小微/新一贷、汽融等高收益业务快速增长，占比提升，带动贷款收益率持续提升。",
    "2013年，本行实现非利息净收入115.01亿元，同比增长71.32%。其中，手续费及佣金净收入"
    "104.56亿元，同比增长82.73%。手续费及佣金净收入增长情况如下：",
]


@pytest.mark.shared
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_two_line_paragraphs_between_tables_stay_whole(shared: Path, engine: str) -> None:
    path = shared / "pdfs" / "annual_reports" / "000001平安银行2013年年度报告.pdf"
    paragraphs = read_pdf(path, pages=[12, 14], engine=engine).text.split("\n")
    for paragraph in WHOLE:
        assert paragraph in paragraphs
    # the headings between them stay paragraphs of their own
    assert "2、利息净收入" in paragraphs and "3、手续费净收入" in paragraphs
