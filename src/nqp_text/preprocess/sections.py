"""Chapters of a report from its own headings, and the passages of chosen chapters (the MD&A).

An annual report is a sequence of chapters (``第三节 管理层讨论与分析``,
``第四章 公司治理``; before 2007-ish and in some later reports ``四、董事会报告``).
Research often uses one of them only: the management discussion and analysis
(MD&A), whose name changed over the years — 董事会报告 (to about 2015),
经营情况讨论与分析 (2016-2020), 管理层讨论与分析 (since 2021 and in banks).

:func:`find_chapters` finds the chapters in a document's cleaned text (its
paragraphs joined by ``"\\n"``, as every reader gives it):

* a **heading** is a paragraph numbered ``第X节`` / ``第X章`` followed by a short
  title (or by nothing, the title being the next short paragraph), or, in a
  document without any such heading, ``一、``… followed by a title that starts
  like a known chapter title (``data/sections.yaml``);
* **table-of-contents entries are not headings**: a paragraph with dot leaders
  (``……``, ``....``) or ending in a page number is skipped, and a heading with
  almost no text before the next one whose title recurs later (a contents list
  without page numbers) gives way to the later one. Page numbers printed in a
  table of contents are never used (they are often wrong);
* a heading repeated with the same title (a chapter title printed as a running
  header on every page of the chapter, or ``(续)`` pages) continues its chapter.

Each chapter runs from its heading to the next chapter's heading; its ``kind``
(``mda``, ``important_matters``, ``financial``…) comes from ``data/sections.yaml``.
:func:`passage_spans` gives the passages of a text with their chapter heading,
optionally only those of some kinds (``sections=["mda"]``).

Example:
    >>> text = ("目录\\n第一节 重要提示\\n本公司……\\n第二节 管理层讨论与分析\\n一、概述\\n"
    ...         "收入增长。\\n第三节 重要事项\\n无。")
    >>> [(c.heading, c.kind) for c in find_chapters(text)][1:]
    [('第二节 管理层讨论与分析', 'mda'), ('第三节 重要事项', 'important_matters')]
    >>> [text[s:e] for s, e, _ in passage_spans(text, sections=["mda"])]
    ['第二节 管理层讨论与分析', '一、概述', '收入增长。']
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from nqp_text.errors import OptionError
from nqp_text.preprocess.passages import split_spans

__all__ = ["Chapter", "find_chapters", "passage_spans", "section_kinds", "check_sections",
           "missing_sections_reason"]

#: A heading whose chapter has fewer characters than this before the next heading,
#: and whose title recurs later, is a table-of-contents entry.
MIN_CHAPTER_CHARS = 200
#: Longest title (characters) a chapter heading may have.
MAX_TITLE_CHARS = 40

_NUMERALS = "一二三四五六七八九十百零〇两"
_NUMBERED = re.compile(rf"^第\s*[{_NUMERALS}\d]{{1,4}}\s*([节章])\s*(.*)$")
_ENUMERATED = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*(.+)$")
_LEADERS = re.compile(r"[.．…·・]{3,}|…{2,}|—{3,}|-{4,}")
_PAGE_AT_END = re.compile(r"\d{1,3}\s*$")
_SENTENCE = re.compile(r"[。；;！？!?]")
_PUNCT = re.compile(r"[\s、，,：:（）()《》“”\"'·.．\-—_]+")


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``text[start:end]`` from its heading to the next chapter's heading."""

    start: int
    end: int
    heading: str
    kind: str | None


@functools.lru_cache(maxsize=1)
def _titles() -> dict[str, list[str]]:
    import yaml

    data = resources.files("nqp_text.preprocess").joinpath("data/sections.yaml")
    kinds = yaml.safe_load(data.read_text("utf-8"))["kinds"]
    return {str(kind): [_compact(str(title)) for title in titles] for kind, titles in kinds.items()}


def section_kinds() -> dict[str, list[str]]:
    """Every chapter kind and the titles that make it (``data/sections.yaml``).

    Example:
        >>> section_kinds()["mda"][:2]
        ['管理层讨论与分析', '管理层讨论及分析']
    """
    return {kind: list(titles) for kind, titles in _titles().items()}


