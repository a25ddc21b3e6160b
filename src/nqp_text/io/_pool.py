"""Run one function over many inputs in killable worker processes with a time limit.

A PDF can make pdfplumber run for minutes or crash the interpreter; a thread
cannot be stopped, a process can. :func:`run_tasks` keeps up to ``workers``
long-lived ``spawn`` processes (safe with threads in the parent, and the same on
Linux, macOS and Windows), gives each one task at a time, and when a task
exceeds ``timeout`` seconds kills that process; a fresh one starts when there
is more work. A worker that dies (segfault, out-of-memory kill) costs only its
current task. The clock of a task starts when a warmed-up worker receives it,
so interpreter start-up and ``initializer`` imports never count against it.
Results come back in input order as :class:`Outcome` values; a bad input never
raises.

With ``workers=1`` and ``timeout=None`` the tasks run in this process (no
isolation, no start-up cost), which is what debugging wants. As with any
``spawn``-based multiprocessing, a script that calls this must guard its entry
point with ``if __name__ == "__main__":``.

Example:
    >>> outcomes = run_tasks(len, ["ab", "c"], workers=1, timeout=None)
    >>> [o.value for o in outcomes]
    [2, 1]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["Outcome", "run_tasks"]

_STOP_GRACE = 2.0
_READY = "ready"


@dataclass
class Outcome:
    """What happened to one task: ``ok`` with a ``value``, else an ``error`` message."""

    ok: bool
    value: Any = None
    error: str | None = None


def run_tasks(func: Callable[[Any], Any], tasks: Sequence[Any], *, workers: int = 1,
              timeout: float | None = None,
              on_done: Callable[[int, Outcome], None] | None = None,
              initializer: Callable[[], None] | None = None) -> list[Outcome]:
    """Apply ``func`` (a picklable module-level function) to every task.

    Returns one :class:`Outcome` per task, in task order; ``on_done(index, outcome)``
    is called as each task finishes (for a progress bar). ``initializer`` runs
    once in each worker before its first task (for example, to import heavy
    libraries). ``RuntimeError`` when a worker process cannot start at all.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1; got {workers}")
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds or None; got {timeout}")
    if not tasks:
        return []
    if workers == 1 and timeout is None:
        return _run_inline(func, tasks, on_done)
    return _Pool(func, min(workers, len(tasks)), timeout, initializer).run(tasks, on_done)


def _run_inline(func: Callable[[Any], Any], tasks: Sequence[Any],
                on_done: Callable[[int, Outcome], None] | None) -> list[Outcome]:
    outcomes = []
    for index, task in enumerate(tasks):
        try:
            outcome = Outcome(True, func(task))
        except Exception as exc:
            outcome = Outcome(False, error=_describe(exc))
        outcomes.append(outcome)
        if on_done:
            on_done(index, outcome)
    return outcomes


def _worker_main(conn: Connection, func: Callable[[Any], Any],
                 initializer: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    try:
        if initializer is not None:
            initializer()
    except Exception as exc:
        conn.send((None, False, f"worker initializer failed: {_describe(exc)}"))
        return
    conn.send((None, True, _READY))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, task = message
        try:
            reply = (index, True, func(task))
        except Exception as exc:
            reply = (index, False, _describe(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable or oversized result
            conn.send((index, False, f"could not return the result: {_describe(exc)}"))


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    index: int | None = None
    started: float = 0.0


class _Pool:
    def __init__(self, func: Callable[[Any], Any], size: int, timeout: float | None,
                 initializer: Callable[[], None] | None) -> None:
        self.func = func
        self.size = size
        self.timeout = timeout
        self.initializer = initializer
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []

    def run(self, tasks: Sequence[Any],
            on_done: Callable[[int, Outcome], None] | None) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(tasks)
        pending = deque(range(len(tasks)))
        try:
            while pending or any(w.index is not None for w in self.workers):
                self._dispatch(tasks, pending)
                waiting = [w for w in self.workers if w.index is not None or not w.ready]
                ready = wait([w.conn for w in waiting] + [w.process.sentinel for w in waiting],
                             timeout=self._next_deadline())
                for worker in waiting:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._receive(worker, outcomes, on_done)
                    elif self._overdue(worker):
                        self._finish(worker, Outcome(False, error=(
                            f"timed out after {self.timeout:g} s; the reader was stopped")),
                            outcomes, on_done)
                        self._retire(worker)
        finally:
            self._shutdown()
        return [outcome for outcome in outcomes if outcome is not None]

    def _dispatch(self, tasks: Sequence[Any], pending: deque[int]) -> None:
        for worker in list(self.workers):
            if worker.ready and worker.index is None and pending:
                index = pending.popleft()
                try:
                    worker.conn.send((index, tasks[index]))
                except OSError:  # the idle worker died; the task waits for another
                    pending.appendleft(index)
                    self._retire(worker)
                    continue
                worker.index, worker.started = index, time.monotonic()
        idle = sum(1 for w in self.workers if w.index is None)
        while len(pending) > idle and len(self.workers) < self.size:
            self._start()
            idle += 1

    def _next_deadline(self) -> float | None:
        running = [w.started for w in self.workers if w.index is not None]
        if self.timeout is None or not running:
            return None
        return max(0.0, min(running) + self.timeout - time.monotonic()) + 0.01

    def _overdue(self, worker: _Worker) -> bool:
        return (self.timeout is not None and worker.index is not None
                and time.monotonic() - worker.started > self.timeout)

    def _receive(self, worker: _Worker, outcomes: list[Outcome | None],
                 on_done: Callable[[int, Outcome], None] | None) -> None:
        try:
            if worker.conn.poll():
                index, ok, payload = worker.conn.recv()
                if index is None:  # the start-up handshake
                    if not ok:
                        raise RuntimeError(payload)
                    worker.ready = True
                    return
                outcome = Outcome(True, payload) if ok else Outcome(False, error=payload)
                self._finish(worker, outcome, outcomes, on_done)
                return
        except (EOFError, OSError):
            pass
        worker.process.join(_STOP_GRACE)
        code = worker.process.exitcode
        reason = (f"killed by signal {-code}" if code is not None and code < 0
                  else f"exit code {code}")
        if worker.index is None:
            raise RuntimeError(f"a reader worker process failed to start ({reason})")
        self._finish(worker, Outcome(False, error=f"the reader process died ({reason}); the "
                                                  "file may crash the parsing library"),
                     outcomes, on_done)
        self._retire(worker)

    @staticmethod
    def _finish(worker: _Worker, outcome: Outcome, outcomes: list[Outcome | None],
                on_done: Callable[[int, Outcome], None] | None) -> None:
        assert worker.index is not None
        outcomes[worker.index] = outcome
        index, worker.index = worker.index, None
        if on_done:
            on_done(index, outcome)

    def _start(self) -> None:
        parent_conn, child_conn = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_worker_main, daemon=True,
                                       args=(child_conn, self.func, self.initializer))
        process.start()
        child_conn.close()
        self.workers.append(_Worker(process, parent_conn))

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker``'s process and free its slot (a new one starts when needed)."""
        _kill(worker.process)
        worker.conn.close()
        self.workers.remove(worker)

    def _shutdown(self) -> None:
        for worker in self.workers:
            if worker.index is None:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        deadline = time.monotonic() + _STOP_GRACE
        for worker in self.workers:
            if worker.index is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            _kill(worker.process)
            worker.conn.close()
        self.workers.clear()


def _kill(process: Any) -> None:
    if process.is_alive():
        process.kill()
    process.join()
