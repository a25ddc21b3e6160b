"""``nqp-text evaluate GOLD.jsonl... [--model ...] [--json] [--cv K] [--repeats R]``.

Example:
    $ nqp-text evaluate ../shared/gold/framework_passages_dev.jsonl --model dictionary
    $ nqp-text evaluate national=../shared/gold/framework_passages_dev.jsonl \\
        provincial=../shared/gold/framework_passages_dev_provincial.jsonl --cv 5 --repeats 3
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from nqp_text.cli.classify import MODEL_HELP


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser(
        "evaluate", help="precision / recall / F1 of a classifier on labelled passages",
        description="Score a classifier on one or more gold files (NAME=PATH names a domain, "
                    "e.g. national=... provincial=...): per-category precision, recall, F1 "
                    "and support, micro- and macro-F1 and the exact-match ratio, per file "
                    "and pooled; --json adds a reliability table and the Brier score per "
                    "category. With --cv K the model's estimator is re-fitted on all files "
                    "together in K folds grouped by document (doc), so no report is in both "
                    "training and test folds, over --repeats fold assignments (mean).",
    )
    parser.add_argument("gold", metavar="GOLD.jsonl", nargs="+",
                        help="labelled passages, PATH or NAME=PATH")
    parser.add_argument("--model", default="default", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (pooled, domains, calibration, ...)")
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="grouped K-fold cross-validation instead of scoring the "
                             "fitted model")
    parser.add_argument("--repeats", type=int, default=3, metavar="R",
                        help="with --cv: fold assignments to average (default 3)")
    parser.set_defaults(handler=run)


def _print_table(report: dict[str, Any], title: str) -> None:
    print(title)
    print(f"{'category':<22} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for category, row in report["per_category"].items():
        if not row["support"]:
            print(f"{category:<22} {'n/a (no gold)':>24} {row['support']:>8d}")
            continue
        print(f"{category:<22} {row['precision']:>9.3f} {row['recall']:>7.3f} "
              f"{row['f1']:>6.3f} {row['support']:>8d}")
    print(f"{'micro-F1':<22} {report['micro_f1']:>24.3f}")
    print(f"{'macro-F1':<22} {report['macro_f1']:>24.3f}")
    print(f"{'exact match':<22} {report['exact_match']:>24.3f}   (n = {report['n']})")
    if "macro_f1_by_split" in report:
        print(f"{'macro-F1 per split':<22} "
              + ", ".join(f"{value:.3f}" for value in report["macro_f1_by_split"]))


def _scored(model: Any, gold: Any) -> dict[str, Any]:
    import numpy as np

    from nqp_text.classify.evaluate import calibration, metrics
    from nqp_text.classify.labels import to_indicator

    texts = gold["text"].tolist()
    predicted, probability = model.predict_with_proba(texts)
    truth = to_indicator([list(x) for x in gold["labels"]], model.categories_)
    domains = gold["domain"].to_numpy()
    return {
        "pooled": metrics(truth, predicted, model.categories_),
        "domains": {name: metrics(truth[domains == name], predicted[domains == name],
                                  model.categories_) for name in sorted(set(domains))},
        "calibration": calibration(truth, np.asarray(probability), model.categories_),
    }


def run(args: argparse.Namespace) -> int:
    from sklearn.base import clone

    from nqp_text.classify.evaluate import cross_validate_domains, warn_domain_coverage
    from nqp_text.classify.gold import parse_gold_spec, read_gold_files, warn_missing_doc
    from nqp_text.classify.labels import to_indicator, warn_label_coverage
    from nqp_text.classify.persist import load_model
    from nqp_text.cli import UsageError

    for spec in args.gold:
        if not parse_gold_spec(spec)[1].is_file():
            raise UsageError(f"{spec}: no such file")
    if args.cv == 1 or args.cv < 0:
        raise UsageError("--cv must be at least 2")
    if args.repeats < 1:
        raise UsageError("--repeats must be at least 1")
    model = load_model(args.model)
    gold = read_gold_files(args.gold, model.categories_)
    texts, labels = gold["text"].tolist(), [list(x) for x in gold["labels"]]
    files = [str(parse_gold_spec(spec)[1]) for spec in args.gold]
    truth = to_indicator(labels, model.categories_)
    warn_label_coverage(truth, model.categories_, stage="evaluate", files=files)
    warn_domain_coverage(truth, gold["domain"].tolist(), model.categories_,
                         {parse_gold_spec(spec)[0]: str(parse_gold_spec(spec)[1])
                          for spec in args.gold})
    warn_missing_doc(gold, args.cv, stage="evaluate")
    if args.cv and gold["doc"].nunique() < args.cv:
        raise UsageError(f"--cv {args.cv} needs at least {args.cv} documents (field doc), "
                         f"the gold passages have {gold['doc'].nunique()}: use a smaller --cv")
    if args.cv:
        report = cross_validate_domains(clone(model), texts, labels, gold["doc"].tolist(),
                                        gold["domain"].tolist(), n_splits=args.cv,
                                        repeats=args.repeats)
        how = (f"{args.cv}-fold cross-validation grouped by doc "
               f"({gold['doc'].nunique()} documents), mean of {args.repeats} fold "
               f"assignment(s)")
    else:
        report = _scored(model, gold)
        how = "the fitted model"
    report["model"] = str(args.model)
    report["files"] = files
    if args.json:
        print(json.dumps(report, ensure_ascii=False, sort_keys=True))
        return 0
    domains = report["domains"]
    for name, part in domains.items():
        _print_table(part, f"{args.model} on {name} — {how}")
        print()
    if len(domains) > 1:
        _print_table(report["pooled"], f"{args.model} on all files pooled — {how}")
    return 0
