"""Split a document's cleaned text into passages with exact character offsets.

The cleaned text of a document is its paragraphs joined by ``"\\n"``. A passage
is a span ``[start, end)`` of that text, so ``cleaned[start:end] == text``
always holds; leading and trailing whitespace is never part of a passage and
blank spans are dropped. Three units:

``"paragraph"`` (default)
    every non-blank line of the cleaned text.
``"sentence"``
    paragraphs split after a run of sentence-final marks (``。！？；…!?``) and
    any closing quotes or brackets right after them (``。”``, ``？）``); a
    sentence never crosses a paragraph break.
``"window"``
    consecutive, non-overlapping windows of ``size`` characters over the whole
    cleaned text (a window may span a paragraph break), trimmed of surrounding
    whitespace.

With ``max_chars`` (``read_corpus`` passes ``max_passage``, default 1,500), a
paragraph or sentence longer than that is cut into consecutive pieces of at
most ``max_chars`` characters: at sentence ends when it has them (sentences are
packed into pieces of about equal length), else at commas, else every
``max_chars`` characters. A text that lost its line breaks thus still gives
passages of bounded length (see :mod:`nqp_text.io._recover`).

``passage_id`` is ``f"{doc_id}:{seq}"`` with ``seq`` counting from 0 in text
order, so ids are as stable as the ``doc_id`` and the splitting options.
``section`` is the heading of the chapter a passage is in
(:mod:`nqp_text.preprocess.sections`).

Example:
    >>> split_spans("第一句。第二句！\\n第二段", unit="sentence")
    [(0, 4), (4, 8), (9, 12)]
    >>> passages_frame("d1", "一段。\\n二段。", year=2024)["passage_id"].tolist()
    ['d1:0', 'd1:1']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from nqp_text._limits import DEFAULT_MAX_PASSAGE
from nqp_text.corpus import PASSAGE_COLUMNS, empty_frame
from nqp_text.errors import OptionError

__all__ = ["UNITS", "SENTENCE_END", "split_spans", "passages_frame", "check_unit",
           "check_max_chars", "DEFAULT_MAX_PASSAGE", "overlaps_any"]

#: The passage units :func:`split_spans` understands.
UNITS = ("paragraph", "sentence", "window")

#: Characters that end a sentence (a run of them ends one sentence: ``？！``, ``……``).
SENTENCE_END = "。！？；…!?"
#: Closing quotes and brackets that stay with the sentence they close.
_CLOSERS = "”’」』）》〉】〕］｝)\"'"
_SENTENCE = re.compile(f"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{re.escape(_CLOSERS)}]*|$)")
_LINE = re.compile(r"[^\n]+")
_CLAUSE = re.compile(f"[^，,、{SENTENCE_END}]*(?:[，,、{SENTENCE_END}]+[{re.escape(_CLOSERS)}]*|$)")
_SPACE = " \t\r\n\u3000\u00a0"


def check_unit(unit: str, size: int | None) -> None:
    """Raise ``ValueError`` unless ``unit``/``size`` are a valid passage setting.

    Example:
        >>> check_unit("window", 200)
    """
    if unit not in UNITS:
        raise OptionError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    if unit == "window":
        if size is None or isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise OptionError(f"unit='window' needs size=N with N >= 1 characters; got {size!r}")
    elif size is not None:
        raise OptionError(f"size applies only to unit='window'; got size={size!r} with {unit!r}")


def check_max_chars(max_chars: int | None) -> None:
    """Raise ``ValueError`` unless ``max_chars`` is ``None`` or an integer >= 20.

    Example:
        >>> check_max_chars(1500)
    """
    if max_chars is None:
        return
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 20:
        raise OptionError(f"max_passage must be an integer >= 20 characters or None; "
                          f"got {max_chars!r}")


def split_spans(text: str, *, unit: str = "paragraph", size: int | None = None,
                max_chars: int | None = None) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the passages of ``text``.

    ``max_chars`` bounds paragraph and sentence passages (see the module notes).

    Example:
        >>> split_spans("一二三四五\\n六七", unit="window", size=3)
        [(0, 3), (3, 5), (6, 8)]
        >>> split_spans("甲乙。丙丁。戊己。", max_chars=20)
        [(0, 9)]
        >>> split_spans("甲乙丙丁戊己庚辛壬癸。" * 3, max_chars=20)
        [(0, 11), (11, 22), (22, 33)]
    """
    check_unit(unit, size)
    check_max_chars(max_chars)
    if unit == "window":
        assert size is not None
        spans = [(start, min(start + size, len(text))) for start in range(0, len(text), size)]
        return [span for span in (_trim(text, *span) for span in spans) if span]
    spans = []
    for line in _LINE.finditer(text):
        if unit == "paragraph":
            pieces = [(line.start(), line.end())]
        else:
            pieces = [(line.start() + match.start(), line.start() + match.end())
                      for match in _SENTENCE.finditer(line.group()) if match.end() > match.start()]
        for span in (_trim(text, *piece) for piece in pieces):
            if span and max_chars is not None and span[1] - span[0] > max_chars:
                spans.extend(_bounded(text, *span, max_chars))
            elif span:
                spans.append(span)
    return spans


