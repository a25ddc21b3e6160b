"""Rejoining wrapped lines into paragraphs, using the layout.

Lines come in *blocks*: one column region of one page, cut where a table sits
between two lines. Within a block, a new paragraph starts at line ``L`` after
line ``P`` when any of these holds:

* ``P`` ends short of the text block's right edge (by more than
  :data:`SHORT_LINE_EM` em) — the last line of a paragraph, a heading, a title, a
  list or table-of-contents entry. The right edge is the rightmost x where at
  least two lines and :data:`RIGHT_EDGE_SHARE` of the block's lines end. On a
  single-column page, when that edge is missing or lies more than
  :data:`FRAME_SLACK_EM` em left of the document's usual right margin for that
  page size (list entries of equal length), the usual margin is used instead;
* ``L`` is indented by at least :data:`INDENT_EM` em from the block's left edge
  (the leftmost x shared by at least two lines) — first-line indentation of
  about two characters — unless the block uses hanging indents (below), or ``P``
  starts further left, runs to the right edge and does not end a sentence (one
  hanging item in a first-line-indent block): then ``L`` continues ``P``;
* in a hanging-indent block (numbered questions, ``（一）`` items whose wrapped
  lines are indented: the lines after full, unfinished lines are mostly indented,
  in this block or, lacking evidence, in the document), ``L`` starts left of an
  indented ``P`` — the next item;
* ``L`` starts with a heading or list marker (``一、``, ``（一）``, ``第X条``,
  ``第X章``, ``1.``, ``1.1``, ``①``, a bullet, a private-use glyph that fonts use
  for bullets and option letters) and either ``P`` ends a sentence (``。！？；：…``,
  possibly followed by a closing quote or bracket) or ``P`` starts with the same
  kind of marker at the same x (sibling list items);
* ``P`` is a table-of-contents entry (dot leaders and a page number), or ``P``
  or ``L`` is a lone table row (:mod:`._unruled`);
* the font size changes by at least :data:`SIZE_CHANGE` points;
* the vertical gap is larger than the block's usual line gap (else the
  document's, else half an em) by more than :data:`GAP_EM` em.

Across blocks (next column, next page) a paragraph continues only when ``P``
runs to the right edge of its block, does not end a sentence, and ``L`` is
neither indented nor a heading; a table between two blocks always ends the
paragraph. Everything else is a wrapped line and is joined: directly between
CJK characters, with one space between two Latin words.

Example:
    >>> starts_with_marker("（一）主动公开情况"), starts_with_marker("第二十条的规定")
    (True, True)
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from itertools import pairwise

from nqp_text.io.pdf._layout import Line, joiner

__all__ = ["Block", "build_paragraphs", "paragraphs_with_pages", "starts_with_marker",
           "ends_sentence"]

SHORT_LINE_EM = 1.5
INDENT_EM = 1.2
SIZE_CHANGE = 1.0
GAP_EM = 0.5
RIGHT_EDGE_SHARE = 0.2
FRAME_SLACK_EM = 3.0

_NUMERAL = "一二三四五六七八九十百千零〇两"
_MARKER = re.compile(
    rf"""^(?:
        第[{_NUMERAL}\d]+[编章节条款部分篇卷项]
      | [{_NUMERAL}]+[、.．]
      | [（(][{_NUMERAL}\d]+[）)]
      | \d{{1,2}}(?:\.\d{{1,2}})+(?!\d)
      | \d{{1,2}}[、.．)）](?!\d)
      | [①-⑳⑴-⒇❶-❿]
      | [•●○■□◆◇▪▶►➢✓√※\ue000-\uf8ff]
      | [A-Za-z][.、)）](?![A-Za-z\d])
    )""",
    re.VERBOSE,
)
_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|．{3,})\s*\d{1,4}$")
_SENTENCE_END = re.compile(r"[。！？；：…!?;:][”’」』）)》】〕\]\"']*$")


def starts_with_marker(text: str) -> bool:
    """True when ``text`` begins like a heading or a list item."""
    return _MARKER.match(text) is not None


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation."""
    return _SENTENCE_END.search(text) is not None


