"""Screen of representation and learning variants of the FrameworkClassifier (issue 11).

Outer ``GroupKFold(5)`` by document over both gold files (``--repeats`` fold
assignments, the same folds as ``bench_classify.py``), one FIXED configuration
(the shipped one: C 10, threshold 0.5, sentence examples at 0.5, class-balanced
regressions). Each ``--rows`` entry names the dense block appended to the TF-IDF
and keyword features:

* ``w2v`` -- the shipped word2vec means (``--vectors``; the shipped features);
* ``none`` -- no dense block;
* ``ft`` -- fastText sub-word vectors (gensim ``FastText``, skip-gram, 64
  dimensions, character n-grams of 1-2 characters, 100,000 buckets), mean of
  the unit vectors of all content tokens, unseen ones built from their n-grams;
  ``ftv`` -- the same vectors for in-vocabulary tokens only;
* ``d2v`` -- doc2vec (PV-DBOW with word training, 64 dimensions, 20 epochs),
  each passage's inferred vector;
* ``sif`` -- the word2vec means weighted ``a / (a + p(word))`` (a = 1e-3,
  smooth inverse frequency) instead of plain means;
* joined with ``+`` (``w2v+ft``): both blocks side by side.

fastText and doc2vec are trained here, on the same unlabelled shared corpora as
``train_word_vectors.py`` (no gold label is read), with one worker and seed 0.
A suffix changes the learning, not the block:

* ``:intercept`` -- one extra column, 1 for provincial passages (a per-domain
  intercept); at test time the passage's TRUE domain (an oracle: a user's
  corpus has no domain label, so this is an upper bound);
* ``:augment`` -- feature augmentation (Daume III 2007): every column twice, the
  copy multiplied by the provincial indicator (per-domain weights on a shared
  model); same oracle;
* ``:nb`` -- NB-weighted logistic regression (Wang & Manning 2012): per
  category the TF-IDF columns scaled by their log-count ratio before fitting.

``--mil`` adds rows for the FIRST row's model: per category an unweighted
logistic regression on (the passage's logit, the largest logit among its
sentences labelled alone), fitted on inner out-of-fold logits (grouped
``GroupKFold(5)``), labelled at 0.5, 0.4 or per-category thresholds; and its
control, the same regression on the passage logit alone (Platt) at 0.5.
``--calibration`` compares, for the first row's model, the raw class-balanced
sigmoid, Platt scaling (what the shipped model does) and isotonic regression,
each fitted on the same inner out-of-fold logits: Brier score per category of
the held-out probabilities and the reliability of the two rarest categories.

This is a screen, not a selection: its rows are read off the outer folds.

Usage:
    python benchmarks/bench_classify_vec.py --vectors src/nqp_text/classify/models/word_vectors \
        --rows w2v none ft ftv w2v+ft d2v w2v+d2v sif w2v:intercept w2v:augment w2v:nb \
        [--repeats 1] [--mil] [--calibration]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_classify_nested as nested  # noqa: E402
from nqp_text.classify import FrameworkClassifier  # noqa: E402
from nqp_text.classify.embeddings import WordVectors  # noqa: E402
from nqp_text.classify.evaluate import calibration, grouped_splits  # noqa: E402
from nqp_text.classify.features import sentence_examples  # noqa: E402
from nqp_text.preprocess.passages import split_spans  # noqa: E402

CONFIG = {"C": 10.0, "provincial_weight": 1.0}
BLOCKS = ("w2v", "none", "ft", "ftv", "d2v", "sif")
SUFFIXES = ("intercept", "augment", "nb")


def _unit_mean(vectors: list[np.ndarray], dim: int) -> np.ndarray:
    """L2-normalised mean of unit vectors (zeros when there are none)."""
    if not vectors:
        return np.zeros(dim)
    rows = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    mean = (rows / np.where(norms > 0, norms, 1.0)).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


def _corpus_tokens() -> list[list[str]]:
    """Content tokens of every paragraph of the unlabelled corpora (as train_word_vectors)."""
    from nqp_text import read_corpus
    from nqp_text._shared import shared_dir
    from nqp_text.segment import Segmenter
    from train_word_vectors import SOURCES

    shared = shared_dir()
    assert shared is not None
    corpus = read_corpus([shared / "corpora" / s for s in SOURCES], workers=1, timeout=None,
                         memory_limit=None)
    segmenter = Segmenter()
    tokens = [[t for t in segmenter.cut(str(text)) if segmenter.keep(t)]
              for text in corpus.passages["text"]]
    return [t for t in tokens if t]


def dense_blocks(names: set[str], vectors: WordVectors, tokens: list[list[str]]
                 ) -> dict[str, np.ndarray]:
    """The dense blocks named in ``names`` for every token list (rows in order)."""
    blocks = {"w2v": vectors.mean(tokens)}
    if names & {"ft", "ftv", "d2v"}:
        started = time.perf_counter()
        corpus = _corpus_tokens()
        print(f"corpus: {len(corpus)} paragraphs ({time.perf_counter() - started:.0f}s)",
              flush=True)
    if names & {"ft", "ftv"}:
        from gensim.models import FastText

        model = FastText(sentences=corpus, vector_size=64, window=5, min_count=5, sg=1,
                         epochs=10, min_n=1, max_n=2, bucket=100000, workers=1, seed=0,
                         max_final_vocab=20000)
        known = model.wv.key_to_index
        blocks["ft"] = np.array([_unit_mean([model.wv[t] for t in ts], 64) for ts in tokens])
        blocks["ftv"] = np.array([_unit_mean([model.wv[t] for t in ts if t in known], 64)
                                  for ts in tokens])
        unseen = sum(t not in known for ts in tokens for t in ts)
        print(f"fastText: {len(known)} words; {unseen} of {sum(map(len, tokens))} gold "
              f"tokens unseen", flush=True)
    if "d2v" in names:
        from gensim.models.doc2vec import Doc2Vec, TaggedDocument

        model = Doc2Vec([TaggedDocument(ts, [i]) for i, ts in enumerate(corpus)],
                        vector_size=64, window=5, min_count=5, dm=0, dbow_words=1, epochs=20,
                        workers=1, seed=0, max_final_vocab=20000)
        rows = np.array([model.infer_vector(ts, epochs=20) if ts else np.zeros(64)
                         for ts in tokens], dtype=np.float64)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        blocks["d2v"] = rows / np.where(norms > 0, norms, 1.0)
    if "sif" in names:
        total = float(sum(vectors.counts))
        share = {w: c / total for w, c in zip(vectors.words, vectors.counts, strict=True)}
        rows = []
        for ts in tokens:
            found = [t for t in ts if t in share]
            if not found:
                rows.append(np.zeros(vectors.dim))
                continue
            weights = np.array([1e-3 / (1e-3 + share[t]) for t in found])
            mean = weights @ vectors._unit[[vectors._index[t] for t in found]]
            rows.append(mean / np.linalg.norm(mean))
        blocks["sif"] = np.array(rows)
    return blocks


class DomainFeatures:
    """``feats`` plus a provincial-indicator column (``intercept``) or an indicator-
    multiplied copy of every column (``augment``); the indicator is each text's gold domain."""

    def __init__(self, feats: nested.Features, provincial: dict[str, float], mode: str) -> None:
        self.feats, self.provincial, self.mode = feats, provincial, mode

    def __call__(self, texts: list[str]) -> sparse.csr_matrix:
        matrix = self.feats(texts)
        flag = np.array([self.provincial.get(t, 0.0) for t in texts])[:, None]
        extra = (sparse.csr_matrix(flag) if self.mode == "intercept"
                 else sparse.csr_matrix(matrix.multiply(flag)))
        return sparse.hstack([matrix, extra], format="csr")


