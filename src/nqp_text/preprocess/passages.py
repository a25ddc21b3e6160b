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

``passage_id`` is ``f"{doc_id}:{seq}"`` with ``seq`` counting from 0 in text
order, so ids are as stable as the ``doc_id`` and the splitting options.

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

from nqp_text.corpus import PASSAGE_COLUMNS, empty_frame

__all__ = ["UNITS", "SENTENCE_END", "split_spans", "passages_frame", "check_unit",
           "overlaps_any"]

#: The passage units :func:`split_spans` understands.
UNITS = ("paragraph", "sentence", "window")

#: Characters that end a sentence (a run of them ends one sentence: ``？！``, ``……``).
SENTENCE_END = "。！？；…!?"
#: Closing quotes and brackets that stay with the sentence they close.
_CLOSERS = "”’」』）》〉】〕］｝)\"'"
_SENTENCE = re.compile(f"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{re.escape(_CLOSERS)}]*|$)")
_LINE = re.compile(r"[^\n]+")
_SPACE = " \t\r\n\u3000\u00a0"


def check_unit(unit: str, size: int | None) -> None:
    """Raise ``ValueError`` unless ``unit``/``size`` are a valid passage setting.

    Example:
        >>> check_unit("window", 200)
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    if unit == "window":
        if size is None or isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"unit='window' needs size=N with N >= 1 characters; got {size!r}")
    elif size is not None:
        raise ValueError(f"size applies only to unit='window'; got size={size!r} with {unit!r}")


def split_spans(text: str, *, unit: str = "paragraph", size: int | None = None
                ) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the passages of ``text``.

    Example:
        >>> split_spans("一二三四五\\n六七", unit="window", size=3)
        [(0, 3), (3, 5), (6, 8)]
    """
    check_unit(unit, size)
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
        spans.extend(span for span in (_trim(text, *piece) for piece in pieces) if span)
    return spans


def passages_frame(doc_id: str, text: str, *, year: int | None = None,
                   unit: str = "paragraph", size: int | None = None,
                   ocr_spans: Sequence[tuple[int, int]] = ()) -> pd.DataFrame:
    """The passages of one document as a DataFrame with the corpus passage columns.

    ``ocr_spans`` are the ranges of ``text`` read by OCR (a reader's
    ``ExtractedDocument.ocr_spans``); a passage overlapping one gets ``ocr=True``.

    Example:
        >>> frame = passages_frame("d1", "一。二。", unit="sentence")
        >>> frame[["passage_id", "text"]].values.tolist()
        [['d1:0', '一。'], ['d1:1', '二。']]
    """
    spans = split_spans(text, unit=unit, size=size)
    if not spans:
        return empty_frame(PASSAGE_COLUMNS)
    n = len(spans)
    return pd.DataFrame({
        "doc_id": pd.array([doc_id] * n, dtype="string"),
        "passage_id": pd.array([f"{doc_id}:{seq}" for seq in range(n)], dtype="string"),
        "seq": pd.array(range(n), dtype="Int64"),
        "year": pd.array([year] * n, dtype="Int64"),
        "text": pd.array([text[start:end] for start, end in spans], dtype="string"),
        "start": pd.array([start for start, _ in spans], dtype="Int64"),
        "end": pd.array([end for _, end in spans], dtype="Int64"),
        "ocr": pd.array([overlaps_any(span, ocr_spans) for span in spans], dtype="boolean"),
    })


def overlaps_any(span: tuple[int, int], ranges: Sequence[tuple[int, int]]) -> bool:
    """True when ``span`` shares at least one character with one of ``ranges``.

    Example:
        >>> overlaps_any((0, 5), [(5, 9)]), overlaps_any((0, 6), [(5, 9)])
        (False, True)
    """
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in ranges)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return (start, end) if end > start else None
