"""PDFs generated for the tests with reportlab and the built-in CJK font STSong-Light.

Every text here is written for the tests. Lines are laid out the way word
processors do it: a block of fixed width, first lines indented by two
characters, full lines justified (character spacing stretched to the right
edge), last lines left short. Paragraphs are split into lines by a character
budget, so a line break falls in the middle of a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONT = "STSong-Light"
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
SIZE = 12.0
LEADING = 20.0
LEFT = 72.0
TEXT_WIDTH = 432.0  # 36 CJK characters of 12 pt

# --- the texts (expected output is derived from them in the tests) -----------------

TITLE = "某市2024年政务公开工作报告"
HEADER_LEFT = "某市人民政府办公室"
HEADER_RIGHT = "2024年度报告"
INTRO = (
    "本报告依据《政府信息公开条例》编制，统计期限自2024年1月1日起至2024年12月31日止。"
    "全年共受理信息公开申请3119件，按期办结率为98.5%，群众满意度继续保持较高水平。"
)
HEADING_1 = "一、总体情况"
BODY_1 = (
    "过去一年，我们围绕稳增长、促改革、调结构、惠民生等重点工作，持续推进决策、执行、管理、"
    "服务、结果公开，主动回应社会关切，政务公开的标准化规范化水平进一步提升。"
)
TABLE_CAPTION = "表1 申请办理情况"
TABLE_ROWS = [
    ["项目", "2023年", "2024年", "增长"],
    ["新收申请", "2950", "3119", "5.7%"],
    ["办结申请", "2901", "3068", "5.8%"],
]
CROSS_PAGE = (
    "在平台建设方面，我们优化了政府网站的栏目设置，整合了分散在各部门的信息发布渠道，"
    "建立了统一的政策文件库，实现了规章和规范性文件的集中公开与动态更新，方便群众查询使用。"
)
HEADING_2 = "二、专题分析"
LEFT_COLUMN = (
    "数字政府建设取得新进展，一网通办事项持续扩容，线上办理比例明显提高，企业和群众办事更加便利。"
)
RIGHT_COLUMN = (
    "基层政务公开标准化工作全面推开，各乡镇街道普遍设立公开专区，群众获取政府信息的渠道更加畅通。"
)
CLOSING = (
    "下一步，我们将继续深化政务公开，推进5G 网络和 machine learning 等新技术在政务服务中的应用。"
)
CLOSING_CLEAN = (
    "下一步，我们将继续深化政务公开，推进5G网络和machine learning等新技术在政务服务中的应用。"
)
HEADING_3 = "三、重点领域信息公开"
LIST_ITEMS = [
    "（一）财政预决算公开。全面公开部门预算和决算，细化到功能分类的项级科目和经济分类的款级科目。",
    "（二）重大建设项目公开。及时公开项目批准、招标投标、征收土地、施工管理和竣工验收等信息。",
]


@dataclass
class _Line:
    text: str
    x: float
    width: float | None  # None: natural width (not justified)


def _units(char: str) -> float:
    return 0.5 if char.isascii() else 1.0


def paragraph_lines(text: str, *, indent: int = 2, width_chars: int = 36,
                    hanging: int = 0) -> list[_Line]:
    """Split ``text`` into block lines: the first indented, full lines justified."""
    lines: list[_Line] = []
    current, used = "", float(indent)
    budget = float(width_chars)
    for char in text:
        if used + _units(char) > budget:
            lines.append(_Line(current, 0.0, 0.0))
            current, used = "", float(hanging)
        current += char
        used += _units(char)
    lines.append(_Line(current, 0.0, None))
    for index, line in enumerate(lines):
        offset = (indent if index == 0 else hanging) * SIZE
        line.x = offset
        if line.width is not None:
            line.width = width_chars * SIZE - offset
    return lines


def _draw_line(pdf: object, line: _Line, x0: float, top: float, size: float = SIZE) -> None:
    from reportlab.pdfbase import pdfmetrics

    y = PAGE_HEIGHT - top - size
    text = pdf.beginText()  # type: ignore[attr-defined]
    text.setFont(FONT, size)
    text.setTextOrigin(x0 + line.x, y)
    if line.width is not None and len(line.text) > 1:
        natural = pdfmetrics.stringWidth(line.text, FONT, size)
        text.setCharSpace((line.width - natural) / (len(line.text) - 1))
    text.textOut(line.text)
    pdf.drawText(text)  # type: ignore[attr-defined]


def _draw_paragraph(pdf: object, lines: list[_Line], x0: float, top: float) -> float:
    for line in lines:
        _draw_line(pdf, line, x0, top)
        top += LEADING
    return top


def _header_and_footer(pdf: object, number: int) -> None:
    _draw_line(pdf, _Line(HEADER_LEFT, 0.0, None), LEFT, 40.0, 9.0)
    right = _Line(HEADER_RIGHT, 0.0, None)
    from reportlab.pdfbase import pdfmetrics

    width = pdfmetrics.stringWidth(HEADER_RIGHT, FONT, 9.0)
    _draw_line(pdf, right, LEFT + TEXT_WIDTH - width, 40.0, 9.0)
    pdf.setLineWidth(0.5)  # type: ignore[attr-defined]
    pdf.line(LEFT, PAGE_HEIGHT - 54, LEFT + TEXT_WIDTH, PAGE_HEIGHT - 54)  # type: ignore[attr-defined]
    footer = f"- {number} -"
    width = pdfmetrics.stringWidth(footer, FONT, 10.0)
    _draw_line(pdf, _Line(footer, 0.0, None), (PAGE_WIDTH - width) / 2, 790.0, 10.0)


def _centered(pdf: object, text: str, top: float, size: float) -> None:
    from reportlab.pdfbase import pdfmetrics

    width = pdfmetrics.stringWidth(text, FONT, size)
    _draw_line(pdf, _Line(text, 0.0, None), (PAGE_WIDTH - width) / 2, top, size)


def _faux_bold(pdf: object, text: str, top: float) -> None:
    for dx in (0.0, 0.3):
        _draw_line(pdf, _Line(text, 0.0, None), LEFT + dx, top)


def _table(pdf: object, top: float) -> float:
    widths = [144.0, 96.0, 96.0, 96.0]
    row_height = 24.0
    pdf.setLineWidth(0.8)  # type: ignore[attr-defined]
    xs = [LEFT]
    for width in widths:
        xs.append(xs[-1] + width)
    ys = [top + i * row_height for i in range(len(TABLE_ROWS) + 1)]
    for y in ys:
        pdf.line(xs[0], PAGE_HEIGHT - y, xs[-1], PAGE_HEIGHT - y)  # type: ignore[attr-defined]
    for x in xs:
        pdf.line(x, PAGE_HEIGHT - ys[0], x, PAGE_HEIGHT - ys[-1])  # type: ignore[attr-defined]
    for row_index, row in enumerate(TABLE_ROWS):
        for col_index, cell in enumerate(row):
            _draw_line(pdf, _Line(cell, 0.0, None), xs[col_index] + 6, ys[row_index] + 6, 10.5)
    return ys[-1]


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def write_report(path: Path) -> Path:
    """Three pages: header, footer, title, paragraphs, a table, a page-crossing
    paragraph, a two-column section, a faux-bold heading and a hanging list."""
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.setTitle(TITLE)
    # page 1
    _header_and_footer(pdf, 1)
    _centered(pdf, TITLE, 90.0, 16.0)
    top = _draw_paragraph(pdf, paragraph_lines(INTRO.replace("2024年1月", "2024 年1月")),
                          LEFT, 140.0)
    _faux_bold(pdf, HEADING_1, top)
    top = _draw_paragraph(pdf, paragraph_lines(BODY_1), LEFT, top + LEADING)
    _draw_line(pdf, _Line(TABLE_CAPTION, 0.0, None), LEFT + 4 * SIZE, top + 6)
    top = _table(pdf, top + 6 + LEADING + 4)
    cross = paragraph_lines(CROSS_PAGE)
    top = _draw_paragraph(pdf, cross[:2], LEFT, top + 16)
    pdf.showPage()
    # page 2
    _header_and_footer(pdf, 2)
    top = _draw_paragraph(pdf, cross[2:], LEFT, 90.0)
    _faux_bold(pdf, HEADING_2, top)
    top += LEADING
    column = 17
    gutter = TEXT_WIDTH - 2 * column * SIZE
    _draw_paragraph(pdf, paragraph_lines(LEFT_COLUMN, width_chars=column), LEFT, top)
    bottom = _draw_paragraph(pdf, paragraph_lines(RIGHT_COLUMN, width_chars=column),
                             LEFT + column * SIZE + gutter, top)
    _draw_paragraph(pdf, paragraph_lines(CLOSING), LEFT, bottom + 8)
    pdf.showPage()
    # page 3
    _header_and_footer(pdf, 3)
    _draw_line(pdf, _Line(HEADING_3, 0.0, None), LEFT, 90.0)
    top = 90.0 + LEADING
    for item in LIST_ITEMS:
        top = _draw_paragraph(pdf, paragraph_lines(item, indent=0, hanging=3), LEFT, top)
    pdf.showPage()
    pdf.save()
    return path


def write_scanned(path: Path) -> Path:
    """One page holding only an image: no text layer."""
    from PIL import Image
    from reportlab.pdfgen import canvas

    image = Image.new("L", (40, 20), color=128)
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.drawInlineImage(image, 100, 500, width=200, height=100)
    pdf.showPage()
    pdf.save()
    return path


def write_encrypted(path: Path) -> Path:
    """A PDF that needs a user password."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    _register_font()
    encryption = pdfencrypt.StandardEncryption("secret", canPrint=0)
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), encrypt=encryption)
    pdf.setFont(FONT, SIZE)
    pdf.drawString(LEFT, 700, "加密文件")
    pdf.showPage()
    pdf.save()
    return path


UNRULED_INTRO = "本年度收支情况见下表，金额单位为万元。"
UNRULED_ROWS = [
    ["项目", "2024年", "2023年"],
    ["营业收入", "1,234.50", "1,100.00"],
    ["营业支出", "(56)", "78"],
    ["合计", "1,178.50", "1,178.00"],
]
UNRULED_OUTRO = "收支结构总体稳定，未发生重大变化。"


def write_unruled(path: Path) -> Path:
    """One page: a sentence, a table with no ruling lines, a sentence."""
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    _draw_line(pdf, _Line(UNRULED_INTRO, 0.0, None), LEFT, 100.0)
    top = 100.0 + LEADING * 1.5
    columns = [LEFT, LEFT + 200.0, LEFT + 320.0]
    for row in UNRULED_ROWS:
        for x, cell in zip(columns, row, strict=True):
            _draw_line(pdf, _Line(cell, 0.0, None), x, top)
        top += LEADING
    _draw_line(pdf, _Line(UNRULED_OUTRO, 0.0, None), LEFT, top + LEADING / 2)
    pdf.showPage()
    pdf.save()
    return path
