"""Document-term matrices from tokens: scipy sparse, groupable, exportable to gensim/sklearn.

A :class:`DocumentTermMatrix` holds a ``scipy.sparse.csr_matrix`` of token
counts (rows: passages, documents or groups; columns: the sorted
``vocabulary``) and a ``rows`` DataFrame describing each row (its id plus the
document metadata: ``year``, ``source`` ...). :meth:`DocumentTermMatrix.group_by`
sums rows by any metadata column; :meth:`~DocumentTermMatrix.to_gensim` gives a
gensim ``Dictionary`` and bag-of-words corpus; :meth:`~DocumentTermMatrix.to_sklearn`
a CSR matrix with a ``CountVectorizer``-style ``vocabulary_`` dict.

Example:
    >>> dtm = document_term_matrix(corpus, unit="document", min_df=2)  # doctest: +SKIP
    >>> by_year = dtm.group_by("year")  # doctest: +SKIP
    >>> dictionary, bow = dtm.to_gensim()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from nqp_text._rows import RowIndexing
from nqp_text.analysis._inputs import TokensLike, passage_tokens
from nqp_text.corpus import Corpus
from nqp_text.errors import InputError, OptionError

UNITS = ("passage", "document")


def _df_bound(value: int | float, n_rows: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise OptionError(f"{name} must be a non-negative int (rows) or float (share); "
                          f"got {value!r}")
    if isinstance(value, float):
        if value > 1:
            raise OptionError(f"{name} as a share must be <= 1.0; got {value}")
        return int(np.floor(value * n_rows)) if name == "max_df" else int(np.ceil(value * n_rows))
    return value


@dataclass
class DocumentTermMatrix:
    """Token counts (``matrix``: rows x ``vocabulary``) with row metadata (``rows``)."""

    matrix: sp.csr_matrix
    vocabulary: list[str]
    rows: pd.DataFrame

    def __post_init__(self) -> None:
        if self.matrix.shape != (len(self.rows), len(self.vocabulary)):
            raise InputError(f"matrix shape {self.matrix.shape} does not match "
                             f"{len(self.rows)} rows x {len(self.vocabulary)} terms")

    def __repr__(self) -> str:
        return (f"DocumentTermMatrix({self.matrix.shape[0]} rows x {self.matrix.shape[1]} terms, "
                f"{int(self.matrix.sum())} tokens)")

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens per row (only terms kept in the vocabulary)."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def term_totals(self) -> pd.Series:
        """Total count of each term, indexed by term."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.vocabulary,
                         name="count")

    def document_frequency(self) -> pd.Series:
        """Number of rows each term occurs in."""
        return pd.Series(np.diff(self.matrix.tocsc().indptr), index=self.vocabulary, name="df")

    def filter(self, min_df: int | float = 1, max_df: int | float = 1.0,
               keep: Iterable[str] = ()) -> DocumentTermMatrix:
        """Keep terms occurring in at least ``min_df`` and at most ``max_df`` rows.

        An ``int`` is a number of rows, a ``float`` a share of rows (as in
        scikit-learn's ``CountVectorizer``). Terms in ``keep`` stay whenever they
        occur at all (seed terms of a topic model, say).
        """
        n = self.matrix.shape[0]
        low, high = _df_bound(min_df, n, "min_df"), _df_bound(max_df, n, "max_df")
        df = self.document_frequency().to_numpy()
        kept_terms = set(keep)
        kept = np.fromiter((term in kept_terms for term in self.vocabulary), dtype=bool,
                           count=len(self.vocabulary)) & (df > 0)
        keep = np.flatnonzero(((df >= low) & (df <= high)) | kept)
        return DocumentTermMatrix(self.matrix[:, keep].tocsr(),
                                  [self.vocabulary[i] for i in keep], self.rows.copy())

    def group_by(self, column: str | Sequence[str] | None, *,
                 warn_missing: bool = True) -> DocumentTermMatrix:
        """Sum rows by a column of :attr:`rows`, or by several (``["province", "year"]``).

        ``None`` gives one row ``"all"``; rows lacking a key value are left out,
        with a ``group_missing`` warning naming how many and the first (as
        ``term_frequencies`` says it) unless ``warn_missing=False``; the grouped
        rows are sorted by their keys.
        """
        return self._group_by(column, warn_missing, stacklevel=5)

    def _group_by(self, column: str | Sequence[str] | None, warn_missing: bool,
                  stacklevel: int) -> DocumentTermMatrix:
        names = [column] if column is None or isinstance(column, str) else list(column)
        missing = [name for name in names if name is not None and name not in self.rows.columns]
        if missing:
            raise KeyError(f"cannot group by {missing[0]!r}; columns: "
                           f"{', '.join(self.rows.columns)}")
        if column is None:
            keys = pd.DataFrame({"group": ["all"] * len(self.rows)})
        else:
            keys = self.rows[names].reset_index(drop=True)
        valid = keys.notna().all(axis=1).to_numpy()
        if warn_missing and not valid.all():
            self._warn_missing(names, valid, stacklevel)
        present = keys[valid]
        uniques = present.drop_duplicates().sort_values(list(present.columns), kind="stable")
        uniques = uniques.reset_index(drop=True)
        for name in uniques.columns:  # plain numpy values, as factorize gave before
            uniques[name] = pd.Series(list(uniques[name]), dtype=object).infer_objects()
        codes = pd.MultiIndex.from_frame(uniques).get_indexer(pd.MultiIndex.from_frame(present))
        indicator = sp.csr_matrix((np.ones(len(codes)), (codes, np.flatnonzero(valid))),
                                  shape=(len(uniques), len(keys)))
        matrix = (indicator @ self.matrix).astype(self.matrix.dtype).tocsr()
        return DocumentTermMatrix(matrix, list(self.vocabulary), uniques)

    def _warn_missing(self, names: list[str], valid: np.ndarray, stacklevel: int) -> None:
        from nqp_text.diagnostics import warn

        shown = ", ".join(names)
        label = "doc_id" if "doc_id" in self.rows.columns else None
        first = ", ".join(list(dict.fromkeys(map(str, self.rows.loc[~valid, label])))[:5]) \
            if label else ""
        warn("group_missing", f"{int((~valid).sum())} of {len(valid)} rows have no "
             f"{shown!r} and are left out of the matrix grouped by {shown!r}"
             + (f" (first: {first})" if first else ""), stage="trends", stacklevel=stacklevel)

    def to_sklearn(self) -> tuple[sp.csr_matrix, dict[str, int]]:
        """The CSR matrix and a ``term -> column`` dict (``CountVectorizer.vocabulary_``)."""
        return self.matrix, {term: index for index, term in enumerate(self.vocabulary)}

    def to_gensim(self) -> tuple[Any, BowCorpus]:
        """A gensim ``Dictionary`` (ids = columns) and the bag-of-words corpus of the rows
        (a :class:`BowCorpus`: each row's list is made when it is read)."""
        from gensim.corpora import Dictionary

        matrix = self.matrix
        bow = BowCorpus(matrix)
        dictionary = Dictionary()
        dictionary.token2id = {term: index for index, term in enumerate(self.vocabulary)}
        dictionary.id2token = {}
        dictionary.dfs = self.document_frequency().set_axis(range(len(self.vocabulary))).to_dict()
        dictionary.cfs = self.term_totals().set_axis(range(len(self.vocabulary))).to_dict()
        dictionary.num_docs = matrix.shape[0]
        dictionary.num_pos = int(matrix.sum())
        dictionary.num_nnz = int(matrix.nnz)
        return dictionary, bow

    def to_frame(self, id_column: str | None = None) -> pd.DataFrame:
        """Tidy non-zero cells: ``<id>, term, count`` (id: the first column of :attr:`rows`)."""
        id_column = id_column or str(self.rows.columns[0])
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        return pd.DataFrame({
            id_column: self.rows[id_column].to_numpy()[coo.row[order]],
            "term": np.asarray(self.vocabulary, dtype=object)[coo.col[order]],
            "count": coo.data[order].astype("int64"),
        })


