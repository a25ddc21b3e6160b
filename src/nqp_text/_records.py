"""Reading the records ``nqp-text run`` keeps of its outputs (below every layer).

``DIR/.cache/outputs/<name>.json`` holds the key an output was built from and
the SHA-256 of the file written. The report (:mod:`nqp_text.viz`) reads them
to trust precomputed tables only when they are byte for byte what the run
wrote; the pipeline (:mod:`nqp_text.pipeline.records`) writes them.

Example:
    >>> from nqp_text._records import record_path
    >>> record_path("results", "tokens.parquet").as_posix()
    'results/.cache/outputs/tokens.parquet.json'
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

#: Where the records live in an output folder (``pipeline.cache.CACHE_DIRNAME``/outputs).
RECORDS_DIR = Path(".cache") / "outputs"
_CHUNK = 1 << 20


def record_path(out: str | os.PathLike[str], name: str) -> Path:
    """The record of output ``name`` in folder ``out``."""
    return Path(out) / RECORDS_DIR / f"{name}.json"


def read_record(out: str | os.PathLike[str], name: str) -> dict[str, Any] | None:
    """The run's record of output ``DIR/name`` (``key``, ``sha256``) when both exist."""
    target = Path(out) / name
    path = record_path(out, name)
    if not (target.exists() and path.exists()):
        return None
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unchanged_since_run(directory: str | os.PathLike[str], name: str) -> bool:
    """Whether ``DIR/name`` is byte for byte the file ``nqp-text run`` last wrote there.

    Compares the file's SHA-256 with the run's record in ``DIR/.cache/outputs``;
    ``False`` for a file no run wrote (or whose record is gone).

    Example:
        >>> unchanged_since_run("results", "tokens.parquet")  # doctest: +SKIP
        True
    """
    recorded = read_record(directory, name)
    return recorded is not None and recorded.get("sha256") == file_sha256(Path(directory) / name)
