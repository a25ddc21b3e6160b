"""Page furniture: page numbers and running headers/footers, found across pages.

A page's *outer lines* are its first and last :data:`OUTER_LINES` lines (full
page width, top to bottom) lying in the top or bottom :data:`OUTER_BAND` of the
page. Among them:

* **page numbers** go when the line (or one fragment of it) is only a page
  number: ``- 1 -``, ``— 1 —``, ``第 1 页``, ``第1页 共20页``, ``1/20``, ``1 / 4``,
  ``4－1``, ``頁次：4－1``, ``Page 3 of 9``, roman numerals, or a bare number.
  A bare number goes only as the page's very first or last line (elsewhere it may
  be a question or item number); a decorated one (``- 3 -``, ``3/20``) also when
  it sits in the outermost :data:`PAGE_NUMBER_BAND` of the page, alone on its
  line or beside other text;
* **running headers/footers** go when the same text, with digits replaced and a
  page-number prefix/suffix stripped, recurs on other pages and looks like
  furniture: it is on at least two pages and :data:`SHARE_OF_PAGES` of them (in
  the same place: the same height within :data:`SAME_HEIGHT` points, or both in
  the top or both in the bottom :data:`SLOT_BAND`), or it is at the same height
  on at least :data:`MIN_LEVEL_REPEATS` pages and either, as a page's very first
  or last line, its font size differs from the body text's, or (lying in the
  top/bottom band and not starting like a heading) a gap of
  :data:`SEPARATION_GAPS` usual line gaps separates it from the body. Body lines
  that repeat near the top of a few pages (table-of-contents entries, a note or
  a units caption under several tables) therefore stay. A whole line and each
  of its fragments are tried, so a header with a chapter name beside the company
  name loses both parts. A heading marked as continued (``……附注(续)``) that
  recurs near the top of two pages is furniture too;
* headers confirmed by their share of pages define a *header band* (from the
  page top to their lowest bottom) and a *footer band* (from their highest top
  to the page bottom), per page size; an outer line inside a band goes even
  when its text is unique (the chapter name of a one-page chapter) when it
  belongs to the page's header stack: it overlaps furniture already found on
  that page, or lies within :data:`SEPARATION_GAPS` usual line gaps of the
  stack and does not start like a heading (``3.2``, ``第三章``, ``五、``). So the
  deeper header of an annual report's financial notes does not cut the first
  lines (or the chapter heading) of pages that print a shorter header or none;
* **a book's running headers**: a page's first line that is a short title with
  the printed page number before or after it (``12 第一篇 商品和货币`` on a left
  page, ``第一章 商品 13`` on a right one) goes when such lines' numbers run in
  step with the pages on at least :data:`MIN_REPEATS` pages and
  :data:`SHARE_OF_PAGES` of them: left and right pages print different titles,
  which the repeated-text rule cannot match.

Example:
    >>> is_page_number("— 12 —"), is_page_number("第1页 共20页"), is_page_number("12年")
    (True, True, False)
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from nqp_text.io.pdf._layout import Fragment, Line, build_lines
from nqp_text.io.pdf._paragraphs import starts_with_marker
from nqp_text.preprocess.normalize import normalize_characters

__all__ = ["is_page_number", "remove_furniture", "FurniturePage"]

OUTER_LINES = 4
OUTER_BAND = 0.25
PAGE_NUMBER_BAND = 0.12
SLOT_BAND = 0.12
SAME_HEIGHT = 4.0
MIN_REPEATS = 2
MIN_LEVEL_REPEATS = 3
BAND_MARGIN = 1.0
SHARE_OF_PAGES = 0.5
SIZE_DIFFERENCE = 0.5
SEPARATION_GAPS = 2.0

_DASHES = "-－—–_~·•<>〈〉()（）\\[\\]【】|"
_PAGE_NUMBER = re.compile(
    rf"""^(?:
        [{_DASHES}]*\d{{1,4}}[{_DASHES}]*
      | 第\d{{1,4}}页(?:[,，/]?共\d{{1,4}}页)?
      | 共\d{{1,4}}页[,，/]?第\d{{1,4}}页
      | \d{{1,4}}/\d{{1,4}}
      | \d{{1,4}}-\d{{1,4}}
      | (?:page|p\.?)\d{{1,4}}(?:of\d{{1,4}})?
      | [-—–]*[ivxlc]{{1,7}}[-—–]*
      | [页頁]次[:：]?\d{{1,4}}(?:-\d{{1,4}})?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMBER_PREFIX = re.compile(r"^\d{1,4}(?:\s*/\s*\d{1,4})?\s+(?=\S)")
_NUMBER_SUFFIX = re.compile(r"(?<=\S)\s+\d{1,4}(?:\s*/\s*\d{1,4})?$")
_DIGITS = re.compile(r"\d+")
_CONTINUED = re.compile(r"[(（]续[)）]$")
_BARE_NUMBER = re.compile(r"^\d+$")
_SPACES = re.compile(r"\s+")
_HEADER_TITLE = r"[^\d\s。！？；，,.!?;][^。！？；，,.!?;]{0,28}[^\d\s。！？；，,.!?;]"
_NUMBERED_HEADER = re.compile(
    rf"(?P<before>\d{{1,4}})\s+{_HEADER_TITLE}|{_HEADER_TITLE}\s+(?P<after>\d{{1,4}})")


def is_page_number(text: str) -> bool:
    """True when ``text`` is nothing but a page number (see the module docs)."""
    compact = _SPACES.sub("", normalize_characters(text))
    return bool(compact) and _PAGE_NUMBER.match(compact) is not None


@dataclass
class FurniturePage:
    """The fragments of one page, as furniture detection sees them."""

    number: int
    height: float
    fragments: list[Fragment]
    removed: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    """A whole outer line (``key == ""``) or one repeatable unit of it."""

    page: int
    height: float
    top: float
    bottom: float
    size: float
    key: str
    fragments: list[Fragment]
    zone: str | None
    separated: bool
    outermost: bool

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def remove_furniture(pages: list[FurniturePage]) -> None:
    """Drop page numbers and repeated headers/footers from ``pages`` in place.

    The text of what was dropped is appended to each page's ``removed``.
    """
    page_lines = {page.number: build_lines(list(page.fragments)) if page.fragments else []
                  for page in pages}
    body_size = _body_size(pages)
    usual_gap = _usual_gap(page_lines.values())
    candidates: list[_Candidate] = []
    doomed: dict[int, set[int]] = defaultdict(set)
    for page in pages:
        for line, position, gap in _outer_lines(page_lines[page.number], page.height):
            if _is_number_line(line, position, page.height):
                doomed[page.number].update(id(f) for f in line.fragments)
                continue
            for fragment in line.fragments:
                if _is_number_fragment(fragment, page.height):
                    doomed[page.number].add(id(fragment))
            zone = _zone((line.top + line.bottom) / 2, page.height)
            separated = (usual_gap is not None and gap >= SEPARATION_GAPS * usual_gap
                         and zone is not None and not starts_with_marker(line.text))
            outermost = position in ("first", "last")
            units = [line.fragments]
            if len(line.fragments) > 1:
                units += [[fragment] for fragment in line.fragments]
            for unit in [*units, None]:
                fragments = unit if unit is not None else line.fragments
                key = _key(" ".join(f.text for f in unit)) if unit is not None else ""
                if unit is not None and not key:
                    continue
                candidates.append(_Candidate(
                    page.number, page.height, min(f.top for f in fragments),
                    max(f.bottom for f in fragments), max(f.size for f in fragments), key,
                    fragments, zone, separated, outermost))
    bands = _mark_repeated(candidates, doomed, len(pages), body_size)
    for number, line in _numbered_headers(pages, page_lines):
        doomed[number].update(id(f) for f in line.fragments)
    tolerance = SEPARATION_GAPS * usual_gap if usual_gap else 0.0
    for candidate in _band_lines(candidates, doomed, bands, tolerance):
        doomed[candidate.page].update(id(f) for f in candidate.fragments)
    for page in pages:
        gone = doomed.get(page.number, set())
        if gone:
            page.removed.extend(f.text for f in page.fragments if id(f) in gone)
            page.fragments = [f for f in page.fragments if id(f) not in gone]


def _numbered_headers(pages: list[FurniturePage], page_lines: dict[int, list[Line]]
                      ) -> list[tuple[int, Line]]:
    """A book's running headers: each page's first line, a short title with the printed
    page number before or after it (``12 第一篇 商品和货币``, ``第一章 商品 13``), whose
    numbers run with the pages (printed number minus page index the same) on at least
    :data:`MIN_REPEATS` pages and :data:`SHARE_OF_PAGES` of them.

    Left and right pages print different titles, so the repeated-text rule cannot see
    them; the page numbers running in step with the pages can. A table-of-contents
    entry at a page top (``第三章 …… 25``) does not run in step with its page.
    """
    found: dict[int, list[tuple[int, Line]]] = defaultdict(list)
    for page in pages:
        lines = page_lines[page.number]
        if not lines or (lines[0].top + lines[0].bottom) / 2 >= OUTER_BAND * page.height:
            continue
        match = _NUMBERED_HEADER.fullmatch(normalize_characters(lines[0].text).strip())
        if match is None:
            continue
        printed = int(match.group("before") or match.group("after"))
        found[printed - page.number].append((page.number, lines[0]))
    enough = max(MIN_REPEATS, SHARE_OF_PAGES * len(pages))
    return [item for group in found.values() if len(group) >= enough for item in group]


def _body_size(pages: list[FurniturePage]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for fragment in page.fragments:
            sizes[round(fragment.size * 2) / 2] += len(fragment.chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _usual_gap(all_lines: Iterable[list[Line]]) -> float | None:
    gaps = [b.top - a.bottom for lines in all_lines for a, b in pairwise(lines)
            if b.top - a.bottom > 0]
    return statistics.median(gaps) if gaps else None


def _zone(middle: float, height: float) -> str | None:
    if middle < SLOT_BAND * height:
        return "top"
    if middle > (1 - SLOT_BAND) * height:
        return "bottom"
    return None


def _outer_lines(lines: list[Line], height: float) -> list[tuple[Line, str, float]]:
    chosen: list[tuple[Line, str, float]] = []
    for index, line in enumerate(lines):
        from_top, from_bottom = index, len(lines) - 1 - index
        middle = (line.top + line.bottom) / 2
        if from_top < OUTER_LINES and middle < OUTER_BAND * height:
            position = "first" if from_top == 0 else "top"
            gap = lines[index + 1].top - line.bottom if index + 1 < len(lines) else 0.0
        elif from_bottom < OUTER_LINES and middle > (1 - OUTER_BAND) * height:
            position = "last" if from_bottom == 0 else "bottom"
            gap = line.top - lines[index - 1].bottom if index > 0 else 0.0
        else:
            continue
        chosen.append((line, position, gap))
    return chosen


def _is_number_line(line: Line, position: str, height: float) -> bool:
    text = " ".join(f.text for f in line.fragments)
    if not is_page_number(text):
        return False
    if position in ("first", "last"):
        return True
    middle = (line.top + line.bottom) / 2
    in_band = middle < PAGE_NUMBER_BAND * height or middle > (1 - PAGE_NUMBER_BAND) * height
    return in_band and not _BARE_NUMBER.match(text.strip())


def _is_number_fragment(fragment: Fragment, height: float) -> bool:
    if not is_page_number(fragment.text) or _BARE_NUMBER.match(fragment.text.strip()):
        return False
    return fragment.middle < PAGE_NUMBER_BAND * height or (
        fragment.middle > (1 - PAGE_NUMBER_BAND) * height)


def _key(text: str) -> str:
    text = normalize_characters(text).strip()
    text = _NUMBER_SUFFIX.sub("", _NUMBER_PREFIX.sub("", text))
    compact = _SPACES.sub("", text)
    if sum(not ch.isdigit() for ch in compact) < 2:
        return ""
    return _DIGITS.sub("#", compact)


def _mark_repeated(candidates: list[_Candidate], doomed: dict[int, set[int]], n_pages: int,
                   body_size: float) -> dict[tuple[int, str], float]:
    """Mark repeated furniture; return the header/footer bands it spans per page height."""
    by_key: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.key:
            by_key[candidate.key].append(candidate)
    bands: dict[tuple[int, str], float] = {}
    for group in by_key.values():
        for candidate in group:
            in_zone = {other.page for other in group if _same_place(other, candidate)}
            level = {other.page for other in group
                     if abs(other.middle - candidate.middle) <= SAME_HEIGHT}
            by_share = len(in_zone) >= max(MIN_REPEATS, SHARE_OF_PAGES * n_pages)
            by_size = (len(level) >= MIN_LEVEL_REPEATS and candidate.outermost
                       and abs(candidate.size - body_size) >= SIZE_DIFFERENCE)
            by_gap = len(level) >= MIN_LEVEL_REPEATS and candidate.separated
            by_continued = len(in_zone) >= MIN_REPEATS and _CONTINUED.search(candidate.key)
            if by_share or by_size or by_gap or by_continued:
                doomed[candidate.page].update(id(f) for f in candidate.fragments)
            if by_share and candidate.zone is not None:
                key = (round(candidate.height), candidate.zone)
                if candidate.zone == "top":
                    bands[key] = max(bands.get(key, 0.0), candidate.bottom)
                else:
                    bands[key] = min(bands.get(key, candidate.height), candidate.top)
    return bands


def _band_lines(candidates: list[_Candidate], doomed: dict[int, set[int]],
                bands: dict[tuple[int, str], float], tolerance: float) -> list[_Candidate]:
    """The outer lines that belong to a page's header (footer) stack inside the band.

    The stack starts at the lines of the page already marked as furniture in
    that zone and grows line by line, toward the body, while a line lies inside
    the band and either overlaps the stack or lies within ``tolerance`` of it
    without starting like a heading. A page with no furniture in the zone has
    no stack: its first lines are body text even when they lie where other
    pages (an annual report's financial notes) print a deeper header.
    """
    by_page: dict[tuple[int, str], list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.key == "" and candidate.zone is not None:
            by_page[(candidate.page, candidate.zone)].append(candidate)
    chosen = []
    for (page, zone), lines in by_page.items():
        gone = doomed.get(page, set())
        marked = [line for line in lines if any(id(f) in gone for f in line.fragments)]
        if not marked:
            continue
        top = zone == "top"
        edge = max(line.bottom for line in marked) if top else min(line.top for line in marked)
        for line in sorted(lines, key=lambda line: line.top if top else -line.bottom):
            beside = line.top <= edge + BAND_MARGIN if top else line.bottom >= edge - BAND_MARGIN
            near = line.top - edge <= tolerance if top else edge - line.bottom <= tolerance
            if not _in_band(line, bands) or not (
                    beside or near and not starts_with_marker(_line_text(line))):
                break
            chosen.append(line)
            edge = max(edge, line.bottom) if top else min(edge, line.top)
    return chosen


def _line_text(candidate: _Candidate) -> str:
    return " ".join(fragment.text for fragment in candidate.fragments)


def _same_place(one: _Candidate, other: _Candidate) -> bool:
    if abs(one.middle - other.middle) <= SAME_HEIGHT:
        return True
    return one.zone is not None and one.zone == other.zone


def _in_band(candidate: _Candidate, bands: dict[tuple[int, str], float]) -> bool:
    if candidate.zone is None:
        return False
    limit = bands.get((round(candidate.height), candidate.zone))
    if limit is None:
        return False
    if candidate.zone == "top":
        return candidate.bottom <= limit + BAND_MARGIN
    return candidate.top >= limit - BAND_MARGIN
