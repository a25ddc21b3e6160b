"""Label sets <-> indicator matrices over a framework's categories, and the label cap.

Labels of a passage are a *set* of category ids; an empty set means none of
them. Estimators work on a 0/1 matrix with one column per category (in the
framework's order) and give label sets back as sorted-by-category tuples.

Example:
    >>> from nqp_text.classify.labels import to_indicator, to_label_sets
    >>> cats = ("labor_force", "tech_innovation")
    >>> to_indicator([["tech_innovation"], []], cats).tolist()
    [[0, 1], [0, 0]]
    >>> to_label_sets([[1, 1]], cats)
    [('labor_force', 'tech_innovation')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from nqp_text.errors import InputError

#: The annotation guideline allows at most three labels per passage.
MAX_LABELS = 3


def to_indicator(label_sets: Any, categories: Sequence[str]) -> np.ndarray:
    """A ``(n, len(categories))`` int 0/1 matrix from label sets (or pass an indicator through).

    Each element of ``label_sets`` is an iterable of category ids (a list, set,
    tuple, or a NumPy array read from Parquet); a string is taken as one label.
    A 2-D 0/1 array with one column per category is accepted as is. Unknown
    ids raise ``ValueError`` naming them and the known ones.
    """
    if isinstance(label_sets, np.ndarray) and label_sets.ndim == 2:
        if label_sets.shape[1] != len(categories):
            raise InputError(f"indicator matrix has {label_sets.shape[1]} columns, "
                             f"expected {len(categories)} ({', '.join(categories)})")
        return (np.asarray(label_sets) != 0).astype(np.int64)
    index = {category: j for j, category in enumerate(categories)}
    rows = list(label_sets)
    matrix = np.zeros((len(rows), len(categories)), dtype=np.int64)
    for i, labels in enumerate(rows):
        for label in _as_labels(labels):
            j = index.get(label)
            if j is None:
                raise InputError(f"unknown label {label!r} in row {i}; "
                                 f"known: {', '.join(categories)}")
            matrix[i, j] = 1
    return matrix


def _as_labels(labels: Any) -> Iterable[str]:
    if labels is None:
        return ()
    if isinstance(labels, str):
        return (labels,) if labels else ()
    return [str(label) for label in labels]


def to_label_sets(indicator: Any, categories: Sequence[str]) -> list[tuple[str, ...]]:
    """Label tuples (in category order) from a 0/1 matrix."""
    matrix = np.asarray(indicator)
    return [tuple(categories[j] for j in np.flatnonzero(row)) for row in matrix]


def cap_labels(selected: np.ndarray, scores: np.ndarray, max_labels: int = MAX_LABELS
               ) -> np.ndarray:
    """Keep at most ``max_labels`` selected categories per row: those with the highest scores.

    Ties are broken by category order, so the result is deterministic.
    """
    selected = np.asarray(selected).astype(bool)
    out = selected.copy()
    if max_labels is None or max_labels <= 0:
        return out.astype(np.int64)
    for i in np.flatnonzero(selected.sum(axis=1) > max_labels):
        order = np.argsort(-np.asarray(scores[i], dtype=float), kind="stable")
        keep = [j for j in order if selected[i, j]][:max_labels]
        out[i] = False
        out[i, keep] = True
    return out.astype(np.int64)
