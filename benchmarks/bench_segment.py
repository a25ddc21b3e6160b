"""Segmentation speed on the government work reports in ../shared, in one run.

Prints characters per second for raw ``jieba.lcut``, ``Segmenter(backend="jieba")``,
``Segmenter(backend="rjieba")`` and ``Segmenter.pipe`` with 1 and 2 worker
processes, and the ratios between them. ``Segmenter(lexicon=None)`` (jieba's
algorithm through the Segmenter's faster loop, without the protection pass)
shows what the protection pass itself costs. ``pipe(workers=2)`` is measured twice:
with new worker processes (the run starts them) and with the workers the
Segmenter kept from the previous call. Each measurement is repeated
(``--repeat``, interleaved) and the best run is reported, because the machine
may be shared; the load average is printed with the numbers.

Usage:
    python benchmarks/bench_segment.py [--repeat 3] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jieba

from nqp_text._shared import shared_dir
from nqp_text.segment.segmenter import Segmenter


def load_passages(shared: Path) -> list[str]:
    """Paragraphs (blocks between blank lines) of every record, stripped."""
    path = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    passages: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            content = json.loads(line)["content"]
            passages.extend(b.strip() for b in re.split(r"\n\s*\n", content) if b.strip())
    return passages


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process plus finished child processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    started = time.perf_counter()
    function()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    return wall, time.process_time() - cpu + child_cpu


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def available_parallelism(n: int = 10_000_000) -> float:
    """Speed-up of two processes over one on a pure CPU loop, measured now: what a
    second worker can gain at all while other jobs share the machine (2.0 when idle)."""
    serial = timed(lambda: (_burn(n), _burn(n)))[0]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_burn, [1, 1])  # start-up outside the timing
        parallel = timed(lambda: pool.map(_burn, [n, n]))[0]
    return serial / parallel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to benchmark", file=sys.stderr)
        return 1
    passages = load_passages(shared)
    chars = sum(map(len, passages))
    jieba.setLogLevel(60)  # benchmark process only: silence jieba's start-up messages
    jieba.initialize()
    seg_jieba = Segmenter(backend="jieba")
    seg_rjieba = Segmenter(backend="rjieba")
    seg_plain = Segmenter(lexicon=None)  # the same jieba loop without the protection pass
    for seg in (seg_jieba, seg_rjieba, seg_plain):  # build tokenizers outside the timings
        seg.cut("预热")

    runs: dict[str, Callable[[], object]] = {
        "raw jieba.lcut": lambda: [jieba.lcut(p) for p in passages],
        "Segmenter(jieba).cut": lambda: [seg_jieba.cut(p) for p in passages],
        "Segmenter(rjieba).cut": lambda: [seg_rjieba.cut(p) for p in passages],
        "Segmenter(jieba, lexicon=None).cut": lambda: [seg_plain.cut(p) for p in passages],
        "Segmenter(jieba).pipe(workers=1)": lambda: list(
            seg_jieba.pipe(passages, workers=1, batch_size=args.batch_size)),
        # a one-shot call: starts, warms up and ends its worker processes
        "Segmenter(jieba).pipe(workers=2), new": lambda: (list(
            seg_jieba.pipe(passages, workers=2, batch_size=args.batch_size)), seg_jieba.close()),
        # workers the Segmenter kept from an earlier (untimed) call
        "Segmenter(jieba).pipe(workers=2), kept": lambda: list(
            seg_jieba.pipe(passages, workers=2, batch_size=args.batch_size)),
    }
    setup: dict[str, Callable[[], object]] = {
        "Segmenter(jieba).pipe(workers=2), new": seg_jieba.close,
        "Segmenter(jieba).pipe(workers=2), kept": lambda: list(
            seg_jieba.pipe(passages[:256], workers=2, batch_size=args.batch_size)),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    parallelism: list[float] = []
    for _ in range(args.repeat):
        parallelism.append(available_parallelism())
        for name, run in runs.items():
            setup.get(name, lambda: None)()
            wall, cpu_seconds = timed(run)
            times[name].append(wall)
            cpu[name].append(cpu_seconds)
    seg_jieba.close()

    print(f"government work reports: {len(passages)} passages, {chars:,} characters; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()}")
    best = {name: min(values) for name, values in times.items()}
    for name, values in times.items():
        runs_text = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:40s} {chars / best[name]:>12,.0f} chars/s   (runs: {runs_text} s)")
    ratio = {
        "Segmenter(jieba) / raw jieba": best["raw jieba.lcut"] / best["Segmenter(jieba).cut"],
        "Segmenter(rjieba) / raw jieba": best["raw jieba.lcut"] / best["Segmenter(rjieba).cut"],
        "protection pass: lexicon / no lexicon": (best["Segmenter(jieba, lexicon=None).cut"]
                                                  / best["Segmenter(jieba).cut"]),
        "pipe(workers=2) new workers / workers=1": (
            best["Segmenter(jieba).pipe(workers=1)"]
            / best["Segmenter(jieba).pipe(workers=2), new"]),
        "pipe(workers=2) kept workers / workers=1": (
            best["Segmenter(jieba).pipe(workers=1)"]
            / best["Segmenter(jieba).pipe(workers=2), kept"]),
    }
    for name, value in ratio.items():
        print(f"{name:42s} {value:6.2f}x")
    # On a machine shared with other jobs, wall-clock speed-up from a second worker is
    # capped by the CPU the scheduler gives us; the CPU work shows the pool's overhead.
    # Kept workers are still running when their run ends, so RUSAGE_CHILDREN cannot
    # count their CPU; the one-shot run ends its workers and is counted whole.
    one = min(cpu["Segmenter(jieba).pipe(workers=1)"])
    two = min(cpu["Segmenter(jieba).pipe(workers=2), new"])
    print(f"pipe CPU work: workers=1 {one:.2f} s, workers=2 (new) {two:.2f} s in all "
          f"processes; on 2 idle cores it could reach at most {2 * one / two:.2f}x")
    print("available parallelism now (2 processes vs 1 on a pure CPU loop): "
          + ", ".join(f"{value:.2f}x" for value in parallelism))
    return 0


if __name__ == "__main__":
    sys.exit(main())
