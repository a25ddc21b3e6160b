"""Rows of the package's validated TSV data files (lexicon, guards, keyword rules).

Every such file has a fixed header and one rule per line; an error must name the
file and the line so that whoever edits the data can find it. This module reads
the lines, checks the header and the number of fields, and leaves the meaning of
each field to its loader.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rules.tsv"
    >>> _ = path.write_text("term\\tnote\\n数据要素\\tattested\\n\\n", encoding="utf-8")
    >>> [(lineno, fields) for lineno, _, fields in tsv_rows(path, ("term", "note"), "rules")]
    [(2, ['数据要素', 'attested'])]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nqp_text.errors import InputError, MissingInputError

__all__ = ["tsv_rows"]


def tsv_rows(path: Path, columns: tuple[str, ...],
             kind: str) -> Iterator[tuple[int, str, list[str]]]:
    """``(line number, "file:line", fields)`` of each non-blank line after the header.

    Raises :class:`~nqp_text.errors.MissingInputError` when the file is missing
    (``kind`` names it: "lexicon file not found") and
    :class:`~nqp_text.errors.InputError` for a header other than ``columns`` or a
    line with another number of tab-separated fields, naming the file and line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise MissingInputError(f"{path}: {kind} file not found", path=path) from None
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise InputError(f"{path}: header must be {chr(9).join(columns)!r}", path=path)
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise InputError(f"{where}: expected {len(columns)} tab-separated fields, "
                             f"got {len(fields)}")
        yield lineno, where, fields
