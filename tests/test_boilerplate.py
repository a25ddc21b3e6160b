"""Boilerplate removal (web-page furniture, recurring lines) and rejoined word breaks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import nqp_text
from _scraped import FURNITURE, FURNITURE_LINE, by_hand
from nqp_text.analysis.frequencies import count_matrix
from nqp_text.preprocess.boilerplate import recurring_lines, rejoin_broken_words, remove_boilerplate

_BODY = ("过去一年，我们坚持稳中求进，推动数字经济和实体经济深度融合，"
         "加快发展新质生产力，培育壮大数据要素市场。")
_PAGE = "\n".join([
    "下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
    "2026年某市政府工作报告", "——2026年1月20日在某市人民代表大会上",
    "来源：某某日报", "时间：2026-02-09", "市长某某作政府工作报告。本报记者 王小明 摄",
    "各位代表：", _BODY, "一、2025年工作回顾", _BODY,
    "资金来源：财政拨款和社会资本共同投入，" + _BODY,  # a sentence that merely says 来源：
    "分享经济", "推广二维码支付",  # short content lines that look like furniture words
    _BODY, "相关报道：", "[打印]仅打印内容",
])


def test_page_furniture_goes_and_content_stays() -> None:
    text, removed = remove_boilerplate(_PAGE)
    lines = text.split("\n")
    assert removed == ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
                       "来源：某某日报", "时间：2026-02-09",
                       "市长某某作政府工作报告。本报记者 王小明 摄", "相关报道：",
                       "[打印]仅打印内容"]
    assert lines[:3] == ["2026年某市政府工作报告", "——2026年1月20日在某市人民代表大会上",
                         "各位代表："]
    assert "分享经济" in lines and "推广二维码支付" in lines
    assert any(line.startswith("资金来源：") for line in lines)


def test_label_lines_take_their_value_and_breadcrumbs_go_whole() -> None:
    page = ("分享:\n首页\n>\n政府信息公开\n>\n工作报告\n时间：\n2026-02-02 09:20\n"
            "来源：\n某省人民政府\n某省报告\n" + _BODY)
    text, removed = remove_boilerplate(page)
    assert text == "某省报告\n" + _BODY
    assert len(removed) == 10


def test_recurring_lines_need_half_the_records_and_spare_salutations_and_headings() -> None:
    records = [f"本站导航条\n各位代表：\n三、2026年重点工作\n第{i}份报告。" for i in range(4)]
    assert recurring_lines(records) == {"本站导航条"}
    assert recurring_lines(records[:3]) == frozenset()
    half = records[:2] + [f"第{i}份。" for i in range(2)]
    assert recurring_lines(half) == {"本站导航条"}


def _write_csv(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "year", "full_text"])
        for i, text in enumerate(texts):
            writer.writerow([f"r{i}", 2026, text])


def test_read_corpus_removes_by_default_and_keeps_on_request(tmp_path: Path) -> None:
    path = tmp_path / "pages.csv"
    pages = [_PAGE.replace("某市", city) + "\n站点导航" for city in "甲乙丙丁"]
    # the two short content lines stand in one record only (in all four they would recur)
    pages[1:] = [page.replace("分享经济\n推广二维码支付\n", "") for page in pages[1:]]
    _write_csv(path, pages)
    corpus = nqp_text.read_corpus(path, text_field="full_text")
    docs = corpus.documents
    assert docs["boilerplate_lines"].tolist() == [15] * 4  # 14 furniture lines + 站点导航
    assert list(docs["boilerplate_removed"].iloc[0]) == ["下载", "打印", "全屏", "收藏", "【字号："]
    texts = set(corpus.passages["text"])
    assert not texts & {"下载", "【字号：", "站点导航", "相关报道："}
    kept = nqp_text.read_corpus(path, text_field="full_text", keep_boilerplate=True)
    assert "boilerplate_lines" not in kept.documents.columns
    assert kept.documents["boilerplate_kept"].tolist() == [15] * 4
    assert {"下载", "站点导航"} <= set(kept.passages["text"])
    assert len(kept.passages) == len(corpus.passages) + 4 * 15
    assert {"分享经济", "推广二维码支付"} <= texts


def test_a_page_of_furniture_only_is_empty_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("下载\n打印\n相关报道：\n", encoding="utf-8")
    docs = nqp_text.read_corpus(path).documents
    assert docs["status"].tolist() == ["empty"]
    assert "boilerplate" in docs["error"].iloc[0]


def test_hard_breaks_inside_words_are_rejoined_in_scraped_text(tmp_path: Path) -> None:
    text = ("深化科技体制改革，完善科研组织方式，推行双向\n揭榜\n挂帅机制，加快关键核心技术攻关。\n"
            "持续改善空气质量，全市PM\n2.5年均浓度下降。\n"
            "1957年6月26日在第一届全国人民代表大会上\n周恩来\n各位代表：")
    joined, n = rejoin_broken_words(text)
    assert n == 2
    assert "推行双向揭榜挂帅机制" in joined and "全市PM2.5年均浓度" in joined
    assert joined.endswith("大会上\n周恩来\n各位代表：")
    path = tmp_path / "scrape.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    corpus = nqp_text.read_corpus(path)
    counts = count_matrix(corpus, ["双向揭榜挂帅", "PM2.5"])
    assert counts.loc["a"].tolist() == [1, 1]
    assert corpus.documents["rejoined_breaks"].tolist() == [2]


# -- the 2026 provincial reports scraped with their page furniture ----------------------

_TERMS = ["新质生产力", "数字经济", "数据要素", "人工智能", "揭榜挂帅", "双向揭榜挂帅", "低空经济",
          "未来产业", "科技创新", "营商环境", "下载", "打印", "全屏", "减小", "来源"]


@pytest.fixture(scope="module")
def scraped(shared: Path) -> tuple[Path, dict[str, str]]:
    folder = shared / "corpora" / "provincial_reports" / "2026_scraped_csv"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    raw = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            csv.field_size_limit(1 << 30)
            raw[str(path)] = next(csv.DictReader(handle))["full_text"]
    return folder, raw


def test_scraped_reports_have_no_furniture_passage(scraped: tuple[Path, dict[str, str]]) -> None:
    folder, _ = scraped
    corpus = nqp_text.read_corpus(folder, text_field="full_text")
    assert corpus.status_counts()["ok"] == 16
    texts = corpus.passages["text"]
    furniture = texts[texts.isin(FURNITURE) | texts.str.fullmatch(FURNITURE_LINE.pattern)]
    assert furniture.empty, furniture.tolist()
    assert (corpus.documents["boilerplate_lines"] >= 12).all()
    kept = nqp_text.read_corpus(folder, text_field="full_text", keep_boilerplate=True)
    assert kept.passages["text"].isin(FURNITURE).sum() >= 16 * 10  # the test sees furniture


def test_scraped_term_counts_equal_str_count_on_hand_cleaned_text(
        scraped: tuple[Path, dict[str, str]]) -> None:
    folder, raw = scraped
    corpus = nqp_text.read_corpus(folder, text_field="full_text")
    counts = count_matrix(corpus, _TERMS)
    paths = corpus.documents.set_index("doc_id")["path"]
    for doc_id, row in counts.iterrows():
        cleaned = by_hand(raw[paths[doc_id]])
        expected = [cleaned.count(term) for term in _TERMS]
        assert row.tolist() == expected, paths[doc_id]
    assert counts["新质生产力"].sum() > 0 and counts["下载"].sum() == 0
