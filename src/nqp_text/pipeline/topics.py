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
    >>> builder.add(pd.DataFrame({"passage_id": ["d:0"], "doc_id": ["d"], "seq": [0]}),
    ...             [["数据", "算力", "数据"]], {"year": 2024})
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
    """Accumulate passages (rows) document by document; :meth:`build` the matrix."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._indices = array("q")
        self._data = array("q")
        self._indptr = array("q", [0])
        self._rows: list[pd.DataFrame] = []

    def add(self, passages: pd.DataFrame, token_lists: Sequence[Sequence[str]],
            document: Mapping[str, Any]) -> None:
        """Add one document: its ``passage_id, doc_id, seq`` rows, their tokens, its metadata."""
        for tokens in token_lists:
            counts = Counter(tokens)
            for term, n in counts.items():
                column = self._ids.setdefault(term, len(self._ids))
                self._indices.append(column)
                self._data.append(n)
            self._indptr.append(len(self._indices))
        extra = {name: value for name, value in document.items()
                 if name not in ("doc_id", "path", "error", "sha256")}
        rows = passages[["passage_id", "doc_id", "seq"]].reset_index(drop=True)
        self._rows.append(rows.assign(**{name: [value] * len(rows)
                                         for name, value in extra.items()}))

    def build(self, documents_dtypes: Mapping[str, Any] | None = None) -> DocumentTermMatrix:
        """The matrix with columns in sorted term order (as ``dtm_from_tokens`` makes them)."""
        terms = sorted(self._ids)
        remap = np.empty(len(terms), dtype=np.int64)
        for new, term in enumerate(terms):
            remap[self._ids[term]] = new
        indices = remap[np.frombuffer(self._indices, dtype=np.int64)] if len(self._indices) \
            else np.zeros(0, dtype=np.int64)
        matrix = sp.csr_matrix((np.frombuffer(self._data, dtype=np.int64).copy(), indices,
                                np.frombuffer(self._indptr, dtype=np.int64).copy()),
                               shape=(len(self._indptr) - 1, len(terms)))
        matrix.sort_indices()
        rows = (pd.concat(self._rows, ignore_index=True) if self._rows
                else pd.DataFrame(columns=["passage_id", "doc_id", "seq"]))
        for name, dtype in (documents_dtypes or {}).items():
            if name in rows.columns:
                rows[name] = rows[name].astype(dtype)
        return DocumentTermMatrix(matrix, terms, rows)
