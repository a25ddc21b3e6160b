"""``nqp-text cache verify DIR``: check every cache entry against its seal.

Prints each entry that fails (damaged: no seal, another size or SHA-256 than
sealed, a damaged part; stale: written by another nqp_text version) and a
summary. Exit code 1 when a damaged entry is left in the cache, else 0;
``--delete`` removes the entries that fail (a later run computes them again).

Example:
    $ nqp-text cache verify results
    $ nqp-text cache verify results --delete
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cache", help="check the cache of a `nqp-text run` output folder",
        description="Commands on the content-addressed cache DIR/.cache of `nqp-text run`.")
    commands = parser.add_subparsers(dest="cache_command", metavar="COMMAND")
    verify = commands.add_parser(
        "verify", help="check every entry against its seal; exit 1 if any is damaged",
        description="Check every cache entry's size and SHA-256 against the seal written "
                    "with it (and the entries it points at). Prints the entries that fail; "
                    "exit code 1 when a damaged entry remains, 0 otherwise.")
    verify.add_argument("directory", metavar="DIR",
                        help="an output folder of `nqp-text run` (or its .cache folder)")
    verify.add_argument("--delete", action="store_true",
                        help="delete the entries that fail (damaged or stale) with their "
                             "seals; the next run computes them again")
    verify.set_defaults(handler=run_verify)
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)


def cache_root(directory: str) -> Path:
    """The cache folder of ``directory``: ``DIR/.cache`` when it exists, else DIR itself."""
    from nqp_text.cli import UsageError
    from nqp_text.pipeline.cache import CACHE_DIRNAME

    path = Path(directory)
    if not path.is_dir():
        raise UsageError(f"{directory}: no such folder")
    return path / CACHE_DIRNAME if (path / CACHE_DIRNAME).is_dir() else path


def run_verify(args: argparse.Namespace) -> int:
    from nqp_text.pipeline.cache import DAMAGED, discard_entry, verify_cache

    root = cache_root(args.directory)
    checked = 0
    failed: dict[str, int] = {}
    for path, problem in verify_cache(root):
        checked += 1
        if problem is None:
            continue
        kind, reason = problem
        failed[kind] = failed.get(kind, 0) + 1
        action = ""
        if args.delete:
            discard_entry(path)
            action = " (deleted)"
        print(f"{kind}: {path}: {reason}{action}")
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(failed.items())) or "all good"
    print(f"{root}: {checked} {'entry' if checked == 1 else 'entries'} checked: {summary}")
    return 1 if failed.get(DAMAGED) and not args.delete else 0
