"""Multi-label evaluation: per-category precision/recall/F1, micro/macro-F1, exact match,
and cross-validation grouped by document.

Example:
    >>> import nqp_text
    >>> model = nqp_text.load_model("dictionary")
    >>> report = nqp_text.evaluate(model, ["深化户籍制度改革。"], [["factor_allocation"]])
    >>> report["micro_f1"], report["exact_match"]
    (1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.classify.base import as_texts
from nqp_text.classify.labels import to_indicator


def _round(value: float) -> float:
    return round(float(value), 6)


def metrics(truth: np.ndarray, predicted: np.ndarray, categories: Sequence[str]) -> dict[str, Any]:
    """The evaluation dict from two 0/1 matrices (columns in ``categories`` order).

    Keys: ``n``, ``macro_f1``, ``micro_f1``, ``exact_match`` and ``per_category``
    (category -> ``precision, recall, f1, support``). Undefined ratios are 0.
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    truth = np.asarray(truth)
    predicted = np.asarray(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, average=None, zero_division=0, labels=list(range(len(categories))))
    per_category = {
        category: {"precision": _round(precision[j]), "recall": _round(recall[j]),
                   "f1": _round(f1[j]), "support": int(support[j])}
        for j, category in enumerate(categories)
    }
    return {
        "n": int(len(truth)),
        "macro_f1": _round(f1_score(truth, predicted, average="macro", zero_division=0)),
        "micro_f1": _round(f1_score(truth, predicted, average="micro", zero_division=0)),
        "exact_match": _round(np.mean(np.all(truth == predicted, axis=1))) if len(truth) else 0.0,
        "per_category": per_category,
    }


def evaluate(model: Any, texts: Any, label_sets: Any) -> dict[str, Any]:
    """Score a fitted classifier on labelled passages (see :func:`metrics` for the keys)."""
    texts = as_texts(texts)
    predicted = model.predict_indicator(texts)
    truth = to_indicator(label_sets, model.categories_)
    if len(truth) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(truth)} label sets")
    return metrics(truth, predicted, model.categories_)


def cross_validate_grouped(estimator: Any, texts: Any, label_sets: Any, groups: Sequence[Any],
                           n_splits: int = 5) -> dict[str, Any]:
    """Grouped K-fold cross-validation (``GroupKFold``): no group in both train and test.

    Each fold fits a clone of ``estimator`` on the other folds' passages; the
    returned metrics are computed on the pooled out-of-fold predictions, plus
    ``folds`` (per-fold macro/micro-F1 and test groups), ``n_splits`` and ``grouped``.
    """
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold

    texts = as_texts(texts)
    label_list = list(label_sets)
    groups = np.asarray(list(groups))
    if not len(texts) == len(label_list) == len(groups):
        raise ValueError(f"{len(texts)} texts, {len(label_list)} label sets and "
                         f"{len(groups)} groups must have the same length")
    n_groups = len(set(groups.tolist()))
    if n_groups < n_splits:
        raise ValueError(f"{n_splits} folds need at least {n_splits} groups, got {n_groups}")
    first = clone(estimator).fit(texts[:1], label_list[:1])
    categories = first.categories_
    truth = to_indicator(label_list, categories)
    predicted = np.zeros_like(truth)
    folds = []
    for train, test in GroupKFold(n_splits=n_splits).split(texts, truth, groups):
        model = clone(estimator).fit([texts[i] for i in train], [label_list[i] for i in train])
        predicted[test] = model.predict_indicator([texts[i] for i in test])
        fold = metrics(truth[test], predicted[test], categories)
        folds.append({"macro_f1": fold["macro_f1"], "micro_f1": fold["micro_f1"],
                      "n": fold["n"], "groups": sorted(set(groups[test].tolist()))})
    result = metrics(truth, predicted, categories)
    result.update({"n_splits": n_splits, "grouped": True, "folds": folds})
    return result


def report_frame(report: dict[str, Any]) -> pd.DataFrame:
    """The per-category part of an evaluation dict as a DataFrame, plus micro/macro rows."""
    frame = pd.DataFrame.from_dict(report["per_category"], orient="index")
    frame.index.name = "category"
    return frame[["precision", "recall", "f1", "support"]]
