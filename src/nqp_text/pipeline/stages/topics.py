"""Stage ``topics``: an LDA topic model over passages or documents, and its agreement.

Inputs: the segment stage's token entries, the passages entries and the
documents table's SHA-256. Key: the entries, the model's parameters, the
unit, ``max_df`` and the version of the topic tables. Writes
``topic_terms``, ``topic_prevalence``, ``document_topics`` and
``topic_model.json``; :func:`topic_quality` (after classify) writes
``topic_agreement``.

Example:
    >>> from nqp_text.pipeline.stages.topics import topics
    >>> topics(context, documents, segmented.tokens)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from nqp_text._tables import write_json
from nqp_text.pipeline.cache import hash_config, read_frame, read_table
from nqp_text.pipeline.context import RunContext, bar, doc_entries, framework, quiet, renamed
from nqp_text.pipeline.ingest import FILE_ID, PASSAGES_ENTRY, PRIVATE_COLUMNS
from nqp_text.pipeline.topics import (
    StreamingDTM,
    collapse_to_documents,
    document_lengths,
    unit_rows,
)

#: The topic model's summary (unit and why, places left out, seeded topics).
TOPIC_MODEL = "topic_model.json"
#: Bumped when the topic tables change meaning (2: place names out, unit chosen).
TOPIC_TABLES_VERSION = 2


def topics(context: RunContext, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    """Fit the topic model and write its tables (or find them up to date)."""
    from nqp_text.analysis.vocabulary import category_map
    from nqp_text.topics import defaults
    from nqp_text.topics.lda import TopicModel, few_units
    from nqp_text.topics.quality import model_summary

    options = context.options
    records = context.records
    seeds = category_map(None, framework(options)) if options.seeded else None
    params = {"k": options.k, "seed_terms": seeds, "random_state": options.seed,
              "passes": options.passes, "min_df": options.min_df,
              "seed_weight": options.seed_weight, "keep_places": options.keep_places}
    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    entries = doc_entries(documents, tokens)
    key = hash_config({"entries": [(d, b, p.name) for d, b, p in entries], "params": params,
                       "unit": options.topic_unit, "max_df": options.max_df,
                       "topic_tables": TOPIC_TABLES_VERSION,
                       "documents": records.digests.get("documents.parquet")})
    names = ("topic_terms", "topic_prevalence", "document_topics")
    if options.topic_unit == "document":
        context.diagnostics.extend(few_units(len(entries), options.k, "document"))
    with context.stage("topics") as record:
        record.items += 1
        if records.fresh(names, key) and records.recorded(TOPIC_MODEL, key):
            record.extra.update(json.loads((context.out / TOPIC_MODEL).read_text("utf-8")))
            return
        builder = StreamingDTM()
        document_rows = []
        passages_entry = dict(zip(documents["doc_id"], documents[PASSAGES_ENTRY], strict=True))
        meta = {str(row["doc_id"]): row for row in public.to_dict("records")}
        for doc_id, base, path in bar(entries, "topics", context.lane_progress):
            passages = renamed(read_frame(
                context.cache.path("passages", str(passages_entry[doc_id])),
                ["passage_id", "doc_id", "seq"]), doc_id, base)
            lists = read_table(path, ["tokens"]).column("tokens").to_pylist()
            builder.add(unit_rows("passage", passages, meta[doc_id]), lists)
            document_rows.append(unit_rows("document", passages, meta[doc_id]))
        dtm = builder.build(dict(public.dtypes))
        del builder
        unit, reason = defaults.choose_unit(options.topic_unit,
                                            document_lengths(dtm).tolist(), options.k)
        if unit == "document":
            dtm = collapse_to_documents(dtm, document_rows, dict(public.dtypes))
        max_df = options.max_df if options.max_df is not None else defaults.max_df_for(unit)
        try:
            with quiet("gensim"):
                model = TopicModel(max_df=max_df, **params).fit(dtm)
        except ValueError as error:  # e.g. a corpus too small for min_df
            record.failed += 1
            record.extra["error"] = str(error)
            context.diagnostics.add("output_missing", "topic tables (topic_terms, "
                                    "topic_prevalence, document_topics) were not written: "
                                    f"{error}", stage="topics", severity="error")
            for name in (*names, "topic_agreement"):
                for suffix in (".csv", ".parquet"):
                    (context.out / f"{name}{suffix}").unlink(missing_ok=True)
            (context.out / TOPIC_MODEL).unlink(missing_ok=True)
            return
        record.computed += 1
        model.unit_, model.unit_reason_ = unit, reason
        summary = model_summary(model)
        record.extra.update(summary)
        records.tables(key, {"topic_terms": model.top_terms(15),
                             "topic_prevalence": model.topic_prevalence("year"),
                             "document_topics": model.document_topics()})
        records.produce(TOPIC_MODEL, key, lambda target: write_json(summary, target),
                        force=True)


def topic_quality(context: RunContext) -> None:
    """Seeded share and agreement of the topics with the classifier's labels (after both).

    Reads what the topics and classify stages wrote (``document_topics``,
    ``topic_terms``, ``labels.parquet``, ``passages.parquet``), writes
    ``topic_agreement`` and puts the figures into the manifest's ``topics``
    record; the warnings become diagnostics (stderr, manifest, report).
    """
    from nqp_text.topics.quality import diagnose

    record = context.stages.get("topics")
    out = context.out
    needed = [out / "document_topics.parquet", out / "topic_terms.parquet", out / TOPIC_MODEL]
    if record is None or record.failed or not all(path.exists() for path in needed):
        return
    model = json.loads((out / TOPIC_MODEL).read_text("utf-8"))
    labels = passages = None
    if (out / "labels.parquet").exists() and (out / "passages.parquet").exists():
        labels = pd.read_parquet(out / "labels.parquet", columns=["passage_id", "labels"])
        passages = pd.read_parquet(out / "passages.parquet",
                                   columns=["passage_id", "doc_id", "year"])
    terms = pd.read_parquet(out / "topic_terms.parquet")
    summary, agreement = diagnose(pd.read_parquet(out / "document_topics.parquet"),
                                  model["labels"], model["seeded_topics"],
                                  terms[terms["rank"] <= 10], labels, passages)
    key = hash_config({"document_topics": context.records.digests.get("document_topics.parquet"),
                       "labels": context.records.digests.get("labels.parquet")})
    context.records.tables(key, {"topic_agreement": agreement})
    record.extra.update(summary)
    for message in summary["warnings"]:
        context.diagnostics.add("topic_quality", message, stage="topics")
