"""Raw records of every input file → the ``documents``, ``passages`` and ``tables`` frames.

The format-independent half of :func:`~nqp_text.read_corpus`: ids
(:func:`assign_doc_ids`, :func:`file_doc_id`), years (metadata, file name,
record field: :func:`year_from_filename`), annual-report columns, sections and
passages, the reader facts and record fields as ``documents`` columns, and
file names that are not UTF-8 shown with their bytes (:func:`displayable_path`).
The rules are described in :mod:`nqp_text.io.reader`.

Example:
    >>> year_from_filename("2024年政府工作报告.pdf")
    2024
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text import diagnostics
from nqp_text.corpus import DOCUMENT_COLUMNS, PASSAGE_COLUMNS, TABLE_COLUMNS, Corpus, empty_frame
from nqp_text.errors import InputError
from nqp_text.io._extract import RawRecord
from nqp_text.io._simplify import script_sample, simplify_records
from nqp_text.io.checks import document_warnings
from nqp_text.io.metadata import Metadata
from nqp_text.io.report_names import (
    REPORT_COLUMNS,
    ReportName,
    mark_superseded,
    parse_report_name,
    with_language,
)
from nqp_text.preprocess.passages import overlaps_any
from nqp_text.preprocess.sections import find_chapters, missing_sections_reason, passage_spans

__all__ = ["build_corpus", "assign_doc_ids", "file_doc_id", "year_from_filename",
           "displayable_path", "warn_no_section", "EXTRA_DOCUMENT_COLUMNS"]

#: Columns ``read_corpus`` adds after :data:`nqp_text.corpus.DOCUMENT_COLUMNS`.
EXTRA_DOCUMENT_COLUMNS = ["row", "year_source", "duplicate_of"]
_FILENAME_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_YEAR_RANGE = (1949, 2100)


def build_corpus(records: list[RawRecord], meta: Metadata | None, unit: str, size: int | None,
           max_passage: int | None, sections: tuple[str, ...] | None = None,
           keep_base_ids: bool = False, to_simplified: bool | str = False
           ) -> tuple[Corpus, set[int]]:
    """The corpus of ``records`` and the ids of the metadata rows that matched a document
    (``to_simplified="auto"``: the traditional-script ones converted first, see
    :mod:`nqp_text.io._simplify`)."""
    records = simplify_records(records, to_simplified)
    bases = [_base_id(record) for record in records]
    shown_paths = [displayable_path(record.path) for record in records]
    ids = assign_doc_ids(pd.DataFrame({
        "base_id": bases, "path": shown_paths,
        "row": [record.row for record in records],
        "sha256": [record.sha256 for record in records]}, dtype=object))
    doc_ids = [str(doc_id) for doc_id in ids["doc_id"]]
    duplicates = [None if pd.isna(first) else str(first) for first in ids["duplicate_of"]]
    rows: list[dict[str, Any]] = []
    passages: dict[str, list[Any]] = {name: [] for name in PASSAGE_COLUMNS}
    tables: dict[str, list[Any]] = {name: [] for name in TABLE_COLUMNS}
    matched: set[int] = set()
    _warn_undecodable_names(records, shown_paths)
    all_spans: list[list[tuple[int, int, str | None]]] = []
    for record, shown_path, doc_id, duplicate_of in zip(records, shown_paths, doc_ids,
                                                        duplicates, strict=True):
        is_record = record.row is not None
        extra = meta.lookup(doc_id, record.path, is_record=is_record) if meta else None
        if extra is not None:
            matched.add(id(extra))
        report = None if is_record else parse_report_name(record.path)
        if report is not None and record.status == "ok":
            report = with_language(report, record.text)
        status, error, spans = record.status, record.error, []
        if status == "ok":
            chapters = find_chapters(record.text)
            spans = passage_spans(record.text, unit=unit, size=size, sections=sections,
                                  chapters=chapters, max_chars=max_passage)
            if sections and not spans:
                status, error = "no_section", missing_sections_reason(sections, chapters)
        all_spans.append(spans)
        year, year_source = _year(record, extra, report)
        title = (extra or {}).get("title") or record.title
        if title is None and not is_record:
            title = Path(shown_path).stem
        rows.append({
            "doc_id": doc_id, "path": shown_path, "title": title, "year": year,
            "source": record.source, "status": status, "error": error,
            "n_pages": record.n_pages, "n_chars": len(record.text), "sha256": record.sha256,
            "row": record.row, "year_source": year_source, "duplicate_of": duplicate_of,
            "_meta": record.meta, "_extra": record.extra, "_metadata": extra or {},
            "_report": report.as_columns() if report is not None else None,
        })
        if spans:
            _add_warnings(rows[-1], document_warnings(
                record.text, [(start, end) for start, end, _ in spans],
                to_simplified=to_simplified, table_chars=_table_chars(record.tables),
                n_tables=len(record.tables), script_text=script_sample(record)))
    documents = mark_superseded(_documents_frame(rows, meta))
    for record, doc_id, year, status, spans in zip(records, doc_ids, documents["year"],
                                                   documents["status"], all_spans, strict=True):
        if status != "ok" and record.status == "ok":
            continue  # superseded or without the sections asked for: the row stays, unused
        if status == "ok":
            year = None if pd.isna(year) else int(year)
            for seq, (start, end, section) in enumerate(spans):
                values = (doc_id, f"{doc_id}:{seq}", seq, year, record.text[start:end],
                          start, end, section,
                          overlaps_any((start, end), record.ocr_spans))
                for name, value in zip(PASSAGE_COLUMNS, values, strict=True):
                    passages[name].append(value)
        for table in record.tables:
            values = (doc_id, table.page, table.table_index, table.rows)
            for name, value in zip(TABLE_COLUMNS, values, strict=True):
                tables[name].append(value)
    if keep_base_ids:
        documents["base_id"] = pd.array(bases, dtype="string")
    passage_frame = pd.DataFrame(passages) if passages["doc_id"] else empty_frame(PASSAGE_COLUMNS)
    table_frame = pd.DataFrame(tables) if tables["doc_id"] else empty_frame(TABLE_COLUMNS)
    return Corpus(documents, passage_frame, table_frame), matched


def displayable_path(path: str) -> str:
    """``path`` as text that any UTF-8 writer accepts.

    A file name that is not valid UTF-8 (a GBK-named file from a zip unpacked on
    Linux) reaches Python with surrogate escapes, which Parquet and CSV writers
    refuse; its undecodable bytes are shown as ``\\xNN`` instead. The file is still
    read through its real name.

    Example:
        >>> print(displayable_path(os.fsdecode("报告".encode("gbk") + b".txt")))
        \\xb1\\xa8\\xb8\\xe6.txt
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def _warn_undecodable_names(records: list[RawRecord], shown_paths: list[str]) -> None:
    names = sorted({shown for record, shown in zip(records, shown_paths, strict=True)
                    if shown != record.path})
    if names:
        diagnostics.warn("file_name_not_utf8",
                         f"{len(names)} file name(s) are not valid UTF-8; they were read, and "
                         f"are shown with their bytes escaped: {', '.join(names[:5])}",
                         stage="ingest", files=names, stacklevel=3)


