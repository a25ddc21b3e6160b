"""``read_corpus``: files, folders and JSONL/CSV corpora → a :class:`~nqp_text.Corpus`.

Every input appears in ``documents`` with a ``status`` (``ok``, ``empty``,
``no_text_layer``, ``failed``) and, unless ``ok``, an ``error`` naming the
reason; a bad file never stops the others. Each file is read in a worker
process that is killed when it runs longer than ``timeout`` seconds.

Inputs
    A file is read by its suffix (.txt .md .pdf .docx .jsonl .ndjson .csv
    .tsv, and any suffix registered in :mod:`nqp_text.io.registry`); a folder
    is walked recursively (:mod:`nqp_text.io.discover`), its files sorted by
    relative path, so every machine reads them in the same order. Skipped in
    folders: hidden files and folders, symbolic links to folders, and the
    folder's own notes by their conventional names (``README``, ``SOURCES``,
    ``LICENSE``, ``CHANGELOG``, ``COPYING``, checksum lists ``SHA256SUMS``,
    ``MD5SUMS``…, any suffix); given explicitly,
    such a file is read. Any other file in a folder is a ``failed`` row
    (``unsupported file type``), never silently dropped.

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
import sys
from collections.abc import Iterable
from typing import Any

from nqp_text import diagnostics
from nqp_text._limits import DEFAULT_PDF_ENGINE, DEFAULT_TIMEOUT
from nqp_text.corpus import Corpus
from nqp_text.errors import MissingInputError, OptionError
from nqp_text.io._extract import FileTask, RawRecord, extract_file, file_kind, warm_up
from nqp_text.io._extract import ReadOptions as FileOptions
from nqp_text.io._pool import Outcome, default_memory_limit, run_tasks
from nqp_text.io.assemble import (
    EXTRA_DOCUMENT_COLUMNS,
    assign_doc_ids,
    build_corpus,
    displayable_path,
    file_doc_id,
    warn_no_section,
    year_from_filename,
)
from nqp_text.io.checks import corpus_diagnostics
from nqp_text.io.discover import FOLDER_NOTES, discover_files
from nqp_text.io.folders import apply_folder_lines, folder_eligible, remove_folder_lines
from nqp_text.io.metadata import Metadata
from nqp_text.io.options import ReadOptions
from nqp_text.io.registry import reader_for
from nqp_text.io.tabular import text_field_names
from nqp_text.preprocess.boilerplate import short_lines
from nqp_text.preprocess.normalize import normalize_text
from nqp_text.preprocess.passages import DEFAULT_MAX_PASSAGE
from nqp_text.preprocess.sections import check_sections

__all__ = ["read_corpus", "read_document", "read_document_lines", "assign_doc_ids", "file_doc_id",
           "year_from_filename", "discover_files", "DEFAULT_TIMEOUT", "EXTRA_DOCUMENT_COLUMNS",
           "FOLDER_NOTES", "AUTO", "resolve_memory_limit", "displayable_path", "warn_no_section"]

#: ``memory_limit="auto"``: each reader's cap is :func:`nqp_text.io._pool.default_memory_limit`.
AUTO = "auto"


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
    to_simplified: bool | str = "auto",
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    keep_boilerplate: bool = False,
    max_passage: int | None = DEFAULT_MAX_PASSAGE,
    sections: Iterable[str] | None = None,
    ocr: str = "never",
    memory_limit: int | str | None = AUTO,
    follow_links: bool = False,
    options: ReadOptions | None = None,
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
    ``progress`` shows a tqdm bar on stderr; ``to_simplified=True`` converts
    traditional characters to simplified ones in every document (needs OpenCC),
    ``"auto"`` only in the documents written in traditional characters
    (:func:`nqp_text.io.checks.is_traditional`; each says so in its ``warnings``
    and in the ``converted_to_simplified`` column; without OpenCC they stay as read,
    with a warning);
    ``pdf_engine`` is ``"pdfium"`` (the default: PDFium's characters and ruling,
    see :mod:`nqp_text.io.pdf._pdfium`) or ``"pdfplumber"`` (the reference, the same
    output about 3x slower); ``keep_boilerplate=True`` keeps web-page
    furniture and lines recurring across a file's records or the files of a
    folder (removed by default, :mod:`nqp_text.io.folders`,
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
    ``options``, a :class:`~nqp_text.options.ReadOptions`, gives all of these
    reading options at once (then none of them may be passed as a keyword too).

    Raises ``FileNotFoundError`` for a path that does not exist, ``ValueError``
    for bad options or a bad metadata file, ``ImportError`` for ``to_simplified``
    without OpenCC; a bad *input file* never raises.

    Example:
        >>> corpus = read_corpus("reports.jsonl", text_field="content")  # doctest: +SKIP
    """
    read = _read_options(options, unit=unit, size=size, text_field=text_field,
                         year_field=year_field, title_field=title_field, id_field=id_field,
                         timeout=timeout, memory_limit=memory_limit, follow_links=follow_links,
                         to_simplified=to_simplified, pdf_engine=pdf_engine,
                         keep_boilerplate=keep_boilerplate, max_passage=max_passage,
                         sections=sections, ocr=ocr)
    _check_environment(read)
    kinds = check_sections(read.sections)
    limit = resolve_memory_limit(read.memory_limit)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise OptionError(f"workers must be an integer >= 1; got {workers!r}")
    meta = Metadata.load(metadata) if metadata is not None else None
    exclude = {os.path.abspath(metadata)} if metadata is not None else set()
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = discover_files(paths, exclude=exclude)
    tasks = [FileTask(path, _file_options(read), reader_for(path)) for path in files]
    refused = {} if read.follow_links else _links_outside(paths, files)
    outcomes = iter(_run([task for task in tasks if task.path not in refused], workers,
                         read.timeout, progress, limit))
    records = [record for task in tasks for record in (
        _refused(task, refused[task.path]) if task.path in refused
        else _records(task, next(outcomes)))]
    if not read.keep_boilerplate:
        records = remove_folder_lines(records)
    corpus, matched = build_corpus(records, meta, read.unit, read.size, read.max_passage,
                                   kinds, to_simplified=read.to_simplified)
    if meta is not None:
        meta.check_unambiguous(corpus.documents)
        _warn_unmatched(meta, matched)
    warn_no_section(corpus.documents)
    for found in corpus_diagnostics(corpus.documents, text_field=read.text_field,
                                    year_field=read.year_field,
                                    title_field=read.title_field,
                                    metadata_columns=meta.columns if meta else ()):
        diagnostics.warn(found.kind, found.message, stage=found.stage, files=found.files,
                         severity=found.severity, stacklevel=3)
    _warn_documents(corpus.documents)
    return corpus


