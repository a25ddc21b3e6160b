"""Resolve ``"module:attribute"`` references: how registries name code to load later.

A registration given as text (an entry point's value, or ``"pkg.mod:build"``) is
imported only when it is used, and travels to worker processes as a string.

Example:
    >>> resolve_reference("os.path:join")("a", "b")
    'a/b'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def resolve_reference(ref: str | Callable[..., Any]) -> Callable[..., Any]:
    """The object ``ref`` names (``"module:attr.attr"``), or ``ref`` itself when callable."""
    if callable(ref):
        return ref
    module, _, name = ref.partition(":")
    if not name:
        raise ValueError(f"{ref!r} is not 'module:function'")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    return found
