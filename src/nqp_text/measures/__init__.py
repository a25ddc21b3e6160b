"""Measures: named dictionaries (your own or published ones) counted per document or group.

* :class:`Measure` — dimensions -> terms, with citation, version and the
  leftmost-longest counting rule;
* :func:`load_measure` — from a list, a dict, a YAML/TSV/CSV/TXT file or a name;
* :func:`available` — the published dictionaries shipped with nqp_text;
* :func:`measure` — counts per dimension and in total, tokens, per-10k, ln1p and
  the matched terms, per document or per group (``by=["stkcd", "year"]``);
* :func:`panel` — one row per unit × year with every measure, the classifier's
  category shares and the documents' metadata, for Stata, R or Excel.

Example:
    >>> import nqp_text
    >>> nqp_text.measures.available()[["name", "n_terms"]]  # doctest: +SKIP
    >>> nqp_text.measure(corpus, ["数字化", "数字化转型"], name="dt")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Measure": "nqp_text.measures.model",
    "MeasureError": "nqp_text.measures.model",
    "load_measure": "nqp_text.measures.loading",
    "load_measure_file": "nqp_text.measures.loading",
    "available": "nqp_text.measures.builtin",
    "builtin_measure": "nqp_text.measures.builtin",
    "measure": "nqp_text.measures.counting",
    "document_term_counts": "nqp_text.measures.counting",
    "panel": "nqp_text.measures.panels",
    "write_panel": "nqp_text.measures.panels",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'nqp_text.measures' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
