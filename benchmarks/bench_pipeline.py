"""Benchmark ``nqp-text run``: executors, the cache and memory on a 1× and a 10× corpus.

Builds, in a temporary folder (never in the repository), a 1× corpus (one
JSONL file: the government work reports of ``../shared`` with new ids) and a
10× corpus (ten such copies, copy ``k`` with ids ``gwr{k}-{i}`` and years
shifted by ``k``). Then runs, each as a child ``nqp-text run`` process of this
one, on fresh output folders:

1. 1× corpus, ``--workers 1`` (the memory baseline);
2. 10× corpus, ``--workers 1`` (the speed baseline);
3. 10× corpus, ``--workers 2``;
4. 10× corpus, ``--scheduler local-cluster`` (2 Dask worker processes);
5. 10× corpus again into run 2's folder (everything cached).

It prints wall time, CPU time of the whole process tree (and so how many cores
it actually got: on a machine shared with other jobs a speed-up can only be
read next to that), the client's peak RSS (``VmHWM``) and the peak RSS of the
whole process tree (sampled every 20 ms), the ratios, the machine load
(``uptime``, 1-minute load before and after each run), and checks that runs
2-5 wrote byte-identical outputs (everything except ``manifest.json`` and the
cache).

With ``--vs-jieba`` it measures instead what issue 16 targets: on a 5×
corpus (``--copies``, default then 5), cold (fresh output folder), one worker,
``nqp-text run`` (jieba, then ``--backend rjieba``) as a multiple of raw
``jieba.lcut`` over the same records' text in a child process of the same run
(import, dictionary load and cutting, as a user's script would do); targets
2.0× and 1.0×. The two runs' outputs are compared too (tokens differ between
backends; labels must not).

Usage:
    python benchmarks/bench_pipeline.py [--copies 10] [--keep DIR]
    python benchmarks/bench_pipeline.py --vs-jieba [--copies 5] [--before SRC]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from nqp_text._shared import shared_dir

FIELDS = ["--text-field", "content", "--year-field", "year", "--title-field", "title",
          "--id-field", "id"]


@dataclass
class Measured:
    label: str
    seconds: float
    cpu_seconds: float
    client_peak_mb: float
    tree_peak_mb: float
    out: Path


def gov_reports_source() -> Path | None:
    """The government work reports JSONL of ``../shared``, or ``None`` when absent."""
    shared = shared_dir()
    source = (shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
              if shared else None)
    return source if source is not None and source.exists() else None


def build_corpus(source: Path, folder: Path, copies: int) -> Path:
    """Write ``copies`` JSONL copies of ``source`` (new ids, years shifted by the copy number)."""
    folder.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    for copy in range(copies):
        lines = []
        for index, record in enumerate(records):
            year = record.get("year")
            shifted = str(int(year) + copy) if year else None
            lines.append(json.dumps({**record, "id": f"gwr{copy}-{index}", "year": shifted},
                                    ensure_ascii=False))
        (folder / f"gov_work_reports_copy{copy:02d}.jsonl").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree_rss_mb(process: psutil.Process) -> float:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total / 2**20


def run(label: str, corpus: Path, out: Path, *extra: str, source: Path | None = None
        ) -> Measured:
    """One ``nqp-text run`` child process, timed, with its memory sampled.

    ``source``: a ``src`` folder of another version of ``nqp_text`` to run instead of
    the installed one (put first on ``PYTHONPATH``), for a before/after in one run.
    """
    command = [sys.executable, "-m", "nqp_text.cli", "run", str(corpus), "--out", str(out),
               "--quiet", *FIELDS, *extra]
    cpu_before = _children_cpu()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    env = None
    if source is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(source), *filter(None, [os.environ.get("PYTHONPATH")])])}
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    process = psutil.Process(child.pid)
    peaks = {"client": 0.0, "tree": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                peaks["client"] = max(peaks["client"], _vm_hwm_mb(child.pid))
                peaks["tree"] = max(peaks["tree"], _tree_rss_mb(process))
            except psutil.Error:
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{label}: nqp-text run failed ({child.returncode}):\n{stderr}")
    print(f"  {label:<26} {seconds:8.2f} s  cpu {cpu:7.1f} s ({cpu / seconds:4.2f} cores)  "
          f"client peak {peaks['client']:5.0f} MB  tree peak {peaks['tree']:5.0f} MB  "
          f"load {load:4.1f}->{os.getloadavg()[0]:4.1f}", flush=True)
    print(f"      {stdout.strip()}", flush=True)
    return Measured(label, seconds, cpu, peaks["client"], peaks["tree"], out)


def _children_cpu() -> float:
    """User + system CPU seconds of all finished child process trees of this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def digests(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts
            and p.name != "manifest.json"}


RAW_JIEBA = """
import json, sys, jieba
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                n += len(jieba.lcut(json.loads(line).get("content") or ""))
print(f"raw jieba.lcut: {n} tokens")
"""


