"""Annual-report file names → stkcd, fiscal year, firm, report type; one report per firm-year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nqp_text import read_corpus
from nqp_text.io.report_names import ReportName, mark_superseded, parse_report_name

# (file name, stkcd, fiscal year, firm, report_type, publication date in the name)
NAMES = [
    # downloaders: code_year_firm_title_date, code+firm+title, browser copies
    ("000001_2023_平安银行_2023年年度报告_2024-03-15.pdf", "000001", 2023, "平安银行", "full",
     "2024-03-15"),
    ("000002万科A2012年年度报告.(1848k).PDF", "000002", 2012, "万科A", "full", None),
    ("000001平安银行2013年年度报告.pdf", "000001", 2013, "平安银行", "full", None),
    ("000027深圳能源2016年年度报告-20170408(2)(1).pdf", "000027", 2016, "深圳能源", "full",
     "2017-04-08"),
    ("600519_贵州茅台_2023年年度报告.pdf", "600519", 2023, "贵州茅台", "full", None),
    ("000651 格力电器 2022年年度报告 2023-04-29.pdf", "000651", 2022, "格力电器", "full",
     "2023-04-29"),
    ("300750_宁德时代_2023年年度报告 (1).pdf", "300750", 2023, "宁德时代", "full", None),
    ("SZ000001_平安银行_2023年报.pdf", "000001", 2023, "平安银行", "full", None),
    ("000001.SZ-平安银行-2023年度报告.pdf", "000001", 2023, "平安银行", "full", None),
    ("600000浦发银行2012年年报.pdf", "600000", 2012, "浦发银行", "full", None),
    ("000001_2023_平安银行_2023年年度报告_2024年3月15日.pdf", "000001", 2023, "平安银行", "full",
     "2024-03-15"),
    ("000001_平安银行_2023_Annual Report.pdf", "000001", 2023, "平安银行", "full", None),
    ("２０２３年年度报告-平安银行.pdf", None, 2023, "平安银行", "full", None),
    ("000858_五粮液_2019年年度报告_20200428 - 副本.pdf", "000858", 2019, "五粮液", "full",
     "2020-04-28"),
    # the publication date comes first: the fiscal year is still the report's
    ("2024-03-15_000001_平安银行_2023年年度报告.pdf", "000001", 2023, "平安银行", "full",
     "2024-03-15"),
    # SSE periodic-report URLs: CODE_YEAR_KIND
    ("600519_2023_n.pdf", "600519", 2023, None, "full", None),
    ("600519_2023_nzy.pdf", "600519", 2023, None, "summary", None),
    # exchange / cninfo announcement titles
    ("平安银行：2023年年度报告.pdf", None, 2023, "平安银行", "full", None),
    ("平安银行股份有限公司2023年年度报告全文.pdf", None, 2023, "平安银行股份有限公司", "full",
     None),
    ("格力电器：二〇二二年年度报告.pdf", None, 2022, "格力电器", "full", None),
    ("*ST长生：2018年年度报告.pdf", None, 2018, "*ST长生", "full", None),
    # summaries
    ("平安银行：2023年年度报告摘要.pdf", None, 2023, "平安银行", "summary", None),
    ("600519_2023_贵州茅台_2023年年度报告摘要_20240403.pdf", "600519", 2023, "贵州茅台", "summary",
     "2024-04-03"),
    ("平安银行：2023年年度报告摘要（更正后）.pdf", None, 2023, "平安银行", "summary", None),
    # English versions
    ("贵州茅台2023年年度报告（英文版）.pdf", None, 2023, "贵州茅台", "english", None),
    ("平安银行：2023年年度报告(英文版).PDF", None, 2023, "平安银行", "english", None),
    ("000001_平安银行_2023年年度报告_英文.pdf", "000001", 2023, "平安银行", "english", None),
    # corrected / updated re-issues
    ("万科A：2020年年度报告（更新后）.pdf", None, 2020, "万科A", "corrected", None),
    ("万科A：2020年年度报告（更正后）.pdf", None, 2020, "万科A", "corrected", None),
    ("688981_中芯国际_2023年年度报告（修订版）.pdf", "688981", 2023, "中芯国际", "corrected", None),
    # cancelled
    ("*ST长生：2018年年度报告（已取消）.pdf", None, 2018, "*ST长生", "cancelled", None),
    ("000002_万科A_2019年年度报告(取消).pdf", "000002", 2019, "万科A", "cancelled", None),
]

NOT_ANNUAL = [
    "2024年政府工作报告.pdf",
    "平安银行2023年半年度报告.pdf",
    "平安银行：2023年半年度报告摘要.pdf",
    "平安银行2023年第三季度报告.pdf",
    "关于平安银行2023年年度报告的更正公告.pdf",
    "600519_2023_z.pdf",
    "20240315_通知.pdf",
    "平安银行：2023年度社会责任报告.pdf",
]


def test_the_table_has_thirty_real_world_variants() -> None:
    assert len(NAMES) >= 30
    kinds = {kind for *_, kind, _ in NAMES}
    assert kinds == {"full", "summary", "english", "corrected", "cancelled"}


@pytest.mark.parametrize("name,stkcd,year,firm,kind,date", NAMES)
def test_file_name_gives_code_fiscal_year_firm_and_type(name: str, stkcd: str | None, year: int,
                                                        firm: str | None, kind: str,
                                                        date: str | None) -> None:
    assert parse_report_name(name) == ReportName(stkcd, year, firm, kind, date)


@pytest.mark.parametrize("name", NOT_ANNUAL)
def test_other_files_are_not_annual_reports(name: str) -> None:
    assert parse_report_name(name) is None


def test_the_shared_reports_names_give_code_and_year(shared: Path) -> None:
    folder = shared / "pdfs" / "annual_reports"
    found = {parse_report_name(path).stkcd: parse_report_name(path).year
             for path in folder.iterdir() if path.suffix.lower() == ".pdf"}
    assert found == {"000001": 2013, "000002": 2012, "000027": 2016}


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_one_report_per_firm_year_the_others_stay_as_rows(tmp_path: Path) -> None:
    _write(tmp_path, {
        "平安银行：2023年年度报告.txt": "原版全文。\n",
        "000001_2023_平安银行_2023年年度报告（更正后）_2024-04-01.txt": "更正后全文。\n",
        "平安银行：2023年年度报告摘要.txt": "摘要。\n",
        "000001_平安银行_2023年年度报告_英文.txt": "The English version.\n",
        "000001平安银行2022年年度报告.txt": "上一年全文。\n",
        "2024年政府工作报告.txt": "政策。\n",
    })
    corpus = read_corpus(tmp_path, timeout=None)
    docs = corpus.documents.assign(name=corpus.documents["path"].map(lambda p: Path(p).name))
    by_name = docs.set_index("name")
    used = by_name.loc["000001_2023_平安银行_2023年年度报告（更正后）_2024-04-01.txt"]
    assert used["status"] == "ok" and pd.isna(used["superseded_by"])
    for name in ("平安银行：2023年年度报告.txt", "平安银行：2023年年度报告摘要.txt",
                 "000001_平安银行_2023年年度报告_英文.txt"):
        row = by_name.loc[name]
        assert row["status"] == "superseded"
        assert row["superseded_by"] == used["doc_id"]
        assert "is used" in row["error"] and "000001 for 2023" in row["error"]
    assert by_name.loc["000001平安银行2022年年度报告.txt", "status"] == "ok"
    assert by_name.loc["000001平安银行2022年年度报告.txt", "year"] == 2022
    assert by_name.loc["2024年政府工作报告.txt", "status"] == "ok"
    assert pd.isna(by_name.loc["2024年政府工作报告.txt", "report_type"])
    assert sorted(corpus.passages["text"]) == sorted(["更正后全文。", "上一年全文。", "政策。"])
    assert corpus.status_counts() == {"ok": 3, "empty": 0, "no_text_layer": 0, "failed": 0,
                                      "superseded": 3}
    assert len(docs) == 6  # nothing dropped


def test_two_full_reports_of_one_year_the_later_publication_is_used(tmp_path: Path) -> None:
    _write(tmp_path, {
        "000002_2019_万科A_2019年年度报告_2020-03-31.txt": "首次发布。\n",
        "000002_2019_万科A_2019年年度报告_2020-06-30.txt": "再次发布。\n",
    })
    docs = read_corpus(tmp_path, timeout=None).documents.sort_values("path")
    assert docs["status"].tolist() == ["superseded", "ok"]
    assert docs["superseded_by"].iloc[0] == docs["doc_id"].iloc[1]


def test_only_a_summary_is_used_when_there_is_no_full_report(tmp_path: Path) -> None:
    _write(tmp_path, {"平安银行：2023年年度报告摘要.txt": "摘要。\n"})
    docs = read_corpus(tmp_path, timeout=None).documents
    assert docs["status"].tolist() == ["ok"] and docs["report_type"].tolist() == ["summary"]


def test_english_text_under_a_plain_name_is_the_english_version(tmp_path: Path) -> None:
    _write(tmp_path, {"000001_2023_Ping An Bank 2023 Annual Report.txt":
                      "Management discussion and analysis of the bank.\n",
                      "000001_2023_平安银行_2023年年度报告.txt": "管理层讨论与分析。\n"})
    docs = read_corpus(tmp_path, timeout=None).documents.sort_values("path")
    assert docs["report_type"].tolist() == ["english", "full"]
    assert docs["status"].tolist() == ["superseded", "ok"]


def test_metadata_columns_win_over_the_file_name(tmp_path: Path) -> None:
    _write(tmp_path / "in", {"平安银行：2023年年度报告.txt": "全文。\n"})
    meta = tmp_path / "meta.csv"
    meta.write_text("file,stkcd,year\n平安银行：2023年年度报告.txt,000001,2022\n", encoding="utf-8")
    docs = read_corpus(tmp_path / "in", meta, timeout=None).documents
    assert docs[["stkcd", "year", "year_source"]].values.tolist() == [["000001", 2022, "metadata"]]


def test_mark_superseded_leaves_frames_without_reports_alone() -> None:
    frame = pd.DataFrame({"doc_id": ["a"], "path": ["a.txt"], "status": ["ok"], "error": [None]})
    assert mark_superseded(frame) is frame
