"""One set of options: reading, segmenting and topic modelling, each validating itself.

:class:`ReadOptions` (what :func:`nqp_text.read_corpus` takes), :class:`SegmentOptions`
(the pipeline's :class:`~nqp_text.Segmenter`) and :class:`TopicOptions` (the topic
model) are frozen dataclasses: a bad value raises
:class:`~nqp_text.errors.OptionError` when the object is made, with the same check
functions the readers and the topic model use (:class:`ReadOptions` lives in
:mod:`nqp_text.io.options`, below the segmenter and the topic model, so that the
readers can take it). :class:`nqp_text.pipeline.RunOptions`
composes them (``.read``, ``.segment``, ``.topics``) and ``nqp-text`` takes its
defaults from their fields (:func:`default`). This module imports no pandas or
numpy (the checks are imported when an object is made), so building the command
line stays fast.

Example:
    >>> from nqp_text.options import ReadOptions, TopicOptions, default
    >>> ReadOptions(unit="sentence").unit
    'sentence'
    >>> TopicOptions(k=0)
    Traceback (most recent call last):
    ...
    nqp_text.errors.OptionError: k must be an integer >= 1; got 0
    >>> default(ReadOptions, "timeout")
    600.0
"""

from __future__ import annotations

import dataclasses
from typing import Any

from nqp_text.errors import OptionError
from nqp_text.io.options import ReadOptions
from nqp_text.topics import defaults as topic_defaults

__all__ = ["ReadOptions", "SegmentOptions", "TopicOptions", "default"]


@dataclasses.dataclass(frozen=True)
class SegmentOptions:
    """The segmenter of a run: ``lexicon`` and ``stopwords`` (``"default"`` or a path)
    and ``backend`` (``jieba`` or ``rjieba``). Whether the files exist and parse is
    checked when the :class:`~nqp_text.Segmenter` is built.

    Example:
        >>> SegmentOptions(backend="rjieba").backend
        'rjieba'
    """

    lexicon: str = "default"
    stopwords: str = "default"
    backend: str = "jieba"

    def __post_init__(self) -> None:
        import os

        from nqp_text.segment.backends import BACKENDS

        for name in ("lexicon", "stopwords"):
            value = getattr(self, name)
            if not isinstance(value, str | os.PathLike) or not os.fspath(value):
                raise OptionError(f"{name} must be 'default' or a path; got {value!r}")
        if self.backend not in BACKENDS:
            raise OptionError(f"unknown backend {self.backend!r}; "
                              f"choose one of {', '.join(BACKENDS)}")


@dataclasses.dataclass(frozen=True)
class TopicOptions:
    """The topic model of a run (defaults: :mod:`nqp_text.topics.defaults`).

    ``k`` topics, ``seed``, ``passes``, ``topic_unit`` (``auto``, ``passage``,
    ``document``), ``seed_weight``, ``keep_places``, ``min_df`` and ``max_df``
    (a number of units, or a share in 0..1; ``max_df=None``: the unit's default),
    ``seeded`` (framework categories as seed topics).

    Example:
        >>> TopicOptions(k=8, topic_unit="passage").k
        8
    """

    k: int = topic_defaults.K
    seed: int = 0
    passes: int = topic_defaults.PASSES
    topic_unit: str = topic_defaults.UNIT
    seed_weight: float = topic_defaults.SEED_WEIGHT
    keep_places: bool = topic_defaults.KEEP_PLACES
    min_df: int | float = topic_defaults.MIN_DF
    max_df: int | float | None = None
    seeded: bool = topic_defaults.SEEDED

    def __post_init__(self) -> None:
        if self.topic_unit not in topic_defaults.UNITS:
            raise OptionError(f"topic_unit must be one of {topic_defaults.UNITS}; "
                              f"got {self.topic_unit!r}")
        _integer("k", self.k, 1)
        _integer("passes", self.passes, 1)
        _integer("seed", self.seed, 0)
        _document_share("min_df", self.min_df)
        if self.max_df is not None:
            _document_share("max_df", self.max_df)
        _number("seed_weight", self.seed_weight, 0.0)


def default(cls: type, name: str) -> Any:
    """The default of field ``name`` of an options dataclass (what the CLI shows).

    Example:
        >>> default(TopicOptions, "k")
        12
    """
    for found in dataclasses.fields(cls):
        if found.name == name:
            return found.default
    raise KeyError(f"{cls.__name__} has no field {name!r}")


def _integer(name: str, value: Any, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{name} must be an integer >= {minimum}; got {value!r}")


def _number(name: str, value: Any, low: float, high: float | None = None,
            low_open: bool = False) -> None:
    ok = (not isinstance(value, bool) and isinstance(value, int | float)
          and (value > low if low_open else value >= low) and (high is None or value <= high))
    if not ok:
        bound = f"> {low:g}" if low_open else f">= {low:g}"
        upper = f" and <= {high:g}" if high is not None else ""
        raise OptionError(f"{name} must be a number {bound}{upper}; got {value!r}")


def _document_share(name: str, value: Any) -> None:
    """A number of topic units (int >= 0) or a share of them (float in 0..1)."""
    if isinstance(value, float):
        _number(name, value, 0.0, 1.0)
    else:
        _integer(name, value, 0)
