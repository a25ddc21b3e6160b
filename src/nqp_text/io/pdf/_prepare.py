"""Characters of a page made ready for the layout rules, and the page facts read before.

``(cid:NNN)`` glyphs become U+FFFD, glyphs of symbol fonts (Wingdings ...) become
``•``, rotated, tiny and off-page glyphs and white glyphs printed over other glyphs
(hidden template placeholders) are left out; a footnote number printed as a small
raised digit after a word becomes its superscript character (``¹``), so that it is
not read into the figure after it (``客户数¹3,456``, not ``客户数13,456``); grids that
are layout boxes rather than tables are dropped, and the characters inside a table go to that table
(:mod:`._tables`); the rest become fragments (:mod:`._layout`).

Example:
    >>> from nqp_text.io.pdf._engine import PdfChar, PdfPage
    >>> page = PdfPage(1, 100, 100, chars=[PdfChar("政", 0, 0, 10, 10, 10)])
    >>> prepared = prepare_page(page, LayoutCounts())
    >>> [fragment.text for fragment in prepared.fragments], visible_chars(page)
    (['政'], 1)
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from nqp_text.io.pdf._engine import PdfChar, PdfPage, PdfTableGrid
from nqp_text.io.pdf._layout import Fragment, build_fragments, is_cjk
from nqp_text.io.pdf._tables import split_tables
from nqp_text.preprocess.normalize import unreadable_share

__all__ = [
    "LayoutCounts", "PreparedPage", "prepare_page", "visible_chars", "mostly_unreadable",
    "MIN_TEXT_CHARS", "HIDDEN_OVERLAP", "UNREADABLE_PAGE",
]

#: A page with fewer visible characters than this and at least one image has no text layer.
MIN_TEXT_CHARS = 10
#: Share of a run of white glyphs overlapping visible glyphs that marks it hidden.
HIDDEN_OVERLAP = 0.3
#: A page whose glyphs are more than this share unreadable is read by OCR with ``ocr="auto"``.
UNREADABLE_PAGE = 0.5

_CID = re.compile(r"^\(cid:\d+\)$")
_SYMBOL_FONT = re.compile(r"wingding|webding|dingbat|symbol", re.IGNORECASE)
_SYMBOL_MEMO: dict[str, bool] = {}
_CID_MIN_LENGTH = len("(cid:0)")
_MIN_CHAR_SIZE = 1.0
#: A footnote marker is at most this share of the size of the glyph before it ...
SUPERSCRIPT_SIZE = 0.8
#: ... and its bottom at least this share of that glyph's size above that glyph's bottom.
SUPERSCRIPT_RISE = 0.2
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass
class LayoutCounts:
    rotated: int = 0
    removed: int = 0
    figure_labels: int = 0
    symbol_paragraphs: int = 0
    superscripts: int = 0


@dataclass
class PreparedPage:
    number: int
    width: float
    height: float
    n_chars: int
    n_images: int
    fragments: list[Fragment]
    grids: list[PdfTableGrid]
    table_chars: list[list[PdfChar]] = field(default_factory=list)
    regions: list[list[Fragment]] = field(default_factory=list)
    unruled: list[tuple[float, list[list[str]]]] = field(default_factory=list)



def visible_chars(page: PdfPage) -> int:
    """The characters :func:`prepare_page` keeps before hidden ones go (upright, on the page)."""
    return sum(1 for char in page.chars if char.text.strip() and char.upright
               and char.size >= _MIN_CHAR_SIZE
               and 0 <= (char.x0 + char.x1) / 2 <= page.width
               and 0 <= (char.top + char.bottom) / 2 <= page.height)


def mostly_unreadable(page: PdfPage) -> bool:
    """At least :data:`MIN_TEXT_CHARS` glyphs, more than :data:`UNREADABLE_PAGE` unreadable."""
    texts = ["\ufffd" if _CID.match(char.text) else char.text for char in page.chars
             if char.text.strip()]
    return len(texts) >= MIN_TEXT_CHARS and unreadable_share("".join(texts)) > UNREADABLE_PAGE



def prepare_page(page: PdfPage, layout: LayoutCounts) -> PreparedPage:
    chars: list[PdfChar] = []
    for char in page.chars:
        if not char.text.strip() or char.size < _MIN_CHAR_SIZE:
            continue
        middle_x, middle_y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        if not (0 <= middle_x <= page.width and 0 <= middle_y <= page.height):
            continue
        if not char.upright:
            layout.rotated += 1
            continue
        chars.append(_fix_glyph(char))
    chars = _mark_superscripts(_drop_hidden(chars), layout)
    grids, body, inside = split_tables(page.tables, chars)
    return PreparedPage(
        number=page.number, width=page.width, height=page.height, n_chars=len(chars),
        n_images=page.n_images, fragments=build_fragments(body) if body else [],
        grids=grids, table_chars=inside,
    )


def _fix_glyph(char: PdfChar) -> PdfChar:
    if len(char.text) >= _CID_MIN_LENGTH and _CID.match(char.text):
        return _replace_text(char, "\ufffd")
    if _is_symbol_font(char.fontname):
        return _replace_text(char, "•")
    return char


def _is_symbol_font(fontname: str) -> bool:
    """Whether ``fontname`` is a symbol font (remembered per name: a page has a few
    fonts and thousands of glyphs)."""
    known = _SYMBOL_MEMO.get(fontname)
    if known is None:
        known = _SYMBOL_MEMO[fontname] = _SYMBOL_FONT.search(fontname) is not None
    return known


def _replace_text(char: PdfChar, text: str) -> PdfChar:
    return dataclasses.replace(char, text=text)


def _mark_superscripts(chars: list[PdfChar], layout: LayoutCounts) -> list[PdfChar]:
    """``chars`` with footnote markers as superscript digits (``¹``), counted in ``layout``.

    A marker is a digit glyph, in content order, right after a CJK glyph (or after
    another marker following one) on the same row: at most :data:`SUPERSCRIPT_SIZE`
    of its size, raised by at least :data:`SUPERSCRIPT_RISE` of it, and touching it
    (a gap of at most a third of an em). Read as a plain digit it joins the figure
    after it (``某比率⁴1.25%`` read as ``某比率41.25%``). A small raised
    digit after a Latin letter or a digit (``m²``, ``10⁶``) is not touched.

    Example:
        >>> word = PdfChar("率", 0, 0, 10, 10, 10)
        >>> mark = PdfChar("4", 10.5, 0, 14, 6, 6.5)
        >>> figure = PdfChar("1", 14, 0, 19, 10, 10)
        >>> counts = LayoutCounts()
        >>> [c.text for c in _mark_superscripts([word, mark, figure], counts)], counts.superscripts
        (['率', '⁴', '1'], 1)
    """
    out = chars
    for index in range(1, len(chars)):
        char = chars[index]
        if not ("0" <= char.text <= "9" and len(char.text) == 1):
            continue
        before = out[index - 1]
        anchor = before
        if before.text in "⁰¹²³⁴⁵⁶⁷⁸⁹" and index >= 2:  # the second digit of a marker
            anchor = out[index - 2]
        size = anchor.size
        if not is_cjk(anchor.text[-1:]) or size <= 0 or char.size > SUPERSCRIPT_SIZE * size:
            continue
        if anchor.bottom - char.bottom < SUPERSCRIPT_RISE * size:
            continue
        if char.bottom <= anchor.top or not -size / 3 <= char.x0 - before.x1 <= size / 3:
            continue
        if out is chars:
            out = list(chars)
        out[index] = _replace_text(char, char.text.translate(_SUPERSCRIPTS))
        layout.superscripts += 1
    return out


def _drop_hidden(chars: list[PdfChar]) -> list[PdfChar]:
    """Drop runs of white glyphs printed over other glyphs (hidden template placeholders).

    A run is a stretch of consecutive white glyphs in content order on one row; it goes when
    at least :data:`HIDDEN_OVERLAP` of its glyphs overlap visible glyphs. White
    text on a dark box overlaps nothing and stays.
    """
    if not any(char.white for char in chars):
        return chars
    buckets: dict[int, list[PdfChar]] = {}
    for char in chars:
        if not char.white:
            for key in range(int(char.top // 10), int(char.bottom // 10) + 1):
                buckets.setdefault(key, []).append(char)
    kept: list[PdfChar] = []
    run: list[PdfChar] = []
    for char in [*chars, None]:
        if char is not None and char.white and (not run or _same_run(run[-1], char)):
            run.append(char)
            continue
        if run:
            hidden = sum(any(_overlap(white, other) for other in
                             buckets.get(int(((white.top + white.bottom) / 2) // 10), []))
                         for white in run)
            if hidden < HIDDEN_OVERLAP * len(run):
                kept.extend(run)
            run = []
        if char is not None and char.white:
            run = [char]
        elif char is not None:
            kept.append(char)
    return kept


def _same_run(previous: PdfChar, char: PdfChar) -> bool:
    em = max(previous.size, char.size, 1.0)
    same_row = abs((previous.top + previous.bottom) - (char.top + char.bottom)) / 2 < em / 2
    return same_row and -em <= char.x0 - previous.x1 <= 2 * em


def _overlap(one: PdfChar, other: PdfChar) -> bool:
    width = min(one.x1, other.x1) - max(one.x0, other.x0)
    height = min(one.bottom, other.bottom) - max(one.top, other.top)
    if width <= 0 or height <= 0:
        return False
    smaller = min((one.x1 - one.x0) * (one.bottom - one.top),
                  (other.x1 - other.x0) * (other.bottom - other.top))
    return smaller > 0 and width * height >= 0.3 * smaller