class BowCorpus(RowIndexing, Sequence[list[tuple[int, int]]]):
    """The rows of a sparse count matrix as gensim bag-of-words lists, made on demand.

    gensim reads a training corpus once per pass and wants ``[(term_id, count), ...]``
    per document. A list of such lists costs about 100 bytes per non-zero cell in
    Python objects (98 measured on the passages of the government work reports: 26 MB
    for 270,000 cells); this view keeps only the CSR matrix (12-16 bytes per cell) and
    builds each row's list when it is read, so passage-level topic models of large
    corpora fit in memory. It is a re-iterable sequence (``len``, indexing, slicing), in row order,
    and gives exactly the lists a materialised corpus would.

    Example:
        >>> import scipy.sparse as sp
        >>> corpus = BowCorpus(sp.csr_matrix([[2, 0, 1], [0, 0, 0]]))
        >>> list(corpus), len(corpus)
        ([[(0, 2), (2, 1)], []], 2)
    """

    def __init__(self, matrix: sp.spmatrix) -> None:
        self.matrix = sp.csr_matrix(matrix)

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        indptr, indices, data = self.matrix.indptr, self.matrix.indices, self.matrix.data
        step = 1024  # convert rows to Python lists in blocks: fewer numpy calls per row
        for first in range(0, len(self), step):
            last = min(first + step, len(self))
            offset = int(indptr[first])
            block_ids = indices[offset:indptr[last]].tolist()
            block_counts = data[offset:indptr[last]].tolist()
            for row in range(first, last):
                start, end = int(indptr[row]) - offset, int(indptr[row + 1]) - offset
                yield list(zip(block_ids[start:end], block_counts[start:end], strict=True))

    def _row(self, row: int) -> list[tuple[int, int]]:
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        return list(zip(self.matrix.indices[start:end].tolist(),
                        self.matrix.data[start:end].tolist(), strict=True))