def check_sections(sections: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """``sections`` as a tuple of known kinds; ``ValueError`` naming the unknown ones.

    Example:
        >>> check_sections(["mda"])
        ('mda',)
    """
    if sections is None:
        return None
    if isinstance(sections, str):
        sections = [part.strip() for part in sections.split(",") if part.strip()]
    chosen = tuple(dict.fromkeys(str(kind) for kind in sections))
    unknown = [kind for kind in chosen if kind not in _titles()]
    if unknown or not chosen:
        raise OptionError(f"sections: unknown chapter kind(s) {unknown or '(none given)'}; "
                          f"known: {', '.join(_titles())}")
    return chosen


def _compact(text: str) -> str:
    return _PUNCT.sub("", text)


def _kind(title: str) -> str | None:
    compact = _compact(title)
    for kind, titles in _titles().items():
        if any(compact.startswith(known) for known in titles):
            return kind
    return None


@dataclass(frozen=True)
class _Heading:
    start: int
    title: str
    heading: str
    numbered: bool


def _headings(text: str) -> list[_Heading]:
    lines = [(match.start() + len(match.group()) - len(match.group().lstrip()),
              match.group().strip()) for match in re.finditer(r"[^\n]+", text)]
    lines = [(start, line) for start, line in lines if line]
    found = []
    for index, (start, line) in enumerate(lines):
        if len(line) > MAX_TITLE_CHARS + 8 or _LEADERS.search(line) or _SENTENCE.search(line):
            continue
        numbered = _NUMBERED.match(line)
        if numbered:
            title = numbered.group(2).strip()
            heading = line
            if not title and index + 1 < len(lines):  # "第四章" / "公司治理" on two lines
                following = lines[index + 1][1]
                if len(following) <= MAX_TITLE_CHARS and not _SENTENCE.search(following) \
                        and not _LEADERS.search(following) and not _NUMBERED.match(following):
                    title, heading = following, f"{line} {following}"
            if title and not _PAGE_AT_END.search(title) and len(title) <= MAX_TITLE_CHARS:
                found.append(_Heading(start, title, heading, True))
            continue
        enumerated = _ENUMERATED.match(line)
        if enumerated and not _PAGE_AT_END.search(line) and _kind(enumerated.group(1)):
            found.append(_Heading(start, enumerated.group(1).strip(), line, False))
    numbered = [heading for heading in found if heading.numbered]
    return numbered if numbered else found


def find_chapters(text: str) -> list[Chapter]:
    """The chapters of a document's cleaned text, in order (see the module docstring).

    Example:
        >>> law = "第一章 总则\\n第一条 为了……\\n第二章 附则\\n本法自公布之日起施行。"
        >>> [c.heading for c in find_chapters(law)]
        ['第一章 总则', '第二章 附则']
    """
    headings = _collapse(_headings(text))
    while True:
        keep = _drop_contents_entries(headings, text)
        if len(keep) == len(headings):
            break
        headings = _collapse(keep)
    chapters = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        chapters.append(Chapter(heading.start, end, heading.heading, _kind(heading.title)))
    return chapters


def _collapse(headings: list[_Heading]) -> list[_Heading]:
    """Drop a heading that repeats the title of the chapter it is in (running headers)."""
    kept: list[_Heading] = []
    for heading in headings:
        if kept and _compact(kept[-1].title) == _compact(heading.title):
            continue
        kept.append(heading)
    return kept


def _drop_contents_entries(headings: list[_Heading], text: str) -> list[_Heading]:
    """Headings without a chapter's worth of text whose title recurs later: a contents list."""
    kept = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        title = _compact(heading.title)
        later = any(_compact(other.title) == title for other in headings[index + 1:])
        if later and end - heading.start < MIN_CHAPTER_CHARS:
            continue
        kept.append(heading)
    return kept


def passage_spans(text: str, *, unit: str = "paragraph", size: int | None = None,
                  sections: Iterable[str] | None = None,
                  chapters: list[Chapter] | None = None,
                  max_chars: int | None = None) -> list[tuple[int, int, str | None]]:
    """``(start, end, chapter heading)`` of every passage, or only of chapters of some kinds.

    ``start``/``end`` index ``text``; a passage's chapter is the one its start
    lies in (paragraphs and sentences never cross a heading; a ``window`` may).
    With ``sections`` (kinds such as ``["mda"]``) only the chapters of those
    kinds are split, each on its own; none found gives ``[]`` (see
    :func:`missing_sections_reason`). ``chapters`` saves finding them again.
    ``max_chars`` bounds a passage's length as in :func:`~nqp_text.preprocess.passages.split_spans`.

    Example:
        >>> passage_spans("前言\\n第一节 重要事项\\n无。")
        [(0, 2, None), (3, 11, '第一节 重要事项'), (12, 14, '第一节 重要事项')]
    """
    kinds = check_sections(list(sections)) if sections is not None else None
    chapters = find_chapters(text) if chapters is None else chapters
    if kinds is None:  # the whole text, split as without chapters; each passage labelled
        spans = split_spans(text, unit=unit, size=size, max_chars=max_chars)
        starts = [chapter.start for chapter in chapters]
        return [(start, end, chapters[index].heading if index >= 0 else None)
                for start, end in spans
                for index in (bisect.bisect_right(starts, start) - 1,)]
    found = []
    for chapter in chapters:
        if chapter.kind in kinds:
            found.extend((chapter.start + s, chapter.start + e, chapter.heading)
                         for s, e in split_spans(text[chapter.start:chapter.end], unit=unit,
                                                 size=size, max_chars=max_chars))
    return found


def missing_sections_reason(sections: Iterable[str], chapters: list[Chapter]) -> str:
    """The ``error`` of a document none of whose chapters is of the kinds asked for.

    Example:
        >>> missing_sections_reason(["mda"], []).split("…")[0]
        'sections mda: no chapter titled 管理层讨论与分析/管理层讨论及分析/经营情况讨论与分析'
    """
    kinds = list(sections)
    titles = "/".join(title for kind in kinds for title in _titles().get(kind, [])[:3])
    if not chapters:
        return (f"sections {','.join(kinds)}: no chapter titled {titles}…; no chapter heading "
                "found at all (第X节/第X章, or 一、 with a known chapter title)")
    shown = "; ".join(chapter.heading for chapter in chapters[:8])
    more = f" and {len(chapters) - 8} more" if len(chapters) > 8 else ""
    return (f"sections {','.join(kinds)}: no chapter titled {titles}… among "
            f"{len(chapters)} chapters ({shown}{more})")
