"""Benchmark ``nqp-text report`` on ``nqp-text run`` output: the run's tables vs recomputing.

Builds the 1× and 10× corpora of ``bench_pipeline.py`` (the government work
reports of ``../shared``, copies with new ids and shifted years) in a
temporary folder, runs ``nqp-text run`` on each once, then times
``nqp-text report DIR`` as a child process two ways on each folder:

* baseline: ``--recompute``, every table counted again from the passages and
  tokens (what ``build_report`` always did before the run wrote its tables);
* the run's tables (``document_lengths``, ``trends_*``, ``category_trends``,
  ``keyness_last_periods``, topic tables), no passages or tokens loaded.

It prints wall time and the child's peak RSS (``ru_maxrss`` of that child),
the ratios, the load (``uptime``), and checks that both pages are byte-identical.

Usage:
    python benchmarks/bench_report.py [--copies 10] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import FIELDS, build_corpus, gov_reports_source, uptime  # noqa: E402


def _child(command: list[str]) -> tuple[float, float]:
    """Run ``command``; its wall seconds and peak RSS in MB."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def _report(out: Path, page: Path, *extra: str) -> tuple[float, float]:
    return _child([sys.executable, "-m", "nqp_text.cli", "report", str(out), "--out",
                   str(page), *extra])


def measure(label: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    run_seconds, _ = _child([sys.executable, "-m", "nqp_text.cli", "run", str(corpus), "--out",
                             str(out), "--quiet", "--workers", str(workers), *FIELDS])
    load = os.getloadavg()[0]
    full = _report(out, out.parent / "recomputed.html", "--recompute")
    tables = _report(out, out.parent / "from_tables.html")
    same = (out.parent / "recomputed.html").read_bytes() == \
        (out.parent / "from_tables.html").read_bytes()
    print(f"  {label}: nqp-text run {run_seconds:6.1f} s; report --recompute {full[0]:6.2f} s "
          f"peak {full[1]:5.0f} MB; report from the run's tables {tables[0]:6.2f} s peak "
          f"{tables[1]:5.0f} MB; pages byte-identical: {same}; load {load:.1f}", flush=True)
    return {"full_s": full[0], "full_mb": full[1], "tables_s": tables[0],
            "tables_mb": tables[1], "same": float(same)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="size of the large corpus (10)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the runs (2)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args()
    source = gov_reports_source()
    if source is None:
        print("skipped: ../shared/corpora/gov_work_reports is absent")
        return 0
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nqp-bench-report-"))
    try:
        print(f"cores: {os.cpu_count()}; load before: {uptime()}")
        one = measure("1x ", build_corpus(source, work / "corpus_1x", 1),
                      work / "1x" / "results", args.workers)
        big = measure(f"{args.copies}x", build_corpus(source, work / "corpus_nx", args.copies),
                      work / "nx" / "results", args.workers)
        print(f"load after: {uptime()}")
        print("ratios (baseline: report --recompute on the same folder):")
        for label, numbers in (("1x ", one), (f"{args.copies}x", big)):
            print(f"  {label}: {numbers['full_s'] / numbers['tables_s']:5.2f}x faster, peak RSS "
                  f"{numbers['tables_mb'] / numbers['full_mb']:4.2f}x of the baseline's")
        print(f"  peak RSS {args.copies}x / 1x: from the run's tables "
              f"{big['tables_mb'] / one['tables_mb']:4.2f}x, recomputing "
              f"{big['full_mb'] / one['full_mb']:4.2f}x")
        return 0 if one["same"] and big["same"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
