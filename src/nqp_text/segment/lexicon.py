"""The domain lexicon and word lists shipped as package data, loaded and validated.

``data/lexicon.tsv`` has the columns ``term, weight, pos, category, note``:

``term``
    the exact surface string (may contain Latin letters, digits, ``+ - · % .``
    or spaces, e.g. ``5G``, ``人工智能+``, ``PM2.5``);
``weight``
    how strongly the term evidences its ``category``: ``3`` defining,
    ``2`` typical, ``1`` weak or generic (a positive number);
``pos``
    a jieba part-of-speech tag (``n``, ``nz``, ``vn``, ``eng`` ...);
``category``
    one id of :data:`FRAMEWORK_CATEGORIES` when the term evidences one of the
    six 新质生产力 framework categories, otherwise a descriptive group id
    (:data:`OTHER_GROUPS`);
``note``
    where the term's use is attested (report and years), written by the team.

Example:
    >>> from nqp_text.segment.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> lexicon.set_index("term").loc["数据确权", "category"]
    'factor_allocation'
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import pandas as pd

from nqp_text._tsv import tsv_rows
from nqp_text.errors import InputError, MissingInputError

#: The six passage categories of the CAICT 新质生产力 framework (elements, then driving forces).
FRAMEWORK_CATEGORIES: tuple[str, ...] = (
    "labor_object", "labor_means", "labor_force",
    "tech_innovation", "factor_allocation", "industrial_upgrading",
)

#: Group ids for lexicon terms that evidence none of the six categories.
OTHER_GROUPS: tuple[str, ...] = (
    "productivity_core",   # 新质生产力, 全要素生产率, 高质量发展, 先进生产力 ...
    "digital_economy",     # 数字经济, 数字中国, 电子商务, 数据安全 ...
    "institutions",        # 营商环境, 放管服, 国企改革, 对外开放 ...
    "green_development",   # 碳达峰, 绿色低碳, 碳排放权交易 ...
    "support_paths",       # the report's four paths: 动力/要素/载体/制度变革
)

LEXICON_COLUMNS: tuple[str, ...] = ("term", "weight", "pos", "category", "note")

_POS_RE = re.compile(r"^[a-z]+$")
_CATEGORY_RE = re.compile(r"^[a-z][a-z0-9_]*$")

PathLike = str | os.PathLike[str]


def data_path(name: str) -> Path:
    """Path of a file in this package's ``data`` folder (``lexicon.tsv``, ``stopwords.txt``...)."""
    return Path(str(resources.files("nqp_text.segment").joinpath("data", name)))


def load_lexicon(path: PathLike | None = None) -> pd.DataFrame:
    """Read and validate a lexicon TSV (the shipped one when ``path`` is ``None``).

    Raises ``ValueError`` naming the file and line for a malformed row, a
    duplicate term, a non-positive weight or a bad ``pos``/``category`` id.
    """
    path = Path(path) if path is not None else data_path("lexicon.tsv")
    rows: list[tuple[str, float, str, str, str]] = []
    seen: dict[str, int] = {}
    for lineno, where, fields in tsv_rows(path, LEXICON_COLUMNS, "lexicon"):
        term, weight_text, pos, category, note = fields
        if not term or term != term.strip() or "\n" in term:
            raise InputError(f"{where}: empty term or term with leading/trailing space")
        if term in seen:
            raise InputError(f"{where}: duplicate term {term!r} (first on line {seen[term]})")
        seen[term] = lineno
        try:
            weight = float(weight_text)
        except ValueError:
            raise InputError(f"{where}: weight {weight_text!r} is not a number") from None
        if not weight > 0:
            raise InputError(f"{where}: weight must be positive, got {weight_text!r}")
        if not _POS_RE.match(pos):
            raise InputError(f"{where}: pos {pos!r} is not a jieba tag (lowercase letters)")
        if not _CATEGORY_RE.match(category):
            raise InputError(f"{where}: category {category!r} is not an id ([a-z][a-z0-9_]*)")
        if not note.strip():
            raise InputError(f"{where}: note (where the term is attested) is empty")
        rows.append((term, weight, pos, category, note))
    return pd.DataFrame(rows, columns=list(LEXICON_COLUMNS)).astype(
        {"term": "string", "weight": "float64", "pos": "string", "category": "string",
         "note": "string"})


GUARD_COLUMNS: tuple[str, ...] = ("guard", "blocks", "note")


def load_guards(path: PathLike | None = None) -> pd.DataFrame:
    """Read and validate a guards TSV (the shipped ``guards.tsv`` when ``path`` is ``None``).

    A *guard* is an ordinary word whose end a lexicon term could wrongly start
    inside: ``提高`` in ``提高质量``, where leftmost-longest matching alone would
    give ``提 | 高质量``. The protection pass matches guards like terms but hands
    them to the backend instead of keeping them whole, so ``提高质量`` becomes
    ``提高 | 质量``. Columns: ``guard``; ``blocks``, the space-separated terms it
    stops from matching there (each must start inside the guard, or be a prefix of
    it); ``note``, the evidence. Raises ``ValueError`` naming the file and line.

    Example:
        >>> "极地" in load_guards().set_index("guard").loc["积极", "blocks"]
        True
    """
    path = Path(path) if path is not None else data_path("guards.tsv")
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for _, where, fields in tsv_rows(path, GUARD_COLUMNS, "guards"):
        guard, blocks, note = fields
        if not guard or guard != guard.strip() or guard in seen:
            raise InputError(f"{where}: empty, padded or duplicate guard {guard!r}")
        seen.add(guard)
        blocked = blocks.split()
        if not blocked or not note.strip():
            raise InputError(f"{where}: a guard needs the terms it blocks and a note")
        for term in blocked:
            if not _overlaps_from_inside(guard, term):
                raise InputError(f"{where}: {term!r} neither starts inside {guard!r} "
                                 "nor is a prefix of it, so the guard cannot block it")
        rows.append((guard, " ".join(blocked), note))
    return pd.DataFrame(rows, columns=list(GUARD_COLUMNS)).astype("string")


def _overlaps_from_inside(guard: str, term: str) -> bool:
    """Whether ``term`` can start inside ``guard`` and run past its end, or is a
    proper prefix of ``guard`` (the two ways a guard wins leftmost-longest)."""
    if guard.startswith(term) and len(guard) > len(term):
        return True
    return any(term.startswith(guard[k:]) and len(term) > len(guard) - k
               for k in range(1, len(guard)))


def load_wordlist(path: PathLike) -> list[str]:
    """Read a one-word-per-line list (``#`` comments and blank lines skipped), in file order.

    Example:
        >>> "的" in load_wordlist(data_path("stopwords.txt"))
        True
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MissingInputError(f"{path}: word list not found", path=path) from None
    words = []
    for line in text.splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(word)
    return words


_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


def read_user_dict(path: PathLike) -> list[tuple[str, int | None, str | None]]:
    """Read a jieba-format user dictionary: ``word [freq] [pos]`` per line, UTF-8.

    The same line grammar as ``jieba.load_userdict`` (a word may contain
    spaces; a trailing number is the frequency, a trailing lowercase word the tag).

    Example:
        >>> read_user_dict("my_terms.txt")  # doctest: +SKIP
        [('新质生产力', 10, 'nz'), ('具身智能', None, None)]
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MissingInputError(f"{path}: user dictionary not found", path=path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: user dictionary must be UTF-8 ({error.reason})",
                         path=path) from None
    entries: list[tuple[str, int | None, str | None]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        assert match is not None  # the pattern matches any non-empty line
        word, freq, tag = match.groups()
        entries.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return entries
