"""Stage ``classify``: the framework labels of every passage, one cache entry per document.

Inputs: the documents with passages and the model named by the options. Key
of an entry: the document's text and the model's identity
(:func:`nqp_text.classify.persist.model_identity`: its own hash, the lexicon,
the segmenter). The model is loaded once on the client first, so a bad model
fails before any work. When the segment stage cuts exactly as the model's own
segmenter, the model reads those cuts instead of cutting again (same labels);
the manifest's ``stages.classify.tokens`` says which; for a model registered
by name (:mod:`nqp_text.classify.registry`) ``stages.classify.registered``
gives its name, version and identity, and the task carries the registration to
the worker processes. Returns the entries by
``doc_id`` with the model's hash and categories.

Example:
    >>> from nqp_text.pipeline.stages.classify import classify
    >>> classified = classify(context, documents, segmented)  # doctest: +SKIP
    >>> classified.categories[:2]  # doctest: +SKIP
    ['labor_object', 'labor_means']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nqp_text.pipeline.cache import hash_config
from nqp_text.pipeline.context import RunContext, doc_items, run_docs
from nqp_text.pipeline.docwork import ClassifyTask, DocItem, classify_tokens, cut_entry
from nqp_text.pipeline.records import CACHE_VERSION
from nqp_text.pipeline.stages.segment import Segmented


@dataclass(frozen=True)
class Classified:
    """Label entries by ``doc_id``, the model's hash and its categories."""

    labels: dict[str, Path]
    model: str
    categories: list[str]


def classify(context: RunContext, documents: pd.DataFrame, segmented: Segmented) -> Classified:
    """Classify (or find in the cache) every document's passages."""
    from nqp_text.classify.persist import model_identity
    from nqp_text.classify.registry import registered_model

    options = context.options
    identity = model_identity(options.model)
    source = classify_tokens(segmented.segmenter, identity.pop("tokens_config"))
    context.stage("classify").record.extra["tokens"] = source
    cuts = ({doc_id: cut_entry(path) for doc_id, path in segmented.tokens.items()}
            if source["from"] == "segment stage" else {})
    config = hash_config({"cache": CACHE_VERSION, **identity})
    items = [(DocItem(doc_id, str(passages), str(entry), cuts.get(doc_id)), entry)
             for doc_id, passages, entry in doc_items(context, documents, "labels", config)]
    registration = registered_model(str(options.model))
    if registration is not None:
        context.stage("classify").record.extra["registered"] = {
            "name": registration.name, "version": registration.version, "id": identity["id"]}
    task = ClassifyTask(str(options.model), config, registration)
    labels = run_docs(context, "classify", task, items)
    return Classified(labels, identity["id"], identity["categories"])
