"""Stage ``count``: per-document counts of the lexicon's terms and the framework's categories.

Inputs: the segment stage's token entries and its configuration hash. Key of
an entry: the document's text, the terms counted, the category terms and the
tokens' configuration. Returns the entries by ``doc_id`` with the terms and
categories the trends stage reduces them over.

Example:
    >>> from nqp_text.pipeline.options import RunOptions
    >>> from nqp_text.pipeline.stages.count import trends_lexicon
    >>> trends_lexicon(RunOptions(lexicon="my_terms.tsv")), trends_lexicon(RunOptions())
    ('my_terms.tsv', None)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nqp_text.pipeline.cache import hash_config
from nqp_text.pipeline.context import RunContext, doc_items, framework, run_docs
from nqp_text.pipeline.docwork import CountItem, CountTask
from nqp_text.pipeline.options import RunOptions
from nqp_text.pipeline.records import CACHE_VERSION


@dataclass(frozen=True)
class Counted:
    """Count entries by ``doc_id``, the terms and categories counted, the lexicon's hash."""

    counts: dict[str, Path]
    terms: list[str]
    categories: dict[str, list[str]]
    lexicon: str


def trends_lexicon(options: RunOptions) -> str | None:
    """The lexicon trends count: the run's lexicon when it is a lexicon TSV, else the default."""
    lexicon = options.lexicon
    return lexicon if lexicon != "default" and str(lexicon).lower().endswith(".tsv") else None


def count(context: RunContext, documents: pd.DataFrame, tokens: dict[str, Path],
          tokens_config: str) -> Counted:
    """Count (or find in the cache) the terms of every segmented document."""
    from nqp_text.analysis.vocabulary import category_map, lexicon_table

    lexicon = trends_lexicon(context.options)
    terms = sorted(lexicon_table(lexicon)["term"].astype(str))
    categories = category_map(None, framework(context.options), lexicon)
    category_terms = tuple(dict.fromkeys(t for group in categories.values() for t in group))
    lexicon_hash = hash_config(terms)
    config = hash_config({"cache": CACHE_VERSION, "terms": lexicon_hash,
                          "category_terms": category_terms, "tokens": tokens_config})
    items = [(CountItem(doc_id, str(passages), str(tokens[doc_id]), str(entry)), entry)
             for doc_id, passages, entry in doc_items(context, documents, "counts", config,
                                                      only=tokens)]
    counts = run_docs(context, "count", CountTask(lexicon, category_terms), items)
    return Counted(counts, terms, categories, lexicon_hash)
