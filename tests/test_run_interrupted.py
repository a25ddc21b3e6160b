"""Ctrl-C during `nqp-text run` over the folder of an earlier run: the folder must not look
like a finished run (its tables are then partly the earlier run's)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nqp_text.pipeline import run_pipeline

_TEXT = "加快发展数字经济，培育数据要素市场。\n\n推动人工智能与实体经济深度融合，发展新质生产力。\n"
_OTHER = "建设高水平人才队伍，培养大国工匠和高技能人才。\n"


@pytest.mark.slow
def test_an_interrupted_run_leaves_no_manifest_of_an_earlier_run(tmp_path: Path) -> None:
    """Ctrl-C mid-run left the earlier run's manifest.json (ok 2) beside this run's tables."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "2023_报告.txt").write_text(_TEXT, encoding="utf-8")
    (first / "2024_其他.txt").write_text(_OTHER, encoding="utf-8")
    (second / "2025_新.txt").write_text(_OTHER + _TEXT, encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline([first], out, progress=False, k=7)
    assert (out / "manifest.json").exists()
    process = subprocess.Popen(
        [sys.executable, "-m", "nqp_text.cli", "run", str(second), "--out", str(out), "--quiet",
         "--k", "7"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while process.poll() is None and (out / "manifest.json").exists() \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "the run did not finish" in err and "has no manifest.json" in err
    assert not (out / "manifest.json").exists()
