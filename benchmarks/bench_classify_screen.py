"""Screen of model variants of the FrameworkClassifier as fixed rows (session 9, issue 11).

Every variant is trained on exactly the shipped configuration's features
(``classify/data/training.yaml``: token and character 1-2-gram TF-IDF with the
vocabularies of the training folds, keyword evidence with the shipped context
rules and rulings, sentence examples at weight 0.5, no word vectors) on the
pooled training folds of ``GroupKFold(5)`` by document, ``--repeats`` fold
assignments (the same folds as ``bench_classify.py``), and scored on the
held-out documents: national and provincial macro-F1, their mean, and the
range over the assignments. The first row, ``shipped``, is the shipped
estimator (C 10, class-balanced liblinear regressions, threshold 0.4) measured
in the same run; a variant is worth a nested run only if it beats that row by
more than the assignment-to-assignment spread on the mean of both domains.

Variants (all fixed in advance; nothing here is tuned on the held-out folds):

* ``nb``: NB-LR (Wang & Manning 2012): per category the TF-IDF columns are
  scaled by the log-count ratio ``r = log((p + a) / |p + a|_1) - log((q + a) /
  |q + a|_1)`` of the training rows (``p``/``q``: summed feature rows of the
  positive/negative examples, ``a = 1``), evidence columns unscaled;
  ``nb-mix``: the mean of the plain and the NB-LR logits (interpolation);
* ``stack``: a second stage per category, a class-balanced logistic regression
  (C 1) on the six categories' out-of-fold logits (cross-fitted in 5 grouped
  folds inside the training set, like the calibration folds; at test time the
  full model's logits) -> label dependencies; ``stack-unweighted``: the same
  stage without class weights (its output is a probability; threshold 0.4);
* ``svm-mix``: the mean of the regression's logit and twice the margin of a
  class-balanced LinearSVC (C 0.3) on the same features;
* ``cnb-mix``: the mean of the regression's logit and twice a ComplementNB
  (alpha 0.3) log-odds on the TF-IDF columns, centred on its training rows'
  median and divided by their standard deviation;
* ``C-cat``: C per category from 1, 3, 10, 30 by the category's F1 at threshold
  0.4 on inner grouped 3-fold out-of-fold logits;
* ``bigrams``: the features plus a TF-IDF block of token bigrams (min_df 2);
* ``terms``: the features plus a block of the keyword terms found (after the
  context rules), one column per (term, category), ``log1p`` of the count.

Usage:
    nice -n 10 python benchmarks/bench_classify_screen.py [--repeats 3] [--only shipped,nb]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.evaluate import grouped_splits, metrics
from nqp_text.classify.features import TfidfSpace, sentence_examples
from nqp_text.classify.labels import cap_labels
from nqp_text.classify.training import training_params

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_classify_nested import (  # noqa: E402
    CATEGORIES,
    MemoSegmenter,
    load_gold,
    warmup,
)

SENTENCE_WEIGHT = 0.5


class Fold:
    """The shipped features of one outer training set: training rows (passages then
    their sentence examples), labels, weights, parent passage and group; test rows."""

    def __init__(self, model: FrameworkClassifier, texts: list[str], truth: np.ndarray,
                 groups: np.ndarray, train: np.ndarray, test: np.ndarray,
                 sentences: dict[int, tuple[list[str], np.ndarray]],
                 extra: Callable[[list[str], list[str]], sparse.csr_matrix] | None) -> None:
        train_texts = [texts[i] for i in train]
        cuts = [model.segmenter_.cut(t) for t in train_texts]
        model.word_space_ = TfidfSpace(model.min_df).fit(model._words(cuts))
        model.char_space_ = TfidfSpace(model.min_df).fit(model._chars(train_texts))
        rows, labels, weight, parent = list(train_texts), [truth[train]], \
            [np.ones(len(train))], list(range(len(train)))
        for position, i in enumerate(train):
            found, sentence_truth = sentences.get(int(i), ([], None))
            if found:
                rows.extend(found)
                labels.append(sentence_truth)
                weight.append(np.full(len(found), SENTENCE_WEIGHT))
                parent.extend([position] * len(found))
        test_texts = [texts[i] for i in test]
        self.x = model._features(rows, [model.segmenter_.cut(t) for t in rows])
        self.x_test = model._features(test_texts, [model.segmenter_.cut(t) for t in test_texts])
        self.n_tfidf = len(model.word_space_.vocabulary_) + len(model.char_space_.vocabulary_)
        if extra is not None:
            block, block_test = extra(train_texts, rows), extra(train_texts, test_texts)
            self.x = sparse.hstack([self.x, block[0]], format="csr")
            self.x_test = sparse.hstack([self.x_test, block_test[1]], format="csr")
        self.y = np.vstack(labels)
        self.w = np.concatenate(weight)
        self.parent = np.array(parent)
        self.n_passages = len(train)
        self.groups = groups[train]


def fit_lr(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, C: float = 10.0
           ) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((y.shape[1], x.shape[1]))
    intercept = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        model = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True,
                                   max_iter=1000, random_state=0)
        model.fit(x, y[:, j], sample_weight=w)
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return coef, intercept


def logits_of(x: sparse.csr_matrix, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.asarray(x @ coef.T) + intercept


def inner_folds(fold: Fold, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped inner splits of the training passages -> (training rows incl. sentence
    examples, held-out passage rows)."""
    passages = np.arange(fold.n_passages)
    out = []
    for a, b in GroupKFold(n_splits=n).split(passages, groups=fold.groups):
        out.append((np.flatnonzero(np.isin(fold.parent, a)), b))
    return out


