"""Run one function over many inputs in killable worker processes with a time limit.

A PDF can make pdfplumber run for minutes or crash the interpreter; a thread
cannot be stopped, a process can. :func:`run_tasks` keeps up to ``workers``
long-lived worker processes, gives each one task at a time, and when a task
exceeds ``timeout`` seconds kills that process; a fresh one starts when there
is more work. A worker that dies (segfault, out-of-memory kill) costs only its
current task. The clock of a task starts when a warmed-up worker receives it,
so interpreter start-up and ``initializer`` imports never count against it.
Results come back in input order as :class:`Outcome` values; a bad input never
raises.

Workers are fresh interpreters (``python -m nqp_text.io._pool``, talking over
two pipes) on POSIX: unlike ``multiprocessing``'s spawn and forkserver they
never re-import the caller's ``__main__``, so they work from an unguarded
script, ``python - <<EOF``, a notebook or a daemon process, and unlike fork
they are safe when the caller has threads. Elsewhere ``multiprocessing``
``spawn`` is used (there a calling script needs ``if __name__ == "__main__":``).
With ``workers=1``, ``timeout=None`` and no ``memory_limit`` the tasks run in
this process (no isolation, no start-up cost), which is what debugging wants.

``memory_limit`` (bytes) caps each worker's address space (``RLIMIT_AS``, POSIX):
a file that would inflate to gigabytes (a zip bomb, a 1 GiB PDF stream) makes
its reader fail with ``MemoryError`` or kills only that worker, instead of
taking the machine's memory. The time limit alone does not bound memory.

Example:
    >>> outcomes = run_tasks(len, ["ab", "c"], workers=1, timeout=None)
    >>> [o.value for o in outcomes]
    [2, 1]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from nqp_text.errors import OptionError

__all__ = ["Outcome", "run_tasks", "default_memory_limit", "memory_limit_reason"]

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
              initializer: Callable[[], None] | None = None,
              memory_limit: int | None = None) -> list[Outcome]:
    """Apply ``func`` (a picklable module-level function) to every task.

    Returns one :class:`Outcome` per task, in task order; ``on_done(index, outcome)``
    is called as each task finishes (for a progress bar). ``initializer`` runs
    once in each worker before its first task (for example, to import heavy
    libraries). ``memory_limit`` caps each worker's address space in bytes
    (``None``: no cap). ``RuntimeError`` when a worker process cannot start at all.
    """
    if workers < 1:
        raise OptionError(f"workers must be >= 1; got {workers}")
    if timeout is not None and timeout <= 0:
        raise OptionError(f"timeout must be > 0 seconds or None; got {timeout}")
    if memory_limit is not None and memory_limit <= 0:
        raise OptionError(f"memory_limit must be > 0 bytes or None; got {memory_limit}")
    if not tasks:
        return []
    if workers == 1 and timeout is None and memory_limit is None:
        return _run_inline(func, tasks, on_done)
    return _Pool(func, min(workers, len(tasks)), timeout, initializer,
                 memory_limit).run(tasks, on_done)


def default_memory_limit() -> int | None:
    """Each reader worker's default address-space cap: half the machine's RAM, at most 4 GiB.

    Measured: reading the 296-page annual report, or a provincial work report as
    .docx, peaks at about 150 MB of address space, so 4 GiB leaves ample room while
    two workers can never take the whole of a 16 GiB machine. ``None`` where the
    platform cannot set ``RLIMIT_AS``.

    Example:
        >>> limit = default_memory_limit()
        >>> limit is None or 512 * 2**20 <= limit <= 4 * 2**30
        True
    """
    try:
        import resource  # noqa: F401

        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ImportError, ValueError, OSError, AttributeError):
        return None
    return max(512 * 2**20, min(4 * 2**30, total // 2))


def memory_limit_reason() -> str:
    """The message of a reader that hit this process's address-space cap.

    Example:
        >>> memory_limit_reason().startswith("memory limit")
        True
    """
    limit = _current_memory_limit()
    size = f"{limit / 2**20:,.0f} MiB" if limit else "the process's"
    return (f"memory limit reached ({size}; the file would need more memory to read; "
            "raise it with memory_limit / --memory-limit MB)")


def _current_memory_limit() -> int | None:
    try:
        import resource
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft in (resource.RLIM_INFINITY, -1) else soft


def _limit_memory(limit: int | None) -> None:
    """Cap this (worker) process's address space at ``limit`` bytes."""
    if not limit:
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard not in (resource.RLIM_INFINITY, -1):
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


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


def _serve(receive: Connection, send: Connection, func: Callable[[Any], Any],
           initializer: Callable[[], None] | None) -> None:
    """The worker loop: handshake, then one reply per task until told to stop."""
    try:
        if initializer is not None:
            initializer()
    except Exception as exc:
        send.send((None, False, f"worker initializer failed: {_describe(exc)}"))
        return
    send.send((None, True, _READY))
    while True:
        try:
            message = receive.recv()
        except EOFError:
            return
        if message is None:
            return
        index, task = message
        try:
            reply = (index, True, func(task))
        except MemoryError:
            reply = (index, False, memory_limit_reason())
        except Exception as exc:
            reply = (index, False, _describe(exc))
        try:
            send.send(reply)
        except Exception as exc:  # an unpicklable or oversized result
            send.send((index, False, f"could not return the result: {_describe(exc)}"))


