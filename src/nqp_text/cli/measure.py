"""``nqp-text measure DIR --dictionary FILE``: count a dictionary per document or group.

Example:
    $ nqp-text measure results --dictionary my_terms.tsv --by stkcd year
    $ nqp-text measure results --dictionary wu2021_digital_transformation --by year
    $ nqp-text measure --list        # the shipped published dictionaries
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_workers, open_workspace, save, show


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "measure", help="count a dictionary (yours or a published one) per document or group",
        description="Count each dictionary's terms in every document by leftmost-longest "
                    "matching without overlaps (数字化 inside 数字化转型 is not counted again) and "
                    "tabulate count, tokens, per-10k, ln(1+count) and the matched terms per "
                    "dimension and in total. Writes DIR/measure_<name>.csv (UTF-8 with BOM) and "
                    ".parquet per dictionary.")
    parser.add_argument("directory", metavar="DIR", nargs="?",
                        help="output folder of `nqp-text run` or `nqp-text ingest`")
    parser.add_argument("--dictionary", "-d", nargs="+", metavar="FILE",
                        help="YAML / TSV / CSV (term, dimension[, weight]) / TXT files, or names "
                             "of shipped measures (see --list) or framework, term_groups, lexicon")
    parser.add_argument("--by", nargs="+", default=["doc_id"], metavar="COLUMN",
                        help="documents column(s) to group by (doc_id, year, stkcd year, "
                             "province year ...; 'all' for one group)")
    parser.add_argument("--normalize", choices=["count", "per_10k_tokens", "ln1p", "weighted"],
                        default=None, help="the measure copied into the 'value' column")
    parser.add_argument("--name", help="output table name (one dictionary only)")
    parser.add_argument("--list", action="store_true",
                        help="list the shipped published dictionaries and exit")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.cli import UsageError
    from nqp_text.measures import available, load_measure, measure

    if args.list:
        shipped = available()
        show(shipped[["name", "title", "n_terms", "dimensions"]], 100)
        _describe(shipped)
        return 0
    if not args.directory or not args.dictionary:
        raise UsageError("give DIR and --dictionary FILE (or --list)")
    if args.name and len(args.dictionary) > 1:
        raise UsageError("--name applies to one dictionary; give one --dictionary or no --name")
    workspace = open_workspace(args.directory)
    by: Any = None if args.by == ["all"] else args.by[0] if len(args.by) == 1 else args.by
    try:
        measures = [load_measure(source) for source in args.dictionary]
    except LookupError as error:  # no shipped dictionary of that name
        raise UsageError(str(error.args[0] if error.args else error)) from None
    tokens = workspace.tokens(args.workers)
    for spec in measures:
        try:
            table = measure(workspace.corpus, spec, by=by, normalize=args.normalize,
                            tokens=tokens)
        except KeyError as error:  # an unknown column
            raise UsageError(str(error.args[0] if error.args else error)) from None
        name = args.name or f"measure_{spec.name}"
        save(table, workspace.directory, name)
        _summary(table, spec, ['group'] if by is None else [by] if isinstance(by, str) else by)
    return 0


def _describe(shipped: Any) -> None:
    """Each shipped dictionary's citation, source and how its list was checked, in full:
    whether counts made with it may be cited as the paper's depends on the last."""
    import textwrap

    for row in shipped.itertuples():
        print(f"\n{row.name}")
        for label, value in (("citation", row.citation), ("source", row.source),
                             ("checked", row.verification)):
            if isinstance(value, str) and value.strip():
                print(textwrap.fill(" ".join(value.split()), width=100,
                                    initial_indent=f"  {label}: ", subsequent_indent="    "))


def _summary(table: Any, spec: Any, keys: list[str]) -> None:
    total = table[table["dimension"] == "total"]
    print(f"{spec.name}: {spec.n_terms} terms in {len(spec.dimensions)} dimension(s); "
          f"{int(total['count'].sum())} matches in {len(total)} group(s)")
    wide = table.pivot_table(index=keys, columns="dimension", values="count", sort=False,
                             aggfunc="first")
    show(wide.reset_index().tail(15), 15)