def oof_logits(fold: Fold, n: int, C: float = 10.0) -> np.ndarray:
    out = np.zeros((fold.n_passages, fold.y.shape[1]))
    for rows, held in inner_folds(fold, n):
        coef, intercept = fit_lr(fold.x[rows], fold.y[rows], fold.w[rows], C)
        out[held] = logits_of(fold.x[held], coef, intercept)
    return out


LOGIT_04 = float(np.log(0.4 / 0.6))


def shipped(fold: Fold) -> np.ndarray:
    return logits_of(fold.x_test, *fit_lr(fold.x, fold.y, fold.w)) - LOGIT_04


def nb_ratio(fold: Fold, j: int, alpha: float = 1.0) -> np.ndarray:
    x = fold.x.tocsc()[:, :fold.n_tfidf]
    positive = fold.y[:, j] == 1
    p = np.asarray(x[positive].sum(axis=0)).ravel() + alpha
    q = np.asarray(x[~positive].sum(axis=0)).ravel() + alpha
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    return np.concatenate([r, np.ones(fold.x.shape[1] - fold.n_tfidf)])


def nb_logits(fold: Fold) -> np.ndarray:
    out = np.zeros((fold.x_test.shape[0], fold.y.shape[1]))
    for j in range(fold.y.shape[1]):
        scale = sparse.diags(nb_ratio(fold, j))
        coef, intercept = fit_lr(fold.x @ scale, fold.y[:, j:j + 1], fold.w)
        out[:, j] = logits_of(fold.x_test @ scale, coef, intercept)[:, 0]
    return out


def nb(fold: Fold) -> np.ndarray:
    return nb_logits(fold) - LOGIT_04


def nb_mix(fold: Fold) -> np.ndarray:
    return 0.5 * (nb_logits(fold) + logits_of(fold.x_test, *fit_lr(fold.x, fold.y, fold.w))) \
        - LOGIT_04


def _stage(train_logits: np.ndarray, truth: np.ndarray, test_logits: np.ndarray,
           balanced: bool) -> np.ndarray:
    out = np.zeros_like(test_logits)
    for j in range(truth.shape[1]):
        model = LogisticRegression(C=1.0, class_weight="balanced" if balanced else None,
                                   max_iter=1000)
        model.fit(train_logits, truth[:, j])
        out[:, j] = model.decision_function(test_logits)
    return out


