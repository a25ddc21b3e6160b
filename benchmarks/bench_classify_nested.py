"""Nested grouped cross-validation of the FrameworkClassifier's training choices.

Outer loop: ``GroupKFold(5)`` by document over the pooled national and
provincial gold passages, ``--repeats`` fold assignments (the same folds as
``bench_classify.py`` and ``nqp-text evaluate --cv 5``). Inside each outer
training set an inner ``GroupKFold(--inner)`` by document picks one
configuration from a small grid by the **mean of the national and provincial
macro-F1** of the inner out-of-fold predictions (criterion fixed in advance;
with ``--inner-repeats R`` the mean of that score over R inner fold assignments,
the unshuffled one and shuffled seeds 1 .. R-1, which makes the choice among
near-equal candidates less a matter of one split); that configuration is
re-fitted on the outer training set and scored on the held-out documents
(per-category thresholds and the ``mil`` stage use the first inner assignment).
The grid (``--grid``, see ``GRIDS``):

* ``vectors`` -- averaged word2vec features (:mod:`nqp_text.classify.embeddings`,
  trained on the unlabelled shared corpora by ``train_word_vectors.py``; no gold
  label is read) next to the TF-IDF and keyword features, or not (``0``); a value
  other than 1 scales the vector block (``FrameworkClassifier(vector_weight=)``);
* ``chars`` -- the character n-gram range of the TF-IDF, ``(1, 2)`` or ``(1, 3)``;
* ``provincial_weight`` -- sample weight of provincial passages (domain adaptation
  by weighting: the training data is pooled either way);
* ``C`` -- inverse regularisation;
* ``balanced`` -- ``class_weight="balanced"`` (1) or none (0) in each regression;
* ``evidence`` -- scale of the keyword-evidence features (``evidence_weight``);
* ``structure`` -- scale of the paragraph-structure block
  (:mod:`nqp_text.classify.structure`, ``structure_weight``; 0 = off);
  ``--grid structure`` offers it (0 or 0.5 x C 3 or 10, vectors on) and
  ``--grid structure-control`` is the same grid without it, to compare the two
  procedures' nested estimates;
* ``sentence`` -- sample weight of the sentence examples (``sentence_weight``);
* ``mil`` -- 1: a second stage per category, an unweighted logistic regression on
  (the passage's logit, the largest logit among its sentences labelled alone by
  the same regressions), so one qualifying clause can carry a long passage and
  the score becomes a probability; fitted on the inner out-of-fold logits (for
  the inner scores cross-fitted like the per-category thresholds: each inner
  fold's second stage is fitted on the other inner folds). ``--grid mil``
  offers it (0 or 1 x C 3 or 10, vectors on) and also prints ``NESTED control``,
  the same selection restricted to the candidates without it -- what
  ``--grid mil-control`` gives;
* ``nb`` -- NB-LR (``FrameworkClassifier(nb_alpha=)``: each category's regression
  sees the TF-IDF columns scaled by their smoothed naive-Bayes log-count ratio,
  Wang & Manning 2012); ``--grid nb`` offers it (0 or 1 x C 3 or 10, no word
  vectors, the shipped model's setting) and prints ``NESTED control``, the same
  selection restricted to the candidates without it;
* ``thresholds`` -- one probability threshold (0.5 or 0.4) for every category, or
  a threshold **per category** chosen in the inner loop: the value in
  0.20, 0.25, ..., 0.80 that maximises the category's F1 on the inner
  out-of-fold logits. To score that option inside the inner loop without
  optimism, each inner fold's thresholds are chosen on the other inner folds'
  out-of-fold logits; for the outer fold they are chosen on all of them.

Sentence examples (``sentence_weight=0.5``) stay on in every configuration (the
previous nested run chose them in 6 of 8 outer folds). The printed ``NESTED``
rows are an honest estimate of the whole procedure (grid + selection) on unseen
documents; the fixed-configuration rows are for reference only -- picking the
best of them would be fitting the dev files. ``sentence union`` scores the same
models on the sentence unit (each held-out paragraph split into sentences,
labelled alone, union of the labels compared with the paragraph's).

Usage (``src/nqp_text/classify/models/word_vectors`` holds the shipped vectors,
the same bytes as ``train_word_vectors.py --out /tmp/wv`` gives):
    python benchmarks/bench_classify_nested.py \
        --vectors src/nqp_text/classify/models/word_vectors [--repeats 2] [--select]
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

from nqp_text._shared import shared_dir
from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.embeddings import WordVectors
from nqp_text.classify.evaluate import grouped_splits, mean_report, metrics
from nqp_text.classify.features import TfidfSpace, sentence_examples
from nqp_text.classify.gold import read_gold_files
from nqp_text.classify.labels import cap_labels, to_indicator
from nqp_text.preprocess.passages import split_spans
from nqp_text.segment import Segmenter

CATEGORIES = ("labor_object", "labor_means", "labor_force", "tech_innovation",
              "factor_allocation", "industrial_upgrading")
SHORT = ("object", "means", "force", "tech", "factors", "industry")


def warmup(texts: list[str], truth: np.ndarray, n: int = 40) -> tuple[list[str], np.ndarray]:
    """The first ``n`` passages plus one labelled passage per category: a quick fit that
    only builds the feature extractors, with every category present (no coverage warning)."""
    extra = [int(np.flatnonzero(truth[:, j])[0]) for j in range(truth.shape[1])
             if truth[:, j].any()]
    rows = sorted({*range(min(n, len(truth))), *extra})
    return [texts[i] for i in rows], truth[rows]
GRIDS = {
    "full": {"vectors": (0, 1), "chars": (2, 3), "provincial_weight": (1.0, 2.0), "C": (3.0,)},
    "small": {"vectors": (0, 1), "chars": (2,), "provincial_weight": (1.0, 2.0), "C": (3.0,)},
    "chars": {"vectors": (0, 1), "chars": (2, 3), "provincial_weight": (1.0,), "C": (3.0,)},
    "C": {"vectors": (0, 1), "chars": (2,), "provincial_weight": (1.0,), "C": (3.0, 10.0)},
    "weights": {"vectors": (0, 1, 2, 4), "chars": (2,), "provincial_weight": (1.0,),
                "C": (3.0,)},
    "weights-C": {"vectors": (0, 1, 2, 4), "chars": (2,), "provincial_weight": (1.0,),
                  "C": (3.0, 10.0)},
    "balanced": {"vectors": (1,), "chars": (2,), "provincial_weight": (1.0,),
                 "C": (3.0, 10.0), "balanced": (1, 0)},
    "structure": {"vectors": (1,), "chars": (2,), "provincial_weight": (1.0,),
                  "C": (3.0, 10.0), "structure": (0.0, 0.5)},
    "structure-control": {"vectors": (1,), "chars": (2,), "provincial_weight": (1.0,),
                          "C": (3.0, 10.0), "structure": (0.0,)},
    "mil": {"vectors": (1,), "chars": (2,), "provincial_weight": (1.0,), "C": (3.0, 10.0),
            "mil": (0, 1)},
    "mil-control": {"vectors": (1,), "chars": (2,), "provincial_weight": (1.0,),
                    "C": (3.0, 10.0), "mil": (0,)},
    "evidence": {"vectors": (0, 1), "chars": (2,), "provincial_weight": (1.0,),
                 "C": (3.0, 10.0), "evidence": (1.0, 2.0), "sentence": (0.5, 1.0)},
    "nb": {"vectors": (0,), "chars": (2,), "provincial_weight": (1.0,), "C": (3.0, 10.0),
           "nb": (0.0, 1.0)},
}
#: Grid keys that switch an option on; ``NESTED control`` is the same selection
#: restricted to the candidates with every one of them off.
OPTIONS = ("mil", "nb")
THRESHOLDS = ("0.5", "0.4", "per-category")
CANDIDATE_CUTS = np.round(np.arange(0.20, 0.801, 0.05), 2)
SENTENCE_WEIGHT = 0.5
_CUTS: dict[str, list[str]] = {}


class MemoSegmenter(Segmenter):
    """The shipped Segmenter with a process-wide memo of cuts (benchmark speed only)."""

    def cut(self, text: str) -> list[str]:  # type: ignore[override]
        tokens = _CUTS.get(text)
        if tokens is None:
            tokens = _CUTS[text] = super().cut(text)
        return list(tokens)


class Features:
    """TF-IDF vocabularies of one training set (+ fixed word vectors); cached rows."""

    def __init__(self, model: FrameworkClassifier, texts: list[str],
                 vectors: dict[str, np.ndarray] | None, weight: float = 1.0) -> None:
        self.model = model
        cuts = [model.segmenter_.cut(t) for t in texts]
        model.word_space_ = TfidfSpace(model.min_df).fit(model._words(cuts))
        model.char_space_ = TfidfSpace(model.min_df).fit(model._chars(texts))
        self.vectors = vectors
        self.weight = float(weight)
        self.cache: dict[str, Any] = {}

    def __call__(self, texts: list[str]) -> sparse.csr_matrix:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            matrix = self.model._features(missing, [self.model.segmenter_.cut(t)
                                                    for t in missing])
            if self.vectors is not None:
                dense = np.vstack([self.vectors[t] for t in missing]) * self.weight
                matrix = sparse.hstack([matrix, sparse.csr_matrix(dense)], format="csr")
            for i, text in enumerate(missing):
                self.cache[text] = matrix[i]
        return sparse.vstack([self.cache[t] for t in texts], format="csr")


def fit_logits(model: FrameworkClassifier, feats: Features, texts: list[str],
               truth: np.ndarray, domain: np.ndarray, train: np.ndarray,
               tests: list[list[str]], config: dict[str, float],
               sentences: dict[int, tuple[list[str], np.ndarray]]) -> list[np.ndarray]:
    """Logits of each list of texts in ``tests`` from regressions fitted on ``train``."""
    rows = [texts[i] for i in train]
    labels = [truth[train]]
    weight = [np.where(domain[train] == "provincial", config["provincial_weight"], 1.0)]
    for i in train:
        found, sentence_truth = sentences.get(int(i), ([], None))
        if found:
            rows.extend(found)
            labels.append(sentence_truth)
            base = config["provincial_weight"] if domain[i] == "provincial" else 1.0
            weight.append(np.full(len(found), config.get("sentence", SENTENCE_WEIGHT) * base))
    model.C = config["C"]
    model.nb_alpha = float(config.get("nb", 0.0))
    model.class_weight = "balanced" if config.get("balanced", 1) else None
    coef, intercept = model._fit_linear(feats(rows), np.vstack(labels), np.concatenate(weight))
    return [np.asarray(feats(test) @ coef.T) + intercept for test in tests]


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def per_category_cuts(logits: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per category the logit cut in CANDIDATE_CUTS maximising F1 (ties: nearest 0.5)."""
    out = np.zeros(logits.shape[1])
    order = sorted(CANDIDATE_CUTS, key=lambda p: (abs(p - 0.5), p))
    for j in range(logits.shape[1]):
        best, best_f1 = 0.5, -1.0
        for p in order:
            predicted = logits[:, j] >= logit(p)
            tp = float((predicted & (truth[:, j] == 1)).sum())
            denominator = float(predicted.sum() + truth[:, j].sum())
            f1 = 2 * tp / denominator if denominator else 0.0
            if f1 > best_f1 + 1e-12:
                best, best_f1 = p, f1
        out[j] = logit(best)
    return out


