"""gensim's LDA e-step with less Python around the same numpy calls (identical results).

:meth:`gensim.models.LdaModel.inference` spends most of its time not in
arithmetic but in the interpreter around it: per document and iteration nine
small numpy calls on arrays of ``k`` (topics) and ``n`` (distinct terms)
values, each allocating its result, plus attribute lookups. :func:`inference`
performs the same calls on the same operands in the same order — the same BLAS
routine on the same memory layout, the same ufuncs, gensim's own Cython
``dirichlet_expectation`` and ``mean_absolute_difference`` — so every value is
identical bit for bit; it only hoists lookups out of the loops and writes into
preallocated arrays. :class:`FastLdaModel` is ``LdaModel`` using it.

Example:
    >>> from nqp_text.topics._inference import FastLdaModel  # doctest: +SKIP
    >>> FastLdaModel(corpus=bow, id2word=dictionary, num_topics=12)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gensim.models import LdaModel
from gensim.models.ldamodel import dirichlet_expectation, mean_absolute_difference


def inference(model: Any, chunk: Sequence[Sequence[tuple[int, float]]],
              collect_sstats: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """``model.inference(chunk, collect_sstats)`` of gensim, computed the same way.

    Draws the same initial ``gamma`` from ``model.random_state``; returns
    ``(gamma, sstats)`` (``sstats`` ``None`` unless ``collect_sstats``).
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
        ids = np.fromiter((int(idx) for idx, _ in doc), dtype=np.intp, count=len(doc))
        cts = np.fromiter((cnt for _, cnt in doc), dtype=dtype, count=len(doc))
        gammad = gamma[d, :]
        expElogthetad = expElogtheta[d, :]  # noqa: N806
        expElogbetad = expElogbeta[:, ids]  # noqa: N806
        transposed = expElogbetad.T
        phinorm = dot(expElogthetad, expElogbetad)
        phinorm += epsilon
        ratio = np.empty(len(doc), dtype=dtype)
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

