"""The framework model: categories with keywords, groups and term groups, loaded from YAML.

A framework file (see ``data/framework.yaml``) has the top-level keys ``id``,
``name`` (``zh``/``en``), ``version``, ``source``, ``groups`` (the category
groups, e.g. element / driving_force), ``categories`` and ``term_groups``.
Each category has ``id, zh, en, group, definition, keywords`` and an optional
``threshold``; a keyword item is a plain term (weight 1.0) or a one-entry
mapping ``term: weight``. Loading validates everything and names the file and
the offending entry in every error.

Example:
    >>> from nqp_text.framework import load_framework
    >>> framework = load_framework()
    >>> framework.category_ids[:3]
    ('labor_object', 'labor_means', 'labor_force')
    >>> framework.category("tech_innovation").zh
    '技术创新'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nqp_text.errors import InputError

PathLike = str | os.PathLike[str]

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"id", "name", "version", "source", "groups", "categories", "term_groups"}
_TOP_REQUIRED = {"id", "categories"}
_GROUP_KEYS = {"id", "zh", "en"}
_CATEGORY_KEYS = {"id", "zh", "en", "group", "definition", "keywords", "threshold"}
_CATEGORY_REQUIRED = {"id", "zh", "en", "group", "definition", "keywords"}
_TERM_GROUP_KEYS = {"id", "kind", "zh", "en", "terms"}
_TERM_GROUP_REQUIRED = {"id", "zh", "en", "terms"}
DEFAULT_THRESHOLD = 1.0
DEFAULT_WEIGHT = 1.0


class FrameworkError(InputError):
    """A framework file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Group:
    """A group of categories (e.g. the three elements, the three driving forces)."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Category:
    """One passage category with its weighted keywords (term -> weight, in file order)."""

    id: str
    zh: str
    en: str
    group: str
    definition: str
    keywords: dict[str, float]
    threshold: float = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class TermGroup:
    """A named list of terms tracked over time (the rest of the framework, support paths)."""

    id: str
    zh: str
    en: str
    terms: tuple[str, ...]
    kind: str = "custom"


@dataclass(frozen=True)
class Framework:
    """A validated framework: categories, their groups and named term groups.

    Build it with :func:`load_framework`. ``sha256`` hashes the canonical JSON
    of the content (not the YAML bytes), so comments and layout do not change it.
    """

    id: str
    name_zh: str
    name_en: str
    version: str
    source: str
    groups: tuple[Group, ...]
    categories: tuple[Category, ...]
    term_groups: tuple[TermGroup, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def category_ids(self) -> tuple[str, ...]:
        """The category ids in file order (the column order of every label matrix)."""
        return tuple(category.id for category in self.categories)

    def category(self, category_id: str) -> Category:
        """The category with id ``category_id`` (``KeyError`` naming the known ids)."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(f"no category {category_id!r}; known: {', '.join(self.category_ids)}")

    def term_group(self, group_id: str) -> TermGroup:
        """The term group with id ``group_id``."""
        for group in self.term_groups:
            if group.id == group_id:
                return group
        known = ", ".join(group.id for group in self.term_groups)
        raise KeyError(f"no term group {group_id!r}; known: {known}")

    def keywords(self) -> pd.DataFrame:
        """All keywords as a DataFrame ``category, term, weight`` in file order."""
        rows = [(category.id, term, weight) for category in self.categories
                for term, weight in category.keywords.items()]
        return pd.DataFrame(rows, columns=["category", "term", "weight"])

    def all_terms(self) -> list[str]:
        """Every keyword and term-group term, sorted and unique."""
        terms = {term for category in self.categories for term in category.keywords}
        terms.update(term for group in self.term_groups for term in group.terms)
        return sorted(terms)

    def to_dict(self) -> dict[str, Any]:
        """The content as plain data (what :attr:`sha256` hashes)."""
        return {
            "id": self.id,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "version": self.version,
            "source": self.source,
            "groups": [vars(group) for group in self.groups],
            "categories": [
                {"id": c.id, "zh": c.zh, "en": c.en, "group": c.group,
                 "definition": c.definition, "threshold": c.threshold,
                 "keywords": [[term, weight] for term, weight in c.keywords.items()]}
                for c in self.categories
            ],
            "term_groups": [
                {"id": g.id, "kind": g.kind, "zh": g.zh, "en": g.en, "terms": list(g.terms)}
                for g in self.term_groups
            ],
        }

    @property
    def sha256(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`to_dict`."""
        blob = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def default_framework_path() -> Path:
    """Path of the shipped ``framework.yaml``."""
    return Path(str(resources.files("nqp_text.framework").joinpath("data", "framework.yaml")))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate mapping keys instead of keeping the last."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode,
                       deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_framework(path: PathLike | None = None) -> Framework:
    """Load and validate a framework YAML file (the shipped one when ``path`` is ``None``).

    Raises :class:`FrameworkError` naming the file and the entry for unknown or
    missing keys, bad or duplicate ids, an unknown group, an empty keyword list,
    a non-positive weight or threshold, a keyword listed twice in one category,
    or a keyword shared by two categories without an explicit weight in both.

    Example:
        >>> load_framework().term_group("path_institutions").zh
        '制度变革'
    """
    file = Path(path) if path is not None else default_framework_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(f"{file}: framework file not found") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise FrameworkError(f"{file}: not valid YAML: {error}") from None
    return _parse(data, str(file))


def framework_from_dict(data: Any, where: str = "<dict>") -> Framework:
    """Validate and build a Framework from plain data (a parsed YAML file or
    :meth:`Framework.to_dict`); ``where`` names the source in error messages."""
    if isinstance(data, dict) and isinstance(data.get("categories"), list):
        data = dict(data, categories=[_keywords_from_pairs(c) for c in data["categories"]])
    return _parse(data, where)


def _keywords_from_pairs(category: Any) -> Any:
    """Accept ``[[term, weight], ...]`` keyword lists (the to_dict form) as explicit weights."""
    if not isinstance(category, dict) or not isinstance(category.get("keywords"), list):
        return category
    items = [{item[0]: item[1]} if isinstance(item, list) and len(item) == 2 else item
             for item in category["keywords"]]
    return dict(category, keywords=items)


def _parse(data: Any, where: str) -> Framework:
    if not isinstance(data, dict):
        raise FrameworkError(f"{where}: the top level must be a mapping")
    _check_keys(data, _TOP_KEYS, _TOP_REQUIRED, where)
    framework_id = _check_id(data["id"], f"{where}: id")
    name = data.get("name") or {}
    if not isinstance(name, dict):
        raise FrameworkError(f"{where}: name must be a mapping with zh and en")
    _check_keys(name, {"zh", "en"}, set(), f"{where}: name")
    groups = tuple(_parse_group(item, f"{where}: groups[{i}]")
                   for i, item in enumerate(_list(data.get("groups", []), f"{where}: groups")))
    group_ids = [group.id for group in groups]
    _no_duplicates(group_ids, f"{where}: groups")
    raw_categories = _list(data["categories"], f"{where}: categories")
    if not raw_categories:
        raise FrameworkError(f"{where}: categories is empty")
    categories = tuple(_parse_category(item, f"{where}: categories[{i}]", group_ids)
                       for i, item in enumerate(raw_categories))
    term_groups = tuple(
        _parse_term_group(item, f"{where}: term_groups[{i}]")
        for i, item in enumerate(_list(data.get("term_groups", []), f"{where}: term_groups")))
    _no_duplicates([c.id for c in categories] + [g.id for g in term_groups],
                   f"{where}: categories and term_groups")
    _check_shared_keywords(raw_categories, categories, where)
    return Framework(
        id=framework_id, name_zh=str(name.get("zh", "")), name_en=str(name.get("en", "")),
        version=str(data.get("version", "")), source=str(data.get("source", "")),
        groups=groups, categories=categories, term_groups=term_groups, path=where)


def _check_keys(mapping: dict[str, Any], allowed: set[str], required: set[str],
                where: str) -> None:
    unknown = sorted(set(mapping) - allowed, key=str)
    if unknown:
        raise FrameworkError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                             f"allowed: {', '.join(sorted(allowed))}")
    missing = sorted(required - set(mapping))
    if missing:
        raise FrameworkError(f"{where}: missing key(s) {', '.join(map(repr, missing))}")


def _check_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise FrameworkError(f"{where}: {value!r} is not a valid id "
                             "(lower-case letters, digits, underscores; starts with a letter)")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise FrameworkError(f"{where}: must be a list")
    return value


def _text(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping[key]
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _positive(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise FrameworkError(f"{where}: {value!r} must be a positive number")
    return float(value)


def _no_duplicates(ids: list[str], where: str, what: str = "id") -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise FrameworkError(f"{where}: duplicate {what} {item!r}")
        seen.add(item)


def _parse_group(item: Any, where: str) -> Group:
    if not isinstance(item, dict):
        raise FrameworkError(f"{where}: must be a mapping")
    _check_keys(item, _GROUP_KEYS, _GROUP_KEYS, where)
    return Group(_check_id(item["id"], f"{where}: id"), _text(item, "zh", where),
                 _text(item, "en", where))


def _keyword_items(raw: Any, where: str) -> list[tuple[str, float, bool]]:
    """(term, weight, weight_given) for every item of a keyword list."""
    items = _list(raw, f"{where}: keywords")
    if not items:
        raise FrameworkError(f"{where}: keywords is empty")
    parsed = []
    for position, item in enumerate(items):
        spot = f"{where}: keywords[{position}]"
        if isinstance(item, str):
            term, weight, given = item, DEFAULT_WEIGHT, False
        elif isinstance(item, dict) and len(item) == 1:
            (term, raw_weight), = item.items()
            weight, given = _positive(raw_weight, f"{spot} weight of {term!r}"), True
        else:
            raise FrameworkError(f"{spot}: {item!r} must be a term or a one-entry mapping "
                                 "'term: weight'")
        if not isinstance(term, str) or not term.strip() or term != term.strip():
            raise FrameworkError(f"{spot}: {term!r} must be a non-empty term without "
                                 "surrounding spaces")
        parsed.append((term, weight, given))
    return parsed


def _parse_category(item: Any, where: str, group_ids: list[str]) -> Category:
    if not isinstance(item, dict):
        raise FrameworkError(f"{where}: must be a mapping")
    _check_keys(item, _CATEGORY_KEYS, _CATEGORY_REQUIRED, where)
    category_id = _check_id(item["id"], f"{where}: id")
    where = f"{where} ({category_id})"
    group = item["group"]
    if group not in group_ids:
        raise FrameworkError(f"{where}: group {group!r} is not one of the groups "
                             f"({', '.join(group_ids) or 'none defined'})")
    keywords: dict[str, float] = {}
    for term, weight, _given in _keyword_items(item["keywords"], where):
        if term in keywords:
            raise FrameworkError(f"{where}: keyword {term!r} is listed twice")
        keywords[term] = weight
    threshold = _positive(item.get("threshold", DEFAULT_THRESHOLD), f"{where}: threshold")
    return Category(category_id, _text(item, "zh", where), _text(item, "en", where), group,
                    " ".join(_text(item, "definition", where).split()), keywords, threshold)


def _check_shared_keywords(raw_categories: list[dict[str, Any]],
                           categories: tuple[Category, ...], where: str) -> None:
    """A keyword in two categories must carry an explicit weight in each of them."""
    owners: dict[str, list[tuple[str, bool]]] = {}
    for raw, category in zip(raw_categories, categories, strict=True):
        for term, _weight, given in _keyword_items(raw["keywords"], where):
            owners.setdefault(term, []).append((category.id, given))
    for term, places in owners.items():
        if len(places) > 1 and not all(given for _id, given in places):
            ids = ", ".join(category_id for category_id, _given in places)
            raise FrameworkError(f"{where}: keyword {term!r} is in several categories ({ids}); "
                                 "give it an explicit weight ('term: weight') in each")


def _parse_term_group(item: Any, where: str) -> TermGroup:
    if not isinstance(item, dict):
        raise FrameworkError(f"{where}: must be a mapping")
    _check_keys(item, _TERM_GROUP_KEYS, _TERM_GROUP_REQUIRED, where)
    group_id = _check_id(item["id"], f"{where}: id")
    where = f"{where} ({group_id})"
    terms = _list(item["terms"], f"{where}: terms")
    if not terms:
        raise FrameworkError(f"{where}: terms is empty")
    for term in terms:
        if not isinstance(term, str) or not term.strip():
            raise FrameworkError(f"{where}: term {term!r} must be a non-empty string")
    _no_duplicates(list(terms), f"{where}: terms", "term")
    kind = item.get("kind", "custom")
    if not isinstance(kind, str) or not _ID_RE.match(kind):
        raise FrameworkError(f"{where}: kind {kind!r} must be an id such as support_path")
    return TermGroup(group_id, _text(item, "zh", where), _text(item, "en", where),
                     tuple(terms), kind)
