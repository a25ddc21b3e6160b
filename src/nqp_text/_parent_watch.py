"""End a worker process when the process that started its work dies.

A ``nqp-text run`` killed with SIGKILL cannot stop its workers. They wait on
queues whose other ends they hold themselves, so they never see the end of the
file, and with them the forkserver and the resource tracker stay alive
(about 270 MB each, indefinitely). Each worker therefore watches its client:
a daemon thread blocks on a Linux pidfd of the client (or, elsewhere, polls it
once a second) and calls ``os._exit`` when it is gone. Once the workers have
exited, the forkserver and the resource tracker see their pipes close and exit too.

Example:
    >>> import os
    >>> client = os.getppid()  # in a worker process: end when the client has ended
    >>> watch_parent(client)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time

__all__ = ["watch_parent"]

_POLL_SECONDS = 1.0


def watch_parent(pid: int) -> None:
    """Start a daemon thread that ends this process when process ``pid`` has ended."""
    if pid == os.getpid():
        return
    thread = threading.Thread(target=_wait_then_exit, args=(pid,), name="nqp-parent-watch",
                              daemon=True)
    thread.start()


def _wait_then_exit(pid: int) -> None:
    _wait_for_end(pid)
    os._exit(1)


def _wait_for_end(pid: int) -> None:
    descriptor = None
    with contextlib.suppress(AttributeError, OSError):
        descriptor = os.pidfd_open(pid)
    if descriptor is not None:
        select.select([descriptor], [], [])  # readable when the process has ended
        os.close(descriptor)
        return
    while _alive(pid):
        time.sleep(_POLL_SECONDS)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