@dataclass
class Block:
    """Lines of one column region of one page, top to bottom.

    ``after_table`` is True when a table separates this block from the previous one.
    """

    lines: list[Line]
    after_table: bool = False
    frame_right: float | None = None
    left: float = field(init=False)
    right: float = field(init=False)
    gap: float | None = field(init=False)
    hanging: bool = field(init=False)
    _votes: tuple[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.left = _usual_left(self.lines)
        supported = _supported_right_edge(self.lines)
        widest = max(line.x1 for line in self.lines)
        if self.frame_right is None:
            self.right = supported if supported is not None else widest
        elif supported is not None and supported >= self.frame_right - FRAME_SLACK_EM * (
                statistics.median(line.size for line in self.lines)):
            self.right = supported
        else:
            self.right = max(self.frame_right, widest)
        self._votes = _continuation_votes(self)
        self.hanging = self._votes[0] > self._votes[1]
        gaps = [b.top - a.bottom for a, b in pairwise(self.lines)]
        gaps = [g for g in gaps if g > -1.0]
        self.gap = statistics.median(gaps) if len(gaps) >= 2 else None


def build_paragraphs(blocks: list[Block]) -> list[str]:
    """Paragraph texts, in reading order."""
    return [text for text, _ in paragraphs_with_pages(blocks)]


def paragraphs_with_pages(blocks: list[Block]) -> list[tuple[str, frozenset[int]]]:
    """Paragraph texts in reading order, each with the pages its lines come from.

    Example:
        >>> paragraphs_with_pages([])
        []
    """
    paragraphs: list[list[str]] = []
    pages: list[set[int]] = []
    previous: tuple[Line, Block] | None = None
    default_gap = _document_gap(blocks)
    indented = sum(block._votes[0] for block in blocks)
    at_left = sum(block._votes[1] for block in blocks)
    for block in blocks:
        if block._votes == (0, 0):
            block.hanging = indented > at_left
    for block in blocks:
        for index, line in enumerate(block.lines):
            if not line.text:
                continue
            if previous is None:
                new = True
            else:
                p_line, p_block = previous
                if index == 0 or p_block is not block:
                    new = block.after_table or _breaks_across(p_line, p_block, line, block)
                else:
                    new = _breaks_within(p_line, line, block, default_gap)
            if new:
                paragraphs.append([line.text])
                pages.append({line.page})
            else:
                paragraphs[-1].append(joiner(paragraphs[-1][-1], line.text))
                paragraphs[-1].append(line.text)
                pages[-1].add(line.page)
            previous = (line, block)
    joined = [("".join(parts).strip(), frozenset(numbers))
              for parts, numbers in zip(paragraphs, pages, strict=True)]
    return [(text, numbers) for text, numbers in joined if text]


def _breaks_within(p: Line, line: Line, block: Block, default_gap: float | None) -> bool:
    if _common_break(p, block, line, block):
        return True
    size = max(p.size, line.size)
    usual = block.gap if block.gap is not None else default_gap
    if usual is None:
        usual = GAP_EM * size
    return line.top - p.bottom > usual + GAP_EM * size


def _breaks_across(p: Line, p_block: Block, line: Line, block: Block) -> bool:
    return _common_break(p, p_block, line, block) or ends_sentence(p.text)


def _common_break(p: Line, p_block: Block, line: Line, block: Block) -> bool:
    p_short = p.x1 < p_block.right - SHORT_LINE_EM * p.size
    if p_short or _TOC_ENTRY.search(p.text) or "row" in p.flags or "row" in line.flags:
        return True
    if line.x0 - block.left >= INDENT_EM * line.size:
        if not block.hanging:
            hanging_item = (p.x0 < line.x0 - INDENT_EM * line.size / 2
                            and not ends_sentence(p.text))
            if not hanging_item:
                return True
    else:
        outdented = block.left - line.x0 >= INDENT_EM * line.size
        next_item = block.hanging and p.x0 - line.x0 >= INDENT_EM * line.size
        if outdented and not block.hanging and _wraps_indented_line(p, line):
            outdented = False
        if outdented or next_item:
            return True
    if starts_with_marker(line.text) and (
            ends_sentence(p.text) or _sibling_items(p, line)):
        return True
    return abs(line.size - p.size) >= SIZE_CHANGE


def _wraps_indented_line(p: Line, line: Line) -> bool:
    """``line`` goes back to the margin under ``p``, a full line indented from it that ends
    no sentence: the wrap of a paragraph's indented first line, not an outdented item.

    A block holding mostly first lines (a two-line paragraph between tables, under an
    indented heading) takes their indentation as its usual left edge, so the wrapped line
    looked outdented and the paragraph was cut mid-word (``…利息净`` / ``收入的增长…``).
    """
    return (p.x0 - line.x0 >= INDENT_EM * line.size / 2 and not ends_sentence(p.text)
            and not starts_with_marker(line.text))


def _marker_shape(text: str) -> str | None:
    match = _MARKER.match(text)
    if match is None:
        return None
    shape = re.sub(r"\d+", "0", match.group(0))
    shape = re.sub(f"[{_NUMERAL}]+", "一", shape)
    return re.sub("[\ue000-\uf8ff]", "P", shape)


def _sibling_items(p: Line, line: Line) -> bool:
    """Both lines start with the same kind of marker at the same x: two list items."""
    shape = _marker_shape(line.text)
    return shape is not None and abs(p.x0 - line.x0) <= 1.0 and _marker_shape(p.text) == shape


def _continuation_votes(block: Block) -> tuple[int, int]:
    """How wrapped lines continue in ``block``: (indented, at the left edge).

    Only lines following a full line that does not end a sentence count: those
    are surely continuations, and where they start tells the indentation style.
    """
    indented = at_left = 0
    for p, line in pairwise(block.lines):
        if p.x1 < block.right - SHORT_LINE_EM * p.size or ends_sentence(p.text):
            continue
        if line.x0 - block.left >= INDENT_EM * line.size:
            indented += 1
        else:
            at_left += 1
    return indented, at_left


def _usual_left(lines: list[Line]) -> float:
    edges = sorted(line.x0 for line in lines)
    for edge, following in pairwise(edges):
        if following - edge <= 1.5:
            return edge
    return edges[0]


def _supported_right_edge(lines: list[Line]) -> float | None:
    """The rightmost x where at least two lines, and a fifth of them, end (within 2 pt)."""
    needed = max(2, RIGHT_EDGE_SHARE * len(lines))
    edges = sorted((line.x1 for line in lines), reverse=True)
    for index, edge in enumerate(edges):
        count = sum(1 for other in edges[index:] if edge - other <= 2.0)
        if count >= needed:
            return edge
    return None


def _document_gap(blocks: list[Block]) -> float | None:
    gaps = [block.gap for block in blocks if block.gap is not None]
    return statistics.median(gaps) if gaps else None
