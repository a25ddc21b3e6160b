"""Tables: which characters belong to a table, and the text of each cell.

Grids that frame a page layout rather than data (:func:`is_layout_box`) are not
tables. Cell text is built from the characters whose centre lies in the cell box, with
the same line and space rules as the body (:mod:`._layout`); the lines of a
wrapped cell are joined like the lines of a paragraph. A merged-over grid
position gives ``""``; rows with no text at all are dropped.

Example:
    >>> from nqp_text.io.pdf._engine import PdfTableGrid
    >>> grid = PdfTableGrid((0, 0, 40, 10), [[(0, 0, 20, 10), (20, 0, 40, 10)]])
    >>> chars = [PdfChar("规", 1, 1, 9, 9, 8), PdfChar("1", 25, 1, 29, 9, 8)]
    >>> table_rows(grid, chars)
    [['规', '1']]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

from nqp_text.io.pdf._engine import BBox, PdfChar, PdfTableGrid
from nqp_text.io.pdf._layout import build_fragments, build_lines, join_line_texts

__all__ = ["split_table_chars", "table_rows", "is_layout_box", "split_tables"]

_MARGIN = 1.0
#: A grid whose biggest cell holds more than this share of its characters ...
LAYOUT_BOX_SHARE = 0.6
#: ... and that holds at least this many characters is a layout box, not a table.
LAYOUT_BOX_MIN_CHARS = 200
#: A grid more than this share of whose characters are white is a banner, not a table.
WHITE_TEXT_SHARE = 0.5


def is_layout_box(grid: PdfTableGrid, chars: list[PdfChar]) -> bool:
    """True when ``grid`` frames a page layout (boxes around text) rather than data.

    Report templates draw coloured boxes around the title, the sidebar and the
    body; the table finder turns them into a "table" whose one cell holds the
    whole body text. Such a grid has most of its characters in a single cell.
    Banners -- a title or rating printed in white on coloured boxes -- are layout
    too: most of their characters are white (a data table's white header row is
    a minority of its text).
    """
    return _is_layout_box(grid, _CharIndex(chars))


def _is_layout_box(grid: PdfTableGrid, page_index: _CharIndex) -> bool:
    inside = page_index.within(grid.bbox, _MARGIN)
    if inside and sum(char.white for char in inside) > WHITE_TEXT_SHARE * len(inside):
        return True
    if len(inside) < LAYOUT_BOX_MIN_CHARS:
        return False
    index = _CharIndex(inside)
    biggest = max((len(index.within(cell, 0.0))
                   for row in grid.rows for cell in row if cell is not None), default=0)
    return biggest > LAYOUT_BOX_SHARE * len(inside)


def split_tables(grids: list[PdfTableGrid], chars: list[PdfChar]
                 ) -> tuple[list[PdfTableGrid], list[PdfChar], list[list[PdfChar]]]:
    """The grids that are tables (not :func:`is_layout_box`), the characters outside
    every table and each table's characters: :func:`is_layout_box` and
    :func:`split_table_chars` on one index of the page's characters (sorting the
    page's characters once, not once per grid as each of them does).

    Example:
        >>> grid = PdfTableGrid((0, 0, 40, 10), [[(0, 0, 20, 10), (20, 0, 40, 10)]])
        >>> chars = [PdfChar("规", 1, 1, 9, 9, 8), PdfChar("正", 1, 20, 9, 28, 8)]
        >>> kept, body, inside = split_tables([grid], chars)
        >>> len(kept), [c.text for c in body], [[c.text for c in t] for t in inside]
        (1, ['正'], [['规']])
    """
    if not grids:
        return [], list(chars), []
    index = _CharIndex(chars)
    kept = [grid for grid in grids if not _is_layout_box(grid, index)]
    owner: dict[int, int] = {}
    for number, grid in enumerate(kept):  # the first table containing a glyph takes it
        for position in index.positions(grid.bbox, _MARGIN):
            owner.setdefault(position, number)
    outside: list[PdfChar] = []
    inside: list[list[PdfChar]] = [[] for _ in kept]
    for position, char in enumerate(chars):
        number = owner.get(position)
        if number is None:
            outside.append(char)
        else:
            inside[number].append(char)
    return kept, outside, inside


def split_table_chars(
    chars: list[PdfChar], grids: list[PdfTableGrid]
) -> tuple[list[PdfChar], list[list[PdfChar]]]:
    """Return the characters outside every table, and each table's characters."""
    outside: list[PdfChar] = []
    inside: list[list[PdfChar]] = [[] for _ in grids]
    for char in chars:
        for index, grid in enumerate(grids):
            if _contains(grid.bbox, char, _MARGIN):
                inside[index].append(char)
                break
        else:
            outside.append(char)
    return outside, inside


def table_rows(grid: PdfTableGrid, chars: list[PdfChar]) -> list[list[str]]:
    """The text of every cell of ``grid``, row by row."""
    index = _CharIndex(chars)
    rows: list[list[str]] = []
    for row in grid.rows:
        cells = [_cell_text(index.within(cell, 0.0)) if cell is not None else ""
                 for cell in row]
        if any(cells):
            rows.append(cells)
    return rows


def _cell_text(inside: list[PdfChar]) -> str:
    if not inside:
        return ""
    lines = build_lines(build_fragments(inside))
    return join_line_texts([line.text for line in lines])


class _CharIndex:
    """Characters sorted by the height of their centre, to find those inside a box
    without testing every character against every cell (a 439-table annual report
    made 4.9 million such tests). Same rule and order as :func:`_contains`."""

    def __init__(self, chars: list[PdfChar]) -> None:
        centred = sorted(((char.top + char.bottom) / 2, position, char)
                         for position, char in enumerate(chars))
        self._ys = [y for y, _, _ in centred]
        # the centre's x computed once per character, not once per box (profile: the
        # test per character and cell was the table step's hot loop)
        self._entries = [((char.x0 + char.x1) / 2, y, position, char)
                         for y, position, char in centred]

    def within(self, box: BBox, margin: float) -> list[PdfChar]:
        """The characters whose centre lies in ``box`` grown by ``margin``, in input order."""
        left, top, right, bottom = (box[0] - margin, box[1] - margin, box[2] + margin,
                                    box[3] + margin)
        low = bisect_left(self._ys, top)
        high = bisect_right(self._ys, bottom)
        found = [(position, char) for x, y, position, char in self._entries[low:high]
                 if left <= x <= right and top <= y <= bottom]
        found.sort(key=itemgetter(0))
        return [char for _, char in found]

    def positions(self, box: BBox, margin: float) -> list[int]:
        """The input positions of :meth:`within`'s characters, in input order."""
        left, top, right, bottom = (box[0] - margin, box[1] - margin, box[2] + margin,
                                    box[3] + margin)
        low = bisect_left(self._ys, top)
        high = bisect_right(self._ys, bottom)
        return sorted(position for x, y, position, _ in self._entries[low:high]
                      if left <= x <= right and top <= y <= bottom)


def _contains(box: BBox, char: PdfChar, margin: float) -> bool:
    x = (char.x0 + char.x1) / 2
    y = (char.top + char.bottom) / 2
    return (box[0] - margin <= x <= box[2] + margin
            and box[1] - margin <= y <= box[3] + margin)
