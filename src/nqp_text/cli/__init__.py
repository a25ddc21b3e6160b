"""The ``nqp-text`` command line: a thin layer over the Python API.

Each subcommand lives in its own module of this package, which defines
``register(subparsers)``; the module is listed in :data:`_SUBCOMMAND_MODULES`.

Example:
    $ nqp-text ingest corpora/sample --out results
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from nqp_text import __version__

_SUBCOMMAND_MODULES: list[str] = [
    "ingest",
    "segment",
    "run",
    "trends",
    "kwic",
    "keyness",
    "topics",
    "expand",
    "report",
    "classify",
    "train",
    "evaluate",
    "measure",
    "panel",
]


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="nqp-text",
        description="Mine Chinese policy and report texts (新质生产力 framework).",
    )
    parser.add_argument("--version", action="version", version=f"nqp-text {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _SUBCOMMAND_MODULES:
        importlib.import_module(f"nqp_text.cli.{module_name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nqp-text`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except UsageError as error:
        parser.error(str(error))
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
