"""``nqp-text expand DIR --category ID``: propose new lexicon terms for a researcher to review.

Two methods: Word2Vec neighbours of a category's seed terms (``--category``), or
new-phrase discovery by PMI and branching entropy (``--phrases``).

Example:
    $ nqp-text expand results --category factor_allocation --topn 30
    $ nqp-text expand results --phrases --min-count 10
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace, save, show


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "expand", help="propose lexicon terms: Word2Vec neighbours or new-phrase discovery",
        description="Candidates are never added automatically: review DIR/expansion_<ID>.csv "
                    "or DIR/phrases.csv and add the good ones to your lexicon.")
    add_directory(parser)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--category", metavar="ID",
                      help="framework category (or term group) whose terms are the seeds")
    what.add_argument("--phrases", action="store_true",
                      help="discover frequent, cohesive, free strings missing from the lexicon")
    parser.add_argument("--topn", type=int, default=20, help="Word2Vec candidates to propose")
    parser.add_argument("--seed", type=int, default=0, help="Word2Vec random seed")
    parser.add_argument("--epochs", type=int, default=10, help="Word2Vec training epochs")
    parser.add_argument("--unit", choices=["char", "token"], default="char",
                        help="phrase discovery over characters or Segmenter tokens")
    parser.add_argument("--min-count", type=int, default=5, help="phrase discovery: min count")
    parser.add_argument("--top", type=int, default=200, help="phrase candidates to keep")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.cli import UsageError

    workspace = open_workspace(args.directory)
    if args.phrases:
        from nqp_text.analysis.phrases import discover_phrases

        table = discover_phrases(workspace.corpus, unit=args.unit, min_count=args.min_count,
                                 top=args.top)
        save(table, workspace.directory, "phrases")
        show(table, 30)
        return 0
    from nqp_text.analysis.expansion import expand_lexicon

    try:
        table = expand_lexicon(workspace.corpus, args.category, topn=args.topn, seed=args.seed,
                               tokens=workspace.tokens(args.workers), epochs=args.epochs)
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    if table.empty:
        print(f"none of the terms of {args.category} occurs often enough in {args.directory}")
    save(table, workspace.directory, f"expansion_{args.category}")
    show(table, args.topn)
    return 0
