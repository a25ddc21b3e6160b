"""``read_corpus``: files, folders and JSONL/CSV corpora → a :class:`~nqp_text.Corpus`.

Every input appears in ``documents`` with a ``status`` (``ok``, ``empty``,
``no_text_layer``, ``failed``) and, unless ``ok``, an ``error`` naming the
reason; a bad file never stops the others. Each file is read in a worker
process that is killed when it runs longer than ``timeout`` seconds.

Inputs
    A file is read by its suffix (.txt .md .pdf .docx .jsonl .ndjson .csv .tsv);
    a folder is walked recursively, its files sorted by relative path, so every
    machine reads them in the same order. Skipped in folders: hidden files and
    folders, symbolic links to folders, and the folder's own notes by their
    conventional names (``README``, ``SOURCES``, ``LICENSE``, ``CHANGELOG``,
    ``COPYING``, any suffix); given explicitly, such a file is read. Any other
    file in a folder is a ``failed`` row (``unsupported file type``), never
    silently dropped.

``doc_id`` (stable across machines and runs)
    * a file: the first 16 hex digits of the SHA-256 of its bytes;
    * a JSONL/CSV record: the value of its id field when it has one, else
      ``{file sha256[:16]}-{row}`` (row = JSONL line number / CSV data-row number);
    * a file that cannot be opened at all: 16 hex digits of the SHA-256 of its path;
    * the same id twice (identical files in two folders, repeated record ids):
      sorted by ``path`` then ``row``, the first keeps the id and the others get
      ``-2``, ``-3``...; ``duplicate_of`` names the first copy of an identical file.

``year`` (``year_source`` says which rule gave it)
    the metadata CSV, else the file name (an annual report's fiscal year, see
    :mod:`nqp_text.io.report_names`; otherwise a four-digit year 1949-2100 that
    is not part of a longer number: ``2024年政府工作报告.pdf`` → 2024), else the
    JSONL/CSV year field, else missing; never guessed from the body text.

Annual reports
    when a file name is an annual report's, ``documents`` gets ``stkcd, firm,
    report_type, report_date, superseded_by``, and of several reports of one
    firm and year only the latest full Chinese one is used: the others get
    ``status="superseded"`` (see :mod:`nqp_text.io.report_names`). With
    ``sections`` (e.g. ``["mda"]``) only those chapters become passages and a
    document without them gets ``status="no_section"``
    (:mod:`nqp_text.preprocess.sections`).

``documents`` columns
    ``doc_id, path, title, year, source, status, error, n_pages, n_chars,
    sha256, row, year_source, duplicate_of``, then reader facts (``encoding``,
    PDF facts such as ``unreadable_share``), then the other scalar fields of
    JSONL/CSV records (``url``...; a name that clashes gets a ``field_`` prefix),
    then the metadata CSV columns (``meta_`` prefix on a clash with a reader
    fact). A metadata column named like a record field is one column: the
    metadata value where it has one, else the record's; where both have a value
    and they differ, ``ValueError`` names the file, the column and both values.
    ``sha256`` is that of the file, or of the record's cleaned text for
    JSONL/CSV records. ``title`` is the metadata title, else the record's title
    field, else the file name without suffix.

Example:
    >>> corpus = read_corpus(["corpora/sample"], unit="sentence")  # doctest: +SKIP
    >>> corpus.status_counts()  # doctest: +SKIP
    {'ok': 7, 'empty': 0, 'no_text_layer': 0, 'failed': 0}
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text import diagnostics
from nqp_text._limits import DEFAULT_PDF_ENGINE, DEFAULT_TIMEOUT
from nqp_text.corpus import DOCUMENT_COLUMNS, PASSAGE_COLUMNS, TABLE_COLUMNS, Corpus, empty_frame
from nqp_text.io._extract import (
    FileTask,
    RawRecord,
    ReadOptions,
    extract_file,
    file_kind,
    warm_up,
)
from nqp_text.io._pool import Outcome, default_memory_limit, run_tasks
from nqp_text.io.checks import corpus_diagnostics, document_warnings
from nqp_text.io.metadata import Metadata
from nqp_text.io.report_names import (
    REPORT_COLUMNS,
    ReportName,
    mark_superseded,
    parse_report_name,
    with_language,
)
from nqp_text.io.tabular import text_field_names
from nqp_text.preprocess.normalize import normalize_text
from nqp_text.preprocess.passages import (
    DEFAULT_MAX_PASSAGE,
    check_max_chars,
    check_unit,
    overlaps_any,
)
from nqp_text.preprocess.sections import (
    check_sections,
    find_chapters,
    missing_sections_reason,
    passage_spans,
)

__all__ = ["read_corpus", "read_document", "assign_doc_ids", "file_doc_id",
           "year_from_filename", "discover_files", "DEFAULT_TIMEOUT", "EXTRA_DOCUMENT_COLUMNS",
           "FOLDER_NOTES", "AUTO", "resolve_memory_limit"]

#: ``memory_limit="auto"``: each reader's cap is :func:`nqp_text.io._pool.default_memory_limit`.
AUTO = "auto"
#: Columns ``read_corpus`` adds after :data:`nqp_text.corpus.DOCUMENT_COLUMNS`.
EXTRA_DOCUMENT_COLUMNS = ["row", "year_source", "duplicate_of"]
#: File names (without suffix, any case) of a folder's own notes, not read from folders.
FOLDER_NOTES = frozenset({"readme", "sources", "license", "licence", "changelog", "copying"})
_FILENAME_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_YEAR_RANGE = (1949, 2100)


def read_corpus(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    metadata: str | os.PathLike[str] | None = None,
    *,
    unit: str = "paragraph",
    size: int | None = None,
    text_field: str | list[str] | tuple[str, ...] | None = None,
    year_field: str | None = None,
    title_field: str | None = None,
    id_field: str | None = None,
    workers: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: bool = False,
    to_simplified: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    keep_boilerplate: bool = False,
    max_passage: int | None = DEFAULT_MAX_PASSAGE,
    sections: Iterable[str] | None = None,
    ocr: str = "never",
    memory_limit: int | str | None = AUTO,
    follow_links: bool = False,
) -> Corpus:
    """Read files, folders and JSONL/CSV corpora into a :class:`~nqp_text.Corpus`.

    ``unit``/``size`` choose the passages (see :mod:`nqp_text.preprocess.passages`);
    the ``*_field`` options name JSONL/CSV fields (defaults ``text``/``content``/
    ``full_text``, ``year``, ``title``, ``id``; ``text_field`` may list several,
    ``"full_text,text"`` or a list: each record uses the first it has);
    ``workers`` reader processes run in parallel, each file limited to
    ``timeout`` seconds (``None``: no limit) and each reader process to
    ``memory_limit`` bytes of address space (``"auto"``: half the machine's RAM,
    at most 4 GiB, see :func:`nqp_text.io._pool.default_memory_limit`; ``None``:
    no cap; a file that needs more is a ``failed`` row naming the limit). With one
    worker, no timeout and no memory limit everything runs in this process;
    ``progress`` shows a tqdm bar on stderr; ``to_simplified`` converts
    traditional characters (needs OpenCC);
    ``pdf_engine`` is ``"pdfium"`` (the default: PDFium's characters and ruling,
    see :mod:`nqp_text.io.pdf._pdfium`) or ``"pdfplumber"`` (the reference, the same
    output about 3x slower); ``keep_boilerplate=True`` keeps web-page
    furniture and lines recurring across a file's records (removed by default,
    see :mod:`nqp_text.preprocess.boilerplate`); ``max_passage`` is the longest
    paragraph or sentence passage in characters (longer ones are cut at
    sentence ends; ``None``: no limit). A symbolic link whose target lies
    outside the input paths is not read (a ``failed`` row, see
    :mod:`nqp_text.io.links`) unless ``follow_links=True``.
    Every passage has the ``section`` (chapter heading) it is in; ``sections``
    (chapter kinds, e.g. ``["mda"]`` for an annual report's 管理层讨论与分析 /
    经营情况讨论与分析 / 董事会报告) keeps only the passages of those chapters, and a
    document without one gets ``status="no_section"`` (see
    :mod:`nqp_text.preprocess.sections`).
    ``ocr`` is ``"never"``, ``"auto"`` (PDF
    pages without a readable text layer are read by OCR) or ``"always"`` (every
    PDF page; see :func:`nqp_text.io.pdf.read_pdf` and ``docs/guide/ocr.md``).

    Raises ``FileNotFoundError`` for a path that does not exist, ``ValueError``
    for bad options or a bad metadata file, ``ImportError`` for ``to_simplified``
    without OpenCC; a bad *input file* never raises.

    Example:
        >>> corpus = read_corpus("reports.jsonl", text_field="content")  # doctest: +SKIP
    """
    _check_options(unit, size, timeout, to_simplified, pdf_engine, max_passage, ocr=ocr)
    kinds = check_sections(sections)
    limit = resolve_memory_limit(memory_limit)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1; got {workers!r}")
    meta = Metadata.load(metadata) if metadata is not None else None
    exclude = {os.path.abspath(metadata)} if metadata is not None else set()
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = discover_files(paths, exclude=exclude)
    options = ReadOptions(text_field_names(text_field), year_field, title_field, id_field,
                          to_simplified, pdf_engine, keep_boilerplate, ocr)
    tasks = [FileTask(path, options) for path in files]
    refused = {} if follow_links else _links_outside(paths, files)
    outcomes = iter(_run([task for task in tasks if task.path not in refused], workers,
                         timeout, progress, limit))
    records = [record for task in tasks for record in (
        _refused(task, refused[task.path]) if task.path in refused
        else _records(task, next(outcomes)))]
    corpus, matched = _build(records, meta, unit, size, max_passage, kinds,
                             to_simplified=to_simplified)
    if meta is not None:
        _warn_unmatched(meta, matched)
    warn_no_section(corpus.documents)
    for found in corpus_diagnostics(corpus.documents, text_field=text_field,
                                    year_field=year_field, title_field=title_field,
                                    metadata_columns=meta.columns if meta else ()):
        diagnostics.warn(found.kind, found.message, stage=found.stage, files=found.files,
                         severity=found.severity)
    return corpus


def read_document(
    path: str | os.PathLike[str],
    metadata: str | os.PathLike[str] | None = None,
    *,
    unit: str = "paragraph",
    size: int | None = None,
    text_field: str | list[str] | tuple[str, ...] | None = None,
    year_field: str | None = None,
    title_field: str | None = None,
    id_field: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    to_simplified: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    keep_boilerplate: bool = False,
    max_passage: int | None = DEFAULT_MAX_PASSAGE,
    sections: Iterable[str] | None = None,
    ocr: str = "never",
    memory_limit: int | str | None = AUTO,
    follow_links: bool = False,
) -> Corpus:
    """The documents, passages and tables of ONE input file (one row per JSONL/CSV record).

    The rows ``read_corpus([path], metadata, ...)`` gives, with one more
    ``documents`` column, ``base_id``: each document's id before ids are made
    unique (see :func:`assign_doc_ids`). ``doc_id`` is unique within the file
    only; to combine files as one :func:`read_corpus` call would, apply
    :func:`assign_doc_ids` to their ``documents`` and rename. The file is read
    in a child process stopped after ``timeout`` seconds and capped at
    ``memory_limit`` bytes, as in :func:`read_corpus` (both ``None``: read here,
    no limit); a link out of the file's folder is not read unless
    ``follow_links=True``. Metadata rows that match no document of this file are not
    reported (they may belong to other files). Same errors as
    :func:`read_corpus`, and ``IsADirectoryError`` for a folder.

    Example:
        >>> corpus = read_document("corpora/sample/2025_政府工作要点.md")  # doctest: +SKIP
        >>> corpus.documents[["doc_id", "base_id", "year"]]  # doctest: +SKIP
    """
    _check_options(unit, size, timeout, to_simplified, pdf_engine, max_passage, ocr=ocr)
    kinds = check_sections(sections)
    limit = resolve_memory_limit(memory_limit)
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path}: a folder; read_document reads one file "
                                "(read_corpus reads folders)")
    if not os.path.lexists(path):
        raise FileNotFoundError(f"{path}: no such file")
    meta = Metadata.load(metadata) if metadata is not None else None
    task = FileTask(path, ReadOptions(text_field_names(text_field), year_field, title_field,
                                      id_field, to_simplified, pdf_engine, keep_boilerplate,
                                      ocr))
    refused = {} if follow_links else _links_outside([path], [path])
    records = (_refused(task, refused[path]) if path in refused
               else _records(task, _run([task], 1, timeout, False, limit)[0]))
    corpus, _ = _build(records, meta, unit, size, max_passage, kinds,
                       keep_base_ids=True, to_simplified=to_simplified)
    return corpus


def _check_options(unit: str, size: int | None, timeout: float | None,
                   to_simplified: bool, pdf_engine: str, max_passage: int | None,
                   ocr: str = "never") -> None:
    from nqp_text.io.pdf._ocr import check_ocr_mode
    from nqp_text.io.pdf.reader import check_engine_name

    check_unit(unit, size)
    check_max_chars(max_passage)
    check_engine_name(pdf_engine)
    check_ocr_mode(ocr)
    if ocr != "never":
        from nqp_text.io.pdf._ocr import ocr_unavailable_reason

        reason = ocr_unavailable_reason()
        if reason:
            diagnostics.warn("ocr_unavailable",
                             f"ocr={ocr!r}: {reason}; scanned PDF pages stay unread",
                             stage="ingest", stacklevel=3)
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds or None; got {timeout!r}")
    if to_simplified:
        normalize_text("繁體", to_simplified=True)  # ImportError with the install hint, now


def discover_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                   *, exclude: set[str] | None = None) -> list[str]:
    """Expand files and folders into the ordered list of files to read.

    Folders are walked recursively and sorted by relative path; hidden entries
    are skipped; a folder that cannot be listed is kept (it becomes a ``failed``
    row naming it); a path given twice is read once. ``FileNotFoundError`` for a
    path that does not exist (a broken symbolic link given explicitly is kept:
    it becomes a ``failed`` row).

    Example:
        >>> discover_files(["corpora/sample"])[:1]  # doctest: +SKIP
        ['corpora/sample/2019_职业技能提升行动方案.txt']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    exclude = exclude or set()
    found: list[str] = []
    seen: set[str] = set()
    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            candidates = [given if rel == os.curdir else os.path.join(given, rel)
                          for rel in _walk(given)]
        elif os.path.lexists(given):
            candidates = [given]
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
        for candidate in candidates:
            key = os.path.abspath(candidate)
            if key not in seen and key not in exclude:
                seen.add(key)
                found.append(candidate)
    return found


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


