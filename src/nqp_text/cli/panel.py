"""``nqp-text panel RUN_DIR --by stkcd year --measure ... --out panel.dta``: a unit-year panel.

Example:
    $ nqp-text panel results --by stkcd year --measure wu2021_digital_transformation \
          --out results/panel.dta
    $ nqp-text panel results --by province year --measure framework my_terms.tsv --long \
          --out results/panel_long.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "panel", help="one row per unit x year: measures, category shares, metadata",
        description="Build a firm-year / province-year panel from a run folder: every "
                    "--measure per dimension (count, per 10k tokens, ln(1+count)), the share of "
                    "content passages (--min-chars) the classifier gave each framework category "
                    "(RUN_DIR/labels.parquet; share_<category>_all: of every passage) "
                    "and the documents' metadata constant within each unit-year. Writes .dta "
                    "(Stata 118 with Chinese variable labels), .csv (UTF-8 with BOM) or .parquet.")
    parser.add_argument("directory", metavar="RUN_DIR",
                        help="output folder of `nqp-text run` (or ingest + segment + classify)")
    parser.add_argument("--by", nargs="+", required=True, metavar="COLUMN",
                        help="unit and time columns of the documents (e.g. stkcd year, from a "
                             "--metadata CSV of `nqp-text run`)")
    parser.add_argument("--measure", "-m", nargs="*", default=[], metavar="M",
                        help="dictionary files or shipped measure names (nqp-text measure --list); "
                             "none: category shares and metadata only (default: none)")
    parser.add_argument("--out",
                        help="output file: .dta, .csv or .parquet (default RUN_DIR/panel.csv)")
    parser.add_argument("--long", action="store_true",
                        help="one row per unit-year x measure x dimension instead of wide")
    parser.add_argument("--no-labels", action="store_true",
                        help="leave out the classifier's category shares")
    parser.add_argument("--min-chars", type=int, default=None, metavar="N",
                        help="characters a passage needs to count in share_<category> and "
                             "n_content (headings and table captions are shorter); "
                             "share_<category>_all counts every passage (default: min_chars "
                             "of nqp_text/data/panel_shares.yaml; 0: every passage)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes for segmenting when RUN_DIR has no tokens.parquet")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.cli import UsageError
    from nqp_text.cli._analysis import open_workspace, show
    from nqp_text.measures import panel, write_panel

    workspace = open_workspace(args.directory)
    out = Path(args.out) if args.out else workspace.directory / "panel.csv"
    if out.suffix.lower() not in (".dta", ".csv", ".parquet"):
        raise UsageError(f"{out}: --out must end in .dta, .csv or .parquet")
    try:
        table = panel(workspace.directory, by=args.by, measures=args.measure,
                      labels=False if args.no_labels else None,
                      layout="long" if args.long else "wide", workers=args.workers,
                      min_chars=args.min_chars)
    except LookupError as error:  # an unknown measure or column
        raise UsageError(str(error.args[0] if error.args else error)) from None
    write_panel(table, out)
    print(f"wrote {out} ({len(table)} rows, {len(table.columns)} columns)")
    show(table.iloc[:, : min(len(table.columns), 10)].tail(10), 10)
    return 0
