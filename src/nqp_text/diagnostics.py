"""Nothing silent: what went wrong, said on stderr, in the manifest and in the report.

A :class:`Diagnostic` is one thing the user must know: a file that could not
be read, a stage that failed, an output that was not made, an empty table, a
field that matches nothing, a result that would mislead. It has a ``kind``
(a short id such as ``failed``, ``field_unmatched``, ``missing_years``), the
``stage`` it comes from, a ``message`` (one sentence that says what to do),
the ``files`` it concerns and a ``severity``:

* ``"warning"``: the results exist but may mislead, or some inputs were bad;
  exit code 0 (3 with ``--strict``);
* ``"error"``: an output the user asked for was not made (no report without a
  CJK font, no topics, no input files); exit code 1.

Where they go: every ``nqp-text`` command prints them on stderr when it ends
(:func:`format_lines`); ``nqp-text run`` also writes them to
``manifest.json`` (``"warnings"``) and to a section at the top of
``report.html``. Exit codes (:meth:`Diagnostics.exit_code`): 0 fine, 1 an
output was not made, 2 usage error, 3 warnings under ``--strict``; a command
that stops on an error exits 4 (input), 5 (output) or 70 (internal error, a
bug), see :mod:`nqp_text.cli.errors`.

How to add a warning (other stages plug in here)
------------------------------------------------
* Library code, anywhere on the client: ``diagnostics.warn(kind, message,
  stage=..., files=[...])``. Inside :func:`collect` (every command and
  ``run_pipeline``) it is recorded; outside, it is an ordinary Python warning
  of class :class:`NqpWarning`, so API users see it and can filter it.
  Existing ``warnings.warn`` calls in nqp_text are collected too (kind
  ``python``).
* Code running in worker processes (per-file ingest, per-document stages)
  cannot reach the client's collector: append a sentence to the document's
  ``warnings`` list (the ``documents`` column PDF warnings already use);
  :func:`document_diagnostics` turns every such sentence, and every document
  that is not ``ok``, into a Diagnostic naming the file.
* The pipeline, with the :class:`Diagnostics` of the run at hand:
  ``state.diagnostics.add(...)``.

Example:
    >>> with collect() as found:
    ...     _ = warn("empty_table", "no document has a year", stage="trends")
    >>> [d.kind for d in found]
    ['empty_table']
    >>> found.exit_code(strict=False), found.exit_code(strict=True)
    (0, 3)
"""

from __future__ import annotations

import contextlib
import difflib
import os
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

__all__ = ["Diagnostic", "Diagnostics", "NqpWarning", "warn", "collect", "active",
           "document_diagnostics", "format_lines", "similar_names", "EXIT_OK",
           "EXIT_MISSING_OUTPUT", "EXIT_USAGE", "EXIT_STRICT", "EXIT_INPUT", "EXIT_OUTPUT",
           "EXIT_INTERNAL"]

EXIT_OK = 0
#: An output the user asked for was not made.
EXIT_MISSING_OUTPUT = 1
#: A usage error (argparse's own code).
EXIT_USAGE = 2
#: ``--strict`` and at least one warning.
EXIT_STRICT = 3
#: An input (a file named by the command, its records, a model) cannot be used.
EXIT_INPUT = 4
#: An output cannot be written (disk full, no permission, read-only file system).
EXIT_OUTPUT = 5
#: An internal error: a bug in nqp_text (``EX_SOFTWARE`` of ``sysexits.h``).
EXIT_INTERNAL = 70
SEVERITIES = ("warning", "error")
#: Document statuses that are not ``ok`` (each becomes a Diagnostic of that kind).
BAD_STATUSES = ("failed", "empty", "no_text_layer")
#: Stages in pipeline order (warnings are listed in this order; unknown stages last).
STAGE_ORDER = ("input", "ingest", "segment", "count", "classify", "write", "trends",
               "topics", "report_tables", "report")
_MAX_FILES_LISTED = 5