def _walk(root: str) -> list[str]:
    """Files under ``root`` and the folders that could not be listed (each a failed row)."""
    relative: list[tuple[tuple[str, ...], str]] = []

    def unreadable(error: OSError) -> None:
        rel = os.path.relpath(os.fsdecode(error.filename), root)
        relative.append((tuple(Path(rel).parts), rel))

    for directory, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in filenames:
            if name.startswith(".") or Path(name).stem.lower() in FOLDER_NOTES:
                continue
            rel = os.path.relpath(os.path.join(directory, name), root)
            relative.append((tuple(Path(rel).parts), rel))
    return [rel for _, rel in sorted(relative)]


def _links_outside(paths: list[str | os.PathLike[str]], files: list[str]) -> dict[str, str]:
    """The files whose real location is outside the inputs, with the reason."""
    from nqp_text.io.links import input_roots, outside_reason

    roots = input_roots(paths)
    found = {path: outside_reason(path, roots) for path in files}
    return {path: reason for path, reason in found.items() if reason}


def resolve_memory_limit(memory_limit: int | str | None) -> int | None:
    """The reader processes' address-space cap in bytes: ``"auto"`` → the machine's default.

    ``ValueError`` for anything but ``"auto"``, ``None`` or a positive integer.

    Example:
        >>> resolve_memory_limit(512 * 2**20), resolve_memory_limit(None)
        (536870912, None)
    """
    if memory_limit == AUTO:
        return default_memory_limit()
    if memory_limit is None:
        return None
    if isinstance(memory_limit, bool) or not isinstance(memory_limit, int) or memory_limit <= 0:
        raise ValueError(f"memory_limit must be 'auto', None or a positive number of bytes; "
                         f"got {memory_limit!r}")
    return memory_limit


