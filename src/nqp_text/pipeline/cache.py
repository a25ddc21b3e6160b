"""The content-addressed cache of per-document work under ``DIR/.cache``.

An entry's key is the SHA-256 of (stage name, the input's content hash, the
stage's configuration hash), so a re-run with nothing changed finds every
entry, a new input file adds only its own entries, and a new lexicon changes
the segmentation key but not the ingest key. Entries are written atomically
(temporary file + rename) by whichever process computed them; two workers
computing the same entry write identical bytes, so the last rename wins
harmlessly.

Layout: ``DIR/.cache/<stage>/<key[:2]>/<key>.<suffix>``.

A cache that cannot lie: every entry is written with :func:`write_entry`,
which commits a *seal* ``<key>.<suffix>.seal`` (JSON: the SHA-256 and size of
the entry's bytes, the writing nqp_text version, the entries it is made of)
before it renames the entry into place. :func:`verify_entry` checks an entry
against its seal before a run uses it; one that fails (a flipped byte, a
truncated file, no seal, a damaged part) is a cache miss: the stage computes it
again and :func:`report_rejected` says which entry, where and why. A seal is a
checksum, not a signature: it catches damage and accidents, not someone who
rewrites the seal too (see ``docs/guide/security.md``).

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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nqp_text._atomic import (
    atomic_path,
    atomic_write_text,
    remove_stale_temporaries,
    without_fsync,
)

CACHE_DIRNAME = ".cache"
#: Suffix of an entry's seal, after the entry's own name.
SEAL_SUFFIX = ".seal"
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z]+$")
_SEAL_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z]+\.seal$")
_PART = re.compile(r"^[a-z]+/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]+$")
_CHUNK = 1 << 20
#: How a rejected entry is counted in a stage's manifest record.
DAMAGED, STALE, MISSING = "damaged", "stale", "missing"


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
        (``<stage>/<key[:2]>/<key>.<suffix>``, ``key`` a SHA-256) and their seals
        are candidates; run records, locks, temporaries and anything else stay.
        """
        files = size = 0
        if not self.root.is_dir():
            return files, size
        for stage in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for bucket in sorted(p for p in stage.iterdir() if p.is_dir()):
                for entry in sorted(bucket.iterdir()):
                    owner = (entry.with_name(entry.name[:-len(SEAL_SUFFIX)])
                             if _SEAL_NAME.match(entry.name) else entry)
                    if (_ENTRY_NAME.match(owner.name) and entry.name.startswith(bucket.name)
                            and entry.is_file() and owner not in self._used):
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


# -- seals: what an entry's bytes were when it was written ----------------------------------


def seal_path(entry: str | os.PathLike[str]) -> Path:
    """Where the seal of ``entry`` lives: beside it, ``<entry name>.seal``."""
    entry = Path(entry)
    return entry.with_name(entry.name + SEAL_SUFFIX)


def _version() -> str:
    from nqp_text import __version__

    return __version__


@contextlib.contextmanager
def sealed_entry(path: str | os.PathLike[str], parts: Iterable[str] = ()) -> Iterator[Path]:
    """Yield a temporary path to write an entry to; seal it, then rename it onto ``path``.

    The seal is committed *before* the entry, so a run killed in between leaves
    at worst a seal without its entry (an ordinary miss), never an entry without
    a seal. ``parts``: the entries (``<stage>/<key[:2]>/<key>.<suffix>``, relative
    to the cache root) this one points at; verifying it verifies them too. On
    any exception nothing is renamed (see :func:`nqp_text._atomic.atomic_path`).
    Neither is flushed to disk (:func:`nqp_text._atomic.without_fsync`): after a
    power cut an entry may be truncated, which its seal reveals (a miss), and one
    flush per file cost more than all the Parquet encoding of a cold run.

    Example:
        >>> with sealed_entry("results/.cache/tokens/ab/ab12….parquet") as tmp:  # doctest: +SKIP
        ...     tmp.write_bytes(data)
    """
    path = Path(path)
    parts = sorted(parts)
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"{part!r} is not a cache entry path")
    with without_fsync(), atomic_path(path) as tmp:
        yield tmp
        seal = {"entry": path.name, "sha256": sha256_file(tmp), "size": tmp.stat().st_size,
                "nqp_text": _version(), "parts": parts}
        atomic_write_text(seal_path(path), canonical_json(seal) + "\n")


def write_entry(table: Any, path: str | os.PathLike[str], parts: Iterable[str] = ()) -> Path:
    """Write a table (DataFrame or pyarrow Table) as a sealed Parquet entry at ``path``.

    The bytes are those of :func:`nqp_text.pipeline.outputs.write_parquet`.
    """
    from nqp_text.pipeline.outputs import write_parquet

    with sealed_entry(path, parts) as tmp:
        write_parquet(table, tmp)
    return Path(path)


