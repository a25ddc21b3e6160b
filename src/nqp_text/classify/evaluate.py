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
from nqp_text.classify.labels import labels_checked, to_indicator, warn_label_coverage
from nqp_text.errors import InputError, OptionError


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
    """Score a fitted classifier on labelled passages (see :func:`metrics` for the keys).

    Warns (``gold_coverage``) when some categories label no passage: macro-F1 counts
    each of them as F1 0.
    """
    texts = as_texts(texts)
    predicted = model.predict_indicator(texts)
    truth = to_indicator(label_sets, model.categories_)
    if len(truth) != len(texts):
        raise InputError(f"{len(texts)} texts but {len(truth)} label sets")
    warn_label_coverage(truth, model.categories_, stage="evaluate")
    return metrics(truth, predicted, model.categories_)


def warn_domain_coverage(truth: np.ndarray, domains: Sequence[str], categories: Sequence[str],
                         files: dict[str, str] | None = None) -> list[str]:
    """Warn (``gold_coverage``) per domain about the categories none of its passages has
    although other domains' passages do; returns the warning messages.

    Such a category has no F1 in that domain's table (``nqp-text evaluate`` shows
    ``n/a (no gold)``) and counts as 0 in the domain's macro-F1, so two domains'
    macro-F1 are not comparable. Categories no passage of any domain has are
    :func:`~nqp_text.classify.labels.warn_label_coverage`'s (pooled) warning.
    ``files`` maps a domain to its gold file, which the warning names.

    Example:
        >>> from nqp_text.diagnostics import collect
        >>> truth = np.array([[1, 1], [1, 0], [1, 0]])
        >>> with collect() as found:
        ...     _ = warn_domain_coverage(truth, ["nat", "prov", "prov"], ["a", "b"],
        ...                              {"prov": "prov.jsonl"})
        >>> [d.line().split(" (")[0] for d in found]
        ['warning: prov.jsonl: no passage of the 2 of domain prov is labelled b']
    """
    from nqp_text.diagnostics import warn

    truth = np.asarray(truth)
    names = np.asarray([str(d) for d in domains])
    present = truth.sum(axis=0) > 0 if len(truth) else np.zeros(len(categories), dtype=bool)
    messages = []
    for name in sorted(set(names.tolist())):
        part = truth[names == name]
        absent = [c for j, c in enumerate(categories) if present[j] and not part[:, j].any()]
        if not absent or len(set(names.tolist())) < 2:
            continue
        share = (len(categories) - len(absent)) / len(categories)
        message = (f"no passage of the {len(part)} of domain {name} is labelled "
                   f"{', '.join(absent)} (other domains' passages are): the {name} table shows "
                   f"n/a (no gold) for {'it' if len(absent) == 1 else 'them'}, and {name}'s "
                   f"macro-F1 counts {'it' if len(absent) == 1 else 'each'} as 0 (so it is at "
                   f"most {share:.3f}); compare domains on micro-F1 or on the categories "
                   f"both have")
        where = [files[name]] if files and name in files else []
        warn("gold_coverage", message, stage="evaluate", files=where)
        messages.append(message)
    return messages


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
        raise InputError(f"{len(texts)} texts, {len(label_list)} label sets and "
                         f"{len(groups)} groups must have the same length")
    n_groups = len(set(groups.tolist()))
    if n_groups < n_splits:
        raise OptionError(f"{n_splits} folds need at least {n_splits} groups, got {n_groups}")
    categories: Sequence[str] = ()
    truth = predicted = np.zeros((0, 0), dtype=np.int64)
    folds = []
    dummy = np.zeros(len(texts))
    for train, test in GroupKFold(n_splits=n_splits).split(dummy, dummy, groups):
        with labels_checked():
            model = clone(estimator).fit([texts[i] for i in train],
                                         [label_list[i] for i in train])
        if not len(categories):
            categories = model.categories_
            truth = to_indicator(label_list, categories)
            predicted = np.zeros_like(truth)
        predicted[test] = model.predict_indicator([texts[i] for i in test])
        fold = metrics(truth[test], predicted[test], categories)
        folds.append({"macro_f1": fold["macro_f1"], "micro_f1": fold["micro_f1"],
                      "n": fold["n"], "groups": sorted(set(groups[test].tolist()))})
    result = metrics(truth, predicted, categories)
    result.update({"n_splits": n_splits, "grouped": True, "folds": folds})
    return result


