"""Helpers shared by the trends commands (trends, kwic, keyness, topics, expand, report)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily so that building the parser does not load pandas
    import pandas as pd

    from nqp_text.analysis.workspace import Workspace


def open_workspace(directory: str) -> Workspace:
    """The workspace, or a usage error naming what is missing."""
    from nqp_text.analysis.workspace import Workspace
    from nqp_text.cli import UsageError

    try:
        workspace = Workspace(directory)
        workspace.corpus  # noqa: B018 - load now so that a missing file is a usage error
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None
    return workspace


def add_directory(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR",
                        help="output folder of `nqp-text ingest` (passages.parquet ...)")


def add_workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=1,
                        help="processes for segmenting when DIR has no tokens.parquet")


def save(frame: pd.DataFrame, directory: Path | str, name: str) -> None:
    """Write ``name.csv`` and ``name.parquet`` and say so."""
    from nqp_text.analysis.workspace import write_table

    paths = write_table(frame, directory, name)
    print(f"wrote {', '.join(str(p) for p in paths)} ({len(frame)} rows)")


def show(frame: pd.DataFrame, rows: int = 20) -> None:
    """Print the head of a table readably (Chinese-aligned widths are best effort)."""
    import pandas as pd

    with pd.option_context("display.max_columns", 12, "display.width", 160,
                           "display.unicode.east_asian_width", True):
        print(frame.head(rows).to_string(index=False))
