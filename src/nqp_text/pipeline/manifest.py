"""``DIR/manifest.json``: what a run read, how it was configured, what it did.

The manifest is the run's record, not one of its results: besides every input
(path, sha256, status), all options, the versions of nqp_text and its key
dependencies, the lexicon / framework / model hashes and the seeds, it holds
run-dependent facts (start and end time, seconds per stage, executor, how many
items came from the cache). It therefore differs between two runs that
produce identical outputs; every *other* file in ``DIR`` (outside ``.cache``)
is byte-identical across runs, executors and worker counts.

Example:
    >>> from nqp_text.pipeline.manifest import dependency_versions
    >>> "pandas" in dependency_versions()
    True
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from nqp_text._version import __version__

MANIFEST_NAME = "manifest.json"
SCHEMA_VERSION = 1

#: Distributions whose versions can change results or performance.
KEY_DEPENDENCIES = (
    "pandas", "pyarrow", "numpy", "scipy", "jieba", "rjieba", "scikit-learn", "gensim",
    "matplotlib", "pdfplumber", "pdfminer.six", "python-docx", "charset-normalizer",
    "opencc-python-reimplemented", "dask", "distributed", "tqdm", "PyYAML",
)


def dependency_versions() -> dict[str, str | None]:
    """Installed version of each of :data:`KEY_DEPENDENCIES` (``None`` when absent)."""
    versions: dict[str, str | None] = {}
    for name in KEY_DEPENDENCIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def utc_now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class StageRecord:
    """Counts and wall time of one stage."""

    items: int = 0
    computed: int = 0
    cached: int = 0
    failed: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "computed": self.computed, "cached": self.cached,
                "failed": self.failed, "seconds": round(self.seconds, 3), **self.extra}


class StageTimer:
    """Context manager that adds its wall time to a :class:`StageRecord`."""

    def __init__(self, record: StageRecord) -> None:
        self.record = record
        self._start = 0.0

    def __enter__(self) -> StageRecord:
        self._start = time.perf_counter()
        return self.record

    def __exit__(self, *exc: object) -> None:
        self.record.seconds += time.perf_counter() - self._start
        peak = peak_rss_mb()
        if peak is not None:
            self.record.extra["client_peak_rss_mb"] = peak


def peak_rss_mb() -> float | None:
    """This process's peak resident memory so far, in MiB (``None`` where unknown)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def environment() -> dict[str, Any]:
    """Versions of Python, nqp_text and the key dependencies, and the platform."""
    return {
        "nqp_text": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": dependency_versions(),
    }


def build_manifest(*, options: Any, items: Sequence[Any], documents: Any, started: str,
                   seconds: float, executor: dict[str, Any] | None, removed: int,
                   hashes: dict[str, str], seeds: dict[str, int],
                   stages: Mapping[str, StageRecord], outputs: Mapping[str, str]
                   ) -> dict[str, Any]:
    """The manifest of a run, without its ``quality``, ``warnings`` and ``cache_pruned``.

    ``items`` are the hashed inputs (``path``, ``sha256``; ``None`` for a file that was
    not hashed: refused from its first MiB or unreadable), ``documents`` the
    run's documents table (a status per input is summarised from its rows),
    ``options`` the run's :class:`~nqp_text.pipeline.options.RunOptions`.
    """
    from nqp_text.corpus import SELECTION_STATUSES, STATUSES

    per_file = documents.groupby("path", sort=False)
    inputs = []
    for item in items:
        rows = per_file.get_group(item.path) if item.path in per_file.groups else documents[:0]
        statuses = rows["status"].astype(str).value_counts().to_dict()
        errors = sorted({str(e) for e in rows["error"].dropna()})
        status = "ok" if statuses and set(statuses) == {"ok"} else (
            next(iter(statuses)) if len(statuses) == 1 else "mixed")
        sha256 = None if item.sha256.startswith("unreadable:") else item.sha256
        inputs.append({"path": item.path, "sha256": sha256, "status": status,
                       "documents": int(len(rows)), "statuses": statuses,
                       "errors": errors[:5]})
    counts = documents["status"].astype(str).value_counts()
    return {
        "schema_version": SCHEMA_VERSION,
        "started": started,
        "finished": utc_now(),
        "seconds": round(seconds, 3),
        "environment": environment(),
        "options": dataclasses.asdict(options),
        "executor": executor or {"kind": "none (everything cached)"},
        "hashes": hashes,
        "seeds": seeds,
        "inputs": inputs,
        "documents": {**{status: int(counts.get(status, 0)) for status in STATUSES},
                      **{status: int(counts[status]) for status in SELECTION_STATUSES
                         if counts.get(status, 0)}},
        "stages": {name: record.as_dict() for name, record in stages.items()},
        "outputs": dict(sorted(outputs.items())),
        "stale_temporaries_removed": removed,
    }
