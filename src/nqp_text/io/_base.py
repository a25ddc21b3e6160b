"""What every reader returns, so that cleaning, passages and the corpus stay format-agnostic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExtractedTable:
    """A table kept apart from the body text: ``rows`` is a list of cell lists."""

    page: int | None
    table_index: int
    rows: list[list[str]]


@dataclass
class ExtractedDocument:
    """The cleaned content of one document.

    ``text`` is the cleaned body text with paragraphs separated by ``"\\n"``.
    ``status`` is one of :data:`nqp_text.corpus.STATUSES` (a reader raises for
    ``failed``; the corpus reader turns the exception into a row). ``meta``
    carries reader facts that become ``documents`` columns (``encoding``,
    ``unreadable_share``, ``scanned_pages`` ...) and may carry ``title``/``year``.
    ``ocr_spans`` are the ``(start, end)`` character ranges of ``text`` read by
    OCR (the passages they overlap get ``ocr=True``).
    """

    text: str
    tables: list[ExtractedTable] = field(default_factory=list)
    n_pages: int | None = None
    status: str = "ok"
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    ocr_spans: list[tuple[int, int]] = field(default_factory=list)
