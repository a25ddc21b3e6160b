"""Nested grouped cross-validation of the FrameworkClassifier's training choices.

Outer loop: ``GroupKFold(5)`` by document over the pooled national and
provincial gold passages, ``--repeats`` fold assignments (the same folds as
``bench_classify.py`` and ``nqp-text evaluate --cv 5``). Inside each outer
training set an inner ``GroupKFold(4)`` by document picks one configuration
from a small grid -- ``C``, the sample weight of provincial passages, the
weight of sentence examples (:func:`~nqp_text.classify.features.sentence_examples`)
and the probability threshold -- by the mean of the national and provincial
macro-F1 of the inner out-of-fold predictions; that configuration is re-fitted
on the outer training set and scored on the held-out documents. The printed
"nested" row is therefore an honest estimate of the whole procedure (grid +
selection), and the other rows show every fixed configuration on the same outer
folds, for reference only (picking the best of them would be fitting the dev files).

The word and character vocabularies are fitted once per outer training set and
reused in its inner folds (unlabelled statistics only), so the grid costs only
logistic-regression fits; the threshold is applied to the same logits.

Usage:
    python benchmarks/bench_classify_nested.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import Counter
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.model_selection import GroupKFold

from nqp_text._shared import shared_dir
from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.evaluate import grouped_splits, mean_report, metrics
from nqp_text.classify.features import TfidfSpace, sentence_examples
from nqp_text.classify.gold import read_gold_files
from nqp_text.classify.labels import cap_labels, to_indicator

CATEGORIES = ("labor_object", "labor_means", "labor_force", "tech_innovation",
              "factor_allocation", "industrial_upgrading")
GRID = {"C": (3.0, 10.0), "provincial_weight": (1.0, 2.0), "sentence_weight": (0.0, 0.5),
        "threshold": (0.4, 0.5)}


class Features:
    """Vocabularies of one training set; features of any passages or sentences."""

    def __init__(self, model: FrameworkClassifier, texts: list[str]) -> None:
        self.model = model
        cuts = [model.segmenter_.cut(t) for t in texts]
        model.word_space_ = TfidfSpace(model.min_df).fit(model._words(cuts))
        model.char_space_ = TfidfSpace(model.min_df).fit(model._chars(texts))
        self.cache: dict[str, Any] = {}

    def __call__(self, texts: list[str]) -> sparse.csr_matrix:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            matrix = self.model._features(missing, [self.model.segmenter_.cut(t)
                                                    for t in missing])
            for i, text in enumerate(missing):
                self.cache[text] = matrix[i]
        return sparse.vstack([self.cache[t] for t in texts], format="csr")


def fit_logits(model: FrameworkClassifier, feats: Features, texts: list[str],
               truth: np.ndarray, domain: np.ndarray, train: np.ndarray, test: np.ndarray,
               config: dict[str, float], sentences: dict[int, tuple[list[str], np.ndarray]]
               ) -> np.ndarray:
    """Logits of ``test`` from the logistic regressions fitted on ``train`` with ``config``."""
    rows = [texts[i] for i in train]
    labels = [truth[train]]
    weight = [np.where(domain[train] == "provincial", config["provincial_weight"], 1.0)]
    if config["sentence_weight"]:
        for i in train:
            found, sentence_truth = sentences.get(int(i), ([], None))
            if found:
                rows.extend(found)
                labels.append(sentence_truth)
                base = config["provincial_weight"] if domain[i] == "provincial" else 1.0
                weight.append(np.full(len(found), config["sentence_weight"] * base))
    model.C = config["C"]
    coef, intercept = model._fit_linear(feats(rows), np.vstack(labels), np.concatenate(weight))
    return np.asarray(feats([texts[i] for i in test]) @ coef.T) + intercept


def labelled(logits: np.ndarray, threshold: float) -> np.ndarray:
    cut = np.log(threshold / (1 - threshold))
    return cap_labels(logits >= cut, logits)


def domain_score(truth: np.ndarray, predicted: np.ndarray, domain: np.ndarray) -> float:
    return float(np.mean([metrics(truth[domain == d], predicted[domain == d],
                                  CATEGORIES)["macro_f1"] for d in ("national", "provincial")]))


def select(model: FrameworkClassifier, texts: list[str], truth: np.ndarray, domain: np.ndarray,
           groups: np.ndarray, configs: list[dict[str, float]], names: list[str],
           sentences: dict[int, tuple[list[str], np.ndarray]]) -> int:
    """The inner loop's selection applied to all passages; prints every score."""
    everything = np.arange(len(texts))
    feats = Features(model, texts)
    folds = list(GroupKFold(n_splits=4).split(everything, groups=groups))
    logits: dict[tuple[Any, ...], np.ndarray] = {}
    scores = []
    for config in configs:
        key = tuple((k, v) for k, v in config.items() if k != "threshold")
        if key not in logits:
            logits[key] = np.zeros((len(texts), len(CATEGORIES)))
            for a, b in folds:
                logits[key][b] = fit_logits(model, feats, texts, truth, domain, a, b, config,
                                            sentences)
        predicted = labelled(logits[key], config["threshold"])
        scores.append(domain_score(truth, predicted, domain))
    for name, score in sorted(zip(names, scores, strict=True), key=lambda x: -x[1]):
        print(f"{name:<62} {score:.3f}")
    print("chosen:", names[int(np.argmax(scores))])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--select", action="store_true",
                        help="run only the selection step on all passages (GroupKFold(4) by "
                             "document, the inner loop's procedure) and print its choice: the "
                             "configuration the shipped model is trained with")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to measure", file=sys.stderr)
        return 1
    folder = shared / "gold"
    gold = read_gold_files([f"national={folder / 'framework_passages_dev.jsonl'}",
                            f"provincial={folder / 'framework_passages_dev_provincial.jsonl'}"])
    texts = gold["text"].tolist()
    truth = to_indicator([list(x) for x in gold["labels"]], CATEGORIES)
    domain = gold["domain"].to_numpy()
    groups = gold["doc"].to_numpy()
    model = FrameworkClassifier(calibration_folds=0).fit(texts[:40], truth[:40])
    all_rows, all_truth, parent = sentence_examples(model.extractor_, texts, truth)
    sentences: dict[int, tuple[list[str], np.ndarray]] = {}
    for i in sorted(set(parent.tolist())):
        mask = parent == i
        sentences[i] = ([all_rows[j] for j in np.flatnonzero(mask)], all_truth[mask])
    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    names = [" ".join(f"{k}={v:g}" for k, v in c.items()) for c in configs]
    print(f"{len(texts)} passages, {len(configs)} configurations, nested GroupKFold(5)/(4), "
          f"{args.repeats} assignments; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    if args.select:
        return select(model, texts, truth, domain, groups, configs, names, sentences)
    fixed: dict[str, list[np.ndarray]] = {name: [] for name in names}
    nested: list[np.ndarray] = []
    chosen: Counter[str] = Counter()
    for splits in grouped_splits(groups.tolist(), 5, args.repeats):
        outer_fixed = {name: np.zeros_like(truth) for name in names}
        outer_nested = np.zeros_like(truth)
        for train, test in splits:
            feats = Features(model, [texts[i] for i in train])
            inner_scores = []
            inner = list(GroupKFold(n_splits=4).split(train, groups=groups[train]))
            fit_configs = [c for c in configs if c["threshold"] == GRID["threshold"][0]]
            inner_logits, outer_logits = {}, {}
            for config in fit_configs:
                key = tuple((k, v) for k, v in config.items() if k != "threshold")
                inner_logits[key] = np.zeros((len(train), len(CATEGORIES)))
                for a, b in inner:
                    inner_logits[key][b] = fit_logits(model, feats, texts, truth, domain,
                                                      train[a], train[b], config, sentences)
                outer_logits[key] = fit_logits(model, feats, texts, truth, domain, train, test,
                                               config, sentences)
            for config in configs:
                key = tuple((k, v) for k, v in config.items() if k != "threshold")
                predicted = labelled(inner_logits[key], config["threshold"])
                inner_scores.append(domain_score(truth[train], predicted, domain[train]))
            best = int(np.argmax(inner_scores))
            chosen[names[best]] += 1
            for name, config in zip(names, configs, strict=True):
                key = tuple((k, v) for k, v in config.items() if k != "threshold")
                outer_fixed[name][test] = labelled(outer_logits[key], config["threshold"])
            outer_nested[test] = outer_fixed[names[best]][test]
            print(f"  fold done ({time.perf_counter() - started:.0f}s): inner best "
                  f"{names[best]} {inner_scores[best]:.3f}", flush=True)
        nested.append(outer_nested)
        for name in names:
            fixed[name].append(outer_fixed[name])
        print("  assignment done, nested macro-F1 national / provincial: " + " / ".join(
            f"{metrics(truth[domain == d], outer_nested[domain == d], CATEGORIES)['macro_f1']:.3f}"
            for d in ("national", "provincial")), flush=True)

    def row(label: str, runs: list[np.ndarray]) -> None:
        parts = []
        for scope in ("national", "provincial"):
            where = domain == scope
            mean = mean_report([metrics(truth[where], r[where], CATEGORIES) for r in runs])
            obj = mean["per_category"]["labor_object"]["f1"]
            parts.append(f"{mean['macro_f1']:.3f} (object {obj:.2f})")
        print(f"{label:<62} " + "   ".join(parts))

    print(f"{'configuration':<62} national macro   provincial macro")
    row("NESTED: chosen by inner grouped CV", nested)
    for name in names:
        row(name, fixed[name])
    print("inner choices:", dict(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
