"""``nqp-text report DIR`` on a run folder shows the run's warnings from ``manifest.json``.

A run of two documents in consecutive years does not write
``keyness_last_periods`` and warns so (``skipped_output``): a warning no table
of the folder shows, so only the manifest can give it back to a rebuilt page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from _pipeline_corpus import sample_two_years
from nqp_text.cli import main
from nqp_text.corpus import Corpus
from nqp_text.pipeline import run_pipeline
from nqp_text.pipeline.manifest import MANIFEST_NAME
from nqp_text.viz._run_warnings import MANIFEST

SKIPPED = "keyness_last_periods was not written"
STALE = "are not shown: the folder changed after the run"
#: What ``nqp-text ingest``, ``segment``, ``classify`` and ``topics`` leave in a folder.
STAGE_FILES = ("documents.parquet", "passages.parquet", "tables.parquet", "quality.csv",
               "tokens.parquet", "labels.parquet", "topic_terms.parquet",
               "topic_prevalence.parquet", "document_topics.parquet", "topic_model.json",
               "topic_agreement.parquet")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``nqp-text run`` over the sample's 2024 and 2025 documents (one 5-year period)."""
    corpus = sample_two_years(tmp_path_factory)
    out = tmp_path_factory.mktemp("run") / "results"
    manifest = run_pipeline([corpus], out, progress=False)
    assert any(SKIPPED in w["message"] for w in manifest["warnings"])
    return out


def _copy(run: Path, target: Path) -> Path:
    shutil.copytree(run, target)
    return target


def _report(directory: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """``nqp-text report DIR``: the page and stderr."""
    assert main(["report", str(directory)]) == 0
    return (directory / "report.html").read_text(encoding="utf-8"), capsys.readouterr().err


def _warnings_section(page: str) -> str:
    found = re.search(r'<section class="warnings">.*?</section>', page, re.S)
    return found.group(0) if found else ""


@pytest.mark.slow
def test_report_on_an_unchanged_run_folder_is_the_runs_own_page(two_years: Path, tmp_path: Path,
                                                                  capsys):
    own = (two_years / "report.html").read_bytes()
    assert SKIPPED in own.decode("utf-8")
    again = _copy(two_years, tmp_path / "again")
    page, err = _report(again, capsys)
    assert page.encode("utf-8") == own
    assert "run_warnings" not in err and "manifest.json" not in err

    staged = tmp_path / "stages"  # the stage commands' folder: no run, no manifest, no line
    staged.mkdir()
    for name in STAGE_FILES:
        shutil.copy(two_years / name, staged / name)
    page, err = _report(staged, capsys)
    assert SKIPPED not in page and "manifest.json is missing" not in page
    assert "manifest.json" not in err


@pytest.mark.slow
def test_a_folder_changed_after_the_run_says_its_run_warnings_are_stale(two_years: Path,
                                                                        tmp_path: Path, capsys):
    changed = _copy(two_years, tmp_path / "changed")
    corpus = Corpus.load(changed)  # drop the latest document, as a re-ingest would
    keep = corpus.documents[corpus.documents["year"] != corpus.documents["year"].max()]
    Corpus(keep, corpus.passages[corpus.passages["doc_id"].isin(keep["doc_id"])],
           corpus.tables[corpus.tables["doc_id"].isin(keep["doc_id"])]).save(changed)
    page, err = _report(changed, capsys)
    section = _warnings_section(page)
    assert STALE in section and "documents.parquet" in section
    assert section.count(STALE) == 1 and SKIPPED not in page
    assert STALE in err and str(changed / MANIFEST) in err


@pytest.mark.slow
@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]",
                                     '{"warnings": [{"kind": "x"}], "outputs": {}}'],
                         ids=["missing", "not-json", "not-an-object", "bad-record"])
def test_a_missing_or_unreadable_manifest_is_said_not_a_crash(two_years: Path, tmp_path: Path,
                                                              capsys, content: str | None):
    folder = _copy(two_years, tmp_path / "run")
    manifest = folder / MANIFEST
    if content is None:
        manifest.unlink()
    else:
        manifest.write_text(content, encoding="utf-8")
    page, err = _report(folder, capsys)
    reason = "is missing" if content is None else "cannot be read"
    section = _warnings_section(page)
    assert f"<p>manifest.json {reason}" in section
    assert "so the warnings of the nqp-text run that made this folder cannot be shown" in section
    assert f"{manifest} {reason}" in err
    assert SKIPPED not in page


def test_the_report_reads_the_manifest_the_run_writes():
    assert MANIFEST == MANIFEST_NAME
