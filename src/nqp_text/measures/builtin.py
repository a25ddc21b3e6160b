"""The measures nqp_text knows by name: published dictionaries and its own vocabularies.

* **Shipped published dictionaries** live in ``measures/data/<name>.yaml``, each
  with its citation, where in the paper the list is printed, and how the list
  was checked (``verification``). :func:`available` lists them.
* **Built-in measures** over nqp_text's own vocabularies, counted by the same
  code as any user dictionary:

  - ``framework``: the six 新质生产力 framework categories (their keywords);
  - ``term_groups``: the framework's term groups (33131 framework and the four
    support paths);
  - ``lexicon``: the segmentation lexicon, one dimension per ``category``.

  All three use the lexicon as ``context`` (its terms take part in the
  leftmost-longest matching without being counted), exactly as
  :func:`nqp_text.category_frequencies` and the trends tables count.

Example:
    >>> "wu2021_digital_transformation" in set(available()["name"])
    True
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import pandas as pd

from nqp_text.measures.model import Measure

BUILTIN = ("framework", "term_groups", "lexicon")
#: How a shipped dictionary's ``verification`` starts when its list was not checked
#: against the paper; using it by name then warns (``measure_unverified``).
UNVERIFIED_MARK = "SECONDARY SOURCE ONLY"


def _data_files() -> dict[str, Any]:
    folder = resources.files("nqp_text.measures") / "data"
    return {entry.name.rsplit(".", 1)[0]: entry for entry in folder.iterdir()
            if entry.name.endswith(".yaml")}


def shipped_names() -> list[str]:
    """Names of the published dictionaries shipped with nqp_text, sorted."""
    return sorted(_data_files())


@functools.lru_cache(maxsize=16)
def _shipped(name: str) -> Measure:
    from nqp_text.measures.loading import load_measure_file

    entry = _data_files()[name]
    with resources.as_file(entry) as path:
        return load_measure_file(path, name=name)


def builtin_measure(name: str, *, framework: Any = None, lexicon: str | None = None) -> Measure:
    """A shipped dictionary or one of ``framework``, ``term_groups``, ``lexicon`` by name."""
    if name in _data_files():
        return _shipped(name)
    from nqp_text.analysis.vocabulary import (
        category_ids,
        framework_groups,
        framework_labels,
        lexicon_table,
    )

    table = lexicon_table(lexicon)
    context = tuple(table["term"].astype(str))
    if name in ("framework", "term_groups"):
        groups = framework_groups(framework)
        if not groups:
            raise LookupError("the framework is not available (framework=False or not installed)")
        six = category_ids(framework)
        ids = six if name == "framework" else [g for g in groups if g not in set(six)]
        labels = framework_labels(framework)
        return Measure(
            name=name, dimensions={g: groups[g] for g in ids},
            labels={g: labels.get(g, g) for g in ids},
            title="新质生产力框架类别" if name == "framework" else "33131框架与支撑路径词组",
            citation="nqp_text framework (src/nqp_text/framework/data/framework.yaml)",
            context=context, prefix="fw" if name == "framework" else "tg").validated()
    if name == "lexicon":
        dimensions = {str(category): group["term"].astype(str).tolist()
                      for category, group in table.groupby("category", sort=True)}
        return Measure(name="lexicon", dimensions=dimensions, title="nqp_text 领域词表",
                       citation="nqp_text segmentation lexicon (segment/data/lexicon.tsv)",
                       context=context, prefix="lex").validated()
    raise LookupError(f"unknown measure {name!r}; known: "
                      f"{', '.join([*shipped_names(), *BUILTIN])}")


def category_measure(categories: dict[str, list[str]], lexicon: str | None = None,
                     name: str = "categories") -> Measure:
    """A measure of arbitrary category -> terms with the lexicon as context (category tables)."""
    from nqp_text.analysis.vocabulary import lexicon_table

    context = tuple(lexicon_table(lexicon)["term"].astype(str))
    return Measure(name=name, dimensions=categories, context=context)


def available() -> pd.DataFrame:
    """The shipped published dictionaries, one row each, with where each list comes from.

    Columns: ``name, title, dimensions, n_terms, citation, source, version,
    verification``. ``verification`` says what the shipped list was checked
    against (the paper, or only reproductions or a secondary source quoting it)
    and the differences found; read it before citing counts made with a list.

    Example:
        >>> available()[["name", "n_terms"]]  # doctest: +SKIP
    """
    rows = []
    for name in shipped_names():
        measure = _shipped(name)
        rows.append({"name": name, "title": measure.title or "",
                     "dimensions": ", ".join(f"{measure.label(d)} ({len(t)})"
                                             for d, t in measure.dimensions.items()),
                     "n_terms": measure.n_terms, "citation": measure.citation or "",
                     "source": measure.source or "", "version": measure.version or "",
                     "verification": measure.verification or ""})
    return pd.DataFrame(rows, columns=["name", "title", "dimensions", "n_terms", "citation",
                                       "source", "version", "verification"])
