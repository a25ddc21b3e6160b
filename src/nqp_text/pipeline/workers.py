"""``--workers auto``: how many worker processes a run uses, and why.

Worker processes pay off only when there is enough work to share: each starts
an interpreter, loads jieba's dictionary and the model, and the client must
collect their results. Below :data:`~nqp_text._limits.AUTO_WORKERS_MIN_BYTES`
of input files a run stays in-process (one worker); above, it uses every core
this process may run on (``os.sched_getaffinity``). A number given by the user
is kept as it is. Outputs never depend on the choice (tested across executors).

Example:
    >>> choose_workers(2, [])
    (2, {'requested': 2, 'chosen': 2, 'reason': 'given'})
    >>> choose_workers("auto", [])[0]
    1
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nqp_text._limits import AUTO_WORKERS_MIN_BYTES

AUTO = "auto"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def input_bytes(inputs: Sequence[str | os.PathLike[str]]) -> int:
    """Total size of the regular files under ``inputs`` (symbolic links not followed)."""
    total = 0
    for root in inputs:
        path = Path(root)
        if path.is_symlink():
            continue
        if path.is_file():
            total += path.stat().st_size
            continue
        for folder, _dirs, files in os.walk(path):
            for name in files:
                entry = Path(folder) / name
                if not entry.is_symlink() and entry.is_file():
                    total += entry.stat().st_size
    return total


def choose_workers(requested: int | str, inputs: Sequence[str | os.PathLike[str]],
                   scheduler: str | None = None) -> tuple[Any, dict[str, Any]]:
    """``(workers, record)``: the number of workers for ``requested`` (``"auto"``, or
    a number, returned as given: the run validates it) and a record for the
    manifest and the summary line (``requested``, ``chosen``, ``reason``)."""
    if requested != AUTO:
        return requested, {"requested": requested, "chosen": requested, "reason": "given"}
    cores = available_cores()
    if scheduler is not None:
        chosen, reason = cores, f"a scheduler: {cores} cores available"
    else:
        size = input_bytes(inputs)
        megabytes = (f"{size / 1e6:.1f} MB of input" if size >= 100_000
                     else f"{size / 1e3:.0f} kB of input")
        if size < AUTO_WORKERS_MIN_BYTES:
            chosen, reason = 1, f"{megabytes}, below {AUTO_WORKERS_MIN_BYTES / 1e6:g} MB"
        elif cores < 2:
            chosen, reason = 1, f"{megabytes}, but 1 core available"
        else:
            chosen, reason = cores, f"{megabytes}, {cores} cores available"
    return chosen, {"requested": AUTO, "chosen": chosen, "reason": reason}
