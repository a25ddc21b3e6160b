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

from nqp_text._version import __version__

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
    "cache",
]


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


class _HelpFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless the help already states it.

    Flags that take no value (``store_true``/``store_false``) show none: their
    destination's default is not the flag's own (``--unseeded`` sets
    ``seeded=False``; its default ``True`` is the other flag's).
    """

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (default is None or default is False or default is argparse.SUPPRESS
                or "default" in text or not action.option_strings or action.nargs == 0
                or isinstance(action, argparse._VersionAction)):
            return text
        shown = " ".join(map(str, default)) if isinstance(default, (list, tuple)) else default
        return f"{text} (default: {shown})"


def _add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="exit with code 3 when anything was warned about (for pipelines); "
                             "without it, bad input files and warnings exit 0 and only a "
                             "missing output exits 1")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="nqp-text",
        description="Mine Chinese policy and report texts (新质生产力 framework).",
        epilog="Exit codes: 0 done, 1 an output you asked for was not made, 2 usage error, "
               "3 warnings with --strict, 4 an input cannot be used, 5 an output cannot be "
               "written, 70 internal error (a bug: please report it). Warnings are printed "
               "on stderr when a command ends.",
    )
    parser.add_argument("--version", action="version", version=f"nqp-text {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    original = subparsers.add_parser

    def add_parser(name: str, **kwargs: object) -> argparse.ArgumentParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return original(name, **kwargs)  # type: ignore[arg-type]

    subparsers.add_parser = add_parser  # type: ignore[method-assign]
    for module_name in _SUBCOMMAND_MODULES:
        importlib.import_module(f"nqp_text.cli.{module_name}").register(subparsers)
    for subparser in subparsers.choices.values():
        _add_strict(subparser)
    return parser


def _interrupted(args: argparse.Namespace) -> str:
    """What Ctrl-C left behind: for ``run``, a folder that is not a finished run."""
    if args.command != "run":
        return "interrupted"
    return (f"interrupted: the run did not finish, so {args.out} has no manifest.json and its "
            "tables and report.html may be partly from an earlier run; run the same command "
            "again to finish it (the work done so far is reused from the cache)")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nqp-text`` console script; returns the exit code."""
    from nqp_text.diagnostics import collect, print_diagnostics

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    command_parser = _subparser(parser, args.command)
    found = None
    try:
        with collect(stage=args.command) as found:
            code = int(args.handler(args) or 0)
    except UsageError as error:
        _print_found(found)
        command_parser.error(str(error))
        return 2
    except KeyboardInterrupt:
        print(_interrupted(args), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _broken_pipe()
    except Exception as error:  # by kind: usage 2, input 4, output 5, internal 70
        from nqp_text.cli import errors

        _print_found(found)
        if errors.usage_kind(error):
            command_parser.error(errors.classify(error)[1])
        return errors.report(args.command, error, getattr(args, "out", None))
    try:
        print_diagnostics(found, see=getattr(args, "see_also", None)
                          or "documents.parquet (status, error, warnings)")
        final = max(code, found.exit_code(getattr(args, "strict", False)))
        if final == 3 and code == 0:
            print(f"nqp-text {args.command}: --strict: {len(found)} warning(s), exit 3",
                  file=sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        return _broken_pipe()
    return final


def _print_found(found: object) -> None:
    """What was warned about before a command stopped on an error (printed before the error)."""
    if found:
        from nqp_text.diagnostics import print_diagnostics

        print_diagnostics(found)  # type: ignore[arg-type]


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of ``command``, so that its errors print its own usage line."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(command, parser)
    return parser


def _broken_pipe() -> int:
    """``nqp-text keyness … | head``: the reader left; end quietly like other Unix tools."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
