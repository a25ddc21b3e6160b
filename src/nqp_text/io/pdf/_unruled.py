"""Tables without ruling lines: runs of lines made of cells apart by wide gaps.

Financial statements and broker forecasts often print tables with no grid, so
the table finder misses them and their rows would be glued into paragraphs. A
line is a *table row* when it has at least two fragments (runs separated by a
gap of an em or more), no fragment reads like a sentence (``，。；？！``), and at
least half of the fragments after the first are numbers (``4,759``, ``(15)``,
``-3.2%``, ``—``). Two or more consecutive rows become a table, together with
the header line just above them when that line has several fragments and no
sentence punctuation; a lone row stays in the text as a paragraph of its own.

Example:
    >>> is_number_cell("(1,635)"), is_number_cell("12.5%"), is_number_cell("合计")
    (True, True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nqp_text.io.pdf._layout import Line, is_number_cell
from nqp_text.preprocess.normalize import normalize_characters

__all__ = ["is_number_cell", "is_table_row", "split_unruled", "Segment"]

_SENTENCE_PUNCTUATION = re.compile("[，。；？！]")


def is_table_row(line: Line) -> bool:
    """True for a line of cells apart by wide gaps, mostly numbers (see module docs)."""
    fragments = line.fragments
    if len(fragments) < 2 or any(_SENTENCE_PUNCTUATION.search(f.text) for f in fragments):
        return False
    numbers = sum(is_number_cell(f.text) for f in fragments[1:])
    return numbers >= 1 and numbers * 2 >= len(fragments) - 1


@dataclass
class Segment:
    """Consecutive lines of a column: body text, or an unruled table (``rows`` set)."""

    lines: list[Line]
    rows: list[list[str]] | None = None


def split_unruled(lines: list[Line]) -> list[Segment]:
    """Cut ``lines`` into text segments and unruled-table segments, in order."""
    flags = [is_table_row(line) for line in lines]
    segments: list[Segment] = []
    text: list[Line] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and flags[end]:
            end += 1
        if end - index >= 2:
            table = lines[index:end]
            if text and _is_header(text[-1]):
                table.insert(0, text.pop())
            if text:
                segments.append(Segment(text))
                text = []
            rows = [[normalize_characters(f.text) for f in line.fragments] for line in table]
            segments.append(Segment(table, rows))
            index = end
            continue
        if end > index:
            lines[index].flags.add("row")
        text.append(lines[index])
        index += 1
    if text:
        segments.append(Segment(text))
    return segments


def _is_header(line: Line) -> bool:
    return len(line.fragments) >= 2 and not any(
        _SENTENCE_PUNCTUATION.search(f.text) for f in line.fragments)
