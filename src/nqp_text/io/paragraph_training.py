"""Train the paragraph-boundary model of :mod:`nqp_text.io._boundaries`, reproducibly.

The model learns where paragraphs start from texts whose paragraphs are known:
each training document's paragraphs are joined with nothing between them (as a
database export that dropped line breaks and indentation leaves them), the
candidates of that joined text are labelled by the true paragraph starts, and a
logistic regression is fitted on their features (the history features of each
candidate taken from the true paragraph starts before it). The
hyper-parameters (the regularisation ``C`` and the decision bias of the
decoder) are chosen by grouped cross-validation over the training documents
(a document never in both the fitting and the scored
part), maximising the mean per-document boundary F1.

The default training corpora are the CPC national congress reports, the
2026 provincial reports scraped from web pages, the 2025 provincial reports
as Word files (their paragraphs as the docx has them) and the State Council
government work reports **of even years**. The State Council reports of odd
years are never used for training or tuning: they are the held-out evaluation
(:func:`held_out`; ``benchmarks/eval_paragraph_recovery.py``,
``tests/test_paragraph_recovery.py``), a split by document that spreads both
halves over seven decades. The manifest lists every file read with its
sha256 and how many State Council reports were trained on.

Command (writes ``weights.tsv``, ``decoder.json`` and ``manifest.json``)::

    NQP_TEXT_SHARED=../shared python -m nqp_text.io.paragraph_training \\
        --out src/nqp_text/io/models/paragraphs

Example:
    >>> docs = [("a", ["一、总体要求", "做好工作。要坚持。", "二是推进。"])] * 4
    >>> rows, labels, groups = samples(docs)
    >>> sum(labels), len(set(groups))
    (8, 4)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import statistics
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from nqp_text._atomic import atomic_write_text
from nqp_text._shared import shared_dir
from nqp_text.io._boundaries import (
    BoundaryModel,
    candidates,
    decode,
    feature_spec,
    features,
    training_rows,
)

__all__ = ["train_paragraph_model", "training_documents", "samples", "boundary_f1",
           "held_out", "TRAINING_CORPORA", "STATE_COUNCIL", "main"]

#: The State Council government work reports (one JSONL record per report and year).
STATE_COUNCIL = "corpora/gov_work_reports/government_work_reports.jsonl"
#: Training corpora, relative to ``../shared`` (files or folders); of
#: :data:`STATE_COUNCIL` only the reports that are not :func:`held_out`.
TRAINING_CORPORA = ("corpora/cpc_congress_reports/cpc_congress_reports.jsonl",
                    "corpora/provincial_reports/2026_scraped_csv",
                    "corpora/provincial_reports/2025_docx",
                    STATE_COUNCIL)
# C = 3.0 was the worst in every grid measured (CV 0.605 against 0.619) and the slowest fit.
_C_GRID = (0.3, 1.0)
_BIASES = (0.5, 0.75, 1.0, 1.25, 1.5)
_FOLDS = 5
# liblinear: the same CV figures as lbfgs on these data, three to four times faster.
_SOLVER = "liblinear"
_MIN_COUNT = 2


def held_out(year: int) -> bool:
    """Whether a State Council report of ``year`` is kept out of training (odd years are).

    The evaluation's split by document: the reports of odd years are scored,
    never trained or tuned on.

    Example:
        >>> held_out(2025), held_out(2024)
        (True, False)
    """
    return int(year) % 2 == 1


def training_documents(paths: list[Path], *,
                       state_council: bool = False) -> list[tuple[str, list[str]]]:
    """``(doc_id, paragraphs)`` of every document read from ``paths`` (passages = paragraphs).

    With ``state_council``, only the reports with a year that is not
    :func:`held_out` (the file's other records, without a year, are not reports).
    """
    import nqp_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = nqp_text.read_corpus([str(path) for path in paths], max_passage=None)
    keep = set(corpus.documents["doc_id"])
    if state_council:
        documents = corpus.documents[corpus.documents["year"].notna()]
        keep = {doc_id for doc_id, year in zip(documents["doc_id"], documents["year"],
                                               strict=True) if not held_out(year)}
    by_doc = corpus.passages.groupby("doc_id", sort=True)["text"].apply(list)
    return [(str(doc_id), list(paras)) for doc_id, paras in by_doc.items()
            if len(paras) > 1 and doc_id in keep]


def samples(docs: list[tuple[str, list[str]]]) -> tuple[list[list[str]], list[int], list[int]]:
    """Feature rows, labels (1 = a paragraph starts there) and document index of every candidate."""
    rows, labels, groups = [], [], []
    for index, (_doc_id, paras) in enumerate(docs):
        text, gold = _joined(paras)
        found = candidates(text)
        rows.extend(features(text, found))
        labels.extend(int(c.position in gold) for c in found)
        groups.extend([index] * len(found))
    return rows, labels, groups


def boundary_f1(gold: set[int], found: set[int]) -> float:
    """F1 of found paragraph starts against the true ones (1.0 when both are empty).

    Example:
        >>> boundary_f1({5, 10}, {5, 12})
        0.5
    """
    if not gold and not found:
        return 1.0
    return 2 * len(gold & found) / (len(gold) + len(found))


def _joined(paras: list[str]) -> tuple[str, set[int]]:
    text, gold, total = "", set(), 0
    for para in paras:
        if total:
            gold.add(total)
        text += para
        total += len(para)
    return text, gold


class _Prepared:
    """One training document: its joined text, candidates, feature rows and true starts."""

    def __init__(self, paras: list[str]) -> None:
        self.text, self.gold = _joined(paras)
        self.found = candidates(self.text)
        self.rows = features(self.text, self.found)
        self.labels = [int(c.position in self.gold) for c in self.found]
        self.training = training_rows(self.found, self.rows, self.labels)


def _fit(prepared: list[_Prepared], c_value: float, seed: int) -> tuple[dict[str, float], float]:
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for doc in prepared for row in doc.training for name in set(row))
    vocabulary = {name: i for i, name in
                  enumerate(sorted(name for name, n in counts.items() if n >= _MIN_COUNT))}
    data, indices, indptr, labels = [], [], [0], []
    for doc in prepared:
        for row, label in zip(doc.training, doc.labels, strict=True):
            columns = sorted({vocabulary[name] for name in row if name in vocabulary})
            indices.extend(columns)
            data.extend([1.0] * len(columns))
            indptr.append(len(indices))
            labels.append(label)
    matrix = sparse.csr_matrix((np.array(data), np.array(indices, dtype=np.int64),
                                np.array(indptr, dtype=np.int64)),
                               shape=(len(labels), len(vocabulary)))
    model = LogisticRegression(C=c_value, solver=_SOLVER, max_iter=1000, random_state=seed)
    model.fit(matrix, np.array(labels))
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    weights = {name: float(w) for name, w in zip(names, model.coef_[0], strict=True)}
    return weights, float(model.intercept_[0])


def _doc_f1(doc: _Prepared, model: BoundaryModel) -> float:
    return boundary_f1(doc.gold, set(decode(doc.found, doc.rows, model)))


def _cross_validate(prepared: list[_Prepared], seed: int) -> dict[str, Any]:
    """Mean per-document F1 over grouped folds for every hyper-parameter combination."""
    results: dict[tuple[float, float], list[float]] = {}
    folds = [list(range(k, len(prepared), _FOLDS)) for k in range(_FOLDS)]
    for held in folds:
        fitting = [doc for i, doc in enumerate(prepared) if i not in held]
        for c_value in _C_GRID:
            weights, intercept = _fit(fitting, c_value, seed)
            for bias in _BIASES:
                model = BoundaryModel(weights, intercept, bias)
                f1s = results.setdefault((c_value, bias), [math.nan] * len(prepared))
                for i in held:
                    f1s[i] = _doc_f1(prepared[i], model)
    best = max(results, key=lambda key: (statistics.fmean(results[key]), key))
    return {"best": best, "per_document": results[best],
            "grid": {f"C={c} bias={b}": round(statistics.fmean(v), 4)
                     for (c, b), v in sorted(results.items())}}


def train_paragraph_model(out: str | Path, *, shared: str | Path | None = None,
                          corpora: tuple[str, ...] = TRAINING_CORPORA,
                          seed: int = 0) -> dict[str, Any]:
    """Choose the hyper-parameters by grouped CV, fit on every training document, write the model.

    Returns the manifest (also written as ``manifest.json`` in ``out``).
    """
    import numpy
    import scipy
    import sklearn

    base = Path(shared) if shared is not None else shared_dir()
    if base is None:
        raise FileNotFoundError("the training corpora live in ../shared; set NQP_TEXT_SHARED")
    paths = [base / name for name in corpora]
    read = {name: training_documents([path], state_council=name == STATE_COUNCIL)
            for name, path in zip(corpora, paths, strict=True)}
    sources = [(name, paras) for name in corpora for _doc_id, paras in read[name]]
    prepared = [_Prepared(paras) for _name, paras in sources]
    chosen = _cross_validate(prepared, seed)
    c_value, bias = chosen["best"]
    weights, intercept = _fit(prepared, c_value, seed)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["feature\tweight", *(f"{name}\t{weight:.6g}" for name, weight in
                                  sorted(weights.items()) if round(weight, 6) != 0)]
    atomic_write_text(folder / "weights.tsv", "\n".join(lines) + "\n")
    decoder = {"intercept": round(intercept, 6), "boundary_bias": bias}
    atomic_write_text(folder / "decoder.json", json.dumps(decoder, indent=2) + "\n")
    per_doc = chosen["per_document"]
    manifest = {
        "command": "python -m nqp_text.io.paragraph_training --out MODEL_DIR --seed "
                   f"{seed}",
        "seed": seed,
        "versions": {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__,
                     "scipy": scipy.__version__},
        "training_corpora": {name: _digest(base / name) for name in corpora},
        "training_files": _file_digests(base, corpora),
        "features_sha256": hashlib.sha256(feature_spec()["source"].encode()).hexdigest(),
        "documents": len(prepared),
        "held_out": {"corpus": STATE_COUNCIL, "rule": "reports of odd years are never read "
                     "for training (nqp_text.io.paragraph_training.held_out)",
                     "trained_on": len(read.get(STATE_COUNCIL, []))},
        "paragraphs": sum(len(doc.gold) + 1 for doc in prepared),
        "candidates": sum(len(doc.found) for doc in prepared),
        "features": len(lines) - 1,
        "hyper_parameters": {"C": c_value, "boundary_bias": bias, "min_count": _MIN_COUNT,
                             "folds": _FOLDS, "solver": _SOLVER},
        "cv": {"what": f"grouped {_FOLDS}-fold CV by document over the training corpora "
                       "(mean and worst per-document boundary F1 at the chosen parameters)",
               "mean_f1": round(statistics.fmean(per_doc), 4),
               "worst_f1": round(min(per_doc), 4),
               "by_corpus": _by_corpus([name for name, _paras in sources], per_doc),
               "grid_mean_f1": chosen["grid"]},
    }
    atomic_write_text(folder / "manifest.json",
                      json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return manifest


def _digest(path: Path) -> str:
    """sha256 over the files of ``path`` (a file or a folder, files in sorted order)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(file.relative_to(path.parent).as_posix().encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _by_corpus(names: list[str], per_doc: list[float]) -> dict[str, dict[str, float]]:
    """Mean and worst cross-validated F1 of the documents of each training corpus."""
    out = {}
    for name in dict.fromkeys(names):
        scores = [f1 for doc, f1 in zip(names, per_doc, strict=True) if doc == name]
        out[name] = {"documents": len(scores), "mean_f1": round(statistics.fmean(scores), 4),
                     "worst_f1": round(min(scores), 4)}
    return out


def _file_digests(base: Path, corpora: tuple[str, ...]) -> dict[str, str]:
    """sha256 of every file read for training, by its path relative to ``base``."""
    out = {}
    for name in corpora:
        path = base / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            out[file.relative_to(base).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m nqp_text.io.paragraph_training --out DIR [--seed N]``."""
    parser = argparse.ArgumentParser(prog="python -m nqp_text.io.paragraph_training",
                                     description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", required=True, help="folder to write the model to")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shared", default=None, help="the shared data folder "
                        "(default: NQP_TEXT_SHARED or ../shared)")
    args = parser.parse_args(argv)
    manifest = train_paragraph_model(args.out, shared=args.shared, seed=args.seed)
    print(json.dumps({k: manifest[k] for k in ("hyper_parameters", "features")}
                     | {"cv_mean_f1": manifest["cv"]["mean_f1"],
                        "cv_worst_f1": manifest["cv"]["worst_f1"]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
