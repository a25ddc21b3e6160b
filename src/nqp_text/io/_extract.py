"""One input file → raw records, whatever the format; runs inside a worker process.

:func:`extract_file` never raises for a bad file: an unreadable, empty, binary,
corrupt or unsupported file comes back as one record with its status and the
reason. It imports no pandas, so worker processes start quickly; the corpus
reader (:mod:`nqp_text.io.reader`) turns the records into DataFrames.

Example:
    >>> task = FileTask("corpora/sample/2019_职业技能提升行动方案.txt", ReadOptions())
    >>> [r.status for r in extract_file(task)]  # doctest: +SKIP
    ['ok']
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nqp_text._limits import DEFAULT_PDF_ENGINE
from nqp_text.io._base import ExtractedDocument, ExtractedTable
from nqp_text.io.errors import ReaderError
from nqp_text.io.registry import HEAD_BYTES, Reader, reader_for, supported_suffixes

__all__ = ["ReadOptions", "FileTask", "RawRecord", "extract_file", "file_kind", "warm_up",
           "unreadable_reason"]

_MAX_ERROR = 500


@dataclass(frozen=True)
class ReadOptions:
    """Reader settings shared by every file of one :func:`~nqp_text.read_corpus` call."""

    text_field: tuple[str, ...] | None = None
    year_field: str | None = None
    title_field: str | None = None
    id_field: str | None = None
    to_simplified: bool = False
    pdf_engine: str = DEFAULT_PDF_ENGINE
    keep_boilerplate: bool = False
    ocr: str = "never"


@dataclass(frozen=True)
class FileTask:
    """One file to read: its path as recorded in ``documents.path``, and the options."""

    path: str
    options: ReadOptions
    reader: Reader | None = None

    def find_reader(self) -> Reader | None:
        """The reader the task carries (looked up in the caller's registry), else by suffix."""
        return self.reader if self.reader is not None else reader_for(self.path)


@dataclass
class RawRecord:
    """One future ``documents`` row (a file, or one record of a JSONL/CSV file)."""

    path: str
    source: str
    status: str
    error: str | None = None
    text: str = ""
    tables: list[ExtractedTable] = field(default_factory=list)
    n_pages: int | None = None
    sha256: str | None = None
    file_sha256: str | None = None
    row: int | None = None
    id: str | None = None
    title: str | None = None
    field_year: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    ocr_spans: list[tuple[int, int]] = field(default_factory=list)


def file_kind(path: str | os.PathLike[str]) -> str:
    """The ``source`` kind of a path by its reader (``"pdf"``, ``"csv"``...; else the suffix).

    Example:
        >>> file_kind("a/2024年报告.PDF"), file_kind("notes.xlsx")
        ('pdf', 'xlsx')
    """
    reader = reader_for(path)
    return reader.kind if reader is not None else Path(path).suffix.lower().lstrip(".")


def extract_file(task: FileTask) -> list[RawRecord]:
    """Read one file into raw records (one, or one per JSONL/CSV record).

    The file's first MiB is checked first (the reader's ``head_check``): a file
    refused there (binary content in a .txt, no ``%PDF`` header in a .pdf) is a
    ``failed`` row at once, neither hashed nor read in full.
    """
    path, reader = task.path, task.find_reader()
    kind = reader.kind if reader is not None else file_kind(path)
    problem = unreadable_reason(path)
    if problem:
        return [RawRecord(path, kind, "failed", problem)]
    try:
        head = _head(path)
        if head and reader is not None and (refused := reader.check_head(head)):
            return [RawRecord(path, kind, "failed", _short(refused))]
        sha256, size = _sha256(path)
    except OSError as exc:
        return [RawRecord(path, kind, "failed", f"cannot read file: {exc.strerror or exc}")]
    base = RawRecord(path, kind, "ok", sha256=sha256, file_sha256=sha256)
    if size == 0:
        return [_with(base, status="empty", error="zero-byte file")]
    if reader is None:
        supported = " ".join(supported_suffixes())
        return [_with(base, status="failed",
                      error=f"unsupported file type {Path(path).suffix or '(no suffix)'!r} "
                            f"(supported: {supported})")]
    try:
        if reader.records:
            return _tabular(base, reader, task.options)
        return [_clean(_from_document(base, reader.load()(path, task.options)), task.options)]
    except ReaderError as exc:
        return [_with(base, status="failed", error=_short(exc.reason))]
    except MemoryError:  # the worker's address-space cap (io._pool), or the machine's
        from nqp_text.io._pool import memory_limit_reason

        return [_with(base, status="failed", error=memory_limit_reason())]
    except Exception as exc:  # a library bug on a malformed file must not stop the corpus
        return [_with(base, status="failed",
                      error=_short(f"unexpected {type(exc).__name__}: {exc}"))]


def warm_up() -> None:
    """Import every reader once, so a worker's first file is not charged for it."""
    import nqp_text.io.docx
    import nqp_text.io.tabular
    import nqp_text.io.text  # noqa: F401

    with contextlib.suppress(ImportError):  # a missing PDF reader is reported per file
        import nqp_text.io.pdf  # noqa: F401


def _tabular(base: RawRecord, reader: Reader, options: ReadOptions) -> list[RawRecord]:
    records, encoding = reader.load()(base.path, options)
    if not records:
        return [_with(base, status="empty", error="no records", meta={"encoding": encoding})]
    from nqp_text.preprocess.boilerplate import recurring_lines, recurring_trailers

    texts = [record.document.text for record in records if record.document.status == "ok"]
    recurring = recurring_lines(texts) | recurring_trailers(texts)
    out = []
    for record in records:
        raw = _clean(_from_document(base, record.document), options, recurring)
        raw.meta = {"encoding": encoding, **raw.meta}
        raw.row, raw.id, raw.title = record.row, record.id, record.title
        raw.field_year, raw.extra = record.year, record.extra
        raw.sha256 = hashlib.sha256(raw.text.encode("utf-8")).hexdigest() if raw.text else None
        out.append(raw)
    return out


def _from_document(base: RawRecord, document: ExtractedDocument) -> RawRecord:
    status, error = document.status, document.error
    if status == "ok" and not document.text.strip():
        status, error = "empty", error or "no text"
    meta = {key: value for key, value in document.meta.items() if key not in ("title", "year")}
    if status == "ok":
        meta.setdefault("paragraphs_from", "lines")
    return _with(base, status=status, error=_short(error) if error else None,
                 text=document.text if status == "ok" else "", tables=list(document.tables),
                 n_pages=document.n_pages, meta=meta,
                 ocr_spans=list(document.ocr_spans) if status == "ok" else [])


def _clean(raw: RawRecord, options: ReadOptions,
           recurring: frozenset[str] = frozenset()) -> RawRecord:
    """The record without its boilerplate lines; with ``keep_boilerplate``, only counted.

    The record's OCR spans move with the text
    (:func:`~nqp_text.preprocess.boilerplate.shift_spans`).
    """
    if raw.status != "ok":
        return raw
    from nqp_text.preprocess.boilerplate import (
        SHOWN_LINES,
        drop_lines,
        furniture_mask,
        shift_spans,
    )

    drop = furniture_mask(raw.text, recurring)
    text, removed = drop_lines(raw.text, drop)
    if options.keep_boilerplate:
        return _with(raw, meta={**raw.meta, "boilerplate_kept": len(removed)}) if removed else raw
    meta = {**raw.meta, "boilerplate_lines": len(removed),
            "boilerplate_removed": removed[:SHOWN_LINES]}
    if not text.strip():
        return _with(raw, status="empty", text="", meta=meta, ocr_spans=[],
                     error="no text left after removing boilerplate lines "
                           "(keep_boilerplate=True keeps them)")
    return _with(raw, text=text, meta=meta, ocr_spans=shift_spans(raw.text, drop, raw.ocr_spans))


def _with(base: RawRecord, **changes: Any) -> RawRecord:
    values = dict(base.__dict__)
    values.update(changes)
    return RawRecord(**values)


def unreadable_reason(path: str) -> str | None:
    """Why ``path`` cannot be read as a file (missing, a folder that cannot be listed,
    a FIFO...), without opening it; ``None`` for a regular file.

    Example:
        >>> unreadable_reason("/dev/null")
        'not a regular file (a device)'
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"broken symbolic link (points to {os.readlink(path)!r})"
        return "file not found (removed while reading?)"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return f"cannot read folder: {exc.strerror or exc}"
        return "a folder"
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "not a file")
        return f"not a regular file ({kind})"
    return None


def head_refusal(path: str) -> str | None:
    """Why the reader of ``path`` refuses it from its first MiB (binary content in a .txt,
    no ``%PDF`` header in a .pdf), else ``None`` (also when it cannot be read: the reader
    says why).

    Example:
        >>> head_refusal("corpora/sample/2024_report.txt") is None  # doctest: +SKIP
        True
    """
    reader = reader_for(path)
    if reader is None or unreadable_reason(path):  # a FIFO is never opened here
        return None
    try:
        head = _head(path)
    except OSError:
        return None
    refused = reader.check_head(head) if head else None
    return _short(refused) if refused else None


def _head(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD_BYTES)


def _sha256(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_ERROR else text[:_MAX_ERROR - 1] + "…"
