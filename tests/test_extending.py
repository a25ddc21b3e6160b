"""The worked examples of docs/guide/extending.md, run as written (the reader registry)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nqp_text import read_corpus
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


def _example_blocks() -> tuple[str, str]:
    blocks = [b for b in parse_blocks(_GUIDE) if "tests/test_extending.py" in b.reason]
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
