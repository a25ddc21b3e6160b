"""Benchmark the near-duplicate check (``nqp_text.duplicates.near_duplicates``).

1. On the 5× government-report corpus of ``bench_pipeline`` (five JSONL copies of
   the State Council reports, 360 records; built in a temporary folder): the time
   of ``read_corpus`` (the baseline), of :func:`near_duplicates` and of the whole
   :func:`corpus_quality` with and without it, as ratios to reading. The copies
   are identical texts, which ``duplicate_documents`` says; the check compares
   each text once and must report no pair.
2. Scaling, in memory: ``--documents`` (default 10,000) made-up documents of 40
   passages each, drawn with a fixed seed from the passages of that corpus (so
   any two share a few sentences by chance, as reports of one genre do), with
   ``--planted`` (default 50) re-issues among them (a copy with a tenth of its
   passages changed) and ``--excerpts`` (default 20) excerpts (12 of the previous
   document's 40 passages: a Jaccard index of 0.3, found as ``contains``). Prints
   the time at a quarter, half and all of the documents, and checks that every
   planted pair and nothing else is found.

Times are CPU seconds of this process and its finished children (the readers' pool).

Usage:
    NQP_TEXT_SHARED=../shared python benchmarks/bench_near_duplicates.py \
        [--copies 5] [--documents 10000] [--planted 50] [--excerpts 20]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import nqp_text  # noqa: E402
from bench_pipeline import build_corpus, gov_reports_source  # noqa: E402
from nqp_text.diagnostics import collect  # noqa: E402
from nqp_text.duplicates import near_duplicates  # noqa: E402
from nqp_text.quality import corpus_quality  # noqa: E402

FIELDS = {"text_field": "content", "year_field": "year", "title_field": "title",
          "id_field": "id"}


def _timed(function, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    """The result and the CPU seconds of this process and of the child processes it waited
    for (the readers' pool); the machine may be shared: wall time would count other jobs."""
    start = _cpu()
    result = function(*args, **kwargs)
    return result, _cpu() - start


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _on_copies(source: Path, copies: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        folder = build_corpus(source, Path(tmp) / "in", copies)
        with collect(propagate=False):
            corpus, read = _timed(nqp_text.read_corpus, folder, **FIELDS)
    documents, passages = corpus.documents, corpus.passages
    pairs, found = _timed(near_duplicates, documents, passages)
    _, without = _timed(corpus_quality, documents, passages, near_duplicates=False)
    _, with_check = _timed(corpus_quality, documents, passages)
    print(f"{copies}x government reports: {len(documents)} documents, {len(passages):,} "
          f"passages, {passages['text'].str.len().sum():,} characters")
    print(f"  read_corpus                       {read:7.2f} s CPU  1.00")
    print(f"  near_duplicates                   {found:7.2f} s CPU  {found / read:.3f} of reading"
          f"  ({len(pairs)} pairs)")
    print(f"  corpus_quality without the check  {without:7.2f} s CPU  {without / read:.3f}")
    print(f"  corpus_quality with the check     {with_check:7.2f} s CPU  {with_check / read:.3f}")
    if len(pairs):
        shown = pairs[["name_a", "name_b", "overlap"]].head().to_dict("records")
        print("  UNEXPECTED pairs:", shown)
    return passages


def _made_up(passages: pd.DataFrame, documents: int, planted: int,
             excerpts: int = 0) -> tuple[pd.DataFrame, set]:
    """``documents`` documents of 40 passages drawn from ``passages``, ``planted`` of them
    re-issues (every tenth passage changed) of the document before them and ``excerpts``
    of them 12 passages of the document before them (never next to a re-issue)."""
    rng = random.Random(20260)
    pool = list(dict.fromkeys(passages["text"]))
    rows, wanted = [], set()
    reissues = set(rng.sample(range(1, documents), planted))
    near = reissues | {i - 1 for i in reissues} | {i + 1 for i in reissues}
    shorts = set(rng.sample([i for i in range(2, documents - 1) if i not in near], excerpts))
    previous: list[str] = []
    for index in range(documents):
        doc_id = f"d{index:05d}"
        if index in reissues:
            texts = [text + "（修订）" if k % 10 == 0 else text for k, text in enumerate(previous)]
            wanted.add((f"d{index - 1:05d}", doc_id))
        elif index in shorts and index - 1 not in shorts:
            texts = previous[14:26]
            wanted.add((f"d{index - 1:05d}", doc_id))
        else:
            texts = rng.sample(pool, 40)
        rows += [(doc_id, text) for text in texts]
        previous = texts
    return pd.DataFrame(rows, columns=["doc_id", "text"]), wanted


def _scaling(passages: pd.DataFrame, documents: int, planted: int, excerpts: int) -> None:
    frame, wanted = _made_up(passages, documents, planted, excerpts)
    print(f"made-up corpus: {documents:,} documents of 40 passages drawn from "
          f"{passages['text'].nunique():,} distinct ones, {planted} re-issues and "
          f"{excerpts} excerpts planted")
    for share in (4, 2, 1):
        n = documents // share
        part = frame[frame["doc_id"] < f"d{n:05d}"]
        pairs, seconds = _timed(near_duplicates, None, part)
        found = set(zip(pairs["doc_a"], pairs["doc_b"], strict=True))
        kinds = pairs["kind"].value_counts().to_dict() if "kind" in pairs.columns else {}
        expected = {pair for pair in wanted if pair[1] < f"d{n:05d}"}
        print(f"  {n:6,} documents: {seconds:6.2f} s CPU ({seconds / n * 1000:.2f} ms a document)"
              f"  pairs found {len(found)}, planted {len(expected)}, missed "
              f"{len(expected - found)}, others {len(found - expected)} {kinds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--planted", type=int, default=50)
    parser.add_argument("--excerpts", type=int, default=20)
    args = parser.parse_args()
    source = gov_reports_source()
    if source is None:
        print("../shared is absent (set NQP_TEXT_SHARED)", file=sys.stderr)
        return 1
    passages = _on_copies(source, args.copies)
    _scaling(passages, args.documents, args.planted, args.excerpts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
