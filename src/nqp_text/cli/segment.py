"""``nqp-text segment DIR``: passages.parquet -> tokens.parquet (thin over the Python API).

Example:
    $ nqp-text segment results --backend rjieba --workers 2 --pos
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``segment`` subcommand."""
    parser = subparsers.add_parser(
        "segment", help="segment DIR/passages.parquet into DIR/tokens.parquet",
        description="Cut every passage of DIR/passages.parquet with the policy lexicon kept "
                    "whole; write DIR/tokens.parquet (passage_id, tokens[, pos]). Token lists "
                    "are cached by (passage text, configuration), so a re-run does no work.",
    )
    parser.add_argument("directory", metavar="DIR", help="folder with passages.parquet")
    parser.add_argument("--backend", choices=["jieba", "rjieba"], default="jieba",
                        help="segmentation backend (rjieba: pip install \"nqp-text[fast]\")")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default 1)")
    parser.add_argument("--pos", action="store_true", help="also write part-of-speech tags")
    parser.add_argument("--all-tokens", action="store_true",
                        help="keep every token (stopwords, punctuation, numbers) instead of "
                             "content tokens")
    parser.add_argument("--lexicon", metavar="PATH", default="default",
                        help="lexicon TSV or jieba user dictionary (default: the shipped one)")
    parser.add_argument("--user-dict", metavar="PATH", action="append", default=[],
                        help="extra terms in jieba user-dictionary format (repeatable)")
    parser.add_argument("--policy-verbs", action="store_true",
                        help="also drop policy verbs (加快, 推进 ...) from the tokens")
    parser.add_argument("--no-hmm", action="store_true", help="turn off the backend's HMM")
    parser.add_argument("--cache", metavar="DIR",
                        help="token cache folder (default DIR/.cache/segment)")
    parser.add_argument("--no-cache", action="store_true", help="do not use the token cache")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.cli import UsageError
    from nqp_text.segment.run import segment_directory
    from nqp_text.segment.segmenter import Segmenter

    directory = Path(args.directory)
    if not (directory / "passages.parquet").exists():
        raise UsageError(f"{directory / 'passages.parquet'}: missing; run `nqp-text ingest` "
                         f"with --out {directory} first")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    try:
        segmenter = Segmenter(lexicon=args.lexicon, backend=args.backend, hmm=not args.no_hmm,
                              policy_verbs=args.policy_verbs)
    except ImportError as error:
        print(f"nqp-text segment: {error}", file=sys.stderr)
        return 1
    for path in args.user_dict:
        segmenter.add_words(path)
    cache = None if args.no_cache else (args.cache or directory / ".cache" / "segment")
    started = time.perf_counter()
    target = segment_directory(directory, segmenter, workers=args.workers, pos=args.pos,
                               all_tokens=args.all_tokens, cache=cache)
    print(f"wrote {target} ({time.perf_counter() - started:.1f}s, backend={args.backend}, "
          f"config {segmenter.config_hash[:12]})")
    return 0
