"""Griffe extension for the API reference: the package's docstrings as Markdown reads them.

* The docstrings head their doctests ``Example:`` (singular). Griffe's Google parser
  turns only ``Examples:`` into an examples section, whose ``>>>`` lines render as Python
  code; under any other title they would be Markdown, where ``>>>`` is a nested quote
  and ``[1, 2, 3]`` a broken link. The heading is renamed.
* Sphinx roles (``:func:`~nqp_text.read_corpus```) would show their role name; they
  become inline code of the name as Sphinx displays it (``read_corpus`` with ``~``).

Only the text griffe parses changes, the source files are not touched; the extension is
listed in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`(~?)([^`]+)`")


def _role_as_code(match: re.Match[str]) -> str:
    name = match[2].rsplit(".", 1)[-1] if match[1] else match[2]
    return f"`{name}`"


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` headings and turn Sphinx roles into code in every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = _HEADING.sub(r"\1Examples:", obj.docstring.value)
            obj.docstring.value = _ROLE.sub(_role_as_code, text)
