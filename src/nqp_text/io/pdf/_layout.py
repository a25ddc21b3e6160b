"""Geometry to text lines: character rows, fragments, columns and line text.

* A **row** is the set of characters sharing a baseline across the whole page.
* A **fragment** is a horizontal run of a row without a gap wider than one em;
  a column gutter, a tab stop or a table-like gap splits a row into fragments.
* A **line** is a set of fragments of one column at the same height; its text
  joins the fragments (one space between them unless both sides are CJK and the
  gap is under 2.5 em, so spaced-out titles such as ``总　则`` come out ``总则``).

Spaces are decided from the geometry, never from space glyphs or from
pdfplumber's ``x_tolerance``: between two CJK characters there is never a space,
between CJK and Latin/digits only when the gap is at least one em (so
``2024 年`` and ``5G 网络`` come out joined), between Latin letters and digits
when the gap exceeds 0.15 em (a space glyph is 0.2-0.3 em).

Columns: :func:`reading_regions` looks for a vertical gutter (an x-range no
fragment crosses, or only a few full-width ones) with at least three fragments on
each side, both sides at least 4 em wide and at least one side made of prose
(its typical fragment spans half the side and has at least 8 characters), so
label/value lists and tables of contents are not split, nor are tables whose
one side is mostly figures. Each side is read top
to bottom, left before right, and a narrow sidebar (under half the other
side's width) after the main column; fragments crossing the gutter (full-width
headings) cut the page into sections read in order; a fragment reaching into the
gutter without crossing it belongs to the side of its centre. The split
recurses, so three columns work too.

Example:
    >>> chars = [PdfChar("政", 0, 0, 10, 10, 10), PdfChar("府", 10, 0, 20, 10, 10)]
    >>> [line.text for line in build_lines(build_fragments(chars))]
    ['政府']
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from nqp_text.io.pdf._engine import PdfChar
from nqp_text.preprocess.normalize import normalize_characters

__all__ = [
    "Fragment", "Line", "build_fragments", "build_lines", "reading_regions", "is_cjk",
    "join_line_texts", "joiner", "is_number_cell",
]

_FRAGMENT_GAP_EM = 1.0
_CJK_SPACE_EM = 2.5
_LATIN_SPACE_EM = 0.15
_ROW_TOLERANCE = 0.35
_MAX_COLUMN_DEPTH = 3
_SIDEBAR_RATIO = 0.5
_PROSE_CHARS = 8
_NUMBER = re.compile(r"^(?:[(（\-−+]?\d[\d,，]*(?:\.\d+)?%?[)）]?|[-—–]+)$")
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\u2018-\u201d\u2026\u2014\u00b7\u2460-\u24ff\u25a0-\u25ff"
    "\U00020000-\U0003134f]"
)
_CJK_MEMO: dict[str, bool] = {}


def is_number_cell(text: str) -> bool:
    """True when every space-separated token of ``text`` is a number or a dash.

    Example:
        >>> is_number_cell("(1,635)"), is_number_cell("12.5% 3"), is_number_cell("合计")
        (True, True, False)
    """
    tokens = normalize_characters(text).split()
    return bool(tokens) and all(_NUMBER.match(token) for token in tokens)


def is_cjk(char: str) -> bool:
    """True for CJK ideographs, radicals, CJK and full-width punctuation (of the first
    character of ``char``; answers are remembered per character, the layout asks
    twice per glyph)."""
    if not char:
        return False
    first = char[0]
    known = _CJK_MEMO.get(first)
    if known is None:
        known = _CJK_MEMO[first] = _CJK.match(first) is not None
    return known


def _median(values: Iterable[float]) -> float:
    """``statistics.median`` (the same value, the mean of the middle two for an even
    count) without its generality: fragments and lines ask for one each."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(slots=True)
