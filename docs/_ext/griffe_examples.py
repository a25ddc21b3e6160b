"""Griffe extension for the API reference: read ``Example:`` as a Google ``Examples:`` section.

The package's docstrings head their doctests ``Example:`` (singular). Griffe's Google
parser turns only ``Examples:`` into an examples section, whose ``>>>`` lines render as
Python code; under any other title they would be Markdown, where ``>>>`` is a nested
quote and ``[1, 2, 3]`` a broken link. This extension renames the heading in the text
griffe parses (the source files are not touched); it is listed in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` headings to ``Examples:`` in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
