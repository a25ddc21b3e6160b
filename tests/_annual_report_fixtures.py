"""Annual reports generated with reportlab in the layouts of three eras (2008, 2015, 2023).

Every text here is written for the tests (an imaginary firm; sentences built
from a small phrase list). What makes real reports hard is reproduced:

``2008``
    chapters numbered 第X节, each on a new page; the MD&A is 第八节 董事会报告
    with 一、管理层讨论与分析 inside it; a table of contents with dot leaders and
    page numbers that are all wrong; one running header (the report's title).
``2015``
    第四节 管理层讨论与分析 starting mid-page; the chapter title printed as a
    second running-header line on every page of its chapter; contents with
    wrong page numbers.
``2023``
    第三节 管理层讨论与分析 starting mid-page; a table of contents without page
    numbers or leaders (its entries look exactly like the headings); subsection
    headings 一、二、 whose titles are also chapter titles elsewhere (重要事项).

:func:`write_annual_report` returns where the MD&A starts and where the next
chapter starts (0-based PDF pages), which the tests compare with what
``sections=["mda"]`` finds. ``pages`` stretches the chapters to about that many
pages (the benchmark writes 200-page reports). ``forms=True`` adds the form
furniture of the exchanges' templates to the MD&A (:data:`FORM_LINES`: tick
boxes, a template question with its answer, a unit caption above a ruled table)
and one sentence that holds a unit in its text (:data:`FORM_SENTENCE`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from _pdf_fixtures import (
    LEADING,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIZE,
    TABLE_ROWS,
    TEXT_WIDTH,
    _draw_line,
    _Line,
    _register_font,
    _table,
    paragraph_lines,
)

LAYOUTS = ("2008", "2015", "2023")
_TOP, _BOTTOM = 96.0, 770.0
#: Body characters one page holds in each layout (measured on written reports).
_CHARS_PER_PAGE = {"2008": 880, "2015": 620, "2023": 620}

_CHAPTERS = {
    "2008": ["重要提示", "公司基本情况", "会计数据和业务数据摘要", "股本变动及股东情况",
             "董事、监事和高级管理人员", "公司治理结构", "股东大会情况简介", "董事会报告",
             "监事会报告", "重要事项", "财务会计报告", "备查文件目录"],
    "2015": ["重要提示、目录和释义", "公司简介和主要财务指标", "公司业务概要",
             "管理层讨论与分析", "重要事项", "股份变动及股东情况", "优先股相关情况",
             "董事、监事、高级管理人员和员工情况", "公司治理", "财务报告", "备查文件目录"],
    "2023": ["重要提示、目录和释义", "公司简介和主要财务指标", "管理层讨论与分析",
             "公司治理", "环境和社会责任", "重要事项", "股份变动及股东情况", "债券相关情况",
             "财务报告"],
}
_MDA = {"2008": "董事会报告", "2015": "管理层讨论与分析", "2023": "管理层讨论与分析"}
_MDA_SUBSECTIONS = {
    "2008": ["一、管理层讨论与分析", "二、公司投资情况", "三、董事会日常工作情况"],
    "2015": ["一、概述", "二、主营业务分析", "三、核心竞争力分析", "四、公司未来发展的展望"],
    "2023": ["一、报告期内公司所处行业情况", "二、报告期内公司从事的主要业务",
             "三、核心竞争力分析", "四、主营业务分析", "五、重要事项"],
}
_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
#: The form lines ``forms=True`` writes after each MD&A subsection heading, in turn
#: (a list is written as consecutive lines; ``None`` is the ruled table).
_FORMS = [["√适用□不适用"], ["公司是否需要追溯调整或重述以前年度会计数据 □是 √否"],
          ["公司是否需要遵守特殊行业的披露要求", "□是 √否"], ["□适用 √不适用"],
          ["单位：元 币种：人民币", None]]
#: Every stand-alone form line ``forms=True`` writes for one MD&A subsection, in order.
FORM_LINES = [[line for line in group if line is not None] for group in _FORMS]
#: A sentence with a unit caption's words inside it: it must stay.
FORM_SENTENCE = "本节金额单位：元，币种：人民币，下同。"
_SUBJECTS = ["公司", "本集团", "管理层", "董事会", "各业务板块", "研发团队", "子公司"]
_VERBS = ["持续推进", "稳步提升", "加快布局", "深入实施", "不断完善", "积极拓展", "着力优化"]
_OBJECTS = ["数字化转型", "智能制造能力", "新能源业务", "供应链协同", "研发投入强度",
            "风险管理体系", "客户服务水平", "绿色低碳发展", "海外市场渠道", "数据要素应用"]
_TAILS = ["，经营质量进一步提高。", "，全年目标顺利完成。", "，为长期发展奠定基础。",
          "，取得了积极成效。", "，竞争优势持续巩固。"]


@dataclass
class AnnualReport:
    """A written report: its path and the 0-based pages where chapters start."""

    path: Path
    layout: str
    mda_heading: str
    next_heading: str
    mda_start_page: int
    next_start_page: int
    n_pages: int
    chapter_pages: dict[str, int] = field(default_factory=dict)


def _sentence(rng: random.Random) -> str:
    return (rng.choice(_SUBJECTS) + rng.choice(_VERBS) + rng.choice(_OBJECTS)
            + rng.choice(_TAILS))


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


class _Writer:
    """Flows headings and paragraphs down the pages, drawing the furniture of a layout."""

    def __init__(self, path: Path, layout: str, firm: str, year: int) -> None:
        from reportlab.pdfgen import canvas

        _register_font()
        self.pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
        self.pdf.setTitle(f"{firm}{year}年年度报告")
        self.layout, self.firm, self.year = layout, firm, year
        self.page, self.top, self.chapter = 0, _TOP, ""
        self._start_page()

    def _start_page(self) -> None:
        title = f"{self.firm}股份有限公司{self.year}年年度报告"
        if self.layout == "2023":
            title += "全文"
        _draw_line(self.pdf, _Line(title, 0.0, None), LEFT, 40.0, 9.0)
        if self.layout == "2015" and self.chapter:  # the chapter as a second header line
            _draw_line(self.pdf, _Line(self.chapter, 0.0, None), LEFT, 54.0, 9.0)
        self.pdf.setLineWidth(0.5)
        self.pdf.line(LEFT, PAGE_HEIGHT - 70, LEFT + TEXT_WIDTH, PAGE_HEIGHT - 70)
        _draw_line(self.pdf, _Line(f"{self.page + 1}", 0.0, None), PAGE_WIDTH / 2 - 6, 800.0,
                   9.0)

    def new_page(self) -> None:
        self.pdf.showPage()
        self.page += 1
        self.top = _TOP
        self._start_page()

    def _room(self, height: float) -> None:
        if self.top + height > _BOTTOM:
            self.new_page()

    def heading(self, text: str, size: float = 16.0) -> int:
        self._room(size + 2 * LEADING)
        self.top += 6
        _draw_line(self.pdf, _Line(text, 0.0, None), LEFT, self.top, size)
        self.top += size + LEADING
        return self.page

    def chapter_heading(self, text: str, new_page: bool) -> int:
        if new_page and self.top > _TOP:
            self.new_page()
        self.chapter = text
        return self.heading(text)

    def line(self, text: str) -> None:
        self._room(LEADING)
        _draw_line(self.pdf, _Line(text, 0.0, None), LEFT, self.top)
        self.top += LEADING

    def paragraph(self, text: str) -> None:
        for line in paragraph_lines(text):
            self._room(LEADING)
            _draw_line(self.pdf, line, LEFT, self.top)
            self.top += LEADING

    def table(self) -> None:
        """A ruled table of :data:`TABLE_ROWS` under the current line."""
        self._room(24.0 * len(TABLE_ROWS) + LEADING)
        self.top = _table(self.pdf, self.top) + LEADING

    def save(self) -> int:
        self.pdf.showPage()
        self.pdf.save()
        return self.page + 1


def write_annual_report(path: Path, layout: str, *, firm: str = "星河智造", year: int | None = None,
                        pages: int = 0, seed: int = 0, forms: bool = False) -> AnnualReport:
    """Write an annual report in ``layout`` (``2008``, ``2015``, ``2023``) to ``path``.

    ``pages`` (about that many pages; 0 = a short report of ~10 pages) stretches
    every chapter in proportion; the MD&A gets about a fifth of the pages and
    the financial report about half.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}; got {layout!r}")
    rng = random.Random(f"{layout}-{firm}-{seed}")
    year = year or int(layout)
    chapters = _CHAPTERS[layout]
    marker = "节"
    headings = [f"第{_NUMERALS[i]}{marker} {title}" for i, title in enumerate(chapters)]
    writer = _Writer(path, layout, firm, year)
    writer.heading(f"{firm}股份有限公司", 20.0)
    writer.heading(f"{year}年年度报告", 20.0)
    writer.new_page()
    writer.heading("目录", 16.0)
    wrong = rng.sample(range(3, 99), len(headings))  # contents page numbers never match
    for heading, number in zip(headings, wrong, strict=True):
        if layout == "2023":
            writer.line(heading)
        else:
            writer.line(f"{heading}{'.' * 24}{number}")
    if layout != "2015":
        writer.new_page()
    budget = max(pages - 3, 0) * _CHARS_PER_PAGE[layout]  # characters of body text
    shares = {title: (0.2 if title == _MDA[layout] else
                      0.5 if "财务" in title else 0.3 / (len(chapters) - 2)) for title in chapters}
    report = AnnualReport(path, layout, "", "", -1, -1, 0)
    for index, (title, heading) in enumerate(zip(chapters, headings, strict=True)):
        page = writer.chapter_heading(heading, new_page=layout == "2008")
        report.chapter_pages[heading] = page
        if title == _MDA[layout]:
            report.mda_heading, report.mda_start_page = heading, page
            report.next_heading = headings[index + 1]
        elif report.mda_heading and report.next_start_page < 0:
            report.next_start_page = page
        chars = max(int(budget * shares[title]), 120)
        subsections = _MDA_SUBSECTIONS[layout] if title == _MDA[layout] else \
            ["一、基本情况", "二、报告期内变动情况"]
        per = max(chars // len(subsections), 60)
        for number, sub in enumerate(subsections):
            writer.heading(sub, SIZE)
            if forms and title == _MDA[layout]:
                for line in _FORMS[number % len(_FORMS)]:
                    if line is None:
                        writer.table()
                    else:
                        writer.line(line)
                if number == 0:
                    writer.paragraph(FORM_SENTENCE)
            written = 0
            while written < per:
                text = _paragraph(rng, rng.randint(2, 4))
                writer.paragraph(text)
                written += len(text)
    report.n_pages = writer.save()
    return report
