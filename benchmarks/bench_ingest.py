"""PDF reading speed: ``read_pdf`` against plain pdfplumber ``extract_text``, in one run.

For every PDF with a text layer in ../shared/pdfs (its first ``--max-pages``
pages), prints pages per second of

* the baseline: ``pdfplumber.open`` and ``page.extract_text()`` on each page;
* ``nqp_text.io.pdf.read_pdf`` on the same pages (character extraction with
  duplicate removal, table finding, header/footer removal, columns, paragraphs)
  with the pdfplumber engine (the reference);
* the same with ``engine="pdfium"`` (the default: PDFium's characters and ruling,
  the same cleaning), and whether its text and tables equal the pdfplumber engine's;
* raw pypdfium2: ``page.get_textpage().get_text_range()`` on the same pages (the
  speed of the text layer itself, no cleaning), and how many times longer
  ``read_pdf`` takes with each engine (issue 16 target: at most 4x);

and the ratios to the baseline (below 1 means the cleaning costs time). All
sides run in the same process with pdfminer's logging silenced the same way;
each measurement is repeated (``--repeat``, interleaved) and the best run is
kept, because the machine may be shared. The load average is printed too.

Every PDF under ../shared/pdfs counts, the ``annual_reports/`` folder too (and
``.PDF`` names: before issue 16's third pass the 万科A 2012 report was left out).
``--pdfium-only`` times only raw pypdfium2 and the default engine (whole files in a
few minutes; the pdfplumber sides take ten times longer).

Usage:
    python benchmarks/bench_ingest.py [--repeat 2] [--max-pages 30]
    python benchmarks/bench_ingest.py --repeat 1 --max-pages 1000   # whole files
    python benchmarks/bench_ingest.py --repeat 1 --max-pages 1000 --pdfium-only
    python benchmarks/bench_ingest.py --repeat 2 --max-pages 1000 --pdfium-only --cpu
    git archive main src | tar -x -C /tmp/main    # another version to compare with
    python benchmarks/bench_ingest.py --repeat 2 --max-pages 1000 --pdfium-only --cpu \
        --before /tmp/main/src

``--before SRC`` times that version of ``nqp_text`` as well, file by file interleaved
with this one (both in child processes, each warmed up on the first page), and
prints both as multiples of raw pypdfium2 in the same run.

``--cpu`` times this process's CPU instead of the wall clock (both sides are
single-threaded): on a machine shared with other jobs the wall-clock ratio of one
file moves by ±30% between runs, its CPU time does not wait for the other jobs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
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


def raw_pdfium(path: Path, n_pages: int) -> int:
    """Plain pypdfium2: the text range of each page, no cleaning."""
    import pypdfium2 as pdfium

    chars = 0
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(n_pages):
            page = pdf[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def ours(path: Path, n_pages: int, engine: str = "pdfplumber") -> int:
    return len(read_pdf(path, pages=range(1, n_pages + 1), engine=engine).text)


def same_output(path: Path, n_pages: int) -> bool:
    """Whether both engines give the same body text and table rows."""
    pages = range(1, n_pages + 1)
    plumber, pdfium = (read_pdf(path, pages=pages, engine=e) for e in ("pdfplumber", "pdfium"))
    return plumber.text == pdfium.text and \
        [t.rows for t in plumber.tables] == [t.rows for t in pdfium.tables]


def shared_pdfs(shared: Path) -> list[Path]:
    """Every PDF under ``shared/pdfs``, ``.PDF`` too (万科A 2012 is one)."""
    return sorted(path for path in (shared / "pdfs").rglob("*") if path.suffix.lower() == ".pdf")


def _count_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdfium_only(repeat: int, max_pages: int, before: Path | None = None) -> int:
    """Raw pypdfium2 against ``read_pdf(engine="pdfium")`` on every shared PDF with text;
    with ``before`` (the ``src`` folder of another version, e.g. from ``git archive``)
    that version too, interleaved in the same run (both versions then in child
    processes, see :func:`_timed_in_child`)."""
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to benchmark", file=sys.stderr)
        return 1
    rows, before_times = [], []
    for path in shared_pdfs(shared):
        n_pages = min(_count_pages(path), max_pages)
        if raw_pdfium(path, 1) == 0 and ours(path, n_pages, "pdfium") == 0:
            continue  # no text layer (OCR off): nothing to compare
        raw_times, ours_times, old_times = [], [], []
        for _ in range(repeat):  # interleaved; the best of each is kept
            raw_times.append(timed(lambda p=path, n=n_pages: raw_pdfium(p, n)))
            if before is None:
                ours_times.append(timed(lambda p=path, n=n_pages: ours(p, n, "pdfium")))
            else:
                old_times.append(_timed_in_child(path, n_pages, before))
                ours_times.append(_timed_in_child(path, n_pages, None))
        rows.append((path.name, n_pages, min(raw_times), min(ours_times)))
        before_times.append(min(old_times) if old_times else None)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(cpus: {os.cpu_count()})")
    if before is not None:
        _print_before_after(rows, before_times)
        return 0
    print(f"{'file':48} {'pages':>5} {'raw p/s':>8} {'pdfium p/s':>10} {'ratio':>6}")
    for name, pages, raw_s, ours_s in rows:
        print(f"{name[:48]:48} {pages:5d} {pages / raw_s:8.1f} {pages / ours_s:10.1f} "
              f"{ours_s / raw_s:5.1f}x")
    pages = sum(row[1] for row in rows)
    raw_s, ours_s = sum(row[2] for row in rows), sum(row[3] for row in rows)
    print(f"{'TOTAL':48} {pages:5d} {pages / raw_s:8.1f} {pages / ours_s:10.1f} "
          f"{ours_s / raw_s:5.1f}x")
    print("ratio = read_pdf (pdfium engine, the default) time / raw pypdfium2 "
          "get_text_range time on the same pages (issue 16 target: at most 4x)")
    return 0


def _timed_in_child(path: Path, n_pages: int, source: Path | None) -> float:
    """Seconds (on :func:`timed`'s clock) of ``read_pdf`` of ``path``'s first ``n_pages``
    in a child process importing ``nqp_text`` from ``source`` (``None``: the installed
    one), after reading the first page once (imports and caches warm, as in-process)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    command = [sys.executable, __file__, "--time-read", str(path), str(n_pages)]
    if _CLOCK[0] is time.process_time:
        command.append("--cpu")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def _print_before_after(rows: list[tuple[str, int, float, float]],
                        before_times: list[float | None]) -> None:
    print(f"{'file':48} {'pages':>5} {'raw p/s':>8} {'before':>7} {'after':>7}")
    for (name, pages, raw_s, ours_s), old_s in zip(rows, before_times, strict=True):
        assert old_s is not None
        print(f"{name[:48]:48} {pages:5d} {pages / raw_s:8.1f} {old_s / raw_s:6.1f}x "
              f"{ours_s / raw_s:6.1f}x")
    raw_s = sum(row[2] for row in rows)
    old_s = sum(t for t in before_times if t is not None)
    ours_s = sum(row[3] for row in rows)
    print(f"{'TOTAL':48} {sum(row[1] for row in rows):5d} "
          f"{sum(row[1] for row in rows) / raw_s:8.1f} {old_s / raw_s:6.1f}x "
          f"{ours_s / raw_s:6.1f}x")
    print("before/after = read_pdf time (pdfium engine) of each version / raw pypdfium2 "
          "get_text_range time on the same pages, same run (issue 16 target: at most 4x)")


#: The clock of :func:`timed`: wall time, or this process's CPU time with ``--cpu``.
_CLOCK = [time.perf_counter]


def timed(function: Callable[[], object]) -> float:
    clock = _CLOCK[0]
    started = clock()
    function()
    return clock() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--max-pages", type=int, default=30)
    parser.add_argument("--pdfium-only", action="store_true",
                        help="time only raw pypdfium2 and read_pdf with the pdfium engine")
    parser.add_argument("--cpu", action="store_true",
                        help="time this process's CPU (time.process_time) instead of the "
                             "wall clock: robust to other processes on a shared machine")
    parser.add_argument("--before", type=Path, default=None, metavar="SRC",
                        help="with --pdfium-only: also time the nqp_text in SRC (a src "
                             "folder, e.g. from `git archive main src`), interleaved")
    parser.add_argument("--time-read", nargs=2, metavar=("PDF", "PAGES"),
                        help=argparse.SUPPRESS)  # the child of --before
    args = parser.parse_args(argv)
    if args.cpu:
        _CLOCK[0] = time.process_time
    if args.time_read:
        path, n_pages = Path(args.time_read[0]), int(args.time_read[1])
        ours(path, 1, "pdfium")
        print(timed(lambda: ours(path, n_pages, "pdfium")))
        return 0
    if args.pdfium_only:
        return pdfium_only(args.repeat, args.max_pages, args.before)
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to benchmark", file=sys.stderr)
        return 1
    rows = []
    for path in shared_pdfs(shared):
        n_pages = min(_count_pages(path), args.max_pages)
        if baseline(path, 1) == 0 and ours(path, n_pages) == 0:
            continue  # no text layer: nothing to compare
        times: dict[str, list[float]] = {"base": [], "plumber": [], "pdfium": [], "raw": []}
        for _ in range(args.repeat):  # interleaved; the best of each is kept
            times["base"].append(timed(lambda p=path, n=n_pages: baseline(p, n)))
            times["plumber"].append(timed(lambda p=path, n=n_pages: ours(p, n)))
            times["pdfium"].append(timed(lambda p=path, n=n_pages: ours(p, n, "pdfium")))
            times["raw"].append(timed(lambda p=path, n=n_pages: raw_pdfium(p, n)))
        rows.append((path.name, n_pages, min(times["base"]), min(times["plumber"]),
                     min(times["pdfium"]), same_output(path, n_pages), min(times["raw"])))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(cpus: {os.cpu_count()})")
    print(f"{'file':48} {'pages':>5} {'plumber p/s':>11} {'read_pdf p/s':>12} {'ratio':>6} "
          f"{'pdfium p/s':>10} {'ratio':>6} {'same':>5}")
    for name, pages, base, plumber, pdfium, same, _raw in rows:
        print(f"{name[:48]:48} {pages:5d} {pages / base:11.1f} {pages / plumber:12.1f} "
              f"{base / plumber:6.2f} {pages / pdfium:10.1f} {base / pdfium:6.2f} "
              f"{'yes' if same else 'NO':>5}")
    total_pages = sum(row[1] for row in rows)
    base, plumber, pdfium = (sum(row[i] for row in rows) for i in (2, 3, 4))
    print(f"{'TOTAL':48} {total_pages:5d} {total_pages / base:11.1f} "
          f"{total_pages / plumber:12.1f} {base / plumber:6.2f} {total_pages / pdfium:10.1f} "
          f"{base / pdfium:6.2f} {sum(row[5] for row in rows):>3}/{len(rows)}")
    raw = sum(row[6] for row in rows)
    print(f"raw pypdfium2 get_text_range: {total_pages / raw:.1f} pages/s; read_pdf takes "
          f"{plumber / raw:.1f}x its time with the pdfplumber engine, {pdfium / raw:.1f}x "
          f"with the pdfium engine")
    for name, pages, _base, plumber_s, pdfium_s, _same, raw_s in rows:
        print(f"  {name[:48]:48} raw {pages / raw_s:7.1f} p/s  pdfplumber {plumber_s / raw_s:6.1f}x"
              f"  pdfium {pdfium_s / raw_s:6.1f}x")
    print("ratio = read_pdf pages/s / pdfplumber extract_text pages/s (below 1: the cleaning "
          "costs time); same = the pdfium engine's text and tables equal the pdfplumber "
          "engine's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
