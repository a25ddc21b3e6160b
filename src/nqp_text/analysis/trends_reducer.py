"""Trends tables reduced on the client from per-document counts, one document at a time.

:func:`nqp_text.term_frequencies` and :func:`~nqp_text.analysis.frequencies.category_frequencies`
need the whole corpus in memory. The pipeline instead keeps, per document, the
non-zero lexicon counts, content tokens and passages (written by
:class:`~nqp_text.pipeline.docwork.CountTask` on the workers) and sums them
here per group. Every column is a sum over documents (``count``,
``docs_with_term``, ``n_docs``, ``n_tokens``, ``n_passages``, ``n_labelled``)
or a ratio of such sums, so the tables equal those of the in-memory functions
(a test checks this), with memory that grows with groups × terms, not with
the corpus.

Category counts are sums of their terms' counts under longest match over the
lexicon plus every category term, as ``category_frequencies`` counts them.

Example:
    >>> reducer = TrendsReducer(["数据要素", "算力"], {"factor_allocation": ["数据要素"]})
    >>> reducer.add(2024, {"数据要素": 2}, n_tokens=100, n_passages=3)
    >>> reducer.term_table()["count"].tolist()
    [2, 0]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.analysis.frequencies import CATEGORY_COLUMNS, TERM_COLUMNS, wilson_interval


class _Group:
    __slots__ = ("counts", "category_counts", "present", "n_docs", "n_tokens", "n_passages",
                 "n_labelled")

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.category_counts: dict[str, int] = defaultdict(int)
        self.present: dict[str, int] = defaultdict(int)
        self.n_docs = 0
        self.n_tokens = 0
        self.n_passages = 0
        self.n_labelled: dict[str, int] | None = None


class TrendsReducer:
    """Sum per-document counts by group into the ``trends_lexicon``/``category_trends`` tables.

    ``terms``: the lexicon terms (sorted, as ``term_frequencies(terms=None)``
    lists them); ``categories``: category id -> terms. Add documents in any
    order; the tables are sorted by group, then term / category order.
    """

    def __init__(self, terms: Sequence[str], categories: Mapping[str, Sequence[str]],
                 confidence: float = 0.95) -> None:
        self.terms = list(terms)
        self.categories = {name: list(group) for name, group in categories.items()}
        self.confidence = confidence
        self._groups: dict[Any, _Group] = {}
        self._labelled = False

    def add(self, group: Any, counts: Mapping[str, int], n_tokens: int, n_passages: int,
            n_labelled: Mapping[str, int] | None = None,
            category_counts: Mapping[str, int] | None = None) -> None:
        """Add one document that has passages and a group value.

        ``counts``: lexicon term counts; ``category_counts``: category-term
        counts (longest match over lexicon and category terms), default ``counts``.
        """
        state = self._groups.setdefault(group, _Group())
        for term, n in (counts if category_counts is None else category_counts).items():
            state.category_counts[term] += int(n)
        state.n_docs += 1
        state.n_tokens += int(n_tokens)
        state.n_passages += int(n_passages)
        for term, n in counts.items():
            state.counts[term] += int(n)
            state.present[term] += int(n > 0)
        if n_labelled is not None:
            self._labelled = True
            if state.n_labelled is None:
                state.n_labelled = defaultdict(int)
            for category, n in n_labelled.items():
                state.n_labelled[category] += int(n)

    def _ordered(self) -> list[tuple[Any, _Group]]:
        return sorted(self._groups.items(), key=lambda item: item[0])

    def term_table(self) -> pd.DataFrame:
        """``trends_lexicon``: the table of ``term_frequencies(corpus, None, by=...)``."""
        rows = []
        for group, state in self._ordered():
            for term in self.terms:
                rows.append((group, term, state.counts.get(term, 0), state.n_docs,
                             state.n_tokens, state.present.get(term, 0)))
        frame = pd.DataFrame(rows, columns=["group", "term", "count", "n_docs", "n_tokens",
                                            "docs_with_term"])
        for name in ("count", "n_docs", "n_tokens", "docs_with_term"):
            frame[name] = frame[name].astype("int64")
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["per_10k_tokens"] = np.where(frame["n_tokens"] > 0,
                                               frame["count"] / frame["n_tokens"] * 10_000,
                                               np.nan)
            frame["doc_share"] = frame["docs_with_term"] / frame["n_docs"]
        frame["value"] = frame["count"].astype(float)
        frame = frame[TERM_COLUMNS]
        frame.attrs.update(rule="longest_match", normalize="count")
        return frame

    def category_table(self) -> pd.DataFrame:
        """``category_trends``: the table of ``category_frequencies(corpus, by, labels=...)``."""
        rows = []
        for group, state in self._ordered():
            for category, terms in self.categories.items():
                count = sum(state.category_counts.get(term, 0) for term in dict.fromkeys(terms))
                labelled = (np.nan if state.n_labelled is None
                            else state.n_labelled.get(category, 0))
                rows.append((group, category, count, state.n_docs, state.n_tokens,
                             state.n_passages, labelled))
        frame = pd.DataFrame(rows, columns=["group", "category", "count", "n_docs", "n_tokens",
                                            "n_passages", "n_labelled"])
        for name in ("count", "n_docs", "n_tokens"):
            frame[name] = frame[name].astype("int64")
        frame["per_10k_tokens"] = np.where(frame["n_tokens"] > 0,
                                           frame["count"] / frame["n_tokens"].clip(lower=1)
                                           * 10_000, np.nan)
        if self._labelled:
            frame["n_labelled"] = frame["n_labelled"].astype("int64")
            frame["passage_share"] = frame["n_labelled"] / frame["n_passages"]
            low, high = wilson_interval(frame["n_labelled"], frame["n_passages"],
                                        self.confidence)
            frame["share_low"], frame["share_high"] = low, high
        else:
            frame["n_labelled"] = np.nan
            frame["passage_share"] = frame["share_low"] = frame["share_high"] = np.nan
        frame.attrs.update(rule="longest_match", confidence=self.confidence)
        return frame[CATEGORY_COLUMNS]
