"""Per-document tasks after ingest: segment (and, as they land, classify and count).

Each task is a frozen, picklable dataclass called with a :class:`DocItem`: it
reads the document's passages entry, computes, writes its own cache entry
atomically and returns a small summary, so that only file paths and counts
travel between the client and the workers.

Building a :class:`~nqp_text.Segmenter`'s tokenizer takes about a second, and
a task's Segmenter arrives unpickled without it. :func:`warm` keeps one ready
instance per configuration hash in each worker process; the instance depends
only on its configuration, so reusing it cannot change any result.

Example:
    >>> from nqp_text.pipeline.docwork import DocItem
    >>> DocItem("d1", "/tmp/p.parquet", "/tmp/t.parquet").doc_id
    'd1'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pyarrow.parquet

from nqp_text.pipeline.outputs import to_arrow, write_parquet

_WARM: dict[str, Any] = {}
_WARM_LIMIT = 8

TOKENS_SCHEMA = pa.schema([("passage_id", pa.string()), ("tokens", pa.list_(pa.string()))])


@dataclass(frozen=True)
class DocItem:
    """One document of a stage: its id, its passages entry and the stage's entry to write."""

    doc_id: str
    passages: str
    entry: str


def warm(obj: Any, key: str) -> Any:
    """The ready instance equal to ``obj`` (same ``key``) in this process, else ``obj``."""
    ready = _WARM.get(key)
    if ready is None:
        if len(_WARM) >= _WARM_LIMIT:
            _WARM.clear()
        _WARM[key] = ready = obj
    return ready


@dataclass(frozen=True)
class SegmentTask:
    """Content tokens of one document's passages → its ``passage_id, tokens`` entry.

    Calls :func:`nqp_text.segment.run.segment_passages`, so the tokens are those
    ``nqp-text segment`` writes.
    """

    segmenter: Any

    def __call__(self, item: DocItem) -> int:
        from nqp_text.segment.run import segment_passages

        segmenter = warm(self.segmenter, "segmenter:" + self.segmenter.config_hash)
        passages = pd.read_parquet(item.passages, columns=["doc_id", "seq", "passage_id", "text"])
        frame = segment_passages(passages, segmenter, workers=1)
        write_parquet(to_arrow(frame, TOKENS_SCHEMA), item.entry)
        return int(frame["tokens"].map(len).sum())


COUNTS_SCHEMA = pa.schema([("term", pa.string()), ("count", pa.int64())])


@dataclass(frozen=True)
class CountItem:
    """One document of the count stage: its passages and tokens entries, the entry to write."""

    doc_id: str
    passages: str
    tokens: str
    entry: str


def read_counts(path: str) -> tuple[dict[str, int], int, int]:
    """``(term -> count, n_tokens, n_passages)`` of a count entry."""
    table = pa.parquet.read_table(path)
    meta = table.schema.metadata or {}
    counts = dict(zip(table.column("term").to_pylist(), table.column("count").to_pylist(),
                      strict=True))
    return counts, int(meta[b"n_tokens"]), int(meta[b"n_passages"])


@dataclass(frozen=True)
class CountTask:
    """Lexicon counts of one document (longest match, the rule of ``term_frequencies``).

    Writes the non-zero ``term, count`` pairs of
    :func:`nqp_text.analysis.frequencies.count_matrix` over the document's
    cleaned text, with the document's content tokens and passages as metadata
    (the denominators of the trends tables).
    """

    lexicon: str | None = None

    def __call__(self, item: CountItem) -> int:
        from nqp_text.analysis.frequencies import count_matrix
        from nqp_text.corpus import Corpus

        passages = pd.read_parquet(item.passages)
        corpus = Corpus(pd.DataFrame({"doc_id": [item.doc_id]}), passages)
        counts = count_matrix(corpus, None, lexicon=self.lexicon).iloc[0]
        counts = counts[counts > 0]
        tokens = pa.parquet.read_table(item.tokens, columns=["tokens"]).column("tokens")
        n_tokens = int(pa.compute.sum(pa.compute.list_value_length(tokens)).as_py() or 0)
        table = pa.table({"term": counts.index.astype(str).tolist(),
                          "count": counts.astype("int64").tolist()}, schema=COUNTS_SCHEMA)
        table = table.replace_schema_metadata({"n_tokens": str(n_tokens),
                                               "n_passages": str(len(passages))})
        write_parquet(table, item.entry)
        return n_tokens