def _stack_inputs(fold: Fold) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold logits of the training passages and the full model's test logits
    (computed once per fold, shared by the two stacking rows)."""
    if not hasattr(fold, "stack_inputs"):
        fold.stack_inputs = (oof_logits(fold, 5),
                             logits_of(fold.x_test, *fit_lr(fold.x, fold.y, fold.w)))
    return fold.stack_inputs


def stack(fold: Fold) -> np.ndarray:
    oof, full = _stack_inputs(fold)
    return _stage(oof, fold.y[:fold.n_passages], full, True) - LOGIT_04


def stack_unweighted(fold: Fold) -> np.ndarray:
    """Unweighted second stage at probability 0.5 (a calibrated-style stage)."""
    oof, full = _stack_inputs(fold)
    return _stage(oof, fold.y[:fold.n_passages], full, False) - LOGIT_04


def svm_mix(fold: Fold) -> np.ndarray:
    from sklearn.svm import LinearSVC

    lr = logits_of(fold.x_test, *fit_lr(fold.x, fold.y, fold.w))
    out = np.zeros_like(lr)
    for j in range(fold.y.shape[1]):
        model = LinearSVC(C=0.3, class_weight="balanced", random_state=0, max_iter=5000)
        model.fit(fold.x, fold.y[:, j], sample_weight=fold.w)
        out[:, j] = 2.0 * model.decision_function(fold.x_test)
    return 0.5 * (lr + out) - LOGIT_04


def cnb_mix(fold: Fold) -> np.ndarray:
    from sklearn.naive_bayes import ComplementNB

    lr = logits_of(fold.x_test, *fit_lr(fold.x, fold.y, fold.w))
    x, x_test = fold.x[:, :fold.n_tfidf], fold.x_test[:, :fold.n_tfidf]
    out = np.zeros_like(lr)
    for j in range(fold.y.shape[1]):
        model = ComplementNB(alpha=0.3).fit(x, fold.y[:, j], sample_weight=fold.w)
        train_score = model.predict_joint_log_proba(x) if hasattr(
            model, "predict_joint_log_proba") else model.predict_log_proba(x)
        test_score = model.predict_joint_log_proba(x_test) if hasattr(
            model, "predict_joint_log_proba") else model.predict_log_proba(x_test)
        d_train = train_score[:, 1] - train_score[:, 0]
        d_test = test_score[:, 1] - test_score[:, 0]
        out[:, j] = (d_test - np.median(d_train)) / (d_train.std() or 1.0)
    return 0.5 * (lr + 2.0 * out) - LOGIT_04


def c_per_category(fold: Fold) -> np.ndarray:
    grid = (1.0, 3.0, 10.0, 30.0)
    truth = fold.y[:fold.n_passages]
    best = []
    for C in grid:
        oof = oof_logits(fold, 3, C)
        predicted = oof >= LOGIT_04
        tp = (predicted & (truth == 1)).sum(axis=0)
        best.append(2 * tp / np.maximum(predicted.sum(axis=0) + truth.sum(axis=0), 1))
    chosen = np.array(grid)[np.argmax(np.vstack(best), axis=0)]
    out = np.zeros((fold.x_test.shape[0], truth.shape[1]))
    for j, C in enumerate(chosen):
        coef, intercept = fit_lr(fold.x, fold.y[:, j:j + 1], fold.w, float(C))
        out[:, j] = logits_of(fold.x_test, coef, intercept)[:, 0]
    print("    C per category:", " ".join(f"{c:g}" for c in chosen), flush=True)
    return out - LOGIT_04


def bigram_block(segmenter: Any) -> Callable[[list[str], list[str]], Any]:
    def tokens(text: str) -> list[str]:
        words = [t for t in segmenter.cut(text) if segmenter.keep(t)]
        return [a + "_" + b for a, b in zip(words, words[1:], strict=False)]

    def make(train_texts: list[str], rows: list[str]) -> tuple[Any, Any]:
        space = TfidfSpace(2).fit([tokens(t) for t in train_texts])
        matrix = space.transform([tokens(t) for t in rows])
        return matrix, matrix
    return make


def terms_block(model: FrameworkClassifier) -> Callable[[list[str], list[str]], Any]:
    def hits(text: str) -> list[str]:
        return [f"{h.term}|{h.category}" for h in
                model.extractor_.hits_from_tokens(model.segmenter_.cut(text))]

    def make(train_texts: list[str], rows: list[str]) -> tuple[Any, Any]:
        vocabulary = sorted({h for t in train_texts for h in hits(t)})
        index = {v: j for j, v in enumerate(vocabulary)}
        data, indices, indptr = [], [], [0]
        for text in rows:
            counts: dict[int, int] = {}
            for h in hits(text):
                if h in index:
                    counts[index[h]] = counts.get(index[h], 0) + 1
            for j in sorted(counts):
                indices.append(j)
                data.append(float(np.log1p(counts[j])))
            indptr.append(len(indices))
        matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))
        return matrix, matrix
    return make


VARIANTS: dict[str, Callable[[Fold], np.ndarray]] = {
    "shipped": shipped, "nb": nb, "nb-mix": nb_mix, "stack": stack,
    "stack-unweighted": stack_unweighted, "svm-mix": svm_mix, "cnb-mix": cnb_mix,
    "C-cat": c_per_category,
}
BLOCKS = ("bigrams", "terms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated variant names")
    args = parser.parse_args()
    loaded = load_gold()
    if loaded is None:
        return 1
    texts, truth, domain, groups = loaded
    segmenter = MemoSegmenter()
    params = training_params()
    model = FrameworkClassifier(segmenter=segmenter, calibration_folds=0,
                                **params).fit(*warmup(texts, truth))
    rows, sentence_truth, parent = sentence_examples(model.extractor_, texts, truth)
    sentences: dict[int, tuple[list[str], np.ndarray]] = {}
    for i in sorted(set(parent.tolist())):
        mask = parent == i
        sentences[i] = ([rows[j] for j in np.flatnonzero(mask)], sentence_truth[mask])
    names = [*VARIANTS, *BLOCKS]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    splits_list = grouped_splits(groups.tolist(), 5, args.repeats)
    print(f"{len(texts)} passages, {len(rows)} sentence examples; GroupKFold(5), "
          f"{args.repeats} assignments; params {params}; load {os.getloadavg()[0]:.1f}",
          flush=True)
    predicted = {name: [np.zeros_like(truth) for _ in splits_list] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    extras = {"bigrams": bigram_block(segmenter), "terms": terms_block(model)}
    for r, splits in enumerate(splits_list):
        for train, test in splits:
            folds = {None: Fold(model, texts, truth, groups, train, test, sentences, None)}
            for name in names:
                started = time.perf_counter()
                if name in BLOCKS:
                    fold = Fold(model, texts, truth, groups, train, test, sentences,
                                extras[name])
                    scores = shipped(fold)
                else:
                    scores = VARIANTS[name](folds[None])
                predicted[name][r][test] = cap_labels(scores >= 0, scores)
                seconds[name] += time.perf_counter() - started
        print(f"  assignment {r} done (load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"{'variant':<18} {'national':>8} {'provinc.':>8} {'mean':>6} {'range of mean':>15} "
          f"{'d mean [paired range]':>23}  per category national | provincial  seconds")
    base = None
    for name in names:
        per = []
        for run in predicted[name]:
            scores = [metrics(truth[domain == d], run[domain == d], CATEGORIES)
                      for d in ("national", "provincial")]
            per.append(scores)
        nat = np.mean([p[0]["macro_f1"] for p in per])
        prov = np.mean([p[1]["macro_f1"] for p in per])
        means = [(p[0]["macro_f1"] + p[1]["macro_f1"]) / 2 for p in per]
        mean = float(np.mean(means))
        base = means if base is None else base
        paired = [m - b for m, b in zip(means, base, strict=True)]
        cats = " ".join(f"{np.mean([p[0]['per_category'][c]['f1'] for p in per]):.2f}"
                        for c in CATEGORIES) + " | " + " ".join(
            f"{np.mean([p[1]['per_category'][c]['f1'] for p in per]):.2f}" for c in CATEGORIES)
        print(f"{name:<18} {nat:>8.3f} {prov:>8.3f} {mean:>6.3f} "
              f"{min(means):>7.3f}-{max(means):.3f} {np.mean(paired):>+7.3f} "
              f"[{min(paired):+.3f},{max(paired):+.3f}]  {cats}  "
              f"{seconds[name]:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