def _warn_documents(documents: Any) -> None:
    """Say which documents were not read (``failed``, ``empty`` …) or carry warnings.

    Inside :func:`~nqp_text.diagnostics.collect` (every command) each one by name, as
    ``nqp-text ingest`` lists them; else one Python warning per kind, naming the first
    document and how many more, so a notebook reading a folder of 1,000 bad files gets a
    few lines, not 1,000 (the rest are in ``documents``: status, error, warnings).
    """
    found = diagnostics.document_diagnostics(documents)
    if diagnostics.active() is not None:
        for item in found:
            diagnostics.warn(item.kind, item.message, stage=item.stage, files=item.files)
        return
    by_kind: dict[str, list[diagnostics.Diagnostic]] = {}
    for item in found:
        by_kind.setdefault(item.kind, []).append(item)
    for kind, items in by_kind.items():
        first = items[0]
        what = "warning(s) about documents" if kind == "document" else f"document(s) {kind}"
        diagnostics.warn(kind, f"{len(items)} {what}; the first, {first.files[0]}: "
                         f"{first.message}; see corpus.documents (status, error, warnings)",
                         stage=first.stage,
                         files=[name for item in items for name in item.files], stacklevel=4)


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
    to_simplified: bool | str = "auto",
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    keep_boilerplate: bool = False,
    max_passage: int | None = DEFAULT_MAX_PASSAGE,
    sections: Iterable[str] | None = None,
    ocr: str = "never",
    memory_limit: int | str | None = AUTO,
    follow_links: bool = False,
    options: ReadOptions | None = None,
    folder_lines: Iterable[str] = (),
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

    ``read_corpus`` also removes short lines that recur across the files of one
    folder (:mod:`nqp_text.io.folders`), which one file cannot show:
    ``folder_lines`` are such lines to remove from this file (unless
    ``keep_boilerplate``), as ``read_corpus`` would.

    Example:
        >>> corpus = read_document("corpora/sample/2025_政府工作要点.md")  # doctest: +SKIP
        >>> corpus.documents[["doc_id", "base_id", "year"]]  # doctest: +SKIP
    """
    read = _read_options(options, unit=unit, size=size, text_field=text_field,
                         year_field=year_field, title_field=title_field, id_field=id_field,
                         timeout=timeout, memory_limit=memory_limit, follow_links=follow_links,
                         to_simplified=to_simplified, pdf_engine=pdf_engine,
                         keep_boilerplate=keep_boilerplate, max_passage=max_passage,
                         sections=sections, ocr=ocr)
    return _read_one(path, metadata, read, folder_lines)[0]


def _read_one(path: str | os.PathLike[str], metadata: str | os.PathLike[str] | None,
              read: ReadOptions, folder_lines: Iterable[str]
              ) -> tuple[Corpus, list[RawRecord]]:
    """The corpus of one file and its records (in the order of its ``documents`` rows)."""
    _check_environment(read)
    kinds = check_sections(read.sections)
    limit = resolve_memory_limit(read.memory_limit)
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path}: a folder; read_document reads one file "
                                "(read_corpus reads folders)")
    if not os.path.lexists(path):
        raise MissingInputError(f"{path}: no such file", path=path)
    meta = Metadata.load(metadata) if metadata is not None else None
    task = FileTask(path, _file_options(read), reader_for(path))
    refused = {} if read.follow_links else _links_outside([path], [path])
    records = (_refused(task, refused[path]) if path in refused
               else _records(task, _run([task], 1, read.timeout, False, limit)[0]))
    records = _with_folder_lines(records, read, folder_lines)
    corpus, _ = build_corpus(records, meta, read.unit,
                             read.size, read.max_passage, kinds, keep_base_ids=True,
                             to_simplified=read.to_simplified)
    return corpus, records


def read_document_lines(path: str | os.PathLike[str], metadata: str | os.PathLike[str] | None,
                        *, folder_lines: Iterable[str] = (),
                        **keywords: object) -> tuple[Corpus, list[frozenset[str] | None]]:
    """:func:`read_document`, and for each of its documents the short lines that may recur
    across a folder (:func:`~nqp_text.preprocess.boilerplate.short_lines`; ``None`` for
    a document that takes no part: a JSONL/CSV record, a file not read, or any document
    with ``keep_boilerplate``).

    What ``nqp-text run`` stores per file to find a folder's recurring lines.
    """
    read = ReadOptions(**keywords)  # type: ignore[arg-type]
    corpus, records = _read_one(path, metadata, read, folder_lines)
    return corpus, [None if read.keep_boilerplate or not folder_eligible(record)
                    else short_lines(record.text) for record in records]


def _with_folder_lines(records: list[RawRecord], read: ReadOptions,
                       folder_lines: Iterable[str]) -> list[RawRecord]:
    lines = tuple(folder_lines)
    if read.keep_boilerplate or not lines:
        return records
    return [apply_folder_lines(record, lines) for record in records]


def _read_options(options: ReadOptions | None, **keywords: object) -> ReadOptions:
    """``options``, or the keywords as a :class:`ReadOptions` (validated when made).

    Keywords that differ from their defaults next to ``options`` are an
    :class:`OptionError`: one call says its options once.
    """
    if options is None:
        return ReadOptions(**keywords)  # type: ignore[arg-type]
    if not isinstance(options, ReadOptions):
        raise OptionError(f"options must be a nqp_text.ReadOptions; got {type(options).__name__}")
    given = sorted(name for name, value in keywords.items()
                   if value != ReadOptions.__dataclass_fields__[name].default)
    if given:
        raise OptionError(f"pass reading options either as options= or as keywords, not both; "
                          f"got options= and {', '.join(given)}")
    return options


def _file_options(read: ReadOptions) -> FileOptions:
    """The part of ``read`` one file's reader needs (pickled into each worker task)."""
    return FileOptions(text_field_names(read.text_field), read.year_field, read.title_field,
                       read.id_field, read.to_simplified is True, read.pdf_engine,
                       read.keep_boilerplate, read.ocr)


def _check_environment(read: ReadOptions) -> None:
    """Warn when OCR is asked for but cannot run; fail now when OpenCC is missing."""
    if read.ocr != "never":
        from nqp_text.io.pdf._ocr import ocr_unavailable_reason

        reason = ocr_unavailable_reason()
        if reason:
            diagnostics.warn("ocr_unavailable",
                             f"ocr={read.ocr!r}: {reason}; scanned PDF pages stay unread",
                             stage="ingest", stacklevel=3)
    if read.to_simplified is True:  # "auto" warns per flagged document instead
        normalize_text("繁體", to_simplified=True)  # ImportError with the install hint, now


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
        raise OptionError(f"memory_limit must be 'auto', None or a positive number of bytes; "
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


def _warn_unmatched(meta: Metadata, matched: set[int]) -> None:
    unmatched = [ident for index in (meta.by_id, meta.by_file)
                 for ident, record in index.items() if id(record) not in matched]
    if unmatched:
        shown = ", ".join(repr(ident) for ident in unmatched[:5])
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        diagnostics.warn("metadata_unmatched",
                         f"{len(unmatched)} metadata row(s) match no document: {shown}{more}",
                         stage="ingest", files=[meta.path], stacklevel=3)
