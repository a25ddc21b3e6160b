"""Paragraphs from plain text whose line breaks may or may not mean anything.

Plain text arrives in two shapes: paragraphs separated by blank lines (lines
inside a paragraph are wraps, or markup remnants such as ``所作的\\n政府工作报告\\n。``),
or one line per paragraph, possibly hard-wrapped at a fixed width. The rules,
applied to every line break inside a run of non-blank lines:

* a line that ends with sentence-final punctuation (``。！？；：…``, closing
  quotes allowed after it) ends its paragraph; so does a short heading line
  that starts with an enumeration marker (``一、``, ``（二）``, ``第三条``, ``1.``);
* a line that ends with ``，、`` or an opening bracket continues its paragraph;
* a line that starts with indentation (ideographic space, tab, two spaces) or
  an enumeration or bullet marker starts a new paragraph;
* otherwise, with blank lines in the text, the break is a wrap (joined); without
  them, the break is a wrap only when the line reaches the text's full width
  (90% of the 90th percentile of line widths, CJK characters counting two), as
  in hard-wrapped text, and a paragraph end when it stops short, as a heading does.

Joined lines get no space between them, except between two Latin letters or
digits (``data\\nelements`` → ``data elements``).

Example:
    >>> paragraphs("一、总体要求\\n推动数字经济\\n和实体经济融合。\\n\\n　　第二段")
    ['一、总体要求', '推动数字经济和实体经济融合。', '第二段']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["paragraphs", "join_lines"]

_NEWLINES = re.compile("\r\n?|[\u2028\u2029\f\x85\v]")
_TERMINAL = re.compile("[。！？；：…!?;:][”’」』）》〉】〕)\"']*$")
_CONTINUING = re.compile("[，、（《“‘「『【〔(]$")
_INDENT = re.compile("^(?:\u3000|\t| {2,})")
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]"
    r"|\d{1,3}[、.．](?!\d)|第[一二三四五六七八九十百千\d]+[章节条部分编款]"
    r"|[①-⑳•●○■□◆◇▪※]|[-*+]\s)"
)
_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)")
_LATIN = re.compile(r"[0-9A-Za-z,.;:!?)%]$")
_LATIN_START = re.compile(r"^[0-9A-Za-z(]")
_HEADING_WIDTH = 60
_MIN_FULL_WIDTH = 20
_FULL_SHARE = 0.9


def paragraphs(text: str, *, markdown: bool = False, block: bool = False) -> list[str]:
    """Split ``text`` into paragraphs (stripped, wraps joined) by the module's rules.

    ``markdown=True`` also treats ``#`` headings and ``>`` quotes as paragraph
    starts and drops those markers. ``block=True`` says ``text`` is one
    paragraph block (a Word paragraph with manual line breaks): its breaks are
    handled as inside a blank-line separated block.

    Example:
        >>> paragraphs("标题\\n第一段。\\n第二段，\\n接着写。")
        ['标题', '第一段。', '第二段，接着写。']
    """
    lines = [line.rstrip() for line in _NEWLINES.sub("\n", text).split("\n")]
    content = [index for index, line in enumerate(lines) if line.strip()]
    blank_separated = block or any(b - a > 1 for a, b in zip(content, content[1:], strict=False))
    full = None if blank_separated else _full_width([lines[i].strip() for i in content])
    result: list[str] = []
    current: list[str] = []
    for line in lines:
        starts = bool(_INDENT.match(line))
        if markdown and _MARKDOWN.match(line):
            line, starts = _MARKDOWN.sub("", line), True
        stripped = line.strip()
        if not stripped:
            _flush(current, result)
            continue
        if current and (starts or _MARKER.match(stripped)):
            _flush(current, result)
        current.append(stripped)
        if _ends_paragraph(stripped, full, blank_separated):
            _flush(current, result)
    _flush(current, result)
    return result


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space, except between Latin letters or digits.

    Example:
        >>> join_lines(["数字", "经济 and", "AI"])
        '数字经济 and AI'
    """
    joined = ""
    for line in lines:
        if joined and _LATIN.search(joined) and _LATIN_START.match(line):
            joined += " "
        joined += line
    return joined


def _ends_paragraph(line: str, full: float | None, blank_separated: bool) -> bool:
    if _TERMINAL.search(line):
        return True
    if _CONTINUING.search(line):
        return False
    if _MARKER.match(line) and _width(line) <= _HEADING_WIDTH:
        return True
    if blank_separated:
        return False
    return full is None or _width(line) < full


def _full_width(lines: list[str]) -> float | None:
    widths = sorted(_width(line) for line in lines)
    if len(widths) < 3:
        return None
    typical = widths[-(-len(widths) * 9 // 10) - 1]
    return typical * _FULL_SHARE if typical >= _MIN_FULL_WIDTH else None


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def _flush(current: list[str], result: list[str]) -> None:
    if current:
        result.append(join_lines(current))
        current.clear()