def entry_part(path: str | os.PathLike[str]) -> str:
    """An entry's path relative to its cache root (``<stage>/<key[:2]>/<name>``)."""
    path = Path(path)
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def verify_entry(path: str | os.PathLike[str], *, _depth: int = 0) -> tuple[str, str] | None:
    """``None`` when the entry matches its seal, else ``(kind, reason)``.

    ``kind``: :data:`MISSING` (no entry: an ordinary miss), :data:`STALE`
    (written by another nqp_text version) or :data:`DAMAGED` (no seal, an
    unreadable seal, another size or SHA-256 than sealed, a damaged or missing
    part). Reads the whole entry (and its parts) once to hash it.

    Example:
        >>> verify_entry("results/.cache/tokens/ab/ab12….parquet")  # doctest: +SKIP
        ('damaged', 'its SHA-256 differs from the one sealed when it was written')
    """
    path = Path(path)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return MISSING, "no entry"
    except OSError as error:
        return DAMAGED, f"cannot be read ({error.strerror or error})"
    seal = _read_seal(path)
    if isinstance(seal, str):
        return DAMAGED, seal
    if seal["nqp_text"] != _version():
        return STALE, f"written by nqp_text {seal['nqp_text']} (this is {_version()})"
    if seal["size"] != size:
        return DAMAGED, f"{size} bytes, {seal['size']} when it was written"
    try:
        digest = sha256_file(path)
    except OSError as error:
        return DAMAGED, f"cannot be read ({error.strerror or error})"
    if digest != seal["sha256"]:
        return DAMAGED, "its SHA-256 differs from the one sealed when it was written"
    if _depth == 0:
        root = path.parent.parent.parent
        for part in seal["parts"]:
            found = verify_entry(root / part, _depth=1)
            if found is not None:
                return DAMAGED, f"its part {part}: {found[1]}"
    return None


def _read_seal(path: Path) -> dict[str, Any] | str:
    """The seal of entry ``path``, or why it cannot be used."""
    try:
        seal = json.loads(seal_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no seal (no recorded SHA-256)"
    except (OSError, ValueError):
        return "its seal cannot be read"
    fields = {"entry": str, "sha256": str, "size": int, "nqp_text": str, "parts": list}
    if not isinstance(seal, dict) or not all(isinstance(seal.get(name), kind)
                                             for name, kind in fields.items()):
        return "its seal is not a seal"
    if seal["entry"] != path.name:
        return f"its seal is that of {seal['entry']!r}"
    if not all(isinstance(part, str) and _PART.match(part) for part in seal["parts"]):
        return "its seal names parts outside the cache"
    return seal


def discard_entry(path: str | os.PathLike[str]) -> None:
    """Delete an entry and its seal (whichever exist)."""
    for target in (Path(path), seal_path(path)):
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def report_rejected(stage: str, problems: Iterable[tuple[Path, tuple[str, str]]]
                    ) -> dict[str, int]:
    """Delete the entries a stage rejected, warn about the damaged ones; return the counts.

    ``problems``: ``(entry, (kind, reason))`` from :func:`verify_entry`. Damaged
    entries become one warning (kind ``cache_damaged``) per stage naming each
    entry (``<stage>/<key>`` and its path) and why; entries of another nqp_text
    version are only counted. The counts go into the stage's manifest record
    (``cache_damaged``, ``cache_stale``).
    """
    from nqp_text.diagnostics import warn

    damaged: list[tuple[Path, str]] = []
    counts: dict[str, int] = {}
    for path, (kind, reason) in problems:
        if kind == MISSING:
            continue
        counts[f"cache_{kind}"] = counts.get(f"cache_{kind}", 0) + 1
        discard_entry(path)
        if kind == DAMAGED:
            damaged.append((path, reason))
    if damaged:
        named = "; ".join(f"{path.parent.parent.name}/{path.stem} ({reason})"
                          for path, reason in damaged[:5])
        more = f"; and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        message = (f"cache entry {named} failed verification and was computed again"
                   if len(damaged) == 1 else f"{len(damaged)} cache entries failed "
                   f"verification and were computed again: {named}{more}")
        warn("cache_damaged", message, stage=stage, files=[str(path) for path, _ in damaged])
    return counts


def verify_cache(root: str | os.PathLike[str]) -> Iterator[tuple[Path, tuple[str, str] | None]]:
    """Check every entry under cache ``root``: yield ``(entry, verify_entry(entry))``.

    Entries are visited in a fixed order (stage, bucket, name); run records,
    locks, seals and temporaries are not entries. Used by ``nqp-text cache verify``.

    Example:
        >>> bad = [path for path, problem in verify_cache("results/.cache")
        ...        if problem]  # doctest: +SKIP
    """
    root = Path(root)
    if not root.is_dir():
        return
    for stage in sorted(p for p in root.iterdir() if p.is_dir()):
        for bucket in sorted(p for p in stage.iterdir() if p.is_dir()):
            for entry in sorted(bucket.iterdir()):
                if _ENTRY_NAME.match(entry.name) and entry.name.startswith(bucket.name):
                    yield entry, verify_entry(entry)


def read_table(path: str | os.PathLike[str], columns: list[str] | None = None) -> Any:
    """A Parquet entry (or output) as a pyarrow Table, read in one thread.

    The same table as ``pyarrow.parquet.read_table``, without its dataset layer
    and thread pool, which cost 2-4 times the reading itself on the small files of
    the cache (a cold run reads about 11 per document).

    Example:
        >>> read_table("results/.cache/tokens/ab/ab12….parquet", ["tokens"])  # doctest: +SKIP
    """
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        return handle.read(columns=columns, use_threads=False, use_pandas_metadata=True)


def read_frame(path: str | os.PathLike[str], columns: list[str] | None = None) -> Any:
    """A Parquet entry as the DataFrame ``pandas.read_parquet`` gives (see :func:`read_table`)."""
    return read_table(path, columns).to_pandas()