class Fragment:
    """A horizontal run of characters; ``text`` has the in-run spaces decided."""

    chars: list[PdfChar]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    text: str = ""

    def __post_init__(self) -> None:
        # one pass for the box (min and max keep the first of equal values, as here)
        first = self.chars[0]
        x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom
        sizes = []
        for c in self.chars:
            if c.x0 < x0:
                x0 = c.x0
            if c.x1 > x1:
                x1 = c.x1
            if c.top < top:
                top = c.top
            if c.bottom > bottom:
                bottom = c.bottom
            sizes.append(c.size or (c.bottom - c.top))
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.size = _median(sizes)
        self.text = _run_text(self.chars)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Fragments of one column at the same height, left to right."""

    fragments: list[Fragment]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    text: str = ""
    page: int = 0
    flags: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.fragments.sort(key=lambda f: f.x0)
        self.x0 = min(f.x0 for f in self.fragments)
        self.x1 = max(f.x1 for f in self.fragments)
        self.top = min(f.top for f in self.fragments)
        self.bottom = max(f.bottom for f in self.fragments)
        sizes = [c.size or (c.bottom - c.top) for f in self.fragments for c in f.chars]
        self.size = _median(sizes)
        self.text = normalize_characters(_join_fragments(self.fragments))


def build_fragments(chars: list[PdfChar]) -> list[Fragment]:
    """Group characters into rows by height, then split rows at gaps over one em."""
    fragments: list[Fragment] = []
    for row in _rows(chars):
        row.sort(key=lambda c: (c.x0, c.top))
        run = [row[0]]
        for previous, char in pairwise(row):
            em = max(previous.size, char.size, 1.0)
            if char.x0 - previous.x1 > _FRAGMENT_GAP_EM * em:
                fragments.append(Fragment(run))
                run = []
            run.append(char)
        fragments.append(Fragment(run))
    return fragments


def build_lines(fragments: list[Fragment]) -> list[Line]:
    """Group the fragments of one column into lines, top to bottom."""
    ordered = sorted(fragments, key=lambda f: (f.middle, f.x0))
    groups: list[list[Fragment]] = []
    centre = height = 0.0
    for fragment in ordered:
        frag_height = fragment.bottom - fragment.top
        if groups and abs(fragment.middle - centre) <= _ROW_TOLERANCE * max(height, frag_height):
            groups[-1].append(fragment)
            continue
        groups.append([fragment])
        centre, height = fragment.middle, frag_height
    return [Line(group) for group in groups]


def reading_regions(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Split a page's fragments into column regions, in reading order."""
    return _regions(fragments, 0)


def joiner(before: str, after: str) -> str:
    """What goes between two wrapped lines: a space only between Latin letters/digits.

    Example:
        >>> joiner("machine", "learning"), joiner("政府", "工作"), joiner("2024", "年")
        (' ', '', '')
    """
    if before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() \
            and after[:1].isalnum():
        return " "
    return ""


def join_line_texts(texts: list[str]) -> str:
    """Join wrapped lines into one paragraph with :func:`joiner`."""
    texts = [text for text in texts if text]
    if not texts:
        return ""
    parts = [texts[0]]
    for before, after in pairwise(texts):
        parts.append(joiner(before, after))
        parts.append(after)
    return "".join(parts)


def _rows(chars: list[PdfChar]) -> list[list[PdfChar]]:
    # (middle, x0, input position): the order of sorting by (middle, x0), ties kept
    keyed = sorted([((char.top + char.bottom) / 2, char.x0, index)
                    for index, char in enumerate(chars)])
    rows: list[list[PdfChar]] = []
    centre_sum = 0.0
    height = 0.0
    for middle, _, index in keyed:
        char = chars[index]
        char_height = char.bottom - char.top
        if rows:
            centre = centre_sum / len(rows[-1])
            if abs(middle - centre) <= _ROW_TOLERANCE * max(height, char_height):
                rows[-1].append(char)
                centre_sum += middle
                height = max(height, char_height)
                continue
        rows.append([char])
        centre_sum, height = middle, char_height
    return rows


def _run_text(chars: list[PdfChar]) -> str:
    """The run's text with spaces between neighbouring glyphs: never between two CJK
    glyphs, between CJK and other glyphs when the gap is at least one em, between
    others when it exceeds 0.15 em (em: the larger size, at least 1 pt). One pass, the
    CJK test remembered from the previous glyph: the layout asks it for every pair."""
    previous = chars[0]
    parts = [previous.text]
    memo = _CJK_MEMO
    left_cjk = is_cjk(previous.text[-1:])
    for char in chars[1:]:
        text = char.text
        first = text[:1]
        right_cjk = memo.get(first) if first else False
        if right_cjk is None:
            right_cjk = is_cjk(first)
        if not (left_cjk and right_cjk):
            size = previous.size if previous.size > char.size else char.size
            em = size if size > 1.0 else 1.0
            gap = char.x0 - previous.x1
            if (gap >= _FRAGMENT_GAP_EM * em) if (left_cjk or right_cjk) \
                    else (gap > _LATIN_SPACE_EM * em):
                parts.append(" ")
        parts.append(text)
        previous = char
        left_cjk = is_cjk(text[-1:]) if len(text) > 1 else right_cjk
    return "".join(parts)


