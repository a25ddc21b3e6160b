"""Chapters from a report's own headings; sections=["mda"] on generated and real annual reports."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("reportlab")

from _annual_report_fixtures import LAYOUTS, AnnualReport, write_annual_report  # noqa: E402
from nqp_text import read_corpus  # noqa: E402
from nqp_text.cli import main  # noqa: E402
from nqp_text.io.pdf import read_pdf  # noqa: E402
from nqp_text.preprocess.sections import (  # noqa: E402
    check_sections,
    find_chapters,
    passage_spans,
)

BODY = "公司持续推进数字化转型，经营质量进一步提高。" * 12  # > MIN_CHAPTER_CHARS


def _text(*lines: str) -> str:
    return "\n".join(lines)


def _headings(text: str) -> list[tuple[str, str | None]]:
    return [(chapter.heading, chapter.kind) for chapter in find_chapters(text)]


def test_contents_with_leaders_and_page_numbers_are_not_chapters() -> None:
    text = _text("目录", "第一节 重要提示........3", "第二节 管理层讨论与分析……………12",
                 "第三节 重要事项 30", "第一节 重要提示", BODY, "第二节 管理层讨论与分析", BODY,
                 "第三节 重要事项", BODY)
    assert _headings(text) == [("第一节 重要提示", "notice"), ("第二节 管理层讨论与分析", "mda"),
                               ("第三节 重要事项", "important_matters")]


def test_contents_without_page_numbers_give_way_to_the_real_headings() -> None:
    text = _text("目录", "第一节 重要提示", "第二节 经营情况讨论与分析", "第三节 重要事项",
                 "第一节 重要提示", BODY, "第二节 经营情况讨论与分析", BODY, "第三节 重要事项",
                 BODY)
    chapters = find_chapters(text)
    assert [c.kind for c in chapters] == ["notice", "mda", "important_matters"]
    mda = chapters[1]
    assert text[mda.start:mda.end] == "第二节 经营情况讨论与分析\n" + BODY + "\n"
    assert text.index("第二节 经营情况讨论与分析", text.index(BODY)) == mda.start


def test_a_title_repeated_as_running_header_continues_its_chapter() -> None:
    text = _text("第三章 管理层讨论与分析", BODY, "第三章 管理层讨论与分析", BODY,
                 "第三章管理层讨论与分析", "3.2 财务报表分析", BODY, "第四章", "公司治理", BODY)
    chapters = find_chapters(text)
    assert [c.heading for c in chapters] == ["第三章 管理层讨论与分析", "第四章 公司治理"]
    assert chapters[1].kind == "governance"
    assert chapters[0].end == text.index("第四章")


def test_enumerated_chapters_only_without_numbered_ones() -> None:
    old = _text("一、致股东", BODY, "二、公司简介", BODY, "四、董事会报告", "1.管理层讨论与分析",
                "一、审计前的准备工作", BODY, "五、重要事项", BODY, "十一、财务报告", BODY)
    assert [kind for _, kind in _headings(old)] == ["letter", "profile", "mda",
                                                     "important_matters", "financial"]
    new = _text("第三节 管理层讨论与分析", "五、重要事项", BODY, "第四节 公司治理", BODY)
    assert [heading for heading, _ in _headings(new)] == ["第三节 管理层讨论与分析",
                                                          "第四节 公司治理"]


def test_sentences_and_cross_references_are_not_headings() -> None:
    text = _text("第一节 重要提示", BODY, "详见第十节财务报告。", "第十节财务报告中的附注已说明；",
                 BODY)
    assert [heading for heading, _ in _headings(text)] == ["第一节 重要提示"]


def test_passage_spans_label_every_passage_and_select_chapters() -> None:
    text = _text("封面", "第一节 重要提示", "甲。", "第二节 董事会报告", "乙。", "丙。",
                 "第三节 监事会报告", "丁。")
    spans = passage_spans(text)
    assert [(text[s:e], section) for s, e, section in spans][:3] == [
        ("封面", None), ("第一节 重要提示", "第一节 重要提示"), ("甲。", "第一节 重要提示")]
    mda = passage_spans(text, sections=["mda"])
    assert [text[s:e] for s, e, _ in mda] == ["第二节 董事会报告", "乙。", "丙。"]
    assert passage_spans("没有章节。", sections=["mda"]) == []


def test_unknown_section_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown chapter kind"):
        check_sections(["mdna"])
    assert check_sections("mda, financial") == ("mda", "financial")


def test_read_corpus_keeps_the_mda_and_says_which_documents_lack_it(tmp_path: Path) -> None:
    (tmp_path / "000001_2023_星河_2023年年度报告.txt").write_text(
        _text("第一节 重要提示", BODY, "第二节 管理层讨论与分析", "一、概述", BODY,
              "第三节 重要事项", BODY) + "\n", encoding="utf-8")
    (tmp_path / "2024年政府工作报告.txt").write_text("一、工作回顾\n过去一年。\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="1 document.*without the sections"):
        corpus = read_corpus(tmp_path, sections=["mda"], timeout=None)
    docs = corpus.documents.set_index(corpus.documents["path"].map(lambda p: Path(p).name))
    assert docs.loc["000001_2023_星河_2023年年度报告.txt", "status"] == "ok"
    missing = docs.loc["2024年政府工作报告.txt"]
    assert missing["status"] == "no_section" and "管理层讨论与分析" in missing["error"]
    assert corpus.passages["text"].tolist() == ["第二节 管理层讨论与分析", "一、概述", BODY]
    assert set(corpus.passages["section"]) == {"第二节 管理层讨论与分析"}
    assert corpus.passages["seq"].tolist() == [0, 1, 2]
    assert corpus.status_counts()["no_section"] == 1
    full = read_corpus(tmp_path, timeout=None).passages
    assert full["section"].isna().sum() == 2  # the work report has no chapters


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AnnualReport]:
    folder = tmp_path_factory.mktemp("annual")
    return {layout: write_annual_report(folder / f"600000_{layout}_星河智造_{layout}年年度报告.pdf",
                                        layout, pages=12) for layout in LAYOUTS}


def _page_text(path: Path, page: int) -> str:
    """The text of one 0-based page, without spaces or punctuation (for finding headings)."""
    return re.sub(r"\W", "", read_pdf(path, pages=[page + 1], engine="pdfium").text)


def _on_page(text: str, path: Path, page: int) -> bool:
    return re.sub(r"\W", "", text) in _page_text(path, page)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_mda_of_generated_reports_starts_and_ends_on_the_right_pages(
        generated: dict[str, AnnualReport], layout: str) -> None:
    report = generated[layout]
    corpus = read_corpus(report.path, pdf_engine="pdfium", timeout=None)
    passages = corpus.passages
    sections = passages["section"].dropna().map(lambda s: re.sub(r"\s", "", s))
    written = [re.sub(r"\s", "", heading) for heading in report.chapter_pages]
    assert list(dict.fromkeys(sections)) == written  # every chapter, once, in order
    mda_title = re.sub(r"\s", "", report.mda_heading)
    mda = passages[sections.reindex(passages.index) == mda_title]
    after = passages.loc[mda.index[-1] + 1]
    assert re.sub(r"\s", "", mda["text"].iloc[0]) == mda_title
    assert re.sub(r"\s", "", after["text"]) == re.sub(r"\s", "", report.next_heading)
    # the pages: heading where the writer put it, not on the page before
    assert _on_page(report.mda_heading, report.path, report.mda_start_page)
    assert not _on_page(report.mda_heading, report.path, report.mda_start_page - 1)
    assert _on_page(report.next_heading, report.path, report.next_start_page)
    assert report.next_start_page > report.mda_start_page
    # sections=["mda"] gives exactly these passages
    only = read_corpus(report.path, pdf_engine="pdfium", timeout=None, sections=["mda"])
    assert only.passages["text"].tolist() == mda["text"].tolist()
    assert only.passages["start"].tolist() == mda["start"].tolist()
    documents = only.documents
    assert documents[["stkcd", "year", "report_type"]].values.tolist() == [
        ["600000", int(layout), "full"]]


def test_ingest_cli_sections_option(generated: dict[str, AnnualReport], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    report = generated["2023"]
    out = tmp_path / "out"
    assert main(["ingest", str(report.path), "--out", str(out), "--sections", "mda",
                 "--pdf-engine", "pdfium"]) == 0
    passages = pd.read_parquet(out / "passages.parquet")
    assert set(passages["section"]) == {"第三节管理层讨论与分析"}
    with pytest.raises(SystemExit):
        main(["ingest", str(report.path), "--out", str(out), "--sections", "mdna"])
    assert "unknown chapter kind" in capsys.readouterr().err


# The shared real reports: MD&A start page and the page of the next chapter's heading
# (0-based PDF pages, from ../shared/pdfs/annual_reports/README.md).
REAL = {
    "annual_report_pingan_bank_2024.pdf": ("第三章管理层讨论与分析", 23, "第四章公司治理", 64),
    "annual_reports/000001平安银行2013年年度报告.pdf": (
        "第四节董事会报告", 9, "第五节重要事项", 51),
    "annual_reports/000002万科A2012年年度报告.(1848k).PDF": (
        "四、董事会报告", 3, "五、重要事项", 33),
    "annual_reports/000027深圳能源2016年年度报告-20170408(2)(1).pdf": (
        "第四节经营情况讨论与分析", 12, "第五节重要事项", 30),
}
# What their file names give (the 2024 file was renamed by the team: no code in it).
REAL_NAMES = {
    "annual_report_pingan_bank_2024.pdf": (None, 2024),
    "annual_reports/000001平安银行2013年年度报告.pdf": ("000001", 2013),
    "annual_reports/000002万科A2012年年度报告.(1848k).PDF": ("000002", 2012),
    "annual_reports/000027深圳能源2016年年度报告-20170408(2)(1).pdf": ("000027", 2016),
}


@pytest.fixture(scope="module")
def real_reports(shared: Path) -> pd.DataFrame:
    paths = [shared / "pdfs" / name for name in REAL]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = read_corpus(paths, pdf_engine="pdfium", workers=2)
    return corpus


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REAL))
def test_mda_of_the_shared_annual_reports(real_reports: object, shared: Path, name: str) -> None:
    heading, start, next_heading, next_page = REAL[name]
    path = shared / "pdfs" / name
    documents, passages = real_reports.documents, real_reports.passages  # type: ignore[attr-defined]
    doc = documents[documents["path"] == str(path)].iloc[0]
    assert doc["status"] == "ok"
    stkcd, year = REAL_NAMES[name]
    assert (None if pd.isna(doc["stkcd"]) else doc["stkcd"], doc["year"]) == (stkcd, year)
    mine = passages[passages["doc_id"] == doc["doc_id"]].reset_index(drop=True)
    chapters = find_chapters("\n".join(mine["text"]))
    assert [c.heading for c in chapters if c.kind == "mda"] == [heading]
    mda = mine[mine["section"] == heading]
    assert len(mda) > 50
    assert mda["text"].iloc[0] == heading
    after = mine.loc[mda.index[-1] + 1, "text"]
    assert after == next_heading
    assert _on_page(heading, path, start) and not _on_page(heading, path, start - 1)
    assert _on_page(next_heading, path, next_page)
    assert not _on_page(next_heading, path, next_page - 1)
    # no passage of the MD&A is form furniture: tick boxes alone or a unit caption alone
    furniture = mda["text"].str.fullmatch(
        r"([□√]\s*(不适用|适用|是|否)\s*)+|[（(]?[^，。]{0,4}单位：[^，。]{1,9}")
    assert not furniture.any(), mda["text"][furniture].tolist()
    assert doc["boilerplate_lines"] > 0
    # no contents entry and no running header is taken for the chapter
    assert (mine["section"] == heading).sum() == len(mda)
    assert mine.index[mine["section"] == heading].tolist() == list(
        range(mda.index[0], mda.index[-1] + 1))
