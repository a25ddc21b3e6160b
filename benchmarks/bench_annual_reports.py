"""Benchmark ``nqp-text run --sections mda`` on generated 200-page annual reports.

Writes, in a temporary folder (never in the repository), ``--n`` annual reports
of about ``--pages`` pages each with reportlab, in the three layouts of
``tests/_annual_report_fixtures.py`` in turn (2008, 2015, 2023: contents with
wrong page numbers, chapter titles as running headers, mid-page chapters),
each for another firm (``{code}_{year}_{firm}_{year}年年度报告.pdf``) so that no
two reports share text and nothing is served from the cache. Then runs, each as
a child ``nqp-text run`` process with ``--sections mda --pdf-engine pdfium``:

1. one report, ``--workers 1`` (the memory baseline);
2. all ``--n`` reports, ``--workers 1``;
3. all ``--n`` reports, ``--workers 2``.

It prints wall time, CPU time of the process tree (on a machine shared with
other jobs, pages per CPU second is the figure to compare), the client's and the whole
tree's peak RSS (sampled every 20 ms), pages per second and seconds per report,
the ratios (2 workers over 1; memory for ``n`` reports over one: bounded memory
means this stays near 1 whatever ``n``), the load, and checks that every report
was read with its MD&A found (status ``ok``, every passage in the MD&A chapter,
code and fiscal year from the file name) and that runs 2 and 3 wrote
byte-identical outputs.

Usage:
    python benchmarks/bench_annual_reports.py [--n 4] [--pages 200] [--keep DIR]
    python benchmarks/bench_annual_reports.py --n 1000      # the full measurement (hours)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
sys.path.insert(0, str(_HERE.parent / "tests"))

from _annual_report_fixtures import LAYOUTS, write_annual_report  # noqa: E402
from bench_pipeline import Measured, digests, run, uptime  # noqa: E402

_FIRMS = ["星河智造", "云岭能源", "东方数科", "海川新材", "北辰装备", "南湖生物", "天衡银行",
          "远山物流"]


def write_reports(folder: Path, n: int, pages: int) -> tuple[int, float]:
    """Write ``n`` reports into ``folder``; return their total pages and the seconds it took."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    total = 0
    for index in range(n):
        layout = LAYOUTS[index % len(LAYOUTS)]
        firm = f"{_FIRMS[index % len(_FIRMS)]}{index // len(_FIRMS) or ''}"
        code = f"{600000 + index:06d}"
        year = int(layout) + index // len(LAYOUTS) % 3
        report = write_annual_report(folder / f"{code}_{year}_{firm}_{year}年年度报告.pdf",
                                     layout, firm=firm, year=year, pages=pages, seed=index)
        total += report.n_pages
    return total, time.perf_counter() - started


def check(out: Path, n: int) -> list[str]:
    """What is wrong with a run's outputs (empty when every report's MD&A was found)."""
    problems = []
    documents = pd.read_parquet(out / "documents.parquet")
    passages = pd.read_parquet(out / "passages.parquet")
    if len(documents) != n:
        problems.append(f"{len(documents)} documents, expected {n}")
    bad = documents[documents["status"] != "ok"]
    problems += [f"{row.path}: {row.status}: {row.error}" for row in bad.itertuples()]
    if documents["stkcd"].isna().any() or documents["year"].isna().any():
        problems.append("a file name gave no code or no year")
    per_doc = passages.groupby("doc_id")["section"].agg(lambda s: set(s.dropna()))
    for doc_id, sections in per_doc.items():
        if len(sections) != 1 or not any(k in next(iter(sections))
                                          for k in ("管理层讨论与分析", "董事会报告")):
            problems.append(f"{doc_id}: passages outside the MD&A: {sorted(sections)[:3]}")
    missing = set(documents["doc_id"]) - set(per_doc.index)
    problems += [f"{doc_id}: no MD&A passages" for doc_id in sorted(missing)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4, help="number of reports (default 4; the "
                                                          "issue's full measurement is 1000)")
    parser.add_argument("--pages", type=int, default=200, help="pages per report (default 200)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a "
                                                       "temporary folder, removed)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nqp-bench-ar-"))
    try:
        one_pages, _ = write_reports(work / "one", 1, args.pages)
        pages, seconds = write_reports(work / "all", args.n, args.pages)
        print(f"wrote {args.n} reports, {pages} pages ({pages / args.n:.0f} per report) in "
              f"{seconds:.1f} s into {work}")
        print(f"cores: {os.cpu_count()}; load before: {uptime()}")
        extra = ["--sections", "mda", "--pdf-engine", "pdfium"]
        base = run("1 report   --workers 1", work / "one", work / "out_one", *extra,
                   "--workers", "1")
        runs: dict[int, Measured] = {}
        for workers in (1, 2):
            runs[workers] = run(f"{args.n} reports  --workers {workers}", work / "all",
                                work / f"out_w{workers}", *extra, "--workers", str(workers))
        print(f"load after: {uptime()}")
        print("per run:")
        for workers, measured in runs.items():
            print(f"  --workers {workers}: {pages / measured.seconds:6.1f} pages/s, "
                  f"{measured.seconds / args.n:6.1f} s per report; "
                  f"{pages / measured.cpu_seconds:6.1f} pages per CPU second")
        print(f"  1 report:   {one_pages / base.seconds:6.1f} pages/s (includes start-up)")
        problems = check(runs[1].out, args.n) + check(base.out, 1)
        same = digests(runs[1].out) == digests(runs[2].out)
        print("ratios:")
        print(f"  --workers 2 speed-up over --workers 1:       "
              f"{runs[1].seconds / runs[2].seconds:6.2f}x")
        print(f"  client peak RSS {args.n} reports / 1 report:  "
              f"{runs[1].client_peak_mb / base.client_peak_mb:6.2f}x")
        print(f"  tree peak RSS {args.n} reports / 1 report:    "
              f"{runs[1].tree_peak_mb / base.tree_peak_mb:6.2f}x (--workers 1)")
        print(f"outputs of --workers 1 and 2 byte-identical: {same}")
        print(f"MD&A found in every report: {not problems}")
        for problem in problems[:20]:
            print(f"  {problem}")
        return 0 if same and not problems else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
