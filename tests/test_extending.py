"""The worked examples of docs/guide/extending.md, run as written (reader and model registries)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nqp_text import read_corpus, run_pipeline
from nqp_text.classify.persist import check_model, load_model, model_identity
from nqp_text.classify.registry import register_model, registered_names, unregister_model
from nqp_text.errors import ModelError, ModelNotFoundError, OptionError
from nqp_text.io.reader import read_document
from nqp_text.io.registry import (
    reader_for,
    register_reader,
    supported_suffixes,
    unregister_reader,
)
from test_docs import ROOT, parse_blocks

_GUIDE = ROOT / "docs" / "guide" / "extending.md"
_PAGE = """<html><head><title>通知</title><style>p {{ color: red }}</style>
<script>var 广告 = 1;</script></head><body>
<nav><li>首页</li><li>政策</li></nav>
<h1>{heading}</h1>
<p>加快发展新质生产力，推进数据要素市场化配置改革。</p>
<ul><li>培育壮大新兴产业。</li><li>布局建设未来产业。</li></ul>
<footer><p>版权所有</p></footer></body></html>
"""


def _example_blocks(module: str = "html_reader.py") -> tuple[str, str]:
    """The guide's module and usage blocks of one worked example (by its module's name)."""
    blocks = [b for b in parse_blocks(_GUIDE)
              if "tests/test_extending.py" in b.reason and module in b.reason]
    assert [b.lang for b in blocks] == ["python", "python"]
    return blocks[0].code, blocks[1].code


@pytest.fixture
def html_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The guide's module as html_reader.py and a folder "pages" of .html files (cwd)."""
    module, _ = _example_blocks()
    (tmp_path / "html_reader.py").write_text(module, encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "2024_通知.html").write_text(_PAGE.format(heading="关于数字经济的通知"),
                                          encoding="utf-8")
    (pages / "2025_公告.html").write_bytes(_PAGE.format(heading="公告").encode("gbk"))
    (pages / "2025_broken.html").write_bytes(b"\x00\x01binary" * 100)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield pages
    if ".html" in supported_suffixes():
        unregister_reader(".html")


def test_the_guide_html_reader_reads_a_folder_in_worker_processes(html_folder: Path,
                                                                  capsys: pytest.CaptureFixture
                                                                  ) -> None:
    assert reader_for("a.html") is None
    before = read_corpus(html_folder, timeout=None, memory_limit=None).documents
    assert before["error"].str.startswith("unsupported file type '.html'").all()
    _, usage = _example_blocks()
    exec(compile(usage, str(_GUIDE), "exec"), {"__name__": "__guide__"})  # noqa: S102
    printed = capsys.readouterr().out
    assert "加快发展新质生产力" in printed
    corpus = read_corpus(html_folder)  # default: worker processes with both limits
    docs = corpus.documents.set_index(corpus.documents["path"].map(lambda p: Path(p).name))
    assert docs["source"].tolist() == ["html", "html", "html"]
    assert docs.loc["2025_broken.html", "status"] == "failed"
    assert docs.loc["2025_broken.html", "error"].startswith("binary content: contains NUL")
    assert docs.loc["2024_通知.html", "year"] == 2024
    assert docs.loc["2025_公告.html", "encoding"] == "gb18030"
    text = corpus.passages.loc[corpus.passages["doc_id"] == docs.loc["2024_通知.html", "doc_id"],
                               "text"].tolist()
    assert text == ["关于数字经济的通知", "加快发展新质生产力，推进数据要素市场化配置改革。",
                    "培育壮大新兴产业。", "布局建设未来产业。"]
    in_process = read_corpus(html_folder, timeout=None, memory_limit=None)
    pd.testing.assert_frame_equal(in_process.passages, corpus.passages)
    single = read_document(html_folder / "2024_通知.html")
    assert single.passages["text"].tolist() == text


def test_registering_a_taken_suffix_needs_replace() -> None:
    with pytest.raises(ValueError, match=r"\.pdf files already have a reader"):
        register_reader(".PDF", "html_reader:read_html")
    with pytest.raises(ValueError, match="starts with a dot"):
        register_reader("html", "html_reader:read_html")
    assert reader_for("x.PDF").kind == "pdf"


def test_nqp_text_ingest_finds_a_reader_declared_as_an_entry_point(html_folder: Path,
                                                                   tmp_path: Path) -> None:
    """An installed package's ``nqp_text.readers`` entry point reaches the CLI's processes."""
    site = tmp_path / "site"
    info = site / "html_reader_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: html-reader-plugin\n"
                                   "Version: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text('[nqp_text.readers]\n.html = html_reader:read_html\n',
                                           encoding="utf-8")
    (site / "html_reader.py").write_text(_example_blocks()[0], encoding="utf-8")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "nqp_text.cli", "ingest", str(html_folder),
                             "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert docs["status"].tolist().count("ok") == 2
    assert set(docs["source"]) == {"html"}


_REPORTS = {"2024_规划.txt": "培养高技能人才和大国工匠。\n\n培养高技能人才。\n\n"
                            "加快建设全国统一大市场，深化要素市场化配置改革。\n",
            "2025_报告.txt": "建设算力基础设施，发展人工智能和数字经济。\n\n发展人工智能。\n"}


