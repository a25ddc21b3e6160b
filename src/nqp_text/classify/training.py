"""Train, cross-validate and save the FrameworkClassifier from a gold file (``nqp-text train``).

Example:
    >>> from nqp_text.classify.training import train_model
    >>> train_model("framework_passages_dev.jsonl", "my_model", seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nqp_text.classify.dictionary import DictionaryClassifier
from nqp_text.classify.evaluate import cross_validate_grouped
from nqp_text.classify.gold import file_sha256, read_gold
from nqp_text.classify.persist import save_model
from nqp_text.classify.supervised import FrameworkClassifier

PathLike = str | os.PathLike[str]


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    keep = ("macro_f1", "micro_f1", "exact_match", "per_category", "n", "n_splits", "folds")
    return {key: report[key] for key in keep if key in report}


def train_model(gold: PathLike, out: PathLike, seed: int = 0, cv: int = 5,
                params: dict[str, Any] | None = None) -> Path:
    """Fit on every passage of ``gold``, cross-validate by document, save to ``out``.

    The manifest records the training file's name and sha256, passage and label
    counts, the seed, the estimator parameters and the grouped ``cv``-fold metrics
    of both the FrameworkClassifier and the DictionaryClassifier (``cv=0`` skips
    them). The same inputs, seed and library versions give byte-identical files.
    """
    frame = read_gold(gold)
    texts = frame["text"].tolist()
    labels = [list(labels) for labels in frame["labels"]]
    estimator = FrameworkClassifier(random_state=seed, **(params or {}))
    model = estimator.fit(texts, labels)
    counts = {category: int(sum(category in row for row in labels))
              for category in model.categories_}
    extra: dict[str, Any] = {
        "seed": int(seed),
        "training_data": {
            "file": Path(gold).name, "sha256": file_sha256(gold), "n_passages": len(texts),
            "n_documents": int(frame["doc"].nunique()), "label_counts": counts,
            "n_none": int(sum(not row for row in labels)),
        },
        "command": f"nqp-text train {Path(gold).name} --out MODEL_DIR --seed {seed}",
    }
    if cv:
        groups = frame["doc"].tolist()
        extra["cv"] = {
            "method": f"GroupKFold(n_splits={cv}) by doc, metrics on pooled out-of-fold "
                      "predictions",
            "framework_classifier": _summary(
                cross_validate_grouped(estimator, texts, labels, groups, cv)),
            "dictionary_classifier": _summary(
                cross_validate_grouped(DictionaryClassifier(), texts, labels, groups, cv)),
        }
    return save_model(model, out, extra)
