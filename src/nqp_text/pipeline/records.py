"""Output records: a small build system for the files ``nqp-text run`` assembles.

Each assembled output ``DIR/<name>`` has a record ``DIR/.cache/outputs/<name>.json``
holding the key of what it was built from (and of the writer that wrote it: a
folder written by an older CSV or Parquet writer is rewritten) and the file's
SHA-256. When both still match, the output is not rebuilt; a cached re-run therefore reads the
inputs, finds every entry and rewrites only ``manifest.json``.
Reading a record (:func:`unchanged_since_run`) is :mod:`nqp_text._records`, which
the report uses too. :class:`OutputRecords` keeps the SHA-256 of every output of the current run
(the manifest's ``outputs``, and what later outputs are keyed by).

Example:
    >>> from nqp_text.pipeline.records import OutputRecords
    >>> records = OutputRecords("results")  # doctest: +SKIP
    >>> write = lambda target: write_csv(frame, target)  # doctest: +SKIP
    >>> records.produce("quality.csv", key, write)  # doctest: +SKIP
    True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text._records import read_record, record_path, unchanged_since_run
from nqp_text._tables import write_csv, write_json, write_parquet, writer_fingerprint
from nqp_text._version import __version__
from nqp_text.pipeline.cache import hash_config, sha256_file

__all__ = ["CACHE_VERSION", "OutputRecords", "unchanged_since_run"]

#: Bumped whenever the layout of cache entries changes, so old entries are ignored
#: (2: every entry has a seal, see :func:`nqp_text.pipeline.cache.verify_entry`).
CACHE_VERSION = 2


def _output_key(key: str) -> str:
    """The recorded key of an output: what it was built from, and the writer that wrote it
    (:func:`~nqp_text._tables.writer_fingerprint`), so another writer rewrites it."""
    return hash_config({"key": key, "cache": CACHE_VERSION, "nqp_text": __version__,
                        "writer": writer_fingerprint()})


class OutputRecords:
    """The outputs of one run in ``out``: which are built from which key, and their SHA-256.

    ``digests`` maps each output name written or found up to date in this run to
    its SHA-256, in the order they were seen.
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.digests: dict[str, str] = {}

    def recorded(self, name: str, key: str) -> bool:
        """Whether ``DIR/name`` exists, was built from ``key`` and is unchanged since."""
        recorded = read_record(self.out, name)
        if recorded is None or recorded.get("key") != _output_key(key) \
                or recorded.get("sha256") != sha256_file(self.out / name):
            return False
        self.digests[name] = recorded["sha256"]
        return True

    def produce(self, name: str, key: str, write: Callable[[Path], Any],
                force: bool = False) -> bool:
        """Write ``DIR/name`` with ``write`` unless it is already built from ``key``."""
        if not force and self.recorded(name, key):
            return False
        target = self.out / name
        write(target)
        digest = sha256_file(target)
        write_json({"key": _output_key(key), "sha256": digest}, record_path(self.out, name))
        self.digests[name] = digest
        return True

    def fresh(self, names: Sequence[str], key: str) -> bool:
        """Whether every ``<name>.csv``/``.parquet`` table is already built from ``key``."""
        files = [f"{name}{suffix}" for name in names for suffix in (".csv", ".parquet")]
        return all(self.recorded(file, key) for file in files)

    def tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Write each table as ``<name>.csv`` and ``<name>.parquet`` and record it as built."""
        for name, frame in tables.items():
            frame = frame.reset_index(drop=True)
            frame.attrs = {}
            self.produce(f"{name}.csv", key, lambda target, f=frame: write_csv(f, target),
                         force=True)
            self.produce(f"{name}.parquet", key,
                         lambda target, f=frame: write_parquet(f, target), force=True)
