"""JSONL and CSV/TSV reader: one document per record, a bad record is a failed row.

Each record (a JSON object on one line of a .jsonl/.ndjson file, or a data row
of a .csv/.tsv file with a header) becomes one :class:`TabularRecord`. Fields:

``text_field``
    the body text (a string, or a list of strings taken as paragraphs): a field
    name, or several (a list, or one string with commas: ``"full_text,text"``),
    of which each record uses the first it has, so one option serves files
    that name the field differently; default ``"text"``, else ``"content"``,
    else ``"full_text"``. The text is split into paragraphs like a
    plain-text file (blank lines separate paragraphs, wraps are joined).
``year_field`` / ``title_field`` / ``id_field``
    default ``"year"`` / ``"title"`` / ``"id"`` when the record has them. A
    year is an integer or a string starting with four digits (``"2024"``,
    ``"2024年"``, ``"2024-03-05"``); anything else is a missing year.

Every other scalar field is kept in :attr:`TabularRecord.extra` (it becomes a
``documents`` column).

One bad record costs one row: each record is decoded and checked on its own,
and a record that is not valid JSON, not an object, nested too deeply for the
parser, holds bytes that are not UTF-8 (in a file whose other lines are),
a lone surrogate (``"\\ud800"``) in a field name or text value, a number that
no table column can hold (an integer beyond 64 bits or of thousands of
digits, a float such as ``1e400`` that overflows), lacks the text field, has a
text field that is not text, or has more CSV cells than the header has names,
is returned with ``status="failed"`` and an ``error`` naming the line (and the
field) and the reason; the other records are read exactly as without it.
``row`` is the 1-based line number in a JSONL file and the 1-based data-row
number (header not counted) in a CSV file. The file is decoded like a text
file (UTF-8 with or without BOM, GB18030, Big5, UTF-16), since spreadsheet
programs write CSV in the local code page.

Example:
    >>> records = read_tabular("reports.jsonl", text_field="content")  # doctest: +SKIP
    >>> records[0].row, records[0].year, records[0].document.status  # doctest: +SKIP
    (1, 2025, 'ok')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nqp_text.errors import OptionError
from nqp_text.io._base import ExtractedDocument
from nqp_text.io.errors import ReaderError
from nqp_text.io.text import (
    bad_bytes_reason,
    decode_bytes,
    read_checked_bytes,
    text_document,
    undecodable_at,
)

__all__ = ["TabularRecord", "read_tabular", "parse_year", "text_field_names", "TABULAR_SUFFIXES"]

#: File suffixes read as one document per record, with their kind.
TABULAR_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
#: The text fields looked for when ``text_field`` is not given, in this order.
DEFAULT_TEXT_FIELDS = ("text", "content", "full_text")
_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")
#: ``2019/2020``, ``2019-2020``, ``2019至2020``: a span of years, not one year.
_YEAR_SPAN = re.compile(r"^\s*\d{4}\s*[-/~～—–至到]\s*\d{4}(?!\d)")


@dataclass
class TabularRecord:
    """One record of a JSONL/CSV file: its document and the fields read from it."""

    row: int
    document: ExtractedDocument
    id: str | None = None
    title: str | None = None
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_tabular(path: str | os.PathLike[str], *,
                 text_field: str | list[str] | tuple[str, ...] | None = None,
                 year_field: str | None = None, title_field: str | None = None,
                 id_field: str | None = None, to_simplified: bool = False
                 ) -> tuple[list[TabularRecord], str]:
    """Read every record of a JSONL or CSV/TSV file; return ``(records, encoding)``.

    Raises :class:`~nqp_text.io.errors.ReaderError` only when the file as a
    whole cannot be read (unreadable, binary, or a CSV without the text column).

    Example:
        >>> records, encoding = read_tabular("data.csv", text_field="正文")  # doctest: +SKIP
    """
    path = Path(path)
    kind = TABULAR_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReaderError(path, f"not a JSONL/CSV/TSV file (suffix {path.suffix!r})")
    text, encoding = decode_bytes(read_checked_bytes(path, records=True), path, bad_lines=True)
    fields = _Fields(text_field_names(text_field), year_field, title_field, id_field)
    rows = _jsonl_rows(text) if kind == "jsonl" else _csv_rows(text, kind, path, fields)
    records = [_record(row, values, fields, to_simplified) for row, values in rows]
    return records, encoding


def parse_year(value: Any) -> int | None:
    """A year from a field value, or ``None`` when it is not a year.

    A span of years (``2019/2020``) is not a year: which one the document belongs
    to is the user's choice, so it is left undated (and named in a warning)
    rather than silently given the first.

    Example:
        >>> parse_year("2024年"), parse_year(1954), parse_year("n/a"), parse_year(None)
        (2024, 1954, None, None)
        >>> parse_year("2023-12-31"), parse_year("2019/2020")
        (2023, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    if _YEAR_SPAN.match(str(value)):
        return None
    match = _YEAR.match(str(value))
    return int(match.group(1)) if match and 1000 <= int(match.group(1)) <= 2999 else None


def text_field_names(text_field: str | list[str] | tuple[str, ...] | None
                     ) -> tuple[str, ...] | None:
    """The text field option as a tuple of names (``None``: the defaults).

    Example:
        >>> text_field_names("full_text, text"), text_field_names(None)
        (('full_text', 'text'), None)
    """
    if text_field is None:
        return None
    names = text_field.split(",") if isinstance(text_field, str) else list(text_field)
    names = [str(name).strip() for name in names if str(name).strip()]
    if not names:
        raise OptionError(f"text_field names no field: {text_field!r}")
    return tuple(names)


@dataclass(frozen=True)
class _Fields:
    text: tuple[str, ...] | None
    year: str | None
    title: str | None
    id: str | None

    def text_name(self, values: dict[str, Any]) -> str:
        names = self.text or DEFAULT_TEXT_FIELDS
        return next((name for name in names if name in values), names[0])

    def text_names(self) -> str:
        return " / ".join(repr(name) for name in self.text or DEFAULT_TEXT_FIELDS)


_Row = tuple[int, "dict[str, Any] | str"]


def _jsonl_rows(text: str) -> Iterator[_Row]:
    undecodable = undecodable_at(text) is not None  # one scan; then only per line if any
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        yield number, _json_record(line, f"line {number}", undecodable)


def _json_record(line: str, where: str, undecodable: bool = True) -> dict[str, Any] | str:
    """One JSONL line as a record, or the reason it cannot be one (``"line 3: ..."``)."""
    bad_bytes = undecodable_at(line) if undecodable else None
    if bad_bytes:
        return f"{where}: {bad_bytes_reason(bad_bytes)}"
    try:
        value = json.loads(line, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        return f"{where}: invalid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return f"{where}: JSON nested too deeply to read"
    if not isinstance(value, dict):
        return f"{where}: a JSON {type(value).__name__}, not an object"
    surrogates = "\\u" in line and _SURROGATE_ESCAPE.search(line) is not None
    problem = _unstorable(value, surrogates)
    return f"{where}: {problem}" if problem else value


class _Unstorable:
    """A JSON number that no table column holds exactly (kept as its literal, for the reason)."""

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def reason(self, name: str) -> str:
        shown = self.literal if len(self.literal) <= 24 else (
            f"{self.literal[:12]}…({len(self.literal)} characters)")
        return f"field {name!r}: the number {shown} is out of range"


_INT64 = (-(2**63), 2**63 - 1)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # a \uD800-\uDFFF escape
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _parse_int(literal: str) -> int | _Unstorable:
    if len(literal) > 20:  # also under Python's 4300-digit limit for int()
        return _Unstorable(literal)
    value = int(literal)
    return value if _INT64[0] <= value <= _INT64[1] else _Unstorable(literal)


def _parse_float(literal: str) -> float | _Unstorable:
    value = float(literal)
    return _Unstorable(literal) if math.isinf(value) else value


def _unstorable(values: dict[str, Any], surrogates: bool) -> str | None:
    """Why a record cannot become a ``documents`` row (a number out of range; with
    ``surrogates``, a field name or text value that is not valid Unicode), else ``None``."""
    for name, value in values.items():
        if surrogates and _SURROGATE.search(name):
            return f"the field name {name!r} holds a lone surrogate, not valid Unicode"
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, _Unstorable):
                return item.reason(name)
            if surrogates and isinstance(item, str) and _SURROGATE.search(item):
                return (f"field {name!r} holds a lone surrogate "
                        f"({_SURROGATE.search(item).group()!r}), not valid Unicode")
    return None


def _csv_rows(text: str, kind: str, path: Path, fields: _Fields) -> Iterator[_Row]:
    with _large_csv_fields():
        reader = csv.reader(io.StringIO(text, newline=""),
                            delimiter="\t" if kind == "tsv" else ",")
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(path, f"unreadable CSV header: {exc}") from exc
        if any(undecodable_at(name) for name in header):
            raise ReaderError(path, "the header row is not valid UTF-8")
        wanted = fields.text_name(dict.fromkeys(header))
        if wanted not in header:
            raise ReaderError(path, f"no text column {fields.text_names()} "
                                    f"(columns: {', '.join(header)}); name the text column "
                                    "with --text-field (text_field=)")
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield number, f"row {number} (line {reader.line_num}): malformed CSV: {exc}"
                continue
            if not any(cell.strip() for cell in cells):
                number -= 1
                continue
            undecodable = next(filter(None, map(undecodable_at, cells)), None)
            if undecodable:
                yield number, (f"row {number} (line {reader.line_num}): "
                               f"{bad_bytes_reason(undecodable + ' of its cell')}")
                continue
            if len(cells) > len(header):
                yield number, (f"row {number} (line {reader.line_num}): {len(cells)} cells but "
                               f"{len(header)} columns (an unquoted delimiter in the text?)")
                continue
            yield number, {name: (cell if cell.strip() else None)
                           for name, cell in zip(header, cells, strict=False)}


def _record(row: int, values: dict[str, Any] | str, fields: _Fields,
            to_simplified: bool) -> TabularRecord:
    if isinstance(values, str):
        return TabularRecord(row, ExtractedDocument("", status="failed", error=values))
    text_name = fields.text_name(values)
    consumed = {text_name}
    found: dict[str, Any] = {}
    for key, name in (("year", fields.year), ("title", fields.title), ("id", fields.id)):
        name = name if name is not None else key
        consumed.add(name)
        found[key] = values.get(name)
    extra = {name: value for name, value in values.items()
             if name not in consumed and _is_scalar(value)}
    record = TabularRecord(
        row, ExtractedDocument(""), id=_clean_str(found["id"]), title=_clean_str(found["title"]),
        year=parse_year(found["year"]), extra=extra,
    )
    body = values.get(text_name)
    if text_name not in values:
        record.document = _failed(f"row {row}: no field {fields.text_names()}")
    elif isinstance(body, list) and all(isinstance(item, str) for item in body):
        record.document = text_document("\n\n".join(body), to_simplified=to_simplified)
    elif body is None or isinstance(body, str):
        record.document = text_document(body or "", to_simplified=to_simplified)
        if record.document.status == "empty":
            record.document.error = f"field {text_name!r} is empty"
    else:
        record.document = _failed(f"row {row}: field {text_name!r} is not text "
                                  f"({type(body).__name__})")
    if record.year is None and found["year"] is not None and str(found["year"]).strip():
        name = fields.year if fields.year is not None else "year"
        record.document.meta["warnings"] = [
            *(record.document.meta.get("warnings") or []),
            f"field {name!r} holds {found['year']!r}, which is not a year (2023, '2023年', "
            "'2023-03-05' are): the record has no year and is left out of every by-year "
            "table unless --metadata gives it one"]
    return record


def _failed(reason: str) -> ExtractedDocument:
    return ExtractedDocument("", status="failed", error=reason)


def _clean_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


@contextlib.contextmanager
def _large_csv_fields() -> Iterator[None]:
    """Let a CSV cell hold a whole report (the csv module's default cap is 128 KiB)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)