class NqpWarning(UserWarning):
    """A :class:`Diagnostic` raised as a Python warning (outside :func:`collect`).

    Also made from its message alone (``NqpWarning("...")``), as tools that carry
    warnings between processes rebuild them from ``args`` (pytest-xdist does):
    the diagnostic is then of kind ``warning`` at stage ``input``.
    """

    def __init__(self, diagnostic: Diagnostic | str) -> None:
        if isinstance(diagnostic, str):
            diagnostic = Diagnostic("warning", "input", diagnostic)
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Diagnostic:
    """One warning or error: ``kind``, ``stage``, ``message``, ``files``, ``severity``."""

    kind: str
    stage: str
    message: str
    files: tuple[str, ...] = ()
    severity: str = "warning"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {self.severity!r}")

    def as_dict(self) -> dict[str, Any]:
        """The manifest's record (JSON-ready)."""
        return {"severity": self.severity, "stage": self.stage, "kind": self.kind,
                "message": self.message, "files": list(self.files)}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Diagnostic:
        return cls(str(record["kind"]), str(record["stage"]), str(record["message"]),
                   tuple(str(f) for f in record.get("files") or ()),
                   str(record.get("severity", "warning")))

    def line(self) -> str:
        """One stderr line: ``failed: a.pdf: not a PDF``, ``warning: …``, ``error: …``."""
        prefix = self.kind if self.kind in BAD_STATUSES else self.severity
        if len(self.files) == 1:
            return f"{prefix}: {self.files[0]}: {self.message}"
        if self.files:
            shown = ", ".join(self.files[:_MAX_FILES_LISTED])
            more = (f" and {len(self.files) - _MAX_FILES_LISTED} more"
                    if len(self.files) > _MAX_FILES_LISTED else "")
            return f"{prefix}: {self.message} ({shown}{more})"
        return f"{prefix}: {self.message}"


@dataclass(eq=False)
class Diagnostics:
    """The diagnostics of one run or command, in the order they were found."""

    items: list[Diagnostic] = field(default_factory=list)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def add(self, kind: str, message: str, *, stage: str, files: Iterable[str] = (),
            severity: str = "warning") -> Diagnostic:
        """Record one diagnostic (an identical one is kept once) and return it."""
        diagnostic = Diagnostic(kind, stage, message, tuple(str(f) for f in files), severity)
        self.extend([diagnostic])
        return diagnostic

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        with _LOCK:
            for diagnostic in diagnostics:
                if diagnostic not in self.items:
                    self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def ordered(self) -> list[Diagnostic]:
        """Sorted by stage (pipeline order), then kind and message: the same on every run,
        whatever order threads and workers found them in."""
        def key(d: Diagnostic) -> tuple[int, str, str, tuple[str, ...]]:
            rank = STAGE_ORDER.index(d.stage) if d.stage in STAGE_ORDER else len(STAGE_ORDER)
            return rank, d.kind, d.message, d.files
        return sorted(self.items, key=key)

    def records(self) -> list[dict[str, Any]]:
        """The manifest's ``"warnings"`` list (ordered)."""
        return [d.as_dict() for d in self.ordered()]

    def exit_code(self, strict: bool = False) -> int:
        """1 when an output is missing; 3 under ``strict`` with any warning; else 0."""
        if self.errors:
            return EXIT_MISSING_OUTPUT
        if strict and self.items:
            return EXIT_STRICT
        return EXIT_OK


_LOCK = threading.RLock()
_ACTIVE: list[Diagnostics] = []


def active() -> Diagnostics | None:
    """The innermost collector of :func:`collect`, or ``None``."""
    with _LOCK:
        return _ACTIVE[-1] if _ACTIVE else None


def warn(kind: str, message: str, *, stage: str, files: Iterable[str] = (),
         severity: str = "warning", stacklevel: int = 2) -> Diagnostic:
    """Say one thing the user must know: recorded inside :func:`collect`, else a Python warning.

    Example:
        >>> with collect() as found:
        ...     _ = warn("field_unmatched", "year field 'yr' matches no record", stage="ingest")
        >>> found.items[0].message
        "year field 'yr' matches no record"
    """
    diagnostic = Diagnostic(kind, stage, message, tuple(str(f) for f in files), severity)
    collector = active()
    if collector is not None:
        collector.extend([diagnostic])
    else:
        warnings.warn(NqpWarning(diagnostic), stacklevel=stacklevel)
    return diagnostic


