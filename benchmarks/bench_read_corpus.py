"""What the per-file isolation of ``read_corpus`` costs, and what parallel workers gain.

Baseline: ``read_corpus(..., workers=1, timeout=None)``, everything in this process.
Compared, in the same run and on the same inputs: one killable worker process with
a time limit (the default), and two workers. Inputs: the shared PDFs except the two
largest (to keep a run near a minute), and the government work reports JSONL.
Prints seconds (best of ``--repeat``) and the ratio to the baseline.

Example:
    $ python benchmarks/bench_read_corpus.py --repeat 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from nqp_text import read_corpus
from nqp_text._shared import shared_dir

_SKIP = {"annual_report_pingan_bank_2024.pdf", "civil_code_prc_2020.pdf"}
_SETTINGS = [("in-process (baseline)", 1, None), ("1 worker, timeout", 1, 600.0),
             ("2 workers, timeout", 2, 600.0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to measure", file=sys.stderr)
        return 1
    pdfs = sorted(str(p) for p in (shared / "pdfs").glob("*.pdf") if p.name not in _SKIP)
    jsonl = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    inputs = {f"{len(pdfs)} shared PDFs": ({"paths": pdfs}),
              "gov reports JSONL (72 records)": {"paths": [str(jsonl)], "text_field": "content"}}
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for label, options in inputs.items():
        baseline = None
        for name, workers, timeout in _SETTINGS:
            best = min(_time(options, workers, timeout) for _ in range(args.repeat))
            baseline = baseline or best
            print(f"{label:32s} {name:24s} {best:7.2f} s  x{best / baseline:.2f}")
    return 0


def _time(options: dict[str, object], workers: int, timeout: float | None) -> float:
    started = time.perf_counter()
    corpus = read_corpus(workers=workers, timeout=timeout, **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert corpus.status_counts()["failed"] == 0, corpus.documents[["path", "error"]]
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
