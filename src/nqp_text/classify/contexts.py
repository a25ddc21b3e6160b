"""Keyword rules with context: where a framework keyword does *not* count as evidence.

A keyword found inside a longer word can mean something else: 资源配置 inside
水资源配置工程 is water-diversion works, not factor markets; 落户 after 总部 or
项目 is investment attraction, not household registration. The rules are data,
in ``classify/data/keyword_contexts.tsv`` (columns ``keyword, rule, contexts,
note``), three kinds:

``not_inside``
    ``contexts`` are longer strings that each contain the keyword; an
    occurrence of the keyword that lies inside one of them does not count
    (``资源配置  not_inside  水资源配置 教育资源配置``).
``requires``
    ``contexts`` are words of which at least one must occur in the same clause
    (text between 。；！？) for the keyword to count
    (``落户  requires  户籍 城镇 农业转移人口``).
``not_in_part``
    ``contexts`` are words none of which may occur in the same *part* of the
    clause (text between commas ，, inside the clause) for the keyword to count:
    the words name what the keyword is said of there. ``新业态  not_in_part  消费
    旅游 康养`` drops 新业态 in 支持发展演艺、夜间消费等新业态 (consumption) but
    keeps it in 推动新技术、新产业、新业态加快成长, even when the next part of
    the same sentence is about consumption.

The file is validated when loaded, like ``segment/data/guards.tsv``: errors
name the file and line. :class:`~nqp_text.classify.evidence.EvidenceExtractor`
applies the rules, so the DictionaryClassifier and the FrameworkClassifier's
evidence features both see them, and a saved model keeps its own copy.

Example:
    >>> rules = load_contexts()
    >>> rules.blocks("资源配置", "加快水资源配置工程建设", 3)
    True
    >>> rules.blocks("资源配置", "使市场在资源配置中起决定性作用", 4)
    False
    >>> rules.blocks("落户", "中国资源循环集团总部落户天津", 10)
    True
    >>> parts = KeywordContexts({"新业态": {"not_in_part": ["消费"]}})
    >>> parts.blocks("新业态", "扩大服务消费，培育新业态", 9)
    False
    >>> parts.blocks("新业态", "培育夜间消费等新业态", 7)
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from nqp_text._tsv import tsv_rows
from nqp_text.errors import InputError

PathLike = str | os.PathLike[str]

CONTEXT_COLUMNS: tuple[str, ...] = ("keyword", "rule", "contexts", "note")
RULES: tuple[str, ...] = ("not_inside", "requires", "not_in_part")
#: Characters that end a part of a clause (for ``not_in_part``).
_PART_ENDS = ("，", ",")


def contexts_path() -> Path:
    """The shipped rules file (``nqp_text/classify/data/keyword_contexts.tsv``)."""
    return Path(str(resources.files("nqp_text.classify").joinpath("data",
                                                                  "keyword_contexts.tsv")))


class KeywordContexts:
    """Validated context rules per keyword (immutable once built).

    ``rules`` maps a keyword to ``{"not_inside": [...], "requires": [...],
    "not_in_part": [...]}`` (any of the three);
    use :func:`load_contexts` to read them from a TSV file. ``KeywordContexts({})``
    has no rules (every keyword occurrence counts).
    """

    def __init__(self, rules: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        checked: dict[str, dict[str, tuple[str, ...]]] = {}
        for keyword, kinds in rules.items():
            entry: dict[str, tuple[str, ...]] = {}
            for rule, words in kinds.items():
                words = tuple(words)
                problem = _problem(keyword, rule, words)
                if problem:
                    raise InputError(f"context rule for {keyword!r}: {problem}")
                entry[rule] = words
            checked[keyword] = entry
        self._rules = checked
        self._offsets = {
            keyword: [(context, offset) for context in entry.get("not_inside", ())
                      for offset in _occurrences(context, keyword)]
            for keyword, entry in checked.items()
        }

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, keyword: object) -> bool:
        return keyword in self._rules

    @property
    def keywords(self) -> list[str]:
        """The keywords that have rules, sorted."""
        return sorted(self._rules)

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        """Plain data (saved in a model's ``model.json``)."""
        return {keyword: {rule: list(words) for rule, words in sorted(entry.items())}
                for keyword, entry in sorted(self._rules.items())}

    def blocks(self, keyword: str, clause: str, position: int) -> bool:
        """Whether the occurrence of ``keyword`` at ``clause[position:]`` does not count."""
        entry = self._rules.get(keyword)
        if entry is None:
            return False
        for context, offset in self._offsets[keyword]:
            start = position - offset
            if start >= 0 and clause.startswith(context, start):
                return True
        required = entry.get("requires")
        if required and not any(word in clause for word in required):
            return True
        excluded = entry.get("not_in_part")
        if excluded:
            part = _part(clause, position, position + len(keyword))
            return any(word in part for word in excluded)
        return False


def _part(clause: str, start: int, end: int) -> str:
    """The comma-separated part of ``clause`` around ``clause[start:end]``."""
    begin = max(clause.rfind(mark, 0, start) for mark in _PART_ENDS) + 1
    stops = [found for mark in _PART_ENDS if (found := clause.find(mark, end)) >= 0]
    return clause[begin:min(stops, default=len(clause))]


def _occurrences(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def _problem(keyword: str, rule: str, words: tuple[str, ...]) -> str | None:
    if not keyword or keyword != keyword.strip():
        return "empty or padded keyword"
    if rule not in RULES:
        return f"unknown rule {rule!r}; known: {', '.join(RULES)}"
    if not words:
        return "no contexts"
    if len(set(words)) != len(words):
        return "a context is listed twice"
    for word in words:
        if rule == "not_inside" and (keyword not in word or word == keyword):
            return f"not_inside context {word!r} must contain {keyword!r} and be longer"
        if rule in ("requires", "not_in_part") and keyword in word:
            return f"{rule} context {word!r} contains the keyword itself"
    return None


def load_contexts(path: PathLike | None = None) -> KeywordContexts:
    """Read and validate a context-rules TSV (the shipped one when ``path`` is ``None``).

    Raises ``FileNotFoundError`` or ``ValueError`` naming the file and line for a
    wrong header, a wrong number of fields, an unknown rule, a keyword with the
    same rule twice, empty contexts or note, a ``not_inside`` context that does
    not contain the keyword, or a ``requires`` or ``not_in_part`` word that
    contains it.

    Example:
        >>> sorted(load_contexts().to_dict()["落户"])
        ['not_inside', 'requires']
    """
    path = Path(path) if path is not None else contexts_path()
    rules: dict[str, dict[str, list[str]]] = {}
    for _, where, fields in tsv_rows(path, CONTEXT_COLUMNS, "keyword contexts"):
        keyword, rule, contexts, note = fields
        words = tuple(contexts.split())
        problem = _problem(keyword, rule, words)
        if problem is None and not note.strip():
            problem = "note (why the rule holds) is empty"
        if problem is None and rule in rules.get(keyword, {}):
            problem = f"keyword {keyword!r} has a second {rule!r} line; merge them"
        if problem:
            raise InputError(f"{where}: {problem}")
        rules.setdefault(keyword, {})[rule] = list(words)
    return KeywordContexts(rules)


def as_contexts(value: Any) -> KeywordContexts:
    """``"default"`` -> the shipped rules; ``None`` -> no rules; a path -> that file;
    a :class:`KeywordContexts` or a ``{keyword: {rule: [...]}}`` dict as is."""
    if isinstance(value, KeywordContexts):
        return value
    if value is None:
        return KeywordContexts({})
    if isinstance(value, str) and value == "default":
        return load_contexts()
    if isinstance(value, Mapping):
        return KeywordContexts(value)
    if isinstance(value, str | os.PathLike):
        return load_contexts(value)
    raise TypeError(f"contexts must be 'default', None, a path, a dict or KeywordContexts, "
                    f"got {type(value).__name__}")
