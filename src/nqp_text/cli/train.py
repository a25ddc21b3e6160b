"""``nqp-text train GOLD.jsonl --out MODEL_DIR --seed 0``: fit, cross-validate, save.

Example:
    $ nqp-text train ../shared/gold/framework_passages_dev.jsonl \\
        --out src/nqp_text/classify/models/default --seed 0
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand."""
    parser = subparsers.add_parser(
        "train", help="train the FrameworkClassifier on labelled passages",
        description="Fit the FrameworkClassifier on every passage of GOLD.jsonl (fields "
                    "text, labels, doc), run cross-validation grouped by doc, and save the "
                    "model without pickle (JSON + NPZ + manifest with hashes). The same "
                    "file, seed and library versions give byte-identical model files.",
    )
    parser.add_argument("gold", metavar="GOLD.jsonl", help="labelled passages")
    parser.add_argument("--out", required=True, metavar="MODEL_DIR", help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--cv", type=int, default=5, metavar="K",
                        help="grouped folds for the metrics in the manifest (0 = skip)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.classify.training import train_model
    from nqp_text.cli import UsageError

    if not Path(args.gold).is_file():
        raise UsageError(f"{args.gold}: no such file")
    if args.cv == 1 or args.cv < 0:
        raise UsageError("--cv must be 0 or at least 2")
    started = time.perf_counter()
    try:
        target = train_model(args.gold, args.out, seed=args.seed, cv=args.cv)
    except ValueError as error:
        print(f"nqp-text train: {error}", file=sys.stderr)
        return 1
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    print(f"wrote {target} ({time.perf_counter() - started:.1f}s)")
    for name, report in manifest.get("cv", {}).items():
        if isinstance(report, dict) and "macro_f1" in report:
            print(f"  {name}: grouped {args.cv}-fold CV macro-F1 {report['macro_f1']:.3f}, "
                  f"micro-F1 {report['micro_f1']:.3f}, exact match {report['exact_match']:.3f}")
    return 0
