"""``run_pipeline``: input files → every table, chart and the report, resumable and reproducible.

Stages, in order: ``hash`` (SHA-256 of every input) → ``ingest`` (per file) →
``segment``, ``count``, ``classify`` (per document) → ``write`` (the corpus,
tokens and labels tables) → ``trends`` → ``topics`` → ``report``. Per-file and
per-document work goes through one :class:`~nqp_text.pipeline.executors.Executor`
and the content-addressed cache in ``DIR/.cache``; aggregate outputs are built
on the client from the cache entries, one document at a time, in a fixed order
(input files in :func:`~nqp_text.io.reader.discover_files` order, then records
in file order, exactly as ``nqp-text ingest`` orders them).

Each stage is one module of :mod:`nqp_text.pipeline.stages` that states its
inputs and cache key and returns its results; this module only wires them.
Each assembled output records the key of what it was built from
(:mod:`nqp_text.pipeline.records`); when the key and the file's SHA-256 still
match, the output is not rebuilt. A cached re-run therefore reads the inputs,
finds every entry and rewrites only ``manifest.json``.

Example:
    >>> from nqp_text.pipeline import run_pipeline
    >>> manifest = run_pipeline(["corpora/sample"], "results", workers=2)  # doctest: +SKIP
    >>> manifest["stages"]["segment"]["computed"]  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nqp_text import _checks as checks
from nqp_text._atomic import remove_stale_temporaries
from nqp_text._tables import write_json
from nqp_text.diagnostics import collect
from nqp_text.errors import OutputError
from nqp_text.pipeline.cache import CACHE_DIRNAME, Cache
from nqp_text.pipeline.context import RunContext
from nqp_text.pipeline.executors import make_executor
from nqp_text.pipeline.lane import ClientLane
from nqp_text.pipeline.manifest import MANIFEST_NAME, build_manifest, utc_now
from nqp_text.pipeline.options import RunOptions, validate
from nqp_text.pipeline.records import OutputRecords, unchanged_since_run
from nqp_text.pipeline.stage import LazyExecutor
from nqp_text.pipeline.stages.classify import classify
from nqp_text.pipeline.stages.count import count
from nqp_text.pipeline.stages.hash import hash_inputs
from nqp_text.pipeline.stages.ingest import ingest
from nqp_text.pipeline.stages.report import report
from nqp_text.pipeline.stages.report_tables import report_tables
from nqp_text.pipeline.stages.segment import segment
from nqp_text.pipeline.stages.topics import topic_quality, topics
from nqp_text.pipeline.stages.trends import trends
from nqp_text.pipeline.stages.write import (
    write_corpus,
    write_labels,
    write_quality,
    write_tokens,
)
from nqp_text.pipeline.workers import choose_workers

__all__ = ["RunOptions", "run_pipeline", "unchanged_since_run"]


def run_pipeline(inputs: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str],
                 options: RunOptions | None = None, **overrides: Any) -> dict[str, Any]:
    """Run every stage over ``inputs`` (files and folders) into ``out``; return the manifest.

    ``options`` and keyword ``overrides`` are :class:`RunOptions` fields.
    """
    options = dataclasses.replace(options or RunOptions(), **overrides)
    workers, workers_record = choose_workers(options.workers, inputs, options.scheduler)
    options = dataclasses.replace(options, workers=workers)
    validate(options)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = utc_now()
    clock = time.perf_counter()
    cache = Cache(out / CACHE_DIRNAME)
    lazy = LazyExecutor(lambda: make_executor(options.workers, options.scheduler,
                                              connect_timeout=options.connect_timeout))
    lane = ClientLane(background=options.workers > 1 or options.scheduler is not None)
    with _locked(out), contextlib.closing(lazy), contextlib.closing(lane), \
            collect("run") as diagnostics:
        context = RunContext(out, options, cache, lazy, OutputRecords(out), diagnostics,
                             lane_progress=options.progress and not lane.background)
        removed = remove_stale_temporaries(out)
        # no manifest until this run ends: an interrupted run leaves tables partly from an
        # earlier run, and a manifest describing that run would vouch for them
        (out / MANIFEST_NAME).unlink(missing_ok=True)
        hashed = hash_inputs(context, inputs)
        if not hashed.items:
            diagnostics.extend(checks.no_inputs(inputs))
        documents = ingest(context, hashed.items)
        diagnostics.extend(checks.ingest_checks(documents, options))
        diagnostics.extend(checks.short_units(options.unit, options.size, options.model))
        lane.run(write_corpus, context, documents)
        quality = write_quality(context, documents)
        segmented = segment(context, documents)
        lane.wait()
        lane.run(write_tokens, context, documents, segmented.tokens)
        lane.run(topics, context, documents, segmented.tokens)
        lane.run(report_tables, context, documents, segmented.tokens)
        counted = count(context, documents, segmented.tokens, segmented.config)
        classified = classify(context, documents, segmented)
        lane.run(write_labels, context, documents, classified.labels, classified.categories)
        lane.wait()
        topic_quality(context)
        diagnostics.extend(checks.stage_errors(context.stages, documents))
        trends(context, documents, counted, classified.labels)
        report(context)
        executor = lazy.describe()
        pruned = cache.prune() if options.prune_cache else None
    hashes = {**hashed.hashes, "segmenter_config": segmented.segmenter_config,
              "lexicon": counted.lexicon, "model": classified.model}
    manifest = build_manifest(options=options, items=hashed.items, documents=documents,
                              started=started, seconds=time.perf_counter() - clock,
                              executor=executor, removed=removed, hashes=hashes,
                              seeds={"topics": options.seed}, stages=context.stages,
                              outputs=context.records.digests)
    manifest["quality"] = quality
    manifest["workers"] = workers_record
    if pruned is not None:
        manifest["cache_pruned"] = {"files": pruned[0], "bytes": pruned[1]}
    manifest["warnings"] = diagnostics.records()
    write_json(manifest, out / MANIFEST_NAME)
    return manifest


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder (POSIX advisory lock)."""
    lock_path = out / CACHE_DIRNAME / "run.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            yield
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{out}: another nqp-text run is writing to this folder") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