def _table_chars(tables: list[Any]) -> int:
    """Characters in the cells of ``tables`` (``ExtractedTable`` rows of cells; empty is 0)."""
    return sum(len(cell) for table in tables for row in table.rows for cell in row if cell)


def _add_warnings(row: dict[str, Any], sentences: list[str]) -> None:
    """Append sentences to the document's ``warnings`` list (the reader's, e.g. a PDF's)."""
    if sentences:
        row["_meta"] = {**row["_meta"], "warnings": [*(row["_meta"].get("warnings") or []),
                                                     *sentences]}


def _year(record: RawRecord, extra: dict[str, Any] | None, report: ReportName | None
          ) -> tuple[int | None, str | None]:
    if extra and extra.get("year") is not None:
        return extra["year"], "metadata"
    if report is not None and report.year is not None:
        return report.year, "filename"  # the fiscal year, not a publication date
    if record.row is None:
        year = year_from_filename(record.path)
        return (year, "filename") if year is not None else (None, None)
    if record.field_year is not None:
        return record.field_year, "field"
    return None, None


def file_doc_id(sha256: str | None, path: str) -> str:
    """The ``doc_id`` of a whole file: 16 hex digits of its SHA-256, else of its path.

    (The path only for a file that could not be read at all.)

    Example:
        >>> file_doc_id("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "a.txt")
        '9f86d081884c7d65'
    """
    if sha256 is not None:
        return sha256[:16]
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def _base_id(record: RawRecord) -> str:
    if record.row is not None and record.id is not None:
        return record.id
    if record.row is not None:
        return f"{(record.file_sha256 or '')[:16]}-{record.row}"
    return file_doc_id(record.sha256, record.path)


