"""Deterministic, atomic output writers: identical tables give identical bytes.

* Parquet: pyarrow with fixed options (zstd level 3, dictionary encoding,
  statistics, no index). Row groups have a fixed number of rows, whatever the
  chunks a caller streams in, so the bytes do not depend on how many workers
  produced them. pyarrow records no timestamps in the file.
* CSV: UTF-8 with BOM (Excel opens it), ``\\n`` line ends, floats with
  ``%.10g`` so that last-bit noise never shows; a list cell is written as a
  Python list (``['下载', '打印']``) whether it holds a list, a tuple or the
  NumPy array a Parquet file gives back, so a re-run from the cache writes the
  same bytes as a fresh run.
* JSON: sorted keys, two-space indent, UTF-8, a final newline.

Every writer goes through :func:`nqp_text._atomic.atomic_path`. The module sits below
every layer (analysis, measures and viz write tables too);
:mod:`nqp_text.pipeline.outputs` re-exports it.

Example:
    >>> from nqp_text._tables import ParquetStream
    >>> with ParquetStream("out/tokens.parquet") as stream:  # doctest: +SKIP
    ...     for table in tables:
    ...         stream.write(table)
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nqp_text._atomic import atomic_path

ROW_GROUP_ROWS = 65536
FLOAT_FORMAT = "%.10g"
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
}


@functools.lru_cache(maxsize=1)
def writer_fingerprint() -> str:
    """What the bytes of a written table depend on besides the table: this module's code
    and the pandas and pyarrow versions (16 hex digits of their SHA-256).

    ``nqp-text run`` keys every output by it (:mod:`nqp_text.pipeline.records`), so a
    folder written by an older writer (another CSV quoting, float format, Parquet
    option) is rewritten by the next run instead of keeping its old bytes.

    Example:
        >>> len(writer_fingerprint())
        16
    """
    import hashlib

    versions = f"|pandas {pd.__version__}|pyarrow {pa.__version__}".encode()
    return hashlib.sha256(Path(__file__).read_bytes() + versions).hexdigest()[:16]


def to_arrow(frame: pd.DataFrame, schema: pa.Schema | None = None) -> pa.Table:
    """A pyarrow Table of ``frame`` without its index (optionally cast to ``schema``)."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    return table if schema is None else table.cast(schema)


def write_parquet(frame: pd.DataFrame | pa.Table, path: str | os.PathLike[str]) -> Path:
    """Write one table to ``path`` atomically and deterministically."""
    table = frame if isinstance(frame, pa.Table) else to_arrow(frame)
    with ParquetStream(path, schema=table.schema) as stream:
        stream.write(table)
    return Path(path)


