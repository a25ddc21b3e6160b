"""Grouping documents by one or several columns, and the metadata a group carries.

Every ``by=`` of the analysis functions goes through :func:`group_documents`:

* ``by=None`` — one group ``"all"``;
* ``by="year"`` (one column name) — the groups are that column's values, in a
  ``group`` column (the tables' historical layout);
* ``by=["stkcd", "year"]`` (a list) — one group per combination, one column
  per key, named after it.

Documents lacking a value in any key column are left out (a grouped table has
no row for "no year"). :func:`carried_metadata` gives, per group, the columns
of ``corpus.documents`` that are constant within it (``year``, ``title`` and the
researcher's metadata, e.g. ``province``, ``firm``), leaving out what the
readers record about files (path, sha256, PDF cleaning statistics ...), so that
a per-document or firm-year table says what each row is.

Example:
    >>> codes, groups = group_documents(corpus, ["stkcd", "year"])  # doctest: +SKIP
    >>> list(groups.columns)  # doctest: +SKIP
    ['stkcd', 'year']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nqp_text.corpus import DOCUMENT_COLUMNS, Corpus
from nqp_text.errors import OptionError

ALL = "all"
GROUP = "group"

#: ``documents`` columns written by the readers (facts about the file and its
#: cleaning), never carried into result tables as metadata.
READER_COLUMNS = frozenset({
    *DOCUMENT_COLUMNS, "row", "year_source", "duplicate_of", "encoding", "engine",
    "pdf_title", "pages_read", "scanned_pages", "failed_pages", "n_tables", "unruled_tables",
    "unreadable_share", "removed_furniture", "removed_figure_labels",
    "removed_symbol_paragraphs", "rotated_chars", "superscript_markers", "warnings",
    "paragraphs_from",
    "boilerplate_lines", "boilerplate_removed", "boilerplate_kept", "rejoined_breaks",
    "ocr_pages", "ocr_confidence", "unreadable_pages", "superseded_by", "report_date",
    "converted_to_simplified",
})
#: Document columns that describe a document (kept when constant within a group).
DESCRIPTIVE_COLUMNS = ("year", "title")

ByLike = str | Sequence[str] | None


def key_columns(by: ByLike) -> list[str]:
    """The output key columns of ``by``: ``["group"]`` for a name or None, else the names."""
    if by is None or isinstance(by, str):
        return [GROUP]
    return [str(name) for name in by]


def _check_by(by: ByLike) -> list[str] | None:
    if by is None or isinstance(by, str):
        return None
    names = [str(name) for name in by]
    if not names:
        raise OptionError("by must name at least one column (or be None for one group)")
    if len(set(names)) != len(names):
        raise OptionError(f"by names a column twice: {names}")
    return names


def _documents_with_text(corpus: Corpus) -> pd.DataFrame:
    documents = corpus.documents.set_index("doc_id")
    with_text = pd.Index(corpus.passages["doc_id"].dropna().unique())
    documents = documents[documents.index.isin(with_text)]
    documents.index = documents.index.astype(str)
    return documents


def _column(documents: pd.DataFrame, name: str) -> pd.Series:
    if name == "doc_id":
        return pd.Series(documents.index, index=documents.index, dtype=object)
    if name not in documents.columns:
        raise KeyError(f"cannot group by {name!r}: not a column of corpus.documents "
                       f"({', '.join(['doc_id', *map(str, documents.columns)])})")
    values = documents[name]
    present = values.dropna()
    if present.dtype.kind == "f" and (present == present.round()).all():
        values = values.astype("Int64")
    return values


def group_documents(corpus: Corpus, by: ByLike) -> tuple[pd.Series, pd.DataFrame]:
    """Each document's group code and the groups' key values.

    Returns ``(codes, groups)``: ``codes`` maps ``doc_id`` (documents with
    passages and every key present) to an integer; ``groups`` has one row per
    code (index = code, ascending = the groups sorted by their keys) and the
    :func:`key_columns` of ``by``.
    """
    documents = _documents_with_text(corpus)
    names = _check_by(by)
    if names is None:
        if by is None:
            keys = pd.DataFrame({GROUP: ALL}, index=documents.index)
        else:
            keys = pd.DataFrame({GROUP: _column(documents, by)})
    else:
        keys = pd.DataFrame({name: _column(documents, name) for name in names})
    if by is not None:
        _warn_missing_keys(keys, by, documents)
    keys = keys.dropna().rename_axis(None)
    columns = list(keys.columns)
    for name in columns:
        if isinstance(keys[name].dtype, pd.Int64Dtype):
            keys[name] = keys[name].astype("int64")
    if keys.empty:
        empty = pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
        return pd.Series(dtype="int64", name="code"), empty
    groups = keys.drop_duplicates().sort_values(columns, kind="stable").reset_index(drop=True)
    index = pd.MultiIndex.from_frame(groups)
    codes = index.get_indexer(pd.MultiIndex.from_frame(keys))
    return pd.Series(codes.astype("int64"), index=keys.index, name="code"), groups


def _warn_missing_keys(keys: pd.DataFrame, by: ByLike, documents: pd.DataFrame) -> None:
    """Say when documents are left out of a grouped table because a ``by`` value is missing,
    naming their files (``path``, else ``doc_id``) so that the metadata can be completed."""
    from nqp_text.diagnostics import warn

    missing = keys.isna().any(axis=1)
    if not len(keys) or not missing.any():
        return
    shown_by = by if isinstance(by, str) else ", ".join(map(str, by))  # type: ignore[arg-type]
    if missing.all():
        warn("empty_table", f"no document with text has a value in {shown_by!r}: the table "
             f"grouped by {shown_by!r} is empty (give years in file names, a year field or "
             "--metadata)", stage="trends", stacklevel=6)
    else:
        left_out = keys.index[missing]
        paths = (documents["path"].reindex(left_out) if "path" in documents.columns
                 else pd.Series(index=left_out, dtype=object))
        named = [str(path) if isinstance(path, str) and path else str(doc_id)
                 for doc_id, path in paths.items()]
        warn("group_missing", f"{int(missing.sum())} of {len(keys)} documents have no "
             f"{shown_by!r} and are left out of the table grouped by {shown_by!r} "
             f"(first: {', '.join(named[:5])}); give the values in a --metadata CSV",
             stage="trends", stacklevel=6)


def metadata_columns(documents: pd.DataFrame) -> list[str]:
    """``year``, ``title`` and every column not written by the readers, in table order."""
    return [name for name in documents.columns
            if name in DESCRIPTIVE_COLUMNS or name not in READER_COLUMNS and name != "doc_id"]


def carried_metadata(corpus: Corpus, codes: pd.Series, exclude: Sequence[str] = ()
                     ) -> pd.DataFrame:
    """Per group code, the metadata columns whose value is the same for all its documents.

    A column with two different values in some group is left out entirely (a
    firm-year with two titles has no ``title``), as is a column that is empty
    in every group. Index: the group codes present in ``codes``.
    """
    documents = _documents_with_text(corpus).reindex(codes.index)
    names = [name for name in metadata_columns(documents) if name not in set(exclude)]
    carried: dict[str, pd.Series] = {}
    for name in names:
        values = documents[name]
        if values.map(lambda value: isinstance(value, list | tuple | np.ndarray | dict)).any():
            continue
        if values.isna().all():
            continue
        grouped = values.groupby(codes.to_numpy(), sort=True)
        if (grouped.nunique(dropna=False) > 1).any():
            continue
        carried[name] = grouped.first()
    frame = pd.DataFrame(carried)
    frame.index.name = "code"
    return frame


def attach_groups(table: pd.DataFrame, groups: pd.DataFrame, carried: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """Replace the integer ``group`` column of ``table`` by the key (and carried) columns."""
    keys = groups.reindex(table[GROUP].to_numpy()).reset_index(drop=True)
    parts = [keys]
    if carried is not None and not carried.empty:
        extra = carried.reindex(table[GROUP].to_numpy()).reset_index(drop=True)
        parts.append(extra[[name for name in extra.columns if name not in keys.columns]])
    rest = table.drop(columns=GROUP).reset_index(drop=True)
    return pd.concat([*parts, rest], axis=1)
