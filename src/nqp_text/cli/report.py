"""``nqp-text report DIR``: write DIR/report.html, one self-contained page of charts and tables.

Example:
    $ nqp-text report results
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="write DIR/report.html: overview, categories, terms, keyness, topics",
        description="One HTML page with embedded PNG charts that opens anywhere, offline. "
                    "Uses DIR/tokens.parquet, DIR/labels.parquet and DIR/topic_*.parquet when "
                    "present (from `nqp-text segment`, `classify`, `topics`), and the tables "
                    "`nqp-text run` wrote while they still match the corpus in DIR.")
    add_directory(parser)
    parser.add_argument("--out", help="where to write the page (default DIR/report.html)")
    parser.add_argument("--k", type=int, default=12,
                        help="topics to fit when DIR has no topic tables")
    parser.add_argument("--seed", type=int, default=0, help="topic model seed")
    parser.add_argument("--passes", type=int, default=5, help="topic model passes")
    parser.add_argument("--recompute", action="store_true",
                        help="compute every table from the corpus, ignoring those of "
                             "`nqp-text run` (the page is the same unless they are stale)")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.diagnostics import warn
    from nqp_text.viz.fonts import CJKFontNotFoundError
    from nqp_text.viz.report import build_report

    workspace = open_workspace(args.directory)
    try:
        path = build_report(workspace.directory, out=args.out, k=args.k, seed=args.seed,
                            passes=args.passes, workers=args.workers,
                            recompute=args.recompute)
    except CJKFontNotFoundError as error:
        warn("output_missing", f"report.html was not written: {error}", stage="report",
             severity="error")
        return 1
    print(f"wrote {path}")
    return 0
