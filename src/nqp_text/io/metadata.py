"""A researcher's metadata CSV: year, title and any other columns per document.

The CSV has a header and one key column: ``doc_id`` (matches ``documents.doc_id``)
or ``file`` (also accepted: ``filename``, ``file_name``, ``path``), which matches
a file's name (``2024年报告.pdf``) or, when it contains ``/``, the end of its
path (``gov/2024年报告.pdf``). A ``year`` column overrides every other year
source, a ``title`` column the title; every other column is added to
``documents`` as text (no type guessing: ``000001`` stays ``000001``). Records
of JSONL/CSV corpora are matched by ``doc_id`` only. The file may be UTF-8 (with
or without BOM, as Excel writes "CSV UTF-8") or GB18030/GBK (Excel's plain CSV
on a Chinese system).

Example:
    >>> meta = Metadata.load("meta.csv")  # doctest: +SKIP
    >>> meta.lookup("3f2a9c0d1b4e5f6a", "pdfs/2024年报告.pdf", is_record=False)  # doctest: +SKIP
    {'year': 2024, 'region': '江苏'}
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from nqp_text.errors import InputError
from nqp_text.io.errors import ReaderError
from nqp_text.io.tabular import parse_year
from nqp_text.io.text import decode_bytes

__all__ = ["Metadata", "KEY_COLUMNS", "RESERVED_COLUMNS"]

#: Accepted names of the file-name key column (``doc_id`` is the other key).
KEY_COLUMNS = ("file", "filename", "file_name", "path")
#: ``documents`` columns a metadata CSV may not set (``title``/``year`` it may).
RESERVED_COLUMNS = ("doc_id", "path", "source", "status", "error", "n_pages", "n_chars",
                    "sha256", "row", "year_source", "duplicate_of", "encoding")


@dataclass
class Metadata:
    """Parsed metadata rows, indexed by doc id and by file name / path suffix."""

    path: str
    columns: list[str]
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_file: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: file name -> the ``by_file`` keys with a folder that end in it (lookups stay
    #: proportional to the rows for that name, not to the whole file)
    path_keys: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Metadata:
        """Read and check a metadata CSV; ``ValueError`` names the file and the problem."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read metadata file: {exc.strerror or exc}",
                             path=path) from exc
        try:
            text, _ = decode_bytes(data, path)
        except ReaderError as exc:
            raise ReaderError(path, f"{exc.reason}; --metadata takes a CSV file (from Excel: "
                                    "Save As, CSV UTF-8)") from exc
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            raise InputError(f"{path}: the metadata file is empty", path=path)
        header = [name.strip() for name in rows[0]]
        key = next((name for name in ("doc_id", *KEY_COLUMNS) if name in header), None)
        if key is None:
            raise InputError(f"{path}: needs a 'doc_id' or 'file' column; found {header}",
                             path=path)
        clashes = [name for name in header
                   if name in RESERVED_COLUMNS and name != key and name != "doc_id"]
        if clashes:
            raise InputError(f"{path}: column(s) {clashes} would overwrite documents columns",
                             path=path)
        columns = [name for name in header if name not in ("doc_id", *KEY_COLUMNS)]
        meta = cls(str(path), columns)
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            meta._add(number, key, values)
        return meta

    def _add(self, line: int, key: str, values: dict[str, str]) -> None:
        record: dict[str, Any] = {name: values.get(name) or None for name in self.columns}
        if "year" in record and record["year"] is not None:
            year = parse_year(record["year"])
            if year is None:
                raise InputError(f"{self.path}: line {line}: year {record['year']!r} is not a year",
                                 path=self.path)
            record["year"] = year
        ident = values.get(key) or ""
        if not ident:
            raise InputError(f"{self.path}: line {line}: empty {key!r}", path=self.path)
        index = self.by_id if key == "doc_id" else self.by_file
        ident = ident if key == "doc_id" else PurePath(ident.replace("\\", "/")).as_posix()
        if ident in index:
            raise InputError(f"{self.path}: line {line}: {ident!r} appears twice", path=self.path)
        index[ident] = record
        if index is self.by_file and "/" in ident:
            self.path_keys.setdefault(PurePath(ident).name, []).append(ident)

    def lookup(self, doc_id: str, path: str, *, is_record: bool) -> dict[str, Any] | None:
        """The metadata row for a document, or ``None``.

        The most specific row wins: the longest path suffix (``a/年报.pdf``) before
        the bare file name (``年报.pdf``), whatever their order in the file.
        """
        found = self.by_id.get(doc_id)
        if found is not None or is_record or not self.by_file:
            return found
        posix = PurePath(path.replace("\\", "/")).as_posix()
        suffix = self._path_row(posix)
        if suffix is not None:
            return self.by_file[suffix]
        return self.by_file.get(PurePath(posix).name)

    def _path_row(self, posix: str) -> str | None:
        """The longest key with a ``/`` that ``posix`` ends with, or ``None``."""
        matches = [ident for ident in self.path_keys.get(PurePath(posix).name, ())
                   if posix == ident or posix.endswith("/" + ident)]
        return max(matches, key=len) if matches else None

    def check_unambiguous(self, documents: Any) -> None:
        """Raise ``InputError`` when a row keyed by a bare file name matches files of different
        content in two or more folders (``a/年报.pdf``, ``b/年报.pdf``): the row's year and
        firm would be given to every one of them. The message names the files and says to
        key the rows by path. ``documents``: a ``documents`` table (``path``, ``row``,
        ``sha256``)."""
        if not self.by_file or not len(documents):
            return
        files = documents[documents["row"].isna()] if "row" in documents.columns else documents
        hashes = files["sha256"] if "sha256" in files.columns else files["path"]
        found: dict[str, dict[str, Any]] = {}
        for path, digest in zip(files["path"].astype(str), hashes, strict=True):
            posix = PurePath(path.replace("\\", "/")).as_posix()
            name = PurePath(posix).name
            if name in self.by_file and self._path_row(posix) is None:
                found.setdefault(name, {})[path] = digest
        for name, matched in found.items():
            if len(matched) > 1 and len(set(map(str, matched.values()))) > 1:
                shown = ", ".join(sorted(matched))
                raise InputError(
                    f"{self.path}: the row for {name!r} matches {len(matched)} different files "
                    f"({shown}): its values would be given to each; key the rows by the end of "
                    f"the path instead (a 'file' value with a folder, such as "
                    f"{PurePath(sorted(matched)[0]).parent.name}/{name})", path=self.path)
