"""``nqp-text train GOLD.jsonl... --out MODEL_DIR --seed 0``: fit, cross-validate, save.

Example:
    $ nqp-text train national=../shared/gold/framework_passages_dev.jsonl \\
        provincial=../shared/gold/framework_passages_dev_provincial.jsonl \\
        --out src/nqp_text/classify/models/default --seed 0
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand."""
    parser = subparsers.add_parser(
        "train", help="train the FrameworkClassifier on labelled passages",
        description="Fit the FrameworkClassifier on every passage of the gold files "
                    "(fields text, labels, doc; NAME=PATH names a domain) with the "
                    "parameters of classify/data/training.yaml (chosen by nested grouped "
                    "cross-validation; recorded in the manifest), run "
                    "cross-validation grouped by doc, per domain and pooled, and save the "
                    "model without pickle (JSON + NPZ + manifest with hashes). The same "
                    "file, seed and library versions give byte-identical model files.",
    )
    parser.add_argument("gold", metavar="GOLD.jsonl", nargs="+",
                        help="labelled passages, PATH or NAME=PATH")
    parser.add_argument("--out", required=True, metavar="MODEL_DIR", help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--cv", type=int, default=5, metavar="K",
                        help="grouped folds for the metrics in the manifest (0 = skip)")
    parser.add_argument("--repeats", type=int, default=1, metavar="R",
                        help="fold assignments for the manifest's metrics (default 1)")
    parser.add_argument("--word-vectors", metavar="DIR", default=None,
                        help="folder with word_vectors.npy/.tsv/.json (the shipped "
                             "src/nqp_text/classify/models/word_vectors, or a saved model's "
                             "folder): their averaged vectors become extra features; the "
                             "shipped model uses the shipped ones (see training.yaml)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.classify.gold import parse_gold_spec
    from nqp_text.classify.training import train_model
    from nqp_text.cli import UsageError

    for spec in args.gold:
        if not parse_gold_spec(spec)[1].is_file():
            raise UsageError(f"{spec}: no such file")
    if args.repeats < 1:
        raise UsageError("--repeats must be at least 1")
    if args.cv == 1 or args.cv < 0:
        raise UsageError("--cv must be 0 or at least 2")
    if args.word_vectors is not None:
        from pathlib import Path

        if not (Path(args.word_vectors) / "word_vectors.npy").is_file():
            raise UsageError(f"{args.word_vectors}: no word_vectors.npy in this folder")
    _check_gold(args)
    started = time.perf_counter()
    target = train_model(args.gold, args.out, seed=args.seed, cv=args.cv,
                         repeats=args.repeats, word_vectors=args.word_vectors)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    print(f"wrote {target} ({time.perf_counter() - started:.1f}s)")
    for name, report in manifest.get("cv", {}).items():
        if not isinstance(report, dict) or "pooled" not in report:
            continue
        for scope, part in [("pooled", report["pooled"]), *report["domains"].items()]:
            print(f"  {name} ({scope}): grouped {args.cv}-fold CV macro-F1 "
                  f"{part['macro_f1']:.3f}, micro-F1 {part['micro_f1']:.3f}, exact match "
                  f"{part['exact_match']:.3f}")
    return 0


def _check_gold(args: argparse.Namespace) -> None:
    """Errors naming the file and line for unknown labels, a usage error when there are
    fewer documents than folds, warnings for categories no passage (or every passage) has."""
    from nqp_text.classify.gold import parse_gold_spec, read_gold_files, warn_missing_doc
    from nqp_text.classify.labels import check_training_labels, to_indicator
    from nqp_text.cli import UsageError
    from nqp_text.framework import load_framework

    categories = load_framework().category_ids
    gold = read_gold_files(args.gold, categories)
    files = [str(parse_gold_spec(spec)[1]) for spec in args.gold]
    n_docs = gold["doc"].nunique()
    if args.cv and n_docs < args.cv:
        fewer = f"--cv {n_docs} or fewer, or " if n_docs >= 2 else ""
        raise UsageError(f"--cv {args.cv} needs at least {args.cv} documents (field doc), "
                         f"the gold passages have {n_docs}: use {fewer}--cv 0 to skip "
                         f"the cross-validation")
    check_training_labels(to_indicator([list(x) for x in gold["labels"]], categories),
                          categories, files=files)
    warn_missing_doc(gold, args.cv, stage="train")
