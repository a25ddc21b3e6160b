"""An annual report's form furniture (tick boxes, unit captions, template questions) is removed
as whole stand-alone lines only; the MD&A, its pages and its tables stay as they were."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from nqp_text import read_corpus
from nqp_text.preprocess.boilerplate import furniture_mask, remove_boilerplate

FORM_LINES = ["√适用□不适用", "□适用 √不适用", "□是 √否", "√是□否", "单位：元",
              "单位：元 币种：人民币", "单位：元币种：人民币", "（货币单位：人民币百万元）",
              "（单位：%）", "单位：股", "单位：人民币万元",
              "（货币单位：折人民币百万元）", "单位：平方米",
              "公司是否需要追溯调整或重述以前年度会计数据 □是 √否",
              "1、同时按照国际会计准则披露的财务报告中净利润差异情况□适用 √不适用"]
# The same words inside a sentence, joined to a sentence or to a table's head, and
# lines that only look alike: they stay.
KEPT_LINES = ["本节金额单位：元，币种：人民币，下同。",
              "单位：元说明：报告期内，公司成本主要包括主营业务成本和其他业务成本。",
              "单位：平方米序 项目名称 位置 权益占地面积", "单位名称 关系 金额 年限",
              "单位：某某市财政局", "是否", "第三节 管理层讨论与分析 √适用□不适用",
              "公司是否需要调整，取决于监管部门的要求。", "（1）营业收入构成"]


@pytest.mark.parametrize("line", FORM_LINES)
def test_a_form_line_alone_is_removed(line: str) -> None:
    text = f"一、概述\n{line}\n公司持续推进数字化转型，经营质量进一步提高。"
    assert remove_boilerplate(text) == (
        "一、概述\n公司持续推进数字化转型，经营质量进一步提高。", [line])


@pytest.mark.parametrize("line", KEPT_LINES)
def test_form_words_in_a_sentence_or_a_heading_stay(line: str) -> None:
    text = f"一、概述\n{line}\n公司持续推进数字化转型，经营质量进一步提高。"
    assert remove_boilerplate(text) == (text, [])


def test_a_template_question_goes_with_its_answer_line_a_heading_stays() -> None:
    lines = ["公司是否需要遵守特殊行业的披露要求", "否",
             "（1）营业收入构成", "√适用□不适用",
             "公司是否存在公司债", "□是 √否",
             "公司是否需要说明", "公司持续推进数字化转型，经营质量进一步提高。"]
    assert furniture_mask("\n".join(lines)) == [True, True, False, True, True, True, False, False]


def test_a_request_for_an_explanation_goes_with_its_tick_boxes_a_numbered_one_stays() -> None:
    """A template line ending in 说明/原因 (no 是否 in it) directly above tick boxes is the
    template's wording: it goes; numbered, it is a heading and stays; above text it stays."""
    lines = ["主要合作方其他情况说明", "□适用 √不适用",
             "研发人员数量较上年发生显著变化的原因", "□适用√不适用",
             "经营指标同比变动较大的原因及其合理性说明", "√适用□不适用",
             "报告期内，经营指标变动主要因新产线投产。",
             "五、与上年相比，核算方法发生变化的情况说明", "□适用 √不适用",
             "（2）子公司经营情况说明", "√适用□不适用",
             "报告期内处置子公司的情况", "√适用□不适用",
             "主要合作方其他情况说明", "公司持续推进数字化转型，经营质量进一步提高。",
             "第五节 重要事项说明", "□适用 √不适用"]
    assert furniture_mask("\n".join(lines)) == [
        True, True, True, True, True, True, False,
        False, True, False, True, False, True, False, False, False, True]


def test_form_lines_are_counted_and_kept_on_request(tmp_path: Path) -> None:
    path = tmp_path / "000001_2023_星河_2023年年度报告.txt"
    path.write_text("第二节 管理层讨论与分析\n一、概述\n√适用□不适用\n单位：元 币种：人民币\n"
                    "公司持续推进数字化转型，经营质量进一步提高。\n", encoding="utf-8")
    docs = read_corpus(path, timeout=None).documents
    assert docs["boilerplate_lines"].tolist() == [2]
    assert list(docs["boilerplate_removed"].iloc[0]) == ["√适用□不适用", "单位：元 币种：人民币"]
    kept = read_corpus(path, timeout=None, keep_boilerplate=True)
    assert kept.documents["boilerplate_kept"].tolist() == [2]
    assert "√适用□不适用" in kept.passages["text"].tolist()


