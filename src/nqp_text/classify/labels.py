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

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Sequence
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


def warn_label_coverage(truth: np.ndarray, categories: Sequence[str], *, stage: str,
                        files: Sequence[str] = ()) -> list[str]:
    """Warn (``gold_coverage``) about the categories no labelled passage has and, for
    training, those every passage has; returns the warning messages.

    Evaluating, such a category has F1 0 whatever the model does, so macro-F1 is at
    most the share of categories the passages cover. Training (``stage="train"``), the
    model gets a constant score for it: it never (or always) predicts it.

    Example:
        >>> from nqp_text.diagnostics import collect
        >>> with collect() as found:
        ...     _ = warn_label_coverage(np.array([[1, 0], [1, 0]]), ["a", "b"], stage="train")
        >>> [d.message.split(":")[0] for d in found]
        ['no passage of 2 is labelled b', 'every passage of 2 is labelled a']
    """
    from nqp_text.diagnostics import warn

    truth = np.asarray(truth)
    n = len(truth)
    if not n:
        return []
    counts = truth.sum(axis=0)
    absent = [c for c, k in zip(categories, counts, strict=True) if k == 0]
    always = [c for c, k in zip(categories, counts, strict=True) if k == n]
    messages = []
    if absent and stage == "train":
        messages.append(f"no passage of {n} is labelled {', '.join(absent)}: the model "
                        f"gets a constant score there and never predicts "
                        f"{'it' if len(absent) == 1 else 'them'}; add labelled passages of "
                        f"every category before using its shares")
    elif absent:
        messages.append(f"no passage of {n} is labelled {', '.join(absent)}: each counts "
                        f"as F1 0 whatever the model predicts, so macro-F1 (the mean over "
                        f"{len(categories)} categories) is at most "
                        f"{(len(categories) - len(absent)) / len(categories):.3f}; read micro-F1 "
                        f"and the rows of the categories the passages have")
    if always and stage == "train":
        messages.append(f"every passage of {n} is labelled {', '.join(always)}: the "
                        f"model gets a constant score there and predicts "
                        f"{'it' if len(always) == 1 else 'them'} for every text")
    for message in messages:
        warn("gold_coverage", message, stage=stage, files=files)
    return messages


#: Set inside :func:`labels_checked`: the caller has checked the training labels already.
_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar("nqp_text_labels_checked",
                                                                default=False)


@contextlib.contextmanager
def labels_checked() -> Iterator[None]:
    """Inside this block :func:`check_training_labels` only raises, it does not warn.

    For callers that checked the whole training set themselves (naming its files) and
    then fit on it or on parts of it (the folds of a cross-validation), so one
    category missing from the gold is said once, not once per fit.
    """
    token = _CHECKED.set(True)
    try:
        yield
    finally:
        _CHECKED.reset(token)


def check_training_labels(truth: np.ndarray, categories: Sequence[str], *,
                          files: Sequence[str] = ()) -> list[str]:
    """Check the 0/1 label matrix a classifier is about to be trained on.

    Raises :class:`~nqp_text.errors.InputError` when no category has both classes
    (every category is never or always labelled: there is nothing to learn);
    otherwise warns (``gold_coverage``, stage ``train``, see
    :func:`warn_label_coverage`) naming each category that has one class only, as
    the model then gets a constant score there. Returns the warning messages.
    ``FrameworkClassifier.fit``, :func:`~nqp_text.classify.training.train_model`
    and ``nqp-text train`` all check through here.

    Example:
        >>> from nqp_text.diagnostics import collect
        >>> with collect() as found:
        ...     _ = check_training_labels(np.array([[1, 0], [0, 0]]), ["a", "b"])
        >>> [d.message.split(":")[0] for d in found]
        ['no passage of 2 is labelled b']
        >>> try:
        ...     check_training_labels(np.array([[1, 0], [1, 0]]), ["a", "b"])
        ... except InputError as error:
        ...     print(str(error).split(":")[0])
        no category has both labelled and unlabelled passages among the 2 training passages \
(every passage is labelled a; none is labelled b)
    """
    truth = np.asarray(truth)
    n = len(truth)
    counts = truth.sum(axis=0) if n else np.zeros(len(categories))
    if not any(0 < k < n for k in counts):
        always = [c for c, k in zip(categories, counts, strict=True) if n and k == n]
        never = [c for c, k in zip(categories, counts, strict=True) if k == 0]
        parts = ([f"every passage is labelled {', '.join(always)}"] if always else []) + \
            ([f"none is labelled {', '.join(never)}"] if never and n else [])
        where = f"{files[0]}: " if len(files) == 1 else ""
        across = f" (files {', '.join(files)})" if len(files) > 1 else ""
        why = f" ({'; '.join(parts)})" if parts else ""
        raise InputError(f"{where}no category has both labelled and unlabelled passages among "
                         f"the {n} training passages{across}{why}: the classifier cannot "
                         f"learn anything; add passages with and without each category")
    if _CHECKED.get():
        return []
    return warn_label_coverage(truth, categories, stage="train", files=files)
