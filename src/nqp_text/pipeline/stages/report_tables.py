"""Stage ``report_tables``: ``document_lengths``, ``trends_focus_terms``, ``keyness_last_periods``.

Inputs: the segment stage's token entries and the passages entries. Key: the
entries with their years, the focus terms and the report's periods. Streams
each document's passages and tokens through
:class:`~nqp_text.viz.report_tables.ReportTablesReducer`, so that the report
needs neither the passages nor the tokens in memory.

Example:
    >>> from nqp_text.pipeline.stages.report_tables import report_tables
    >>> report_tables(context, documents, segmented.tokens)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nqp_text import _checks as checks
from nqp_text.pipeline.cache import hash_config, read_frame, read_table
from nqp_text.pipeline.context import RunContext, bar, doc_entries
from nqp_text.pipeline.ingest import PASSAGES_ENTRY


def report_tables(context: RunContext, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    """Write the report's own tables (or find them up to date)."""
    from nqp_text.viz.report_tables import (
        KEYNESS,
        ReportTablesReducer,
        focus_terms,
        report_periods,
        report_table_names,
    )

    years = {doc_id: None if pd.isna(year) else int(year)
             for doc_id, year in zip(documents["doc_id"], documents["year"], strict=True)}
    passages_entry = dict(zip(documents["doc_id"], documents[PASSAGES_ENTRY], strict=True))
    entries = doc_entries(documents, tokens)
    focus, periods = focus_terms(), report_periods(years.values())
    names = report_table_names([years[doc_id] for doc_id, _, _ in entries], periods)
    key = hash_config({"entries": [(doc_id, years[doc_id], str(passages_entry[doc_id]),
                                    path.name) for doc_id, _, path in entries],
                       "focus": focus, "periods": periods, "keyness": "places left out"})
    if KEYNESS not in names and any(years[doc_id] is not None for doc_id, _, _ in entries):
        context.diagnostics.extend(checks.skipped_keyness(periods))
    with context.stage("report_tables") as record:
        record.items += 1
        if KEYNESS not in names:
            for suffix in (".csv", ".parquet"):
                (context.out / f"{KEYNESS}{suffix}").unlink(missing_ok=True)
        if context.records.fresh(names, key):
            return
        reducer = ReportTablesReducer(focus, periods)
        for doc_id, _, path in bar(entries, "report tables", context.lane_progress):
            passages = read_frame(context.cache.path("passages", str(passages_entry[doc_id])))
            lists = read_table(path, ["tokens"]).column("tokens").to_pylist()
            reducer.add(doc_id, years[doc_id], passages, lists)
        record.computed += 1
        context.records.tables(key, reducer.tables())
