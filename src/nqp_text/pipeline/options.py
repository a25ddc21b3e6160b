"""``RunOptions``: every option of ``nqp-text run``, and their validation before any work.

Example:
    >>> from nqp_text.pipeline.options import RunOptions, validate
    >>> validate(RunOptions(workers=2))
    >>> RunOptions(unit="sentence").read_options()["unit"]
    'sentence'
    >>> RunOptions(k=8).topics.k, RunOptions(backend="rjieba").segment.backend
    (8, 'rjieba')
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from nqp_text._limits import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_PASSAGE,
    DEFAULT_PDF_ENGINE,
    DEFAULT_TIMEOUT,
)
from nqp_text.errors import OptionError
from nqp_text.options import ReadOptions, SegmentOptions, TopicOptions
from nqp_text.topics import defaults as topic_defaults


@dataclass(frozen=True)
class RunOptions:
    """Every option of a run (recorded in the manifest).

    Ingest: ``metadata``, ``unit``, ``size``, ``text_field``, ``year_field``,
    ``title_field``, ``id_field``, ``timeout``, ``memory_limit`` (each reader
    process's address-space cap in bytes, ``"auto"`` or ``None``, as
    :func:`nqp_text.read_corpus` takes it), ``follow_links`` (read symbolic links
    out of the inputs; by default they are ``failed`` rows, never opened, not even
    hashed), ``to_simplified`` (``True``, ``False`` or ``"auto"``: only the documents
    written in traditional characters), ``pdf_engine``,
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
    Execution: ``workers`` (a number, or ``"auto"``: see
    :mod:`nqp_text.pipeline.workers`), ``scheduler`` (``tcp://…`` or ``local-cluster``),
    ``connect_timeout`` (seconds a scheduler address has to answer),
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
    to_simplified: bool | str = "auto"
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
    workers: int | str = "auto"
    scheduler: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    progress: bool = True
    prune_cache: bool = False

    @property
    def read(self) -> ReadOptions:
        """The ingest options as a :class:`~nqp_text.options.ReadOptions` (validated)."""
        return ReadOptions(**self._subset(ReadOptions))

    @property
    def segment(self) -> SegmentOptions:
        """The segment options as a :class:`~nqp_text.options.SegmentOptions` (validated)."""
        return SegmentOptions(**self._subset(SegmentOptions))

    @property
    def topics(self) -> TopicOptions:
        """The topic options as a :class:`~nqp_text.options.TopicOptions` (validated)."""
        return TopicOptions(**self._subset(TopicOptions))

    def _subset(self, cls: type) -> dict[str, Any]:
        return {found.name: getattr(self, found.name) for found in fields(cls)}

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`nqp_text.read_corpus` for one file."""
        return {"unit": self.unit, "size": self.size, "text_field": self.text_field,
                "year_field": self.year_field, "title_field": self.title_field,
                "id_field": self.id_field, "to_simplified": self.to_simplified,
                "pdf_engine": self.pdf_engine, "keep_boilerplate": self.keep_boilerplate,
                "max_passage": self.max_passage,
                "sections": list(self.sections) if self.sections is not None else None,
                "ocr": self.ocr}



def validate(options: RunOptions) -> None:
    """Raise :class:`~nqp_text.errors.OptionError` (a ``ValueError``) for options every
    worker would otherwise fail on, per file, and check the model, lexicon, framework
    and scheduler before any work (:mod:`nqp_text.pipeline.preflight`)."""
    from nqp_text.io.metadata import Metadata
    from nqp_text.pipeline.preflight import check_run_options

    for part in ("read", "segment", "topics"):  # each validates itself when it is made
        getattr(options, part)
    if isinstance(options.workers, bool) or not isinstance(options.workers, int) \
            or options.workers < 1:
        raise OptionError(f"workers must be an integer >= 1; got {options.workers!r}")
    if options.metadata is not None:
        Metadata.load(options.metadata)
    check_run_options(options)  # model, lexicon, framework, scheduler
