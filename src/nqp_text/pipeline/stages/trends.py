"""Stage ``trends``: ``trends_lexicon`` and ``category_trends``, by year, from the count entries.

Inputs: the count stage's entries, terms and categories, and the classify
stage's label entries (for the share of labelled passages). Key: the dated
documents with their entries, the terms and the categories. Streams one
document at a time through :class:`~nqp_text.analysis.trends_reducer.TrendsReducer`.

Example:
    >>> from nqp_text.pipeline.stages.trends import trends
    >>> trends(context, documents, counted, classified.labels)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nqp_text import _checks as checks
from nqp_text.analysis.trends_reducer import TrendsReducer
from nqp_text.pipeline.cache import hash_config
from nqp_text.pipeline.context import RunContext, bar, doc_entries
from nqp_text.pipeline.docwork import label_counts, read_counts
from nqp_text.pipeline.stages.count import Counted


def trends(context: RunContext, documents: pd.DataFrame, counted: Counted,
           labels: dict[str, Path]) -> None:
    """Write the trends tables (or find them up to date)."""
    counts = counted.counts
    years = dict(zip(documents["doc_id"], documents["year"], strict=True))
    entries = [(doc_id, path) for doc_id, _, path in doc_entries(documents, counts)
               if not pd.isna(years[doc_id])]
    labelled = all(doc_id in labels for doc_id, _ in entries)
    key = hash_config({"entries": [(doc_id, years[doc_id], path.name,
                                    labels[doc_id].name if labelled else None)
                                   for doc_id, path in entries],
                       "terms": counted.terms, "categories": counted.categories})
    context.diagnostics.extend(checks.year_gaps(years[doc_id] for doc_id, _ in entries))
    if not entries:
        context.diagnostics.extend(checks.no_dated_text(len(counts)))
    with context.stage("trends") as record:
        record.items += 1
        if not labelled:
            record.extra["warning"] = ("some documents have no labels: category_trends "
                                       "has no passage shares")
            context.diagnostics.add("stage_failed", record.extra["warning"], stage="trends")
        if context.records.fresh(("trends_lexicon", "category_trends"), key):
            return
        reducer = TrendsReducer(counted.terms, counted.categories)
        for doc_id, path in bar(entries, "trends", context.options.progress):
            found = read_counts(str(path))
            reducer.add(int(years[doc_id]), found.counts, found.n_tokens, found.n_passages,
                        n_labelled=label_counts(str(labels[doc_id])) if labelled else None,
                        category_counts=found.category_counts)
        record.computed += 1
        context.records.tables(key, {"trends_lexicon": reducer.term_table(),
                                     "category_trends": reducer.category_table()})