@pytest.fixture
def model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The guide's model module as two_terms_model.py and a folder "reports" (cwd)."""
    module, _ = _example_blocks("two_terms_model.py")
    (tmp_path / "two_terms_model.py").write_text(module, encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in _REPORTS.items():
        (reports / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield reports
    if "two_terms" in registered_names():
        unregister_model("two_terms")


def _labels(out: Path) -> dict[str, list[str]]:
    frame = pd.read_parquet(out / "labels.parquet")
    return dict(zip(frame["passage_id"], frame["labels"].map(list), strict=True))


@pytest.mark.slow
def test_the_guide_model_runs_in_the_pipeline_workers_and_its_version_is_the_cache_key(
        model_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(ModelNotFoundError, match="no such model"):
        check_model("two_terms")
    _, usage = _example_blocks("two_terms_model.py")
    exec(compile(usage, str(_GUIDE), "exec"), {"__name__": "__main__"})  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == ["[('labor_force',), ('labor_force',)]", "[('labor_force',), ()]"]
    identity = model_identity("two_terms")
    assert identity["kind"] == "TwoTermsClassifier"
    assert check_model("two_terms") == {"model": "two_terms", "kind": "registered", "id": None,
                                        "version": "1"}
    manifest = json.loads((tmp_path / "results" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["hashes"]["model"] == identity["id"]
    assert manifest["executor"]["kind"] == "process-pool"  # forkserver: no registration there
    classify = manifest["stages"]["classify"]
    assert classify["registered"] == {"name": "two_terms", "version": "1", "id": identity["id"]}
    assert (classify["computed"], classify["failed"]) == (2, 0)  # in the worker processes
    strict = _labels(tmp_path / "results")
    dictionary = run_pipeline(["reports"], tmp_path / "dictionary", model="dictionary",
                              workers=1, progress=False)
    loose = _labels(tmp_path / "dictionary")
    assert dictionary["hashes"]["model"] != identity["id"]
    assert set(strict) == set(loose) and len(strict) == 5
    # one keyword (高技能人才, 人工智能) is a label for the dictionary, not for two_terms
    assert sum(map(bool, strict.values())) < sum(map(bool, loose.values()))
    assert all(set(strict[key]) <= set(loose[key]) for key in strict)
    assert any(strict.values())

    same = run_pipeline(["reports"], "results", model="two_terms", workers=1, progress=False)
    assert same["stages"]["classify"]["cached"] == 2
    with pytest.raises(OptionError, match="already registered"):
        register_model("two_terms", "two_terms_model:build", version="2")
    register_model("two_terms", "two_terms_model:build", version="2", replace=True)
    bumped = run_pipeline(["reports"], "results", model="two_terms", workers=1, progress=False)
    assert bumped["hashes"]["model"] not in (identity["id"], dictionary["hashes"]["model"])
    assert (bumped["stages"]["classify"]["computed"], bumped["stages"]["classify"]["cached"]) \
        == (2, 0)
    assert _labels(tmp_path / "results") == strict


def test_model_names_that_already_mean_a_model_are_refused(model_folder: Path) -> None:
    for name in ("default", "dictionary", "reports", ""):
        with pytest.raises(OptionError):
            register_model(name, "two_terms_model:build", version="1")
    with pytest.raises(OptionError, match="version"):
        register_model("two_terms", "two_terms_model:build", version="")
    register_model("two_terms", "two_terms_model:build", version="1")
    register_model("two_terms", "two_terms_model:build", version="1")  # the same again: fine
    with pytest.raises(ModelNotFoundError, match=r"registered model \(.*two_terms"):
        load_model("two_term")
    register_model("not_a_model", "two_terms_model:TwoTermsClassifier.min_terms", version="1")
    try:
        with pytest.raises(ModelError, match="cannot import its build function"):
            check_model("not_a_model")
    finally:
        unregister_model("not_a_model")
    register_model("failing", "json:dumps", version="1")
    register_model("unfitted", "builtins:dict", version="1")
    try:
        with pytest.raises(ModelError, match="'failing'.* failed: TypeError"):
            load_model("failing")
        with pytest.raises(ModelError, match="returned a dict without categories_"):
            load_model("unfitted")
    finally:
        unregister_model("failing")
        unregister_model("unfitted")


@pytest.mark.slow
def test_nqp_text_run_finds_a_model_declared_as_an_entry_point(model_folder: Path,
                                                               tmp_path: Path) -> None:
    """An installed package's ``nqp_text.models`` entry point reaches ``nqp-text run``."""
    site = tmp_path / "site"
    info = site / "two_terms_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: two-terms-plugin\n"
                                   "Version: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[nqp_text.models]\ntwo_terms = two_terms_model:build\n",
                                           encoding="utf-8")
    (site / "two_terms_model.py").write_text(_example_blocks("two_terms_model.py")[0],
                                             encoding="utf-8")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "nqp_text.cli", "run", str(model_folder), "--out",
               str(tmp_path / "out"), "--workers", "1", "--model"]
    wrong = subprocess.run([*command, "two_term"], capture_output=True, text=True, timeout=300,
                           env=env)
    assert wrong.returncode == 2 and "registered model (two_terms)" in wrong.stderr
    result = subprocess.run([*command, "two_terms"], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stages"]["classify"]["registered"]["version"] == "two-terms-plugin 1.0"
    labels = pd.read_parquet(tmp_path / "out" / "labels.parquet")["labels"].map(list)
    assert ["labor_force"] in labels.tolist() and [] in labels.tolist()
