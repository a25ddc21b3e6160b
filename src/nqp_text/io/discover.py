"""Which files an input path means: folders walked in a fixed order, notes and hidden
files left out.

Folders are walked recursively, their files sorted by relative path so that
every machine reads them in the same order. Skipped in folders: hidden files
and folders, symbolic links to folders, and the folder's own notes by their
conventional names (:data:`FOLDER_NOTES`, any suffix: README, LICENSE, …, and
checksum lists such as SHA256SUMS); given explicitly, such a
file is read. A folder that cannot be listed is kept as a path (it becomes a
``failed`` row naming it), never silently dropped.

Example:
    >>> discover_files(["corpora/sample"])[:1]  # doctest: +SKIP
    ['corpora/sample/2019_职业技能提升行动方案.txt']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from nqp_text.errors import MissingInputError

__all__ = ["discover_files", "FOLDER_NOTES"]

#: File names (without suffix, any case) of a folder's own notes, not read from folders;
#: also the checksum lists data folders come with (``SHA256SUMS``, ``MD5SUMS``).
FOLDER_NOTES = frozenset({"readme", "sources", "license", "licence", "changelog", "copying",
                          "sha256sums", "sha512sums", "sha1sums", "md5sums", "checksums"})


def discover_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                   *, exclude: set[str] | None = None) -> list[str]:
    """Expand files and folders into the ordered list of files to read.

    Folders are walked recursively and sorted by relative path; hidden entries
    are skipped; a folder that cannot be listed is kept (it becomes a ``failed``
    row naming it); a path given twice is read once. ``FileNotFoundError`` for a
    path that does not exist (a broken symbolic link given explicitly is kept:
    it becomes a ``failed`` row).

    Example:
        >>> discover_files(["corpora/sample"])[:1]  # doctest: +SKIP
        ['corpora/sample/2019_职业技能提升行动方案.txt']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    exclude = exclude or set()
    found: list[str] = []
    seen: set[str] = set()
    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            candidates = [given if rel == os.curdir else os.path.join(given, rel)
                          for rel in _walk(given)]
        elif os.path.lexists(given):
            candidates = [given]
        else:
            raise MissingInputError(f"{given}: no such file or folder", path=given)
        for candidate in candidates:
            key = os.path.abspath(candidate)
            if key not in seen and key not in exclude:
                seen.add(key)
                found.append(candidate)
    return found



def _walk(root: str) -> list[str]:
    """Files under ``root`` and the folders that could not be listed (each a failed row)."""
    relative: list[tuple[tuple[str, ...], str]] = []

    def unreadable(error: OSError) -> None:
        rel = os.path.relpath(os.fsdecode(error.filename), root)
        relative.append((tuple(Path(rel).parts), rel))

    for directory, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in filenames:
            if name.startswith(".") or Path(name).stem.lower() in FOLDER_NOTES:
                continue
            rel = os.path.relpath(os.path.join(directory, name), root)
            relative.append((tuple(Path(rel).parts), rel))
    return [rel for _, rel in sorted(relative)]
