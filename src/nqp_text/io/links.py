"""Symbolic links that leave the input: found before anything is opened.

A folder from a stranger can hold ``notes_2024.txt -> /etc/passwd``; read as is,
the file's lines would end up in the passages, the tokens and the report. By
default a file whose real location (every link resolved) lies outside the
input paths given is not read: it becomes a ``failed`` row with the reason from
:func:`outside_reason`. The input paths are each folder given and, for a file
given, its folder; so a link to a sibling file, or inside the folder tree, is
read. ``follow_links=True`` (``--follow-links``) reads every link.

Example:
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.symlink("/etc/hostname", os.path.join(folder, "a.txt"))
    >>> roots = input_roots([folder])
    >>> outside_reason(os.path.join(folder, "a.txt"), roots).startswith("link points outside")
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = ["input_roots", "outside_reason"]


def input_roots(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The real folders the inputs may be read from: each folder given, each file's folder."""
    roots = []
    for given in paths:
        given = os.path.abspath(os.fspath(given))
        folder = given if os.path.isdir(given) else os.path.dirname(given)
        roots.append(os.path.realpath(folder))
    return sorted(set(roots))


def outside_reason(path: str, roots: list[str]) -> str | None:
    """Why ``path`` is not read (its real location is outside every root), else ``None``."""
    real = os.path.realpath(path)
    for root in roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return None
    return (f"link points outside the input ({path} -> {real}; "
            "follow_links=True / --follow-links reads it)")
