"""Readers by file suffix: the one table that says which function reads which format.

A reader is a function ``read(path, options)`` that returns an
:class:`~nqp_text.io._base.ExtractedDocument` (the cleaned text of one file,
paragraphs separated by ``"\\n"``) and raises
:class:`~nqp_text.io.errors.ReaderError` for a file it cannot read;
``options`` is the call's :class:`~nqp_text.io._extract.ReadOptions`
(``to_simplified``, ``pdf_engine``...). Everything else (the worker process
with its time and memory limits, hashing, ids, years, boilerplate, passages,
a ``failed`` row for a bad file) is the same for every format. Adding a format
is one module with its reader plus one line::

    register_reader(".html", "my_package.html_reader:read_html")

``read`` is the function itself or its ``"module:function"`` name (imported
on first use, so the reader's libraries load only when such a file is read).
Files are read in worker processes, so the function must be importable by
name: defined at the top level of a module. A reader registered in one
process is known to the workers of :func:`~nqp_text.read_corpus` (the task
carries it); for ``nqp-text`` commands, and any process that did not call
``register_reader``, a package declares it as an entry point in the group
``nqp_text.readers`` (name: the suffix, value: ``"module:function"``), which
every process loads on the first suffix not built in.

``head_check(head)`` (optional) receives the file's first MiB and returns why
the file cannot be one of this format (``None`` when it may be): a file refused
there is a ``failed`` row at once, neither hashed nor read in full (its
``doc_id`` comes from its path). The built-in text readers refuse binary
content there (NUL bytes, a known binary signature), the PDF reader a file
without ``%PDF`` in its first 1024 bytes (as PDF readers allow).

Example:
    >>> reader_for("a/2024年报告.PDF").kind, reader_for("notes.xlsx") is None
    ('pdf', True)
    >>> ".docx" in supported_suffixes()
    True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nqp_text._references import resolve_reference
from nqp_text.errors import OptionError

if TYPE_CHECKING:
    from nqp_text.io._base import ExtractedDocument
    from nqp_text.io._extract import ReadOptions

__all__ = ["Reader", "register_reader", "unregister_reader", "reader_for",
           "supported_suffixes", "ENTRY_POINT_GROUP", "HEAD_BYTES", "pdf_head_reason"]

#: Entry-point group through which installed packages add readers (name = suffix).
ENTRY_POINT_GROUP = "nqp_text.readers"
#: How much of a file ``head_check`` sees.
HEAD_BYTES = 1 << 20
_PDF_HEADER_WITHIN = 1024


@dataclass(frozen=True)
class Reader:
    """One registered format: its ``kind`` (the ``documents.source`` value) and functions.

    ``records=True`` marks a reader of one document per record (JSONL, CSV):
    it returns ``(records, encoding)``, see :func:`nqp_text.io.tabular.read_tabular`.
    """

    suffix: str
    kind: str
    read: str | Callable[..., Any]
    head_check: str | Callable[[bytes], str | None] | None = None
    records: bool = False

    def load(self) -> Callable[..., Any]:
        """The reading function (imported now when registered by name)."""
        return resolve_reference(self.read)

    def check_head(self, head: bytes) -> str | None:
        """Why a file starting with ``head`` is not of this format, else ``None``."""
        return None if self.head_check is None else resolve_reference(self.head_check)(head)


_READERS: dict[str, Reader] = {}
_entry_points_loaded = False


def register_reader(suffix: str, read: str | Callable[[str, ReadOptions], ExtractedDocument],
                    *, kind: str | None = None,
                    head_check: str | Callable[[bytes], str | None] | None = None,
                    replace: bool = False, records: bool = False) -> Reader:
    """Read files ending in ``suffix`` (any case) with ``read(path, options)``.

    ``kind`` is the ``documents.source`` value (default: the suffix without its
    dot). ``ValueError`` when the suffix already has a reader, unless
    ``replace=True``, or when it does not start with a dot.

    Example:
        >>> def read_html(path, options): ...
        >>> register_reader(".html", read_html).kind
        'html'
        >>> unregister_reader(".html")
    """
    suffix = suffix.lower()
    if not suffix.startswith(".") or len(suffix) < 2 or os.sep in suffix:
        raise OptionError(f"a reader's suffix starts with a dot, e.g. '.html'; got {suffix!r}")
    if suffix in _READERS and not replace:
        raise OptionError(f"{suffix} files already have a reader ({_READERS[suffix].read!r}); "
                         "pass replace=True to replace it")
    reader = Reader(suffix, kind or suffix[1:], read, head_check, records)
    _READERS[suffix] = reader
    return reader


def unregister_reader(suffix: str) -> None:
    """Forget the reader of ``suffix`` (``KeyError`` when it has none)."""
    del _READERS[suffix.lower()]


def reader_for(path: str | os.PathLike[str]) -> Reader | None:
    """The reader of ``path`` by its suffix (any case), ``None`` when none is registered."""
    suffix = Path(path).suffix.lower()
    if suffix not in _READERS:
        _load_entry_points()
    return _READERS.get(suffix)


def supported_suffixes() -> tuple[str, ...]:
    """Every suffix with a reader, sorted (built-in, registered and from entry points)."""
    _load_entry_points()
    return tuple(sorted(_READERS))


def pdf_head_reason(head: bytes) -> str | None:
    """A file is refused as a PDF when ``%PDF`` is not within its first 1024 bytes.

    Example:
        >>> pdf_head_reason(b"%PDF-1.7 ..."), pdf_head_reason(b"<html>")
        (None, 'corrupt or not a PDF: no %PDF header in its first 1024 bytes')
    """
    if b"%PDF" in head[:_PDF_HEADER_WITHIN]:
        return None
    return f"corrupt or not a PDF: no %PDF header in its first {_PDF_HEADER_WITHIN} bytes"



def _load_entry_points() -> None:
    """Add the readers installed packages declare (once per process; built-ins win)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name.lower() not in _READERS:
            register_reader(point.name, point.value)


def _read_text(path: str, options: ReadOptions) -> ExtractedDocument:
    from nqp_text.io.text import read_text

    return read_text(path, to_simplified=options.to_simplified)


def _read_docx(path: str, options: ReadOptions) -> ExtractedDocument:
    from nqp_text.io.docx import read_docx

    return read_docx(path, to_simplified=options.to_simplified)


def _read_pdf(path: str, options: ReadOptions) -> ExtractedDocument:
    from nqp_text.io.pdf import read_pdf

    return read_pdf(path, to_simplified=options.to_simplified, engine=options.pdf_engine,
                    ocr=options.ocr)


def _read_records(path: str, options: ReadOptions) -> tuple[list[Any], str]:
    from nqp_text.io.tabular import read_tabular

    return read_tabular(path, text_field=options.text_field, year_field=options.year_field,
                        title_field=options.title_field, id_field=options.id_field,
                        to_simplified=options.to_simplified)


_BINARY = "nqp_text.io.text:binary_head_reason"
for _suffix, _kind in ((".txt", "txt"), (".text", "txt"), (".md", "md"), (".markdown", "md")):
    register_reader(_suffix, _read_text, kind=_kind, head_check=_BINARY)
register_reader(".pdf", _read_pdf, head_check=pdf_head_reason)
register_reader(".docx", _read_docx)
for _suffix, _kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"),
                       (".tsv", "tsv")):
    register_reader(_suffix, _read_records, kind=_kind,
                    head_check="nqp_text.io.text:records_head_reason", records=True)
