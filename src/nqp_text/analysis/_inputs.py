"""What the analysis functions read from a :class:`~nqp_text.corpus.Corpus`.

* :func:`document_texts` rebuilds each document's cleaned text from its
  passages and their ``start``/``end`` offsets, so exact counts do not depend on
  the passage unit: a term is never lost at a paragraph, sentence or window
  boundary. Gaps between passages (the ``"\\n"`` between paragraphs, or
  whitespace trimmed off a window) are filled with ``"\\n"``.
* grouping by ``by`` (one column, several, or none) is in
  :mod:`nqp_text.analysis._groups`.
* :func:`passage_tokens` returns content tokens per passage: given ones
  (``tokens.parquet`` from ``nqp-text segment``), else segmented on the fly
  with :class:`nqp_text.Segmenter`.

Only documents with at least one passage take part (``ok`` documents); a
document whose group value is missing (e.g. no year) is left out of grouped
tables.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from nqp_text.corpus import Corpus
from nqp_text.errors import InputError, MissingInputError

ALL = "all"
_WORD = re.compile(r"\w")
TokensLike = pd.DataFrame | pd.Series | str | os.PathLike[str] | None


def _ordered_passages(corpus: Corpus) -> pd.DataFrame:
    return _sorted(corpus.passages)


def _sorted(passages: pd.DataFrame) -> pd.DataFrame:
    return passages.sort_values(["doc_id", "seq"], kind="stable")


class DocumentLayout(NamedTuple):
    """A document's cleaned text and where each of its passages sits in it."""

    text: str
    passage_ids: list[str]
    starts: list[int]
    ends: list[int]


def document_layouts(corpus: Corpus) -> dict[str, DocumentLayout]:
    """Cleaned text and passage spans of every document that has passages (sorted ids).

    Passages are placed at their ``start`` offsets (gaps filled with ``"\\n"``,
    overlapping windows merged); without offsets they are joined by ``"\\n"``.
    """
    return passage_layouts(corpus.passages)


def passage_layouts(passages: pd.DataFrame) -> dict[str, DocumentLayout]:
    """:func:`document_layouts` of a passages table with the corpus columns and dtypes
    (``doc_id, seq, passage_id, text, start, end``), without building a :class:`Corpus`:
    the pipeline's count stage reads each document's passages entry as such a table.
    """
    layouts: dict[str, DocumentLayout] = {}
    for doc_id, group in _sorted(passages).groupby("doc_id", sort=True):
        pieces: list[str] = []
        ids, starts, ends = [], [], []
        cursor = 0
        has_offsets = bool(group["start"].notna().all() and group["end"].notna().all())
        for passage_id, text, start in zip(group["passage_id"], group["text"], group["start"],
                                           strict=True):
            text = "" if pd.isna(text) else str(text)
            if not has_offsets:
                start = cursor + (1 if ids else 0)
            start = int(start)
            if start >= cursor:
                pieces.append("\n" * (start - cursor) + text)
            elif start + len(text) > cursor:
                pieces.append(text[cursor - start:])
            cursor = max(cursor, start + len(text))
            ids.append(str(passage_id))
            starts.append(start)
            ends.append(start + len(text))
        layouts[str(doc_id)] = DocumentLayout("".join(pieces), ids, starts, ends)
    return layouts


def document_texts(corpus: Corpus) -> pd.Series:
    """Cleaned text of every document that has passages, indexed by ``doc_id`` (sorted).

    Example:
        >>> document_texts(corpus)["d1"]  # doctest: +SKIP
        '第一段\\n第二段'
    """
    layouts = document_layouts(corpus)
    return pd.Series({doc_id: layout.text for doc_id, layout in layouts.items()},
                     dtype=object, name="text")


def read_tokens(path: str | os.PathLike[str]) -> pd.Series:
    """Read ``tokens.parquet`` (``passage_id, tokens``) into a Series of token lists."""
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: no such tokens file (run `nqp-text segment`)", path=path)
    frame = pd.read_parquet(path, columns=["passage_id", "tokens"])
    series = _tokens_series(frame, str(path))
    sample = [token for tokens in series.iloc[:2000] for token in tokens]
    if sample and sum(not _WORD.search(token) for token in sample) > 0.005 * len(sample):
        warnings.warn(f"{path}: many tokens are punctuation or space; it looks written with "
                      "`nqp-text segment --all-tokens`, so token denominators (n_tokens, "
                      "per_10k_tokens) include them. Re-run `nqp-text segment` without "
                      "--all-tokens for content tokens.", UserWarning, stacklevel=2)
    return series


def _tokens_series(frame: pd.DataFrame, origin: str) -> pd.Series:
    missing = {"passage_id", "tokens"} - set(frame.columns)
    if missing:
        raise InputError(f"{origin}: tokens table lacks column(s) {sorted(missing)}")
    values = [list(tokens) if tokens is not None else [] for tokens in frame["tokens"]]
    return pd.Series(values, index=frame["passage_id"].astype(str).to_numpy(), dtype=object,
                     name="tokens")


def passage_tokens(corpus: Corpus, tokens: TokensLike = None, segmenter: Any = None,
                   workers: int = 1) -> pd.Series:
    """Content tokens of every passage, in ``corpus.passages`` order, indexed by ``passage_id``.

    ``tokens`` may be a ``passage_id, tokens`` DataFrame, a Series of token lists
    indexed by passage id, or the path of a ``tokens.parquet``; passages it lacks
    are segmented with ``segmenter`` (default ``nqp_text.Segmenter()``,
    ``.tokens``-style content tokens).

    Example:
        >>> passage_tokens(corpus).iloc[0][:3]  # doctest: +SKIP
        ['各位', '代表', '报告']
    """
    passages = corpus.passages
    ids = passages["passage_id"].astype(str).to_numpy()
    if tokens is None:
        given = pd.Series(dtype=object)
    elif isinstance(tokens, pd.DataFrame):
        given = _tokens_series(tokens, "tokens DataFrame")
    elif isinstance(tokens, pd.Series):
        given = tokens
    else:
        given = read_tokens(tokens)
    result = given.reindex(ids)
    todo = result.isna().to_numpy()
    if todo.any():
        texts = ["" if pd.isna(text) else str(text) for text in passages["text"].to_numpy()[todo]]
        result[todo] = list(segment_texts(texts, segmenter, workers))
    return result.rename("tokens")


def make_segmenter(segmenter: Any = None) -> Any:
    """``segmenter`` or a default :class:`nqp_text.Segmenter`."""
    if segmenter is not None:
        return segmenter
    from nqp_text.segment.segmenter import Segmenter

    return Segmenter()


def segment_texts(texts: Sequence[str], segmenter: Any = None, workers: int = 1) -> list[list[str]]:
    """Content tokens of each text, in order (``Segmenter.pipe``)."""
    segmenter = make_segmenter(segmenter)
    results = segmenter.pipe(list(texts), workers=workers, method="tokens")
    return [list(tokens) for tokens in results]