def labelled(logits: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    return cap_labels(logits >= cuts, logits)


def domain_score(truth: np.ndarray, predicted: np.ndarray, domain: np.ndarray) -> float:
    return float(np.mean([metrics(truth[domain == d], predicted[domain == d],
                                  CATEGORIES)["macro_f1"] for d in ("national", "provincial")]))


def inner_predictions(inner_logits: np.ndarray, truth: np.ndarray, inner_folds: list,
                      mode: str) -> np.ndarray:
    """Inner out-of-fold labels for a threshold mode (per-category cuts cross-fitted)."""
    if mode != "per-category":
        return labelled(inner_logits, np.full(inner_logits.shape[1], logit(float(mode))))
    out = np.zeros_like(truth)
    for a, b in inner_folds:
        cuts = per_category_cuts(inner_logits[a], truth[a])
        out[b] = labelled(inner_logits[b], cuts)
    return out


def best_sentence_stage(train: list[np.ndarray], truth: np.ndarray,
                        tests: list[list[np.ndarray]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The ``mil`` second stage: per category an unweighted logistic regression on the
    columns ``train`` (passage logits, best-sentence logits) -> its decision values on
    the training rows and on each list of columns in ``tests``."""
    from sklearn.linear_model import LogisticRegression

    k = truth.shape[1]
    fitted = np.zeros((len(truth), k))
    outs = [np.zeros((len(t[0]), k)) for t in tests]
    for j in range(k):
        x = np.column_stack([column[:, j] for column in train])
        model = LogisticRegression(C=1.0, max_iter=1000).fit(x, truth[:, j])
        fitted[:, j] = model.decision_function(x)
        for out, columns in zip(outs, tests, strict=True):
            out[:, j] = model.decision_function(np.column_stack([c[:, j] for c in columns]))
    return fitted, outs


def best_of(logits: np.ndarray, sizes: list[int]) -> np.ndarray:
    """Per passage the largest logit of its ``sizes[i]`` consecutive sentence rows."""
    starts = np.cumsum([0, *sizes])
    return np.vstack([logits[a:b].max(axis=0) for a, b in zip(starts[:-1], starts[1:],
                                                               strict=True)])


def mil_inner_predictions(logits: np.ndarray, best: np.ndarray, truth: np.ndarray,
                          inner_folds: list, mode: str) -> np.ndarray:
    """Inner out-of-fold labels of the ``mil`` second stage (cross-fitted per inner fold)."""
    out = np.zeros_like(truth)
    for a, b in inner_folds:
        fitted, (scores,) = best_sentence_stage([logits[a], best[a]], truth[a],
                                                [[logits[b], best[b]]])
        out[b] = labelled(scores, outer_cuts(fitted, truth[a], mode))
    return out


def outer_cuts(inner_logits: np.ndarray, truth: np.ndarray, mode: str) -> np.ndarray:
    if mode != "per-category":
        return np.full(inner_logits.shape[1], logit(float(mode)))
    return per_category_cuts(inner_logits, truth)


def union_of_sentences(logits: np.ndarray, cuts: np.ndarray, pieces: list[int]) -> np.ndarray:
    out, start = [], 0
    for size in pieces:
        block = logits[start:start + size]
        union = (block >= cuts).max(axis=0)[None, :]
        out.append(cap_labels(union, block.max(axis=0)[None, :])[0])
        start += size
    return np.array(out, dtype=np.int64).reshape(-1, logits.shape[1])


def report(label: str, truth: np.ndarray, domain: np.ndarray, runs: list[np.ndarray],
           per_category: bool = False) -> None:
    parts, details = [], []
    for scope in ("national", "provincial", "pooled"):
        where = domain == scope if scope != "pooled" else np.ones(len(domain), bool)
        mean = mean_report([metrics(truth[where], r[where], CATEGORIES) for r in runs])
        spread = mean.get("macro_f1_by_split", [])
        parts.append(f"{mean['macro_f1']:.3f} [{min(spread):.3f}-{max(spread):.3f}]")
        details.append(f"    {scope:<10} " + " ".join(
            f"{s} {mean['per_category'][c]['f1']:.3f}" for s, c in zip(SHORT, CATEGORIES,
                                                                       strict=True))
            + f"  micro {mean['micro_f1']:.3f}")
    print(f"{label:<58} " + "  ".join(parts))
    if per_category:
        print("\n".join(details))
    sys.stdout.flush()


def load_vectors(path: str | None, texts: list[str]) -> dict[str, np.ndarray] | None:
    if not path:
        return None
    vectors = WordVectors.load(path)
    segmenter = MemoSegmenter()
    rows = vectors.mean([[t for t in segmenter.cut(text) if segmenter.keep(t)]
                         for text in texts])
    return dict(zip(texts, rows, strict=True))



def load_gold() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None:
    """Both gold files pooled: texts, label indicators, domains and document groups
    (``None``, with a line on stderr, without ../shared)."""
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to measure", file=sys.stderr)
        return None
    folder = shared / "gold"
    gold = read_gold_files([f"national={folder / 'framework_passages_dev.jsonl'}",
                            f"provincial={folder / 'framework_passages_dev_provincial.jsonl'}"])
    return (gold["text"].tolist(), to_indicator([list(x) for x in gold["labels"]], CATEGORIES),
            gold["domain"].to_numpy(), gold["doc"].to_numpy())

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--inner", type=int, default=3, help="inner GroupKFold splits")
    parser.add_argument("--inner-repeats", type=int, default=1,
                        help="inner fold assignments whose mean score selects (1: the "
                             "unshuffled GroupKFold alone; r >= 1 adds shuffled seed r)")
    parser.add_argument("--grid", choices=sorted(GRIDS), default="small")
    parser.add_argument("--vectors", default="", help="folder of word_vectors.npy/.tsv")
    parser.add_argument("--select", action="store_true",
                        help="run only the selection step on all passages (the inner "
                             "procedure) and print its choice: what the shipped model uses")
    args = parser.parse_args()
    loaded = load_gold()
    if loaded is None:
        return 1
    texts, truth, domain, groups = loaded
    segmenter = MemoSegmenter()
    grid = dict(GRIDS[args.grid])
    models = {(n, e, s): FrameworkClassifier(segmenter=segmenter, char_ngrams=(1, n),
                                             evidence_weight=e, structure_weight=s,
                                             calibration_folds=0).fit(*warmup(texts, truth))
              for n in grid["chars"] for e in grid.get("evidence", (1.0,))
              for s in grid.get("structure", (0.0,))}
    first = next(iter(models.values()))
    all_rows, all_truth, parent = sentence_examples(first.extractor_, texts, truth)
    sentences: dict[int, tuple[list[str], np.ndarray]] = {}
    for i in sorted(set(parent.tolist())):
        mask = parent == i
        sentences[i] = ([all_rows[j] for j in np.flatnonzero(mask)], all_truth[mask])
    pieces = [[text[a:b] for a, b in split_spans(text, unit="sentence")] or [text]
              for text in texts]
    if not args.vectors:
        grid["vectors"] = (0,)
    vectors = load_vectors(args.vectors, sorted(set(texts) | set(all_rows)
                                                | {s for p in pieces for s in p}))
    configs = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    full = [(c, mode) for c in configs for mode in THRESHOLDS]
    names = [" ".join(f"{k}={v:g}" for k, v in c.items()) + f" threshold={mode}"
             for c, mode in full]
    print(f"{len(texts)} passages, {len(configs)} fitted configurations x "
          f"{len(THRESHOLDS)} threshold modes, nested GroupKFold(5)/({args.inner}) x "
          f"{args.inner_repeats} inner assignments, "
          f"{args.repeats} assignments; load average {os.getloadavg()[0]:.2f}", flush=True)
    started = time.perf_counter()
    outer_splits = ([[(np.arange(len(texts)), np.arange(0))]] if args.select
                    else grouped_splits(groups.tolist(), 5, args.repeats))
    fixed: dict[str, list[np.ndarray]] = {name: [] for name in names}
    fixed_sent: dict[str, list[np.ndarray]] = {name: [] for name in names}
    nested: list[np.ndarray] = []
    nested_sent: list[np.ndarray] = []
    control_runs: list[np.ndarray] = []
    control_sent: list[np.ndarray] = []
    chosen: Counter[str] = Counter()
    for splits in outer_splits:
        outer = {name: np.zeros_like(truth) for name in names}
        outer_sent = {name: np.zeros_like(truth) for name in names}
        outer_nested = np.zeros_like(truth)
        outer_nested_sent = np.zeros_like(truth)
        outer_control = np.zeros_like(truth)
        outer_control_sent = np.zeros_like(truth)
        for train, test in splits:
            feats = {(n, w, e, s): Features(models[n, e, s], [texts[i] for i in train],
                                            vectors if w else None, w)
                     for n in grid["chars"] for w in grid["vectors"]
                     for e in grid.get("evidence", (1.0,))
                     for s in grid.get("structure", (0.0,))}
            inner_sets = grouped_splits(groups[train].tolist(), args.inner, args.inner_repeats)
            test_texts = [texts[i] for i in test]
            test_sentences = [s for i in test for s in pieces[i]]
            sizes = [len(pieces[i]) for i in test]
            inner_scores, outer_logits = [], {}
            inner_runs: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
            done: dict[tuple, int] = {}
            for c_index, config in enumerate(configs):
                same = done.setdefault(tuple((k, v) for k, v in config.items() if k != "mil"),
                                       c_index)
                if same != c_index:   # only the second stage differs: same regressions
                    inner_runs[c_index] = inner_runs[same]
                    if len(test):
                        outer_logits[c_index] = outer_logits[same]
                    continue
                key = (config["chars"], config.get("evidence", 1.0),
                       config.get("structure", 0.0))
                use = feats[config["chars"], config["vectors"], key[1], key[2]]
                inner_runs[c_index] = []
                for folds in inner_sets:
                    logits = np.zeros((len(train), len(CATEGORIES)))
                    best_logits = np.zeros((len(train), len(CATEGORIES)))
                    for a, b in folds:
                        part = [texts[i] for i in train[b]]
                        found = fit_logits(models[key], use, texts, truth, domain, train[a],
                                           [part, [s for i in train[b] for s in pieces[i]]]
                                           if "mil" in grid else [part], config, sentences)
                        logits[b] = found[0]
                        if "mil" in grid:
                            best_logits[b] = best_of(found[1],
                                                     [len(pieces[i]) for i in train[b]])
                    inner_runs[c_index].append((logits, best_logits))
                if len(test):
                    outer_logits[c_index] = fit_logits(models[key], use, texts,
                                                       truth, domain, train,
                                                       [test_texts, test_sentences], config,
                                                       sentences)
            for config, mode in full:
                runs = inner_runs[configs.index(config)]
                scores = []
                for folds, (logits, best_logits) in zip(inner_sets, runs, strict=True):
                    if config.get("mil"):
                        predicted = mil_inner_predictions(logits, best_logits, truth[train],
                                                          folds, mode)
                    else:
                        predicted = inner_predictions(logits, truth[train], folds, mode)
                    scores.append(domain_score(truth[train], predicted, domain[train]))
                inner_scores.append(float(np.mean(scores)))
            inner_logits = {c: runs[0][0] for c, runs in inner_runs.items()}
            inner_best = {c: runs[0][1] for c, runs in inner_runs.items()}
            best = int(np.argmax(inner_scores))
            control = max((i for i, (c, _) in enumerate(full)
                           if not any(c.get(option) for option in OPTIONS)),
                          key=lambda i: (inner_scores[i], -i))
            chosen[names[best]] += 1
            if args.select:
                for name, score in sorted(zip(names, inner_scores, strict=True),
                                          key=lambda x: -x[1]):
                    print(f"{name:<70} {score:.3f}")
                c_index = configs.index(full[best][0])
                fitted = inner_logits[c_index]
                if full[best][0].get("mil"):
                    fitted = best_sentence_stage([fitted, inner_best[c_index]], truth[train],
                                                 [])[0]
                cuts = outer_cuts(fitted, truth[train], full[best][1])
                print("chosen:", names[best], "cuts (probability):",
                      " ".join(f"{s} {1 / (1 + np.exp(-c)):.2f}" for s, c in zip(SHORT, cuts,
                                                                                strict=True)))
                return 0
            for name, (config, mode) in zip(names, full, strict=True):
                c_index = configs.index(config)
                para, sent = outer_logits[c_index]
                fitted = inner_logits[c_index]
                if config.get("mil"):
                    fitted, (para, sent) = best_sentence_stage(
                        [fitted, inner_best[c_index]], truth[train],
                        [[para, best_of(sent, sizes)], [sent, sent]])
                cuts = outer_cuts(fitted, truth[train], mode)
                outer[name][test] = labelled(para, cuts)
                outer_sent[name][test] = union_of_sentences(sent, cuts, sizes)
            outer_nested[test] = outer[names[best]][test]
            outer_nested_sent[test] = outer_sent[names[best]][test]
            outer_control[test] = outer[names[control]][test]
            outer_control_sent[test] = outer_sent[names[control]][test]
            print(f"  fold done ({time.perf_counter() - started:.0f}s, load "
                  f"{os.getloadavg()[0]:.1f}): inner best {names[best]} "
                  f"{inner_scores[best]:.3f}", flush=True)
        nested.append(outer_nested)
        nested_sent.append(outer_nested_sent)
        control_runs.append(outer_control)
        control_sent.append(outer_control_sent)
        for name in names:
            fixed[name].append(outer[name])
            fixed_sent[name].append(outer_sent[name])
    print(f"{'configuration':<58} national [min-max]      provincial [min-max]    "
          "pooled [min-max]")
    report("NESTED (paragraphs): chosen by inner grouped CV", truth, domain, nested, True)
    report("NESTED (sentence union)", truth, domain, nested_sent, True)
    offered = [option for option in OPTIONS if any(grid.get(option, (0,)))]
    if offered:
        report(f"NESTED control: the same without {'/'.join(offered)} candidates", truth, domain,
               control_runs, True)
        report("NESTED control (sentence union)", truth, domain, control_sent, True)
    for name in names:
        report(name, truth, domain, fixed[name])
    print("-- sentence union, fixed configurations")
    for name in names:
        report(name, truth, domain, fixed_sent[name])
    print("inner choices:", dict(chosen))
    print(f"total {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
