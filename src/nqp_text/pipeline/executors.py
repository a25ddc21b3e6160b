"""One executor interface for the per-document stages: in-process, process pool, Dask.

Every executor maps a picklable, module-level function over a sequence of
items and yields one :class:`Outcome` per item **in input order**, whatever
order the workers finish in. A task that raises (or whose worker process dies)
becomes an ``Outcome`` with ``error`` set; it never stops the other tasks.
At most ``window`` tasks are in flight at once, so results stream through the
client instead of piling up in memory.

Choose one with :func:`make_executor`:

* ``workers=1`` → :class:`InProcessExecutor` (no pickling, easiest to debug);
* ``workers=N`` → :class:`ProcessPoolExecutor` over ``concurrent.futures`` with
  an explicit multiprocessing start method (``forkserver`` on POSIX, else ``spawn``);
* ``scheduler="tcp://host:8786"`` → :class:`DaskExecutor` on an existing
  ``distributed`` cluster; ``scheduler="local-cluster"`` starts a
  ``distributed.LocalCluster`` with ``workers`` (default 2) single-threaded processes.

Example:
    >>> from nqp_text.pipeline.executors import make_executor
    >>> with make_executor(workers=1) as ex:
    ...     [o.value for o in ex.map(abs, [-1, 2, -3])]
    [1, 2, 3]
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from nqp_text._limits import DEFAULT_CONNECT_TIMEOUT
from nqp_text.errors import DependencyError, SchedulerError

LOCAL_CLUSTER = "local-cluster"


@dataclass(frozen=True)
class Outcome:
    """The result of one task: ``value`` when it worked, else ``error`` (a one-line reason)."""

    item: Any
    value: Any = None
    error: str | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def run_captured(fn: Callable[[Any], Any], item: Any) -> Outcome:
    """Call ``fn(item)`` and capture any exception as a failed :class:`Outcome`.

    Module-level so that it pickles to worker processes and Dask workers.
    """
    try:
        return Outcome(item, fn(item))
    except Exception as error:  # a failed document must never stop the others
        return Outcome(item, error=_describe(error), detail=traceback.format_exc())


class Executor:
    """Base class: ordered, failure-capturing, bounded-window ``map``.

    Subclasses implement :meth:`_submit` (start one captured task, return a
    handle) and :meth:`_result` (wait for a handle, return its ``Outcome``).
    """

    #: A short name recorded in the manifest.
    kind = "executor"

    def __init__(self, workers: int = 1, window: int | None = None) -> None:
        self.workers = max(1, int(workers))
        self.window = window or max(4, 4 * self.workers)

    def describe(self) -> dict[str, Any]:
        """What the manifest records about this executor."""
        return {"kind": self.kind, "workers": self.workers}

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield ``Outcome(item, fn(item))`` for every item, in input order."""
        pending: collections.deque[tuple[Any, Any]] = collections.deque()
        for item in items:
            pending.append((item, self._submit(fn, item)))
            if len(pending) >= self.window:
                yield self._collect(fn, *pending.popleft())
        while pending:
            yield self._collect(fn, *pending.popleft())

    def _collect(self, fn: Callable[[Any], Any], item: Any, handle: Any) -> Outcome:
        try:
            return self._result(handle)
        except Exception as error:  # the worker died or the task was lost
            return self._on_lost(fn, item, error)

    def _on_lost(self, fn: Callable[[Any], Any], item: Any, error: Exception) -> Outcome:
        return Outcome(item, error=f"worker lost: {_describe(error)}")

    def _submit(self, fn: Callable[[Any], Any], item: Any) -> Any:
        raise NotImplementedError

    def _result(self, handle: Any) -> Outcome:
        raise NotImplementedError

    def close(self) -> None:
        """Release workers; the executor cannot be used afterwards."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcessExecutor(Executor):
    """Run every task in the calling process, one after the other (``--workers 1``)."""

    kind = "in-process"

    def __init__(self) -> None:
        super().__init__(workers=1, window=1)

    def _submit(self, fn: Callable[[Any], Any], item: Any) -> Outcome:
        return run_captured(fn, item)

    def _result(self, handle: Outcome) -> Outcome:
        return handle


def default_start_method() -> str:
    """``forkserver`` where available (POSIX): no inherited threads or locks; else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods and sys.platform != "darwin" else "spawn"


