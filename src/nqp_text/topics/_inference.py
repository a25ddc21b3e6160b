"""gensim's LDA e-step with less Python around the same numpy calls (identical results).

:meth:`gensim.models.LdaModel.inference` spends most of its time not in
arithmetic but in the interpreter around it: per document and iteration nine
small numpy calls on arrays of ``k`` (topics) and ``n`` (distinct terms)
values, each allocating its result, plus attribute lookups. :func:`inference`
performs the same calls on the same operands in the same order — the same BLAS
routine on the same memory layout, the same ufuncs, gensim's own Cython
``dirichlet_expectation`` and ``mean_absolute_difference`` — so every value is
identical bit for bit; it only hoists lookups out of the loops and writes into
preallocated arrays. :class:`FastLdaModel` is ``LdaModel`` using it. It reads
gensim's bag-of-words lists, or :class:`CountRows`: the rows of the sparse
count matrix as arrays, so that no ``(term id, count)`` tuple is built per
document and pass (six passes over every passage in ``nqp-text run``).

Example:
    >>> from nqp_text.topics._inference import FastLdaModel  # doctest: +SKIP
    >>> FastLdaModel(corpus=bow, id2word=dictionary, num_topics=12)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from gensim.models import LdaModel
from gensim.models.ldamodel import dirichlet_expectation, mean_absolute_difference

from nqp_text._rows import RowIndexing


class Row(NamedTuple):
    """One document of :class:`CountRows`: its term ids and their counts (as floats)."""

    ids: np.ndarray
    counts: np.ndarray


class CountRows(RowIndexing, Sequence[Row]):
    """The rows of a document-term count matrix as :class:`Row` arrays, in row order.

    The same documents as :class:`~nqp_text.analysis.dtm.BowCorpus` over the same
    matrix, in the form :func:`inference` uses, for :class:`FastLdaModel` only
    (gensim's own code cannot read it). Holds views of the matrix's arrays (no
    copy); a row's counts are converted to float64 when the row is read.

    Example:
        >>> rows = CountRows(sp.csr_matrix([[2, 0, 1], [0, 0, 0]]))
        >>> [(r.ids.tolist(), r.counts.tolist()) for r in rows]
        [([0, 2], [2.0, 1.0]), ([], [])]
    """

    def __init__(self, matrix: sp.spmatrix) -> None:
        csr = sp.csr_matrix(matrix)  # entries in stored order, as BowCorpus reads them
        self._indptr = csr.indptr.tolist()
        self._ids = csr.indices
        self._counts = csr.data

    def __len__(self) -> int:
        return len(self._indptr) - 1

    def __iter__(self) -> Iterator[Row]:
        return (self._row(i) for i in range(len(self)))

    def _row(self, row: int) -> Row:
        start, end = self._indptr[row], self._indptr[row + 1]
        return Row(self._ids[start:end], self._counts[start:end].astype(np.float64))


def inference(model: Any, chunk: Sequence[Sequence[tuple[int, float]]],
              collect_sstats: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """``model.inference(chunk, collect_sstats)`` of gensim, computed the same way.

    Draws the same initial ``gamma`` from ``model.random_state``; returns
    ``(gamma, sstats)`` (``sstats`` ``None`` unless ``collect_sstats``). ``chunk``:
    bag-of-words lists, or :class:`Row` arrays (term ids, counts).
    """
    if not isinstance(chunk, Sequence):
        chunk = list(chunk)
    dtype = model.dtype
    k = model.num_topics
    gamma = model.random_state.gamma(100., 1. / 100., (len(chunk), k)).astype(dtype, copy=False)
    Elogtheta = dirichlet_expectation(gamma)  # noqa: N806 (gensim's names)
    expElogtheta = np.exp(Elogtheta)  # noqa: N806
    expElogbeta = model.expElogbeta  # noqa: N806
    sstats = np.zeros_like(expElogbeta, dtype=dtype) if collect_sstats else None
    epsilon = np.finfo(dtype).eps
    alpha = model.alpha
    threshold = model.gamma_threshold
    iterations = range(model.iterations)
    dot, divide, multiply, add, exp = np.dot, np.divide, np.multiply, np.add, np.exp
    product = np.empty(k, dtype=dtype)
    for d, doc in enumerate(chunk):
        if isinstance(doc, Row):
            ids, cts = doc.ids, doc.counts.astype(dtype, copy=False)
        else:
            ids = np.fromiter((int(idx) for idx, _ in doc), dtype=np.intp, count=len(doc))
            cts = np.fromiter((cnt for _, cnt in doc), dtype=dtype, count=len(doc))
        gammad = gamma[d, :]
        expElogthetad = expElogtheta[d, :]  # noqa: N806
        expElogbetad = expElogbeta[:, ids]  # noqa: N806
        transposed = expElogbetad.T
        phinorm = dot(expElogthetad, expElogbetad)
        phinorm += epsilon
        ratio = np.empty(len(ids), dtype=dtype)
        for _ in iterations:
            lastgamma = gammad
            divide(cts, phinorm, ratio)
            dot(ratio, transposed, product)
            gammad = add(alpha, multiply(expElogthetad, product))
            expElogthetad = exp(dirichlet_expectation(gammad))  # noqa: N806
            dot(expElogthetad, expElogbetad, phinorm)
            phinorm += epsilon
            if mean_absolute_difference(gammad, lastgamma) < threshold:
                break
        gamma[d, :] = gammad
        if collect_sstats:
            sstats[:, ids] += np.outer(expElogthetad.T, cts / phinorm)
    if collect_sstats:
        sstats *= expElogbeta
    return gamma, sstats


class FastLdaModel(LdaModel):
    """gensim's ``LdaModel`` whose e-step is :func:`inference` (same results, less overhead)."""

    def inference(self, chunk: Any, collect_sstats: bool = False) -> Any:
        return inference(self, chunk, collect_sstats)

