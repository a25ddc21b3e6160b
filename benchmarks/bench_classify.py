"""Classification accuracy by grouped cross-validation on the gold dev file, in one run.

Every estimator is scored by the same ``GroupKFold(5)`` split by document (no
report in both training and test folds; metrics on the pooled out-of-fold
predictions) and compared with the issue's baseline measured in the same run:
``TfidfVectorizer(tokenizer=jieba.lcut) + LogisticRegression(class_weight="balanced")``
one-vs-rest. Also reported: the same baseline on character 1-3-grams, the
DictionaryClassifier and the FrameworkClassifier (shipped parameters), and with
``--ablations`` the FrameworkClassifier without each feature block. ``--repeats N``
adds N shuffled GroupKFold assignments (seeds 1..N) and prints the mean, since a
single split of 25 documents is noisy. The load average is printed with the numbers.

Usage:
    python benchmarks/bench_classify.py [--ablations] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from nqp_text._shared import shared_dir
from nqp_text.classify import DictionaryClassifier, FrameworkClassifier
from nqp_text.classify.evaluate import metrics
from nqp_text.classify.gold import read_gold
from nqp_text.classify.labels import cap_labels, to_indicator

CATEGORIES = ("labor_object", "labor_means", "labor_force", "tech_innovation",
              "factor_allocation", "industrial_upgrading")


class Baseline:
    """What a user writes in ten lines: TF-IDF + balanced logistic regression per category."""

    def __init__(self, analyzer: str) -> None:
        self.analyzer = analyzer

    def fit(self, texts: list[str], truth: np.ndarray) -> Baseline:
        if self.analyzer == "jieba":
            self.vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None)
        else:
            self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
        features = self.vectorizer.fit_transform(texts)
        self.models = [LogisticRegression(class_weight="balanced", max_iter=2000)
                       .fit(features, truth[:, j]) for j in range(truth.shape[1])]
        return self

    def predict_indicator(self, texts: list[str]) -> np.ndarray:
        features = self.vectorizer.transform(texts)
        scores = np.column_stack([m.predict_proba(features)[:, 1] for m in self.models])
        return cap_labels(scores >= 0.5, scores)


def grouped_cv(make: Callable[[], Any], texts: list[str], truth: np.ndarray,
               groups: np.ndarray, seed: int | None) -> dict[str, Any]:
    """Pooled out-of-fold metrics of ``make()`` over a GroupKFold(5) split."""
    splitter = (GroupKFold(n_splits=5) if seed is None
                else GroupKFold(n_splits=5, shuffle=True, random_state=seed))
    predicted = np.zeros_like(truth)
    for train, test in splitter.split(texts, truth, groups):
        model = make().fit([texts[i] for i in train], truth[train])
        predicted[test] = model.predict_indicator([texts[i] for i in test])
    return metrics(truth, predicted, CATEGORIES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ablations", action="store_true",
                        help="also score the FrameworkClassifier without each feature block")
    parser.add_argument("--repeats", type=int, default=0,
                        help="extra shuffled GroupKFold assignments (seeds 1..N)")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to measure", file=sys.stderr)
        return 1
    jieba.setLogLevel(60)
    gold = read_gold(shared / "gold" / "framework_passages_dev.jsonl")
    texts = gold["text"].tolist()
    truth = to_indicator([list(x) for x in gold["labels"]], CATEGORIES)
    groups = gold["doc"].to_numpy()
    candidates: list[tuple[str, Callable[[], Any]]] = [
        ("baseline jieba tf-idf + LR", lambda: Baseline("jieba")),
        ("baseline char 1-3 tf-idf + LR", lambda: Baseline("char")),
        ("DictionaryClassifier", DictionaryClassifier),
        ("FrameworkClassifier", FrameworkClassifier),
    ]
    if args.ablations:
        candidates += [
            ("  without keyword evidence", lambda: FrameworkClassifier(evidence_weight=0)),
            ("  without char n-grams", lambda: FrameworkClassifier(char_ngrams=None)),
            ("  without word tokens", lambda: FrameworkClassifier(word_features=False)),
            ("  evidence only", lambda: FrameworkClassifier(word_features=False,
                                                            char_ngrams=None)),
        ]
    seeds: list[int | None] = [None, *range(1, args.repeats + 1)]
    print(f"{len(texts)} passages, {len(set(groups))} documents; GroupKFold(5) by doc; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'estimator':<34} {'macro-F1':>8} {'micro-F1':>8} {'exact':>6} "
          f"{'x macro':>8} {'x micro':>8} {'seconds':>8}")
    base: dict[str, float] = {}
    for name, make in candidates:
        started = time.perf_counter()
        reports = [grouped_cv(make, texts, truth, groups, seed) for seed in seeds]
        seconds = time.perf_counter() - started
        macro = float(np.mean([r["macro_f1"] for r in reports]))
        micro = float(np.mean([r["micro_f1"] for r in reports]))
        exact = float(np.mean([r["exact_match"] for r in reports]))
        base = base or {"macro": macro, "micro": micro}
        print(f"{name:<34} {macro:>8.3f} {micro:>8.3f} {exact:>6.3f} "
              f"{macro / base['macro']:>8.2f} {micro / base['micro']:>8.2f} {seconds:>8.1f}")
        if len(seeds) > 1:
            print(f"{'':<34} splits: " + ", ".join(
                f"{r['macro_f1']:.3f}/{r['micro_f1']:.3f}" for r in reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
