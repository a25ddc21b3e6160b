"""The executor interface: ordered results, captured failures, the same answers everywhere."""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
import time

import pytest

from nqp_text.pipeline.executors import (
    InProcessExecutor,
    Outcome,
    ProcessPoolExecutor,
    make_executor,
    run_captured,
)


def _slow_square(n: int) -> int:
    """Later items finish first, so ordering must come from the executor, not the workers."""
    time.sleep(0.02 * (5 - n % 5))
    if n == 7:
        raise ValueError(f"document {n} is broken")
    return n * n


def _die_on_three(n: int) -> int:
    if n == 3:
        os._exit(1)  # the worker process dies as a segfaulting parser would
    return n


def _expected(items: list[int]) -> list[tuple[int | None, str | None]]:
    return [(None, f"ValueError: document {n} is broken") if n == 7 else (n * n, None)
            for n in items]


def test_run_captured_turns_an_exception_into_an_outcome() -> None:
    ok = run_captured(math.sqrt, 9.0)
    bad = run_captured(math.sqrt, -1.0)
    assert ok == Outcome(9.0, 3.0) and ok.ok
    assert not bad.ok and bad.error == "ValueError: math domain error"
    assert "Traceback" in (bad.detail or "")


def test_in_process_executor_keeps_order_and_goes_on_after_a_failure() -> None:
    items = list(range(12))
    with make_executor(workers=1) as executor:
        assert isinstance(executor, InProcessExecutor)
        outcomes = list(executor.map(_slow_square, items))
    assert [(o.value, o.error) for o in outcomes] == _expected(items)
    assert [o.item for o in outcomes] == items


def test_process_pool_gives_the_in_process_answers_in_order() -> None:
    items = list(range(12))
    with make_executor(workers=2) as executor:
        assert isinstance(executor, ProcessPoolExecutor)
        assert executor.describe()["start_method"] in {"forkserver", "spawn"}
        outcomes = list(executor.map(_slow_square, items))
    assert [(o.value, o.error) for o in outcomes] == _expected(items)


def test_process_pool_survives_a_worker_that_dies() -> None:
    with ProcessPoolExecutor(2, window=2) as executor:
        outcomes = list(executor.map(_die_on_three, range(6)))
    assert [o.item for o in outcomes] == list(range(6))
    assert [o.value for o in outcomes if o.item != 3] == [0, 1, 2, 4, 5]
    dead = outcomes[3]
    assert not dead.ok and dead.error.startswith("worker lost: BrokenProcessPool")


def test_a_task_cancelled_by_another_tasks_restart_runs_again() -> None:
    """A pool restart for a dying task shuts the old pool down with
    ``cancel_futures=True``, which cancels the tasks still queued there; such a task
    is not lost (it was reported "worker lost" before), it runs in the new pool."""
    cancelled: cf.Future[Outcome] = cf.Future()
    cancelled.cancel()
    with ProcessPoolExecutor(1) as executor:
        outcome = executor._collect(_die_on_three, 4, cancelled)
        dead = executor._collect(_die_on_three, 3, cancelled)
    assert outcome.ok and outcome.value == 4
    assert not dead.ok and dead.error.startswith("worker lost: BrokenProcessPool")


def test_local_cluster_gives_the_in_process_answers_in_order() -> None:
    pytest.importorskip("distributed")
    items = list(range(12))
    with make_executor(workers=2, scheduler="local-cluster") as executor:
        assert executor.describe() == {"kind": "dask", "workers": 2,
                                       "scheduler": "local-cluster"}
        outcomes = list(executor.map(_slow_square, items))
    assert [(o.value, o.error) for o in outcomes] == _expected(items)