def assign_doc_ids(documents: pd.DataFrame) -> pd.DataFrame:
    """Unique ``doc_id`` and ``duplicate_of`` for documents read from one or more files.

    ``documents`` has ``base_id`` (each document's own id, as :func:`read_document`
    gives it), ``path``, ``row`` (the record number, missing for a whole file)
    and ``sha256``. In order of ``(path, row)``, the first document with an id
    keeps it; later ones get ``-2``, ``-3``... (skipping ids already taken). A
    whole file whose ``sha256`` equals an earlier file's gets ``duplicate_of`` =
    that file's id. Returns ``doc_id, duplicate_of`` on the index of ``documents``.

    Example:
        >>> docs = pd.DataFrame({"base_id": ["a", "a"], "path": ["y/1.txt", "x/1.txt"],
        ...                      "row": [None, None], "sha256": ["s", "s"]})
        >>> ids = assign_doc_ids(docs)
        >>> ids["doc_id"].tolist(), ids["duplicate_of"].iloc[0]
        (['a-2', 'a'], 'a')
    """
    bases = documents["base_id"].astype(str).tolist()
    paths = documents["path"].astype(str).tolist()
    rows = [None if pd.isna(row) else int(row) for row in documents["row"]]
    shas = [None if pd.isna(sha) else str(sha) for sha in documents["sha256"]]
    order = sorted(range(len(bases)), key=lambda i: (paths[i], rows[i] or 0))
    taken = set(bases)
    seen: set[str] = set()
    ids = list(bases)
    for index in order:
        base = bases[index]
        if base not in seen:
            seen.add(base)
            continue
        copy = 2
        while f"{base}-{copy}" in taken:
            copy += 1
        ids[index] = f"{base}-{copy}"
        taken.add(ids[index])
    first: dict[str, str] = {}
    duplicate_of: list[str | None] = [None] * len(bases)
    for index in order:
        sha = shas[index]
        if rows[index] is not None or sha is None:
            continue
        if sha in first:
            duplicate_of[index] = first[sha]
        else:
            first[sha] = ids[index]
    return pd.DataFrame({"doc_id": pd.array(ids, dtype="string"),
                         "duplicate_of": pd.array(duplicate_of, dtype="string")},
                        index=documents.index)


