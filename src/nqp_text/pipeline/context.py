"""What every stage of ``nqp-text run`` is given: :class:`RunContext`, and helpers they share.

The context is frozen: the output folder, the options, the cache, the
executor, the output records, the stage records and the diagnostics of one
run. Stages exchange their results as return values, never through it; the
records and diagnostics it holds are the run's logs, which every stage appends
to.

Example:
    >>> from nqp_text.pipeline.context import renamed
    >>> import pandas as pd
    >>> renamed(pd.DataFrame({"doc_id": ["a"], "seq": [0], "passage_id": ["a:0"]}), "b", "a")
      doc_id  seq passage_id
    0      b    0        b:0
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text.diagnostics import Diagnostics
from nqp_text.pipeline.cache import Cache
from nqp_text.pipeline.ingest import FILE_ID, PASSAGES_ENTRY, TEXT_KEY
from nqp_text.pipeline.manifest import StageRecord, StageTimer
from nqp_text.pipeline.options import RunOptions
from nqp_text.pipeline.records import OutputRecords
from nqp_text.pipeline.stage import LazyExecutor, map_cached

#: ``(doc_id, base_id, entry path)`` of one document's cache entry.
Entry = tuple[str, str, Path]


@dataclass(frozen=True)
class RunContext:
    """One run: where it writes, its options, cache and executor, and its logs.

    ``lane_progress``: whether work on the client lane shows progress bars (not
    when it runs in the background beside the workers' bars).
    """

    out: Path
    options: RunOptions
    cache: Cache
    lazy: LazyExecutor
    records: OutputRecords
    diagnostics: Diagnostics
    stages: dict[str, StageRecord] = field(default_factory=dict)
    lane_progress: bool = True

    def stage(self, name: str) -> StageTimer:
        """Time a block of stage ``name`` (its record is created on first use)."""
        return StageTimer(self.stages.setdefault(name, StageRecord()))


def renamed(frame: pd.DataFrame, doc_id: str, base: str) -> pd.DataFrame:
    """``frame`` of document ``base`` (its id in its own file) under its final ``doc_id``."""
    if doc_id == base:
        return frame
    frame = frame.copy()
    frame["doc_id"] = doc_id
    if "passage_id" in frame.columns:
        frame["passage_id"] = [f"{doc_id}:{seq}" for seq in frame["seq"]] if "seq" in frame \
            else [doc_id + pid[len(base):] for pid in frame["passage_id"].astype(str)]
    return frame


def entries(context: RunContext, documents: pd.DataFrame, column: str, stage: str
            ) -> list[Entry]:
    """``(doc_id, base_id, entry path)`` of every document that has the entry."""
    rows = documents[documents[column].notna()]
    return [(str(doc_id), str(base), context.cache.path(stage, str(key)))
            for doc_id, base, key in zip(rows["doc_id"], rows[FILE_ID], rows[column],
                                         strict=True)]


def doc_entries(documents: pd.DataFrame, found: dict[str, Path]) -> list[Entry]:
    """``(doc_id, base_id, entry)`` in output order for the documents in ``found``."""
    return [(doc_id, base, found[doc_id])
            for doc_id, base in zip(documents["doc_id"], documents[FILE_ID], strict=True)
            if doc_id in found]


def doc_items(context: RunContext, documents: pd.DataFrame, stage: str, config: str,
              only: Collection[str] | None = None) -> list[tuple[str, Path, Path]]:
    """``(doc_id, passages entry, entry of stage)`` of each document with passages.

    A stage's entry is keyed by the document's text (:data:`TEXT_KEY`) and the
    stage's ``config``; ``only`` keeps the documents with these ids.
    """
    rows = documents[documents[PASSAGES_ENTRY].notna()]
    if only is not None:
        rows = rows[rows["doc_id"].isin(only)]
    return [(str(doc_id), context.cache.path("passages", str(pkey)),
             context.cache.path(stage, Cache.key(stage, str(tkey), config)))
            for doc_id, pkey, tkey in zip(rows["doc_id"], rows[PASSAGES_ENTRY], rows[TEXT_KEY],
                                          strict=True)]


def run_docs(context: RunContext, name: str, task: Callable[[Any], Any],
             items: list[tuple[Any, Path]]) -> dict[str, Path]:
    """Run a per-document stage; the entries of the documents that worked, by ``doc_id``."""
    found: dict[str, Path] = {}
    with context.stage(name) as record:
        for outcome in map_cached(context.lazy, task, items, from_cache=lambda item: None,
                                  record=record, desc=name, progress=context.options.progress):
            if outcome.ok:
                found[outcome.item.doc_id] = Path(outcome.item.entry)
            else:
                record.extra.setdefault("errors", {})[outcome.item.doc_id] = outcome.error
    return found


def framework(options: RunOptions) -> Any:
    """The framework of ``--framework YAML``, else ``None`` (the shipped one)."""
    if options.framework is None:
        return None
    from nqp_text.framework import load_framework

    return load_framework(options.framework)


@contextlib.contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    """Hide a library's progress warnings (gensim's "too few updates") during one call."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def quietly(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` with gensim's warnings hidden."""
    with quiet("gensim"):
        return function(*args, **kwargs)


def bar(items: Sequence[Any], desc: str, progress: bool) -> Any:
    """A tqdm progress bar over ``items`` (one per document), hidden unless ``progress``."""
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="doc", disable=not progress, dynamic_ncols=True)