class ParquetStream:
    """Append tables to one Parquet file, written atomically when the block exits.

    The schema is ``schema`` or that of the first table; later tables are cast
    to it. Rows are buffered and flushed in row groups of exactly
    ``row_group_rows`` rows (the last one shorter), so the file's bytes depend
    only on the rows, not on the chunking.
    """

    def __init__(self, path: str | os.PathLike[str], schema: pa.Schema | None = None,
                 row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.path = Path(path)
        self.schema = schema
        self.row_group_rows = row_group_rows
        self.rows = 0
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._stack = contextlib.ExitStack()
        self._writer: pq.ParquetWriter | None = None
        self._tmp: Path | None = None

    def __enter__(self) -> ParquetStream:
        self._tmp = self._stack.enter_context(atomic_path(self.path))
        return self

    def write(self, table: pa.Table | pd.DataFrame) -> None:
        """Append the rows of ``table``."""
        if isinstance(table, pd.DataFrame):
            table = to_arrow(table)
        if self.schema is None:
            self.schema = table.schema
        elif not table.schema.equals(self.schema, check_metadata=False):
            table = table.select(self.schema.names).cast(self.schema)
        table = table.replace_schema_metadata(self.schema.metadata)
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= self.row_group_rows:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self._buffer:
            return
        merged = pa.concat_tables(self._buffer)
        size = self.row_group_rows
        full = (merged.num_rows // size) * size
        cut = merged.num_rows if final else full
        if self._writer is None:
            self._writer = pq.ParquetWriter(str(self._tmp), self.schema, **_PARQUET_OPTIONS)
        for start in range(0, cut, size):
            self._writer.write_table(merged.slice(start, min(size, cut - start)),
                                     row_group_size=size)
        rest = merged.slice(cut)
        self._buffer = [rest] if rest.num_rows else []
        self._buffered = rest.num_rows

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            try:
                if self.schema is None:
                    raise ValueError(f"{self.path}: no table and no schema to write")
                self._flush(final=True)
                if self._writer is None:
                    self._writer = pq.ParquetWriter(str(self._tmp), self.schema,
                                                    **_PARQUET_OPTIONS)
                self._writer.close()
            except BaseException as error:
                # The temporary did not close cleanly (disk full, bad table): never rename it.
                self._stack.__exit__(type(error), error, error.__traceback__)
                raise
            self._stack.__exit__(None, None, None)
            return
        try:
            if self._writer is not None:
                self._writer.close()
        finally:
            self._stack.__exit__(exc_type, exc, tb)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(cell: object) -> object:
    """Prefix ``'`` to a text cell that a spreadsheet would run as a formula.

    OWASP's rule for CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return is opened by Excel as a formula (``=HYPERLINK(…)``). Text
    that merely looks like a negative number (``-3.5``) is left alone. Numbers are
    never text here, so numeric columns are untouched.

    Example:
        >>> neutralize_formula("=SUM(A1:A3)"), neutralize_formula("@cmd")
        ("'=SUM(A1:A3)", "'@cmd")
        >>> neutralize_formula("-3.5"), neutralize_formula("数据要素")
        ('-3.5', '数据要素')
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_STARTS):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def plain_cell(cell: object) -> object:
    """A list-like cell as the text of a Python list, any other cell unchanged.

    A table column of lists holds Python lists when it was computed and NumPy
    arrays when it was read back from Parquet (a cached re-run); pandas writes
    the two differently (``['a', 'b']`` against ``['a' 'b']``, and an array of
    over 1,000 items with ``...``). Written through this, both give the same CSV.

    Example:
        >>> import numpy as np
        >>> plain_cell(np.array(["下载", "打印"], dtype=object)), plain_cell(("a", 1))
        ("['下载', '打印']", "['a', 1]")
        >>> plain_cell("数据要素"), plain_cell(3)
        ('数据要素', 3)
    """
    if isinstance(cell, (list, tuple, np.ndarray)):
        return repr(_plain_items(cell))
    return cell


def _plain_items(cell: Any) -> Any:
    """Nested lists of Python scalars (``np.str_('a')`` → ``'a'``) from lists, tuples, arrays."""
    if isinstance(cell, np.ndarray):
        cell = cell.tolist()
    if isinstance(cell, (list, tuple)):
        return [_plain_items(item) for item in cell]
    return cell.item() if isinstance(cell, np.generic) else cell


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as CSV (UTF-8 with BOM, deterministic floats) atomically.

    Text cells that a spreadsheet would run as formulas are neutralised
    (:func:`neutralize_formula`); the Parquet twin of a table keeps the raw text.
    List cells are written as Python lists (:func:`plain_cell`).
    """
    text_columns = [name for name in frame.columns
                    if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])]
    if text_columns:
        frame = frame.copy()
        for name in text_columns:
            frame[name] = frame[name].map(lambda cell: neutralize_formula(plain_cell(cell)),
                                          na_action="ignore")
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT,
                     lineterminator="\n")
    return Path(path)


def dumps_json(value: Any) -> str:
    """JSON text with sorted keys and a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


def write_json(value: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``value`` as JSON (sorted keys, UTF-8) atomically.

    A file name that is not valid UTF-8 (surrogate-escaped by Python) is written as
    a JSON ``\\udcXX`` escape, which keeps the file valid UTF-8 and reads back as
    the same string.
    """
    with atomic_path(path) as tmp:
        tmp.write_text(dumps_json(value), encoding="utf-8", errors="backslashreplace")
    return Path(path)
