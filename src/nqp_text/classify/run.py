"""Label a corpus's passages: ``passages.parquet`` -> ``labels.parquet`` (``nqp-text classify``).

``labels.parquet`` has one row per passage, in passage order: ``passage_id``,
``labels`` (list of category ids, empty = none), ``score_<category>`` (the
model's probability, or for the dictionary ``evidence / (evidence + threshold)``)
and ``evidence`` (the framework keywords found, ``category: term, term; ...``).

Example:
    >>> import nqp_text
    >>> from nqp_text.classify.run import classify_passages
    >>> frame = classify_passages(corpus.passages, nqp_text.load_model("default"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text._atomic import atomic_path

LABELS_FILE = "labels.parquet"
PathLike = str | os.PathLike[str]


def classify_texts(texts: list[str], model: Any) -> pd.DataFrame:
    """``labels, score_<category>..., evidence`` for each text (one row per text).

    Each text is segmented once; labels, scores and evidence come from that one
    analysis (:meth:`~nqp_text.classify.base.LabelSetMixin.classify`).
    """
    indicator, scores, evidence = model.classify(texts)
    categories = list(model.categories_)
    frame = pd.DataFrame({
        "labels": [[categories[j] for j in range(len(categories)) if row[j]]
                   for row in indicator],
    })
    for j, category in enumerate(categories):
        frame[f"score_{category}"] = scores[:, j].astype(float) if len(texts) else []
    frame["evidence"] = evidence
    return frame


def classify_passages(passages: pd.DataFrame, model: Any, batch_size: int = 512, *,
                      check_units: bool = True) -> pd.DataFrame:
    """``passage_id, labels, score_<category>..., evidence`` for a passages DataFrame.

    With ``check_units``, warns (:mod:`nqp_text.diagnostics`) when the paragraph-trained
    model is given mostly short units (``nqp-text run`` checks its options once instead).
    """
    missing = {"passage_id", "text"} - set(passages.columns)
    if missing:
        raise ValueError(f"passages lack column(s) {sorted(missing)}")
    texts = passages["text"].astype(str).tolist()
    if check_units:
        _warn_short_units(texts, model)
    parts = [classify_texts(texts[i:i + batch_size], model)
             for i in range(0, len(texts), batch_size)] or [classify_texts([], model)]
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "passage_id", passages["passage_id"].astype(str).tolist())
    return frame


def _warn_short_units(texts: list[str], model: Any) -> None:
    """Warn when a paragraph-trained model labels mostly short units (sentences, small windows)."""
    from nqp_text.classify.supervised import FrameworkClassifier
    from nqp_text.diagnostics import warn
    from nqp_text.pipeline.checks import SHORT_UNIT

    if not texts or not isinstance(model, FrameworkClassifier):
        return
    lengths = sorted(len(text) for text in texts)
    median = lengths[len(lengths) // 2]
    if median < SHORT_UNIT:
        warn("short_units", f"the passages are short (median {median} characters) and the "
             "model was trained on paragraphs: short units get low probabilities and often no "
             "label (发展人工智能。 p=0.11), so passage shares are too low; classify paragraphs "
             "(--unit paragraph) or use the dictionary model for sentences", stage="classify",
             stacklevel=4)


def classify_directory(directory: PathLike, model: Any) -> Path:
    """Read ``DIR/passages.parquet``, write ``DIR/labels.parquet`` atomically; returns its path."""
    directory = Path(directory)
    source = directory / "passages.parquet"
    if not source.exists():
        raise FileNotFoundError(f"{source}: missing; run `nqp-text ingest` with --out "
                                f"{directory} first")
    passages = pd.read_parquet(source, columns=["passage_id", "text"])
    frame = classify_passages(passages, model)
    target = directory / LABELS_FILE
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)
    return target
