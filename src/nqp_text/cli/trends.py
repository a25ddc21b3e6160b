"""``nqp-text trends DIR``: exact term or category frequencies by year (or any column).

Example:
    $ nqp-text trends results --terms 新质生产力 数字经济 --by year --normalize per_10k_tokens
    $ nqp-text trends results --category factor_allocation
    $ nqp-text trends results --categories     # framework index + labelled passage shares
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace, save, show


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "trends", help="term / category frequencies by year or any metadata column",
        description="Count terms exactly in every document and tabulate them by group. "
                    "--terms counts every occurrence of each string; --category and --lexicon "
                    "use longest-match-first without overlaps. Tables go to DIR/<name>.csv "
                    "(UTF-8 with BOM) and DIR/<name>.parquet.")
    add_directory(parser)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--terms", nargs="+", metavar="T", help="terms to count by name")
    what.add_argument("--category", metavar="ID",
                      help="a framework category / term group / lexicon category id")
    what.add_argument("--lexicon", action="store_true", help="every lexicon term")
    what.add_argument("--categories", action="store_true",
                      help="the six framework categories: term index per 10k tokens, and the "
                           "share of passages labelled with each (DIR/labels.parquet) with "
                           "Wilson intervals")
    parser.add_argument("--by", nargs="+", default=["year"], metavar="COLUMN",
                        help="documents column(s) to group by (year, source, doc_id, "
                             "stkcd year ...; 'all' for one group)")
    parser.add_argument("--normalize", choices=["count", "per_10k_tokens", "doc_share"],
                        default=None, help="the measure copied into the 'value' column")
    parser.add_argument("--name", help="output table name (default depends on the mode: "
                                       "trends_terms, trends_<ID>, trends_lexicon, "
                                       "category_trends; the last two get _by_<columns> "
                                       "when --by is not year, so the run's by-year tables "
                                       "stay)")
    parser.add_argument("--plot", action="store_true", help="also write DIR/<name>.png")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.analysis.frequencies import category_frequencies, term_frequencies
    from nqp_text.cli import UsageError

    workspace = open_workspace(args.directory)
    by = None if args.by == ["all"] else args.by[0] if len(args.by) == 1 else args.by
    if args.plot and isinstance(by, list):
        raise UsageError("--plot draws one line per term over a single --by column; "
                         "give one column or leave out --plot")
    try:
        if args.categories:
            table = category_frequencies(workspace.corpus, by=by, labels=workspace.labels,
                                         tokens=workspace.tokens(args.workers))
            name = args.name or _run_table_name("category_trends", args.by)
        else:
            terms = args.terms if args.terms else args.category
            needs_tokens = workspace.tokens_path or args.normalize == "per_10k_tokens"
            table = term_frequencies(workspace.corpus, terms, by=by, normalize=args.normalize,
                                     tokens=workspace.tokens(args.workers) if needs_tokens
                                     else None)
            name = args.name or ("trends_terms" if args.terms else
                                 f"trends_{args.category}" if args.category else
                                 _run_table_name("trends_lexicon", args.by))
    except KeyError as error:  # an unknown category or column
        raise UsageError(str(error.args[0] if error.args else error)) from None
    save(table, workspace.directory, name)
    if args.terms:
        _warn_unmatched_terms(table, args.terms)
    _summary(table, args)
    if args.plot:
        _plot(table, args, workspace.directory / f"{name}.png")
    return 0


def _warn_unmatched_terms(table: Any, terms: list[str]) -> None:
    """Say which ``--terms`` occur nowhere in the table (a typo, a traditional form, a term
    only in undated documents): a column of zeros is otherwise easy to take for a finding."""
    from nqp_text.diagnostics import warn

    totals = table.groupby("term", sort=False)["count"].sum()
    missing = [term for term in dict.fromkeys(terms) if totals.get(term, 0) == 0]
    if missing:
        warn("term_unmatched", f"{', '.join(missing)}: no occurrence in any document of the "
             "table (counts are exact strings in the cleaned text: check the spelling and "
             "whether term and texts are in the same script, simplified or traditional; "
             "documents without a value in the --by column are left out)", stage="trends")


def _run_table_name(name: str, by: list[str]) -> str:
    """``name`` by year, else ``name_by_<columns>``: ``category_trends`` and ``trends_lexicon``
    are tables ``nqp-text run`` writes by year (the report draws them), so another grouping
    in a run folder must not replace them (``category_trends_by_province_year``)."""
    if by == ["year"]:
        return name
    return f"{name}_by_{'_'.join(by)}"


def _summary(table: Any, args: argparse.Namespace) -> None:
    keys = "group" if "group" in table.columns else list(args.by)
    if args.categories:
        value = "passage_share" if table["passage_share"].notna().any() else "per_10k_tokens"
        show(table.pivot(index=keys, columns="category", values=value).reset_index()
             .tail(15), 15)
        return
    totals = table.groupby("term", sort=False)["count"].sum()
    top = totals[totals > 0].sort_values(ascending=False, kind="stable").head(10).index
    if not len(top):
        print("no occurrence of any term")
        return
    wide = table[table["term"].isin(top)].pivot(index=keys, columns="term", values="value")
    wide = wide[[term for term in top]]
    if table.attrs.get("normalize", "count") == "count" and not wide.isna().any().any():
        wide = wide.astype("int64")  # counts shown as 4, not 4.0
    print(f"{table.attrs.get('normalize', 'count')} by {table.attrs.get('by')}, "
          f"rule: {table.attrs.get('rule')}")
    show(wide.reset_index().tail(15), 15)


def _plot(table: Any, args: argparse.Namespace, path: Any) -> None:
    from nqp_text.viz.plots import plot_category_shares, plot_term_trends, save_figure

    if args.categories:
        from nqp_text.viz.plots import display_labels

        value = "passage_share" if table["passage_share"].notna().any() else "per_10k_tokens"
        figure = plot_category_shares(table, value=value, labels=display_labels())
    else:
        totals = table.groupby("term", sort=False)["count"].sum()
        terms = totals[totals > 0].sort_values(ascending=False, kind="stable").head(8).index
        figure = plot_term_trends(table, [t for t in totals.index if t in set(terms)],
                                  value=table.attrs.get("normalize", "count"))
    save_figure(figure, path)
    print(f"wrote {path}")
