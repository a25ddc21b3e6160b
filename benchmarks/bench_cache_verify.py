"""Benchmark the cost of verifying cache entries (issue 17) on the government work reports.

Runs ``run_pipeline`` once over ``../shared/corpora/gov_work_reports`` into a
temporary folder (or uses ``--out DIR`` of an earlier run), then, in this one
process, alternates ``--repeat`` times:

* a cached re-run (``run_pipeline`` on the same folder: every entry is verified
  against its seal, nothing is computed);
* :func:`nqp_text.pipeline.cache.verify_cache` over the whole cache (every entry
  hashed once, parts included: what the re-run adds).

It prints the cache's size, each time, the medians and the ratio
``verify / cached re-run``: the share of a cached re-run that verification costs.
The seconds the run spends in its cache-checking stages (hash, ingest, segment,
count, classify) are printed too, from the manifest.

Usage:
    python benchmarks/bench_cache_verify.py [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from nqp_text._shared import shared_dir
from nqp_text.pipeline import run_pipeline
from nqp_text.pipeline.cache import CACHE_DIRNAME, verify_cache

_CHECKING = ("hash", "ingest", "segment", "count", "classify")


def _size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*.parquet") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="output folder of an earlier run (default: a fresh one)")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        raise SystemExit("needs ../shared (set NQP_TEXT_SHARED)")
    corpus = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    with tempfile.TemporaryDirectory(prefix="nqp-bench-cache-") as tmp:
        out = Path(args.out) if args.out else Path(tmp) / "results"
        started = time.perf_counter()
        run_pipeline([corpus], out, workers=2, progress=False)
        print(f"first run: {time.perf_counter() - started:.1f} s (load {os.getloadavg()[0]:.1f})")
        entries, size = _size(out / CACHE_DIRNAME)
        print(f"cache: {entries} entries, {size / 1e6:.1f} MB")
        reruns, verifies, stages = [], [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            manifest = run_pipeline([corpus], out, workers=2, progress=False)
            reruns.append(time.perf_counter() - started)
            stages.append(sum(manifest["stages"][name]["seconds"] for name in _CHECKING))
            started = time.perf_counter()
            bad = [path for path, problem in verify_cache(out / CACHE_DIRNAME) if problem]
            verifies.append(time.perf_counter() - started)
            assert not bad, bad
            print(f"cached re-run {reruns[-1]:.2f} s (cache-checking stages {stages[-1]:.2f} s),"
                  f" verify_cache {verifies[-1]:.3f} s, load {os.getloadavg()[0]:.1f}")
        rerun, verify = statistics.median(reruns), statistics.median(verifies)
        print(f"median: cached re-run {rerun:.2f} s, verify {verify:.3f} s, "
              f"cache-checking stages {statistics.median(stages):.2f} s")
        print(f"ratio verify / cached re-run: {verify / rerun:.3f}")


if __name__ == "__main__":
    main()
