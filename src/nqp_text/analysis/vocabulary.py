"""Which terms a trends table counts: the lexicon, a category, or a named group.

* The *lexicon* is the segmentation lexicon (``segment/data/lexicon.tsv``);
  each term has one ``category`` (a framework category such as
  ``tech_innovation`` or a descriptive group such as ``digital_economy``).
* A *framework category* (the six ids of the 新质生产力 framework) or *term
  group* (the rest of the 33131 framework and the four support paths, e.g.
  ``productivity_core``, ``path_factors``) is resolved through
  :func:`nqp_text.load_framework` when the framework is available: its
  keywords are the category's terms. Other ids fall back to the lexicon's
  ``category`` column; ``framework=False`` uses the lexicon's column for every id.

Example:
    >>> "数据要素" in category_terms("factor_allocation")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd


@functools.lru_cache(maxsize=4)
def _lexicon(path: str | None) -> pd.DataFrame:
    from nqp_text.segment.lexicon import load_lexicon

    return load_lexicon(path)


def lexicon_table(lexicon: str | None = None) -> pd.DataFrame:
    """The lexicon (``term, weight, pos, category, note``); ``lexicon`` is a TSV path or None."""
    return _lexicon(None if lexicon in (None, "default") else str(lexicon)).copy()


def _framework(framework: Any) -> Any:
    if framework is False:
        return None
    if framework is not None:
        return framework
    try:
        from nqp_text.framework import load_framework
    except ImportError:
        return None
    return _default_framework(load_framework)


@functools.lru_cache(maxsize=1)
def _default_framework(loader: Any) -> Any:
    return loader()


def framework_groups(framework: Any = None) -> dict[str, list[str]]:
    """Category and term-group id -> terms, from the framework (empty when unavailable).

    The six categories come first, in framework order, then the term groups.
    """
    framework = _framework(framework)
    if framework is None:
        return {}
    groups: dict[str, list[str]] = {}
    for category in framework.categories:
        groups[category.id] = list(dict.fromkeys(category.keywords))
    for group in getattr(framework, "term_groups", ()):
        groups[group.id] = list(dict.fromkeys(group.terms))
    return groups


def framework_labels(framework: Any = None) -> dict[str, str]:
    """Category / term-group id -> Chinese name (for charts and the report)."""
    framework = _framework(framework)
    if framework is None:
        return {}
    labels = {category.id: category.zh for category in framework.categories}
    labels.update({group.id: group.zh for group in getattr(framework, "term_groups", ())})
    return labels


def category_ids(framework: Any = None) -> list[str]:
    """The six framework category ids, in framework order."""
    framework = _framework(framework)
    if framework is not None:
        return [category.id for category in framework.categories]
    from nqp_text.segment.lexicon import FRAMEWORK_CATEGORIES

    return list(FRAMEWORK_CATEGORIES)


def known_groups(framework: Any = None, lexicon: str | None = None) -> list[str]:
    """Every id :func:`category_terms` accepts."""
    ids = list(framework_groups(framework))
    ids += sorted(set(lexicon_table(lexicon)["category"].astype(str)) - set(ids))
    return ids


def category_terms(category: str, framework: Any = None, lexicon: str | None = None) -> list[str]:
    """The terms of a framework category / term group, else of a lexicon category.

    Raises ``KeyError`` listing the known ids when ``category`` is none of them.
    """
    groups = framework_groups(framework)
    if category in groups:
        return groups[category]
    table = lexicon_table(lexicon)
    terms = table.loc[table["category"] == category, "term"].astype(str).tolist()
    if not terms:
        raise KeyError(f"unknown category or term group {category!r}; known: "
                       f"{', '.join(known_groups(framework, lexicon))}")
    return terms


def category_map(categories: list[str] | None = None, framework: Any = None,
                 lexicon: str | None = None) -> dict[str, list[str]]:
    """``category -> terms`` for ``categories`` (default: the six framework categories)."""
    categories = categories or category_ids(framework)
    return {category: category_terms(category, framework, lexicon) for category in categories}
