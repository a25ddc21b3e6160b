"""Screen: self-training (pseudo-labels from unlabelled in-domain text) for the FrameworkClassifier.

Issue 11 asks for a stronger model within scikit-learn and gensim. This script
measures one idea not tried before: **self-training**. On each outer fold of
``GroupKFold(5)`` by document over both gold files (the folds of
``nqp-text evaluate --cv 5`` and ``bench_classify_nested.py``:
:func:`nqp_text.classify.evaluate.grouped_splits`, the unshuffled assignment and
seeds 1, 2):

1. fit the shipped configuration (``training_params()`` + the package word
   vectors, as ``nqp-text train`` does) on the training folds -- the
   **baseline** row, scored on the held-out documents;
2. label the unlabelled pool with it (calibrated ``predict_proba``);
3. per variant, add the confident pseudo-labels to the training data at sample
   weight ``w`` and re-fit (same vocabularies: those of the gold training
   folds), then score the same held-out documents.

The variants were fixed before any result was seen (``VARIANTS``):

* ``cat-0.9``: per category, a pool passage is a positive where its probability
  is >= 0.9 and a negative where it is <= 0.05 (else it is left out of that
  category's regression), weight 0.3;
* ``cat-0.8``: the same with 0.8 / 0.1, weight 0.5 (more and noisier labels);
* ``all-0.9``: only the pool passages confident (0.9 / 0.05) in **every**
  category, all six labels, weight 0.3.

The pool (``pool_passages``), read with nqp_text's own reader (page furniture
removed): the 16 provincial government work reports of 2026 (the scraped CSV
files), the State Council reports of 1978 onward whose year is not in the gold
file, and the CPC congress reports 12-19 except the 18th (the 18th and 20th are
gold documents). A pool passage whose text equals a gold passage's is dropped
(the count is printed). ``--pool-size`` sub-samples each source to at most
that many passages (seeded, ``--seed``; 0 = all).

The pseudo-labelled rows also join the calibration folds' regressions (always
on the training side): the pseudo-labels come from a model that saw every
outer training passage, so the Platt calibration of a self-trained model is
slightly optimistic; the held-out documents of the outer fold are never seen.

Prints per assignment the macro-F1 per domain of the baseline and each variant,
the differences, their mean and range, and per-category F1 (mean of the
assignments). ``--json`` writes everything.

Usage (45-50 minutes per assignment at load 10 on the 2-core machine; run the
assignments as separate processes with ``--json`` and print them together with
``--combine``)::

    NQP_TEXT_SHARED=/work/shared nice -n 10 python benchmarks/bench_classify_selftrain.py \\
        --vectors src/nqp_text/classify/models/word_vectors --assignments 0 --json /tmp/st0.json
    python benchmarks/bench_classify_selftrain.py --combine /tmp/st0.json /tmp/st1.json \\
        /tmp/st2.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_classify_nested import MemoSegmenter  # noqa: E402
from nqp_text import read_corpus  # noqa: E402
from nqp_text._shared import shared_dir  # noqa: E402
from nqp_text.classify import FrameworkClassifier  # noqa: E402
from nqp_text.classify.embeddings import WordVectors  # noqa: E402
from nqp_text.classify.evaluate import grouped_splits, mean_report, metrics  # noqa: E402
from nqp_text.classify.gold import read_gold_files  # noqa: E402
from nqp_text.classify.labels import labels_checked, to_indicator  # noqa: E402
from nqp_text.classify.training import training_params  # noqa: E402
from nqp_text.framework import load_framework  # noqa: E402

#: name -> (t_hi, t_lo, weight, every category confident?); fixed before the first run.
VARIANTS: dict[str, tuple[float, float, float, bool]] = {
    "cat-0.9": (0.9, 0.05, 0.3, False),
    "cat-0.8": (0.8, 0.1, 0.5, False),
    "all-0.9": (0.9, 0.05, 0.3, True),
}
CPC_POOL = (12, 13, 14, 15, 16, 17, 19)


class SelfTrained(FrameworkClassifier):
    """The FrameworkClassifier whose regressions also see a pseudo-labelled pool.

    ``pool_texts``/``pool_cuts``: the pool passages and their cuts; ``pool_targets``
    (0/1) and ``pool_mask`` (which passage enters which category's regression),
    both ``(n_pool, k)``; ``pool_weight``: their sample weight. The pool's
    features are built with the vocabularies of the gold training passages.
    """

    def set_pool(self, texts: list[str], cuts: list[list[str]], targets: np.ndarray,
                 mask: np.ndarray, weight: float) -> SelfTrained:
        self.pool_texts, self.pool_cuts = texts, cuts
        self.pool_targets, self.pool_mask, self.pool_weight = targets, mask, float(weight)
        self._pool_matrix: sparse.csr_matrix | None = None
        return self

    def _fit_linear(self, features: sparse.csr_matrix, truth: np.ndarray,
                    weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._pool_matrix is None:
            self._pool_matrix = self._features(self.pool_texts, self.pool_cuts)
        pool = self._pool_matrix
        coef = np.zeros((truth.shape[1], features.shape[1]))
        intercept = np.zeros(truth.shape[1])
        for j in range(truth.shape[1]):
            rows = np.flatnonzero(self.pool_mask[:, j])
            coef[j], intercept[j] = self._fit_category(
                sparse.vstack([features, pool[rows]], format="csr"),
                np.concatenate([truth[:, j], self.pool_targets[rows, j]]),
                np.concatenate([weight, np.full(len(rows), self.pool_weight)]))
        return coef, intercept


def gold_frame(folder: Path) -> Any:
    return read_gold_files([f"national={folder / 'framework_passages_dev.jsonl'}",
                            f"provincial={folder / 'framework_passages_dev_provincial.jsonl'}"],
                           load_framework().category_ids)


def pool_passages(shared: Path, gold_texts: set[str], gold_years: set[int], size: int,
                  seed: int) -> tuple[list[str], dict[str, int]]:
    """The unlabelled pool's passage texts (sources in a fixed order) and counts."""
    corpora = shared / "corpora"
    corpus = read_corpus([corpora / "provincial_reports" / "2026_scraped_csv",
                          corpora / "gov_work_reports" / "government_work_reports.jsonl",
                          corpora / "cpc_congress_reports" / "cpc_congress_reports.jsonl"])
    documents = corpus.documents.set_index("doc_id")
    sources: dict[str, list[str]] = {"provincial-2026": [], "state-council": [], "cpc": []}
    n_gold = 0
    for doc_id, text in zip(corpus.passages["doc_id"], corpus.passages["text"], strict=True):
        row = documents.loc[doc_id]
        path = str(row["path"])
        if "2026_scraped_csv" in path:
            source = "provincial-2026"
        elif "government_work_reports" in path:
            year = row["year"]
            title = str(row["title"])
            if pd.isna(year) or "政府工作报告的决议" in title:
                continue
            if int(year) < 1978 or int(year) in gold_years:
                continue
            source = "state-council"
        else:
            congress = row.get("congress")
            if pd.isna(congress) or int(congress) not in CPC_POOL:
                continue
            source = "cpc"
        if text in gold_texts:
            n_gold += 1
            continue
        sources[source].append(text)
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = {"dropped_equal_to_gold": n_gold}
    texts: list[str] = []
    for name, found in sources.items():
        counts[f"{name}_read"] = len(found)
        if size and len(found) > size:
            keep = np.sort(rng.choice(len(found), size=size, replace=False))
            found = [found[i] for i in keep]
        counts[name] = len(found)
        texts.extend(found)
    return texts, counts


def pseudo_labels(probability: np.ndarray, t_hi: float, t_lo: float, every: bool
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``(targets, mask)`` of the confident pseudo-labels (see the module docstring)."""
    positive = probability >= t_hi
    mask = positive | (probability <= t_lo)
    if every:
        mask = np.repeat(mask.all(axis=1, keepdims=True), probability.shape[1], axis=1)
    return positive.astype(np.int64), mask


def run_assignment(index: int, splits: list[tuple[np.ndarray, np.ndarray]], texts: list[str],
                   labels: list[list[str]], groups: list[str], pool: list[str],
                   params: dict[str, Any], vectors: WordVectors, segmenter: Any
                   ) -> dict[str, Any]:
    categories = load_framework().category_ids
    n, k = len(texts), len(categories)
    predicted = {name: np.zeros((n, k), dtype=np.int64) for name in ("baseline", *VARIANTS)}
    counts: dict[str, list[list[int]]] = {name: [] for name in VARIANTS}
    pool_cuts = [segmenter.cut(text) for text in pool]
    for fold, (train, test) in enumerate(splits):
        start = time.time()
        train_texts = [texts[i] for i in train]
        train_labels = [labels[i] for i in train]
        train_groups = [groups[i] for i in train]
        test_texts = [texts[i] for i in test]
        base = FrameworkClassifier(random_state=0, segmenter=segmenter, word_vectors=vectors,
                                   **params)
        with labels_checked():
            base.fit(train_texts, train_labels, groups=train_groups)
        predicted["baseline"][test] = base.predict_with_proba(test_texts)[0]
        probability = base._probabilities(base._logits(pool, pool_cuts))
        for name, (t_hi, t_lo, weight, every) in VARIANTS.items():
            targets, mask = pseudo_labels(probability, t_hi, t_lo, every)
            counts[name].append([int(x) for x in (targets * mask).sum(axis=0)]
                                + [int(x) for x in ((1 - targets) * mask).sum(axis=0)])
            model = SelfTrained(random_state=0, segmenter=segmenter, word_vectors=vectors,
                                **params).set_pool(pool, pool_cuts, targets, mask, weight)
            with labels_checked():
                model.fit(train_texts, train_labels, groups=train_groups)
            predicted[name][test] = model.predict_with_proba(test_texts)[0]
        print(f"  assignment {index} fold {fold}: {time.time() - start:.0f} s", flush=True)
    return {"predicted": predicted, "counts": counts}


def summarise(runs: list[dict[str, Any]], categories: list[str]) -> None:
    """Print the macro-F1 table, the differences and per-category F1 of one or more
    ``--json`` outputs (e.g. one per fold assignment, run in parallel)."""
    macro: dict[str, dict[str, list[float]]] = {}
    per_category: dict[str, dict[str, list[np.ndarray]]] = {}
    counts: dict[str, list[list[int]]] = {}
    indices = []
    for run in runs:
        n = len(run["assignments"])
        for index, entry in run["assignments"].items():
            indices.append(int(index))
            for name, row in entry["macro_f1"].items():
                for domain, value in row.items():
                    macro.setdefault(name, {}).setdefault(domain, []).append(value)
            for name, rows in entry["pseudo_label_counts"].items():
                counts.setdefault(name, []).extend(rows)
        for domain, by_name in run["per_category"].items():
            for name, row in by_name.items():
                per_category.setdefault(domain, {}).setdefault(name, []).extend(
                    [np.array([row[c] for c in categories])] * n)
    print(f"\nmacro-F1, mean of assignments {sorted(indices)} (national / provincial); "
          "difference from the baseline per assignment: mean [min, max]")
    base = macro["baseline"]
    for name, by_domain in macro.items():
        cells = []
        for domain in ("national", "provincial"):
            values = by_domain[domain]
            diffs = np.array(values) - np.array(base[domain])
            cells.append(f"{np.mean(values):.3f}" if name == "baseline" else
                         f"{np.mean(values):.3f} ({diffs.mean():+.3f} [{diffs.min():+.3f}, "
                         f"{diffs.max():+.3f}])")
        print(f"{name:10s} national {cells[0]}   provincial {cells[1]}")
    print("\nper-category F1 (mean of assignments)")
    for domain, by_name in per_category.items():
        print(f"{domain}: " + " ".join(f"{c[:8]:>9s}" for c in categories))
        for name, rows in by_name.items():
            print(f"  {name:10s}" + " ".join(f"{x:9.3f}" for x in np.mean(rows, axis=0)))
    print("\npseudo-labels per outer fold (mean): positives | negatives per category")
    for name, rows in counts.items():
        mean = np.mean(rows, axis=0)
        k = len(categories)
        print(f"  {name:10s}" + " ".join(f"{x:6.0f}" for x in mean[:k]) + " |"
              + " ".join(f"{x:6.0f}" for x in mean[k:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", help="word-vector folder (the package's vectors)")
    parser.add_argument("--assignments", type=int, nargs="+", default=[0, 1, 2],
                        help="fold assignments to run (0 = unshuffled, r = seed r)")
    parser.add_argument("--pool-size", type=int, default=2000,
                        help="at most this many passages per pool source (0 = all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the pool sub-sample")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--combine", nargs="+", metavar="JSON",
                        help="only print the summary of earlier --json outputs")
    args = parser.parse_args()
    if args.combine:
        summarise([json.loads(Path(path).read_text(encoding="utf-8"))
                   for path in args.combine], load_framework().category_ids)
        return 0
    if not args.vectors:
        parser.error("--vectors is needed (unless --combine)")
    shared = shared_dir()
    if shared is None:
        print("needs the shared data (NQP_TEXT_SHARED)", file=sys.stderr)
        return 2
    started = time.time()
    frame = gold_frame(shared / "gold")
    texts = frame["text"].tolist()
    labels = [list(x) for x in frame["labels"]]
    groups = frame["doc"].tolist()
    domains = np.asarray(frame["domain"].tolist())
    gold_years = {int(doc.split("-")[1]) for doc in groups if doc.startswith("gwr-")}
    pool, pool_counts = pool_passages(shared, set(texts), gold_years, args.pool_size, args.seed)
    print(f"pool: {len(pool)} passages {pool_counts}", flush=True)
    params = training_params()
    vectors = WordVectors.load(args.vectors)
    segmenter = MemoSegmenter()
    categories = load_framework().category_ids
    truth = to_indicator(labels, categories)
    all_splits = grouped_splits(groups, 5, max(args.assignments) + 1)
    results: dict[str, Any] = {"params": params, "pool": pool_counts, "variants": {
        name: dict(zip(("t_hi", "t_lo", "weight", "every"), value, strict=True))
        for name, value in VARIANTS.items()}, "assignments": {}}
    reports: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for index in args.assignments:
        out = run_assignment(index, all_splits[index], texts, labels, groups, pool, params,
                             vectors, segmenter)
        entry: dict[str, Any] = {"pseudo_label_counts": out["counts"], "macro_f1": {}}
        for name, predicted in out["predicted"].items():
            for domain in ("national", "provincial"):
                mask = domains == domain
                report = metrics(truth[mask], predicted[mask], categories)
                reports.setdefault(name, {}).setdefault(domain, []).append(report)
                entry["macro_f1"].setdefault(name, {})[domain] = report["macro_f1"]
        results["assignments"][str(index)] = entry
        print(f"assignment {index}: " + "; ".join(
            f"{name} {row['national']:.3f}/{row['provincial']:.3f}"
            for name, row in entry["macro_f1"].items()), flush=True)
    for domain in ("national", "provincial"):
        results.setdefault("per_category", {})[domain] = {
            name: {c: mean_report(by_domain[domain])["per_category"][c]["f1"]
                   for c in categories} for name, by_domain in reports.items()}
    summarise([results], categories)
    print(f"\n{time.time() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
