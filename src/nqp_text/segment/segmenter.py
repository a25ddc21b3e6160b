"""The Segmenter: jieba (or rjieba) plus a protection pass that keeps lexicon terms whole.

How a text is cut:

1. *Protection pass*: one compiled regex (a character trie of all lexicon and
   user terms) finds the terms in the text, leftmost-longest and without
   overlaps (see :mod:`nqp_text.segment._matcher`). Each match becomes one
   token, whatever jieba's dictionary, route or pre-splitting regex would do
   with it -- so ``新质生产力``, ``5G基站``, ``人工智能+`` and ``Wi-Fi`` stay whole.
2. The text between matches goes to the backend (jieba accurate mode, or
   rjieba), which by construction contains no complete lexicon term.

``"".join(seg.cut(t)) == t`` for every text. Each Segmenter owns its backend
tokenizer (built lazily on first use); jieba's global tokenizer is never
touched, so segmenters with different lexicons coexist in one process.

Example:
    >>> from nqp_text import Segmenter
    >>> seg = Segmenter()
    >>> seg.cut("加快发展新质生产力")
    ['加快', '发展', '新质生产力']
    >>> seg.tokens("加快发展新质生产力和数字经济")
    ['加快', '发展', '新质生产力', '数字经济']
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text.errors import InputError, OptionError
from nqp_text.segment._matcher import TermMatcher
from nqp_text.segment._transport import decode_batch
from nqp_text.segment._workers import SegmenterWorkers
from nqp_text.segment.backends import BACKENDS, Backend, backend_version, make_backend
from nqp_text.segment.lexicon import (
    data_path,
    load_guards,
    load_lexicon,
    load_wordlist,
    read_user_dict,
)

#: Bumped whenever the cutting algorithm changes in a way that changes tokens.
ALGORITHM_VERSION = 2
DEFAULT_TERM_POS = "nz"
METHODS: tuple[str, ...] = ("cut", "tokens", "cut_with_pos")

_HAS_WORD_CHAR = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"^[0-9０-９.,．，%％+\-−/:：]+$")

PathLike = str | os.PathLike[str]


def _resolve_lexicon(lexicon: Any) -> dict[str, str]:
    """term -> part-of-speech tag, from any accepted ``lexicon`` argument."""
    if lexicon is None:
        return {}
    if isinstance(lexicon, str) and lexicon == "default":
        frame = load_lexicon()
    elif isinstance(lexicon, pd.DataFrame):
        frame = lexicon
        if "term" not in frame.columns:
            raise InputError("lexicon DataFrame needs a 'term' column")
    elif isinstance(lexicon, str | os.PathLike):
        path = Path(lexicon)
        if path.suffix.lower() == ".tsv":
            frame = load_lexicon(path)
        else:
            return {word: tag or DEFAULT_TERM_POS for word, _freq, tag in read_user_dict(path)}
    else:
        return {_check_term(term): DEFAULT_TERM_POS for term in lexicon}
    pos = frame["pos"] if "pos" in frame.columns else [DEFAULT_TERM_POS] * len(frame)
    return {_check_term(str(term)): str(tag) for term, tag in zip(frame["term"], pos, strict=True)}


def _check_term(term: str) -> str:
    if not isinstance(term, str) or not term:
        raise InputError(f"a lexicon term must be a non-empty string, got {term!r}")
    return term


def _resolve_stopwords(stopwords: Any) -> frozenset[str]:
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str) and stopwords == "default":
        return frozenset(load_wordlist(data_path("stopwords.txt")))
    if isinstance(stopwords, str | os.PathLike):
        return frozenset(load_wordlist(stopwords))
    return frozenset(stopwords)


def _resolve_guards(guards: Any) -> frozenset[str]:
    if guards is None:
        return frozenset()
    if isinstance(guards, str) and guards == "default":
        return frozenset(load_guards()["guard"])
    if isinstance(guards, str | os.PathLike):
        return frozenset(load_guards(guards)["guard"])
    return frozenset(_check_term(guard) for guard in guards)


class Segmenter:
    """Chinese word segmentation with a curated policy lexicon kept whole.

    Parameters
    ----------
    lexicon:
        ``"default"`` (the shipped ``lexicon.tsv``), a path to a lexicon TSV
        (``term, weight, pos, category, note``) or to a jieba user dictionary
        (``word [freq] [pos]`` per line), a DataFrame with a ``term`` (and
        optionally ``pos``) column, an iterable of terms, or ``None``.
    stopwords:
        ``"default"`` (shipped list), a path (one word per line), an iterable
        of words, or ``None``. Used by :meth:`tokens` only.
    guards:
        words that stop a term from matching where it would start inside them
        (``提高`` keeps ``高质量`` out of ``提高质量``): ``"default"`` (the shipped
        ``guards.tsv``), a path to such a TSV, an iterable of words, or ``None``.
    backend:
        ``"jieba"`` (reference) or ``"rjieba"`` (``pip install "nqp-text[fast]"``).
    hmm:
        let the backend's HMM join unknown words.
    policy_verbs:
        also drop the shipped policy verbs (加快, 推进, 加强 ...) in :meth:`tokens`.
    keep_numbers, keep_single_chars:
        keep bare numbers / one-character tokens in :meth:`tokens`.
    """

    def __init__(self, lexicon: Any = "default", stopwords: Any = "default",
                 backend: str = "jieba", hmm: bool = True, policy_verbs: bool = False,
                 keep_numbers: bool = False, keep_single_chars: bool = False,
                 guards: Any = "default") -> None:
        # One-shot iterators are kept as tuples, so that the Segmenter stays picklable.
        self.lexicon = tuple(lexicon) if isinstance(lexicon, Iterator) else lexicon
        self.stopwords = tuple(stopwords) if isinstance(stopwords, Iterator) else stopwords
        self.guards = tuple(guards) if isinstance(guards, Iterator) else guards
        self.backend = backend
        self.hmm = hmm
        self.policy_verbs = policy_verbs
        self.keep_numbers = keep_numbers
        self.keep_single_chars = keep_single_chars
        if backend not in BACKENDS:
            raise OptionError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        self._backend_version = backend_version(backend)  # fails clearly when not installed
        self._terms = _resolve_lexicon(self.lexicon)
        self._guards = _resolve_guards(self.guards)
        drop = set(_resolve_stopwords(self.stopwords))
        if policy_verbs:
            drop.update(load_wordlist(data_path("policy_verbs.txt")))
        self._drop = frozenset(drop)
        self._reset_runtime()

    # -- lazily built, never pickled ------------------------------------------------
    def _reset_runtime(self) -> None:
        self._backend_obj: Backend | None = None
        self._matcher_obj: TermMatcher | None = None
        self._config_hash: str | None = None
        self._workers_obj: SegmenterWorkers | None = None

    @property
    def _matcher(self) -> TermMatcher:
        if self._matcher_obj is None:
            self._matcher_obj = TermMatcher(self._terms, guards=self._guards)
        return self._matcher_obj

    @property
    def _backend(self) -> Backend:
        if self._backend_obj is None:
            self._backend_obj = make_backend(self.backend, hmm=self.hmm)
        return self._backend_obj

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for name in ("_backend_obj", "_matcher_obj", "_config_hash", "_workers_obj"):
            state[name] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return (f"Segmenter(backend={self.backend!r}, hmm={self.hmm}, terms={len(self._terms)}, "
                f"stopwords={len(self._drop)}, config_hash={self.config_hash[:12]!r})")

    # -- configuration -----------------------------------------------------------------
    @property
    def terms(self) -> dict[str, str]:
        """The protected terms (lexicon plus added words) and their POS tags (a copy)."""
        return dict(self._terms)

    @property
    def guard_words(self) -> frozenset[str]:
        """The guard words of the protection pass (see ``guards``)."""
        return self._guards

    @property
    def dropped_words(self) -> frozenset[str]:
        """The words :meth:`tokens` drops: stopwords, plus policy verbs if asked."""
        return self._drop

    @property
    def config_hash(self) -> str:
        """SHA-256 of everything that determines the output: terms, stopwords, options,
        backend name and version, algorithm version."""
        if self._config_hash is None:
            self._config_hash = self._compute_config_hash()
        return self._config_hash

    @property
    def cut_hash(self) -> str:
        """SHA-256 of what determines :meth:`cut` alone: terms, guards, backend name and
        version, HMM, algorithm version (not the stopwords or the :meth:`tokens`
        filters). Two segmenters with equal ``cut_hash`` cut every text alike, so
        one's cuts can stand for the other's (the pipeline's classify stage reads
        the segment stage's cuts when this equals the model's
        :attr:`~nqp_text.classify.base.LabelSetMixin.tokens_config`).

        Example:
            >>> Segmenter(stopwords=None).cut_hash == Segmenter().cut_hash
            True
        """
        config = self._cut_config()
        blob = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _cut_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "algorithm": ALGORITHM_VERSION,
            "backend": self.backend,
            "backend_version": self._backend_version,
            "hmm": bool(self.hmm),
            "terms": sorted(self._terms.items()),
        }
        if self._guards:  # absent when empty: hashes from before guards existed still hold
            config["guards"] = sorted(self._guards)
        return config

    def _compute_config_hash(self) -> str:
        """:attr:`config_hash` computed now from the current attributes (not cached)."""
        config = {**self._cut_config(), "drop": sorted(self._drop),
                  "keep_numbers": bool(self.keep_numbers),
                  "keep_single_chars": bool(self.keep_single_chars)}
        blob = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def add_words(self, words_or_path: PathLike | Iterable[Any]) -> Segmenter:
        """Add user terms, kept whole like lexicon terms; returns ``self``.

        ``words_or_path`` is a path to a jieba user dictionary (``word [freq] [pos]``
        per line) or a lexicon TSV, or an iterable of terms or ``(word, freq, pos)``
        tuples (``freq`` is accepted for jieba compatibility and not needed: a
        protected term is always one token).

        Example:
            >>> Segmenter(lexicon=None).add_words(["新质生产力"]).cut("新质生产力")
            ['新质生产力']
        """
        if isinstance(words_or_path, str | os.PathLike):
            added = _resolve_lexicon(words_or_path)
        else:
            added = {}
            for item in words_or_path:
                if isinstance(item, str):
                    added[_check_term(item)] = DEFAULT_TERM_POS
                else:
                    word, *rest = item
                    tag = rest[1] if len(rest) > 1 and rest[1] else DEFAULT_TERM_POS
                    added[_check_term(word)] = str(tag)
        self._terms = {**self._terms, **added}
        self._matcher_obj = None
        self._config_hash = None
        return self

    # -- cutting -----------------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """Every token of ``text``, punctuation and whitespace included.

        Example:
            >>> Segmenter().cut("5G基站和人工智能+")
            ['5G基站', '和', '人工智能+']
        """
        backend_cut = self._backend.cut
        tokens: list[str] = []
        position = 0
        for start, end in self._matcher.spans(text):
            if start > position:
                tokens.extend(backend_cut(text[position:start]))
            tokens.append(text[start:end])
            position = end
        if position < len(text):
            tokens.extend(backend_cut(text[position:]) if position else backend_cut(text))
        return tokens

    def cut_with_pos(self, text: str) -> list[tuple[str, str]]:
        """``(token, tag)`` pairs: lexicon terms carry their lexicon tag, other tokens
        the backend's (jieba.posseg / rjieba.tag). Tokens between lexicon terms come
        from the backend's POS mode and can differ slightly from :meth:`cut`."""
        backend = self._backend
        pairs: list[tuple[str, str]] = []
        for piece, is_term in self._matcher.split(text):
            if is_term:
                pairs.append((piece, self._term_pos(piece)))
            else:
                pairs.extend(backend.cut_with_pos(piece))
        return pairs

    def _term_pos(self, surface: str) -> str:
        tag = self._terms.get(surface)
        if tag is None:  # a full-width variant of a term
            from nqp_text.segment._matcher import fold_width

            folded = {fold_width(term): pos for term, pos in self._terms.items()}
            tag = folded.get(fold_width(surface), DEFAULT_TERM_POS)
        return tag

    def keep(self, token: str) -> bool:
        """Whether :meth:`tokens` keeps ``token`` (content word) or drops it."""
        if token in self._terms:
            return True
        if token in self._drop or not _HAS_WORD_CHAR.search(token):
            return False
        if not self.keep_numbers and _NUMBER.match(token):
            return False
        return self.keep_single_chars or len(token) > 1

    def content_tokens(self, cuts: Iterable[Sequence[str]]) -> list[list[str]]:
        """Each cut filtered as :meth:`tokens` filters it: the content tokens of texts
        already cut (by :meth:`cut`, or another segmenter's cut).

        Decides each distinct token once for all the cuts (a corpus repeats its
        words), so filtering a document's passages costs a set lookup per token.

        Example:
            >>> Segmenter().content_tokens([["5G基站", "和", "人工智能+"], ["的"]])
            [['5G基站', '人工智能+'], []]
        """
        cuts = [cut if isinstance(cut, list) else list(cut) for cut in cuts]
        keep = self.keep
        kept = {token for token in set(itertools.chain.from_iterable(cuts)) if keep(token)}
        return [[token for token in cut if token in kept] for cut in cuts]

    def tokens(self, text: str) -> list[str]:
        """Content tokens: no stopwords, punctuation, whitespace, bare numbers or (by
        default) single characters; lexicon terms are always kept."""
        keep = self.keep
        return [token for token in self.cut(text) if keep(token)]

    def tokens_with_pos(self, text: str) -> list[tuple[str, str]]:
        """:meth:`cut_with_pos` filtered like :meth:`tokens`."""
        keep = self.keep
        return [pair for pair in self.cut_with_pos(text) if keep(pair[0])]

    def _apply(self, method: str, texts: Sequence[str]) -> list[Any]:
        function = getattr(self, method)
        return [function(text) for text in texts]

    def pipe(self, texts: Iterable[str], workers: int = 1, batch_size: int = 64,
             method: str = "cut", start_method: str | None = None) -> Iterator[Any]:
        """Segment a stream of texts, yielding one result per text in input order.

        ``method`` is ``"cut"``, ``"tokens"`` or ``"cut_with_pos"``. With
        ``workers=N > 1``, N worker processes segment, each with its own tokenizer
        built from this segmenter's configuration (the Segmenter is pickled without
        its tokenizer, or inherited under fork); the calling process only hands out
        batches and yields results in order. It does not segment itself: its
        result-collecting thread needs the GIL, and pure-Python jieba in the same
        process starved it. ``start_method`` picks ``"fork"``, ``"spawn"`` or
        ``"forkserver"`` (default: the platform's). At most about ``4 * workers``
        batches are held at once, so memory stays bounded.

        The worker processes stay up for the next ``pipe`` call with the same
        ``workers`` and ``start_method`` (starting them costs about 0.1 s); they are
        replaced when the configuration changes (:meth:`add_words`) and end with
        :meth:`close`, a ``with`` block, garbage collection of the Segmenter or
        interpreter exit.

        Example:
            >>> list(Segmenter().pipe(["数据要素", "算力"], method="tokens"))
            [['数据要素'], ['算力']]
        """
        if method not in METHODS:
            raise OptionError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
        if batch_size < 1 or workers < 1:
            raise OptionError("workers and batch_size must be at least 1")
        batches = _batches(texts, batch_size)
        if workers == 1:
            for batch in batches:
                yield from self._apply(method, batch)
            return
        pool = self._workers(workers, start_method)
        pending: deque[Future[str | list[Any]]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(method, batch))
                while pending and pending[0].done():
                    yield from decode_batch(method, pending.popleft().result())
                if len(pending) > 4 * workers:
                    yield from decode_batch(method, pending.popleft().result())
            while pending:
                yield from decode_batch(method, pending.popleft().result())
        except BrokenProcessPool:
            self.close()  # a worker died: start afresh next time
            raise
        finally:
            for future in pending:  # the caller stopped early: drop queued batches
                future.cancel()

    def _workers(self, workers: int, start_method: str | None) -> SegmenterWorkers:
        """Worker processes for :meth:`pipe`: the running ones if they fit, else new."""
        key = (workers, start_method, self._compute_config_hash())
        if self._workers_obj is not None and not self._workers_obj.usable(key):
            self.close()
        if self._workers_obj is None:
            self._workers_obj = SegmenterWorkers(self, workers, start_method, key)
        return self._workers_obj

    def _copy_for_workers(self) -> Segmenter:
        """A shallow copy sharing the built tokenizer (inherited warm under fork),
        without the worker processes. The processes hold it, not ``self``, so that
        ``self`` can be garbage-collected while they run."""
        clone = object.__new__(Segmenter)
        clone.__dict__.update(self.__dict__)
        clone._workers_obj = None
        return clone

    def close(self) -> None:
        """End the worker processes that :meth:`pipe` keeps between calls, if any."""
        if self._workers_obj is not None:
            self._workers_obj.close()
            self._workers_obj = None

    def __enter__(self) -> Segmenter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
