"""The client lane: client-side stages of ``nqp-text run`` beside the workers' tasks.

Example:
    >>> from nqp_text.pipeline.lane import ClientLane
    >>> lane = ClientLane(background=False)
    >>> done = []
    >>> lane.run(done.append, 1); lane.wait(); lane.close()
    >>> done
    [1]
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any


class ClientLane:
    """Client work (assembling outputs, the topic model) beside the workers' tasks.

    With worker processes or Dask, the client would sit idle while it waits for
    per-document results; one background thread does the client-side stages
    that are already possible meanwhile. In-process (``--workers 1``) there is
    nothing to overlap and the work runs inline. Every stage writes keyed,
    deterministic outputs, so the order in which they finish changes nothing.
    """

    def __init__(self, background: bool) -> None:
        self.background = background
        self._pool = (concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="nqp-client")
                      if background else None)
        self._futures: list[concurrent.futures.Future[Any]] = []

    def run(self, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function(*args)`` now (inline) or in the background thread."""
        if self._pool is None:
            function(*args)
        else:
            self._futures.append(self._pool.submit(function, *args))

    def wait(self) -> None:
        """Wait for the work started so far; re-raise its first error."""
        futures, self._futures = self._futures, []
        for future in futures:
            future.result()

    def close(self) -> None:
        """Stop the background thread (work not yet started is cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