def _documents_frame(rows: list[dict[str, Any]], meta: Metadata | None) -> pd.DataFrame:
    core = DOCUMENT_COLUMNS + EXTRA_DOCUMENT_COLUMNS
    reader_names = sorted({name for row in rows for name in row["_meta"]} - set(core))
    extra_names: list[str] = []
    for row in rows:
        for name in row["_extra"]:
            if name not in extra_names:
                extra_names.append(name)
    reports = any(row["_report"] is not None for row in rows)
    if reports:  # an annual report's file name: stkcd, firm, report_type... (metadata wins)
        core = core + REPORT_COLUMNS
        for row in rows:
            named = row["_report"] or {}
            for name in REPORT_COLUMNS:
                given = row["_metadata"].get(name)
                row[name] = given if given is not None else named.get(name)
    meta_names = [name for name in (meta.columns if meta else [])
                  if name not in ("year", "title") and name not in core]
    taken = set(core) | set(reader_names)
    shared = {name for name in extra_names if name in meta_names and name not in taken}
    renamed = {name: (f"field_{name}" if name in taken or name in meta_names else name)
               for name in extra_names}
    columns: dict[str, list[Any]] = {name: [row[name] for row in rows] for name in core}
    for name in reader_names:
        columns[name] = [row["_meta"].get(name) for row in rows]
    for name in extra_names:
        if name not in shared:
            columns[renamed[name]] = [row["_extra"].get(name) for row in rows]
    for name in meta_names:  # a clash with a reader fact (a PDF's "engine"...) is prefixed
        column = f"meta_{name}" if name in reader_names else name
        if name in shared:
            assert meta is not None
            columns[column] = [_merged(meta, name, row) for row in rows]
        else:
            columns[column] = [row["_metadata"].get(name) for row in rows]
    if not rows:
        return empty_frame(core + reader_names)
    frame = pd.DataFrame({name: _tidy(values) for name, values in columns.items()})
    for name in ("row",):
        frame[name] = frame[name].astype("Int64")
    for name in ("year_source", "duplicate_of", *(REPORT_COLUMNS if reports else ())):
        frame[name] = frame[name].astype("string")
    return frame


def _merged(meta: Metadata, name: str, row: dict[str, Any]) -> Any:
    """A metadata column that is also a record field: one value, or an error naming both."""
    given, field = row["_metadata"].get(name), row["_extra"].get(name)
    if given is None or field is None:
        return field if given is None else given
    if str(given).strip() != str(field).strip():
        where = row["path"] if row["row"] is None else f"{row['path']} row {row['row']}"
        raise InputError(f"{meta.path}: column {name!r} is also a field of the records of "
                         f"{row['path']}, and they disagree for {where} (doc_id "
                         f"{row['doc_id']}): metadata {given!r}, record {field!r}", path=meta.path)
    return given


def _tidy(values: list[Any]) -> Any:
    """One dtype per column so that Parquet accepts it: mixed scalars become text."""
    present = [value for value in values if value is not None]
    kinds = {type(value) for value in present}
    if not present:
        return pd.array(values, dtype="object")
    if kinds <= {bool}:
        return pd.array(values, dtype="boolean")
    if kinds <= {int}:
        return pd.array(values, dtype="Int64")
    if kinds <= {int, float}:
        return pd.array(values, dtype="Float64")
    if kinds <= {str}:
        return pd.array(values, dtype="string")
    if all(isinstance(value, (list, tuple)) for value in present):
        return [list(value) if value is not None else None for value in values]
    return pd.array([None if value is None else str(value) for value in values], dtype="string")



def warn_no_section(documents: pd.DataFrame) -> None:
    """One warning naming the documents whose asked-for sections were not found."""
    missing = documents.loc[documents["status"] == "no_section", "path"].astype(str).tolist()
    if missing:
        shown = ", ".join(Path(path).name for path in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        diagnostics.warn("no_section", f"{len(missing)} document(s) without the sections "
                         f"asked for (status no_section, see documents.error): {shown}{more}",
                         stage="ingest", files=missing, stacklevel=3)




def year_from_filename(name: str | os.PathLike[str]) -> int | None:
    """The first four-digit year 1949-2100 in a file name that is not part of a longer number.

    Example:
        >>> year_from_filename("600519_2023_年度报告.pdf")
        2023
        >>> year_from_filename("2024年政府工作报告.pdf")
        2024
        >>> year_from_filename("20240315_通知.pdf") is None
        True
    """
    for match in _FILENAME_YEAR.finditer(Path(name).name):
        year = int(match.group(1))
        if _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
            return year
    return None
