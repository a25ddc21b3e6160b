"""The trends commands end to end on the government work reports, and report.html in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from _trends_corpus import gov_corpus, gov_tokens
from nqp_text.analysis.frequencies import term_frequencies
from nqp_text.cli import main
from nqp_text.corpus import Corpus
from nqp_text.diagnostics import NqpWarning
from nqp_text.pipeline import run_pipeline
from nqp_text.viz.fonts import CJKFontNotFoundError, find_cjk_font
from nqp_text.viz.report import build_report
from nqp_text.viz.report_tables import ReportTables

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: What ``nqp-text ingest``, ``segment``, ``classify`` and ``topics`` leave in a folder.
STAGE_FILES = ("documents.parquet", "passages.parquet", "tables.parquet", "quality.csv",
               "tokens.parquet",
               "labels.parquet", "topic_terms.parquet", "topic_prevalence.parquet",
               "document_topics.parquet", "topic_model.json", "topic_agreement.parquet")


@pytest.fixture(scope="module")
def workspace(gov_reports_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ingest + segment output folder holding the reports since 2008."""
    corpus = gov_corpus(gov_reports_jsonl)
    documents = corpus.documents[corpus.documents["year"].fillna(0) >= 2008]
    passages = corpus.passages[corpus.passages["doc_id"].isin(documents["doc_id"])]
    directory = tmp_path_factory.mktemp("workspace")
    Corpus(documents, passages).save(directory)
    tokens = gov_tokens(gov_reports_jsonl)
    tokens[tokens["passage_id"].isin(passages["passage_id"])].to_parquet(
        directory / "tokens.parquet")
    return directory


