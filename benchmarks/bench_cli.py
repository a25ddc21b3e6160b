"""Start-up time of ``nqp-text --help`` and of an argument error, against ``python -c pass``.

In one run it times, as fresh processes (the cost a user waits for at the prompt):

* baseline: ``python -c pass`` (the interpreter alone);
* ``nqp-text --help`` (``python -m nqp_text.cli --help``);
* ``nqp-text run`` with no input (an argument error, exit code 2);
* ``import pandas`` (what the parser used to import, for scale);

and prints the best time of each and its ratio to the baseline (issue 16 target:
``--help`` at most 10x). Each is repeated (``--repeat``) and the best run kept,
because the machine may be shared.

Usage:
    python benchmarks/bench_cli.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

_CASES = [
    ("python -c pass", [sys.executable, "-c", "pass"], 0),
    ("nqp-text --help", [sys.executable, "-m", "nqp_text.cli", "--help"], 0),
    ("nqp-text run (argument error)", [sys.executable, "-m", "nqp_text.cli", "run"], 2),
    ("python -c 'import pandas'", [sys.executable, "-c", "import pandas"], 0),
]


def _best(command: list[str], expected: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
        if done.returncode != expected:
            raise SystemExit(f"{command} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; best of {args.repeat}")
    times = {name: _best(command, code, args.repeat) for name, command, code in _CASES}
    baseline = times[_CASES[0][0]]
    for name, seconds in times.items():
        print(f"{name:32s} {seconds * 1000:7.1f} ms  {seconds / baseline:5.1f}x python -c pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
