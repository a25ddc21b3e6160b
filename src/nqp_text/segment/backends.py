"""Word segmentation backends: jieba (the reference) and rjieba (optional, Rust).

A backend cuts text that contains no lexicon term (the :class:`Segmenter`
has already cut those out) into tokens that join back to the text. Each
backend object owns its tokenizer: jieba's global tokenizer and rjieba's
module-level default are never used or modified.

jieba's prefix dictionary is built from its ``dict.txt`` once per user and
kept as a marshal file in the nqp_text cache folder (``$NQP_TEXT_CACHE``, else
``$XDG_CACHE_HOME/nqp_text``, else ``~/.cache/nqp_text``), never in a shared
``/tmp`` path; the file is written atomically, so concurrent workers are safe.
Within one process it is read once: every :class:`JiebaBackend` gets its own
``jieba.Tokenizer`` whose ``FREQ`` is a read-only view of the one loaded prefix
dictionary (see :func:`jieba_prefix_dict`), so a second Segmenter (the
classifier's, a worker's) costs no second load.

Example:
    >>> backend = make_backend("jieba", hmm=True)
    >>> backend.cut("我们在北京")
    ['我们', '在', '北京']
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import marshal
import os
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from nqp_text._atomic import atomic_write_bytes
from nqp_text.errors import DependencyError, OptionError
from nqp_text.segment._jieba_fast import FastJiebaCut

BACKENDS: tuple[str, ...] = ("jieba", "rjieba")
CACHE_ENV_VAR = "NQP_TEXT_CACHE"
FAST_INSTALL_HINT = 'pip install "nqp-text[fast]"'


class Backend(Protocol):
    """What the Segmenter needs from a backend."""

    name: str
    version: str

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text``; ``"".join`` of them is ``text``."""

    def cut_with_pos(self, text: str) -> list[tuple[str, str]]:
        """``(token, part-of-speech)`` pairs of ``text``."""


def user_cache_dir() -> Path:
    """The per-user nqp_text cache folder (created on demand by writers)."""
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "nqp_text"


def backend_version(name: str) -> str:
    """Version string of an installed backend package (part of the config hash)."""
    module = _import_backend(name)
    return str(getattr(module, "__version__", None) or _distribution_version(name))


def _distribution_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _import_backend(name: str):  # noqa: ANN202 - returns a module
    if name not in BACKENDS:
        raise OptionError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if importlib.util.find_spec(name) is None:
        hint = FAST_INSTALL_HINT if name == "rjieba" else 'pip install "jieba>=0.42.1"'
        raise DependencyError(f"segmentation backend {name!r} is not installed; install it with: "
                              f"{hint}")
    return importlib.import_module(name)


def make_backend(name: str, hmm: bool = True, cache_dir: Path | None = None) -> Backend:
    """Build a fresh backend object (its own tokenizer) by name."""
    _import_backend(name)
    if name == "jieba":
        return JiebaBackend(hmm=hmm, cache_dir=cache_dir)
    return RjiebaBackend(hmm=hmm)


#: Prefix dictionaries loaded in this process, by dictionary identity (never mutated).
_LOADED: dict[str, tuple[dict[str, int], int]] = {}


def jieba_prefix_dict() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary ``(FREQ, total)``, loaded at most once per process.

    Keyed by jieba's version and ``dict.txt``'s path, size and modification time
    (what the marshal cache file is named by). Callers must not modify ``FREQ``:
    tokenizers get a read-only view of it (:class:`JiebaBackend`).

    Example:
        >>> jieba_prefix_dict()[0] is jieba_prefix_dict()[0]
        True
    """
    import jieba

    dict_path = Path(jieba.__file__).with_name("dict.txt")
    stat = dict_path.stat()
    key = f"{jieba.__version__}\0{dict_path}\0{stat.st_size}\0{stat.st_mtime_ns}"
    loaded = _LOADED.get(key)
    if loaded is None:
        _LOADED[key] = loaded = _jieba_prefix_dict(user_cache_dir())
    return loaded


def _jieba_prefix_dict(cache_dir: Path) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary (FREQ, total), from the per-user marshal cache."""
    import jieba

    dict_path = Path(jieba.__file__).with_name("dict.txt")
    stat = dict_path.stat()
    cache_file = cache_dir / (f"jieba-{jieba.__version__}-{stat.st_size}-"
                              f"{stat.st_mtime_ns}.prefixdict.marshal")
    try:
        with open(cache_file, "rb") as handle:
            freq, total = marshal.load(handle)
        return freq, total
    except (OSError, EOFError, ValueError, TypeError):
        pass
    with open(dict_path, "rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    with contextlib.suppress(OSError):  # a read-only home: work without the cache
        atomic_write_bytes(cache_file, marshal.dumps((freq, total)))
    return freq, total


class JiebaBackend:
    """jieba with a private ``jieba.Tokenizer`` (accurate mode, optional HMM).

    :meth:`cut` runs jieba's algorithm on the tokenizer's dictionary through
    :class:`~nqp_text.segment._jieba_fast.FastJiebaCut` (same tokens, tested).
    The tokenizer's ``FREQ`` is a read-only view of the process's one prefix
    dictionary (:func:`jieba_prefix_dict`; ``tokenizer.add_word`` raises
    ``TypeError`` instead of changing every backend's dictionary). A
    ``cache_dir`` other than the user's loads a private copy from there.
    """

    name = "jieba"

    def __init__(self, hmm: bool = True, cache_dir: Path | None = None) -> None:
        import jieba

        self.hmm = hmm
        self.version = jieba.__version__
        self._cache_dir = cache_dir if cache_dir is not None else user_cache_dir()
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(self._cache_dir)
        freq, total = (jieba_prefix_dict() if cache_dir is None
                       else _jieba_prefix_dict(self._cache_dir))
        tokenizer.FREQ, tokenizer.total = MappingProxyType(freq), total
        tokenizer.initialized = True
        self.tokenizer = tokenizer
        self._fast = FastJiebaCut(freq, total)
        self._pos_tokenizer = None

    def cut(self, text: str) -> list[str]:
        return self._fast.cut(text, self.hmm)

    def cut_with_pos(self, text: str) -> list[tuple[str, str]]:
        if self._pos_tokenizer is None:
            from jieba import posseg

            self._pos_tokenizer = posseg.POSTokenizer(self.tokenizer)
        return [(pair.word, pair.flag) for pair in self._pos_tokenizer.cut(text, HMM=self.hmm)]


class RjiebaBackend:
    """rjieba (jieba-rs) with its own ``rjieba.Jieba`` instance."""

    name = "rjieba"

    def __init__(self, hmm: bool = True) -> None:
        rjieba = _import_backend("rjieba")
        self.hmm = hmm
        self.version = backend_version("rjieba")
        self.tokenizer = rjieba.Jieba()

    def cut(self, text: str) -> list[str]:
        return self.tokenizer.cut(text, self.hmm)

    def cut_with_pos(self, text: str) -> list[tuple[str, str]]:
        return [(word, tag) for word, tag in self.tokenizer.tag(text, self.hmm)]
