"""``nqp-text run --scheduler tcp://…`` against a real Dask cluster (issue 16).

The test starts ``dask scheduler`` and two ``dask worker`` processes on
127.0.0.1 with the command-line entry points of ``distributed`` (as a user
would on a cluster), runs the pipeline through the ``nqp-text`` command on a
small corpus and checks that every output is byte-identical to the in-process
run; then runs again into a fresh folder and kills one worker while it is
processing a task, and checks that the run still completes identically on the
remaining worker. Every process it starts is killed in a ``finally``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _pipeline_corpus import digests, write_corpus, write_gov_subset

distributed = pytest.importorskip("distributed")

_BIN = Path(sys.executable).parent


def _command(name: str, module: str) -> list[str]:
    """The console script ``name`` beside this interpreter, else ``python -m module``
    (the same entry point, for installs whose scripts are elsewhere)."""
    script = _BIN / name
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


_DASK = _command("dask", "dask")
_NQP_TEXT = _command("nqp-text", "nqp_text.cli")
_DEADLINE = 240.0  # seconds any one run may take before the test gives up


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen[bytes]]]]:
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        processes["scheduler"] = _start(
            [*_DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
             "--no-dashboard"], tmp_path / "scheduler.log")
        for name in ("w1", "w2"):
            processes[name] = _start(
                [*_DASK, "worker", address, "--name", name, "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60",
                 "--local-directory", str(tmp_path / name)], tmp_path / f"{name}.log")
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, processes
    finally:
        for process in processes.values():
            _kill(process)


def _run(inputs: list[Path], out: Path, *options: str) -> subprocess.Popen[bytes]:
    command = [*_NQP_TEXT, "run", *map(str, inputs), "--out", str(out),
               "--quiet", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes]) -> str:
    try:
        stdout, stderr = process.communicate(timeout=_DEADLINE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
    return stdout.decode()


def _kill_while_busy(address: str, worker: subprocess.Popen[bytes], run: subprocess.Popen[bytes],
                     name: str) -> bool:
    """SIGKILL ``worker`` as soon as the scheduler shows it processing a task of ``run``."""
    with distributed.Client(address, timeout=60) as client:
        started = time.monotonic()
        while run.poll() is None and time.monotonic() - started < _DEADLINE:
            processing = client.processing()
            workers = client.scheduler_info()["workers"]  # one snapshot: workers may leave
            busy = {workers[w].get("name"): tasks
                    for w, tasks in processing.items() if w in workers}
            if busy.get(name):
                _kill(worker)
                return True
            time.sleep(0.05)
    return False


@pytest.mark.slow
def test_run_on_a_real_cluster_is_identical_and_survives_a_lost_worker(
        cluster: tuple[str, dict[str, subprocess.Popen[bytes]]], shared: Path,
        tmp_path: Path) -> None:
    address, processes = cluster
    inputs = [write_corpus(tmp_path / "corpus"), write_gov_subset(shared, tmp_path / "gov", n=3)]
    _finish(_run(inputs, tmp_path / "local" / "results", "--workers", "1"))
    expected = digests(tmp_path / "local" / "results")
    assert {"documents.parquet", "tokens.parquet", "labels.parquet", "report.html"} <= set(expected)

    summary = _finish(_run(inputs, tmp_path / "cluster" / "results", "--scheduler", address))
    assert summary.startswith("run: ")
    _assert_same(digests(tmp_path / "cluster" / "results"), expected)

    run = _run(inputs, tmp_path / "lost" / "results", "--scheduler", address)
    try:
        killed = _kill_while_busy(address, processes["w1"], run, "w1")
        _finish(run)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=30)
    assert killed, "the run ended before worker w1 was seen processing a task"
    assert processes["w1"].poll() is not None
    assert processes["w2"].poll() is None, (tmp_path / "w2.log").read_text()[-3000:]
    _assert_same(digests(tmp_path / "lost" / "results"), expected)


def _assert_same(found: dict[str, str], expected: dict[str, str]) -> None:
    differing = sorted(name for name in found.keys() | expected.keys()
                       if found.get(name) != expected.get(name))
    assert not differing, f"outputs differing from the in-process run: {differing}"