def nb_logits(model: FrameworkClassifier, feats: nested.Features, texts: list[str],
              truth: np.ndarray, train: np.ndarray, tests: list[list[str]],
              sentences: dict[int, tuple[list[str], np.ndarray]]) -> list[np.ndarray]:
    """NB-weighted LR: per category the TF-IDF columns scaled by the log-count ratio
    ``log((p / |p|) / (q / |q|))`` of their presence in positive / negative rows (+1)."""
    rows = [texts[i] for i in train]
    labels, weight = [truth[train]], [np.ones(len(train))]
    for i in train:
        found, sentence_truth = sentences.get(int(i), ([], None))
        if found:
            rows.extend(found)
            labels.append(sentence_truth)
            weight.append(np.full(len(found), nested.SENTENCE_WEIGHT))
    y, w, x = np.vstack(labels), np.concatenate(weight), feats(rows)
    n_tfidf = len(model.word_space_.vocabulary_) + len(model.char_space_.vocabulary_)
    present = (x[:, :n_tfidf] > 0).astype(np.float64)
    matrices = [feats(t) for t in tests]
    outs = [np.zeros((len(t), y.shape[1])) for t in tests]
    model.C = CONFIG["C"]
    for j in range(y.shape[1]):
        pos = np.asarray(present[y[:, j] == 1].sum(axis=0)).ravel() + 1.0
        neg = np.asarray(present[y[:, j] == 0].sum(axis=0)).ravel() + 1.0
        ratio = np.log((pos / pos.sum()) / (neg / neg.sum()))
        scale = sparse.diags(np.concatenate([ratio, np.ones(x.shape[1] - n_tfidf)]))
        coef, intercept = model._fit_linear(x @ scale, y[:, j:j + 1], w)
        for out, matrix in zip(outs, matrices, strict=True):
            out[:, j] = np.asarray(matrix @ scale @ coef[0]).ravel() + intercept[0]
    return outs


