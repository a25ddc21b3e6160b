"""Page furniture: page numbers and running headers/footers, found across pages.

A page's *outer lines* are its first and last :data:`OUTER_LINES` lines (full
page width, top to bottom) lying in the top or bottom :data:`OUTER_BAND` of the
page. Among them:

* **page numbers** go when the line (or one fragment of it) is only a page
  number: ``- 1 -``, ``— 1 —``, ``第 1 页``, ``第1页 共20页``, ``1/20``, ``1 / 4``,
  ``4－1``, ``頁次：4－1``, ``Page 3 of 9``, roman numerals, or a bare number.
  Away from the first/last line this needs the line to sit in the outermost
  :data:`PAGE_NUMBER_BAND` of the page;
* **running headers/footers** go when the same text, with digits replaced and a
  page-number prefix/suffix stripped, appears at the same height (within
  :data:`SAME_HEIGHT` points) on at least two pages; a whole line and each of its
  fragments are tried, so a header with a chapter name beside the company name
  loses both parts;
* the same text in the top (or bottom) :data:`SLOT_BAND` of two pages counts as
  repeated even at different heights (a footer that moves on the title page);
* once headers are known, their *slots* (height and font size) are known, and an
  outer line in such a slot goes even when its text is unique (the chapter name of a
  one-page chapter).

Example:
    >>> is_page_number("— 12 —"), is_page_number("第1页 共20页"), is_page_number("12年")
    (True, True, False)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from nqp_text.io.pdf._layout import Fragment, build_lines
from nqp_text.preprocess.normalize import normalize_characters

__all__ = ["is_page_number", "remove_furniture", "FurniturePage"]

OUTER_LINES = 4
OUTER_BAND = 0.25
PAGE_NUMBER_BAND = 0.12
SLOT_BAND = 0.12
SAME_HEIGHT = 4.0
MIN_REPEATS = 2

_DASHES = "-—–_~·•<>〈〉()（）\\[\\]【】|"
_PAGE_NUMBER = re.compile(
    rf"""^(?:
        [{_DASHES}]*\d{{1,4}}[{_DASHES}]*
      | 第\d{{1,4}}页(?:[,，/]?共\d{{1,4}}页)?
      | 共\d{{1,4}}页[,，/]?第\d{{1,4}}页
      | \d{{1,4}}/\d{{1,4}}
      | \d{{1,4}}-\d{{1,4}}
      | (?:page|p\.?)\d{{1,4}}(?:of\d{{1,4}})?
      | [ivxlc]{{1,7}}
      | [-—–]*[ivxlc]{{1,7}}[-—–]*
      | [页頁]次[:：]?\d{{1,4}}(?:-\d{{1,4}})?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMBER_PREFIX = re.compile(r"^\d{1,4}(?:\s*/\s*\d{1,4})?\s+(?=\S)")
_NUMBER_SUFFIX = re.compile(r"(?<=\S)\s+\d{1,4}(?:\s*/\s*\d{1,4})?$")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


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
    page: int
    middle: float
    size: float
    key: str
    fragments: list[Fragment]
    text: str
    zone: str | None


def remove_furniture(pages: list[FurniturePage]) -> None:
    """Drop page numbers and repeated headers/footers from ``pages`` in place.

    The text of what was dropped is appended to each page's ``removed``.
    """
    candidates: list[_Candidate] = []
    doomed: dict[int, set[int]] = defaultdict(set)
    for page in pages:
        for line_fragments, position in _outer_lines(page):
            text = " ".join(f.text for f in line_fragments)
            if _is_number_line(line_fragments, text, position, page.height):
                doomed[page.number].update(id(f) for f in line_fragments)
                continue
            for fragment in line_fragments:
                if _is_number_fragment(fragment, position, page.height):
                    doomed[page.number].add(id(fragment))
            middle = sum((f.top + f.bottom) / 2 for f in line_fragments) / len(line_fragments)
            size = max(f.size for f in line_fragments)
            zone = _zone(middle, page.height)
            units = [line_fragments] + ([[f] for f in line_fragments]
                                        if len(line_fragments) > 1 else [])
            for unit in units:
                unit_text = " ".join(f.text for f in unit)
                key = _key(unit_text)
                if key:
                    unit_middle = sum((f.top + f.bottom) / 2 for f in unit) / len(unit)
                    candidates.append(_Candidate(page.number, unit_middle,
                                                 max(f.size for f in unit), key, unit,
                                                 unit_text, zone))
            candidates.append(_Candidate(page.number, middle, size, "", line_fragments, text,
                                         zone))
    slots = _mark_repeated(candidates, doomed)
    for candidate in candidates:
        if candidate.key == "" and candidate.zone is not None and _in_slot(candidate, slots):
            doomed[candidate.page].update(id(f) for f in candidate.fragments)
    for page in pages:
        gone = doomed.get(page.number, set())
        if not gone:
            continue
        page.removed.extend(f.text for f in page.fragments if id(f) in gone)
        page.fragments = [f for f in page.fragments if id(f) not in gone]


def _zone(middle: float, height: float) -> str | None:
    if middle < SLOT_BAND * height:
        return "top"
    if middle > (1 - SLOT_BAND) * height:
        return "bottom"
    return None


def _outer_lines(page: FurniturePage) -> list[tuple[list[Fragment], str]]:
    if not page.fragments:
        return []
    lines = build_lines(list(page.fragments))
    chosen: list[tuple[list[Fragment], str]] = []
    for index, line in enumerate(lines):
        from_top, from_bottom = index, len(lines) - 1 - index
        middle = (line.top + line.bottom) / 2
        if from_top < OUTER_LINES and middle < OUTER_BAND * page.height:
            position = "first" if from_top == 0 else "top"
        elif from_bottom < OUTER_LINES and middle > (1 - OUTER_BAND) * page.height:
            position = "last" if from_bottom == 0 else "bottom"
        else:
            continue
        chosen.append((line.fragments, position))
    return chosen


def _is_number_line(fragments: list[Fragment], text: str, position: str, height: float) -> bool:
    if not is_page_number(text):
        return False
    if position in ("first", "last"):
        return True
    middle = sum((f.top + f.bottom) / 2 for f in fragments) / len(fragments)
    return middle < PAGE_NUMBER_BAND * height or middle > (1 - PAGE_NUMBER_BAND) * height


def _is_number_fragment(fragment: Fragment, position: str, height: float) -> bool:
    if not is_page_number(fragment.text):
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


def _mark_repeated(candidates: list[_Candidate],
                   doomed: dict[int, set[int]]) -> list[tuple[float, float]]:
    by_key: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.key:
            by_key[candidate.key].append(candidate)
    slots: list[tuple[float, float]] = []
    for group in by_key.values():
        for candidate in group:
            pages = {other.page for other in group if _same_place(other, candidate)}
            if len(pages) >= MIN_REPEATS:
                doomed[candidate.page].update(id(f) for f in candidate.fragments)
                if candidate.zone is not None:
                    slots.append((candidate.middle, candidate.size))
    return slots


def _same_place(one: _Candidate, other: _Candidate) -> bool:
    if abs(one.middle - other.middle) <= SAME_HEIGHT:
        return True
    return one.zone is not None and one.zone == other.zone


def _in_slot(candidate: _Candidate, slots: list[tuple[float, float]]) -> bool:
    return any(abs(candidate.middle - middle) <= 2.0 and abs(candidate.size - size) <= 0.3
               for middle, size in slots)