class ProcessPoolExecutor(Executor):
    """Local worker processes via :class:`concurrent.futures.ProcessPoolExecutor`.

    The start method is explicit (never the platform's implicit default). When a
    worker process dies (segfault, out-of-memory kill), the pool is rebuilt and
    the task is retried once in the new pool; a task that kills its worker
    twice is reported as failed and the run goes on. Tasks still queued in a pool
    that such a restart shut down are run again in the new pool.
    """

    kind = "process-pool"

    def __init__(self, workers: int, start_method: str | None = None,
                 window: int | None = None) -> None:
        super().__init__(workers=workers, window=window)
        self.start_method = start_method or default_start_method()
        self._context = multiprocessing.get_context(self.start_method)
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        from nqp_text._parent_watch import watch_parent

        # workers end with this process, even when it is killed with SIGKILL
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                      initializer=watch_parent, initargs=(os.getpid(),))

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "start_method": self.start_method}

    def _submit(self, fn: Callable[[Any], Any], item: Any) -> cf.Future[Outcome]:
        try:
            return self._pool.submit(run_captured, fn, item)
        except cf.process.BrokenProcessPool:
            self._restart()
            return self._pool.submit(run_captured, fn, item)

    def _result(self, handle: cf.Future[Outcome]) -> Outcome:
        return handle.result()

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def _on_lost(self, fn: Callable[[Any], Any], item: Any, error: Exception) -> Outcome:
        if isinstance(error, cf.process.BrokenProcessPool):
            self._restart()
        elif not isinstance(error, cf.CancelledError):
            return super()._on_lost(fn, item, error)
        # A cancelled task was queued in a pool that a restart for another task shut
        # down: not this item's fault, so it runs again in the current pool.
        try:
            return self._pool.submit(run_captured, fn, item).result()
        except cf.process.BrokenProcessPool as again:
            self._restart()
            return super()._on_lost(fn, item, again)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Tasks on a Dask ``distributed`` cluster (an existing scheduler or a LocalCluster).

    Workers must have nqp_text installed and see the run's output directory at
    the same path (shared storage): they write the per-document cache files
    there and return only small summaries.
    """

    kind = "dask"

    def __init__(self, scheduler: str, workers: int | None = None,
                 window: int | None = None,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
        try:
            import distributed
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise DependencyError(
                "the Dask executor needs the optional extra: pip install 'nqp-text[dask]'"
            ) from error
        self.scheduler = scheduler
        self._cluster = None
        if scheduler == LOCAL_CLUSTER:
            self._cluster = distributed.LocalCluster(
                n_workers=workers or 2, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40,
            )
            self._client = distributed.Client(self._cluster)
        else:
            check_scheduler(scheduler, connect_timeout)
            self._client = distributed.Client(scheduler, timeout=connect_timeout)
        n_threads = sum(self._client.nthreads().values()) or 1
        super().__init__(workers=n_threads, window=window)

    def describe(self) -> dict[str, Any]:
        address = LOCAL_CLUSTER if self._cluster is not None else self.scheduler
        return {**super().describe(), "scheduler": address}

    def _submit(self, fn: Callable[[Any], Any], item: Any) -> Any:
        return self._client.submit(run_captured, fn, item, pure=False)

    def _result(self, handle: Any) -> Outcome:
        outcome = handle.result()
        handle.release()
        return outcome

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_scheduler(address: str, timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
    """Fail fast unless a Dask scheduler answers at ``address`` within ``timeout`` seconds.

    ``distributed.Client`` retries a refused connection until its timeout and
    waits forever on a server that accepts connections but is not Dask; this
    opens a plain socket first (nothing listening: fails at once), then does
    Dask's own handshake under a deadline. Raises
    :class:`~nqp_text.errors.SchedulerError` saying which of the two failed.
    """
    import asyncio
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme == "tcp" and host and port:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as error:
            raise SchedulerError(f"scheduler {address}: cannot connect "
                                 f"({error.strerror or error or 'timed out'}); is the scheduler "
                                 "running and the address right?") from None
    try:
        from distributed.comm import connect
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise DependencyError("the Dask executor needs the optional extra: "
                              "pip install 'nqp-text[dask]'") from error

    async def handshake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout + 1)
        await comm.close()

    # a thread of its own: asyncio.run cannot be called inside a running loop (notebooks)
    with cf.ThreadPoolExecutor(1, thread_name_prefix="nqp-dask-probe") as probe:
        try:
            probe.submit(asyncio.run, handshake()).result()
        except (OSError, asyncio.TimeoutError, ValueError) as error:
            detail = str(error).strip() or type(error).__name__
            raise SchedulerError(f"scheduler {address}: no Dask scheduler answered within "
                                 f"{timeout:g} s ({detail}); something may accept connections "
                                 "there without being Dask, or the scheduler is overloaded: "
                                 "check the address or raise --connect-timeout") from None


def make_executor(workers: int = 1, scheduler: str | None = None,
                  start_method: str | None = None,
                  connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> Executor:
    """The executor for ``--workers N`` / ``--scheduler ADDRESS|local-cluster``.

    ``scheduler`` wins over ``workers``; with ``local-cluster``, ``workers``
    is the number of worker processes (at least 2 unless given).
    ``connect_timeout``: seconds a scheduler address has to answer.
    """
    if scheduler:
        return DaskExecutor(scheduler, workers=workers if workers > 1 else 2,
                            connect_timeout=connect_timeout)
    if workers <= 1:
        return InProcessExecutor()
    return ProcessPoolExecutor(workers, start_method=start_method)
