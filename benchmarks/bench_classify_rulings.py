"""Error analysis by guideline ruling on out-of-fold predictions (both gold files).

The shipped configuration (``classify/data/training.yaml``, with the word vectors
of ``--vectors`` when given; calibration off: it changes no label), or with
``--estimator dictionary`` the DictionaryClassifier (``--cap text|evidence``: what
its three-label cap ranks by), is trained on the pooled
training folds of the unshuffled ``GroupKFold(5)`` by document and predicts the
held-out documents, so no passage is ever labelled by a model that saw it.
``--repeats N`` also scores N fold assignments (the unshuffled one, then shuffled
with seeds 1, 2..., the folds of ``bench_classify.py``) and prints the mean
macro-F1 and per-category F1 per domain (the "fixed rows"); the error tables are
those of the first assignment. Each
passage is then tagged with the *kinds* of guideline v1.3 "whole paragraph"
rulings it shows (problem paragraph, 总体要求, targets, review, investment list,
enumeration, digital government ...; the cue patterns are this script's own
reading aid, not the package's rules) and the script prints, per domain and
category, TP / FP / FN, and FP / FN counts per passage kind. ``--contexts`` and
``--rulings`` choose the rules files every model uses (default: the
shipped ones; ``none`` turns a file off), to compare before and after a rules
change on the same folds. ``--show KIND`` prints the first 60 characters of
the errors of one kind (to read, not to publish).

Usage:
    python benchmarks/bench_classify_rulings.py [--vectors DIR]
        [--estimator shipped|dictionary] [--cap text|evidence] [--repeats 3]
        [--contexts none] [--rulings none|PATH] [--cache /tmp/oof.npz] [--show problem]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import Any

import numpy as np

from nqp_text.classify import DictionaryClassifier, FrameworkClassifier
from nqp_text.classify.embeddings import WordVectors
from nqp_text.classify.evaluate import fit_with_groups, grouped_splits, mean_report, metrics
from nqp_text.classify.labels import cap_labels
from nqp_text.classify.training import training_params

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_classify import CATEGORIES, SHORT, MemoSegmenter  # noqa: E402
from bench_classify_nested import load_gold  # noqa: E402

#: Reading aid: passage kinds of the guideline v1.3 rulings (first match per kind).
KINDS: dict[str, str] = {
    "problem": (r"在肯定成绩的同时|问题和不足|困难和问题|短板弱项|不足和问题|差距和不足"
                r"|不少困难|不少问题"),
    "requirements": r"总体要求|指导思想|总的要求",
    "targets": r"主要预期目标|预期目标是|预期目标为|增长\d+(\.\d+)?%左右",
    "review": r"过去一年|一年来|过去五年|五年来|回顾|[0-9一二]{2,4}年，|去年",
    "investment": r"\d+个(重大|重点)?项目|专项债|两重|两新|投资\d|亿元",
    "enumeration": r"(?:[^，。；、]{1,8}、){4,}",
    "gov_digital": r"一网通办|一网统管|政务服务|数字政府|城市大脑",
}


def tags(text: str) -> list[str]:
    found = [kind for kind, pattern in KINDS.items() if re.search(pattern, text)]
    return found or ["other"]


def _text_cap(model: Any, texts: list[str], proba: np.ndarray) -> np.ndarray:
    """The shipped configuration's labels with the three-label cap by text support."""
    extractor = model.extractor_
    cuts = [extractor.segmenter.cut(text) for text in texts]
    support = extractor.text_support(cuts, [extractor.hits_from_tokens(c) for c in cuts])
    selected = proba >= float(model.threshold)
    print(f"  {int((selected.sum(axis=1) > 3).sum())} held-out passages with more than "
          "three labels above the threshold")
    return cap_labels(selected, support + proba * 1e-3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", default="", help="word-vector folder (default: none, "
                        "as the shipped configuration)")
    parser.add_argument("--estimator", choices=("shipped", "dictionary"), default="shipped")
    parser.add_argument("--cap", choices=("text", "evidence"), default="evidence",
                        help="what the DictionaryClassifier's three-label cap ranks by")
    parser.add_argument("--framework-cap", choices=("probability", "text"),
                        default="probability",
                        help="re-apply the shipped configuration's three-label cap by the "
                             "text support of each label (the guideline's cap) instead of "
                             "the probability, to measure it")
    parser.add_argument("--repeats", type=int, default=1, help="fold assignments (default 1)")
    parser.add_argument("--contexts", default="default")
    parser.add_argument("--rulings", default="default")
    parser.add_argument("--cache", default="", help="npz of out-of-fold predictions to reuse")
    parser.add_argument("--show", default="", help="print the errors of this passage kind")
    args = parser.parse_args()
    loaded = load_gold()
    if loaded is None:
        return 1
    texts, truth, domains, groups = loaded
    if args.cache and os.path.exists(args.cache):
        runs = list(np.load(args.cache)["predicted"])
    else:
        segmenter = MemoSegmenter()
        rulings: Any = None if args.rulings == "none" else args.rulings
        contexts: Any = None if args.contexts == "none" else args.contexts
        if args.estimator == "dictionary":
            def make() -> Any:
                return DictionaryClassifier(segmenter=segmenter, contexts=contexts,
                                            rulings=rulings, cap_by=args.cap)
        else:
            vectors = WordVectors.load(args.vectors) if args.vectors else None

            def make() -> Any:
                return FrameworkClassifier(segmenter=segmenter, contexts=contexts,
                                           rulings=rulings, word_vectors=vectors,
                                           calibration_folds=0, **training_params())
        started = time.perf_counter()
        labels = [[c for c, v in zip(CATEGORIES, row, strict=True) if v] for row in truth]
        runs = []
        for splits in grouped_splits(list(groups), 5, args.repeats):
            predicted = np.zeros_like(truth)
            for train, test in splits:
                model = fit_with_groups(make(), [texts[i] for i in train],
                                        [labels[i] for i in train], [groups[i] for i in train])
                held_out = [texts[i] for i in test]
                predicted[test], proba = model.predict_with_proba(held_out)
                if args.framework_cap == "text" and args.estimator == "shipped":
                    predicted[test] = _text_cap(model, held_out, proba)
            runs.append(predicted)
        print(f"out-of-fold predictions ({len(runs)} fold assignments) in "
              f"{time.perf_counter() - started:.0f} s")
        if args.cache:
            np.savez(args.cache, predicted=np.array(runs))
    predicted = runs[0]
    print(f"{args.estimator} (rulings {args.rulings}); mean of {len(runs)} fold assignments: "
          "macro-F1 | " + " ".join(SHORT))
    for scope in ("national", "provincial"):
        where = domains == scope
        mean = mean_report([metrics(truth[where], run[where], CATEGORIES) for run in runs])
        print(f"  {scope:<11} {mean['macro_f1']:.3f} | " + " ".join(
            f"{mean['per_category'][c]['f1']:.3f}" for c in CATEGORIES))
    kinds = [tags(t) for t in texts]
    names = [*KINDS, "other"]
    for scope in ("national", "provincial"):
        where = domains == scope
        report = metrics(truth[where], predicted[where], CATEGORIES)
        print(f"== {scope}: macro-F1 {report['macro_f1']:.3f}; category TP FP FN | "
              "FP by passage kind | FN by passage kind")
        for j in range(len(CATEGORIES)):
            t, p = truth[:, j] == 1, predicted[:, j] == 1
            fp = np.flatnonzero(where & ~t & p)
            fn = np.flatnonzero(where & t & ~p)
            tp = int((where & t & p).sum())

            def by_kind(rows: np.ndarray) -> str:
                counts = {n: sum(n in kinds[i] for i in rows) for n in names}
                return " ".join(f"{n[:5]} {c}" for n, c in counts.items() if c)
            print(f"{SHORT[j]:<8} {tp:>4} {len(fp):>4} {len(fn):>4} | {by_kind(fp)} | "
                  f"{by_kind(fn)}")
        none_fp = int((where & ~truth.any(axis=1) & predicted.any(axis=1)).sum())
        none_fn = int((where & truth.any(axis=1) & ~predicted.any(axis=1)).sum())
        print(f"passages gold none but labelled: {none_fp}; labelled but predicted none: "
              f"{none_fn}")
        for name in names:
            rows = np.flatnonzero(where & np.array([name in k for k in kinds]))
            gold_none = int((~truth[rows].any(axis=1)).sum())
            fps = int((predicted[rows] & (1 - truth[rows])).sum())
            fns = int(((1 - predicted[rows]) & truth[rows]).sum())
            print(f"  kind {name:<13} passages {len(rows):>4} gold none {gold_none:>4} "
                  f"label FP {fps:>3} FN {fns:>3}")
        if args.show:
            for i in np.flatnonzero(where):
                if args.show in kinds[i] and (predicted[i] != truth[i]).any():
                    gold = ",".join(SHORT[j] for j in np.flatnonzero(truth[i])) or "none"
                    got = ",".join(SHORT[j] for j in np.flatnonzero(predicted[i])) or "none"
                    print(f"    gold {gold} got {got}: {texts[i][:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