def _run(tasks: list[FileTask], workers: int, timeout: float | None,
         progress: bool, memory_limit: int | None) -> list[Outcome]:
    from tqdm.auto import tqdm

    with tqdm(total=len(tasks), unit="file", desc="ingest", file=sys.stderr,
              disable=not progress, dynamic_ncols=True) as bar:
        return run_tasks(extract_file, tasks, workers=workers, timeout=timeout,
                         memory_limit=memory_limit, initializer=warm_up,
                         on_done=lambda _index, _outcome: bar.update(1))


def _refused(task: FileTask, reason: str) -> list[RawRecord]:
    """The row of a file not opened at all (a link out of the input)."""
    return [RawRecord(task.path, file_kind(task.path), "failed", reason)]


def _records(task: FileTask, outcome: Outcome) -> list[RawRecord]:
    if outcome.ok:
        return list(outcome.value)
    sha = None
    try:
        digest = hashlib.sha256()
        with open(task.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        sha = digest.hexdigest()
    except OSError:
        pass
    return [RawRecord(task.path, file_kind(task.path), "failed", outcome.error,
                      sha256=sha, file_sha256=sha)]


def _build(records: list[RawRecord], meta: Metadata | None, unit: str, size: int | None,
           max_passage: int | None, sections: tuple[str, ...] | None = None,
           keep_base_ids: bool = False, to_simplified: bool = False
           ) -> tuple[Corpus, set[int]]:
    """The corpus of ``records`` and the ids of the metadata rows that matched a document."""
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
                to_simplified=to_simplified))
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
        raise ValueError(f"{meta.path}: column {name!r} is also a field of the records of "
                         f"{row['path']}, and they disagree for {where} (doc_id "
                         f"{row['doc_id']}): metadata {given!r}, record {field!r}")
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


def _warn_unmatched(meta: Metadata, matched: set[int]) -> None:
    unmatched = [ident for index in (meta.by_id, meta.by_file)
                 for ident, record in index.items() if id(record) not in matched]
    if unmatched:
        shown = ", ".join(repr(ident) for ident in unmatched[:5])
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        diagnostics.warn("metadata_unmatched",
                         f"{len(unmatched)} metadata row(s) match no document: {shown}{more}",
                         stage="ingest", files=[meta.path], stacklevel=3)
