"""Classification accuracy by grouped cross-validation on both gold files, in one run.

Every estimator is trained on the pooled national and provincial gold passages
of the training folds and scored on held-out documents (``GroupKFold(5)`` by
document, so no report is in both training and test folds), per domain
(national, provincial) and pooled; every figure is the mean over ``--repeats``
fold assignments (the unshuffled GroupKFold, then shuffled with seeds 1, 2...),
the same as ``nqp-text evaluate national=... provincial=... --cv 5 --repeats 3``.
The issue's ten-line baseline -- ``TfidfVectorizer(tokenizer=jieba.lcut) +
LogisticRegression(class_weight="balanced")`` one-vs-rest -- is measured in the
same run and every macro-F1 is also printed as a ratio to it.

``framework`` is the FrameworkClassifier with its defaults (calibration off: it
changes no label); ``shipped`` is the configuration of
``classify/data/training.yaml``, i.e. the shipped model's estimator without
calibration (no word vectors: the selection chose none); ``--vectors DIR`` adds
the word vectors of ``DIR`` to it (``src/nqp_text/classify/models/word_vectors``,
for a configuration that uses them).
``--contexts PATH`` gives the keyword-rules file every estimator uses (default:
the shipped one), to measure a rules change against an older file;
``paragraphs only`` the same without sentence examples; ``issue-10 model`` the
parameters shipped before this issue (C=10, no keyword rules, paragraphs only).

``--sentences`` also scores the *sentence unit*: every held-out paragraph is
split into sentences (the splitter of ``--unit sentence``), each sentence is
labelled alone, and the union of its sentences' labels (capped at three, the
most probable) is compared with the paragraph's gold labels; and, on the
held-out passages that are a single sentence, sentence labels directly.

Usage:
    python benchmarks/bench_classify.py [--repeats 3] [--sentences] [--ablations]
        [--vectors src/nqp_text/classify/models/word_vectors] [--contexts RULES.tsv]
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

from nqp_text._shared import shared_dir
from nqp_text.classify import DictionaryClassifier, FrameworkClassifier
from nqp_text.classify.contexts import load_contexts
from nqp_text.classify.embeddings import WordVectors
from nqp_text.classify.evaluate import fit_with_groups, grouped_splits, mean_report, metrics
from nqp_text.classify.gold import read_gold_files
from nqp_text.classify.labels import cap_labels, to_indicator
from nqp_text.classify.training import training_params
from nqp_text.preprocess.passages import split_spans
from nqp_text.segment import Segmenter

CATEGORIES = ("labor_object", "labor_means", "labor_force", "tech_innovation",
              "factor_allocation", "industrial_upgrading")
SHORT = ("object", "means", "force", "tech", "factors", "industry")
_CUTS: dict[str, list[str]] = {}


class MemoSegmenter(Segmenter):
    """The shipped Segmenter with a process-wide memo of cuts (benchmark speed only)."""

    def cut(self, text: str) -> list[str]:  # type: ignore[override]
        tokens = _CUTS.get(text)
        if tokens is None:
            tokens = _CUTS[text] = super().cut(text)
        return list(tokens)

    def __deepcopy__(self, memo: dict[int, Any]) -> MemoSegmenter:
        return self


class Baseline:
    """What a user writes in ten lines: TF-IDF + balanced logistic regression per category."""

    def fit(self, texts: list[str], truth: Any, groups: Any = None) -> Baseline:
        self.vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None)
        features = self.vectorizer.fit_transform(texts)
        truth = to_indicator(truth, CATEGORIES)
        self.models = [LogisticRegression(class_weight="balanced", max_iter=2000)
                       .fit(features, truth[:, j]) for j in range(truth.shape[1])]
        return self

    def predict_with_proba(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        features = self.vectorizer.transform(texts)
        scores = np.column_stack([m.predict_proba(features)[:, 1] for m in self.models])
        return cap_labels(scores >= 0.5, scores), scores


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_spans(text, unit="sentence")] or [text]


def score_split(make: Callable[[], Any], texts: list[str], labels: list[list[str]],
                groups: list[str], splits: list[tuple[np.ndarray, np.ndarray]],
                sentences: bool) -> dict[str, np.ndarray]:
    """Out-of-fold paragraph predictions (and sentence-union / single-sentence ones)."""
    n, k = len(texts), len(CATEGORIES)
    out = {"paragraph": np.zeros((n, k), dtype=np.int64)}
    if sentences:
        out["sentence_union"] = np.zeros((n, k), dtype=np.int64)
    for train, test in splits:
        model = fit_with_groups(make(), [texts[i] for i in train],
                                [labels[i] for i in train], [groups[i] for i in train])
        predicted, _ = model.predict_with_proba([texts[i] for i in test])
        out["paragraph"][test] = predicted
        if sentences:
            pieces = [sentences_of(texts[i]) for i in test]
            flat = [s for piece in pieces for s in piece]
            sent_pred, sent_prob = model.predict_with_proba(flat)
            start = 0
            for row, piece in zip(test, pieces, strict=True):
                stop = start + len(piece)
                union = sent_pred[start:stop].max(axis=0)[None, :]
                strongest = sent_prob[start:stop].max(axis=0)[None, :]
                out["sentence_union"][row] = cap_labels(union, strongest)[0]
                start = stop
    return out


def false_positives(model: DictionaryClassifier, texts: list[str], labels: list[list[str]],
                    contexts: Any, top: int = 15) -> None:
    """Per (keyword, category): passages where it fed a wrong dictionary label, and where
    it supported a correct one."""
    wrong: dict[tuple[str, str], int] = {}
    right: dict[tuple[str, str], int] = {}
    for text, gold, predicted in zip(texts, labels, model.predict(texts), strict=True):
        for category, term in {(h.category, h.term) for h in model.extractor_.hits(text)}:
            if category in gold:
                right[(term, category)] = right.get((term, category), 0) + 1
            elif category in predicted:
                wrong[(term, category)] = wrong.get((term, category), 0) + 1
    print(f"== keyword rules: {contexts}; keyword, category, wrong labels it fed, "
          "correct labels it supported")
    for key, count in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        print(f"{key[0]}\t{key[1]}\t{count}\t{right.get(key, 0)}")


def errors(texts: list[str], truth: np.ndarray, predicted: np.ndarray,
           domains: np.ndarray) -> None:
    """Per domain and category: TP, FP, FN; for each missed label, what was predicted
    instead; and a few examples of each error (to read, not to publish verbatim)."""
    for scope in ("national", "provincial"):
        where = domains == scope
        t, p = truth[where], predicted[where]
        print(f"== {scope}: category TP FP FN | missed labels got instead (count)")
        for j, category in enumerate(CATEGORIES):
            tp = int(((t[:, j] == 1) & (p[:, j] == 1)).sum())
            fp = int(((t[:, j] == 0) & (p[:, j] == 1)).sum())
            fn_rows = np.flatnonzero((t[:, j] == 1) & (p[:, j] == 0))
            instead: dict[str, int] = {}
            for i in fn_rows:
                for other in np.flatnonzero(p[i] & (1 - t[i])) if p[i].any() else [-1]:
                    key = "none" if other == -1 else SHORT[other]
                    instead[key] = instead.get(key, 0) + 1
            print(f"{category:<22} {tp:>4} {fp:>4} {len(fn_rows):>4} | "
                  + ", ".join(f"{k} {v}" for k, v in sorted(instead.items(),
                                                           key=lambda kv: -kv[1])))
        index = np.flatnonzero(where)
        for j, category in enumerate(CATEGORIES):
            for kind, mask in (("FP", (truth[index, j] == 0) & (predicted[index, j] == 1)),
                               ("FN", (truth[index, j] == 1) & (predicted[index, j] == 0))):
                for i in index[mask][:3]:
                    print(f"  {scope} {category} {kind}: {texts[i][:90]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fold assignments (default 3)")
    parser.add_argument("--sentences", action="store_true", help="also score the sentence unit")
    parser.add_argument("--ablations", action="store_true",
                        help="also score the FrameworkClassifier without each feature block")
    parser.add_argument("--only", default="", help="comma-separated estimator names to run")
    parser.add_argument("--vectors", default="",
                        help="word-vector folder: 'shipped' (training.yaml's parameters) "
                             "uses these vectors (default: none, as the shipped model)")
    parser.add_argument("--contexts", default="",
                        help="keyword-rules TSV for every estimator (default: the shipped one)")
    parser.add_argument("--top", type=int, default=15,
                        help="rows of the --false-positives table")
    parser.add_argument("--false-positives", action="store_true",
                        help="list the keywords behind the DictionaryClassifier's wrong labels "
                             "on both dev files (with and without the keyword rules)")
    parser.add_argument("--errors", action="store_true",
                        help="print the error analysis of the shipped estimator's out-of-fold "
                             "predictions on the first (unshuffled) fold assignment")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to measure", file=sys.stderr)
        return 1
    jieba.setLogLevel(60)
    folder = shared / "gold"
    gold = read_gold_files([f"national={folder / 'framework_passages_dev.jsonl'}",
                            f"provincial={folder / 'framework_passages_dev_provincial.jsonl'}"])
    texts = gold["text"].tolist()
    labels = [list(x) for x in gold["labels"]]
    truth = to_indicator(labels, CATEGORIES)
    domains = gold["domain"].to_numpy()
    groups = gold["doc"].tolist()
    single = np.array([len(sentences_of(t)) == 1 for t in texts])
    segmenter = MemoSegmenter()
    rules: Any = load_contexts(args.contexts) if args.contexts else "default"
    candidates: list[tuple[str, Callable[[], Any]]] = [
        ("baseline", Baseline),
        ("dictionary", lambda: DictionaryClassifier(segmenter=segmenter, contexts=rules)),
        ("issue-10 model", lambda: FrameworkClassifier(segmenter=segmenter, C=10.0,
                                                       sentence_weight=0, contexts=None,
                                                       calibration_folds=0)),
        ("paragraphs only", lambda: FrameworkClassifier(segmenter=segmenter,
                                                        sentence_weight=0, contexts=rules,
                                                        calibration_folds=0)),
        ("framework", lambda: FrameworkClassifier(segmenter=segmenter, contexts=rules,
                                                  calibration_folds=0)),
    ]
    vectors = WordVectors.load(args.vectors) if args.vectors else None
    candidates.append(("shipped", lambda: FrameworkClassifier(
        segmenter=segmenter, contexts=rules, word_vectors=vectors, calibration_folds=0,
        **training_params())))
    if args.ablations:
        candidates += [
            ("  no evidence", lambda: FrameworkClassifier(segmenter=segmenter, evidence_weight=0,
                                                          calibration_folds=0)),
            ("  no chars", lambda: FrameworkClassifier(segmenter=segmenter, char_ngrams=None,
                                                       calibration_folds=0)),
            ("  no words", lambda: FrameworkClassifier(segmenter=segmenter, word_features=False,
                                                       calibration_folds=0)),
        ]
    if args.only:
        keep = set(args.only.split(","))
        candidates = [c for c in candidates if c[0].strip() in keep]
    splits_list = grouped_splits(gold["doc"].tolist(), 5, args.repeats)
    if args.false_positives:
        for contexts in (None, "default"):
            false_positives(DictionaryClassifier(segmenter=segmenter, contexts=contexts).fit(),
                            texts, labels, contexts, args.top)
        return 0
    if args.errors:
        predicted = score_split(lambda: FrameworkClassifier(segmenter=segmenter), texts, labels,
                                groups, splits_list[0], False)["paragraph"]
        errors(texts, truth, predicted, domains)
        return 0
    sizes = ", ".join(f"{d} {int((domains == d).sum())}" for d in sorted(set(domains)))
    print(f"{len(texts)} passages ({sizes}), "
          f"{gold['doc'].nunique()} documents; GroupKFold(5) by doc, mean of {args.repeats} "
          f"fold assignments; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    mask = domains == "provincial"
    header = (f"{'estimator':<16} {'unit':<15} {'scope':<11} {'macro':>6} {'micro':>6} "
              f"{'x base':>6} " + " ".join(f"{s:>8}" for s in SHORT) + "  seconds")
    print(header)
    base: dict[tuple[str, str], float] = {}
    for name, make in candidates:
        started = time.perf_counter()
        runs = [score_split(make, texts, labels, groups, splits, args.sentences)
                for splits in splits_list]
        seconds = time.perf_counter() - started
        for unit in runs[0]:
            scopes = [("national", domains == "national"), ("provincial", mask),
                      ("pooled", np.ones(len(texts), bool))]
            if unit == "sentence_union":
                scopes.append(("1-sentence", single))
            for scope, where in scopes:
                mean = mean_report([metrics(truth[where], run[unit][where], CATEGORIES)
                                    for run in runs])
                base.setdefault((unit, scope), mean["macro_f1"])
                ratio = mean["macro_f1"] / base[(unit, scope)] if base[(unit, scope)] else 0
                print(f"{name:<16} {unit:<15} {scope:<11} {mean['macro_f1']:>6.3f} "
                      f"{mean['micro_f1']:>6.3f} {ratio:>6.2f} "
                      + " ".join(f"{mean['per_category'][c]['f1']:>8.3f}" for c in CATEGORIES)
                      + f"  {seconds:.0f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
