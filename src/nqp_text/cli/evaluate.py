"""``nqp-text evaluate GOLD.jsonl [--model ...] [--json] [--cv K]``.

Example:
    $ nqp-text evaluate ../shared/gold/framework_passages_dev.jsonl --model dictionary
    $ nqp-text evaluate ../shared/gold/framework_passages_dev.jsonl --cv 5 --json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from nqp_text.cli.classify import MODEL_HELP


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser(
        "evaluate", help="precision / recall / F1 of a classifier on labelled passages",
        description="Score a classifier on GOLD.jsonl: per-category precision, recall, F1 "
                    "and support, micro- and macro-F1 and the exact-match ratio. With --cv K "
                    "the model's estimator is re-fitted in K folds grouped by document (doc), "
                    "so no report is in both training and test folds.",
    )
    parser.add_argument("gold", metavar="GOLD.jsonl", help="labelled passages")
    parser.add_argument("--model", default="default", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (macro_f1, micro_f1, exact_match, "
                             "per_category, ...)")
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="grouped K-fold cross-validation instead of scoring the "
                             "fitted model")
    parser.set_defaults(handler=run)


def _print_table(report: dict[str, Any], title: str) -> None:
    print(title)
    print(f"{'category':<22} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for category, row in report["per_category"].items():
        print(f"{category:<22} {row['precision']:>9.3f} {row['recall']:>7.3f} "
              f"{row['f1']:>6.3f} {row['support']:>8d}")
    print(f"{'micro-F1':<22} {report['micro_f1']:>24.3f}")
    print(f"{'macro-F1':<22} {report['macro_f1']:>24.3f}")
    print(f"{'exact match':<22} {report['exact_match']:>24.3f}   (n = {report['n']})")


def run(args: argparse.Namespace) -> int:
    from sklearn.base import clone

    from nqp_text.classify.evaluate import cross_validate_grouped, evaluate
    from nqp_text.classify.gold import read_gold
    from nqp_text.classify.persist import ModelError, load_model
    from nqp_text.cli import UsageError

    if not Path(args.gold).is_file():
        raise UsageError(f"{args.gold}: no such file")
    if args.cv == 1 or args.cv < 0:
        raise UsageError("--cv must be at least 2")
    try:
        gold = read_gold(args.gold)
        model = load_model(args.model)
    except (ModelError, ValueError) as error:
        print(f"nqp-text evaluate: {error}", file=sys.stderr)
        return 1
    texts, labels = gold["text"].tolist(), [list(x) for x in gold["labels"]]
    if args.cv:
        try:
            report = cross_validate_grouped(clone(model), texts, labels, gold["doc"].tolist(),
                                            n_splits=args.cv)
        except ValueError as error:
            print(f"nqp-text evaluate: {error}", file=sys.stderr)
            return 1
        title = (f"{args.model}: {args.cv}-fold cross-validation grouped by doc "
                 f"({gold['doc'].nunique()} documents)")
    else:
        report = evaluate(model, texts, labels)
        title = f"{args.model} on {Path(args.gold).name}"
    report["model"] = str(args.model)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, sort_keys=True))
    else:
        _print_table(report, title)
    return 0