def dtm_from_tokens(token_lists: Sequence[Sequence[str]], rows: pd.DataFrame | None = None,
                    vocabulary: Sequence[str] | None = None) -> DocumentTermMatrix:
    """A :class:`DocumentTermMatrix` with one row per token list (``rows``: their metadata).

    Example:
        >>> dtm_from_tokens([["数据", "要素", "数据"], ["算力"]]).matrix.toarray()
        array([[2, 0, 1],
               [0, 1, 0]])
    """
    if rows is None:
        rows = pd.DataFrame({"row": range(len(token_lists))})
    if vocabulary is None:
        terms = sorted({token for tokens in token_lists for token in tokens})
    else:
        terms = list(dict.fromkeys(vocabulary))
    column = {term: index for index, term in enumerate(terms)}
    indptr, indices = [0], []
    for tokens in token_lists:
        indices.extend(column[token] for token in tokens if token in column)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    matrix = sp.csr_matrix((data, np.asarray(indices, dtype=np.int64),
                            np.asarray(indptr, dtype=np.int64)),
                           shape=(len(token_lists), len(terms)))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return DocumentTermMatrix(matrix, terms, rows.reset_index(drop=True))


def _row_frame(corpus: Corpus, unit: str) -> pd.DataFrame:
    documents = corpus.documents.drop(columns=["path", "error", "sha256"], errors="ignore")
    if unit == "document":
        with_text = set(corpus.passages["doc_id"].astype(str))
        rows = documents[documents["doc_id"].astype(str).isin(with_text)]
        return rows.sort_values("doc_id", kind="stable").reset_index(drop=True)
    passages = corpus.passages[["passage_id", "doc_id", "seq"]]
    return passages.merge(documents, on="doc_id", how="left", validate="many_to_one")


def document_term_matrix(corpus: Corpus, unit: str = "passage", *,
                         by: str | Sequence[str] | None = None,
                         tokens: TokensLike = None, min_df: int | float = 1,
                         max_df: int | float = 1.0, vocabulary: Sequence[str] | None = None,
                         segmenter: Any = None, workers: int = 1) -> DocumentTermMatrix:
    """Count content tokens per passage or document (optionally summed per ``by`` group).

    ``min_df``/``max_df`` filter terms by the number (int) or share (float) of
    passages/documents they occur in, before grouping. ``vocabulary`` fixes the
    columns (other tokens are ignored); by default it is every token seen, sorted.

    Example:
        >>> dtm = document_term_matrix(corpus, unit="document", by="year")  # doctest: +SKIP
    """
    if unit not in UNITS:
        raise OptionError(f"unit must be one of {UNITS}; got {unit!r}")
    token_lists = passage_tokens(corpus, tokens, segmenter, workers)
    rows = _row_frame(corpus, unit)
    if unit == "document":
        by_doc: dict[str, list[str]] = {}
        for doc_id, passage in zip(corpus.passages["doc_id"].astype(str), token_lists,
                                   strict=True):
            by_doc.setdefault(doc_id, []).extend(passage)
        lists = [by_doc.get(str(doc_id), []) for doc_id in rows["doc_id"]]
    else:
        lists = list(token_lists)
    dtm = dtm_from_tokens(lists, rows, vocabulary)
    dtm = dtm.filter(min_df, max_df)
    return dtm._group_by(by, True, stacklevel=5) if by is not None else dtm
