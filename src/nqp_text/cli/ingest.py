"""``nqp-text ingest``: read files, folders and JSONL/CSV corpora into Parquet tables.

One call of :func:`nqp_text.read_corpus` followed by :meth:`nqp_text.Corpus.save`.
Writes ``DIR/documents.parquet``, ``DIR/passages.parquet`` and
``DIR/tables.parquet``; ends with one summary line of counts per status on
stdout, then lists on stderr the documents that are not ``ok``, their
warnings (PDF problems, passages far longer than a paragraph, traditional
characters) and the corpus's (a field that matches no record, documents
without a year); see :mod:`nqp_text.diagnostics`. The exit code is 2 for usage
errors (a missing input path, bad options, an unusable metadata file), 3 with
``--strict`` when anything was warned about; a bad input *file* is a
``failed`` row, not an error.

Example:
    $ nqp-text ingest corpora/sample --out results
    ingest: 7 documents (ok 7, empty 0, no_text_layer 0, failed 0), 58 passages, 2 tables -> results
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from nqp_text.cli import UsageError
from nqp_text.cli._options import add_reading_options, reading_options
from nqp_text.diagnostics import warn


def register(subparsers: Any) -> None:
    """Add the ``ingest`` subcommand."""
    parser = subparsers.add_parser(
        "ingest", help="read txt/md/pdf/docx files, folders and JSONL/CSV into Parquet",
        description="Read files, folders (recursively) and JSONL/CSV corpora; write "
                    "documents.parquet, passages.parquet and tables.parquet to --out.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--metadata", metavar="CSV",
                        help="CSV with a 'file' or 'doc_id' column and year/title/other columns")
    add_reading_options(parser)
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="reader processes in parallel (default 1)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``nqp-text ingest``; returns the exit code."""
    from nqp_text.io.reader import read_corpus

    _check(args)
    corpus = read_corpus(args.paths, args.metadata, workers=args.workers,
                         progress=sys.stderr.isatty(), options=reading_options(args))
    corpus.save(args.out)  # read_corpus named each bad document (printed when the command ends)
    from nqp_text._tables import write_csv
    from nqp_text.quality import SAID_ELSEWHERE, quality_csv_frame, quality_diagnostics

    quality = corpus.quality()
    write_csv(quality_csv_frame(quality), os.path.join(args.out, "quality.csv"))
    for found in quality_diagnostics(quality, skip=SAID_ELSEWHERE):
        warn(found.kind, found.message, stage=found.stage, files=found.files)
    counts = corpus.status_counts()
    by_status = ", ".join(f"{status} {count}" for status, count in counts.items())
    print(f"ingest: {_counted(len(corpus.documents), 'document')} ({by_status}), "
          f"{_counted(len(corpus.passages), 'passage')}, "
          f"{_counted(len(corpus.tables), 'table')} -> {args.out}")
    return 0


def _check(args: argparse.Namespace) -> None:
    for path in args.paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
    if args.metadata is not None and not os.path.isfile(args.metadata):
        raise UsageError(f"--metadata {args.metadata}: no such file")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise UsageError(f"--out {args.out}: exists and is not a folder")
    if args.unit == "window" and (args.size is None or args.size < 1):
        raise UsageError("--unit window needs --size N (N >= 1 characters)")
    if args.unit != "window" and args.size is not None:
        raise UsageError("--size applies only to --unit window")
    if args.workers < 1:
        raise UsageError("--workers must be >= 1")
    if args.max_passage and args.max_passage < 20:
        raise UsageError("--max-passage must be >= 20 characters (0 = no limit)")
    if args.timeout < 0:
        raise UsageError("--timeout must be >= 0 seconds (0 = no limit)")


def _counted(count: int, noun: str) -> str:
    """``"1 document"``, ``"3 documents"``: the summary line reads as English."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
