"""A run killed with SIGKILL mid-stage resumes to outputs identical to an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _pipeline_corpus import digests, write_corpus, write_gov_subset
from nqp_text._atomic import TEMP_PREFIX
from nqp_text.pipeline import run_pipeline


def _command(inputs: list[Path], out: Path) -> list[str]:
    return [sys.executable, "-m", "nqp_text.cli", "run", *map(str, inputs), "--out", str(out),
            "--workers", "2", "--quiet"]


def _kill_when(process: subprocess.Popen, ready: callable, limit: float = 120.0) -> bool:
    """SIGKILL the run's whole process group as soon as ``ready()``; False if it ended first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the run reached neither the kill point nor its end in time")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_sigkill_mid_segment_then_rerun_gives_identical_outputs(shared: Path,
                                                                tmp_path: Path) -> None:
    inputs = [write_corpus(tmp_path / "corpus"), write_gov_subset(shared, tmp_path / "gov", 24)]
    reference = tmp_path / "reference" / "results"  # same folder name: the report shows it
    run_pipeline(inputs, reference, progress=False)

    out = tmp_path / "killed" / "results"
    tokens_entries = out / ".cache" / "tokens"
    process = subprocess.Popen(_command(inputs, out), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = _kill_when(process, lambda: tokens_entries.exists()
                        and any(tokens_entries.rglob("*.parquet")))
    assert killed, process.stderr.read().decode()
    assert process.returncode == -signal.SIGKILL
    assert not (out / "tokens.parquet").exists()
    done = len(list(tokens_entries.rglob("*.parquet")))
    assert 0 < done < 31, f"killed after {done} of 31 documents: not mid-stage"
    # what a kill during a write leaves behind: a temporary beside the entries
    (tokens_entries / f"{TEMP_PREFIX}half-written.parquet").write_bytes(b"PAR1")

    finished = subprocess.run(_command(inputs, out), capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert digests(out) == digests(reference)
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]
