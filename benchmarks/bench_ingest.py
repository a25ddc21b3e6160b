"""PDF reading speed: ``read_pdf`` against plain pdfplumber ``extract_text``, in one run.

For every PDF with a text layer in ../shared/pdfs (its first ``--max-pages``
pages), prints pages per second of

* the baseline: ``pdfplumber.open`` and ``page.extract_text()`` on each page;
* ``nqp_text.io.pdf.read_pdf`` on the same pages (character extraction with
  duplicate removal, table finding, header/footer removal, columns, paragraphs);

and the ratio ours / baseline (below 1 means the cleaning costs time). Both
sides run in the same process with pdfminer's logging silenced the same way;
each measurement is repeated (``--repeat``, interleaved) and the best run is
kept, because the machine may be shared. The load average is printed too.

Usage:
    python benchmarks/bench_ingest.py [--repeat 2] [--max-pages 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from nqp_text._shared import shared_dir
from nqp_text.io.pdf import read_pdf
from nqp_text.io.pdf._logs import capture_pdfminer_logs


def baseline(path: Path, n_pages: int) -> int:
    """Plain pdfplumber: the text of each page, no cleaning."""
    chars = 0
    with capture_pdfminer_logs(), pdfplumber.open(path) as pdf:
        for page in pdf.pages[:n_pages]:
            chars += len(page.extract_text() or "")
            page.close()
    return chars


def ours(path: Path, n_pages: int) -> int:
    return len(read_pdf(path, pages=range(1, n_pages + 1)).text)


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--max-pages", type=int, default=30)
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to benchmark", file=sys.stderr)
        return 1
    rows = []
    for path in sorted((shared / "pdfs").glob("*.pdf")):
        with capture_pdfminer_logs(), pdfplumber.open(path) as pdf:
            n_pages = min(len(pdf.pages), args.max_pages)
        if baseline(path, 1) == 0 and ours(path, n_pages) == 0:
            continue  # no text layer: nothing to compare
        base_times, our_times = [], []
        for _ in range(args.repeat):  # interleaved; the best of each is kept
            base_times.append(timed(lambda p=path, n=n_pages: baseline(p, n)))
            our_times.append(timed(lambda p=path, n=n_pages: ours(p, n)))
        rows.append((path.name, n_pages, min(base_times), min(our_times)))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(cpus: {os.cpu_count()})")
    print(f"{'file':58} {'pages':>5} {'plumber p/s':>11} {'read_pdf p/s':>12} {'ratio':>6}")
    for name, pages, base, mine in rows:
        print(f"{name:58} {pages:5d} {pages / base:11.1f} {pages / mine:12.1f} "
              f"{base / mine:6.2f}")
    total_pages = sum(row[1] for row in rows)
    total_base = sum(row[2] for row in rows)
    total_ours = sum(row[3] for row in rows)
    print(f"{'TOTAL':58} {total_pages:5d} {total_pages / total_base:11.1f} "
          f"{total_pages / total_ours:12.1f} {total_base / total_ours:6.2f}")
    print("ratio = read_pdf pages/s / pdfplumber extract_text pages/s "
          "(below 1: the cleaning costs time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
