"""The readers' rule files are part of the ingest cache key.

A run's cache serves a file's ingest entry again only when nothing that shaped it has
changed. The readers' cleaning rules and models are data files inside the package; an
edited furniture pattern must re-read the files, not serve passages cleaned under the
old rules.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from nqp_text.pipeline import ingest


def _data_files_read_by_readers() -> set[str]:
    """Every non-Python file under the readers' packages, relative to ``nqp_text``."""
    root = Path(str(resources.files("nqp_text")))
    found = set()
    for package in ("io", "preprocess"):
        for path in (root / package).rglob("*"):
            if path.is_file() and path.suffix not in {".py", ".pyc"}:
                found.add(path.relative_to(root).as_posix())
    return found


def test_every_reader_data_file_is_in_the_key():
    keyed = {name for name, _ in ingest._rule_files()}
    assert keyed == _data_files_read_by_readers()
    assert "preprocess/data/boilerplate.yaml" in keyed


def test_the_digest_depends_on_every_byte(monkeypatch):
    before = ingest.reader_rules_digest()
    files = ingest._rule_files()
    name, data = files[0]
    changed = [(name, data + b"\n"), *files[1:]]
    monkeypatch.setattr(ingest, "_rule_files", lambda: changed)
    ingest.reader_rules_digest.cache_clear()
    try:
        assert ingest.reader_rules_digest() != before
    finally:
        monkeypatch.undo()
        ingest.reader_rules_digest.cache_clear()
    assert ingest.reader_rules_digest() == before


@pytest.mark.slow
def test_a_changed_rule_re_reads_every_file(tmp_path, monkeypatch):
    from nqp_text.pipeline import run_pipeline
    from nqp_text.pipeline.stages import hash as hash_stage

    corpus = tmp_path / "in"
    corpus.mkdir()
    for year, text in ((2023, "加快发展数字经济，推动数据要素市场化配置。"),
                       (2024, "培育新质生产力，提高全要素生产率。")):
        (corpus / f"{year}年报告.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "results"
    first = run_pipeline([corpus], out, progress=False)
    assert first["stages"]["ingest"]["computed"] == 2
    again = run_pipeline([corpus], out, progress=False)
    assert again["stages"]["ingest"]["computed"] == 0
    monkeypatch.setattr(hash_stage, "reader_rules_digest", lambda: "0" * 64)
    edited = run_pipeline([corpus], out, progress=False)
    assert edited["stages"]["ingest"]["computed"] == 2
    assert edited["hashes"]["ingest_config"] != first["hashes"]["ingest_config"]
