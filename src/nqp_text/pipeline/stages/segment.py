"""Stage ``segment``: the tokens of every document's passages, one cache entry per document.

Inputs: the documents with passages. Key of an entry: the document's text and
the segmenter's configuration (lexicon, stop words, backend). Each document's
passages are cut once: the content tokens go to its ``tokens`` entry, the full
cut beside it (``cut_entry``), which the classify stage reads instead of cutting
again. Returns the entries of the documents that worked, by ``doc_id``, the
configuration hashes the count stage and the manifest use, and the segmenter.

Example:
    >>> from nqp_text.pipeline.stages.segment import segment
    >>> segmented = segment(context, documents)  # doctest: +SKIP
    >>> len(segmented.tokens)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text.pipeline.cache import hash_config
from nqp_text.pipeline.context import RunContext, doc_items, run_docs
from nqp_text.pipeline.docwork import DocItem, SegmentTask, cut_entry
from nqp_text.pipeline.records import CACHE_VERSION


@dataclass(frozen=True)
class Segmented:
    """Token entries by ``doc_id``; the segmenter's hash; the configuration of the entries;
    the segmenter (whose ``cut_hash`` says whether the model may read its cuts)."""

    tokens: dict[str, Path]
    segmenter_config: str
    config: str
    segmenter: Any


def segment(context: RunContext, documents: pd.DataFrame) -> Segmented:
    """Segment (or find in the cache) every document's passages."""
    from nqp_text.segment.segmenter import Segmenter

    options = context.options
    segmenter = Segmenter(lexicon=options.lexicon, stopwords=options.stopwords,
                          backend=options.backend)
    config = hash_config({"cache": CACHE_VERSION, "segmenter": segmenter.config_hash})
    items = [(DocItem(doc_id, str(passages), str(entry), cut_entry(entry)), entry)
             for doc_id, passages, entry in doc_items(context, documents, "tokens", config)]
    context.cache.mark_used(Path(item.cuts) for item, _ in items if item.cuts)
    tokens = run_docs(context, "segment", SegmentTask(segmenter), items)
    return Segmented(tokens, segmenter.config_hash, config, segmenter)
