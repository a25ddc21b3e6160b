"""``nqp-text kwic DIR PATTERN``: every occurrence of a term (or regex) in context.

Example:
    $ nqp-text kwic results 新质生产力 --window 20
    $ nqp-text kwic results "数据(要素|资源)" --regex
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, open_workspace, save


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "kwic", help="keyword in context: every match with its surroundings",
        description="Print every match of PATTERN with WINDOW characters of context and write "
                    "DIR/kwic.csv and DIR/kwic.parquet (doc_id, year, passage_id, left, match, "
                    "right, start, end).")
    add_directory(parser)
    parser.add_argument("pattern", metavar="PATTERN", help="a term (or a regex with --regex)")
    parser.add_argument("--regex", action="store_true", help="PATTERN is a regular expression")
    parser.add_argument("--window", type=int, default=30, help="characters of context per side")
    parser.add_argument("--limit", type=int, default=50, help="lines to print (all are written)")
    parser.add_argument("--name", default="kwic", help="output table name")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.analysis.kwic import kwic

    workspace = open_workspace(args.directory)
    table = kwic(workspace.corpus, args.pattern, window=args.window, regex=args.regex)
    width = max([len(left) for left in table["left"].head(args.limit)] + [0])
    for row in table.head(args.limit).itertuples():
        year = "" if row.year is None or str(row.year) == "<NA>" else str(row.year)
        print(f"{year:>4}  {row.left:>{width}} 【{row.match}】 {row.right}")
    if len(table) > args.limit:
        print(f"... {len(table) - args.limit} more")
    save(table, workspace.directory, args.name)
    if not len(table):
        from nqp_text.diagnostics import warn

        warn("term_unmatched", f"{args.pattern}: no match in any passage (an exact string"
             f"{' (a regular expression)' if args.regex else ''} in the cleaned text: check the "
             "spelling and whether term and texts are in the same script)", stage="kwic")
    return 0
