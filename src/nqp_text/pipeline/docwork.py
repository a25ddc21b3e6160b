"""Per-document tasks after ingest: segment, count (for the trends tables), classify.

Each task is a frozen, picklable dataclass called with a :class:`DocItem`: it
reads the document's passages entry, computes, writes its own cache entry
atomically with its seal (:func:`~nqp_text.pipeline.cache.write_entry`) and
returns a small summary, so that only file paths and counts travel between the
client and the workers.

Building a :class:`~nqp_text.Segmenter`'s tokenizer takes about a second, and
a task's Segmenter arrives unpickled without it. :func:`warm` keeps one ready
instance per configuration hash in each worker process (also for the
longest-match counter); an instance depends only on its configuration, so
reusing it cannot change any result.

Example:
    >>> from nqp_text.pipeline.docwork import DocItem
    >>> DocItem("d1", "/tmp/p.parquet", "/tmp/t.parquet").doc_id
    'd1'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pyarrow.parquet

from nqp_text._tables import to_arrow
from nqp_text.pipeline.cache import (
    entry_part,
    hash_config,
    read_frame,
    read_table,
    verify_entry,
    write_entry,
)

_WARM: dict[str, Any] = {}
_WARM_LIMIT = 8

TOKENS_SCHEMA = pa.schema([("passage_id", pa.string()), ("tokens", pa.list_(pa.string()))])


@dataclass(frozen=True)
class DocItem:
    """One document of a stage: its id, its passages entry and the stage's entry to write.

    ``cuts``: the document's full-cut entry (:func:`cut_entry`), which the segment
    stage writes and the classify stage reads; ``None`` where not used.
    """

    doc_id: str
    passages: str
    entry: str
    cuts: str | None = None


def cut_entry(tokens_entry: str | Path) -> str:
    """Where the segment stage keeps a document's full cuts: the ``cuts`` cache stage,
    under the key of its tokens entry.

    The tokens entry holds content tokens (what ``tokens.parquet`` shows); the
    cut entry every token of each passage, punctuation included, which is what
    the classifier reads, so that classify does not cut the passages again.

    Example:
        >>> cut_entry("/r/.cache/tokens/ab/abcd.parquet")
        '/r/.cache/cuts/ab/abcd.parquet'
    """
    entry = Path(tokens_entry)
    return str(entry.parents[2] / "cuts" / entry.parent.name / entry.name)


def classify_tokens(segmenter: Any, model_tokens_config: str) -> dict[str, Any]:
    """Whether the classify stage reads the segment stage's cuts, and why (for the manifest).

    It does when ``segmenter`` (the segment stage's) cuts exactly as the model's
    own segmenter (equal :attr:`~nqp_text.segment.Segmenter.cut_hash`): then the
    labels are those of the model's own segmentation, only computed once. With
    another backend (``--backend rjieba``) or lexicon the model, trained on
    jieba cuts with the shipped lexicon, cuts the passages itself, so the labels
    do not depend on the segmentation options of the run.

    Example:
        >>> from nqp_text.segment import Segmenter
        >>> classify_tokens(Segmenter(), Segmenter().cut_hash)["from"]
        'segment stage'
    """
    reuse = segmenter.cut_hash == model_tokens_config
    return {"from": "segment stage" if reuse else "own segmentation",
            "backend": segmenter.backend if reuse else "jieba",
            "segment_backend": segmenter.backend,
            "reason": ("the segment stage cuts as the model's segmenter does" if reuse else
                       "the segment stage cuts differently from the model's segmenter "
                       "(backend or lexicon): the model cuts the passages itself")}


def warm(key: str, build: Callable[[], Any]) -> Any:
    """This process's instance for configuration ``key``, made by ``build()`` the first time."""
    ready = _WARM.get(key)
    if ready is None:
        if len(_WARM) >= _WARM_LIMIT:
            _WARM.clear()
        _WARM[key] = ready = build()
    return ready


@dataclass(frozen=True)
class SegmentTask:
    """Content tokens of one document's passages → its ``passage_id, tokens`` entry.

    Calls :func:`nqp_text.segment.run.segment_passages`, so the tokens are those
    ``nqp-text segment`` writes. Each passage is cut once: the content tokens are
    filtered from its full cut, which goes to ``item.cuts`` when given.
    """

    segmenter: Any

    def __call__(self, item: DocItem) -> int:
        from nqp_text.segment.run import segment_passages

        segmenter = warm("segmenter:" + self.segmenter.config_hash, lambda: self.segmenter)
        passages = read_frame(item.passages, ["doc_id", "seq", "passage_id", "text"])
        cuts = segment_passages(passages, segmenter, workers=1, all_tokens=True)
        frame = cuts.assign(tokens=segmenter.content_tokens(cuts["tokens"]))
        parts = []  # the cuts first and sealed as a part: a tokens entry implies its cuts
        if item.cuts is not None:
            parts.append(entry_part(write_entry(to_arrow(cuts, TOKENS_SCHEMA), item.cuts)))
        write_entry(to_arrow(frame, TOKENS_SCHEMA), item.entry, parts)
        return int(frame["tokens"].map(len).sum())


COUNTS_SCHEMA = pa.schema([("term", pa.string()), ("count", pa.int64()),
                           ("category_count", pa.int64())])


@dataclass(frozen=True)
class CountItem:
    """One document of the count stage: its passages and tokens entries, the entry to write."""

    doc_id: str
    passages: str
    tokens: str
    entry: str


@dataclass(frozen=True)
class DocCounts:
    """What the trends tables need of one document (see :class:`CountTask`)."""

    counts: dict[str, int]
    category_counts: dict[str, int]
    n_tokens: int
    n_passages: int


def read_counts(path: str) -> DocCounts:
    """The :class:`DocCounts` of a count entry."""
    table = read_table(path)
    meta = table.schema.metadata or {}
    terms = table.column("term").to_pylist()
    counts = table.column("count").to_pylist()
    categories = table.column("category_count").to_pylist()
    return DocCounts({t: n for t, n in zip(terms, counts, strict=True) if n},
                     {t: n for t, n in zip(terms, categories, strict=True) if n},
                     int(meta[b"n_tokens"]), int(meta[b"n_passages"]))


@dataclass(frozen=True)
class CountTask:
    """Lexicon and category-term counts of one document, by the rules of the trends tables.

    ``count``: longest match over the lexicon (a
    :class:`~nqp_text.analysis.counting.LongestMatchCounter` on the document's
    cleaned text), as ``term_frequencies(terms=None)`` counts.
    ``category_count``: longest match over the lexicon plus ``category_terms``,
    as ``category_frequencies`` counts them. Only non-zero rows are kept; the
    document's content tokens and passages go in the entry's metadata.
    """

    lexicon: str | None = None
    category_terms: tuple[str, ...] = ()

    def __call__(self, item: CountItem) -> int:
        from nqp_text.analysis._inputs import passage_layouts

        passages = read_frame(item.passages)  # the corpus dtypes, as the entry was written
        text = list(passage_layouts(passages).values())[0].text
        lexicon = self._counter(())
        counts = dict(lexicon.count(text))
        categories: dict[str, int] = {}
        if self.category_terms:
            extended = self._counter(self.category_terms)
            # category terms that are all lexicon terms match exactly as the lexicon does
            found = counts if extended.terms == lexicon.terms else extended.count(text)
            categories = {t: found[t] for t in self.category_terms if found.get(t)}
        terms = sorted(set(counts) | set(categories))
        tokens = read_table(item.tokens, ["tokens"]).column("tokens")
        n_tokens = int(pa.compute.sum(pa.compute.list_value_length(tokens)).as_py() or 0)
        table = pa.table({"term": terms, "count": [counts.get(t, 0) for t in terms],
                          "category_count": [categories.get(t, 0) for t in terms]},
                         schema=COUNTS_SCHEMA)
        table = table.replace_schema_metadata({"n_tokens": str(n_tokens),
                                               "n_passages": str(len(passages))})
        write_entry(table, item.entry)
        return n_tokens

    def _counter(self, extra: tuple[str, ...]) -> Any:
        """The longest-match counter over the lexicon plus ``extra`` (built once per process)."""
        from nqp_text.analysis.counting import LongestMatchCounter
        from nqp_text.analysis.vocabulary import lexicon_table

        return warm(hash_config(["counter", self.lexicon, extra]), lambda: LongestMatchCounter(
            [*lexicon_table(self.lexicon)["term"].astype(str), *extra]))


def labels_schema(categories: Sequence[str]) -> pa.Schema:
    """The schema of ``labels.parquet`` for a model's categories (empty label lists typed)."""
    return pa.schema([("passage_id", pa.string()), ("labels", pa.list_(pa.string())),
                      *[(f"score_{category}", pa.float64()) for category in categories],
                      ("evidence", pa.string())])


@dataclass(frozen=True)
class ClassifyTask:
    """Framework labels of one document's passages → its ``labels.parquet`` rows.

    Calls :func:`nqp_text.classify.run.classify_passages`, so the rows are those
    ``nqp-text classify`` writes. ``model`` is what :func:`nqp_text.load_model`
    takes (a model directory must be readable by the workers); ``key`` identifies
    it (model files, lexicon, segmenter), so each worker loads it once.
    ``registered``: the registration of a model registered by name in the caller
    (:mod:`nqp_text.classify.registry`), which a worker process does not have.
    """

    model: str
    key: str
    registered: Any = None

    def __call__(self, item: DocItem) -> int:
        from nqp_text.classify.persist import load_model
        from nqp_text.classify.registry import ensure_registered
        from nqp_text.classify.run import classify_passages

        if self.registered is not None:
            ensure_registered(self.registered)
        model = warm("model:" + self.key, lambda: load_model(self.model))
        passages = read_frame(item.passages, ["passage_id", "text"])
        tokens = _given_cuts(item.cuts, passages)
        frame = classify_passages(passages, model, check_units=False,  # run warns once
                                  tokens=tokens)
        write_entry(to_arrow(frame, labels_schema(model.categories_)), item.entry)
        return int(frame["labels"].map(len).gt(0).sum())


def _given_cuts(path: str | None, passages: pd.DataFrame) -> list[list[str] | None] | None:
    """The full cut of each passage from a cut entry, in the passages' order.

    ``None`` without an entry (an older cache, or cuts the model must not read);
    a passage whose cut is missing or does not join to its text gets ``None`` and
    is cut by the model (same configuration, so the same labels either way).
    """
    if path is None or verify_entry(Path(path)) is not None:
        return None
    table = read_table(path)
    found = dict(zip(table.column("passage_id").to_pylist(), table.column("tokens").to_pylist(),
                     strict=True))
    out: list[list[str] | None] = []
    for passage_id, text in zip(passages["passage_id"].astype(str),
                                passages["text"].astype(str), strict=True):
        cut = found.get(passage_id)
        out.append(cut if cut is not None and "".join(cut) == text else None)
    return out


def label_counts(path: str) -> dict[str, int]:
    """Passages per category in a labels entry (a passage may count in several)."""
    counts: dict[str, int] = {}
    for labels in read_table(path, ["labels"]).column("labels").to_pylist():
        for label in labels or ():
            counts[label] = counts.get(label, 0) + 1
    return counts
