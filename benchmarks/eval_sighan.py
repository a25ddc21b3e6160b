"""Segmentation accuracy on SIGHAN 2005 PKU and MSR (../shared/sighan2005), in one run.

Prints word-span precision, recall and F1 (see ``nqp_text.segment.evaluate``)
for raw jieba, the default ``Segmenter`` (jieba backend) and ``Segmenter``
with the rjieba backend, and each one's F1 difference from raw jieba.

Usage:
    python benchmarks/eval_sighan.py
"""

from __future__ import annotations

import importlib.util
import sys

import jieba

from nqp_text._shared import shared_dir
from nqp_text.segment.evaluate import score_sighan
from nqp_text.segment.segmenter import Segmenter


def main() -> int:
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to evaluate", file=sys.stderr)
        return 1
    jieba.setLogLevel(60)  # this script's process only
    raw = jieba.Tokenizer()
    cutters = {"raw jieba.lcut": raw.lcut, "Segmenter()": Segmenter().cut}
    if importlib.util.find_spec("rjieba"):
        cutters["Segmenter(backend='rjieba')"] = Segmenter(backend="rjieba").cut
    for name in ("pku", "msr"):
        folder = shared / "sighan2005"
        raw_path, gold_path = folder / f"{name}_test.utf8", folder / f"{name}_test_gold.utf8"
        baseline = None
        for label, cut in cutters.items():
            score = score_sighan(cut, raw_path, gold_path)
            baseline = score["f1"] if baseline is None else baseline
            print(f"{name.upper()}  {label:30s} P {score['precision']:.4f}  "
                  f"R {score['recall']:.4f}  F1 {score['f1']:.4f}  "
                  f"(F1 - raw jieba: {score['f1'] - baseline:+.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
