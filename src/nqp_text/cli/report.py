"""``nqp-text report DIR``: write DIR/report.html, one self-contained page of charts and tables.

When DIR holds no topic tables (``topic_terms``/``topic_prevalence``: the run's
topic stage failed, or they were deleted), the page fits a topic model; its
``--k``, ``--seed`` and ``--passes`` default to those of the ``nqp-text run``
that made DIR (its ``manifest.json``, so the page is the run's own), else to the
topic defaults, and one line on stderr says which were used and where they came
from.

Example:
    $ nqp-text report results
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace
from nqp_text.topics import defaults as topic_defaults

#: The report's topic options, and their defaults when no run manifest gives them.
_TOPIC_OPTIONS = {"k": topic_defaults.K, "seed": 0, "passes": topic_defaults.PASSES}
_TOPIC_TABLES = ("topic_terms.parquet", "topic_prevalence.parquet")
_MANIFEST = "manifest.json"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="write DIR/report.html: overview, categories, terms, keyness, topics",
        description="One HTML page with embedded PNG charts that opens anywhere, offline. "
                    "Uses DIR/tokens.parquet, DIR/labels.parquet and DIR/topic_*.parquet when "
                    "present (from `nqp-text segment`, `classify`, `topics`), and the tables "
                    "`nqp-text run` wrote while they still match the corpus in DIR.")
    add_directory(parser)
    parser.add_argument("--out", help="where to write the page (default DIR/report.html)")
    parser.add_argument("--k", type=int,
                        help="topics to fit when DIR has no topic tables (default: the k of "
                             f"the nqp-text run that made DIR, else {_TOPIC_OPTIONS['k']})")
    parser.add_argument("--seed", type=int, help="topic model seed (default: the run's, else "
                                                 f"{_TOPIC_OPTIONS['seed']})")
    parser.add_argument("--passes", type=int, help="topic model passes (default: the run's, "
                                                   f"else {_TOPIC_OPTIONS['passes']})")
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
    topics = _topic_options(Path(workspace.directory), args)
    try:
        path = build_report(workspace.directory, out=args.out, workers=args.workers,
                            recompute=args.recompute, **topics)
    except CJKFontNotFoundError as error:
        warn("output_missing", f"report.html was not written: {error}", stage="report",
             severity="error")
        return 1
    print(f"wrote {path}")
    return 0


def _topic_options(directory: Path, args: argparse.Namespace) -> dict[str, int]:
    """``k``, ``seed`` and ``passes`` for the topic model the page fits: given, else the run's
    (``DIR/manifest.json``), else the defaults; says on stderr which, when a fit is needed."""
    import sys

    given = {name: getattr(args, name) for name in _TOPIC_OPTIONS}
    if all((directory / name).exists() for name in _TOPIC_TABLES):
        ignored = [f"--{name}" for name, value in given.items() if value is not None]
        if ignored:
            print(f"note: {directory} has topic tables, so the page shows them; "
                  f"{', '.join(ignored)} not used (they set a model fitted only when there "
                  "are none)", file=sys.stderr)
        return {name: value if value is not None else _TOPIC_OPTIONS[name]
                for name, value in given.items()}
    run, source = _run_topic_options(directory)
    chosen, origins = {}, []
    for name, default in _TOPIC_OPTIONS.items():
        if given[name] is not None:
            chosen[name], origin = given[name], "given"
        elif name in run:
            chosen[name], origin = run[name], source
        else:
            chosen[name], origin = default, "default"
        origins.append(f"{name}={chosen[name]} ({origin})")
    print(f"note: {directory} has no topic tables; the page fits a topic model with "
          f"{', '.join(origins)}", file=sys.stderr)
    return chosen


def _run_topic_options(directory: Path) -> tuple[dict[str, int], str]:
    """The topic options recorded in ``DIR/manifest.json`` by ``nqp-text run``, and where
    they came from (empty when there is no readable manifest)."""
    path = directory / _MANIFEST
    try:
        options = json.loads(path.read_text(encoding="utf-8"))["options"]
        found = {name: options[name] for name in _TOPIC_OPTIONS
                 if isinstance(options.get(name), int)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, ""
    return found, f"the run's, {_MANIFEST}"
