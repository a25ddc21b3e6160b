"""Segment a corpus's passages into a tokens table, with the token cache.

``segment_passages`` takes the ``passages`` DataFrame of a :class:`~nqp_text.Corpus`
and returns ``passage_id, tokens`` (and ``pos`` when asked), one row per
passage, sorted by ``doc_id`` and ``seq``. ``segment_directory`` does the same
from ``DIR/passages.parquet`` to ``DIR/tokens.parquet``, written atomically.

``tokens`` are content tokens (:meth:`Segmenter.tokens`) by default, or every
token (:meth:`Segmenter.cut`) with ``all_tokens=True``. With ``pos=True`` the
tokens come from :meth:`Segmenter.cut_with_pos` and ``pos`` holds their tags.

Example:
    >>> from nqp_text.segment.run import segment_directory
    >>> segment_directory("results", workers=2)  # doctest: +SKIP
    PosixPath('results/tokens.parquet')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text.errors import InputError, MissingInputError
from nqp_text.segment.cache import TokenCache, text_hash
from nqp_text.segment.segmenter import Segmenter

TOKENS_FILE = "tokens.parquet"
PASSAGES_FILE = "passages.parquet"


def _cached_map(texts: list[str], segmenter: Segmenter, method: str, workers: int,
                cache: TokenCache | None) -> list[Any]:
    """``segmenter.<method>`` of every text; unique texts once; cache hits not recomputed."""
    hashes = [text_hash(text) for text in texts]
    found: dict[str, Any] = {}
    if cache is not None:
        found = cache.get_many(hashes, segmenter.config_hash, method)
    todo: dict[str, str] = {}
    for key, text in zip(hashes, texts, strict=True):
        if key not in found and key not in todo:
            todo[key] = text
    if todo:
        results = list(segmenter.pipe(list(todo.values()), workers=workers, method=method))
        computed = dict(zip(todo, results, strict=True))
        if cache is not None:
            cache.put_many(computed.items(), segmenter.config_hash, method)
        found.update(computed)
    return [found[key] for key in hashes]


def segment_passages(passages: pd.DataFrame, segmenter: Segmenter | None = None,
                     workers: int = 1, pos: bool = False, all_tokens: bool = False,
                     cache: TokenCache | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The tokens table of a passages DataFrame (``passage_id`` and ``text`` required)."""
    missing = {"passage_id", "text"} - set(passages.columns)
    if missing:
        raise InputError(f"passages lack column(s) {sorted(missing)}")
    segmenter = segmenter if segmenter is not None else Segmenter()
    if cache is not None and not isinstance(cache, TokenCache):
        cache = TokenCache(cache)
    order = [name for name in ("doc_id", "seq", "passage_id") if name in passages.columns]
    frame = passages.sort_values(order, kind="stable").reset_index(drop=True)
    texts = ["" if pd.isna(text) else str(text) for text in frame["text"]]
    method = "cut_with_pos" if pos else "cut"
    results = _cached_map(texts, segmenter, method, workers, cache)
    keep = segmenter.keep
    columns: dict[str, Any] = {"passage_id": frame["passage_id"].astype("string").tolist()}
    if pos:
        pairs = results if all_tokens else [[p for p in r if keep(p[0])] for r in results]
        columns["tokens"] = [[word for word, _tag in r] for r in pairs]
        columns["pos"] = [[tag for _word, tag in r] for r in pairs]
    else:
        columns["tokens"] = results if all_tokens else segmenter.content_tokens(results)
    return pd.DataFrame(columns)


def segment_directory(directory: str | os.PathLike[str], segmenter: Segmenter | None = None,
                      workers: int = 1, pos: bool = False, all_tokens: bool = False,
                      cache: TokenCache | str | os.PathLike[str] | None = None) -> Path:
    """Read ``directory/passages.parquet``, write ``directory/tokens.parquet`` atomically."""
    directory = Path(directory)
    source = directory / PASSAGES_FILE
    if not source.exists():
        raise MissingInputError(f"{source}: missing; run `nqp-text ingest` first", path=source)
    passages = pd.read_parquet(source)
    table = segment_passages(passages, segmenter, workers=workers, pos=pos,
                             all_tokens=all_tokens, cache=cache)
    target = directory / TOKENS_FILE
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    return target