def _best_of(logits: np.ndarray, sizes: list[int]) -> np.ndarray:
    starts = np.cumsum([0, *sizes])
    return np.vstack([logits[a:b].max(axis=0) for a, b in zip(starts[:-1], starts[1:],
                                                               strict=True)])


def _second_stage(train_x: list[np.ndarray], truth: np.ndarray, test_x: list[np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per category an unweighted LR on the given columns: (train, test) decision values."""
    k = truth.shape[1]
    fitted, out = np.zeros((len(truth), k)), np.zeros((len(test_x[0]), k))
    for j in range(k):
        a = np.column_stack([x[:, j] for x in train_x])
        b = np.column_stack([x[:, j] for x in test_x])
        model = LogisticRegression(C=1.0, max_iter=1000).fit(a, truth[:, j])
        fitted[:, j], out[:, j] = model.decision_function(a), model.decision_function(b)
    return fitted, out


def _probabilities(method: str, inner: np.ndarray, truth: np.ndarray,
                   logits: np.ndarray) -> np.ndarray:
    out = np.zeros_like(logits)
    for j in range(logits.shape[1]):
        if method == "raw sigmoid":
            out[:, j] = 1.0 / (1.0 + np.exp(-logits[:, j]))
        elif method == "Platt":
            model = LogisticRegression(C=1e4, max_iter=1000).fit(inner[:, j:j + 1], truth[:, j])
            out[:, j] = model.predict_proba(logits[:, j:j + 1])[:, 1]
        else:
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
            out[:, j] = iso.fit(inner[:, j], truth[:, j]).predict(logits[:, j])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", required=True, help="folder of word_vectors.npy/.tsv")
    parser.add_argument("--rows", nargs="+", default=["w2v"])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--mil", action="store_true")
    parser.add_argument("--calibration", action="store_true")
    args = parser.parse_args()
    for row in args.rows:
        spec, _, suffix = row.partition(":")
        if any(b not in BLOCKS for b in spec.split("+")) or suffix not in ("", *SUFFIXES):
            parser.error(f"unknown row {row!r}: blocks {BLOCKS} joined by '+', "
                         f"suffix :{'/:'.join(SUFFIXES)}")
    loaded = nested.load_gold()
    if loaded is None:
        return 1
    texts, truth, domain, groups = loaded
    segmenter = nested.MemoSegmenter()
    model = FrameworkClassifier(segmenter=segmenter, calibration_folds=0)
    model.fit(*nested.warmup(texts, truth))
    all_rows, all_truth, parent = sentence_examples(model.extractor_, texts, truth)
    sentences = {}
    for i in sorted(set(parent.tolist())):
        mask = parent == i
        sentences[i] = ([all_rows[j] for j in np.flatnonzero(mask)], all_truth[mask])
    pieces = [[t[a:b] for a, b in split_spans(t, unit="sentence")] or [t] for t in texts]
    every = sorted(set(texts) | set(all_rows) | {x for p in pieces for x in p})
    tokens = [[t for t in segmenter.cut(x) if segmenter.keep(t)] for x in every]
    names = {b for row in args.rows for b in row.partition(":")[0].split("+")}
    blocks = dense_blocks(names, WordVectors.load(args.vectors), tokens)
    provincial: dict[str, float] = {}
    for i, text in enumerate(texts):
        for piece in [text, *pieces[i], *sentences.get(i, ([], None))[0]]:
            provincial.setdefault(piece, float(domain[i] == "provincial"))
    half = np.full(truth.shape[1], nested.logit(0.5))
    runs: dict[str, list[np.ndarray]] = {}
    probabilities: dict[str, list[np.ndarray]] = {}
    started = time.perf_counter()
    for splits in grouped_splits(groups.tolist(), 5, args.repeats):
        outer: dict[str, np.ndarray] = {}
        held: dict[str, np.ndarray] = {}
        for train, test in splits:
            test_texts = [texts[i] for i in test]
            test_sentences = [x for i in test for x in pieces[i]]
            for row in args.rows:
                spec, _, suffix = row.partition(":")
                used = [b for b in spec.split("+") if b != "none"]
                dense = (dict(zip(every, np.hstack([blocks[b] for b in used]), strict=True))
                         if used else None)
                feats = nested.Features(model, [texts[i] for i in train], dense, 1.0)
                use = DomainFeatures(feats, provincial, suffix) \
                    if suffix in ("intercept", "augment") else feats
                if suffix == "nb":
                    logits, sentence_logits = nb_logits(model, use, texts, truth, train,
                                                        [test_texts, test_sentences],
                                                        sentences)
                else:
                    logits, sentence_logits = nested.fit_logits(
                        model, use, texts, truth, domain, train,
                        [test_texts, test_sentences], CONFIG, sentences)
                outer.setdefault(row, np.zeros_like(truth))[test] = nested.labelled(logits, half)
                if row != args.rows[0] or not (args.mil or args.calibration):
                    continue
                inner = GroupKFold(n_splits=5, shuffle=True, random_state=0).split(
                    train, groups=groups[train])
                oof, oof_best = np.zeros((len(train), 6)), np.zeros((len(train), 6))
                for a, b in inner:
                    part = nested.fit_logits(
                        model, use, texts, truth, domain, train[a],
                        [[texts[i] for i in train[b]], [x for i in train[b] for x in pieces[i]]],
                        CONFIG, sentences)
                    oof[b] = part[0]
                    oof_best[b] = _best_of(part[1], [len(pieces[i]) for i in train[b]])
                best = _best_of(sentence_logits, [len(pieces[i]) for i in test])
                if args.mil:
                    fitted, combined = _second_stage([oof, oof_best], truth[train],
                                                     [logits, best])
                    for name, cuts in (("0.5", half),
                                       ("0.4", np.full(6, nested.logit(0.4))),
                                       ("per-category", nested.per_category_cuts(
                                           fitted, truth[train]))):
                        outer.setdefault(f"{row} +best-sentence LR, {name}",
                                         np.zeros_like(truth))[test] = \
                            nested.labelled(combined, cuts)
                    _, platt = _second_stage([oof], truth[train], [logits])
                    outer.setdefault(f"{row} control: Platt LR alone, 0.5",
                                     np.zeros_like(truth))[test] = nested.labelled(platt, half)
                if args.calibration:
                    for method in ("raw sigmoid", "Platt", "isotonic"):
                        held.setdefault(method, np.zeros(truth.shape))[test] = \
                            _probabilities(method, oof, truth[train], logits)
            print(f"  fold done ({time.perf_counter() - started:.0f}s)", flush=True)
        for name, predicted in outer.items():
            runs.setdefault(name, []).append(predicted)
        for name, predicted in held.items():
            probabilities.setdefault(name, []).append(predicted)
    for name, predicted in runs.items():
        nested.report(name, truth, domain, predicted, per_category=True)
    for method, held_out in probabilities.items():
        tables = [calibration(truth, p, nested.CATEGORIES) for p in held_out]
        brier = np.array([[t[c]["brier"] for c in nested.CATEGORIES] for t in tables]).mean(0)
        print(f"Brier {method:<12} " + " ".join(
            f"{s} {v:.4f}" for s, v in zip(nested.SHORT, brier, strict=True))
            + f"  mean {brier.mean():.4f}")
        for category in ("labor_object", "labor_means"):
            print(f"    {category} [n, mean p, observed] per bin: " + " ".join(
                f"[{n} {p:.2f} {o:.2f}]" for _, _, n, p, o in tables[0][category]["reliability"]))
    print(f"total {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
