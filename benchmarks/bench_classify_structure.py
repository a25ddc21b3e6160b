"""Cheap screen of the paragraph-structure features and of a stacked second stage.

Outer ``GroupKFold(5)`` by document over both gold files (``--repeats`` fold
assignments, the same folds as ``bench_classify.py``), one FIXED configuration
(the shipped one: word vectors weight 1, C 10, threshold 0.5, sentence examples
at 0.5) with the structure block (:mod:`nqp_text.classify.structure`) at each
``--weights`` value (0 = the shipped features). ``--stack`` adds a second stage
per row: per category a logistic regression (unweighted; ``--stack-balanced``:
class-balanced) on the six
first-stage logits (out-of-fold on the outer training set, inner
``GroupKFold(3)``) plus the structure block, so a category's label can depend
on the others' scores (label co-occurrence) and on the paragraph's kind.

This is a screen, not a selection: its rows are read off the outer folds, so
the winner must then go through ``bench_classify_nested.py`` (``--grid structure``).

Usage:
    python benchmarks/bench_classify_structure.py \
        --vectors src/nqp_text/classify/models/word_vectors [--repeats 1] \
        [--weights 0 0.5 1 2] [--stack [--stack-balanced]] [--lead 0.5 1]

``--dictionary`` adds rows whose probability is a fixed mix of the model's
(uncalibrated, class-balanced sigmoid) and the DictionaryClassifier's
(``evidence / (evidence + threshold)``, 0.5 at its threshold), labelled at 0.5.
``--gate`` adds rows where a passage keeps its labels only when a seventh
regression, "has any label" (same features, passages only), gives a logit >= 0.
``--sentence-mix`` adds rows whose logit is ``(1 - s)`` times the paragraph's
plus ``s`` times the largest logit among its sentences (labelled alone by the
same model): a single qualifying clause can then carry a long passage.
``--lead`` adds rows with a TF-IDF block of the lead clause's content tokens
(the first clause up to 。；！？ as its own vocabulary) at the given weights.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_classify_nested as nested  # noqa: E402
from nqp_text.classify import DictionaryClassifier, FrameworkClassifier  # noqa: E402
from nqp_text.classify.evaluate import grouped_splits  # noqa: E402
from nqp_text.classify.evidence import split_clauses  # noqa: E402
from nqp_text.classify.features import TfidfSpace, sentence_examples  # noqa: E402
from nqp_text.classify.structure import StructureFeatures  # noqa: E402
from nqp_text.preprocess.passages import split_spans  # noqa: E402

CONFIG = {"C": 10.0, "provincial_weight": 1.0}


def _stage_two(first: np.ndarray, extra: np.ndarray, truth: np.ndarray,
               test_first: np.ndarray, test_extra: np.ndarray,
               class_weight: str | None) -> np.ndarray:
    """Second-stage logits: per category a balanced LR on [6 logits, structure]."""
    train_x = np.hstack([first / 4.0, extra])
    test_x = np.hstack([test_first / 4.0, test_extra])
    out = np.zeros((len(test_x), truth.shape[1]))
    for j in range(truth.shape[1]):
        model = LogisticRegression(C=1.0, class_weight=class_weight, max_iter=2000)
        model.fit(train_x, truth[:, j])
        out[:, j] = model.decision_function(test_x)
    return out


class LeadWords:
    """The features of ``feats`` plus a TF-IDF block of the lead clause's content tokens."""

    def __init__(self, feats, model, train_texts, weight):
        self.feats, self.model, self.weight = feats, model, weight
        self.space = TfidfSpace(2).fit(self._lead(train_texts))

    def _lead(self, texts):
        segmenter = self.model.segmenter_
        return [[t for t in split_clauses(segmenter.cut(text))[0] if segmenter.keep(t)]
                for text in texts]

    def __call__(self, texts):
        block = self.space.transform(self._lead(texts)) * self.weight
        return sparse.hstack([self.feats(texts), block], format="csr")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--vectors", default="", help="folder of word_vectors.npy/.tsv")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.5, 1.0, 2.0])
    parser.add_argument("--stack", action="store_true")
    parser.add_argument("--stack-balanced", action="store_true",
                        help="class-balanced second-stage regressions (default: unweighted)")
    parser.add_argument("--dictionary", type=float, nargs="*", default=[],
                        help="also rows averaging the model's probability with the "
                             "DictionaryClassifier's at these dictionary shares")
    parser.add_argument("--gate", action="store_true",
                        help="also rows where a passage is labelled only if a 'has any "
                             "label' regression (same features; unweighted and balanced) "
                             "says so")
    parser.add_argument("--sentence-mix", type=float, nargs="*", default=[],
                        help="also rows whose logit mixes the paragraph's with its best "
                             "sentence's (share of the sentence logit)")
    parser.add_argument("--lead", type=float, nargs="*", default=[],
                        help="also rows with a lead-clause TF-IDF block at these weights")
    args = parser.parse_args()
    loaded = nested.load_gold()
    if loaded is None:
        return 1
    texts, truth, domain, groups = loaded
    segmenter = nested.MemoSegmenter()
    models = {w: FrameworkClassifier(segmenter=segmenter, calibration_folds=0,
                                     structure_weight=w).fit(*nested.warmup(texts, truth))
              for w in args.weights}
    base = models[args.weights[0]]
    all_rows, all_truth, parent = sentence_examples(base.extractor_, texts, truth)
    sentences = {}
    for i in sorted(set(parent.tolist())):
        mask = parent == i
        sentences[i] = ([all_rows[j] for j in np.flatnonzero(mask)], all_truth[mask])
    pieces = [[text[a:b] for a, b in split_spans(text, unit="sentence")] or [text]
              for text in texts]
    vectors = nested.load_vectors(args.vectors, sorted(set(texts) | set(all_rows)
                                                       | {x for p in pieces for x in p}))
    block = StructureFeatures()
    cuts = [segmenter.cut(t) for t in texts]
    structure = block.transform(texts, [base.extractor_.hits_from_tokens(c) for c in cuts],
                                nested.CATEGORIES)
    dictionary = DictionaryClassifier(segmenter=segmenter).fit().predict_proba(texts)
    print(f"{len(texts)} passages, {args.repeats} assignments, vectors "
          f"{'on' if vectors else 'off'}; load {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    runs: dict[str, list[np.ndarray]] = {}
    cut = np.full(len(nested.CATEGORIES), nested.logit(0.5))
    for splits in grouped_splits(groups.tolist(), 5, args.repeats):
        outer: dict[str, np.ndarray] = {}
        for train, test in splits:
            for w in args.weights:
                feats = nested.Features(models[w], [texts[i] for i in train], vectors, 1.0)
                test_sentences = [x for i in test for x in pieces[i]]
                logits, sentence_logits = nested.fit_logits(
                    models[w], feats, texts, truth, domain, train,
                    [[texts[i] for i in test], test_sentences], CONFIG, sentences)
                starts = np.cumsum([0] + [len(pieces[i]) for i in test])
                best = np.vstack([sentence_logits[a:b].max(axis=0)
                                  for a, b in zip(starts[:-1], starts[1:], strict=True)])
                name = f"structure_weight={w:g}"
                outer.setdefault(name, np.zeros_like(truth))[test] = nested.labelled(logits, cut)
                for share in args.sentence_mix:
                    mixed = (1 - share) * logits + share * best
                    outer.setdefault(f"{name} sentence-mix={share:g}",
                                     np.zeros_like(truth))[test] = nested.labelled(mixed, cut)
                if args.gate:
                    rows = [texts[i] for i in train]
                    anything = truth[train].max(axis=1)[:, None]
                    for weighting in (None, "balanced"):
                        models[w].class_weight = weighting
                        coef, intercept = models[w]._fit_linear(feats(rows), anything,
                                                                np.ones(len(rows)))
                        gate = np.asarray(feats([texts[i] for i in test]) @ coef.T)[:, 0] \
                            + intercept[0]
                        outer.setdefault(f"{name} gate={weighting or 'unweighted'}",
                                         np.zeros_like(truth))[test] = \
                            nested.labelled(logits, cut) * (gate >= 0)[:, None]
                    models[w].class_weight = "balanced"
                for share in args.dictionary:
                    mixed = ((1 - share) / (1 + np.exp(-logits)) + share * dictionary[test])
                    outer.setdefault(f"{name} dictionary={share:g}",
                                     np.zeros_like(truth))[test] = \
                        nested.labelled(np.log(mixed / (1 - mixed + 1e-12) + 1e-12), cut)
                for lead in args.lead:
                    wrapped = LeadWords(feats, models[w], [texts[i] for i in train], lead)
                    lead_logits = nested.fit_logits(models[w], wrapped, texts, truth, domain,
                                                    train, [[texts[i] for i in test]], CONFIG,
                                                    sentences)[0]
                    outer.setdefault(f"{name} lead={lead:g}", np.zeros_like(truth))[test] = \
                        nested.labelled(lead_logits, cut)
                if args.stack:
                    oof = np.zeros((len(train), truth.shape[1]))
                    for a, b in GroupKFold(n_splits=3).split(train, groups=groups[train]):
                        oof[b] = nested.fit_logits(models[w], feats, texts, truth, domain,
                                                   train[a], [[texts[i] for i in train[b]]],
                                                   CONFIG, sentences)[0]
                    none = np.zeros((len(texts), 0))
                    for label, extra in (("+stack(scores)", none), ("+stack", structure)):
                        second = _stage_two(oof, extra[train], truth[train], logits,
                                            extra[test],
                                            "balanced" if args.stack_balanced else None)
                        outer.setdefault(f"{name} {label}", np.zeros_like(truth))[test] = \
                            nested.labelled(second, cut)
            print(f"  fold done ({time.perf_counter() - started:.0f}s)", flush=True)
        for name, predicted in outer.items():
            runs.setdefault(name, []).append(predicted)
    for name, predicted in runs.items():
        nested.report(name, truth, domain, predicted, per_category=True)
    print(f"total {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