def test_trends_command_writes_bom_csv_and_parquet(workspace: Path, capsys):
    assert main(["trends", str(workspace), "--terms", "新质生产力", "数字经济", "--by", "year",
                 "--normalize", "per_10k_tokens"]) == 0
    assert "wrote" in capsys.readouterr().out
    raw = (workspace / "trends_terms.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(workspace / "trends_terms.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(workspace / "trends_terms.parquet")
    corpus = Corpus.load(workspace)
    expected = term_frequencies(corpus, ["新质生产力", "数字经济"],
                                tokens=workspace / "tokens.parquet")
    assert csv["count"].tolist() == parquet["count"].tolist() == expected["count"].tolist()
    assert (parquet["value"] == parquet["per_10k_tokens"]).all()
    assert main(["trends", str(workspace), "--category", "factor_allocation"]) == 0
    assert (workspace / "trends_factor_allocation.parquet").exists()
    assert main(["trends", str(workspace), "--categories"]) == 0
    assert (workspace / "category_trends.csv").exists()
    with pytest.raises(SystemExit):
        main(["trends", str(workspace), "--category", "no_such_category"])


def test_kwic_keyness_and_expand_commands(workspace: Path, capsys):
    assert main(["kwic", str(workspace), "新质生产力", "--window", "10"]) == 0
    out = capsys.readouterr().out
    assert "【新质生产力】" in out
    kwic = pd.read_parquet(workspace / "kwic.parquet")
    assert len(kwic) == 3 and set(kwic["year"]) == {2024, 2025}
    assert main(["keyness", str(workspace), "--target", "2021-2025",
                 "--reference", "2016-2020"]) == 0
    keyness = pd.read_csv(workspace / "keyness.csv", encoding="utf-8-sig")
    assert keyness["g2"].is_monotonic_decreasing
    with pytest.raises(SystemExit):
        main(["keyness", str(workspace), "--target", "recent years"])
    # a period without any report is a usage error (2) that says which years there are
    with pytest.raises(SystemExit) as exited:
        main(["keyness", str(workspace), "--target", "2030-2035"])
    assert exited.value.code == 2
    assert "year values run 2008–2025" in capsys.readouterr().err
    assert main(["expand", str(workspace), "--category", "tech_innovation", "--topn", "5",
                 "--epochs", "2"]) == 0
    assert len(pd.read_parquet(workspace / "expansion_tech_innovation.parquet")) == 5
    assert main(["expand", str(workspace), "--phrases", "--top", "20"]) == 0
    assert len(pd.read_parquet(workspace / "phrases.parquet")) == 20


def test_topics_command_is_byte_reproducible(workspace: Path, tmp_path: Path):
    outputs = []
    for run in ("a", "b"):
        directory = tmp_path / run
        shutil.copytree(workspace, directory)
        assert main(["topics", str(directory), "--k", "8", "--seeded", "--seed", "0",
                     "--passes", "2"]) == 0
        outputs.append({name: (directory / name).read_bytes() for name in (
            "topic_terms.parquet", "topic_prevalence.parquet", "topic_prevalence.csv")})
    assert outputs[0] == outputs[1]
    terms = pd.read_parquet(tmp_path / "a" / "topic_terms.parquet")
    assert terms.drop_duplicates("topic")["label"].tolist()[:6] == [
        "labor_object", "labor_means", "labor_force", "tech_innovation", "factor_allocation",
        "industrial_upgrading"]


def test_missing_directory_is_a_usage_error(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["trends", str(tmp_path / "nowhere"), "--lexicon"])
    assert caught.value.code == 2
    assert "no such directory" in capsys.readouterr().err


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.slow
def test_report_html_is_self_contained_and_renders_in_chromium(workspace: Path, tmp_path: Path):
    try:
        font = find_cjk_font()
    except CJKFontNotFoundError as error:
        pytest.skip(f"no CJK font: {error}")
    directory = tmp_path / "report"
    shutil.copytree(workspace, directory)
    passages = pd.read_parquet(directory / "passages.parquet")
    # stand-in labels (a keyword rule), in the labels.parquet format of `nqp-text classify`
    labels = [[c for c, k in (("tech_innovation", "创新"), ("labor_force", "人才")) if k in text]
              for text in passages["text"]]
    pd.DataFrame({"passage_id": passages["passage_id"], "labels": labels}).to_parquet(
        directory / "labels.parquet")
    assert main(["report", str(directory), "--k", "8", "--passes", "2"]) == 0
    page = (directory / "report.html").read_text(encoding="utf-8")
    assert "Wilson" in page and "%" in page
    assert page.count('src="data:image/png;base64,') >= 6
    assert "@font-face" in page and "data:font/woff;base64," in page
    assert not re.search(r"""(src|href)=["']https?://""", page)
    for heading in ("语料概览", "框架类别", "术语与趋势", "关键词", "主题"):
        assert heading in page
    text = re.sub(r"<style>.*?</style>|<[^>]+>|data:[^\"')]+", "", page, flags=re.S)
    assert font.missing(text) == set()
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium); "
                    "report.html was built and checked, not rendered")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}",
                    "--window-size=1200,6000", (directory / "report.html").as_uri()],
                   check=True, capture_output=True, timeout=180)
    from PIL import Image

    with Image.open(screenshot) as image:
        assert image.size == (1200, 6000)
        colours = image.convert("L").resize((60, 300)).getextrema()
    assert colours[1] - colours[0] > 100  # not a blank page


@pytest.fixture(scope="module")
def run_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``nqp-text run corpora/sample``: its report is built from the run's own tables."""
    try:
        find_cjk_font()
    except CJKFontNotFoundError as error:
        pytest.skip(f"no CJK font: {error}")
    out = tmp_path_factory.mktemp("run") / "results"
    run_pipeline([ROOT / "corpora" / "sample"], out, progress=False)
    return out


def _touch_all(tables: ReportTables) -> list[str]:
    """Everything the report reads; returns what had to be computed from the corpus."""
    assert tables.n_tokens > 0 and tables.n_passages > 0
    for name in ("categories", "lexicon", "focus", "keyness"):
        assert len(getattr(tables, name)) > 0, name
    return tables.computed


