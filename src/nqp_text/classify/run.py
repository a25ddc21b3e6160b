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

import numpy as np
import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text.errors import InputError, MissingInputError, OptionError

LABELS_FILE = "labels.parquet"
PathLike = str | os.PathLike[str]


UNITS = ("paragraph", "sentence")


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text`` as ``--unit sentence`` cuts them (the text itself if none).

    Example:
        >>> sentences_of("培养人才。建设算力。")
        ['培养人才。', '建设算力。']
    """
    from nqp_text.preprocess.passages import split_spans

    return [text[start:end] for start, end in split_spans(text, unit="sentence")] or [text]


def classify_texts(texts: list[str], model: Any, unit: str = "paragraph",
                   tokens: list[list[str] | None] | None = None) -> pd.DataFrame:
    """``labels, score_<category>..., evidence`` for each text (one row per text).

    ``unit="paragraph"``: each text is labelled as a whole; it is segmented once
    and labels, scores and evidence come from that one analysis
    (:meth:`~nqp_text.classify.base.LabelSetMixin.classify`), or not segmented at
    all when ``tokens`` holds its full cut. ``unit="sentence"``:
    each sentence of a text is labelled on its own, and the text gets the union of
    its sentences' labels (at most three, the most probable), per category the
    largest sentence probability, and the evidence of its sentences (``tokens``
    are not used: the sentences are cut on their own).
    """
    if unit not in UNITS:
        raise OptionError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    if unit == "paragraph":
        indicator, scores, evidence = model.classify(texts, tokens=tokens)
    else:
        indicator, scores, evidence = _by_sentence(texts, model)
    categories = list(model.categories_)
    frame = pd.DataFrame({
        "labels": [[categories[j] for j in range(len(categories)) if row[j]]
                   for row in indicator],
    })
    for j, category in enumerate(categories):
        frame[f"score_{category}"] = scores[:, j].astype(float) if len(texts) else []
    frame["evidence"] = evidence
    return frame


def _by_sentence(texts: list[str], model: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    from nqp_text.classify.labels import MAX_LABELS, cap_labels

    pieces = [sentences_of(text) for text in texts]
    flat = [sentence for piece in pieces for sentence in piece]
    sentence_labels, sentence_scores, sentence_evidence = model.classify(flat)
    k = len(model.categories_)
    indicator = np.zeros((len(texts), k), dtype=np.int64)
    scores = np.zeros((len(texts), k))
    evidence = []
    limit = getattr(model, "max_labels", MAX_LABELS) or MAX_LABELS
    start = 0
    for i, piece in enumerate(pieces):
        stop = start + len(piece)
        scores[i] = sentence_scores[start:stop].max(axis=0)
        union = sentence_labels[start:stop].max(axis=0)
        indicator[i] = cap_labels(union[None, :], scores[i][None, :], limit)[0]
        evidence.append(" | ".join(e for e in sentence_evidence[start:stop] if e))
        start = stop
    return indicator, scores, evidence


def classify_passages(passages: pd.DataFrame, model: Any, batch_size: int = 512,
                      unit: str = "paragraph", *, check_units: bool = True,
                      tokens: list[list[str] | None] | None = None) -> pd.DataFrame:
    """``passage_id, labels, score_<category>..., evidence`` for a passages DataFrame.

    ``unit``: see :func:`classify_texts`. With ``check_units``, warns
    (:mod:`nqp_text.diagnostics`) when mostly short units are labelled as paragraphs
    (``nqp-text run`` checks its options once instead). ``tokens``: the full cut
    of each passage, in row order (see :func:`classify_texts`).
    """
    missing = {"passage_id", "text"} - set(passages.columns)
    if missing:
        raise InputError(f"passages lack column(s) {sorted(missing)}")
    texts = passages["text"].astype(str).tolist()
    if tokens is not None and len(tokens) != len(texts):
        raise ValueError(f"{len(texts)} passages but {len(tokens)} token lists")
    if check_units and unit == "paragraph":
        _warn_short_units(texts, model)
    parts = [classify_texts(texts[i:i + batch_size], model, unit,
                            None if tokens is None else tokens[i:i + batch_size])
             for i in range(0, len(texts), batch_size)] or [classify_texts([], model, unit)]
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "passage_id", passages["passage_id"].astype(str).tolist())
    return frame


def _warn_short_units(texts: list[str], model: Any) -> None:
    """Warn when a paragraph-trained model labels mostly short units (sentences, small windows)."""
    from nqp_text._checks import SHORT_UNIT
    from nqp_text.classify.supervised import FrameworkClassifier
    from nqp_text.diagnostics import warn

    if not texts or not isinstance(model, FrameworkClassifier):
        return
    lengths = sorted(len(text) for text in texts)
    median = lengths[len(lengths) // 2]
    if median < SHORT_UNIT:
        warn("short_units", f"the passages are short (median {median} characters): the "
             "model's measured F1 on single sentences is below its F1 on paragraphs (see the "
             "classification guide), so category shares of short units are less reliable; "
             "ingest paragraphs (--unit paragraph) where the texts have them", stage="classify",
             stacklevel=4)


def classify_directory(directory: PathLike, model: Any, unit: str = "paragraph") -> Path:
    """Read ``DIR/passages.parquet``, write ``DIR/labels.parquet`` atomically; returns its path
    (``unit``: see :func:`classify_texts`)."""
    directory = Path(directory)
    source = directory / "passages.parquet"
    if not source.exists():
        raise MissingInputError(f"{source}: missing; run `nqp-text ingest` with --out "
                                f"{directory} first", path=source)
    passages = pd.read_parquet(source, columns=["passage_id", "text"])
    frame = classify_passages(passages, model, unit=unit)
    target = directory / LABELS_FILE
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)
    return target
