"""``nqp-text run``: the whole pipeline, from input files to tables, charts and a report.

One call of :func:`nqp_text.pipeline.run_pipeline`. Progress bars (one per
stage) go to stderr when it is a terminal; one summary line goes to stdout.
What went wrong (bad files by name, failed stages, empty tables, fields that
match no record, misleading results) is listed on stderr at the end, in
``manifest.json`` (``"warnings"``) and at the top of ``report.html``. Exit
code: 0 done (bad input *files* are ``failed`` rows, not errors); 1 an output
was not made (no input files, no report without a CJK font, no topic model);
2 usage errors (a missing input, bad options, an unreachable scheduler); 3
with ``--strict`` when anything was warned about; 4 an input that cannot be
used (a malformed metadata CSV, lexicon or framework; a corrupt model); 5 an
output that cannot be written (disk full, no permission); 70 an internal error.
Every option is checked before the first stage (see
:mod:`nqp_text.pipeline.preflight`).

Example:
    $ nqp-text run corpora/sample --out results
    $ nqp-text run reports/ --out results --workers 2
    $ nqp-text run reports/ --out /shared/results --scheduler tcp://10.0.0.5:8786
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import Any

from nqp_text._limits import AUTO_WORKERS_MIN_BYTES, DEFAULT_CONNECT_TIMEOUT
from nqp_text.cli import UsageError
from nqp_text.cli._options import add_reading_options, reading_options
from nqp_text.cli.classify import MODEL_HELP
from nqp_text.options import SegmentOptions, TopicOptions, default
from nqp_text.topics import defaults as topic_defaults


def register(subparsers: Any) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run", help="run ingest → segment → classify → trends → topics → report",
        description="Run every stage over files and folders into --out, resumably: "
                    "finished per-document work is cached in DIR/.cache and never redone.",
    )
    parser.add_argument("paths", nargs="+", metavar="INPUT", help="files or folders to read")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--metadata", metavar="CSV",
                        help="CSV with a 'file' or 'doc_id' column and year/title/other columns")
    parser.add_argument("--workers", type=_workers, default="auto", metavar="N|auto",
                        help=f"worker processes for per-document work (1: in-process; default "
                             f"auto: 1 below {AUTO_WORKERS_MIN_BYTES / 1e6:g} MB of input "
                             f"files, else the available cores; the summary line says which); "
                             f"with --scheduler local-cluster, the number of Dask workers")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler address (tcp://host:8786) or 'local-cluster'")
    parser.add_argument("--connect-timeout", type=float, default=DEFAULT_CONNECT_TIMEOUT,
                        metavar="S", help="seconds a --scheduler address has to answer as a "
                                          "Dask scheduler before the run stops with exit 2")
    ingest = parser.add_argument_group("ingest")
    add_reading_options(ingest)
    segment = parser.add_argument_group("segment")
    segment.add_argument("--lexicon", default=default(SegmentOptions, "lexicon"), metavar="PATH",
                         help="lexicon TSV or jieba user dictionary (default: shipped lexicon)")
    backend = default(SegmentOptions, "backend")
    segment.add_argument("--backend", choices=("jieba", "rjieba"), default=backend,
                         help=f"segmentation backend (default {backend})")
    parser.add_argument("--model", default="default", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument("--framework", metavar="YAML",
                        help="framework definition (default: the shipped 新质生产力 framework)")
    topics = parser.add_argument_group("topics (the defaults of nqp-text topics and fit_topics)")
    k, seed, passes = (default(TopicOptions, name) for name in ("k", "seed", "passes"))
    seed_weight, min_df = default(TopicOptions, "seed_weight"), default(TopicOptions, "min_df")
    topics.add_argument("--k", type=int, default=k, help=f"number of LDA topics (default {k})")
    topics.add_argument("--seed", type=int, default=seed,
                        help=f"topic model seed (default {seed})")
    topics.add_argument("--passes", type=int, default=passes,
                        help=f"LDA passes over the units (default {passes})")
    topics.add_argument("--topic-unit", choices=topic_defaults.UNITS,
                        default=default(TopicOptions, "topic_unit"),
                        help="what one LDA document is (default auto: passages for a few long "
                             "documents, documents for many short ones; the manifest says "
                             "which and why)")
    topics.add_argument("--seed-weight", type=float, default=seed_weight,
                        help=f"prior mass of a seeded topic's seed terms, in average topics "
                             f"(default {seed_weight})")
    topics.add_argument("--keep-places", action="store_true",
                        help="keep place names (provinces, cities, 全省/全区 ...) in the topic "
                             "vocabulary")
    topics.add_argument("--min-df", type=int, default=min_df, metavar="N",
                        help=f"drop terms in fewer than N topic units (default {min_df})")
    topics.add_argument("--max-df", type=float, metavar="SHARE",
                        help="drop terms in more than this share of topic units (default 0.5)")
    topics.add_argument("--unseeded", action="store_true",
                        help="free topics only (default: the first six topics are seeded "
                             "with the framework categories' terms)")
    parser.add_argument("--prune-cache", action="store_true",
                        help="after the run, delete the cache entries it did not use (those of "
                             "earlier inputs, lexicons, models or options)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run)


def _workers(value: str) -> int | str:
    """``--workers``: ``auto`` or a whole number of at least 1."""
    if value == "auto":
        return value
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 'auto' or a whole number >= 1; got {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    """Handle ``nqp-text run``; returns the exit code."""
    from nqp_text.pipeline import RunOptions, run_pipeline

    for path in args.paths:  # before run_pipeline makes --out
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
    try:
        reading = reading_options(args)
    except ValueError as error:
        raise UsageError(str(error)) from error
    options = RunOptions(
        metadata=args.metadata,
        **{found.name: getattr(reading, found.name) for found in dataclasses.fields(reading)},
        lexicon=args.lexicon, backend=args.backend, framework=args.framework,
        model=args.model, k=args.k,
        seed=args.seed, passes=args.passes, topic_unit=args.topic_unit,
        seed_weight=args.seed_weight, keep_places=args.keep_places,
        min_df=args.min_df, max_df=args.max_df,
        seeded=not args.unseeded, workers=args.workers,
        scheduler=args.scheduler, connect_timeout=args.connect_timeout,
        progress=not args.quiet and sys.stderr.isatty(),
        prune_cache=args.prune_cache,
    )
    manifest = run_pipeline(args.paths, args.out, options)
    print(summary(manifest, args.out))
    args.see_also = f"{args.out}/manifest.json (\"warnings\")"
    return 0


def summary(manifest: dict[str, Any], out: str) -> str:
    """The one-line summary of a run."""
    counts = ", ".join(f"{status} {n}" for status, n in manifest["documents"].items())
    stages = manifest["stages"]
    done = sum(stage["computed"] for name, stage in stages.items() if name != "hash")
    cached = sum(stage["cached"] for stage in stages.values())
    pruned = manifest.get("cache_pruned")
    pruned_text = (f"; pruned {pruned['files']} cache entries ({pruned['bytes'] / 1e6:.1f} MB)"
                   if pruned else "")
    workers = manifest.get("workers") or {}
    workers_text = (f"; workers {workers['chosen']}"
                    + (f" (auto: {workers['reason']})" if workers.get("requested") == "auto"
                       else "") if workers else "")
    n_documents = sum(manifest['documents'].values())
    return (f"run: {n_documents} document{'' if n_documents == 1 else 's'} ({counts}); "
            f"{done} items computed, {cached} from cache{pruned_text}{workers_text}; "
            f"{manifest['seconds']:.1f} s -> {out}")
