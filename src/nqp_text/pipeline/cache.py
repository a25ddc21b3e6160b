"""The content-addressed cache of per-document work under ``DIR/.cache``.

An entry's key is the SHA-256 of (stage name, the input's content hash, the
stage's configuration hash), so a re-run with nothing changed finds every
entry, a new input file adds only its own entries, and a new lexicon changes
the segmentation key but not the ingest key. Entries are written atomically
(temporary file + rename) by whichever process computed them; two workers
computing the same entry write identical bytes, so the last rename wins
harmlessly.

Layout: ``DIR/.cache/<stage>/<key[:2]>/<key>.<suffix>``.

Example:
    >>> from nqp_text.pipeline.cache import Cache, hash_config
    >>> cache = Cache("results/.cache")  # doctest: +SKIP
    >>> key = cache.key("segment", "ab12...", hash_config({"lexicon": "default"}))  # doctest: +SKIP
    >>> cache.path("segment", key, ".parquet")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nqp_text._atomic import remove_stale_temporaries

CACHE_DIRNAME = ".cache"
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z]+$")
_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks.

    ``OSError`` for anything but a regular file: a FIFO, socket or device is
    opened without blocking and refused, so hashing the inputs never hangs.
    """
    digest = hashlib.sha256()
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a string's UTF-8 bytes (a path's undecodable bytes as they are)."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal strings."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def hash_config(value: Any) -> str:
    """Hex SHA-256 of :func:`canonical_json` of ``value`` (a configuration)."""
    return sha256_text(canonical_json(value))


class Cache:
    """Paths of cache entries under ``root`` (usually ``DIR/.cache``).

    The object remembers every entry path it hands out, so that after a complete
    run :meth:`prune` can delete the entries no stage of that run asked for.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._used: set[Path] = set()

    def __repr__(self) -> str:
        return f"Cache({str(self.root)!r})"

    @staticmethod
    def key(stage: str, content_hash: str, config_hash: str) -> str:
        """The entry key of ``stage`` for an input with ``content_hash`` under ``config_hash``."""
        return sha256_text(f"{stage}\0{content_hash}\0{config_hash}")

    def path(self, stage: str, key: str, suffix: str = ".parquet") -> Path:
        """Where the entry lives (whether or not it exists yet); remembered as used."""
        path = self.root / stage / key[:2] / f"{key}{suffix}"
        self._used.add(path)
        return path

    def mark_used(self, paths: Iterable[Path]) -> None:
        """Remember entry paths that were computed elsewhere (by a task's own Cache)."""
        self._used.update(Path(path) for path in paths)

    def prune(self) -> tuple[int, int]:
        """Delete every entry this object did not hand out; return (files, bytes) removed.

        Meant for the end of a complete run, every stage of which asks for the path
        of every entry it reads or writes: what is left over belongs to inputs,
        lexicons, models or options no longer used. Only files laid out as entries
        (``<stage>/<key[:2]>/<key>.<suffix>``, ``key`` a SHA-256) are candidates;
        run records, locks, temporaries and anything else stay.
        """
        files = size = 0
        if not self.root.is_dir():
            return files, size
        for stage in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for bucket in sorted(p for p in stage.iterdir() if p.is_dir()):
                for entry in sorted(bucket.iterdir()):
                    if (_ENTRY_NAME.match(entry.name) and entry.name.startswith(bucket.name)
                            and entry.is_file() and entry not in self._used):
                        size += entry.stat().st_size
                        entry.unlink()
                        files += 1
                with contextlib.suppress(OSError):
                    bucket.rmdir()  # only when empty
        return files, size

    def clean(self) -> int:
        """Remove temporaries left by a killed run; return how many were removed."""
        if not self.root.exists():
            return 0
        return remove_stale_temporaries(self.root)
