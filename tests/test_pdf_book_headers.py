"""A book's running headers differ between left and right pages (part title after the
page number, chapter title before it), so the repeated-text rule cannot see them; their
page numbers running in step with the pages can."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")

import _pdf_fixtures as fx  # noqa: E402
from nqp_text.io.pdf import read_pdf  # noqa: E402

BODY = [
    "商品首先是一个外界的对象，一个靠自己的属性来满足人的某种需要的物。",
    "每一种有用物都可以从质和量两个角度来考察，它是许多属性的总和。",
    "发现这些不同的方面，从而发现物的多种使用方式，是历史的事情。",
    "为有用物的量找到社会尺度，也是这样，尺度之所以不同有多种原因。",
    "物的有用性使物成为使用价值，但这种有用性不是飘忽不定的东西。",
    "使用价值只是在使用或消费中得到实现，不论财富的社会形式如何。",
]


def _write(path: Path, first_lines: list[str]) -> Path:
    """One page per first line; a number at the start goes to the left margin, a number
    at the end to the right margin, the title in the middle (as books print them)."""
    from reportlab.pdfgen import canvas

    fx._register_font()
    pdf = canvas.Canvas(str(path), pagesize=(fx.PAGE_WIDTH, fx.PAGE_HEIGHT))
    for number, first in enumerate(first_lines):
        pdf.setFont(fx.FONT, 9)
        head, _, tail = first.partition(" ")
        title, _, last = first.rpartition(" ")
        if head.isdigit():
            pdf.drawString(fx.LEFT, fx.PAGE_HEIGHT - 60, head)
            pdf.drawCentredString(fx.PAGE_WIDTH / 2, fx.PAGE_HEIGHT - 60, tail)
        elif last.isdigit():
            pdf.drawCentredString(fx.PAGE_WIDTH / 2, fx.PAGE_HEIGHT - 60, title)
            pdf.drawRightString(fx.LEFT + fx.TEXT_WIDTH, fx.PAGE_HEIGHT - 60, last)
        else:
            pdf.drawString(fx.LEFT, fx.PAGE_HEIGHT - 60, first)
        pdf.setFont(fx.FONT, fx.SIZE)
        top = fx.PAGE_HEIGHT - 110
        for sentence in BODY:  # each page's lines its own (a page word in front)
            pdf.drawString(fx.LEFT + 2 * fx.SIZE, top, "甲乙丙丁戊己"[number] + sentence)
            top -= 2 * fx.LEADING
        pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_left_and_right_running_headers_go(tmp_path: Path, engine: str) -> None:
    # no title repeats, so only the numbers running with the pages tell them apart
    headers = ["10 第一篇 某某总论", "第一章 某某概念 11", "12 第二篇 某某分论",
               "第二章 某某方法 13"]
    doc = read_pdf(_write(tmp_path / "book.pdf", headers), engine=engine)
    assert not any(title in doc.text for title in ("总论", "概念", "分论", "方法"))
    assert doc.text.count("商品首先是") == 4 and doc.text.count("使用价值只是") == 4
    assert doc.meta["removed_furniture"] == 8  # each header's number and title


@pytest.mark.parametrize("first_lines", [
    ["第一章 总论 1", "第二章 方法 25", "第三章 结论 40"],  # contents entries: out of step
    ["10 第一篇 某某总论", "正文第一行，不是页眉", "第三章 结论 40"],  # one page only
])
def test_numbered_first_lines_out_of_step_stay(tmp_path: Path, first_lines: list[str]) -> None:
    doc = read_pdf(_write(tmp_path / "contents.pdf", first_lines))
    for line in first_lines:
        assert line.replace(" ", "") in doc.text.replace(" ", "")
