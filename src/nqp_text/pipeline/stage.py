"""Run one per-document stage through the cache: only missing entries become tasks.

:func:`map_cached` takes the stage's items with their cache entry paths. Items
whose entry exists and matches its seal (:func:`~nqp_text.pipeline.cache.verify_entry`)
are answered on the client without any task (so a re-run with nothing changed
does no per-document work and does not even start workers); the others go to
the executor, whose task function writes the entry itself (atomically, on the
worker) and returns a small summary. Results
come back in item order (an entry that fails verification is computed again,
with a warning naming it), one :class:`~nqp_text.pipeline.executors.Outcome`
each, with a tqdm progress bar per stage.

Example:
    >>> from nqp_text.pipeline.stage import LazyExecutor
    >>> lazy = LazyExecutor(lambda: None)
    >>> lazy.started
    False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from nqp_text.pipeline.cache import discard_entry, report_rejected, verify_entry
from nqp_text.pipeline.executors import Executor, Outcome, run_captured
from nqp_text.pipeline.manifest import StageRecord


class LazyExecutor:
    """Start the executor (process pool, Dask cluster) only when a task needs it."""

    def __init__(self, factory: Callable[[], Executor]) -> None:
        self._factory = factory
        self._executor: Executor | None = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    def get(self) -> Executor:
        if self._executor is None:
            self._executor = self._factory()
        return self._executor

    def describe(self) -> dict[str, Any] | None:
        return None if self._executor is None else self._executor.describe()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()
            self._executor = None


def map_cached(
    lazy: LazyExecutor,
    task: Callable[[Any], Any],
    items: Iterable[tuple[Any, Path]],
    *,
    from_cache: Callable[[Any], Any],
    record: StageRecord,
    desc: str,
    total: int | None = None,
    progress: bool = True,
) -> Iterator[Outcome]:
    """Yield one Outcome per ``(item, entry_path)``, in order.

    ``task(item)`` computes the entry (and writes it); ``from_cache(item)``
    reads the summary of an existing entry on the client. Failures are counted
    in ``record`` and yielded, never raised.
    """
    items = list(items)
    record.items += len(items)
    problems = {index: verify_entry(entry) for index, (_, entry) in enumerate(items)}
    missing = [(index, item) for index, (item, _) in enumerate(items) if problems[index]]
    record.extra.update(report_rejected(desc, [(Path(items[index][1]), problems[index])
                                               for index, _ in missing]))
    computed: Iterator[Outcome] = iter(())
    if missing:
        computed = lazy.get().map(task, [item for _, item in missing])
    missing_index = {index for index, _ in missing}
    bar = tqdm(total=total if total is not None else len(items), desc=desc, unit="doc",
               disable=not progress, leave=True, dynamic_ncols=True)
    try:
        for index, (item, entry) in enumerate(items):
            if index in missing_index:
                outcome = next(computed)
                record.computed += outcome.ok
            else:
                try:
                    outcome = Outcome(item, from_cache(item))
                    record.cached += 1
                except Exception:  # an unreadable entry (disk trouble): compute it again
                    discard_entry(entry)
                    outcome = run_captured(task, item)
                    record.computed += outcome.ok
            record.failed += not outcome.ok
            bar.update(1)
            yield outcome
    finally:
        bar.close()
