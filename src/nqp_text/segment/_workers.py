"""Worker processes that segment with a copy of one Segmenter, kept between calls.

:meth:`nqp_text.Segmenter.pipe` with ``workers > 1`` hands batches of texts to
a :class:`SegmenterWorkers`. Starting processes and warming them up costs about
0.1 s of wall time (fork, the first batches touching the copied dictionary),
which is 10% of segmenting all government work reports on two cores, so the
Segmenter keeps its workers for the next ``pipe`` call -- as joblib/loky keep
theirs -- and replaces them when the worker count, start method or the
segmenter's configuration changes. They end with ``Segmenter.close()``, when the
Segmenter is garbage-collected, or at interpreter exit.

Each worker holds a copy of the Segmenter (set by the pool initializer),
inherited under fork or unpickled -- without its tokenizer, which it builds
itself -- under spawn and forkserver. The processes hold that copy, never the
Segmenter itself, so that garbage collection can end them.

Example:
    >>> from nqp_text import Segmenter
    >>> from nqp_text.segment._transport import decode_batch
    >>> seg = Segmenter()  # the workers end when it is garbage-collected
    >>> workers = SegmenterWorkers(seg, workers=2, start_method=None, key="k")
    >>> decode_batch("cut", workers.submit("cut", ["数据要素"]).result())
    [['数据要素']]
    >>> workers.close()
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from nqp_text.segment._transport import encode_batch

if TYPE_CHECKING:
    from nqp_text.segment.segmenter import Segmenter

__all__ = ["SegmenterWorkers"]

# The Segmenter of this worker process, set by the pool initializer (process-local).
_WORKER_SEGMENTER: Segmenter | None = None


def _init_worker(segmenter: Segmenter) -> None:
    global _WORKER_SEGMENTER
    _WORKER_SEGMENTER = segmenter


def _work(method: str, batch: list[str]) -> str | list[Any]:
    assert _WORKER_SEGMENTER is not None, "worker was not initialised"
    return encode_batch(method, batch, _WORKER_SEGMENTER._apply(method, batch))


def _shutdown(executor: ProcessPoolExecutor, owner_pid: int) -> None:
    # A forked child inherits the object but not the processes: only the owner ends them.
    if os.getpid() == owner_pid:
        executor.shutdown(wait=True, cancel_futures=True)


class SegmenterWorkers:
    """``workers`` processes segmenting batches with a copy of ``segmenter``.

    ``key`` identifies the configuration the workers were started with; the
    owner compares it to decide whether they can be reused. The processes are
    shut down by :meth:`close`, or when ``segmenter`` is garbage-collected.
    """

    def __init__(self, segmenter: Segmenter, workers: int, start_method: str | None,
                 key: Any) -> None:
        self.key = key
        self.owner_pid = os.getpid()
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context(start_method),
            initializer=_init_worker, initargs=(segmenter._copy_for_workers(),))
        self._finalizer = weakref.finalize(segmenter, _shutdown, self._executor, self.owner_pid)

    def usable(self, key: Any) -> bool:
        """Whether these workers, started in this process, fit ``key``."""
        return self.key == key and self.owner_pid == os.getpid() and self._finalizer.alive

    def submit(self, method: str, batch: list[str]) -> Future[str | list[Any]]:
        """Segment ``batch`` with ``method`` in a worker; the future holds an
        encoded batch for :func:`decode_batch`."""
        return self._executor.submit(_work, method, batch)

    def close(self) -> None:
        """End the worker processes (once; later calls do nothing)."""
        self._finalizer()