def _join_fragments(fragments: list[Fragment]) -> str:
    parts = [fragments[0].text]
    for previous, fragment in pairwise(fragments):
        gap = fragment.x0 - previous.x1
        em = max(previous.size, fragment.size, 1.0)
        both_cjk = is_cjk(previous.text[-1:]) and is_cjk(fragment.text[:1])
        if gap > (_CJK_SPACE_EM if both_cjk else _LATIN_SPACE_EM) * em:
            parts.append(" ")
        parts.append(fragment.text)
    return "".join(parts)


def _regions(fragments: list[Fragment], depth: int) -> list[list[Fragment]]:
    if depth >= _MAX_COLUMN_DEPTH or len(fragments) < 6:
        return [fragments]
    gutter = _find_gutter(fragments)
    if gutter is None:
        return [fragments]
    start, end = gutter
    middle = (start + end) / 2
    spanning = sorted((f for f in fragments if f.x0 < start - 0.5 and f.x1 > end + 0.5),
                      key=lambda f: f.top)
    crossing = {id(f) for f in spanning}
    left = [f for f in fragments if id(f) not in crossing and (f.x0 + f.x1) / 2 < middle]
    right = [f for f in fragments if id(f) not in crossing and (f.x0 + f.x1) / 2 >= middle]
    left_width = max(f.x1 for f in left) - min(f.x0 for f in left)
    right_width = max(f.x1 for f in right) - min(f.x0 for f in right)
    left_is_sidebar = left_width < _SIDEBAR_RATIO * right_width
    regions: list[list[Fragment]] = []
    previous_cut = float("-inf")
    cuts = [*spanning, None]
    for cut in cuts:
        limit = cut.middle if cut is not None else float("inf")
        section_left = [f for f in left if previous_cut <= f.middle < limit]
        section_right = [f for f in right if previous_cut <= f.middle < limit]
        sides = [section_right, section_left] if left_is_sidebar else [section_left, section_right]
        for side in sides:
            if side:
                regions.extend(_regions(side, depth + 1))
        if cut is not None:
            if regions and regions[-1] and regions[-1][-1] in spanning:
                regions[-1].append(cut)
            else:
                regions.append([cut])
            previous_cut = limit
    return regions


def _find_gutter(fragments: list[Fragment]) -> tuple[float, float] | None:
    x_min = min(f.x0 for f in fragments)
    x_max = max(f.x1 for f in fragments)
    size = statistics.median(f.size for f in fragments)
    n_bins = int(x_max - x_min) + 1
    if n_bins < 10:
        return None
    coverage = [0] * (n_bins + 1)
    for fragment in fragments:
        coverage[int(fragment.x0 - x_min)] += 1
        coverage[min(int(fragment.x1 - x_min) + 1, n_bins)] -= 1
    running = 0
    for index in range(n_bins + 1):
        running += coverage[index]
        coverage[index] = running
    allowed = max(1, len(fragments) // 20)
    min_width = max(0.8 * size, 6.0)
    best: tuple[float, tuple[float, float]] | None = None
    index = 0
    while index < n_bins:
        if coverage[index] > allowed:
            index += 1
            continue
        run_start = index
        while index < n_bins and coverage[index] <= allowed:
            index += 1
        start, end = x_min + run_start, x_min + index
        if run_start == 0 or index >= n_bins or end - start < min_width:
            continue
        score = _gutter_score(fragments, start, end, size)
        if score is not None and (best is None or score > best[0]):
            best = (score, (start, end))
    return best[1] if best is not None else None


def _gutter_score(fragments: list[Fragment], start: float, end: float,
                  size: float) -> float | None:
    left = [f for f in fragments if f.x1 <= start + 0.5]
    right = [f for f in fragments if f.x0 >= end - 0.5]
    if len(left) < 3 or len(right) < 3:
        return None
    widths = []
    for side in (left, right):
        side_x0 = min(f.x0 for f in side)
        side_x1 = max(f.x1 for f in side)
        width = side_x1 - side_x0
        if width < 4 * size:
            return None
        widths.append((width, statistics.median(f.x1 - f.x0 for f in side),
                       statistics.median(len(f.text) for f in side)))
    if not any(median >= 0.5 * width and n_chars >= _PROSE_CHARS
               for width, median, n_chars in widths):
        return None
    if any(2 * sum(is_number_cell(f.text) for f in side) >= len(side) for side in (left, right)):
        return None  # a column of figures: a table, read row by row
    top = max(min(f.top for f in left), min(f.top for f in right))
    bottom = min(max(f.bottom for f in left), max(f.bottom for f in right))
    if bottom - top < 3 * size:
        return None
    return min(len(left), len(right)) + (end - start) / size
