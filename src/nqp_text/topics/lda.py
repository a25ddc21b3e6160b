"""Topic models over passages or documents: gensim LDA, optionally seeded, reproducible.

:class:`TopicModel` wraps gensim's ``LdaModel`` in a scikit-learn style
estimator. By default it trains in a single process with an explicit
``random_state`` and float64 arithmetic, so two fits with the same seed on the
same tokens give identical topics, document-topic weights and prevalence
tables. ``multicore=True`` uses ``LdaMulticore`` (faster on many cores) and is
*not* reproducible: worker scheduling changes the order of updates.

Seeded (keyword-assisted) topics — the idea of seededlda/keyATM — come from an
asymmetric ``eta`` prior (:func:`seeded_eta`): each seeded topic gets prior
pseudo-counts on its seed terms worth ``seed_weight`` times an average topic,
and seed terms are all but barred from the other topics, so the first
``len(seed_terms)`` topics gather around the framework categories while the
remaining ``k - len(seed_terms)`` topics are free. Seed terms stay in the
vocabulary whenever they occur, whatever ``min_df``/``max_df`` say; a seeded
topic none of whose seeds occurs triggers a warning (it is a free topic then).

Example:
    >>> model = TopicModel(k=8, random_state=0).fit(token_lists, rows=metadata)  # doctest: +SKIP
    >>> model.top_terms(10)  # doctest: +SKIP
    >>> model.topic_prevalence(by="year")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from nqp_text import diagnostics
from nqp_text._seeds import resolve_random_state
from nqp_text.analysis.dtm import DocumentTermMatrix, dtm_from_tokens
from nqp_text.errors import InputError, OptionError
from nqp_text.topics import defaults

#: Defaults shared by :func:`fit_topics`, ``nqp-text topics``, ``nqp-text report`` and
#: ``nqp-text run`` (:class:`~nqp_text.pipeline.RunOptions`): the same call gives the same
#: topics. They live in :mod:`nqp_text.topics.defaults`; these names stay for callers.
DEFAULT_K = defaults.K
DEFAULT_UNIT = defaults.UNIT
DEFAULT_PASSES = defaults.PASSES
DEFAULT_MIN_DF = defaults.MIN_DF
DEFAULT_MAX_DF = defaults.MAX_DF["passage"]
#: Prior of a seed term in the topics it does not seed, relative to the base eta.
_ELSEWHERE = 1e-3
PREVALENCE_COLUMNS = ["group", "topic", "label", "prevalence", "n_units", "n_tokens"]
TOP_TERM_COLUMNS = ["topic", "label", "rank", "term", "weight", "seed"]


def seeded_eta(vocabulary: Sequence[str], term_counts: np.ndarray, k: int,
               seed_terms: Mapping[str, Sequence[str]], base: float, seed_weight: float
               ) -> tuple[np.ndarray, dict[str, list[str]]]:
    """The ``(k, V)`` asymmetric eta prior and the seed terms found in the vocabulary.

    Seeded topic ``t`` receives a prior mass of ``seed_weight * N / k`` pseudo-
    tokens (``N``: tokens in the corpus, so ``N / k`` is the size of an average
    topic), spread over its seed terms in proportion to their corpus counts; a
    seed term's prior in every other topic is cut to ``base / 1000``. A rare
    category thus still gets a topic built around its own terms.

    Example:
        >>> eta, used = seeded_eta(["数据", "算力", "人才"], np.array([10, 4, 6]), 2,
        ...                        {"data": ["数据", "数据要素"]}, 0.1, 0.5)
        >>> eta.round(4).tolist(), used
        ([[5.1, 0.1, 0.1], [0.0001, 0.1, 0.1]], {'data': ['数据']})
    """
    if len(seed_terms) >= k:
        raise OptionError(f"k={k} leaves no free topic next to {len(seed_terms)} seeded topics; "
                          f"use k > {len(seed_terms)}")
    column = {term: index for index, term in enumerate(vocabulary)}
    counts = np.asarray(term_counts, dtype=float)
    eta = np.full((k, len(vocabulary)), float(base))
    used: dict[str, list[str]] = {}
    for label, terms in seed_terms.items():
        used[label] = [term for term in dict.fromkeys(terms) if term in column]
    mass = seed_weight * counts.sum() / k
    for found in used.values():
        columns = [column[term] for term in found]
        eta[:, columns] = np.minimum(eta[:, columns], base * _ELSEWHERE)
    for topic, found in enumerate(used.values()):
        columns = [column[term] for term in found]
        total = counts[columns].sum()
        if total > 0:
            eta[topic, columns] = base + mass * counts[columns] / total
    return eta, used


class TopicModel(BaseEstimator):
    """LDA topics (gensim), optionally seeded with term lists; a scikit-learn estimator.

    Parameters are stored untouched (``get_params``/``set_params``/``clone`` come
    from scikit-learn's ``BaseEstimator``; ``random_state`` is the seed); a method
    that needs a fitted model raises scikit-learn's ``NotFittedError`` before
    ``fit``. ``fit`` sets ``model_`` (the gensim model),
    ``dictionary_``, ``vocabulary_``, ``doc_topics_`` (units x topics, rows sum
    to 1), ``rows_`` (unit metadata), ``lengths_`` (tokens per unit),
    ``labels_`` (seed labels, then ``free_1``...), ``seed_terms_`` (seeds found)
    and ``place_terms_`` (place names left out of the vocabulary).

    Place names (:mod:`nqp_text.analysis.places`: the shipped gazetteer and
    jieba's ``ns`` tag) are left out of the vocabulary unless ``keep_places=True``:
    on a corpus of regions they would otherwise make topics of places. So are
    the shipped policy verbs (``segment/data/policy_verbs.txt``: 加快, 推进, 加强 …)
    unless ``keep_policy_verbs=True``: on passages they are the commonest words
    of every topic and pull tokens away from the seeded ones. Seed terms always stay.
    """

    def __init__(self, k: int = defaults.K, *,
                 seed_terms: Mapping[str, Sequence[str]] | None = None,
                 seed_weight: float = defaults.SEED_WEIGHT, passes: int = defaults.PASSES,
                 iterations: int = 100, chunksize: int = 2000, alpha: str | float = "symmetric",
                 eta: float | None = None, random_state: int = 0,
                 min_df: int | float = defaults.MIN_DF, max_df: int | float = 0.5,
                 keep_places: bool = defaults.KEEP_PLACES,
                 keep_policy_verbs: bool = defaults.KEEP_POLICY_VERBS,
                 multicore: bool = False, workers: int | None = None) -> None:
        self.k = k
        self.seed_terms = seed_terms
        self.seed_weight = seed_weight
        self.passes = passes
        self.iterations = iterations
        self.chunksize = chunksize
        self.alpha = alpha
        self.eta = eta
        self.random_state = random_state
        self.min_df = min_df
        self.max_df = max_df
        self.keep_places = keep_places
        self.keep_policy_verbs = keep_policy_verbs
        self.multicore = multicore
        self.workers = workers

    def fit(self, X: DocumentTermMatrix | Sequence[Sequence[str]],
            rows: pd.DataFrame | None = None) -> TopicModel:
        """Train on token lists (or a :class:`DocumentTermMatrix`); ``rows``: unit metadata."""
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise OptionError(f"k must be a positive integer; got {self.k!r}")
        dtm = X if isinstance(X, DocumentTermMatrix) else dtm_from_tokens(X, rows)
        n_units = dtm.matrix.shape[0]
        if not n_units:
            raise InputError("no document or passage with text to fit topics on")
        unit = "passage" if "passage_id" in dtm.rows.columns else "document"
        for found in few_units(n_units, self.k, unit):
            diagnostics.warn(found.kind, found.message, stage=found.stage, stacklevel=2)
        seeds = [term for terms in (self.seed_terms or {}).values() for term in terms]
        dtm = dtm.filter(self.min_df, self.max_df, keep=seeds)
        self.place_terms_: list[str] = []
        if not self.keep_places:
            from nqp_text.analysis.places import place_terms

            dtm, self.place_terms_ = _without(dtm, place_terms(dtm.vocabulary, keep=seeds))
        if not self.keep_policy_verbs:
            dtm, _ = _without(dtm, _policy_verbs() - set(seeds))
        if not dtm.vocabulary:
            raise InputError(f"no term occurs in at least min_df={self.min_df} of the "
                             f"{n_units} units (and in at most max_df={self.max_df} of them); "
                             "lower min_df (--min-df) or add documents")
        dictionary, bow = dtm.to_gensim()
        base = self.eta if self.eta is not None else 1.0 / self.k
        eta: Any = base
        self.seed_terms_: dict[str, list[str]] = {}
        if self.seed_terms:
            eta, self.seed_terms_ = seeded_eta(dtm.vocabulary, dtm.term_totals().to_numpy(),
                                               self.k, self.seed_terms, base, self.seed_weight)
            absent = [label for label, found in self.seed_terms_.items() if not found]
            if absent:
                diagnostics.warn("seed_terms_absent", f"none of the seed terms of "
                                 f"{', '.join(absent)} occurs in the training text; those "
                                 "topics are effectively free", stage="topics", stacklevel=2)
        if not self.multicore:
            from nqp_text.topics._inference import CountRows

            bow = CountRows(dtm.matrix)  # the same documents, read by FastLdaModel without tuples
        self.model_ = self._train(bow, dictionary, eta)
        self.dictionary_ = dictionary
        self.vocabulary_ = list(dtm.vocabulary)
        self.rows_ = dtm.rows.reset_index(drop=True)
        self.lengths_ = dtm.n_tokens
        self.labels_ = [*self.seed_terms_, *(f"free_{i + 1}"
                                             for i in range(self.k - len(self.seed_terms_)))]
        self.doc_topics_ = self._infer(bow)
        return self

    def _train(self, bow: Sequence[Any], dictionary: Any, eta: Any) -> Any:
        from gensim.models import LdaMulticore

        from nqp_text.topics._inference import FastLdaModel

        common = dict(corpus=bow, id2word=dictionary, num_topics=self.k, passes=self.passes,
                      iterations=self.iterations, chunksize=self.chunksize, eta=eta,
                      random_state=np.random.RandomState(self.random_state), eval_every=None,
                      dtype=np.float64)
        if self.multicore:
            alpha = "symmetric" if self.alpha == "auto" else self.alpha
            return LdaMulticore(workers=self.workers, alpha=alpha, **common)
        return FastLdaModel(alpha=self.alpha, update_every=1, **common)

    def _infer(self, bow: Sequence[Any]) -> np.ndarray:
        model = self.model_
        saved = model.random_state
        model.random_state = np.random.RandomState(self.random_state)
        try:
            gamma, _ = model.inference(bow)
        finally:
            model.random_state = saved
        return gamma / gamma.sum(axis=1, keepdims=True)

    def _check_fitted(self) -> None:
        check_is_fitted(self, "model_")

    def transform(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic weights (rows sum to 1) of new token lists; deterministic per call."""
        self._check_fitted()
        return self._infer([self.dictionary_.doc2bow(list(tokens)) for tokens in X])

    def topic_terms(self, topic: int, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` most probable terms of ``topic`` with their probabilities."""
        self._check_fitted()
        return [(self.vocabulary_[i], float(p))
                for i, p in self.model_.get_topic_terms(topic, topn=n)]

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """Tidy ``topic, label, rank, term, weight, seed`` (seed: a seed term of the topic)."""
        self._check_fitted()
        rows = []
        for topic, label in enumerate(self.labels_):
            seeds = set(self.seed_terms_.get(label, ()))
            for rank, (term, weight) in enumerate(self.topic_terms(topic, n), start=1):
                rows.append((topic, label, rank, term, weight, term in seeds))
        return pd.DataFrame(rows, columns=TOP_TERM_COLUMNS)

    def topic_names(self, n: int = 3) -> list[str]:
        """A short display name per topic: its label and first ``n`` terms."""
        return [f"{label}: {' '.join(term for term, _ in self.topic_terms(topic, n))}"
                for topic, label in enumerate(self.labels_)]

    def document_topics(self) -> pd.DataFrame:
        """One row per unit: its ids, ``year``, ``title``, the ``topic_<i>`` weights, ``n_tokens``.

        Then the researcher's metadata columns (``province``, ``stkcd`` ...) and,
        last, what the readers recorded about the file (path, PDF statistics),
        so that the topic weights come right after what identifies the unit.
        """
        from nqp_text.analysis._groups import metadata_columns

        self._check_fitted()
        weights = pd.DataFrame(self.doc_topics_, columns=[f"topic_{i}" for i in range(self.k)])
        rows = self.rows_
        first = [c for c in ("passage_id", "doc_id", "seq", "year", "title") if c in rows.columns]
        meta = [c for c in metadata_columns(rows) if c not in first and c != "passage_id"
                and c != "seq"]
        rest = [c for c in rows.columns if c not in set(first) | set(meta)]
        return pd.concat([rows[first], weights.assign(n_tokens=self.lengths_), rows[meta],
                          rows[rest]], axis=1)

    def topic_prevalence(self, by: str | Sequence[str] | None = "year") -> pd.DataFrame:
        """Share of each topic per group, see :func:`topic_prevalence`."""
        return topic_prevalence(self, by=by)


def _without(dtm: DocumentTermMatrix, terms: set[str]) -> tuple[DocumentTermMatrix, list[str]]:
    """``dtm`` without the columns of ``terms`` and the terms it had among them (sorted)."""
    dropped = sorted(term for term in dtm.vocabulary if term in terms)
    if not dropped:
        return dtm, []
    columns = [i for i, term in enumerate(dtm.vocabulary) if term not in terms]
    kept = DocumentTermMatrix(dtm.matrix[:, columns].tocsr(),
                              [dtm.vocabulary[i] for i in columns], dtm.rows.copy())
    return kept, dropped


def _warn_ungrouped(rows: pd.DataFrame, names: list[str], valid: np.ndarray) -> None:
    """Say how many modelled units have no value in the grouping columns (left out)."""
    shown = ", ".join(names)
    first = ", ".join(list(dict.fromkeys(map(str, rows.loc[~valid, "doc_id"])))[:5]) \
        if "doc_id" in rows.columns else ""
    diagnostics.warn("group_missing", f"{int((~valid).sum())} of {len(valid)} modelled units "
                     f"have no {shown!r} and are left out of the topic prevalence by {shown!r}"
                     + (f" (first documents: {first})" if first else ""),
                     stage="topics", stacklevel=4)


@functools.lru_cache(maxsize=1)
def _policy_verbs() -> frozenset[str]:
    from nqp_text.segment.lexicon import data_path, load_wordlist

    return frozenset(load_wordlist(data_path("policy_verbs.txt")))


def topic_prevalence(model: TopicModel, by: str | Sequence[str] | None = "year") -> pd.DataFrame:
    """The share of each topic per group: the length-weighted mean document-topic weight.

    For group ``g`` and topic ``t``: ``sum_d n_d * theta_dt / sum_d n_d`` over the
    units ``d`` of ``g`` (``n_d``: their tokens in the model vocabulary), so the
    shares of a group sum to 1. Columns ``group, topic, label, prevalence,
    n_units, n_tokens`` (with ``by`` a list of columns, such as
    ``["province", "year"]``, one key column each instead of ``group``), sorted
    by group and topic; units without a group value (e.g. no year) are left out,
    with a ``group_missing`` warning.

    Example:
        >>> topic_prevalence(model, by="year")  # doctest: +SKIP
    """
    model._check_fitted()
    rows = model.rows_.reset_index(drop=True)
    names = None if by is None or isinstance(by, str) else [str(name) for name in by]
    wanted = names if names is not None else [] if by is None else [by]
    missing = [name for name in wanted if name not in rows.columns]
    if missing:
        raise KeyError(f"cannot group topics by {missing[0]!r}; unit columns: "
                       f"{', '.join(rows.columns)}")
    if by is None:
        keys = pd.DataFrame({"group": ["all"] * len(rows)})
    elif names is None:
        keys = pd.DataFrame({"group": rows[by]})
    else:
        keys = rows[names]
    valid = keys.notna().all(axis=1).to_numpy()
    if not valid.all():
        _warn_ungrouped(rows, wanted, valid)
    keys = keys[valid]
    groups = keys.drop_duplicates().sort_values(list(keys.columns), kind="stable")
    groups = groups.reset_index(drop=True)
    codes = pd.MultiIndex.from_frame(groups).get_indexer(pd.MultiIndex.from_frame(keys))
    lengths = np.asarray(model.lengths_, dtype=float)[valid]
    weighted = pd.DataFrame(model.doc_topics_[valid] * lengths[:, None])
    grouped = weighted.groupby(codes, sort=True).sum()
    totals = pd.Series(lengths).groupby(codes, sort=True).sum()
    units = pd.Series(codes).value_counts()
    table = []
    for code, values in grouped.iterrows():
        total = totals.loc[code]
        key = tuple(groups.iloc[code])
        for topic, value in enumerate(values.to_numpy()):
            share = value / total if total > 0 else np.nan
            table.append((*key, topic, model.labels_[topic], share, int(units.loc[code]),
                          int(total)))
    return pd.DataFrame(table, columns=[*groups.columns, *PREVALENCE_COLUMNS[1:]])


def few_units(n_units: int, k: int, unit: str) -> list[Any]:
    """A warning when fewer ``unit``s than topics are modelled (topics then mirror units).

    Example:
        >>> few_units(7, 12, "document")[0].message[:40]
        '7 documents for k=12 topics: with fewer '
    """
    from nqp_text.diagnostics import Diagnostic

    if n_units >= k or n_units == 0:
        return []
    return [Diagnostic("few_units", "topics",
                       f"{n_units} {unit}s for k={k} topics: with fewer {unit}s than topics, "
                       "topics mostly mirror single units and are not stable across seeds; "
                       f"use a smaller k (--k) or more text")]


def fit_topics(corpus: Any, k: int = defaults.K, *, seeded: bool = defaults.SEEDED,
               seed: int | None = None, unit: str = defaults.UNIT, tokens: Any = None,
               framework: Any = None, segmenter: Any = None, workers: int = 1,
               random_state: int | None = None, **params: Any) -> TopicModel:
    """Fit a :class:`TopicModel` on a corpus in one call, with the shared defaults.

    ``unit``: ``auto`` (default; :func:`~nqp_text.topics.defaults.choose_unit`
    picks passages for a few long documents, documents for many short ones),
    ``passage`` or ``document``; the model's ``unit_`` and ``unit_reason_`` say
    which and why. ``seeded=True`` (default) seeds the first six topics with the
    framework categories' terms (:func:`~nqp_text.analysis.vocabulary.category_map`);
    ``params`` go to :class:`TopicModel` (``passes``, ``min_df``, ``seed_weight``,
    ``keep_places`` ...). ``nqp-text topics`` and ``nqp-text run`` fit the same model.
    ``random_state`` (default 0) is the seed; ``seed`` is its alias (same results).

    Example:
        >>> model = fit_topics(corpus, k=12, seed=0)  # doctest: +SKIP
        >>> model.unit_, model.topic_prevalence("year")  # doctest: +SKIP
    """
    from nqp_text.analysis._inputs import passage_tokens
    from nqp_text.analysis.dtm import document_term_matrix
    from nqp_text.analysis.vocabulary import category_map

    lists = passage_tokens(corpus, tokens, segmenter, workers)
    lengths = lists.map(len).groupby(corpus.passages["doc_id"].astype(str).to_numpy()).sum()
    chosen, reason = defaults.choose_unit(unit, lengths.tolist(), k)
    dtm = document_term_matrix(corpus, unit=chosen, tokens=lists)
    seed_terms = category_map(None, framework) if seeded else None
    params.setdefault("max_df", defaults.max_df_for(chosen))
    model = TopicModel(k=k, seed_terms=seed_terms,
                       random_state=resolve_random_state(seed, random_state), **params).fit(dtm)
    model.unit_, model.unit_reason_ = chosen, reason
    return model
