"""Every output of ``nqp-text run`` on real input is byte-identical across runs and workers.

The guard of refactors of the pipeline: a cold run with ``--workers 1`` and a
run with ``--workers 2`` into a fresh folder (its own cache) over the same
real inputs (government work reports as JSONL, provincial reports as DOCX, one
PDF) must write the same files, bit for bit, and the same manifest apart from
its run-dependent fields (times, executor, cache hits). The recorded hashes of
the full input (``benchmarks/run_output_hashes.json``, checked with
``benchmarks/hash_run_outputs.py --check``) pin the outputs across a
refactor; this test pins them across executors without depending on library
versions.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _hashing() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hash_run_outputs",
                                                  BENCHMARKS / "hash_run_outputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.shared
def test_outputs_are_identical_cold_and_with_two_workers(shared: Path, tmp_path: Path) -> None:
    hashing = _hashing()
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        hashing.build_inputs(shared, folder, records=12)
    first = hashing.output_hashes(hashing.run(one, workers=1))
    second = hashing.output_hashes(hashing.run(two, workers=2))
    assert hashing.differences(first, second) == []
    # what the comparison covers: every table of every stage, the report and the manifest
    assert {"documents.parquet", "passages.parquet", "tables.parquet", "tokens.parquet",
            "labels.parquet", "quality.csv", "trends_lexicon.csv", "category_trends.parquet",
            "topic_terms.csv", "document_topics.parquet", "topic_agreement.csv",
            "report.html", "manifest.json"} <= set(first)
    manifest = json.loads((two / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"]["kind"] == "process-pool"
    assert manifest["stages"]["segment"]["computed"] == manifest["stages"]["segment"]["items"] > 0
    sources = {entry["path"].rsplit(".", 1)[-1]: entry["status"] for entry in manifest["inputs"]}
    assert sources == {"jsonl": "ok", "docx": "ok", "pdf": "ok"}


def test_stable_manifest_drops_only_run_dependent_fields() -> None:
    hashing = _hashing()
    manifest = {"started": "t0", "finished": "t1", "seconds": 3.0, "executor": {"kind": "x"},
                "environment": {}, "outputs": {"a.csv": "ab"}, "options": {"workers": 2, "k": 3},
                "stages": {"topics": {"seconds": 1.0, "cached": 1, "computed": 0, "items": 1,
                                      "unit": "passage"}}}
    assert hashing.stable_manifest(manifest) == {
        "outputs": {"a.csv": "ab"}, "options": {"k": 3},
        "stages": {"topics": {"items": 1, "unit": "passage"}}}


def test_differences_name_each_file() -> None:
    hashing = _hashing()
    assert hashing.differences({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) \
        == ["changed: b", "missing: c", "new: d"]
