"""The warnings of ``nqp-text run``, read back from ``DIR/manifest.json`` for ``nqp-text report``.

A run knows things its tables cannot show (a table it did not write and why,
a check made with the run's own options), so ``report.html`` of a run lists
the run's warnings. ``nqp-text report DIR`` rebuilding that page reads them
from the manifest (``"warnings"``), so that on an unchanged run folder the
page is byte for byte the run's own. Warnings of stage ``report`` are left
out: they are about the run's page (one that was not written), not the data.

They are only shown while every output the manifest lists (``"outputs"``,
SHA-256 per file; ``report.html`` aside) is still byte for byte in the
folder. Otherwise (the corpus re-ingested, topics refitted, a table deleted)
they may no longer hold: the page says so in one line and lists only what
the report checks itself. A run folder (one with the run's records in
``.cache/outputs``) whose manifest is missing or unreadable gets one line
saying that too. Each such line is also a warning on stderr (kind
``run_warnings``). A folder of the stage commands has neither, and no line.

Example:
    >>> from nqp_text.viz._run_warnings import run_warnings
    >>> found = run_warnings("results")  # doctest: +SKIP
    >>> found.warnings, found.note  # doctest: +SKIP
    ([Diagnostic(kind='skipped_output', ...)], None)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from nqp_text._records import RECORDS_DIR, file_sha256
from nqp_text.diagnostics import Diagnostic, warn

#: The manifest ``nqp-text run`` writes (``nqp_text.pipeline.manifest.MANIFEST_NAME``).
MANIFEST = "manifest.json"
_PAGE = "report.html"
_NAMES_SHOWN = 3


@dataclass(frozen=True)
class RunWarnings:
    """``warnings``: the run's warnings to show (``None``: none can be shown); ``note``:
    the one line the page says about them (``None``: nothing to say)."""

    warnings: list[Diagnostic] | None
    note: str | None = None


def run_warnings(directory: str | os.PathLike[str]) -> RunWarnings:
    """The run's warnings in ``DIR/manifest.json`` when they still describe the folder."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.exists():
        if not (directory / RECORDS_DIR).is_dir():
            return RunWarnings(None)  # not a run folder: nothing to read, nothing to say
        return _unusable(path, "{where} is missing, so the warnings of the nqp-text run that "
                         "made this folder cannot be shown; run it again to see them")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        records, outputs = manifest["warnings"], manifest["outputs"]
        found = [Diagnostic.from_dict(record) for record in records]
        changed = _changed(directory, dict(outputs))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        reason = f"{type(error).__name__}: {error}"
        return _unusable(path, f"{{where}} cannot be read ({reason}), so the warnings of the "
                         "nqp-text run that made this folder cannot be shown; run it again to "
                         "see them")
    found = [d for d in found if d.stage != "report"]
    if not changed:
        return RunWarnings(found)
    if not found:
        return RunWarnings(None)  # the run had nothing to say: nothing went stale
    names = ", ".join(changed[:_NAMES_SHOWN]) + (
        f" and {len(changed) - _NAMES_SHOWN} more" if len(changed) > _NAMES_SHOWN else "")
    return _unusable(path, f"the {len(found)} warning(s) of the nqp-text run in {{where}} are "
                     f"not shown: the folder changed after the run ({names}), so they may no "
                     "longer hold; those listed here are what the report checked now")


def _unusable(path: Path, message: str) -> RunWarnings:
    """Warn on stderr naming the manifest's path; the page names it ``manifest.json`` (the
    page does not depend on how ``DIR`` was spelt)."""
    warn("run_warnings", message.replace("{where}", str(path)), stage="report", stacklevel=3)
    return RunWarnings(None, message.replace("{where}", MANIFEST))


def _changed(directory: Path, outputs: dict[str, str]) -> list[str]:
    """Outputs of the manifest that are missing or no longer byte for byte as the run wrote."""
    changed = []
    for name, digest in sorted(outputs.items()):
        if name == _PAGE:
            continue
        path = directory / name
        if not path.is_file() or file_sha256(path) != digest:
            changed.append(name)
    return changed
