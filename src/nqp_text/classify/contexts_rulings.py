"""Guideline rulings beyond a keyword's context: passage kinds, list spans, named actions.

:mod:`nqp_text.classify.contexts` blocks a keyword by the words around it. Some
rulings of the annotation guideline (v1.3) are about a larger unit or name
actions the framework's keywords lack. They are data, in
``classify/data/guideline_rulings.tsv`` (columns ``name, scope, pattern,
category, note, example, counter``), one regular expression per rule, six
scopes:

``passage``
    when ``pattern`` matches the passage, none of its keywords counts (the
    guideline's summary paragraphs: problem, 总体要求 and 主要预期目标
    paragraphs are none); ``category`` is ``-``.
``span``
    in every clause (text between 。；！？), a keyword occurrence that lies inside
    a match of ``pattern`` does not count ("加快A、B、C等N个项目" does not label A,
    B or C; a bare field name in an enumeration of 事项); ``category`` is ``-``.
``adds``
    every clause that matches ``pattern`` is evidence for ``category`` (weight
    1, once per clause), for qualifying actions the guideline names that are not
    framework keywords (机收 -> labor_means, 虚拟电厂 -> labor_means).
``enumeration``
    a match is a long enumeration (items joined by ``、``; the pattern says how
    many make it long: 5 or more, since the guideline counts a short one of 4
    or fewer); a category that only *one* of its items gives does not count from
    that item ("not one word in a long list of unrelated items"); ``category``
    is ``-``.
``counts_as``
    inside a match, a keyword occurrence counts only for ``category``: its other
    categories are dropped there, the same keyword elsewhere is untouched (the
    guideline's industry names: in 发展新材料、人工智能、新型储能等新兴产业 the items
    name industries, so 新材料 is not ``labor_object`` and 人工智能 not
    ``tech_innovation`` there, while a keyword of ``category`` inside the list,
    新兴产业, still counts). Nothing is added: a list whose words have no weight
    for ``category`` gives nothing.
``keeps``
    the exception to the ``passage`` rules: in a passage they block, a clause
    that matches ``pattern`` (a figure or a named programme) keeps the evidence
    of a category whose keywords occur in two or more of its comma-separated
    parts ("an item developed over at least two clauses with its own measure,
    figure or named programme"); ``category`` is ``-``.

Every rule carries an ``example`` that its pattern must match and a
``counter`` (a similar text) that it must not; both are checked when the file
is loaded, with the file's other checks (header, fields, unique names, known
scope, a pattern that compiles, a known category for ``adds`` and ``counts_as``, a
note citing
the guideline). Errors name the file and line, like ``keyword_contexts.tsv``.
:class:`~nqp_text.classify.evidence.EvidenceExtractor` applies the rules, so the
DictionaryClassifier and the FrameworkClassifier's evidence features both see
them, and a saved model keeps its own copy.

Example:
    >>> rulings = load_rulings()
    >>> rulings.blocks_passage("今年发展的主要预期目标是：地区生产总值增长5%左右。")
    True
    >>> rulings.blocked_spans("加快甲、乙、丙等12个重大项目建设")
    [(0, 15)]
    >>> [category for _, category in rulings.added("推广玉米良种和机收")]
    ['labor_means']
    >>> len(rulings.enumerations("推进交通、旅游、医疗、教育、环保合作")[0])
    5
    >>> rulings.category_spans("培育新材料、人工智能等新兴产业")
    [(0, 15, 'industrial_upgrading')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from nqp_text._tsv import tsv_rows
from nqp_text.errors import InputError

PathLike = str | os.PathLike[str]

RULING_COLUMNS: tuple[str, ...] = ("name", "scope", "pattern", "category", "note", "example",
                                   "counter")
SCOPES: tuple[str, ...] = ("passage", "span", "adds", "enumeration", "keeps", "counts_as")
#: Scopes whose rules name a category (the others write ``-``).
CATEGORY_SCOPES: tuple[str, ...] = ("adds", "counts_as")
#: Separators of the items of an ``enumeration`` match.
ITEM_SEPARATORS = "、"


def rulings_path() -> Path:
    """The shipped rulings file (``nqp_text/classify/data/guideline_rulings.tsv``)."""
    return Path(str(resources.files("nqp_text.classify").joinpath("data",
                                                                  "guideline_rulings.tsv")))


@dataclass(frozen=True)
class Ruling:
    """One rule: ``name``, ``scope``, regular-expression ``pattern``, ``category``
    (``adds`` and ``counts_as`` only, else ``"-"``), and the ``note`` saying which
    guideline bullet it encodes."""

    name: str
    scope: str
    pattern: str
    category: str = "-"
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "scope": self.scope, "pattern": self.pattern,
                "category": self.category, "note": self.note}


class Rulings:
    """Validated rulings (immutable once built); ``Rulings([])`` has none.

    ``categories``: the category ids an ``adds`` rule may name (``None``: any).
    """

    def __init__(self, rules: Iterable[Ruling | Mapping[str, str]],
                 categories: Iterable[str] | None = None) -> None:
        known = set(categories) if categories is not None else None
        checked: list[Ruling] = []
        names: set[str] = set()
        for rule in rules:
            rule = rule if isinstance(rule, Ruling) else Ruling(**dict(rule))
            problem = _problem(rule, known) or (
                f"rule name {rule.name!r} is used twice" if rule.name in names else None)
            if problem:
                raise InputError(f"guideline ruling {rule.name!r}: {problem}")
            names.add(rule.name)
            checked.append(rule)
        self.rules: tuple[Ruling, ...] = tuple(checked)
        self._passage = [re.compile(r.pattern) for r in checked if r.scope == "passage"]
        self._span = [re.compile(r.pattern) for r in checked if r.scope == "span"]
        self._adds = [(re.compile(r.pattern), r.category) for r in checked if r.scope == "adds"]
        self._enumeration = [re.compile(r.pattern) for r in checked
                             if r.scope == "enumeration"]
        self._keeps = [re.compile(r.pattern) for r in checked if r.scope == "keeps"]
        self._counts_as = [(re.compile(r.pattern), r.category) for r in checked
                           if r.scope == "counts_as"]

    def __len__(self) -> int:
        return len(self.rules)

    def to_list(self) -> list[dict[str, str]]:
        """Plain data (saved in a model's ``model.json``)."""
        return [rule.to_dict() for rule in self.rules]

    def blocks_passage(self, text: str) -> bool:
        """Whether a ``passage`` rule matches ``text`` (then none of its keywords counts)."""
        return any(pattern.search(text) for pattern in self._passage)

    def blocked_spans(self, clause: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every ``span`` rule's match in ``clause``, sorted."""
        return sorted(match.span() for pattern in self._span
                      for match in pattern.finditer(clause) if match.end() > match.start())

    @property
    def has_keeps(self) -> bool:
        """Whether any ``keeps`` rule exists (else a blocked passage has no evidence at all)."""
        return bool(self._keeps)

    def keeps(self, clause: str) -> bool:
        """Whether a ``keeps`` rule matches ``clause`` (the exception to a ``passage`` rule)."""
        return any(pattern.search(clause) for pattern in self._keeps)

    def enumerations(self, clause: str) -> list[list[tuple[int, int]]]:
        """The items of every ``enumeration`` match in ``clause``: per match, the
        ``(start, end)`` of each item (text between the separators ``、``).

        Example:
            >>> rules = Rulings([Ruling("long", "enumeration", "(?:[^，、]{1,8}、){4,}[^，、]{1,8}",
            ...                         note="guideline")])
            >>> rules.enumerations("推进甲、乙、丙、丁、戊合作")
            [[(0, 3), (4, 5), (6, 7), (8, 9), (10, 13)]]
        """
        found = []
        for pattern in self._enumeration:
            for match in pattern.finditer(clause):
                items, start = [], match.start()
                for position in range(match.start(), match.end()):
                    if clause[position] in ITEM_SEPARATORS:
                        items.append((start, position))
                        start = position + 1
                items.append((start, match.end()))
                found.append(items)
        return found

    def category_spans(self, clause: str) -> list[tuple[int, int, str]]:
        """``(start, end, category)`` of every ``counts_as`` rule's match in ``clause``,
        sorted: inside it a keyword counts only for ``category``.

        Example:
            >>> rules = Rulings([Ruling("industries", "counts_as", "[^，]*等新兴产业",
            ...                         "industrial_upgrading", "guideline")])
            >>> rules.category_spans("发展甲、乙等新兴产业，推进丙")
            [(0, 10, 'industrial_upgrading')]
        """
        return sorted((*match.span(), category) for pattern, category in self._counts_as
                      for match in pattern.finditer(clause) if match.end() > match.start())

    def added(self, clause: str) -> list[tuple[str, str]]:
        """``(matched text, category)`` of every ``adds`` rule that matches ``clause``."""
        found = []
        for pattern, category in self._adds:
            match = pattern.search(clause)
            if match:
                found.append((match.group(0), category))
        return found


def _problem(rule: Ruling, categories: set[str] | None) -> str | None:
    if not rule.name or rule.name != rule.name.strip():
        return "empty or padded name"
    if rule.scope not in SCOPES:
        return f"unknown scope {rule.scope!r}; known: {', '.join(SCOPES)}"
    try:
        compiled = re.compile(rule.pattern)
    except re.error as error:
        return f"pattern {rule.pattern!r} does not compile ({error})"
    if not rule.pattern or compiled.match(""):
        return "the pattern matches the empty string"
    if rule.scope in CATEGORY_SCOPES:
        if categories is not None and rule.category not in categories:
            return f"unknown category {rule.category!r}"
        if rule.category in ("", "-"):
            return f"an {rule.scope} rule needs a category"
    elif rule.category != "-":
        return f"a {rule.scope} rule takes no category (write '-'), got {rule.category!r}"
    if "guideline" not in rule.note:
        return "note must cite the guideline bullet the rule encodes"
    return None


def load_rulings(path: PathLike | None = None,
                 categories: Iterable[str] | None = None) -> Rulings:
    """Read and validate a rulings TSV (the shipped one when ``path`` is ``None``).

    Besides each rule's own checks, its ``example`` must match its pattern and
    its ``counter`` must not. Raises ``FileNotFoundError`` or ``ValueError``
    naming the file and line.

    Example:
        >>> sorted({rule.scope for rule in load_rulings().rules})
        ['adds', 'counts_as', 'enumeration', 'keeps', 'passage', 'span']
    """
    path = Path(path) if path is not None else rulings_path()
    known = set(categories) if categories is not None else None
    rules: list[Ruling] = []
    names: set[str] = set()
    for _, where, fields in tsv_rows(path, RULING_COLUMNS, "guideline rulings"):
        name, scope, pattern, category, note, example, counter = fields
        rule = Ruling(name, scope, pattern, category, note)
        problem = _problem(rule, known)
        if problem is None and name in names:
            problem = f"rule name {name!r} is used twice"
        if problem is None and not re.search(pattern, example):
            problem = f"the example {example!r} does not match the pattern"
        if problem is None and re.search(pattern, counter):
            problem = f"the counter-example {counter!r} matches the pattern"
        if problem:
            raise InputError(f"{where}: {problem}")
        names.add(name)
        rules.append(rule)
    return Rulings(rules, known)


def rule_examples(path: PathLike | None = None) -> list[tuple[str, str, str, str]]:
    """``(name, scope, example, counter)`` of every rule in a rulings TSV (for tests)."""
    path = Path(path) if path is not None else rulings_path()
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            fields = line.split("\t")
            rows.append((fields[0], fields[1], fields[5], fields[6]))
    return rows


def as_rulings(value: Any, categories: Iterable[str] | None = None) -> Rulings:
    """``"default"`` -> the shipped rulings (without the ``adds``/``counts_as`` rules whose category
    is not in ``categories``); ``None`` -> none; a path -> that file; a :class:`Rulings`
    or a list of rule dicts as is."""
    if isinstance(value, Rulings):
        return value
    if value is None:
        return Rulings([])
    if isinstance(value, str) and value == "default":
        shipped = load_rulings()
        if categories is None:
            return shipped
        # A user's own framework: the shipped adds rules for categories it lacks are left out.
        known = set(categories)
        return Rulings([rule for rule in shipped.rules
                        if rule.scope not in CATEGORY_SCOPES or rule.category in known], known)
    if isinstance(value, list | tuple):
        return Rulings(value, categories)
    if isinstance(value, str | os.PathLike):
        return load_rulings(value, categories)
    raise TypeError(f"rulings must be 'default', None, a path, a list or Rulings, "
                    f"got {type(value).__name__}")
