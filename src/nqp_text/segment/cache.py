"""A persistent token cache keyed by (passage text hash, Segmenter config hash).

One SQLite database (``tokens.sqlite``) in a cache folder, in WAL mode with a
busy timeout, so several processes may read and write it at once: readers never
block, writers queue briefly, and ``INSERT OR IGNORE`` makes two workers that
segmented the same passage harmless (they store identical values). A re-run
with an unchanged passage and configuration reads the tokens back and does no
segmentation work; any change to the lexicon, stopwords, options or backend
version changes :attr:`Segmenter.config_hash` and therefore the key.

Values are zlib-compressed UTF-8 JSON lists (``["词", ...]``, or
``[["词", "n"], ...]`` for POS): about 10 MB for the 1.1 M characters of the
government work reports with and without POS.

Every row carries a digest: the SHA-256 of its key and value, written with it.
A row whose value no longer matches its digest (a flipped byte, a value copied
under another key) or no longer decodes is a cache miss: the passage is cut
again, the row replaced, and one ``cache_damaged`` warning names the database
and how many rows failed. Like the seals of the run cache (``pipeline/cache.py``)
the digest is a checksum, not a signature: whoever can write the database can
write a matching digest.

Example:
    >>> cache = TokenCache("results/.cache/segment")  # doctest: +SKIP
    >>> cache.get_many(["<hash>"], config_hash, "cut")  # doctest: +SKIP
    {}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from nqp_text.errors import CacheError

DB_NAME = "tokens-v2.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    text_hash TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    value BLOB NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (text_hash, config_hash, kind)
)
"""
_CHUNK = 500


def text_hash(text: str) -> str:
    """Hex SHA-256 of the text's UTF-8 bytes (the passage part of the cache key)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _row_digest(key: str, config_hash: str, kind: str, value: bytes) -> str:
    """SHA-256 over a row's key fields and its stored (compressed) value."""
    digest = hashlib.sha256()
    for field in (key, config_hash, kind):
        digest.update(field.encode("utf-8") + b"\x00")
    digest.update(value)
    return digest.hexdigest()


def _decoded(key: str, config_hash: str, kind: str, value: bytes, digest: str) -> Any:
    """The row's token list, or ``_DAMAGED`` when it does not match its digest or decode."""
    if not isinstance(value, bytes) or _row_digest(key, config_hash, kind, value) != digest:
        return _DAMAGED
    try:
        return json.loads(zlib.decompress(value))
    except (zlib.error, ValueError):
        return _DAMAGED


_DAMAGED = object()


class TokenCache:
    """Token lists stored under (text hash, config hash, kind) in ``directory/tokens.sqlite``."""

    def __init__(self, directory: str | os.PathLike[str], timeout: float = 60.0) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / DB_NAME
        self._timeout = timeout
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction: committed on success, always closed."""
        try:
            connection = sqlite3.connect(self.path, timeout=self._timeout)
        except sqlite3.Error as error:
            raise CacheError(f"{self.path}: cannot open token cache ({error})",
                             path=self.path) from None
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
            with connection:
                yield connection
        except sqlite3.DatabaseError as error:
            raise CacheError(f"{self.path}: token cache error ({error})", path=self.path) from error
        finally:
            connection.close()

    def get_many(self, hashes: Sequence[str], config_hash: str, kind: str) -> dict[str, Any]:
        """The cached values for those text hashes that are present and intact.

        Rows that fail their digest are deleted and left out (so they are
        computed again), with one ``cache_damaged`` warning.
        """
        found: dict[str, Any] = {}
        damaged: list[str] = []
        unique = sorted(set(hashes))
        with self._connect() as connection:
            for offset in range(0, len(unique), _CHUNK):
                chunk = unique[offset:offset + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT text_hash, value, digest FROM tokens WHERE config_hash = ? "
                    f"AND kind = ? AND text_hash IN ({marks})", (config_hash, kind, *chunk))
                for key, value, digest in rows:
                    decoded = _decoded(key, config_hash, kind, value, digest)
                    if decoded is _DAMAGED:
                        damaged.append(key)
                    else:
                        found[key] = decoded
            if damaged:
                connection.executemany(
                    "DELETE FROM tokens WHERE text_hash = ? AND config_hash = ? AND kind = ?",
                    [(key, config_hash, kind) for key in damaged])
        if damaged:
            self._warn_damaged(damaged)
        return found

    def _warn_damaged(self, keys: list[str]) -> None:
        from nqp_text.diagnostics import warn

        shown = ", ".join(key[:12] for key in keys[:3])
        more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
        warn("cache_damaged",
             f"{self.path}: {len(keys)} token cache row(s) failed their digest "
             f"(passages {shown}{more}) and are segmented again", stage="segment",
             files=[str(self.path)])

    def put_many(self, items: Iterable[tuple[str, Any]], config_hash: str, kind: str) -> int:
        """Store ``(text_hash, value)`` pairs in one transaction; returns how many were given."""
        rows = []
        for key, value in items:
            blob = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 6)
            rows.append((key, config_hash, kind, blob,
                         _row_digest(key, config_hash, kind, blob)))
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR IGNORE INTO tokens (text_hash, config_hash, kind, value, digest) "
                "VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def __len__(self) -> int:
        with self._connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM tokens").fetchone()[0])
