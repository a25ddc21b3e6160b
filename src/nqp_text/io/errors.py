"""The one exception readers raise for an input they cannot read.

The corpus reader catches :class:`ReaderError` and turns it into a ``documents``
row with ``status="failed"`` and ``error=str(exc)``, so the message names the
file and the reason.

Example:
    >>> str(ReaderError("a.pdf", "encrypted PDF (password required)"))
    'a.pdf: encrypted PDF (password required)'
"""

from __future__ import annotations

import os

from nqp_text.errors import InputError

__all__ = ["ReaderError"]


class ReaderError(InputError):
    """An input file that cannot be read: ``path`` and a human-readable ``reason``."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}", path=self.path)

    def __reduce__(self) -> tuple[type[ReaderError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))
