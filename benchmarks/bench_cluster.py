"""``nqp-text run --scheduler tcp://…`` on a real Dask cluster with 1 and 2 workers.

Starts, on 127.0.0.1, a ``dask scheduler`` and single-threaded ``dask worker``
processes (the command-line entry points of ``distributed``), and times, each
as a fresh child ``nqp-text run`` with a fresh output folder (cold cache), on
the first ``--reports`` government work reports of ``../shared``:

1. ``--workers 1`` in-process (the baseline);
2. ``--scheduler`` with 1 worker;
3. ``--scheduler`` with 2 workers (a second worker joins the same scheduler).

It prints wall time, the ratio to the baseline, the machine load, and whether
the outputs are byte-identical to the baseline (all files except
``manifest.json`` and the cache). On a 2-core machine shared with other jobs
the speed-up can only be read next to the load it prints.

Usage:
    python benchmarks/bench_cluster.py [--reports 16]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nqp_text._shared import shared_dir

_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _digests(out: Path) -> dict[str, str]:
    return {str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*"))
            if path.is_file() and ".cache" not in path.relative_to(out).parts
            and path.name != "manifest.json"}


def _subset(target: Path, n: int) -> tuple[Path, int]:
    source = shared_dir() / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    chosen = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            if json.loads(line).get("year"):
                chosen.append(line.rstrip("\n"))
            if len(chosen) == n:
                break
    path = target / "gov.jsonl"
    path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    chars = sum(len(json.loads(line).get("content") or json.loads(line).get("text") or "")
                for line in chosen)
    return path, chars


def _run(inputs: Path, out: Path, *options: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(_BIN / "nqp-text"), "run", str(inputs), "--out", str(out), "--quiet",
                    *options], check=True, capture_output=True)
    return time.perf_counter() - start


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _wait_for(address: str, n: int) -> None:
    import distributed

    with distributed.Client(address, timeout=60) as client:
        client.wait_for_workers(n, timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=16)
    args = parser.parse_args()
    if shared_dir() is None:
        print("../shared is absent (set NQP_TEXT_SHARED); nothing to measure")
        return 0
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="nqp-cluster-") as temporary:
        work = Path(temporary)
        inputs, chars = _subset(work, args.reports)
        address = f"tcp://127.0.0.1:{_free_port()}"
        dask = str(_BIN / "dask")
        try:
            processes.append(_start([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                     address.rsplit(":", 1)[1], "--no-dashboard"],
                                    work / "scheduler.log"))

            def add_worker(name: str) -> None:
                processes.append(_start([dask, "worker", address, "--name", name,
                                         "--nthreads", "1", "--no-dashboard", "--host",
                                         "127.0.0.1", "--local-directory", str(work / name)],
                                        work / f"{name}.log"))

            add_worker("w1")
            _wait_for(address, 1)
            load = os.getloadavg()[0]
            times = {"in-process, --workers 1": _run(inputs, work / "local", "--workers", "1")}
            times["cluster, 1 worker"] = _run(inputs, work / "one", "--scheduler", address)
            add_worker("w2")
            _wait_for(address, 2)
            times["cluster, 2 workers"] = _run(inputs, work / "two", "--scheduler", address)
            after = os.getloadavg()[0]
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        expected = _digests(work / "local")
        same = {"one": _digests(work / "one") == expected,
                "two": _digests(work / "two") == expected}
    base = times["in-process, --workers 1"]
    print(f"{args.reports} government work reports, {chars:,} characters; "
          f"load average {load:.2f} before, {after:.2f} after, on {os.cpu_count()} CPUs")
    for name, seconds in times.items():
        print(f"  {name:<26} {seconds:7.1f} s  {base / seconds:5.2f}x the in-process speed  "
              f"{chars / seconds / 1e3:6.1f} k chars/s")
    print(f"outputs byte-identical to in-process: 1 worker {same['one']}, "
          f"2 workers {same['two']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
