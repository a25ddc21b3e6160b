"""Atomic file writes: every output is written to a temporary name and renamed.

A run killed at any moment (SIGINT or SIGKILL) therefore never leaves a
half-written output behind: either the old file (or none) or the complete new
one is visible under the final name. The temporary is flushed to disk
(``fsync``) before the rename, so that the new file survives a power cut too;
inside :func:`without_fsync` that step is left out, for files whose readers
verify them anyway (the pipeline's sealed cache entries).

Example:
    >>> from nqp_text._atomic import atomic_path
    >>> with atomic_path("out/table.csv") as tmp:  # doctest: +SKIP
    ...     df.to_csv(tmp)
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".nqp-tmp-"
_FSYNC: contextvars.ContextVar[bool] = contextvars.ContextVar("nqp_text_fsync", default=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def without_fsync() -> Iterator[None]:
    """Atomic writes inside this block (this thread) are renamed without ``fsync``.

    Still atomic against a killed process; only a crash of the machine itself may
    leave such a file empty or partial. Meant for files that are checked before
    they are used (a cache entry is compared with its seal and computed again
    when it differs), where a flush per file costs more than recomputing now and
    then: on a cold ``nqp-text run`` it was several seconds of waiting.

    Example:
        >>> with without_fsync():  # doctest: +SKIP
        ...     atomic_write_text("cache/entry.json", "{}")
    """
    token = _FSYNC.set(False)
    try:
        yield
    finally:
        _FSYNC.reset(token)


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it onto ``final`` on success.

    On any exception the temporary file is removed and ``final`` is untouched.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=final.suffix, dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        if _FSYNC.get():
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_bytes(final: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``final`` atomically."""
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(final: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``final`` atomically."""
    atomic_write_bytes(final, text.encode(encoding))


def remove_stale_temporaries(directory: str | os.PathLike[str]) -> int:
    """Delete temporary files left in ``directory`` by a killed run; return how many."""
    removed = 0
    for leftover in Path(directory).rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            removed += 1
    return removed