@contextlib.contextmanager
def collect(stage: str = "python", propagate: bool = True) -> Iterator[Diagnostics]:
    """Record every diagnostic (and nqp_text's Python warnings) raised inside the block.

    Collectors nest: what an inner one records is also recorded by the outer
    one when the inner block ends (``run_pipeline`` inside ``nqp-text run``),
    unless ``propagate=False`` (the caller filters them and re-warns some).
    Python warnings of other libraries are shown as usual after the block.
    ``stage`` names the stage of collected Python warnings.
    """
    found = Diagnostics()
    with _LOCK:
        _ACTIVE.append(found)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            yield found
    finally:
        with _LOCK:
            _ACTIVE.remove(found)
        others = []
        for item in caught:
            if isinstance(item.message, NqpWarning):
                found.extend([item.message.diagnostic])
            elif _from_nqp_text(item.filename) and isinstance(item.message, UserWarning):
                found.add("python", str(item.message), stage=stage)
            else:
                others.append(item)
        for item in others:
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)
        parent = active()
        if parent is not None and propagate:
            parent.extend(found)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _from_nqp_text(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_PACKAGE_DIR)


def document_diagnostics(documents: Any, stage: str = "ingest") -> list[Diagnostic]:
    """A Diagnostic for every document that is not ``ok`` and every sentence of its ``warnings``.

    Files are named ``path`` (``path#row`` for a JSONL/CSV record), as
    ``nqp-text ingest`` always listed them.
    """
    import pandas as pd

    found: list[Diagnostic] = []
    has_row = "row" in documents.columns
    has_warnings = "warnings" in documents.columns
    for index in range(len(documents)):
        row = documents.iloc[index]
        where = str(row["path"])
        if has_row and not pd.isna(row["row"]):
            where = f"{where}#{int(row['row'])}"
        status = str(row["status"])
        if status != "ok":
            error = row.get("error")
            found.append(Diagnostic(status, stage, "" if error is None or pd.isna(error)
                                    else str(error), (where,)))
        sentences = row["warnings"] if has_warnings else None
        if sentences is not None and not isinstance(sentences, str) \
                and hasattr(sentences, "__len__"):
            found.extend(Diagnostic("document", stage, str(text), (where,))
                         for text in sentences)
    return found


def format_lines(diagnostics: Iterable[Diagnostic], limit: int = 20,
                 see: str = "documents.parquet (status, error, warnings)") -> list[str]:
    """The stderr lines: at most ``limit``, errors and per-run warnings before per-file ones."""
    items = list(diagnostics)
    per_file = [d for d in items if d.kind in BAD_STATUSES or d.kind == "document"]
    general = [d for d in items if d not in per_file]
    errors = [d for d in general if d.severity == "error"]
    ordered = errors + [d for d in general if d.severity != "error"] + per_file
    lines = [d.line() for d in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"... and {len(ordered) - limit} more (see {see})")
    return lines


def print_diagnostics(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None,
                      limit: int = 20, see: str = "documents.parquet (status, error, warnings)"
                      ) -> None:
    """Print :func:`format_lines` to ``stream`` (stderr)."""
    import sys

    stream = stream or sys.stderr
    for line in format_lines(diagnostics, limit, see):
        print(line, file=stream)


def similar_names(name: str, candidates: Sequence[str], default: str | None = None
                  ) -> list[str]:
    """Names in ``candidates`` the user may have meant by ``name`` (``default`` first when present).

    Example:
        >>> similar_names("yr", ["title", "year", "content"], default="year")
        ['year']
        >>> similar_names("contnet", ["title", "year", "content"])
        ['content']
    """
    found = [default] if default is not None and default in candidates else []
    lowered = {candidate.lower(): candidate for candidate in candidates}
    for match in difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.5):
        if lowered[match] not in found:
            found.append(lowered[match])
    return found