def calibration(truth: np.ndarray, probability: np.ndarray, categories: Sequence[str],
                bins: int = 10) -> dict[str, Any]:
    """Brier score and a reliability table per category from 0/1 truth and probabilities.

    The reliability table cuts ``[0, 1]`` into ``bins`` equal bins and lists, for
    every non-empty bin, ``[low, high, n, mean_probability, observed_rate]``: a
    calibrated model has ``mean_probability`` close to ``observed_rate`` in every
    bin. ``brier`` is the mean squared difference between probability and truth;
    ``brier_prior`` is that of always predicting the category's base rate (a
    model worse than it carries no information).

    Example:
        >>> table = calibration(np.array([[1], [0]]), np.array([[0.9], [0.2]]), ["a"])
        >>> table["a"]["brier"], table["a"]["reliability"][0]
        (0.025, [0.2, 0.3, 1, 0.2, 0.0])
    """
    truth = np.asarray(truth, dtype=float)
    probability = np.clip(np.asarray(probability, dtype=float), 0.0, 1.0)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.minimum((probability * bins).astype(int), bins - 1)
    out: dict[str, Any] = {}
    for j, category in enumerate(categories):
        rate = float(truth[:, j].mean()) if len(truth) else 0.0
        table = []
        for b in range(bins):
            mask = which[:, j] == b
            if mask.any():
                table.append([_round(edges[b]), _round(edges[b + 1]), int(mask.sum()),
                              _round(probability[mask, j].mean()),
                              _round(truth[mask, j].mean())])
        out[category] = {
            "brier": _round(np.mean((probability[:, j] - truth[:, j]) ** 2)) if len(truth)
            else 0.0,
            "brier_prior": _round(rate * (1 - rate)),
            "reliability": table,
        }
    return out


