"""A prepared page's regions, lines and tables to text blocks and table rows.

Each region (column) becomes lines (:mod:`._layout`); lines of digits in a small
font (chart axes) are left out, the lines are cut where a ruled table lies between
them, tables without ruling are taken out (:mod:`._unruled`), and the rest become
:class:`~._paragraphs.Block` s. Single-column pages tell, per page size, where the
usual right margin is (:func:`column_frames`), which the paragraph rules use.

Example:
    >>> from nqp_text.io.pdf._engine import PdfChar, PdfPage
    >>> from nqp_text.io.pdf._prepare import LayoutCounts, prepare_page
    >>> page = prepare_page(PdfPage(1, 100, 100, chars=[PdfChar("政", 0, 0, 10, 10, 10)]),
    ...                     LayoutCounts())
    >>> frames = column_frames([page])
    >>> [line.text for block in page_blocks(page, frames[size_key(page)], body_size(page),
    ...                                     LayoutCounts()) for line in block.lines]
    ['政']
"""

from __future__ import annotations

import re
from collections import Counter

from nqp_text.io._base import ExtractedTable
from nqp_text.io.pdf._engine import PdfTableGrid
from nqp_text.io.pdf._layout import Line, build_lines, reading_regions
from nqp_text.io.pdf._paragraphs import Block
from nqp_text.io.pdf._prepare import LayoutCounts, PreparedPage
from nqp_text.io.pdf._tables import table_rows
from nqp_text.io.pdf._unruled import split_unruled
from nqp_text.preprocess.normalize import normalize_text

__all__ = ["size_key", "column_frames", "body_size", "page_blocks", "page_tables",
           "FIGURE_LABEL_RATIO"]

#: Lines of digits and signs only, in a font this much smaller than the page's body, are
#: chart axes and figure labels; they are left out of the body text.
FIGURE_LABEL_RATIO = 0.75

_FIGURE_LABEL = re.compile(r"^[\d\s.,%‰+\-−—–/:()（）]+$")


def size_key(page: PreparedPage) -> tuple[int, int]:
    return round(page.width), round(page.height)


def column_frames(pages: list[PreparedPage]) -> dict[tuple[int, int], float]:
    """The usual right margin of single-column pages, per page size (90th percentile)."""
    ends: dict[tuple[int, int], list[float]] = {}
    for page in pages:
        page.regions = reading_regions(page.fragments) if page.fragments else []
        if len(page.regions) == 1:
            ends.setdefault(size_key(page), []).extend(
                line.x1 for line in build_lines(page.regions[0]))
    frames = {}
    for key, values in ends.items():
        values.sort()
        frames[key] = values[min(len(values) - 1, int(0.9 * len(values)))]
    return frames


def body_size(page: PreparedPage) -> float:
    """The font size of most characters of the page."""
    sizes: Counter[float] = Counter()
    for fragment in page.fragments:
        sizes[round(fragment.size * 2) / 2] += len(fragment.chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def page_blocks(page: PreparedPage, frame_right: float | None, body_size: float,
            layout: LayoutCounts) -> list[Block]:
    blocks: list[Block] = []
    single = len(page.regions) == 1
    for region in page.regions:
        lines = []
        for line in build_lines(region):
            if line.size < FIGURE_LABEL_RATIO * body_size and _FIGURE_LABEL.match(line.text):
                layout.figure_labels += 1
                continue
            line.page = page.number
            lines.append(line)
        if not lines:
            continue
        for run, after_table in _split_at_tables(lines, page.grids):
            for index, segment in enumerate(split_unruled(run)):
                if segment.rows is not None:
                    page.unruled.append((segment.lines[0].top, segment.rows))
                    continue
                blocks.append(Block(segment.lines, after_table=after_table or index > 0,
                                    frame_right=frame_right if single else None))
    return blocks


def _split_at_tables(lines: list[Line], grids: list[PdfTableGrid]
                     ) -> list[tuple[list[Line], bool]]:
    runs: list[tuple[list[Line], bool]] = []
    current: list[Line] = []
    after_table = False
    for line in lines:
        if current and any(_table_between(current[-1], line, grid) for grid in grids):
            runs.append((current, after_table))
            current, after_table = [], True
        elif not current and runs == [] and any(grid.bbox[3] <= line.top for grid in grids):
            after_table = any(grid.bbox[3] <= line.top and grid.bbox[0] < line.x1
                              and grid.bbox[2] > line.x0 for grid in grids)
        current.append(line)
    if current:
        runs.append((current, after_table))
    return runs


def _table_between(above: Line, below: Line, grid: PdfTableGrid) -> bool:
    x0, top, x1, bottom = grid.bbox
    overlaps = x0 < max(above.x1, below.x1) and x1 > min(above.x0, below.x0)
    return overlaps and top >= above.bottom - 1 and bottom <= below.top + 1



def page_tables(pages: list[PreparedPage], to_simplified: bool) -> list[ExtractedTable]:
    tables: list[ExtractedTable] = []
    for page in pages:
        found = [(grid.bbox[1], table_rows(grid, chars))
                 for grid, chars in zip(page.grids, page.table_chars, strict=True)]
        for _, rows in sorted(found + page.unruled, key=lambda item: item[0]):
            if to_simplified:
                rows = [[normalize_text(cell, to_simplified=True) for cell in row]
                        for row in rows]
            if rows:
                tables.append(ExtractedTable(page=page.number, table_index=len(tables),
                                             rows=rows))
    return tables