def _stage_folder(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in STAGE_FILES:
        shutil.copy(source / name, target / name)
    return target


@pytest.mark.slow
def test_report_from_run_tables_equals_report_computed_from_the_corpus(run_results: Path,
                                                                       tmp_path: Path):
    assert _touch_all(ReportTables(run_results)) == []  # no passages or tokens loaded
    page = (run_results / "report.html").read_bytes()
    assert page == build_report(run_results, out=tmp_path / "again.html").read_bytes()

    staged = _stage_folder(run_results, tmp_path / "stages")  # as the stage commands leave it
    assert _touch_all(ReportTables(staged)) == ["tokens", "category_trends", "trends_lexicon",
                                                "trends_focus_terms", "keyness_last_periods"]
    assert build_report(staged).read_bytes() == page
    recomputed = build_report(run_results, out=tmp_path / "recomputed.html", recompute=True)
    assert recomputed.read_bytes() == page


@pytest.mark.slow
def test_the_footer_points_at_a_guide_section_that_exists(run_results: Path):
    footer = re.search(r"<footer>(.*?)</footer>", (run_results / "report.html").read_text(
        encoding="utf-8"), re.S).group(1)
    guide, heading = re.search(r"(docs/guide/[\w-]+\.md)“([^”]+)”", footer).groups()
    assert f"## {heading}\n" in (ROOT / guide).read_text(encoding="utf-8")


def test_report_recomputes_when_the_corpus_changed_after_the_run(run_results: Path,
                                                                 tmp_path: Path):
    changed = tmp_path / "changed"
    shutil.copytree(run_results, changed)
    corpus = Corpus.load(changed)  # drop the latest document, as a re-ingest would
    latest = corpus.documents["year"].max()
    keep = corpus.documents[corpus.documents["year"] != latest]
    Corpus(keep, corpus.passages[corpus.passages["doc_id"].isin(keep["doc_id"])],
           corpus.tables[corpus.tables["doc_id"].isin(keep["doc_id"])]).save(changed)
    assert "trends_lexicon" in _touch_all(ReportTables(changed))
    with pytest.warns(NqpWarning, match="the folder changed after the run"):
        page = build_report(changed).read_text(encoding="utf-8")
    # the run's warnings are stale: one line says so, the rest is the stage commands' page
    stale = re.findall(r"<p>the \d+ warning\(s\) of the nqp-text run in manifest.json are not "
                       r"shown: the folder changed after the run [^<]*</p>", page)
    assert len(stale) == 1
    staged = build_report(_stage_folder(changed, tmp_path / "stages")).read_text(encoding="utf-8")
    assert _body(page).replace(stale[0], "") == _body(staged)
    assert page != (run_results / "report.html").read_text(encoding="utf-8")


def _body(page: str) -> str:
    return page[page.index("<body>"):]


@pytest.mark.slow
def test_report_draws_no_lexicon_chart_when_no_lexicon_term_occurs(tmp_path: Path):
    try:
        find_cjk_font()
    except CJKFontNotFoundError as error:
        pytest.skip(f"no CJK font: {error}")
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"2023_walk.txt": "今天天气很好，我们去公园散步。\n\n小猫和小狗在草地上玩耍。\n",
             "2024_walk.txt": "昨天下雨了，我们在家里看书。\n\n晚上一起吃饺子。\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "results"
    run_pipeline([folder], out, progress=False)
    assert pd.read_parquet(out / "trends_lexicon.parquet")["count"].sum() == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "no lexicon term occurs in the corpus" in page
    assert 'alt="top lexicon terms"' not in page


def test_report_seeded_share_counts_undated_documents_as_topics_does(tmp_path: Path):
    """The report's seeded share is the one ``nqp-text topics`` prints: over every document,
    not only the dated ones that the by-year prevalence keeps."""
    from nqp_text.topics.quality import seeded_share
    from nqp_text.viz.report import _folder_seeded_share, _topic_quality

    labels = ["labor_object", "free_1"]
    (tmp_path / "topic_model.json").write_text(json.dumps({
        "unit": "document", "unit_reason": "fixture", "place_terms_removed": 0,
        "labels": labels, "seeded_topics": ["labor_object"]}), encoding="utf-8")
    document_topics = pd.DataFrame({"doc_id": ["dated", "undated"], "year": [2020, None],
                                    "n_tokens": [100, 300], "topic_0": [0.5, 1.0],
                                    "topic_1": [0.5, 0.0]})
    document_topics.to_parquet(tmp_path / "document_topics.parquet")
    prevalence = pd.DataFrame({"group": [2020, 2020], "label": labels, "prevalence": [0.5, 0.5],
                               "n_tokens": [100, 100]})
    terms = pd.DataFrame({"topic": [0, 1], "label": labels, "term": ["数据", "发展"],
                          "rank": [1, 1], "weight": [0.1, 0.1]})
    share = _folder_seeded_share(tmp_path)
    assert share == seeded_share(document_topics, labels, ["labor_object"]) == 0.875
    assert "87.5%" in _topic_quality(tmp_path, prevalence, terms, share)
    assert "50.0%" in _topic_quality(tmp_path, prevalence, terms)  # the dated documents only
