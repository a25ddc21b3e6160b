"""``nqp-text keyness DIR --target 2021-2025 --reference 2016-2020``: key terms of a period.

Example:
    $ nqp-text keyness results --target 2021-2025 --reference 2016-2020 --plot
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace, save, show


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "keyness", help="terms that distinguish a target period from a reference (G², log ratio)",
        description="Compare token frequencies of two sets of documents by year range: "
                    "log-likelihood G², chi², p-value and log ratio per term, written to "
                    "DIR/keyness.csv and DIR/keyness.parquet, sorted by G².")
    add_directory(parser)
    parser.add_argument("--target", required=True, help="year range, e.g. 2021-2025")
    parser.add_argument("--reference", help="year range (default: every other document)")
    parser.add_argument("--min-count", type=int, default=5,
                        help="drop terms with fewer occurrences in both sets together")
    parser.add_argument("--keep-places", action="store_true",
                        help="keep place names (provinces, cities, 全省/全区 ...) in the table")
    parser.add_argument("--name", default="keyness", help="output table name")
    parser.add_argument("--plot", action="store_true", help="also write DIR/<name>.png")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.analysis.keyness import keyness

    workspace = open_workspace(args.directory)
    table = keyness(workspace.corpus, args.target, args.reference, min_count=args.min_count,
                    tokens=workspace.tokens(args.workers), keep_places=args.keep_places)
    save(table, workspace.directory, args.name)
    print(f"key in {args.target} (log_ratio > 0):")
    show(table[table["log_ratio"] > 0][["term", "target_count", "reference_count", "g2",
                                        "log_ratio"]], 20)
    if args.plot:
        from nqp_text.viz.plots import plot_keyness, save_figure

        path = workspace.directory / f"{args.name}.png"
        save_figure(plot_keyness(table, target_label=args.target,
                                 reference_label=args.reference or "其余年份"), path)
        print(f"wrote {path}")
    return 0
