"""Train, cross-validate and save the FrameworkClassifier from gold files (``nqp-text train``).

Example:
    >>> from nqp_text.classify.training import train_model
    >>> train_model(["national=framework_passages_dev.jsonl",
    ...              "provincial=framework_passages_dev_provincial.jsonl"],
    ...             "my_model", seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nqp_text.classify.dictionary import DictionaryClassifier
from nqp_text.classify.evaluate import cross_validate_domains
from nqp_text.classify.gold import file_sha256, parse_gold_spec, read_gold_files
from nqp_text.classify.persist import save_model
from nqp_text.classify.supervised import FrameworkClassifier

PathLike = str | os.PathLike[str]

def _summary(report: dict[str, Any]) -> dict[str, Any]:
    keep = ("macro_f1", "micro_f1", "exact_match", "per_category", "n", "macro_f1_by_split")
    return {key: report[key] for key in keep if key in report}


def _cv_summary(report: dict[str, Any]) -> dict[str, Any]:
    return {"pooled": _summary(report["pooled"]),
            "domains": {name: _summary(r) for name, r in report["domains"].items()}}


def train_model(gold: PathLike | Sequence[PathLike], out: PathLike, seed: int = 0,
                cv: int = 5, repeats: int = 1, params: dict[str, Any] | None = None,
                word_vectors: PathLike | None = None) -> Path:
    """Fit on every passage of the gold file(s), cross-validate by document, save to ``out``.

    ``gold`` is one path or several (``NAME=PATH`` names a domain, see
    :func:`~nqp_text.classify.gold.read_gold_files`); training uses all of them.
    The manifest records every training file's name, domain and sha256, passage
    and label counts, the seed, the estimator parameters and the grouped
    ``cv``-fold metrics (``repeats`` fold assignments; per domain and pooled) of
    both the FrameworkClassifier and the DictionaryClassifier (``cv=0`` skips
    them). ``word_vectors``: a folder with ``word_vectors.npy``/``.tsv``/``.json``
    (see :mod:`nqp_text.classify.embeddings`; a saved model's folder works too),
    whose averaged vectors become extra features; they are copied into the model
    and their training record (corpus, command) into the manifest. The same
    inputs, seed and library versions give byte-identical files.
    """
    specs = [gold] if isinstance(gold, str | os.PathLike) else list(gold)
    frame = read_gold_files(specs)
    texts = frame["text"].tolist()
    labels = [list(labels) for labels in frame["labels"]]
    groups = frame["doc"].tolist()
    params = dict(params or {})
    vectors = None
    if word_vectors is not None:
        from nqp_text.classify.embeddings import WordVectors

        vectors = params["word_vectors"] = WordVectors.load(word_vectors)
    estimator = FrameworkClassifier(random_state=seed, **params)
    model = estimator.fit(texts, labels, groups=groups)
    files = []
    for spec in specs:
        name, path = parse_gold_spec(spec)
        part = frame[frame["domain"] == name]
        part_labels = [list(x) for x in part["labels"]]
        files.append({
            "file": path.name, "domain": name, "sha256": file_sha256(path),
            "n_passages": len(part), "n_documents": int(part["doc"].nunique()),
            "label_counts": {category: int(sum(category in row for row in part_labels))
                             for category in model.categories_},
            "n_none": int(sum(not row for row in part_labels)),
        })
    names = " ".join(f"{f['domain']}={f['file']}" for f in files)
    option = " --word-vectors VECTORS_DIR" if vectors is not None else ""
    extra: dict[str, Any] = {
        "seed": int(seed),
        "training_data": files,
        "command": f"nqp-text train {names} --out MODEL_DIR --seed {seed} --cv {cv} "
                   f"--repeats {repeats}{option}",
    }
    if vectors is not None:
        extra["word_vectors"] = {**vectors.info, "n_words": len(vectors.words),
                                 "dim": vectors.dim}
    if cv:
        domains = frame["domain"].tolist()
        framework = cross_validate_domains(estimator, texts, labels, groups, domains,
                                           n_splits=cv, repeats=repeats)
        dictionary = cross_validate_domains(DictionaryClassifier(), texts, labels, groups,
                                            domains, n_splits=cv, repeats=repeats)
        extra["cv"] = {
            "method": framework["method"],
            "n_splits": int(cv), "repeats": int(repeats),
            "framework_classifier": _cv_summary(framework),
            "dictionary_classifier": _cv_summary(dictionary),
            "calibration_brier": {category: row["brier"]
                                  for category, row in framework["calibration"].items()},
        }
    return save_model(model, out, extra)
