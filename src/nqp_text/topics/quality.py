"""Does a seeded topic model hold? Seeded share, agreement with the classifier, warnings.

A seeded topic is meant to follow a framework category. Two measures say
whether it does, on the same passages:

* **seeded share** (:func:`seeded_share`): the share of all tokens the seeded
  topics take together (length-weighted mean of their weights). A handful of
  percent means the seeds hardly shaped the model;
* **agreement** (:func:`category_agreement`): per seeded category, the rank
  correlation (Spearman) between the topic's prevalence in each document (or
  year) and the share of that document's passages the classifier labels with
  the category. Positive: where the classifier finds the category, so does the
  topic.

:func:`topic_warnings` turns both, free topics whose top terms are mostly
place names, and topics whose top terms are mostly in traditional characters (a
corpus that mixes scripts: the traditional documents form a topic of their own,
even a seeded one), into messages the CLI and the pipeline print and record.

Example:
    >>> agreement = category_agreement(model.document_topics(), model.labels_, labels,
    ...                                passages, by="doc_id")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

AGREEMENT_COLUMNS = ["by", "label", "rho", "p_value", "n_groups", "topic_share",
                     "classifier_share"]
#: Seeded topics holding less than this share together trigger a warning.
MIN_SEEDED_SHARE = 0.05
#: A free topic whose top terms are at least this share of place names triggers a warning.
MAX_PLACE_SHARE = 0.5
#: A topic whose top terms are at least this share in traditional characters triggers a warning.
MAX_TRADITIONAL_SHARE = 0.5


def seeded_share(document_topics: pd.DataFrame, labels: Sequence[str],
                 seeded: Sequence[str]) -> float:
    """Length-weighted share of all tokens in the ``seeded`` topics (0-1).

    ``document_topics``: :meth:`TopicModel.document_topics` (``topic_<i>`` and
    ``n_tokens`` columns); ``labels``: the model's ``labels_``.
    """
    columns = [f"topic_{i}" for i, label in enumerate(labels) if label in set(seeded)]
    weights = document_topics["n_tokens"].to_numpy(dtype=float)
    if not columns or weights.sum() == 0:
        return 0.0
    return float((document_topics[columns].to_numpy().sum(axis=1) * weights).sum()
                 / weights.sum())


def _topic_shares(document_topics: pd.DataFrame, labels: Sequence[str], by: str
                  ) -> pd.DataFrame:
    columns = [f"topic_{i}" for i in range(len(labels))]
    weights = document_topics["n_tokens"].to_numpy(dtype=float)
    weighted = pd.DataFrame(document_topics[columns].to_numpy() * weights[:, None],
                            columns=list(labels))
    keys = document_topics[by].astype(str).to_numpy()
    sums = weighted.groupby(keys, sort=True).sum()
    totals = pd.Series(weights).groupby(keys, sort=True).sum()
    return sums.div(totals.replace(0, np.nan), axis=0)


def _classifier_shares(labels: pd.DataFrame, passages: pd.DataFrame, categories: Sequence[str],
                       by: str) -> pd.DataFrame:
    merged = passages[["passage_id", by]].merge(labels[["passage_id", "labels"]],
                                                on="passage_id", how="inner")
    keys = merged[by].astype(str).to_numpy()
    flags = pd.DataFrame({category: [category in set(found) for found in merged["labels"]]
                          for category in categories}, dtype=float)
    return flags.groupby(keys, sort=True).mean()


def category_agreement(document_topics: pd.DataFrame, topic_labels: Sequence[str],
                       labels: pd.DataFrame, passages: pd.DataFrame,
                       by: str = "doc_id") -> pd.DataFrame:
    """Spearman correlation of each seeded topic's prevalence with its category's share.

    ``document_topics``: per unit (passage or document), with ``by`` and
    ``n_tokens``; ``topic_labels``: the model's ``labels_`` (the categories are
    those of them that are columns of ``labels``' category set); ``labels``:
    ``passage_id, labels`` (the classifier's output, a list of categories per
    passage); ``passages``: ``passage_id`` and ``by``. Per group of ``by`` the topic
    share is the length-weighted mean topic weight and the classifier share the
    share of its passages labelled with the category. Returns one row per
    category: ``by, label, rho, p_value, n_groups, topic_share, classifier_share``
    (the last two: means over groups); ``rho`` is NaN with fewer than three
    groups or a constant column.

    Example:
        >>> category_agreement(model.document_topics(), model.labels_, labels,
        ...                    corpus.passages, by="year")  # doctest: +SKIP
    """
    from scipy.stats import spearmanr

    known = {category for found in labels["labels"] for category in found}
    categories = [label for label in topic_labels if label in known]
    rows = []
    if not categories:
        return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    topics = _topic_shares(document_topics, topic_labels, by)
    classified = _classifier_shares(labels, passages, categories, by)
    groups = topics.index.intersection(classified.index)
    for category in categories:
        x = topics.loc[groups, category].to_numpy(dtype=float)
        y = classified.loc[groups, category].to_numpy(dtype=float)
        valid = ~(np.isnan(x) | np.isnan(y))
        rho = p_value = float("nan")
        if valid.sum() >= 3 and np.ptp(x[valid]) > 0 and np.ptp(y[valid]) > 0:
            result = spearmanr(x[valid], y[valid])
            rho, p_value = float(result.statistic), float(result.pvalue)
        rows.append((by, category, rho, p_value, int(valid.sum()),
                     float(np.nanmean(x)) if len(x) else float("nan"),
                     float(np.nanmean(y)) if len(y) else float("nan")))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def place_heavy_topics(top_terms: pd.DataFrame, n: int = 10,
                       threshold: float = MAX_PLACE_SHARE) -> dict[str, list[str]]:
    """Topics whose ``n`` top terms are at least ``threshold`` place names: label -> places.

    ``top_terms``: :meth:`TopicModel.top_terms` (``label, rank, term``).
    """
    from nqp_text.analysis.places import is_place

    found = {}
    for label, group in top_terms.sort_values(["topic", "rank"]).groupby("label", sort=False):
        terms = list(group["term"].head(n))
        places = [term for term in terms if is_place(term)]
        if terms and len(places) / len(terms) >= threshold:
            found[str(label)] = places
    return found


def traditional_topics(top_terms: pd.DataFrame, n: int = 10,
                       threshold: float = MAX_TRADITIONAL_SHARE) -> dict[str, list[str]]:
    """Topics whose ``n`` top terms are at least ``threshold`` terms written with a
    traditional-only character (:func:`nqp_text.io.checks.traditional_only`): label -> terms.

    Example:
        >>> terms = pd.DataFrame({"topic": [0, 0, 1, 1], "label": ["a", "a", "b", "b"],
        ...                       "rank": [1, 2, 1, 2], "term": ["我們", "國家", "数据", "要素"]})
        >>> traditional_topics(terms)
        {'a': ['我們', '國家']}
    """
    from nqp_text.io.checks import traditional_only

    characters = traditional_only()
    found = {}
    for label, group in top_terms.sort_values(["topic", "rank"]).groupby("label", sort=False):
        terms = [str(term) for term in group["term"].head(n)]
        written = [term for term in terms if any(char in characters for char in term)]
        if terms and len(written) / len(terms) >= threshold:
            found[str(label)] = written
    return found


def topic_warnings(top_terms: pd.DataFrame, share: float | None, seeded: bool,
                   minimum: float = MIN_SEEDED_SHARE) -> list[str]:
    """Messages for place-name topics, traditional-script topics and for seeded topics that
    hold too little.

    Example:
        >>> topic_warnings(model.top_terms(10), 0.02, seeded=True)  # doctest: +SKIP
        ['the seeded framework topics hold only 2.0% of the tokens ...']
    """
    messages = []
    for label, places in place_heavy_topics(top_terms).items():
        messages.append(f"topic {label} is mostly place names ({' '.join(places)}): it "
                        "separates regions, not themes; drop keep_places/--keep-places or "
                        "model passages instead of documents")
    for label, terms in traditional_topics(top_terms).items():
        messages.append(f"topic {label} is mostly terms in traditional characters "
                        f"({' '.join(terms)}): it separates the traditional-script documents, "
                        "not a theme; convert them (to_simplified=True, --to-simplified)")
    if seeded and share is not None and share < minimum:
        messages.append(f"the seeded framework topics hold only {share:.1%} of the tokens "
                        f"(under {minimum:.0%}): they barely follow the framework; model "
                        "passages (unit='passage') or raise seed_weight")
    return messages


def model_summary(model: Any) -> dict[str, Any]:
    """What ``topic_model.json`` records of a fitted model (JSON-ready).

    The unit and why (``unit_``/``unit_reason_`` as ``fit_topics`` sets them),
    the number of units, ``max_df``, the seeded topics, the labels, and the
    place names left out of the vocabulary (count and the first 20).
    """
    return {"unit": getattr(model, "unit_", None),
            "unit_reason": getattr(model, "unit_reason_", None),
            "n_units": int(len(model.rows_)), "max_df": model.max_df,
            "seeded_topics": list(model.seed_terms_), "labels": list(model.labels_),
            "place_terms_removed": len(model.place_terms_),
            "place_terms_examples": list(model.place_terms_[:20])}


def mean_rho(agreement: pd.DataFrame, by: str) -> float | None:
    """Mean Spearman rho of an agreement table at one level (``doc_id``/``year``), or None."""
    values = agreement.loc[agreement["by"] == by, "rho"].dropna()
    return round(float(values.mean()), 4) if len(values) else None


def table_warnings(document_topics: pd.DataFrame, topic_labels: Sequence[str],
                   seeded: Sequence[str], top_terms: pd.DataFrame,
                   agreement: pd.DataFrame) -> list[str]:
    """The warnings of a fitted model from its tables: the pipeline and the report (which
    reads them back from the folder) say exactly the same."""
    share = seeded_share(document_topics, topic_labels, seeded) if seeded else None
    messages = topic_warnings(top_terms, share, bool(seeded))
    by_document = mean_rho(agreement, "doc_id")
    if by_document is not None and by_document <= 0:
        messages.append(f"the seeded topics do not follow the classifier's categories across "
                        f"documents (mean Spearman rho {by_document:+.2f})")
    return messages


def diagnose(document_topics: pd.DataFrame, topic_labels: Sequence[str],
             seeded: Sequence[str], top_terms: pd.DataFrame, labels: pd.DataFrame | None = None,
             passages: pd.DataFrame | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """The seeded share, the agreement with the classifier and the warnings of a fitted model.

    Works from the model's tables (``document_topics``, ``top_terms``), so the
    pipeline can call it after classification, from what it wrote. ``labels``
    (``passage_id, labels``) and ``passages`` (``passage_id, doc_id, year``):
    the classifier's output; without them there is no agreement. Returns a
    JSON-ready summary (``seeded_share``, ``agreement_by_document``,
    ``agreement_by_year``: mean Spearman rho over the seeded categories, or
    ``None``; ``warnings``) and the agreement table (both levels).

    Example:
        >>> summary, table = diagnose(model.document_topics(), model.labels_,  # doctest: +SKIP
        ...                           list(model.seed_terms_), model.top_terms(10))
    """
    share = seeded_share(document_topics, topic_labels, seeded) if seeded else None
    tables = []
    if labels is not None and passages is not None and seeded:
        for by in ("doc_id", "year"):
            if by in document_topics.columns and by in passages.columns:
                found = category_agreement(document_topics, topic_labels, labels, passages, by)
                tables.append(found[found["label"].isin(seeded)])
    agreement = (pd.concat(tables, ignore_index=True) if tables
                 else pd.DataFrame(columns=AGREEMENT_COLUMNS))

    summary = {"seeded_share": None if share is None else round(share, 4),
               "agreement_by_document": mean_rho(agreement, "doc_id"),
               "agreement_by_year": mean_rho(agreement, "year"),
               "warnings": table_warnings(document_topics, topic_labels, seeded, top_terms,
                                          agreement)}
    return summary, agreement
