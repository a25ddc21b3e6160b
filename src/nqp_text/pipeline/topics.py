"""The passage-term matrix for the topic model, built on the client one document at a time.

:func:`nqp_text.analysis.dtm.document_term_matrix` needs every token list in
memory as Python lists (about 80 bytes per token). :class:`StreamingDTM` reads
the per-document token entries one by one and keeps only each passage's
distinct terms and counts (compact integer arrays) plus a term -> id dict; the
result is the same :class:`~nqp_text.analysis.dtm.DocumentTermMatrix` (same
sorted vocabulary, same rows and row metadata, same counts; a test checks it).

Example:
    >>> import pandas as pd
    >>> builder = StreamingDTM()
    >>> builder.add(pd.DataFrame({"doc_id": ["d"], "year": [2024]}), [["数据", "算力", "数据"]])
    >>> builder.build().matrix.toarray().tolist()
    [[2, 1]]
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from nqp_text.analysis.dtm import DocumentTermMatrix


class StreamingDTM:
    """Accumulate rows (passages or documents) document by document; :meth:`build` the matrix."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._indices = array("q")
        self._data = array("q")
        self._indptr = array("q", [0])
        self._rows: list[pd.DataFrame] = []

    def add(self, rows: pd.DataFrame, token_lists: Sequence[Sequence[str]]) -> None:
        """Add rows (their metadata) and one token list per row."""
        if len(rows) != len(token_lists):
            raise ValueError(f"{len(rows)} rows but {len(token_lists)} token lists")
        for tokens in token_lists:
            for term, n in Counter(tokens).items():
                self._indices.append(self._ids.setdefault(term, len(self._ids)))
                self._data.append(n)
            self._indptr.append(len(self._indices))
        self._rows.append(rows.reset_index(drop=True))

    def build(self, dtypes: Mapping[str, Any] | None = None,
              sort_by: str | None = None) -> DocumentTermMatrix:
        """The matrix with columns in sorted term order (as ``dtm_from_tokens`` makes them).

        ``dtypes`` casts row metadata columns; ``sort_by`` orders the rows (stable).
        """
        terms = sorted(self._ids)
        remap = np.empty(len(terms), dtype=np.int64)
        for new, term in enumerate(terms):
            remap[self._ids[term]] = new
        indices = remap[np.frombuffer(self._indices, dtype=np.int64)] if len(self._indices) \
            else np.zeros(0, dtype=np.int64)
        matrix = sp.csr_matrix((np.frombuffer(self._data, dtype=np.int64).copy(), indices,
                                np.frombuffer(self._indptr, dtype=np.int64).copy()),
                               shape=(len(self._indptr) - 1, len(terms)))
        rows = pd.concat(self._rows, ignore_index=True) if self._rows else pd.DataFrame()
        for name, dtype in (dtypes or {}).items():
            if name in rows.columns:
                rows[name] = rows[name].astype(dtype)
        if sort_by is not None and len(rows):
            order = np.argsort(rows[sort_by].astype(str).to_numpy(), kind="stable")
            matrix = matrix[order]
            rows = rows.iloc[order].reset_index(drop=True)
        matrix.sort_indices()
        return DocumentTermMatrix(matrix.tocsr(), terms, rows)


def unit_rows(unit: str, passages: pd.DataFrame, document: Mapping[str, Any]) -> pd.DataFrame:
    """The DTM row metadata of one document, as ``document_term_matrix(unit=...)`` has it.

    ``passage``: ``passage_id, doc_id, seq`` plus the document's columns;
    ``document``: the document's columns. Both without ``path, error, sha256``.
    """
    meta = {name: value for name, value in document.items()
            if name not in ("path", "error", "sha256")}
    if unit == "document":
        return pd.DataFrame([meta])
    rows = passages[["passage_id", "doc_id", "seq"]].reset_index(drop=True)
    columns: dict[str, Any] = {name: rows[name] for name in rows.columns}
    columns.update({name: [value] * len(rows) for name, value in meta.items()
                    if name != "doc_id"})
    return pd.DataFrame(columns)


def collapse_to_documents(dtm: DocumentTermMatrix, documents: Sequence[pd.DataFrame],
                          dtypes: Mapping[str, Any] | None = None) -> DocumentTermMatrix:
    """A passage-term matrix summed per document: the rows ``unit="document"`` would give.

    ``documents``: one ``unit_rows("document", ...)`` frame per document. The
    rows come out sorted by ``doc_id`` (as :meth:`StreamingDTM.build` sorts
    them), so the result equals the matrix built with documents as rows; the
    pipeline builds passages once and collapses them when the topic unit turns
    out to be the document.

    Example:
        >>> builder = StreamingDTM()
        >>> builder.add(pd.DataFrame({"passage_id": ["d:0", "d:1"], "doc_id": ["d", "d"]}),
        ...             [["数据"], ["数据", "算力"]])
        >>> collapse_to_documents(builder.build(), [pd.DataFrame({"doc_id": ["d"]})]
        ...                       ).matrix.toarray().tolist()
        [[2, 1]]
    """
    rows = pd.concat(list(documents), ignore_index=True) if documents else pd.DataFrame(
        {"doc_id": []})
    for name, dtype in (dtypes or {}).items():
        if name in rows.columns:
            rows[name] = rows[name].astype(dtype)
    order = np.argsort(rows["doc_id"].astype(str).to_numpy(), kind="stable")
    rows = rows.iloc[order].reset_index(drop=True)
    position = {doc_id: i for i, doc_id in enumerate(rows["doc_id"].astype(str))}
    codes = np.array([position[doc_id] for doc_id in dtm.rows["doc_id"].astype(str)],
                     dtype=np.int64)
    indicator = sp.csr_matrix((np.ones(len(codes), dtype=np.int64),
                               (codes, np.arange(len(codes)))), shape=(len(rows), len(codes)))
    matrix = (indicator @ dtm.matrix).tocsr()
    matrix.sort_indices()
    return DocumentTermMatrix(matrix, list(dtm.vocabulary), rows)


def document_lengths(dtm: DocumentTermMatrix) -> pd.Series:
    """Tokens per document of a passage-term matrix (``doc_id`` index, sorted; empty
    without rows)."""
    if "doc_id" not in dtm.rows.columns:
        return pd.Series(dtype="int64")
    return pd.Series(dtm.n_tokens, index=dtm.rows["doc_id"].astype(str).to_numpy()).groupby(
        level=0, sort=True).sum()
