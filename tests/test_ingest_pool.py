"""The killable worker pool behind read_corpus: time limits, crashes, order."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nqp_text.io._pool import run_tasks


def _work(task: tuple[str, float]) -> str:
    """Module-level (so spawn workers can import it): behave as the task says."""
    kind, seconds = task
    if kind == "sleep":
        time.sleep(seconds)
    elif kind == "raise":
        raise ValueError("bad input")
    elif kind == "exit":
        os._exit(3)
    return f"{kind}-done"


def test_a_task_over_the_time_limit_is_killed_and_the_rest_finish() -> None:
    tasks = [("ok", 0), ("sleep", 60), ("ok", 0), ("raise", 0), ("ok", 0)]
    done: list[int] = []
    started = time.monotonic()
    outcomes = run_tasks(_work, tasks, workers=2, timeout=3,
                         on_done=lambda index, _outcome: done.append(index))
    assert time.monotonic() - started < 50  # the 60 s sleeper was stopped, not awaited
    assert [o.ok for o in outcomes] == [True, False, True, False, True]
    assert [o.value for o in outcomes if o.ok] == ["ok-done"] * 3
    assert outcomes[1].error == "timed out after 3 s; the reader was stopped"
    assert outcomes[3].error == "ValueError: bad input"
    assert sorted(done) == [0, 1, 2, 3, 4]


def test_one_worker_still_enforces_the_limit() -> None:
    outcomes = run_tasks(_work, [("sleep", 60), ("ok", 0)], workers=1, timeout=2)
    assert [o.ok for o in outcomes] == [False, True]
    assert "timed out" in (outcomes[0].error or "")


def test_a_dying_worker_costs_only_its_task() -> None:
    outcomes = run_tasks(_work, [("exit", 0), ("ok", 0), ("exit", 0), ("ok", 0)],
                         workers=1, timeout=30)
    assert [o.ok for o in outcomes] == [False, True, False, True]
    assert outcomes[0].error.startswith("the reader process died (exit code 3)")


def test_inline_mode_runs_in_this_process() -> None:
    outcomes = run_tasks(lambda task: os.getpid(), [1, 2], workers=1, timeout=None)
    assert [o.value for o in outcomes] == [os.getpid(), os.getpid()]


@pytest.mark.parametrize("workers,timeout", [(0, None), (1, 0), (2, -1)])
def test_bad_settings(workers: int, timeout: float | None) -> None:
    with pytest.raises(ValueError):
        run_tasks(_work, [("ok", 0)], workers=workers, timeout=timeout)


def test_works_from_a_script_on_stdin(tmp_path: Path) -> None:
    """multiprocessing's spawn cannot start workers from `python - <<EOF`; ours can."""
    (tmp_path / "2024_a.txt").write_text("数据要素。", encoding="utf-8")
    script = ("import nqp_text\n"
              f"c = nqp_text.read_corpus({str(tmp_path)!r}, workers=2, timeout=60)\n"
              "print(c.status_counts()['ok'], c.passages['text'].tolist())\n")
    result = subprocess.run([sys.executable, "-"], input=script, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 ['数据要素。']"
