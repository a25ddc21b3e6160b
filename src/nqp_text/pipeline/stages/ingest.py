"""Stage ``ingest``: read each input file into its cache entry; the run's documents table.

Inputs: the hashed items of stage ``hash`` (each with its entry's key). A
file that fails, or that the hash stage refused, is one ``failed`` row; the
others go on. Short lines that recur across the files of one folder
(:mod:`nqp_text.io.folders`) are found from the entries' short lines; the
files that contain them are read once more with those lines removed, into an
entry keyed by the file's key and the lines (the first entry stays: it is
what the lines are found from). Returns the documents of every file in input order with their
final ids (as :func:`nqp_text.read_corpus` gives them) and the annual reports
another file replaces marked ``superseded``.

Example:
    >>> from nqp_text.pipeline.stages.ingest import ingest
    >>> documents = ingest(context, hashed.items)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from nqp_text.corpus import empty_frame
from nqp_text.pipeline.cache import Cache
from nqp_text.pipeline.context import RunContext
from nqp_text.pipeline.ingest import (
    PASSAGES_ENTRY,
    PRIVATE_COLUMNS,
    SHORT_LINES,
    TABLES_ENTRY,
    IngestItem,
    IngestTask,
    read_entry,
    with_final_ids,
)
from nqp_text.pipeline.stage import map_cached


def ingest(context: RunContext, items: list[IngestItem]) -> pd.DataFrame:
    """Read (or find in the cache) every item; one documents frame, in input order."""
    options = context.options
    from nqp_text.io.reader import resolve_memory_limit

    task = IngestTask(str(context.cache.root), options.metadata, options.read_options(),
                      options.timeout, resolve_memory_limit(options.memory_limit))
    frames = []
    with context.stage("ingest") as record:
        readable = [item for item in items if item.refused is None]
        context.cache.mark_used(task.entry(item) for item in readable)
        outcomes = iter(map_cached(context.lazy, task,
                                   [(item, task.entry(item)) for item in readable],
                                   from_cache=lambda item: read_entry(task.entry(item)),
                                   record=record, desc="ingest", progress=options.progress))
        for item in items:
            if item.refused is not None:
                frames.append(_failed_row(item, item.refused))
                continue
            outcome = next(outcomes)
            frames.append(outcome.value if outcome.ok else _failed_row(outcome.item,
                                                                        outcome.error))
        if not options.keep_boilerplate:
            frames = _without_folder_lines(context, task, items, frames, record)
        documents = _concat_documents(frames)
        record.extra["documents"] = len(documents)
    return _selected(with_final_ids(documents), context.cache)


def _without_folder_lines(context: RunContext, task: IngestTask, items: list[IngestItem],
                          frames: list[pd.DataFrame], record: Any) -> list[pd.DataFrame]:
    """``frames`` with the files that contain their folder's recurring lines read again
    without them (as :func:`nqp_text.read_corpus` removes them)."""
    from nqp_text.io.folders import folder_lines

    documents = []
    for item, frame in zip(items, frames, strict=True):
        lines = frame[SHORT_LINES].iloc[0] if SHORT_LINES in frame.columns and len(frame) == 1 \
            else None
        if item.refused is None and lines is not None and not _missing(lines):
            documents.append((item.path, str(frame["sha256"].iloc[0]), frozenset(lines)))
    found = folder_lines(documents)
    if not found:
        return frames
    again = {index: IngestItem(item.path, item.sha256,
                               Cache.key("ingest", item.key, "\n".join(found[item.path])),
                               folder_lines=found[item.path])
             for index, item in enumerate(items) if item.path in found}
    context.cache.mark_used(task.entry(item) for item in again.values())
    outcomes = map_cached(context.lazy, task, [(item, task.entry(item)) for item in again.values()],
                          from_cache=lambda item: read_entry(task.entry(item)), record=record,
                          desc="ingest (folder lines)", progress=context.options.progress)
    frames = list(frames)
    for index, outcome in zip(again, outcomes, strict=True):
        frames[index] = (outcome.value if outcome.ok
                         else _failed_row(outcome.item, outcome.error))
    return frames


def _missing(value: Any) -> bool:
    return value is pd.NA or (isinstance(value, float) and value != value)


def _selected(documents: pd.DataFrame, cache: Cache) -> pd.DataFrame:
    """Mark the annual reports another file of the same firm-year replaces (as read_corpus).

    Their rows stay, with ``status="superseded"``; their passages and tables
    are not used (the cache keeps them, so a later run without the other file
    uses them again).
    """
    from nqp_text.io.report_names import SUPERSEDED, mark_superseded

    # each no_section/superseded row is named by the run's document diagnostics
    marked = mark_superseded(documents)
    dropped = (marked["status"] == SUPERSEDED).fillna(False).to_numpy()
    if dropped.any():
        for stage, column in (("passages", PASSAGES_ENTRY), ("tables", TABLES_ENTRY)):
            for key in marked.loc[dropped, column].dropna():  # kept by --prune-cache
                cache.path(stage, str(key))
        for name in PRIVATE_COLUMNS:
            marked.loc[dropped, name] = None
    return marked


def _failed_row(item: IngestItem, error: str | None) -> pd.DataFrame:
    from nqp_text.io._extract import file_kind
    from nqp_text.io.reader import file_doc_id

    sha = None if item.sha256.startswith("unreadable:") else item.sha256
    doc_id = file_doc_id(sha, item.path)
    return pd.DataFrame([{
        "doc_id": doc_id, "path": item.path, "title": Path(item.path).stem, "year": None,
        "source": file_kind(item.path), "status": "failed", "error": error, "n_pages": None,
        "n_chars": 0, "sha256": sha, "row": None, "base_id": doc_id,
        **dict.fromkeys(PRIVATE_COLUMNS),  # no entries: a run of only such rows has them too
    }])


def _concat_documents(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One documents frame with the union of columns (first-seen order) and one type each."""
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        from nqp_text.corpus import DOCUMENT_COLUMNS

        return empty_frame(DOCUMENT_COLUMNS + ["row", "base_id", *PRIVATE_COLUMNS])
    dtypes: dict[str, Any] = {}
    for frame in frames:
        for name, dtype in frame.dtypes.items():
            dtypes.setdefault(str(name), dtype)
    merged = pd.concat([_with_columns(frame, dtypes) for frame in frames], ignore_index=True)
    for name in merged.columns:
        merged[name] = _one_type(merged[name])
    return merged


def _with_columns(frame: pd.DataFrame, dtypes: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with every column of ``dtypes`` (the union, first-seen order); a column it
    lacks is missing values of the type the first frame having it gives (a PDF's
    ``n_tables`` stays ``Int64`` beside a text file, where plain reindexing would make it
    a float column and show 3.0 in pandas, R, Stata)."""
    columns = list(dtypes)
    absent = [name for name in columns if name not in frame.columns]
    if not absent:
        return frame[columns]
    filled = frame.copy()
    for name in absent:
        dtype = dtypes[name]
        filled[name] = (pd.Series(pd.NA, index=frame.index, dtype=dtype)
                        if isinstance(dtype, pd.api.extensions.ExtensionDtype)
                        else float("nan"))  # what reindexing gives
    return filled[columns]


def _one_type(column: pd.Series) -> pd.Series:
    if column.dtype != object:
        return column
    try:
        pa.array(column.tolist(), from_pandas=True)
        return column
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return column.map(lambda value: None if value is None or value is pd.NA
                          or (isinstance(value, float) and value != value) else str(value)
                          ).astype("string")
