"""Hash every output of ``nqp-text run`` on a fixed real input: the guard of refactors.

Builds, in a temporary folder (never in the repository), a fixed input from
``../shared``: the government work reports (one JSONL file), three provincial
reports (DOCX) and one small PDF, copied into ``in/`` so that the paths the
outputs record are relative and the same on every machine. Runs ``nqp-text
run in --out out`` as a child process (cwd: that folder) and prints one
SHA-256 per output file. ``manifest.json`` is hashed after dropping what
legitimately changes from run to run (times, seconds, peak memory, the
executor, the environment, cache hits and misses, the worker count); every
other output is hashed byte for byte.

A refactor that must not change behaviour records the hashes before it and
checks them after each step:

    python benchmarks/hash_run_outputs.py --record benchmarks/run_output_hashes.json
    python benchmarks/hash_run_outputs.py --check benchmarks/run_output_hashes.json

``--check`` exits 1 and names each file whose hash differs. The recorded
hashes depend on the installed library versions (jieba, gensim, pyarrow…), so
after an upgrade record them again from the unchanged code first.
``tests/test_run_outputs_stable.py`` uses the same functions for a check that
does not depend on versions: a cold run and a re-run with ``--workers 2`` into
a fresh folder must write identical files.

Usage:
    python benchmarks/hash_run_outputs.py [--workers N] [--record FILE | --check FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nqp_text._shared import shared_dir

#: The inputs, relative to ``../shared``: a JSONL corpus, three DOCX, one PDF.
INPUTS = (
    "corpora/gov_work_reports/government_work_reports.jsonl",
    "corpora/provincial_reports/2025_docx/2025年上海市政府工作报告.docx",
    "corpora/provincial_reports/2025_docx/2025年吉林省政府工作报告.docx",
    "corpora/provincial_reports/2025_docx/2025年江苏省政府工作报告.docx",
    "pdfs/dept_budget_shanghai_putuo_commerce_2025.pdf",
)
FIELDS = ("--text-field", "content", "--year-field", "year", "--title-field", "title",
          "--id-field", "id")
#: Manifest fields that change from run to run with identical outputs.
_RUN_DEPENDENT = ("started", "finished", "seconds", "environment", "executor",
                  "stale_temporaries_removed", "cache_pruned", "workers")
_STAGE_RUN_DEPENDENT = ("seconds", "client_peak_rss_mb", "computed", "cached")
_OPTION_RUN_DEPENDENT = ("workers", "scheduler", "progress")
MANIFEST = "manifest.json"


def build_inputs(shared: Path, folder: Path, records: int | None = None) -> Path:
    """Copy :data:`INPUTS` from ``shared`` into ``folder/in``; return that folder.

    ``records`` keeps only the first that many lines of the JSONL corpus (a
    smaller input for the test suite); ``None`` keeps all.
    """
    target = folder / "in"
    target.mkdir(parents=True, exist_ok=True)
    for relative in INPUTS:
        source = shared / relative
        if not source.is_file():
            raise FileNotFoundError(f"{source}: input of the hash check is missing")
        if records is not None and source.suffix == ".jsonl":
            lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
            (target / source.name).write_text("".join(lines[:records]), encoding="utf-8")
        else:
            shutil.copyfile(source, target / source.name)
    return target


def run(folder: Path, out: str = "out", workers: int = 1) -> Path:
    """Run ``nqp-text run in --out OUT`` in ``folder`` (a child process); return ``folder/OUT``."""
    command = [sys.executable, "-m", "nqp_text.cli", "run", "in", "--out", out, "--quiet",
               "--workers", str(workers), *FIELDS]
    completed = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n"
                           f"{completed.stderr[-4000:]}")
    return folder / out


def stable_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` without the fields that differ between runs with identical outputs."""
    kept = {name: value for name, value in manifest.items() if name not in _RUN_DEPENDENT}
    kept["options"] = {name: value for name, value in manifest.get("options", {}).items()
                       if name not in _OPTION_RUN_DEPENDENT}
    kept["stages"] = {stage: {name: value for name, value in record.items()
                              if name not in _STAGE_RUN_DEPENDENT}
                      for stage, record in manifest.get("stages", {}).items()}
    return kept


def output_hashes(out: Path) -> dict[str, str]:
    """SHA-256 of every file of a run's folder (the manifest made stable), by relative path."""
    hashes = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if not path.is_file() or ".cache" in relative.parts:
            continue
        data = path.read_bytes()
        if relative.as_posix() == MANIFEST:
            manifest = stable_manifest(json.loads(data))
            data = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
        hashes[relative.as_posix()] = hashlib.sha256(data).hexdigest()
    return hashes


def differences(expected: dict[str, str], found: dict[str, str]) -> list[str]:
    """One line per file missing, added or with another hash."""
    lines = []
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            lines.append(f"missing: {name}")
        elif name not in expected:
            lines.append(f"new: {name}")
        elif expected[name] != found[name]:
            lines.append(f"changed: {name}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--record", type=Path, help="write the hashes to this JSON file")
    group.add_argument("--check", type=Path, help="compare with the hashes in this JSON file")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared is absent (set NQP_TEXT_SHARED)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nqp-hash-") as temporary:
        folder = args.keep or Path(temporary)
        build_inputs(shared, folder)
        started = time.perf_counter()
        out = run(folder, workers=args.workers)
        seconds = time.perf_counter() - started
        hashes = output_hashes(out)
    for name, digest in hashes.items():
        print(f"{digest}  {name}")
    print(f"{len(hashes)} files, run took {seconds:.1f} s", file=sys.stderr)
    if args.record:
        args.record.write_text(json.dumps(hashes, indent=2, sort_keys=True) + "\n",
                               encoding="utf-8")
    if args.check:
        lines = differences(json.loads(args.check.read_text(encoding="utf-8")), hashes)
        for line in lines:
            print(line, file=sys.stderr)
        print("hash check: " + ("FAILED" if lines else "all outputs identical"), file=sys.stderr)
        return 1 if lines else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
