"""Lazy re-exports for a package's ``__init__``: a name imports its module on first use.

So ``from nqp_text.topics import TopicModel`` works while ``import nqp_text.topics``
(which the command line does for its defaults) stays light.

Example:
    >>> getattr_, dir_ = lazy_exports("nqp_text.x", {"Corpus": "nqp_text.corpus"})
    >>> getattr_("Corpus").__name__
    'Corpus'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for ``exports`` (name -> module)."""

    def __getattr__(name: str) -> Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module_name), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