def mean_report(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The mean of several :func:`metrics` dicts (same categories): every figure averaged.

    ``n`` and ``support`` are those of the first report (the same passages in
    every fold assignment); ``macro_f1_by_split`` lists each report's macro-F1.
    """
    first = reports[0]
    out: dict[str, Any] = {"n": first["n"]}
    for key in ("macro_f1", "micro_f1", "exact_match"):
        out[key] = _round(np.mean([r[key] for r in reports]))
    out["per_category"] = {
        category: {**{key: _round(np.mean([r["per_category"][category][key] for r in reports]))
                      for key in ("precision", "recall", "f1")},
                   "support": row["support"]}
        for category, row in first["per_category"].items()
    }
    out["macro_f1_by_split"] = [r["macro_f1"] for r in reports]
    return out


def grouped_splits(groups: Sequence[Any], n_splits: int, repeats: int
                   ) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """``repeats`` fold assignments of ``GroupKFold(n_splits)`` over ``groups``.

    The first is scikit-learn's unshuffled ``GroupKFold`` (balanced fold sizes);
    repeat ``r >= 1`` shuffles the groups with ``random_state=r``. Fixed seeds, so
    every call gives the same folds.
    """
    from sklearn.model_selection import GroupKFold

    groups = np.asarray(list(groups))
    n_groups = len(set(groups.tolist()))
    if n_groups < n_splits:
        raise OptionError(f"{n_splits} folds need at least {n_splits} groups, got {n_groups}")
    if repeats < 1:
        raise OptionError(f"repeats must be at least 1, got {repeats}")
    out = []
    for r in range(repeats):
        splitter = (GroupKFold(n_splits=n_splits) if r == 0
                    else GroupKFold(n_splits=n_splits, shuffle=True, random_state=r))
        dummy = np.zeros(len(groups))
        out.append(list(splitter.split(dummy, dummy, groups)))
    return out


def fit_with_groups(estimator: Any, texts: list[str], label_list: list[Any],
                    groups: Sequence[Any] | None) -> Any:
    """``estimator.fit(texts, labels, groups=groups)`` when its ``fit`` takes groups
    (the FrameworkClassifier's calibration folds use them), else ``fit(texts, labels)``."""
    import inspect

    if groups is not None and "groups" in inspect.signature(estimator.fit).parameters:
        return estimator.fit(texts, label_list, groups=list(groups))
    return estimator.fit(texts, label_list)


def out_of_fold(estimator: Any, texts: list[str], label_list: list[Any],
                splits: Sequence[tuple[np.ndarray, np.ndarray]],
                groups: Sequence[Any] | None = None
                ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """``(categories, predicted 0/1, probability)`` of every passage from the fold that
    held it out; each fold fits a clone of ``estimator`` on the other folds (passing
    their ``groups`` on, see :func:`fit_with_groups`)."""
    from sklearn.base import clone

    predicted: np.ndarray | None = None
    probability: np.ndarray | None = None
    categories: tuple[str, ...] = ()
    for train, test in splits:
        with labels_checked():
            model = fit_with_groups(clone(estimator), [texts[i] for i in train],
                                    [label_list[i] for i in train],
                                    None if groups is None else [groups[i] for i in train])
        fold_predicted, fold_probability = model.predict_with_proba([texts[i] for i in test])
        if predicted is None:
            categories = tuple(model.categories_)
            predicted = np.zeros((len(texts), len(categories)), dtype=np.int64)
            probability = np.zeros((len(texts), len(categories)))
        predicted[test] = fold_predicted
        probability[test] = fold_probability
    assert predicted is not None and probability is not None
    return categories, predicted, probability


def cross_validate_domains(estimator: Any, texts: Any, label_sets: Any, groups: Sequence[Any],
                           domains: Sequence[str] | None = None, n_splits: int = 5,
                           repeats: int = 3) -> dict[str, Any]:
    """Grouped cross-validation over several fold assignments, per domain and pooled.

    The estimator is trained on the pooled training folds (all domains together)
    and scored on the held-out documents; ``domains`` (e.g. ``national`` /
    ``provincial``, one per passage) splits the scoring, not the training. Each
    figure is the mean over ``repeats`` fold assignments (:func:`grouped_splits`)
    of the metrics of the pooled out-of-fold predictions. Returns ``pooled`` and
    ``domains`` (name -> :func:`mean_report`), ``calibration`` (pooled, all
    repeats' out-of-fold probabilities, :func:`calibration`), ``n_splits``,
    ``repeats`` and ``method``.

    Example:
        >>> report = cross_validate_domains(model, texts, labels, docs, domains)  # doctest: +SKIP
        >>> report["domains"]["provincial"]["macro_f1"]  # doctest: +SKIP
    """
    texts = as_texts(texts)
    label_list = list(label_sets)
    groups = list(groups)
    names = ["all"] * len(texts) if domains is None else [str(d) for d in domains]
    if not len(texts) == len(label_list) == len(groups) == len(names):
        raise InputError(f"{len(texts)} texts, {len(label_list)} label sets, {len(groups)} "
                         f"groups and {len(names)} domains must have the same length")
    per_domain: dict[str, list[dict[str, Any]]] = {name: [] for name in sorted(set(names))}
    pooled: list[dict[str, Any]] = []
    truths, probabilities = [], []
    categories: tuple[str, ...] = ()
    domain_array = np.asarray(names)
    for splits in grouped_splits(groups, n_splits, repeats):
        categories, predicted, probability = out_of_fold(estimator, texts, label_list, splits,
                                                         groups)
        truth = to_indicator(label_list, categories)
        pooled.append(metrics(truth, predicted, categories))
        for name in per_domain:
            mask = domain_array == name
            per_domain[name].append(metrics(truth[mask], predicted[mask], categories))
        truths.append(truth)
        probabilities.append(probability)
    return {
        "method": f"GroupKFold(n_splits={n_splits}) by doc, {repeats} fold assignment(s) "
                  "(unshuffled, then shuffled with seeds 1..), trained on all domains, "
                  "metrics of the pooled out-of-fold predictions averaged over assignments",
        "n_splits": n_splits, "repeats": repeats,
        "pooled": mean_report(pooled),
        "domains": {name: mean_report(reports) for name, reports in per_domain.items()},
        "calibration": calibration(np.vstack(truths), np.vstack(probabilities), categories),
    }


def report_frame(report: dict[str, Any]) -> pd.DataFrame:
    """The per-category part of an evaluation dict as a DataFrame, plus micro/macro rows."""
    frame = pd.DataFrame.from_dict(report["per_category"], orient="index")
    frame.index.name = "category"
    return frame[["precision", "recall", "f1", "support"]]
