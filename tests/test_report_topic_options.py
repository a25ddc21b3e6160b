"""``nqp-text report DIR`` fits topics with the options of the run that made DIR.

A run folder without topic tables (deleted here; a failed topic stage leaves the
same) makes the page fit a topic model. Its ``k``, ``seed`` and ``passes`` are the
run's (``manifest.json``) unless given, else the defaults; stderr says which.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from _pipeline_corpus import sample_two_years
from nqp_text.cli import main
from nqp_text.pipeline import run_pipeline

TOPIC_FILES = ("topic_terms", "topic_prevalence", "document_topics", "topic_agreement")


@pytest.fixture(scope="module")
def run_k8(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``nqp-text run --k 8 --passes 2`` over the sample's 2024 and 2025 documents."""
    corpus = sample_two_years(tmp_path_factory)
    out = tmp_path_factory.mktemp("run") / "results"
    run_pipeline([corpus], out, progress=False, k=8, passes=2)
    return out


def _without_topic_tables(run: Path, target: Path) -> Path:
    shutil.copytree(run, target)
    for name in TOPIC_FILES:
        for suffix in (".csv", ".parquet"):
            (target / f"{name}{suffix}").unlink(missing_ok=True)
    (target / "topic_model.json").unlink()
    return target


def _fitted(page: str) -> str:
    """The line of the page that says which topic model it fitted."""
    found = re.search(r"本报告拟合的种子 LDA：k=\d+，随机种子 \d+，\d+ 遍", page)
    assert found, "the page fitted no topic model"
    return found.group(0)


@pytest.mark.slow
def test_report_fits_topics_with_the_runs_options(run_k8: Path, tmp_path: Path, capsys):
    assert "本报告拟合的种子 LDA" not in (run_k8 / "report.html").read_text("utf-8")
    folder = _without_topic_tables(run_k8, tmp_path / "no_topics")
    capsys.readouterr()
    assert main(["report", str(folder)]) == 0
    page = (folder / "report.html").read_text("utf-8")
    assert _fitted(page) == "本报告拟合的种子 LDA：k=8，随机种子 0，2 遍"
    err = capsys.readouterr().err
    assert "k=8 (the run's, manifest.json), seed=0 (the run's, manifest.json), " \
           "passes=2 (the run's, manifest.json)" in err
    # given options win, and the page is what the explicit options give
    assert main(["report", str(folder), "--k", "8", "--passes", "2",
                 "--out", str(tmp_path / "explicit.html")]) == 0
    assert (tmp_path / "explicit.html").read_text("utf-8") == page
    assert main(["report", str(folder), "--k", "9", "--out", str(tmp_path / "k9.html")]) == 0
    fitted = _fitted((tmp_path / "k9.html").read_text("utf-8"))
    assert fitted.startswith("本报告拟合的种子 LDA：k=9")
    assert "k=9 (given), seed=0 (the run's" in capsys.readouterr().err
    # no manifest (the stage commands' folder): the defaults, said so
    (folder / "manifest.json").unlink()
    assert main(["report", str(folder), "--out", str(tmp_path / "defaults.html")]) == 0
    assert _fitted((tmp_path / "defaults.html").read_text("utf-8")) == (
        "本报告拟合的种子 LDA：k=12，随机种子 0，5 遍")
    assert "k=12 (default), seed=0 (default), passes=5 (default)" in capsys.readouterr().err


@pytest.mark.slow
def test_report_says_topic_options_are_unused_when_the_run_wrote_topics(run_k8: Path,
                                                                        tmp_path: Path, capsys):
    folder = tmp_path / "run"
    shutil.copytree(run_k8, folder)
    capsys.readouterr()
    assert main(["report", str(folder), "--k", "20"]) == 0
    assert "--k not used" in capsys.readouterr().err
    assert (folder / "report.html").read_bytes() == (run_k8 / "report.html").read_bytes()