@pytest.mark.parametrize("layout", ["2015", "2023"])
def test_generated_report_loses_its_forms_not_its_mda_or_tables(tmp_path: Path,
                                                                layout: str) -> None:
    pytest.importorskip("reportlab")
    from _annual_report_fixtures import FORM_LINES as WRITTEN
    from _annual_report_fixtures import FORM_SENTENCE, write_annual_report

    plain = write_annual_report(tmp_path / f"600000_{layout}_星河_{layout}年年度报告.pdf", layout,
                                pages=12)
    forms = write_annual_report(tmp_path / f"600001_{layout}_月河_{layout}年年度报告.pdf", layout,
                                pages=12, forms=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = read_corpus(plain.path, pdf_engine="pdfium", timeout=None, sections=["mda"])
        after = read_corpus(forms.path, pdf_engine="pdfium", timeout=None, sections=["mda"])
        kept = read_corpus(forms.path, pdf_engine="pdfium", timeout=None, sections=["mda"],
                           keep_boilerplate=True)
    subsections = 4 if layout == "2015" else 5
    written = [re.sub(r"\s", "", line) for group in WRITTEN[:subsections] for line in group]
    removed = after.documents["boilerplate_lines"].iloc[0]
    assert removed == len(written) == kept.documents["boilerplate_kept"].iloc[0]
    assert not set(written) & set(after.passages["text"])
    assert set(written) <= set(kept.passages["text"])
    # the MD&A is the same chapter with the same body, plus the sentence holding a unit
    # (the 2015 layout's running header, the chapter title, falls on other pages)
    def body(passages: pd.DataFrame) -> list[str]:
        return [text for text in passages["text"] if text not in passages["section"].values]

    assert after.passages["text"].iloc[0] == before.passages["text"].iloc[0]
    texts = body(after.passages)
    assert texts.index(FORM_SENTENCE) == 1
    texts.remove(FORM_SENTENCE)
    assert texts == body(before.passages)
    assert set(after.passages["section"]) == set(before.passages["section"])
    # the table under a unit caption is still read, with its rows
    if layout == "2023":
        assert len(after.tables) > 0
        pd.testing.assert_frame_equal(after.tables, kept.tables)


# What the form rules may remove, written independently of boilerplate.yaml: tick boxes,
# a unit caption, a bare 是/否, and a line directly above tick boxes (or 是/否) that is a
# 是否 question or, not numbered, ends in 说明/原因.
_TICKS = re.compile(r"(?:[□☐■☒√☑✓✔]\s*(?:不适用|适用|是|否|有|无)\s*){2,}")
_ENDS_IN_TICKS = re.compile(r"[^。！？；]+?\s*" + _TICKS.pattern)
_CAPTION = re.compile(r"[（(]?[^，。]{0,6}(?:单位|币种)\s*[：:][^，。]{1,30}")
_NUMBERED = re.compile(r"(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.．]|[（(]\s*\w{1,3}\s*[）)]")


@pytest.mark.slow
@pytest.mark.shared
def test_on_a_real_report_only_form_lines_and_their_questions_go(shared: Path) -> None:
    import dataclasses

    from nqp_text.preprocess.boilerplate import load_rules

    path = shared / "pdfs" / "annual_reports" / "000027深圳能源2016年年度报告-20170408(2)(1).pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = read_corpus(path, pdf_engine="pdfium", timeout=None, keep_boilerplate=True)
    text = "\n".join(kept.passages["text"])
    lines = text.split("\n")
    without_forms = dataclasses.replace(load_rules(), form_patterns=(), form_question=None)
    by_forms = [a and not b for a, b in zip(furniture_mask(text),
                                            furniture_mask(text, rules=without_forms),
                                            strict=True)]
    answers = {i for i, line in enumerate(lines) if _TICKS.fullmatch(line) or line in ("是", "否")}
    requests = []
    for index, line in enumerate(lines):
        if not by_forms[index] or index in answers or _ENDS_IN_TICKS.fullmatch(line) \
                or _CAPTION.fullmatch(line):
            continue
        assert index + 1 in answers, f"removed, not above an answer: {line!r}"
        request = line.endswith(("说明", "原因")) and not _NUMBERED.match(line)
        assert "是否" in line or request, line
        requests.append(line)
    # the template's requests for an explanation go; numbered items above tick boxes stay
    assert sum(line.endswith(("说明", "原因")) for line in requests) >= 5
    numbered = [i for i in range(len(lines) - 1)
                if i + 1 in answers and _NUMBERED.match(lines[i]) and "是否" not in lines[i]
                and not _ENDS_IN_TICKS.fullmatch(lines[i])]
    assert len(numbered) > 10 and not any(by_forms[i] for i in numbered)
