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
from nqp_text.classify.labels import check_training_labels, labels_checked, to_indicator
from nqp_text.classify.persist import save_model
from nqp_text.classify.supervised import FrameworkClassifier
from nqp_text.framework import load_framework

PathLike = str | os.PathLike[str]
#: The parameters ``train_model`` uses by default and the record of their selection.
TRAINING_FILE = Path(__file__).with_name("data") / "training.yaml"


def training_params(path: PathLike = TRAINING_FILE) -> dict[str, Any]:
    """The FrameworkClassifier parameters of ``training.yaml`` (``params``), validated.

    They are the configuration chosen by nested grouped cross-validation
    (``selection`` in the same file says how); :func:`train_model` uses them
    when it is given no ``params``.

    Example:
        >>> sorted(training_params())
        ['C', 'category_thresholds', 'threshold']
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: unreadable training parameters ({error})") from None
    params = data.get("params") if isinstance(data, dict) else None
    if not isinstance(params, dict) or not isinstance(data.get("selection"), dict):
        raise ValueError(f"{path}: expected a mapping with 'params' and 'selection'")
    allowed = set(FrameworkClassifier().get_params()) - {
        "framework", "segmenter", "contexts", "rulings", "word_vectors", "random_state"}
    for name, value in params.items():
        if name not in allowed:
            raise ValueError(f"{path}: params: {name!r} is not a FrameworkClassifier "
                             f"parameter that can be set here ({', '.join(sorted(allowed))})")
        if name == "class_weight":
            if value not in ("balanced", None):
                raise ValueError(f"{path}: params: class_weight must be balanced or null, "
                                 f"got {value!r}")
        elif not isinstance(value, int | float):  # bool is an int
            raise ValueError(f"{path}: params: {name} must be a number or true/false, "
                             f"got {value!r}")
    return dict(params)


def training_selection(path: PathLike = TRAINING_FILE) -> dict[str, Any]:
    """The ``selection`` record of ``training.yaml``: how :func:`training_params` were chosen."""
    import yaml

    training_params(path)
    return dict(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["selection"])


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
    inputs, seed and library versions give byte-identical files. ``params``
    (FrameworkClassifier parameters) defaults to :func:`training_params`, the
    configuration chosen by nested grouped CV; pass ``{}`` for the class defaults.
    """
    specs = [gold] if isinstance(gold, str | os.PathLike) else list(gold)
    selection = None
    if params is None:
        params, selection = training_params(), training_selection()
    categories = load_framework().category_ids
    frame = read_gold_files(specs, categories)
    texts = frame["text"].tolist()
    labels = [list(labels) for labels in frame["labels"]]
    check_training_labels(to_indicator(labels, categories), categories,
                          files=[str(parse_gold_spec(spec)[1]) for spec in specs])
    groups = frame["doc"].tolist()
    params = dict(params or {})
    vectors = None
    if word_vectors is not None:
        from nqp_text.classify.embeddings import WordVectors

        vectors = params["word_vectors"] = WordVectors.load(word_vectors)
    estimator = FrameworkClassifier(random_state=seed, **params)
    with labels_checked():
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
    if selection is not None:
        extra["selection"] = selection
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