def passages_frame(doc_id: str, text: str, *, year: int | None = None,
                   unit: str = "paragraph", size: int | None = None,
                   max_chars: int | None = None,
                   ocr_spans: Sequence[tuple[int, int]] = ()) -> pd.DataFrame:
    """The passages of one document as a DataFrame with the corpus passage columns.

    ``ocr_spans`` are the ranges of ``text`` read by OCR (a reader's
    ``ExtractedDocument.ocr_spans``); a passage overlapping one gets ``ocr=True``.

    Example:
        >>> frame = passages_frame("d1", "一。二。", unit="sentence")
        >>> frame[["passage_id", "text"]].values.tolist()
        [['d1:0', '一。'], ['d1:1', '二。']]
    """
    from nqp_text.preprocess.sections import passage_spans

    labelled = passage_spans(text, unit=unit, size=size, max_chars=max_chars)
    if not labelled:
        return empty_frame(PASSAGE_COLUMNS)
    spans = [(start, end) for start, end, _ in labelled]
    n = len(spans)
    return pd.DataFrame({
        "doc_id": pd.array([doc_id] * n, dtype="string"),
        "passage_id": pd.array([f"{doc_id}:{seq}" for seq in range(n)], dtype="string"),
        "seq": pd.array(range(n), dtype="Int64"),
        "year": pd.array([year] * n, dtype="Int64"),
        "text": pd.array([text[start:end] for start, end in spans], dtype="string"),
        "start": pd.array([start for start, _ in spans], dtype="Int64"),
        "end": pd.array([end for _, end in spans], dtype="Int64"),
        "section": pd.array([section for _, _, section in labelled], dtype="string"),
        "ocr": pd.array([overlaps_any((start, end), ocr_spans) for start, end, _ in labelled],
                        dtype="boolean"),
    })


def overlaps_any(span: tuple[int, int], ranges: Sequence[tuple[int, int]]) -> bool:
    """True when ``span`` shares at least one character with one of ``ranges``.

    Example:
        >>> overlaps_any((0, 5), [(5, 9)]), overlaps_any((0, 6), [(5, 9)])
        (False, True)
    """
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in ranges)


def _bounded(text: str, start: int, end: int, limit: int,
             level: int = 0) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` characters at natural ends."""
    patterns = (_SENTENCE, _CLAUSE)
    if level < len(patterns):
        units = [(m.start(), m.end())
                 for m in patterns[level].finditer(text, start, end) if m.end() > m.start()]
        if len(units) <= 1:
            return _bounded(text, start, end, limit, level + 1)
        out = []
        for a, b in _pack(text, units, limit):
            out.extend(_bounded(text, a, b, limit, level + 1) if b - a > limit else [(a, b)])
        return out
    cuts = range(start, end, limit)
    return [span for span in (_trim(text, a, min(a + limit, end)) for a in cuts) if span]


def _pack(text: str, units: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Consecutive units packed into pieces of about equal length, each at most ``limit``."""
    total = units[-1][1] - units[0][0]
    target = total / -(-total // limit)
    pieces: list[tuple[int, int]] = []
    first, last = units[0]
    for a, b in units[1:]:
        if b - first > limit or last - first >= target:
            pieces.append((first, last))
            first = a
        last = b
    pieces.append((first, last))
    return [span for span in (_trim(text, *piece) for piece in pieces) if span]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return (start, end) if end > start else None
