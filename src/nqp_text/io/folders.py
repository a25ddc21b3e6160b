"""Short lines that recur across the single-document files of one folder: found and removed.

A folder of scraped pages or of one site's Word files repeats its site name,
footer and share bar in every file, and no one file shows it: the per-file
rules (:mod:`nqp_text.preprocess.boilerplate`) see each file alone. After every
file is read, the files directly in one folder (single-document files only:
a JSONL/CSV file has its own per-file rule; PDFs, whose page furniture the PDF
reader removes, take no part) are compared: a short
stand-alone line (:func:`~nqp_text.preprocess.boilerplate.short_lines`) in at
least half of the folder's distinct documents, and in at least three, is
removed from each of them before its passages are made, and counted in
``documents.boilerplate_lines`` / ``boilerplate_removed`` with the file's own
lines. Identical files count once. A folder with fewer than three distinct
documents keeps every line. ``read_corpus`` applies it to the records it
read; ``nqp-text run`` finds the lines from each file's cached entry and
reads only the files that contain such lines once more, with
:func:`folder_lines` given to :func:`~nqp_text.io.reader.read_document`, so
both give the same passages.

Example:
    >>> docs = [(f"site/{i}.txt", f"sha{i}", frozenset({"本站首页", f"标题{i}"}))
    ...         for i in range(3)]
    >>> folder_lines(docs)["site/0.txt"]
    ('本站首页',)
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from nqp_text.io._extract import RawRecord, _with
from nqp_text.preprocess.boilerplate import (
    SHOWN_LINES,
    drop_lines,
    folder_recurring,
    line_mask,
    shift_spans,
    short_lines,
)

__all__ = ["folder_lines", "remove_folder_lines", "apply_folder_lines", "folder_eligible"]


def folder_lines(documents: Iterable[tuple[str, str | None, frozenset[str]]]
                 ) -> dict[str, tuple[str, ...]]:
    """For each ``(path, sha256, short lines)`` document, the recurring lines of its folder
    it contains (sorted; paths with none are left out)."""
    documents = list(documents)
    by_folder: dict[str, dict[str, frozenset[str]]] = {}
    for path, sha, lines in documents:
        by_folder.setdefault(os.path.dirname(path), {}).setdefault(sha or path, lines)
    recurring = {folder: folder_recurring(distinct.values())
                 for folder, distinct in by_folder.items()}
    found = {path: tuple(sorted(lines & recurring[os.path.dirname(path)]))
             for path, _, lines in documents}
    return {path: lines for path, lines in found.items() if lines}


def remove_folder_lines(records: list[RawRecord]) -> list[RawRecord]:
    """``records`` (every file of one ``read_corpus`` call) with their folders' recurring
    lines removed."""
    lines = folder_lines((record.path, record.sha256, short_lines(record.text))
                         for record in records if folder_eligible(record))
    return [apply_folder_lines(record, lines[record.path])
            if folder_eligible(record) and record.path in lines else record for record in records]


def apply_folder_lines(record: RawRecord, lines: Iterable[str]) -> RawRecord:
    """``record`` without the stand-alone ``lines``, counted with its boilerplate columns;
    its OCR spans move with the text."""
    if not folder_eligible(record):
        return record
    drop = line_mask(record.text, lines)
    text, removed = drop_lines(record.text, drop)
    if not removed:
        return record
    shown = list(record.meta.get("boilerplate_removed") or [])
    meta = {**record.meta,
            "boilerplate_lines": int(record.meta.get("boilerplate_lines") or 0) + len(removed),
            "boilerplate_removed": (shown + removed)[:SHOWN_LINES]}
    if not text.strip():
        return _with(record, status="empty", text="", meta=meta, ocr_spans=[],
                     error="no text left after removing boilerplate lines "
                           "(keep_boilerplate=True keeps them)")
    return _with(record, text=text, meta=meta,
                 ocr_spans=shift_spans(record.text, drop, record.ocr_spans))


def folder_eligible(record: RawRecord) -> bool:
    """Whether ``record`` takes part: an ``ok`` single-document file that is not a JSONL/CSV
    record and not a PDF.

    PDFs are left out: their running headers and footers are already removed page by
    page, and the short lines a folder of annual reports shares are its real headings
    (审计报告, 目录, 释义), which the other rules (sections, MD&A) need.
    """
    return record.status == "ok" and record.row is None and record.source != "pdf"
