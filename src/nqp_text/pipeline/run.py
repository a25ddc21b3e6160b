"""``run_pipeline``: input files → every table, chart and the report, resumable and reproducible.

Stages, in order: ``hash`` (SHA-256 of every input) → ``ingest`` (per file) →
``segment``, ``count``, ``classify`` (per document) → ``write`` (the corpus,
tokens and labels tables) → ``trends`` → ``topics`` → ``report``. Per-file and
per-document work goes through one :class:`~nqp_text.pipeline.executors.Executor`
and the content-addressed cache in ``DIR/.cache``; aggregate outputs are built
on the client from the cache entries, one document at a time, in a fixed order
(input files in :func:`~nqp_text.io.reader.discover_files` order, then records
in file order, exactly as ``nqp-text ingest`` orders them).

Each assembled output records the key of what it was built from in
``DIR/.cache/outputs/<name>.json``; when the key and the file's SHA-256
still match, the output is not rebuilt. A cached re-run therefore reads the
inputs, finds every entry and rewrites only ``manifest.json``.

Example:
    >>> from nqp_text.pipeline import run_pipeline
    >>> manifest = run_pipeline(["corpora/sample"], "results", workers=2)  # doctest: +SKIP
    >>> manifest["stages"]["segment"]["computed"]  # doctest: +SKIP
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from nqp_text import __version__
from nqp_text._atomic import remove_stale_temporaries
from nqp_text._limits import DEFAULT_PDF_ENGINE
from nqp_text.corpus import (
    PASSAGE_COLUMNS,
    SELECTION_STATUSES,
    STATUSES,
    TABLE_COLUMNS,
    empty_frame,
)
from nqp_text.diagnostics import Diagnostics, collect
from nqp_text.io.reader import DEFAULT_TIMEOUT
from nqp_text.pipeline import checks
from nqp_text.pipeline.cache import CACHE_DIRNAME, Cache, hash_config, sha256_file
from nqp_text.pipeline.docwork import (
    TOKENS_SCHEMA,
    ClassifyTask,
    CountItem,
    CountTask,
    DocItem,
    SegmentTask,
    label_counts,
    labels_schema,
    read_counts,
)
from nqp_text.pipeline.executors import make_executor
from nqp_text.pipeline.ingest import (
    ENTRY_VERSION,
    FILE_ID,
    PASSAGES_ENTRY,
    PRIVATE_COLUMNS,
    TABLES_ENTRY,
    TEXT_KEY,
    IngestItem,
    IngestTask,
    read_entry,
    with_final_ids,
)
from nqp_text.pipeline.manifest import (
    MANIFEST_NAME,
    SCHEMA_VERSION,
    StageRecord,
    StageTimer,
    environment,
    utc_now,
)
from nqp_text.pipeline.outputs import (
    ParquetStream,
    to_arrow,
    write_csv,
    write_json,
    write_parquet,
)
from nqp_text.pipeline.stage import LazyExecutor, map_cached
from nqp_text.pipeline.topics import (
    StreamingDTM,
    collapse_to_documents,
    document_lengths,
    unit_rows,
)
from nqp_text.pipeline.trends import TrendsReducer
from nqp_text.preprocess.passages import DEFAULT_MAX_PASSAGE
from nqp_text.topics import defaults as topic_defaults

#: Bumped whenever the layout of cache entries changes, so old entries are ignored.
CACHE_VERSION = 1
#: Read options only PDFs depend on.
_PDF_OPTIONS = ("pdf_engine", "ocr")
#: The topic model's summary (unit and why, places left out, seeded topics).
TOPIC_MODEL = "topic_model.json"
#: Bumped when the topic tables change meaning (2: place names out, unit chosen).
TOPIC_TABLES_VERSION = 2


@dataclass(frozen=True)
class RunOptions:
    """Every option of a run (recorded in the manifest).

    Ingest: ``metadata``, ``unit``, ``size``, ``text_field``, ``year_field``,
    ``title_field``, ``id_field``, ``timeout``, ``memory_limit`` (each reader
    process's address-space cap in bytes, ``"auto"`` or ``None``, as
    :func:`nqp_text.read_corpus` takes it), ``follow_links`` (read symbolic links
    out of the inputs; by default they are ``failed`` rows, never opened, not even
    hashed), ``to_simplified``, ``pdf_engine``,
    ``keep_boilerplate``, ``max_passage``,
    ``sections`` (chapter kinds to keep, e.g. ``("mda",)``; see
    :mod:`nqp_text.preprocess.sections`),
    ``ocr`` (``never``, ``auto``, ``always``: which PDF pages are read by OCR).
    Segment: ``lexicon``, ``stopwords``, ``backend``.
    Classify: ``model`` (``default``, ``dictionary``, a model directory or a
    framework YAML, as :func:`nqp_text.load_model` takes); ``framework`` (a
    YAML) sets the categories of the trends tables and the topic seeds.
    Topics (defaults shared with ``fit_topics`` and ``nqp-text topics``, see
    :mod:`nqp_text.topics.defaults`): ``k``, ``seed``, ``seeded`` (framework
    categories as seed topics), ``seed_weight``, ``passes``, ``topic_unit``
    (``auto``, ``document`` or ``passage``: what one LDA document is; ``auto``
    picks from the corpus's shape and says why in the manifest), ``min_df``,
    ``max_df`` (in units; ``None``: the unit's default), ``keep_places``
    (place names stay in the vocabulary); gensim LDA, one process.
    Execution: ``workers``, ``scheduler`` (``tcp://…`` or ``local-cluster``),
    ``progress``, ``prune_cache`` (after the run, delete the cache entries it did
    not use: those of earlier inputs, lexicons, models or options).
    """

    metadata: str | None = None
    unit: str = "paragraph"
    size: int | None = None
    text_field: str | None = None
    year_field: str | None = None
    title_field: str | None = None
    id_field: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    memory_limit: int | str | None = "auto"
    follow_links: bool = False
    to_simplified: bool = False
    pdf_engine: str = DEFAULT_PDF_ENGINE
    keep_boilerplate: bool = False
    max_passage: int | None = DEFAULT_MAX_PASSAGE
    sections: tuple[str, ...] | None = None
    ocr: str = "never"
    lexicon: str = "default"
    stopwords: str = "default"
    backend: str = "jieba"
    framework: str | None = None
    model: str = "default"
    k: int = topic_defaults.K
    seed: int = 0
    seeded: bool = topic_defaults.SEEDED
    passes: int = topic_defaults.PASSES
    topic_unit: str = topic_defaults.UNIT
    min_df: int = topic_defaults.MIN_DF
    max_df: float | None = None
    seed_weight: float = topic_defaults.SEED_WEIGHT
    keep_places: bool = topic_defaults.KEEP_PLACES
    workers: int = 1
    scheduler: str | None = None
    progress: bool = True
    prune_cache: bool = False

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`nqp_text.read_corpus` for one file."""
        return {"unit": self.unit, "size": self.size, "text_field": self.text_field,
                "year_field": self.year_field, "title_field": self.title_field,
                "id_field": self.id_field, "to_simplified": self.to_simplified,
                "pdf_engine": self.pdf_engine, "keep_boilerplate": self.keep_boilerplate,
                "max_passage": self.max_passage,
                "sections": list(self.sections) if self.sections is not None else None,
                "ocr": self.ocr}


@dataclass
class _State:
    out: Path
    options: RunOptions
    cache: Cache
    lazy: LazyExecutor
    stages: dict[str, StageRecord] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    configs: dict[str, str] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    categories: dict[str, list[str]] = field(default_factory=dict)
    label_categories: list[str] = field(default_factory=list)
    seeds: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    lane_progress: bool = True

    def stage(self, name: str) -> StageTimer:
        return StageTimer(self.stages.setdefault(name, StageRecord()))


class _ClientLane:
    """Client work (assembling outputs, the topic model) beside the workers' tasks.

    With worker processes or Dask, the client would sit idle while it waits for
    per-document results; one background thread does the client-side stages
    that are already possible meanwhile. In-process (``--workers 1``) there is
    nothing to overlap and the work runs inline. Every stage writes keyed,
    deterministic outputs, so the order in which they finish changes nothing.
    """

    def __init__(self, background: bool) -> None:
        self.background = background
        self._pool = (concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="nqp-client")
                      if background else None)
        self._futures: list[concurrent.futures.Future[Any]] = []

    def run(self, function: Callable[..., Any], *args: Any) -> None:
        if self._pool is None:
            function(*args)
        else:
            self._futures.append(self._pool.submit(function, *args))

    def wait(self) -> None:
        """Wait for the work started so far; re-raise its first error."""
        futures, self._futures = self._futures, []
        for future in futures:
            future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def run_pipeline(inputs: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str],
                 options: RunOptions | None = None, **overrides: Any) -> dict[str, Any]:
    """Run every stage over ``inputs`` (files and folders) into ``out``; return the manifest.

    ``options`` and keyword ``overrides`` are :class:`RunOptions` fields.
    """
    options = dataclasses.replace(options or RunOptions(), **overrides)
    _validate(options)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = utc_now()
    clock = time.perf_counter()
    cache = Cache(out / CACHE_DIRNAME)
    lazy = LazyExecutor(lambda: make_executor(options.workers, options.scheduler))
    state = _State(out, options, cache, lazy)
    lane = _ClientLane(background=options.workers > 1 or options.scheduler is not None)
    state.lane_progress = options.progress and not lane.background
    with _locked(out), contextlib.closing(lazy), contextlib.closing(lane), \
            collect("run") as state.diagnostics:
        removed = remove_stale_temporaries(out)
        items = _hash_inputs(state, inputs)
        if not items:
            state.diagnostics.extend(checks.no_inputs(inputs))
        documents = _ingest(state, items)
        state.diagnostics.extend(checks.ingest_checks(documents, options))
        state.diagnostics.extend(checks.short_units(options.unit, options.size, options.model))
        lane.run(_write_corpus, state, documents)
        quality = _quality(state, documents)
        tokens = _segment(state, documents)
        lane.wait()
        lane.run(_write_tokens, state, documents, tokens)
        lane.run(_topics, state, documents, tokens)
        lane.run(_report_tables, state, documents, tokens)
        counts = _count(state, documents, tokens)
        labels = _classify(state, documents)
        lane.run(_write_labels, state, documents, labels)
        lane.wait()
        _topic_quality(state)
        state.diagnostics.extend(checks.stage_errors(state.stages, documents))
        _trends(state, documents, counts, labels)
        _report(state)
        executor = lazy.describe()
        pruned = cache.prune() if options.prune_cache else None
    manifest = _manifest(state, items, documents, started, time.perf_counter() - clock,
                         executor, removed)
    manifest["quality"] = quality
    if pruned is not None:
        manifest["cache_pruned"] = {"files": pruned[0], "bytes": pruned[1]}
    manifest["warnings"] = state.diagnostics.records()
    write_json(manifest, out / MANIFEST_NAME)
    return manifest


def _validate(options: RunOptions) -> None:
    """Raise ``ValueError`` for options every worker would otherwise fail on, per file."""
    from nqp_text.io.metadata import Metadata
    from nqp_text.io.pdf._ocr import check_ocr_mode
    from nqp_text.io.pdf.reader import check_engine_name
    from nqp_text.io.reader import resolve_memory_limit
    from nqp_text.preprocess.passages import check_max_chars, check_unit
    from nqp_text.preprocess.sections import check_sections

    check_unit(options.unit, options.size)
    check_max_chars(options.max_passage)
    check_engine_name(options.pdf_engine)
    check_sections(options.sections)
    check_ocr_mode(options.ocr)
    if isinstance(options.workers, bool) or not isinstance(options.workers, int) \
            or options.workers < 1:
        raise ValueError(f"workers must be an integer >= 1; got {options.workers!r}")
    if options.timeout is not None and options.timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds or None; got {options.timeout!r}")
    resolve_memory_limit(options.memory_limit)
    if options.topic_unit not in topic_defaults.UNITS:
        raise ValueError(f"topic_unit must be one of {topic_defaults.UNITS}; "
                         f"got {options.topic_unit!r}")
    if options.metadata is not None:
        Metadata.load(options.metadata)


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
            raise RuntimeError(f"{out}: another nqp-text run is writing to this folder") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# -- hash and ingest ----------------------------------------------------------------------


def _hash_inputs(state: _State, inputs: Sequence[str | os.PathLike[str]]) -> list[IngestItem]:
    from nqp_text.io._extract import file_kind, unreadable_reason
    from nqp_text.io.links import input_roots, outside_reason
    from nqp_text.io.reader import discover_files

    options = state.options
    exclude = {os.path.abspath(options.metadata)} if options.metadata else set()
    out = os.path.abspath(state.out) + os.sep
    files = [path for path in discover_files(inputs, exclude=exclude)
             if not os.path.abspath(path).startswith(out)]
    metadata_sha = sha256_file(options.metadata) if options.metadata else None
    common = {"cache": CACHE_VERSION, "entry": ENTRY_VERSION, "nqp_text": __version__,
              "metadata": metadata_sha}
    read = options.read_options()
    # Only PDFs depend on the PDF engine and OCR: switching them re-reads the PDFs only.
    other = {name: value for name, value in read.items() if name not in _PDF_OPTIONS}
    configs = {True: hash_config({**common, "read": read, "ocr": _ocr_config(options.ocr)}),
               False: hash_config({**common, "read": other})}
    # A PDF read without OCR that had no page needing it reads the same with ocr="auto".
    without_ocr = hash_config({**common, "read": {**read, "ocr": "never"},
                               "ocr": _ocr_config("never")})
    state.hashes["ingest_config"] = configs[False]
    state.hashes["ingest_config_pdf"] = configs[True]
    if metadata_sha:
        state.hashes["metadata"] = metadata_sha
    items = []
    roots = input_roots(inputs)
    with state.stage("hash") as record:
        for path in files:
            refused = None if options.follow_links else outside_reason(path, roots)
            if refused is None and os.path.isdir(path):  # a folder that could not be listed
                refused = unreadable_reason(path)
            if refused:
                sha = "unreadable:link"
                items.append(IngestItem(path, sha, Cache.key("ingest", f"{sha}\0{path}", "refused"),
                                        refused))
                continue
            try:
                sha = sha256_file(path)
            except OSError as error:  # unreadable: ingest reports it as a failed row
                sha = "unreadable:" + (error.strerror or type(error).__name__)
            is_pdf = file_kind(path) == "pdf"
            key = Cache.key("ingest", f"{sha}\0{path}", configs[is_pdf])
            if is_pdf and options.ocr == "auto":
                key = _reuse_without_ocr(state.cache, key,
                                         Cache.key("ingest", f"{sha}\0{path}", without_ocr))
            items.append(IngestItem(path, sha, key))
        record.items = record.computed = len(items)
    return items


def _ocr_config(mode: str) -> dict[str, Any] | None:
    """What an OCR reading depends on (engine, library versions, models, resolution)."""
    if mode == "never":
        return None
    from nqp_text.io.pdf._ocr import RapidOcrEngine

    return {"mode": mode, **RapidOcrEngine().describe()}


def _reuse_without_ocr(cache: Cache, key: str, plain_key: str) -> str:
    """``plain_key`` when its entry (read without OCR) has no page OCR would read, else ``key``.

    So turning ``ocr="auto"`` on re-reads only the PDFs with scanned or unreadable pages.
    """
    entry = cache.path("ingest", plain_key)
    if cache.path("ingest", key).exists() or not entry.exists():
        return key
    try:
        documents = read_entry(entry)
    except Exception:  # a damaged entry: read the file again
        return key
    columns = ("scanned_pages", "unreadable_pages")
    if not all(name in documents.columns for name in columns):
        return key
    needs = any(value is not None and len(value) > 0
                for name in columns for value in documents[name])
    return key if needs else plain_key


def _ingest(state: _State, items: list[IngestItem]) -> pd.DataFrame:
    options = state.options
    from nqp_text.io.reader import resolve_memory_limit

    task = IngestTask(str(state.cache.root), options.metadata, options.read_options(),
                      options.timeout, resolve_memory_limit(options.memory_limit))
    frames = []
    with state.stage("ingest") as record:
        readable = [item for item in items if item.refused is None]
        state.cache.mark_used(task.entry(item) for item in readable)
        outcomes = iter(map_cached(state.lazy, task,
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
        documents = _concat_documents(frames)
        record.extra["documents"] = len(documents)
    return _selected(with_final_ids(documents), state.cache)


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
    columns = list(dict.fromkeys(name for frame in frames for name in frame.columns))
    merged = pd.concat([frame.reindex(columns=columns) for frame in frames],
                       ignore_index=True)
    for name in merged.columns:
        merged[name] = _one_type(merged[name])
    return merged


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


# -- assembled outputs --------------------------------------------------------------------


def _record_path(out: Path, name: str) -> Path:
    return out / CACHE_DIRNAME / "outputs" / f"{name}.json"


def _record(out: Path, name: str) -> dict[str, Any] | None:
    """The run's record of output ``DIR/name`` (``key``, ``sha256``) when both exist."""
    target = out / name
    record_path = _record_path(out, name)
    if not (target.exists() and record_path.exists()):
        return None
    try:
        recorded = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


def unchanged_since_run(directory: str | os.PathLike[str], name: str) -> bool:
    """Whether ``DIR/name`` is byte for byte the file ``nqp-text run`` last wrote there.

    Compares the file's SHA-256 with the run's record in ``DIR/.cache/outputs``;
    ``False`` for a file no run wrote (or whose record is gone).

    Example:
        >>> unchanged_since_run("results", "tokens.parquet")  # doctest: +SKIP
        True
    """
    recorded = _record(Path(directory), name)
    return recorded is not None and recorded.get("sha256") == sha256_file(Path(directory) / name)


def _recorded(state: _State, name: str, key: str) -> bool:
    """Whether ``DIR/name`` exists, was built from ``key`` and is unchanged since."""
    recorded = _record(state.out, name)
    if recorded is None or recorded.get("key") != _output_key(key) \
            or recorded.get("sha256") != sha256_file(state.out / name):
        return False
    state.outputs[name] = recorded["sha256"]
    return True


def _output_key(key: str) -> str:
    return hash_config({"key": key, "cache": CACHE_VERSION, "nqp_text": __version__})


def _produce(state: _State, name: str, key: str, write: Callable[[Path], Any],
             force: bool = False) -> bool:
    """Write ``DIR/name`` with ``write`` unless it is already built from ``key``."""
    if not force and _recorded(state, name, key):
        return False
    target = state.out / name
    write(target)
    digest = sha256_file(target)
    write_json({"key": _output_key(key), "sha256": digest},
               _record_path(state.out, name))
    state.outputs[name] = digest
    return True


def _renamed(frame: pd.DataFrame, doc_id: str, base: str) -> pd.DataFrame:
    """``frame`` of document ``base`` (its id in its own file) under its final ``doc_id``."""
    if doc_id == base:
        return frame
    frame = frame.copy()
    frame["doc_id"] = doc_id
    if "passage_id" in frame.columns:
        frame["passage_id"] = [f"{doc_id}:{seq}" for seq in frame["seq"]] if "seq" in frame \
            else [doc_id + pid[len(base):] for pid in frame["passage_id"].astype(str)]
    return frame


def _entries(state: _State, documents: pd.DataFrame, column: str, stage: str
             ) -> list[tuple[str, str, Path]]:
    """``(doc_id, base_id, entry path)`` of every document that has the entry."""
    rows = documents[documents[column].notna()]
    return [(str(doc_id), str(base), state.cache.path(stage, str(key)))
            for doc_id, base, key in zip(rows["doc_id"], rows[FILE_ID], rows[column],
                                         strict=True)]


def _stream(state: _State, name: str, entries: list[tuple[str, str, Path]],
            schema: pa.Schema, exact: bool = False) -> None:
    """Write ``DIR/name`` from per-document entries, in order, with renamed ids applied.

    ``schema`` is the file's schema when there are no entries; with ``exact``
    always (a document whose token or label lists are all empty reads back as
    lists of nulls, which must not set the type of the column).
    """
    key = hash_config({"entries": [(doc_id, base, path.name) for doc_id, base, path in entries],
                       "schema": schema.to_string() if exact else None})

    def write(target: Path) -> None:
        with ParquetStream(target, schema=schema if exact or not entries else None) as stream:
            for doc_id, base, path in _bar(entries, f"write {name}", state.lane_progress):
                stream.write(_renamed(pd.read_parquet(path), doc_id, base))

    with state.stage("write") as record:
        record.items += 1
        record.computed += _produce(state, name, key, write)


def _write_corpus(state: _State, documents: pd.DataFrame) -> None:
    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    with state.stage("write") as record:
        record.items += 1
        record.computed += _produce(state, "documents.parquet",
                                    hash_config(to_arrow(public).to_pylist()),
                                    lambda target: write_parquet(public, target))
    _stream(state, "passages.parquet", _entries(state, documents, PASSAGES_ENTRY, "passages"),
            to_arrow(empty_frame(PASSAGE_COLUMNS)).schema)
    _stream(state, "tables.parquet", _entries(state, documents, TABLES_ENTRY, "tables"),
            to_arrow(empty_frame(TABLE_COLUMNS)).schema)


def _quality(state: _State, documents: pd.DataFrame) -> dict[str, Any]:
    """Write ``quality.csv`` (one row per document), say its findings, return its summary."""
    from nqp_text.quality import (
        SAID_ELSEWHERE,
        corpus_quality,
        quality_csv_frame,
        quality_summary,
    )

    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    texts = [pd.read_parquet(path, columns=["text"]).assign(doc_id=doc_id)
             for doc_id, _, path in _entries(state, documents, PASSAGES_ENTRY, "passages")]
    passages = pd.concat(texts, ignore_index=True) if texts else \
        pd.DataFrame({"doc_id": [], "text": []})
    table = corpus_quality(public, passages)
    summary = quality_summary(table)
    flat = quality_csv_frame(table)
    with state.stage("write") as record:
        record.items += 1
        record.computed += _produce(state, "quality.csv",
                                    hash_config(to_arrow(flat).to_pylist()),
                                    lambda target: write_csv(flat, target))
    flagged = int((table["problems"].map(len) > 0).sum())
    for line in quality_summary(table, skip=SAID_ELSEWHERE):
        state.diagnostics.add("quality", f"{line} (see quality.csv)", stage="ingest")
    return {"documents_with_problems": flagged, "summary": summary}


# -- segment, count, trends -----------------------------------------------------------------


def _doc_entries(state: _State, documents: pd.DataFrame, found: dict[str, Path]
                 ) -> list[tuple[str, str, Path]]:
    """``(doc_id, base_id, entry)`` in output order for the documents in ``found``."""
    return [(doc_id, base, found[doc_id])
            for doc_id, base in zip(documents["doc_id"], documents[FILE_ID], strict=True)
            if doc_id in found]


def _run_docs(state: _State, name: str, task: Callable[[Any], Any],
              items: list[tuple[Any, Path]]) -> dict[str, Path]:
    """Run a per-document stage; the entries of the documents that worked, by ``doc_id``."""
    found: dict[str, Path] = {}
    with state.stage(name) as record:
        for outcome in map_cached(state.lazy, task, items, from_cache=lambda item: None,
                                  record=record, desc=name, progress=state.options.progress):
            if outcome.ok:
                found[outcome.item.doc_id] = Path(outcome.item.entry)
            else:
                record.extra.setdefault("errors", {})[outcome.item.doc_id] = outcome.error
    return found


def _segment(state: _State, documents: pd.DataFrame) -> dict[str, Path]:
    from nqp_text.segment.segmenter import Segmenter

    options = state.options
    segmenter = Segmenter(lexicon=options.lexicon, stopwords=options.stopwords,
                          backend=options.backend)
    state.hashes["segmenter_config"] = segmenter.config_hash
    state.configs["tokens"] = config = hash_config(
        {"cache": CACHE_VERSION, "segmenter": segmenter.config_hash})
    items = [(DocItem(doc_id, str(passages), str(entry)), entry)
             for doc_id, passages, entry in _doc_items(state, documents, "tokens", config)]
    return _run_docs(state, "segment", SegmentTask(segmenter), items)


def _doc_items(state: _State, documents: pd.DataFrame, stage: str, config: str,
               only: Collection[str] | None = None) -> list[tuple[str, Path, Path]]:
    """``(doc_id, passages entry, entry of stage)`` of each document with passages.

    A stage's entry is keyed by the document's text (:data:`TEXT_KEY`) and the
    stage's ``config``; ``only`` keeps the documents with these ids.
    """
    rows = documents[documents[PASSAGES_ENTRY].notna()]
    if only is not None:
        rows = rows[rows["doc_id"].isin(only)]
    return [(str(doc_id), state.cache.path("passages", str(pkey)),
             state.cache.path(stage, Cache.key(stage, str(tkey), config)))
            for doc_id, pkey, tkey in zip(rows["doc_id"], rows[PASSAGES_ENTRY], rows[TEXT_KEY],
                                          strict=True)]


def _write_tokens(state: _State, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    _stream(state, "tokens.parquet", _doc_entries(state, documents, tokens), TOKENS_SCHEMA,
            exact=True)


def _trends_lexicon(options: RunOptions) -> str | None:
    """The lexicon trends count: the run's lexicon when it is a lexicon TSV, else the default."""
    lexicon = options.lexicon
    return lexicon if lexicon != "default" and str(lexicon).lower().endswith(".tsv") else None


def _count(state: _State, documents: pd.DataFrame, tokens: dict[str, Path]) -> dict[str, Path]:
    from nqp_text.analysis.vocabulary import category_map, lexicon_table

    lexicon = _trends_lexicon(state.options)
    terms = sorted(lexicon_table(lexicon)["term"].astype(str))
    state.terms = terms
    state.categories = category_map(None, _framework(state.options), lexicon)
    category_terms = tuple(dict.fromkeys(t for group in state.categories.values()
                                         for t in group))
    state.hashes["lexicon"] = hash_config(terms)
    config = hash_config({"cache": CACHE_VERSION, "terms": state.hashes["lexicon"],
                          "category_terms": category_terms, "tokens": state.configs["tokens"]})
    items = [(CountItem(doc_id, str(passages), str(tokens[doc_id]), str(entry)), entry)
             for doc_id, passages, entry in _doc_items(state, documents, "counts", config,
                                                       only=tokens)]
    return _run_docs(state, "count", CountTask(lexicon, category_terms), items)


def _framework(options: RunOptions) -> Any:
    """The framework of ``--framework YAML``, else ``None`` (the shipped one)."""
    if options.framework is None:
        return None
    from nqp_text.framework import load_framework

    return load_framework(options.framework)


def _classify(state: _State, documents: pd.DataFrame) -> dict[str, Path]:
    options = state.options
    identity = _model_identity(options.model)
    state.hashes["model"] = identity["id"]
    state.label_categories = identity["categories"]
    state.configs["labels"] = config = hash_config({"cache": CACHE_VERSION, **identity})
    items = [(DocItem(doc_id, str(passages), str(entry)), entry)
             for doc_id, passages, entry in _doc_items(state, documents, "labels", config)]
    return _run_docs(state, "classify", ClassifyTask(str(options.model), config), items)


def _model_identity(name: str) -> dict[str, Any]:
    """What the labels depend on: the model's own hash, the lexicon, the segmenter.

    Loads the model once on the client so that a bad model fails before any work.
    """
    from nqp_text.classify.persist import (
        default_model_dir,
        lexicon_sha256,
        load_model,
        read_manifest,
    )
    from nqp_text.framework import load_framework
    from nqp_text.segment.segmenter import Segmenter

    model = load_model(name)
    if name == "default":
        identity = read_manifest(default_model_dir())["manifest_sha256"]
    elif name == "dictionary":
        identity = load_framework().sha256
    elif Path(name).is_file():
        identity = load_framework(name).sha256
    else:
        identity = read_manifest(name)["manifest_sha256"]
    return {"model": name, "kind": type(model).__name__, "id": identity,
            "categories": list(model.categories_), "lexicon": lexicon_sha256(),
            "segmenter": Segmenter().config_hash}


def _write_labels(state: _State, documents: pd.DataFrame, labels: dict[str, Path]) -> None:
    _stream(state, "labels.parquet", _doc_entries(state, documents, labels),
            labels_schema(state.label_categories), exact=True)


def _trends(state: _State, documents: pd.DataFrame, counts: dict[str, Path],
            labels: dict[str, Path]) -> None:
    years = dict(zip(documents["doc_id"], documents["year"], strict=True))
    entries = [(doc_id, path) for doc_id, _, path in _doc_entries(state, documents, counts)
               if not pd.isna(years[doc_id])]
    labelled = all(doc_id in labels for doc_id, _ in entries)
    key = hash_config({"entries": [(doc_id, years[doc_id], path.name,
                                    labels[doc_id].name if labelled else None)
                                   for doc_id, path in entries],
                       "terms": state.terms, "categories": state.categories})
    state.diagnostics.extend(checks.year_gaps(years[doc_id] for doc_id, _ in entries))
    if not entries:
        state.diagnostics.extend(checks.no_dated_text(len(counts)))
    with state.stage("trends") as record:
        record.items += 1
        if not labelled:
            record.extra["warning"] = ("some documents have no labels: category_trends "
                                       "has no passage shares")
            state.diagnostics.add("stage_failed", record.extra["warning"], stage="trends")
        if _fresh(state, ("trends_lexicon", "category_trends"), key):
            return
        reducer = TrendsReducer(state.terms, state.categories)
        for doc_id, path in _bar(entries, "trends", state.options.progress):
            found = read_counts(str(path))
            reducer.add(int(years[doc_id]), found.counts, found.n_tokens, found.n_passages,
                        n_labelled=label_counts(str(labels[doc_id])) if labelled else None,
                        category_counts=found.category_counts)
        record.computed += 1
        _tables(state, key, {"trends_lexicon": reducer.term_table(),
                             "category_trends": reducer.category_table()})


# -- topics and report --------------------------------------------------------------------


def _topics(state: _State, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    from nqp_text.analysis.vocabulary import category_map
    from nqp_text.topics import defaults
    from nqp_text.topics.lda import TopicModel, few_units
    from nqp_text.topics.quality import model_summary

    options = state.options
    seeds = category_map(None, _framework(options)) if options.seeded else None
    params = {"k": options.k, "seed_terms": seeds, "random_state": options.seed,
              "passes": options.passes, "min_df": options.min_df,
              "seed_weight": options.seed_weight, "keep_places": options.keep_places}
    state.seeds["topics"] = options.seed
    public = documents.drop(columns=[*PRIVATE_COLUMNS, FILE_ID])
    entries = _doc_entries(state, documents, tokens)
    key = hash_config({"entries": [(d, b, p.name) for d, b, p in entries], "params": params,
                       "unit": options.topic_unit, "max_df": options.max_df,
                       "topic_tables": TOPIC_TABLES_VERSION,
                       "documents": state.outputs.get("documents.parquet")})
    names = ("topic_terms", "topic_prevalence", "document_topics")
    if options.topic_unit == "document":
        state.diagnostics.extend(few_units(len(entries), options.k, "document"))
    with state.stage("topics") as record:
        record.items += 1
        if _fresh(state, names, key) and _recorded(state, TOPIC_MODEL, key):
            record.extra.update(json.loads((state.out / TOPIC_MODEL).read_text("utf-8")))
            return
        builder = StreamingDTM()
        document_rows = []
        passages_entry = dict(zip(documents["doc_id"], documents[PASSAGES_ENTRY], strict=True))
        meta = {str(row["doc_id"]): row for row in public.to_dict("records")}
        for doc_id, base, path in _bar(entries, "topics", state.lane_progress):
            passages = _renamed(pd.read_parquet(
                state.cache.path("passages", str(passages_entry[doc_id])),
                columns=["passage_id", "doc_id", "seq"]), doc_id, base)
            lists = [list(t) for t in pd.read_parquet(path, columns=["tokens"])["tokens"]]
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
            with _quiet("gensim"):
                model = TopicModel(max_df=max_df, **params).fit(dtm)
        except ValueError as error:  # e.g. a corpus too small for min_df
            record.failed += 1
            record.extra["error"] = str(error)
            state.diagnostics.add("output_missing", "topic tables (topic_terms, "
                                  f"topic_prevalence, document_topics) were not written: {error}",
                                  stage="topics", severity="error")
            for name in (*names, "topic_agreement"):
                for suffix in (".csv", ".parquet"):
                    (state.out / f"{name}{suffix}").unlink(missing_ok=True)
            (state.out / TOPIC_MODEL).unlink(missing_ok=True)
            return
        record.computed += 1
        model.unit_, model.unit_reason_ = unit, reason
        summary = model_summary(model)
        record.extra.update(summary)
        _tables(state, key, {"topic_terms": model.top_terms(15),
                             "topic_prevalence": model.topic_prevalence("year"),
                             "document_topics": model.document_topics()})
        _produce(state, TOPIC_MODEL, key, lambda target: write_json(summary, target), force=True)


def _topic_quality(state: _State) -> None:
    """Seeded share and agreement of the topics with the classifier's labels (after both).

    Reads what the topics and classify stages wrote (``document_topics``,
    ``topic_terms``, ``labels.parquet``, ``passages.parquet``), writes
    ``topic_agreement`` and puts the figures into the manifest's ``topics``
    record; the warnings become diagnostics (stderr, manifest, report).
    """
    from nqp_text.topics.quality import diagnose

    record = state.stages.get("topics")
    out = state.out
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
    key = hash_config({"document_topics": state.outputs.get("document_topics.parquet"),
                       "labels": state.outputs.get("labels.parquet")})
    _tables(state, key, {"topic_agreement": agreement})
    record.extra.update(summary)
    for message in summary["warnings"]:
        state.diagnostics.add("topic_quality", message, stage="topics")


def _report_tables(state: _State, documents: pd.DataFrame, tokens: dict[str, Path]) -> None:
    """``document_lengths``, ``trends_focus_terms``, ``keyness_last_periods`` for the report.

    Streams each document's passages and tokens through
    :class:`~nqp_text.viz.report_tables.ReportTablesReducer`, so that the
    report needs neither the passages nor the tokens in memory.
    """
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
    entries = _doc_entries(state, documents, tokens)
    focus, periods = focus_terms(), report_periods(years.values())
    names = report_table_names([years[doc_id] for doc_id, _, _ in entries], periods)
    key = hash_config({"entries": [(doc_id, years[doc_id], str(passages_entry[doc_id]),
                                    path.name) for doc_id, _, path in entries],
                       "focus": focus, "periods": periods, "keyness": "places left out"})
    if KEYNESS not in names and any(years[doc_id] is not None for doc_id, _, _ in entries):
        state.diagnostics.extend(checks.skipped_keyness(periods))
    with state.stage("report_tables") as record:
        record.items += 1
        if KEYNESS not in names:
            for suffix in (".csv", ".parquet"):
                (state.out / f"{KEYNESS}{suffix}").unlink(missing_ok=True)
        if _fresh(state, names, key):
            return
        reducer = ReportTablesReducer(focus, periods)
        for doc_id, _, path in _bar(entries, "report tables", state.lane_progress):
            passages = pd.read_parquet(state.cache.path("passages", str(passages_entry[doc_id])))
            lists = [list(t) for t in pd.read_parquet(path, columns=["tokens"])["tokens"]]
            reducer.add(doc_id, years[doc_id], passages, lists)
        record.computed += 1
        _tables(state, key, reducer.tables())


def _report(state: _State) -> None:
    from nqp_text.viz.fonts import find_cjk_font
    from nqp_text.viz.report import build_report

    options = state.options
    with state.stage("report") as record:
        record.items += 1
        try:
            font = find_cjk_font()
        except Exception as error:  # no CJK font: every table is written, the page is not
            record.failed += 1
            record.extra["error"] = str(error)
            (state.out / "report.html").unlink(missing_ok=True)  # an older page would mislead
            _no_report(state, str(error))
            return
        inputs = {name: digest for name, digest in state.outputs.items()
                  if name != "report.html"}
        shown = state.diagnostics.ordered()
        key = hash_config({"inputs": inputs, "font": str(font.path), "k": options.k,
                           "seed": options.seed, "passes": options.passes,
                           "warnings": [d.as_dict() for d in shown]})
        try:
            record.computed += _produce(
                state, "report.html", key,
                lambda target: _quietly(build_report, state.out, out=target, k=options.k,
                                        seed=options.seed, passes=options.passes, font=font,
                                        warnings=shown))
        except Exception as error:  # the tables stand on their own; say why the page is missing
            record.failed += 1
            record.extra["error"] = f"{type(error).__name__}: {error}"
            (state.out / "report.html").unlink(missing_ok=True)
            _no_report(state, record.extra["error"])


def _no_report(state: _State, reason: str) -> None:
    state.diagnostics.add("output_missing", f"report.html was not written: {reason} (every "
                          "table is written)", stage="report", severity="error")


def _fresh(state: _State, names: Sequence[str], key: str) -> bool:
    """Whether every ``<name>.csv``/``.parquet`` table is already built from ``key``."""
    files = [f"{name}{suffix}" for name in names for suffix in (".csv", ".parquet")]
    return all(_recorded(state, file, key) for file in files)


def _tables(state: _State, key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table as ``<name>.csv`` and ``<name>.parquet`` and record it as built."""
    for name, frame in tables.items():
        frame = frame.reset_index(drop=True)
        frame.attrs = {}
        _produce(state, f"{name}.csv", key, lambda target, f=frame: write_csv(f, target),
                 force=True)
        _produce(state, f"{name}.parquet", key,
                 lambda target, f=frame: write_parquet(f, target), force=True)


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Hide a library's progress warnings (gensim's "too few updates") during one call."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _quietly(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with _quiet("gensim"):
        return function(*args, **kwargs)


def _bar(items: Sequence[Any], desc: str, progress: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="doc", disable=not progress, dynamic_ncols=True)


# -- manifest -----------------------------------------------------------------------------


def _manifest(state: _State, items: list[IngestItem], documents: pd.DataFrame, started: str,
              seconds: float, executor: dict[str, Any] | None, removed: int) -> dict[str, Any]:
    per_file = documents.groupby("path", sort=False)
    inputs = []
    for item in items:
        rows = per_file.get_group(item.path) if item.path in per_file.groups else documents[:0]
        statuses = rows["status"].astype(str).value_counts().to_dict()
        errors = sorted({str(e) for e in rows["error"].dropna()})
        status = "ok" if statuses and set(statuses) == {"ok"} else (
            next(iter(statuses)) if len(statuses) == 1 else "mixed")
        inputs.append({"path": item.path, "sha256": item.sha256, "status": status,
                       "documents": int(len(rows)), "statuses": statuses,
                       "errors": errors[:5]})
    counts = documents["status"].astype(str).value_counts()
    return {
        "schema_version": SCHEMA_VERSION,
        "started": started,
        "finished": utc_now(),
        "seconds": round(seconds, 3),
        "environment": environment(),
        "options": dataclasses.asdict(state.options),
        "executor": executor or {"kind": "none (everything cached)"},
        "hashes": state.hashes,
        "seeds": state.seeds,
        "inputs": inputs,
        "documents": {**{status: int(counts.get(status, 0)) for status in STATUSES},
                      **{status: int(counts[status]) for status in SELECTION_STATUSES
                         if counts.get(status, 0)}},
        "stages": {name: record.as_dict() for name, record in state.stages.items()},
        "outputs": dict(sorted(state.outputs.items())),
        "stale_temporaries_removed": removed,
    }
