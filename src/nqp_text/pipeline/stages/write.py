"""Stage ``write``: the run's corpus-wide tables, assembled from per-document cache entries.

``documents.parquet`` (keyed by its rows), ``passages.parquet``,
``tables.parquet``, ``tokens.parquet`` and ``labels.parquet`` (keyed by the
entries they are built from, in document order, with final ids applied) and
``quality.csv`` (keyed by its rows). Each is rebuilt only when its key changed
(:class:`~nqp_text.pipeline.records.OutputRecords`).

Example:
    >>> from nqp_text.pipeline.stages.write import write_corpus
    >>> write_corpus(context, documents)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from nqp_text._checks import short_passages
from nqp_text._tables import ParquetStream, to_arrow, write_csv, write_parquet
from nqp_text.corpus import PASSAGE_COLUMNS, TABLE_COLUMNS, empty_frame
from nqp_text.pipeline.cache import hash_config, read_frame, read_table
from nqp_text.pipeline.context import Entry, RunContext, bar, doc_entries, entries, renamed
from nqp_text.pipeline.docwork import TOKENS_SCHEMA, labels_schema
from nqp_text.pipeline.ingest import FILE_ID, PASSAGES_ENTRY, PRIVATE_COLUMNS, TABLES_ENTRY


def _stream(context: RunContext, name: str, found: list[Entry], schema: pa.Schema,
            exact: bool = False) -> None:
    """Write ``DIR/name`` from per-document entries, in order, with renamed ids applied.

    ``schema`` is the file's schema when there are no entries; with ``exact``
    always (a document whose token or label lists are all empty reads back as
    lists of nulls, which must not set the type of the column). With ``exact``,
    an entry whose ids need no renaming goes in as the Arrow table it is read as
    (cast to ``schema``: the same rows as through pandas, without the round trip).
    """
    key = hash_config({"entries": [(doc_id, base, path.name) for doc_id, base, path in found],
                       "schema": schema.to_string() if exact else None})

    def write(target: Path) -> None:
        with ParquetStream(target, schema=schema if exact or not found else None) as stream:
            for doc_id, base, path in bar(found, f"write {name}", context.lane_progress):
                if exact and doc_id == base:
                    stream.write(read_table(path))
                else:
                    stream.write(renamed(read_frame(path), doc_id, base))

    with context.stage("write") as record:
        record.items += 1
        record.computed += context.records.produce(name, key, write)


def write_corpus(context: RunContext, documents: pd.DataFrame) -> None:
    """``documents.parquet``, ``passages.parquet`` and ``tables.parquet``."""
    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    with context.stage("write") as record:
        record.items += 1
        record.computed += context.records.produce(
            "documents.parquet", hash_config(to_arrow(public).to_pylist()),
            lambda target: write_parquet(public, target))
    _stream(context, "passages.parquet", entries(context, documents, PASSAGES_ENTRY, "passages"),
            to_arrow(empty_frame(PASSAGE_COLUMNS)).schema)
    _stream(context, "tables.parquet", entries(context, documents, TABLES_ENTRY, "tables"),
            to_arrow(empty_frame(TABLE_COLUMNS)).schema)


def write_tokens(context: RunContext, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    """``tokens.parquet`` from the segment stage's entries."""
    _stream(context, "tokens.parquet", doc_entries(documents, tokens), TOKENS_SCHEMA,
            exact=True)


def write_labels(context: RunContext, documents: pd.DataFrame, labels: dict[str, Path],
                 categories: list[str]) -> None:
    """``labels.parquet`` from the classify stage's entries (one column per category)."""
    _stream(context, "labels.parquet", doc_entries(documents, labels),
            labels_schema(categories), exact=True)


def write_quality(context: RunContext, documents: pd.DataFrame) -> dict[str, Any]:
    """Write ``quality.csv`` (one row per document), say its findings, return its summary."""
    from nqp_text.quality import (
        SAID_ELSEWHERE,
        corpus_quality,
        quality_csv_frame,
        quality_diagnostics,
        quality_summary,
    )

    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    texts = [read_frame(path, ["text"]).assign(doc_id=doc_id)
             for doc_id, _, path in entries(context, documents, PASSAGES_ENTRY, "passages")]
    passages = pd.concat(texts, ignore_index=True) if texts else \
        pd.DataFrame({"doc_id": [], "text": []})
    table = corpus_quality(public, passages)
    summary = quality_summary(table)
    flat = quality_csv_frame(table)
    with context.stage("write") as record:
        record.items += 1
        record.computed += context.records.produce("quality.csv",
                                                   hash_config(to_arrow(flat).to_pylist()),
                                                   lambda target: write_csv(flat, target))
    flagged = int((table["problems"].map(len) > 0).sum())
    context.diagnostics.extend(quality_diagnostics(table, skip=SAID_ELSEWHERE))
    context.diagnostics.extend(short_passages([len(text) for text in passages["text"]],
                                              context.options.unit, context.options.model))
    return {"documents_with_problems": flagged, "summary": summary}
