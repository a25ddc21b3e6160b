"""pipeline stage of nqp_text: ``nqp-text run``, executors, cache and manifest.

Nothing heavy is imported until a name is used (worker processes import the
task modules only).

Example:
    >>> from nqp_text.pipeline import run_pipeline
    >>> run_pipeline(["corpora/sample"], "results")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["RunOptions", "run_pipeline"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("nqp_text.pipeline.run"), name)
    raise AttributeError(f"module 'nqp_text.pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