def _spawn_main(conn: Connection, func: Callable[[Any], Any],
                initializer: Callable[[], None] | None, memory_limit: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    _limit_memory(memory_limit)
    _serve(conn, conn, func, initializer)


def _subprocess_main(argv: list[str]) -> None:
    """Entry point of ``python -m nqp_text.io._pool READ_FD WRITE_FD [MEMORY_LIMIT]``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(int(argv[2]) if len(argv) > 2 else None)
    from nqp_text._parent_watch import watch_parent

    watch_parent(os.getppid())  # a reader busy with a file ends with its parent
    receive = Connection(int(argv[0]), writable=False)
    send = Connection(int(argv[1]), readable=False)
    sys.path[:] = receive.recv()  # the caller's path, before unpickling its function
    func, initializer = receive.recv()
    _serve(receive, send, func, initializer)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _SubprocessHandle:
    """A worker interpreter started with ``subprocess`` and two pipes (POSIX)."""

    def __init__(self, func: Callable[[Any], Any], initializer: Callable[[], None] | None,
                 memory_limit: int | None) -> None:
        task_read, task_write = os.pipe()
        reply_read, reply_write = os.pipe()
        # the caller's import path, so the worker finds this package however it was found
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nqp_text.io._pool", str(task_read), str(reply_write),
                 *([str(memory_limit)] if memory_limit else [])],
                pass_fds=(task_read, reply_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, env=env,
            )
        finally:
            os.close(task_read)
            os.close(reply_write)
        self.send_conn = Connection(task_write, readable=False)
        self.conn = Connection(reply_read, writable=False)
        self.send_conn.send(list(sys.path))
        self.send_conn.send((func, initializer))

    def waitables(self) -> list[Any]:
        return [self.conn]  # end of file when the process dies

    def send(self, message: Any) -> None:
        self.send_conn.send(message)

    def exitcode(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(_STOP_GRACE)
        return self.process.returncode

    def stop(self, grace: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.send_conn.close()
        self.conn.close()


class _SpawnHandle:
    """A ``multiprocessing`` spawn worker (platforms without ``pass_fds``)."""

    def __init__(self, func: Callable[[Any], Any], initializer: Callable[[], None] | None,
                 memory_limit: int | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(target=_spawn_main, daemon=True,
                                       args=(child_conn, func, initializer, memory_limit))
        self.process.start()
        child_conn.close()

    def waitables(self) -> list[Any]:
        return [self.conn, self.process.sentinel]

    def send(self, message: Any) -> None:
        self.conn.send(message)

    def exitcode(self) -> int | None:
        self.process.join(_STOP_GRACE)
        return self.process.exitcode

    def stop(self, grace: float) -> None:
        self.process.join(grace)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


_Handle = _SubprocessHandle if os.name == "posix" and sys.executable else _SpawnHandle


@dataclass
class _Worker:
    handle: Any
    ready: bool = False
    index: int | None = None
    started: float = 0.0


class _Pool:
    def __init__(self, func: Callable[[Any], Any], size: int, timeout: float | None,
                 initializer: Callable[[], None] | None, memory_limit: int | None) -> None:
        self.func = func
        self.size = size
        self.timeout = timeout
        self.initializer = initializer
        self.memory_limit = memory_limit
        self.workers: list[_Worker] = []

    def run(self, tasks: Sequence[Any],
            on_done: Callable[[int, Outcome], None] | None) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(tasks)
        pending = deque(range(len(tasks)))
        try:
            while pending or any(w.index is not None for w in self.workers):
                self._dispatch(tasks, pending)
                waiting = [w for w in self.workers if w.index is not None or not w.ready]
                ready = set(wait([obj for w in waiting for obj in w.handle.waitables()],
                                 timeout=self._next_deadline()))
                for worker in waiting:
                    if ready.intersection(worker.handle.waitables()):
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
                    worker.handle.send((index, tasks[index]))
                except OSError:  # the idle worker died; the task waits for another
                    pending.appendleft(index)
                    self._retire(worker)
                    continue
                worker.index, worker.started = index, time.monotonic()
        idle = sum(1 for w in self.workers if w.index is None)
        while len(pending) > idle and len(self.workers) < self.size:
            self.workers.append(_Worker(_Handle(self.func, self.initializer,
                                                self.memory_limit)))
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
            if worker.handle.conn.poll():
                index, ok, payload = worker.handle.conn.recv()
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
        code = worker.handle.exitcode()
        reason = (f"killed by signal {-code}" if code is not None and code < 0
                  else f"exit code {code}")
        if worker.index is None:
            self._retire(worker)
            raise RuntimeError(f"a reader worker process failed to start ({reason})")
        cause = ("the file may crash the parsing library" if not self.memory_limit else
                 "the file may crash the parsing library or need more than the memory limit "
                 f"of {self.memory_limit / 2**20:,.0f} MiB")
        self._finish(worker, Outcome(False, error=f"the reader process died ({reason}); {cause}"),
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

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker``'s process and free its slot (a new one starts when needed)."""
        worker.handle.stop(0.0)
        self.workers.remove(worker)

    def _shutdown(self) -> None:
        for worker in self.workers:
            if worker.index is None:
                with contextlib.suppress(OSError, ValueError):
                    worker.handle.send(None)
        deadline = time.monotonic() + _STOP_GRACE
        for worker in self.workers:
            grace = max(0.0, deadline - time.monotonic()) if worker.index is None else 0.0
            worker.handle.stop(grace)
        self.workers.clear()


if __name__ == "__main__":
    _subprocess_main(sys.argv[1:])