def raw_jieba(corpus: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a child process that ``jieba.lcut``s every record's text
    (cold start: import, dictionary load, cutting)."""
    files = [str(p) for p in sorted(corpus.iterdir())]
    load = os.getloadavg()[0]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RAW_JIEBA, *files], capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    print(f"  {'raw jieba.lcut':<26} {seconds:8.2f} s  cpu {cpu:7.1f} s  "
          f"load {load:4.1f}->{os.getloadavg()[0]:4.1f}  ({done.stdout.strip()})", flush=True)
    return seconds, cpu


def vs_jieba(work: Path, corpus: Path, rjieba: bool = True,
             before: Path | None = None) -> int:
    """``nqp-text run`` (jieba, rjieba) against raw jieba on ``corpus``; prints the ratios.

    Wall-time ratios, and CPU-time ratios (the whole process tree), which are the
    ones to read when the machine is loaded: a niced run on a busy machine waits
    for a core most of its wall time. ``before``: the ``src`` folder of an earlier
    version, run first (jieba, then rjieba) and compared with the current one.
    """
    baseline = raw_jieba(corpus)
    earlier = []
    if before is not None:
        earlier.append(run("before: run --workers 1", corpus, work / "before" / "results",
                           "--workers", "1", source=before))
        if rjieba:
            earlier.append(run("before: rjieba", corpus, work / "before_rjieba" / "results",
                               "--workers", "1", "--backend", "rjieba", source=before))
    runs = [run("run --workers 1", corpus, work / "jieba" / "results", "--workers", "1")]
    if rjieba:
        runs.append(run("run --workers 1 rjieba", corpus, work / "rjieba" / "results",
                        "--workers", "1", "--backend", "rjieba"))
    after = raw_jieba(corpus)
    wall, cpu = (baseline[0] + after[0]) / 2, (baseline[1] + after[1]) / 2
    print(f"raw jieba before/after: {baseline[0]:.2f} s / {after[0]:.2f} s wall, "
          f"{baseline[1]:.1f} s / {after[1]:.1f} s CPU; ratios use the means")
    for measured in earlier:
        print(f"  {measured.label} / raw jieba: wall {measured.seconds / wall:6.2f}x, "
              f"CPU {measured.cpu_seconds / cpu:6.2f}x")
    for measured, target in zip(runs, ("2.0", "1.0"), strict=False):
        print(f"  {measured.label} / raw jieba: wall {measured.seconds / wall:6.2f}x, "
              f"CPU {measured.cpu_seconds / cpu:6.2f}x (target <= {target})")
    for old, new in zip(earlier, runs, strict=False):
        same = digests(old.out) == digests(new.out)
        print(f"  {new.label}: outputs byte-identical to before: {same}")
    if len(runs) < 2:
        return 0
    jieba_run, rjieba_run = runs
    one, other = digests(jieba_run.out), digests(rjieba_run.out)
    differ = sorted(name for name in one if one.get(name) != other.get(name))
    print(f"  files differing between the backends: {', '.join(differ) or 'none'}")
    return 0


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, help="size of the large corpus (10; 5 with "
                                                    "--vs-jieba)")
    parser.add_argument("--vs-jieba", action="store_true",
                        help="time nqp-text run (jieba, rjieba) against raw jieba.lcut")
    parser.add_argument("--no-rjieba", action="store_true",
                        help="with --vs-jieba: leave out the --backend rjieba run")
    parser.add_argument("--before", metavar="SRC", type=Path,
                        help="with --vs-jieba: also run the nqp_text in SRC (a src folder, "
                             "e.g. from `git archive`) first, for a before/after in one run")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a "
                                                       "temporary folder, removed)")
    args = parser.parse_args()
    source = gov_reports_source()
    if source is None:
        print("skipped: ../shared/corpora/gov_work_reports is absent")
        return 0
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nqp-bench-"))
    args.copies = args.copies or (5 if args.vs_jieba else 10)
    try:
        if args.vs_jieba:
            corpus = build_corpus(source, work / f"corpus_{args.copies}x", args.copies)
            size = sum(p.stat().st_size for p in corpus.iterdir()) / 2**20
            print(f"corpus: {args.copies} x {source.name} = {size:.1f} MB of JSONL in {work}")
            print(f"cores: {os.cpu_count()}; load before: {uptime()}")
            return vs_jieba(work, corpus, rjieba=not args.no_rjieba, before=args.before)
        small = build_corpus(source, work / "corpus_1x", 1)
        large = build_corpus(source, work / "corpus_10x", args.copies)
        size = sum(p.stat().st_size for p in large.iterdir()) / 2**20
        print(f"corpus: {args.copies} x {source.name} = {size:.1f} MB of JSONL in {work}")
        print(f"cores: {os.cpu_count()}; load before: {uptime()}")
        def folder(name: str) -> Path:
            return work / name / "results"

        one = run("1x   --workers 1", small, folder("1x_w1"), "--workers", "1")
        w1 = run(f"{args.copies}x  --workers 1", large, folder("w1"), "--workers", "1")
        w2 = run(f"{args.copies}x  --workers 2", large, folder("w2"), "--workers", "2")
        dask = run(f"{args.copies}x  local-cluster (2)", large, folder("dask"),
                   "--scheduler", "local-cluster", "--workers", "2")
        cached = run(f"{args.copies}x  cached re-run", large, folder("w1"), "--workers", "1")
        print(f"load after: {uptime()}")
        reference = digests(w1.out)
        same = {m.label: digests(m.out) == reference for m in (w2, dask, cached)}
        print(f"outputs compared: {len(reference)} files; byte-identical to --workers 1: {same}")
        print("ratios:")
        print(f"  --workers 2 speed-up over --workers 1:      {w1.seconds / w2.seconds:6.2f}x "
              f"(target >= 1.6)")
        print(f"  local-cluster speed-up over --workers 1:    {w1.seconds / dask.seconds:6.2f}x")
        print(f"  cached re-run speed-up over first run:      {w1.seconds / cached.seconds:6.2f}x "
              f"(target >= 10)")
        print(f"  client peak RSS {args.copies}x / 1x (--workers 1): "
              f"{w1.client_peak_mb / one.client_peak_mb:6.2f}x (target < 2)")
        print(f"  tree peak RSS {args.copies}x / 1x (--workers 1):   "
              f"{w1.tree_peak_mb / one.tree_peak_mb:6.2f}x")
        return 0 if all(same.values()) else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
