"""Session 11: tech_innovation and industrial_upgrading on national text against guideline v1.3.

The rules come from reading the shipped model's tech_innovation and industrial_upgrading
labels on unlabelled national text (State Council reports of years outside the gold files,
the 15th, 16th, 17th and 19th CPC congress reports) against the guideline; every example
and counter-example below is our own wording, not a corpus or gold sentence. Each context
rule must block its keyword in the example and let it count in the counter, in
``KeywordContexts.blocks``, through ``EvidenceExtractor`` and through
``nqp-text classify --text``; each ruling must do what its scope says in the example and
not in the counter.
"""

from __future__ import annotations

import json

import pytest

from _context_rule_checks import (
    assert_rule_acts_through_the_command_line,
    assert_rule_acts_through_the_extractor,
    assert_rule_blocks,
    terms,
)
from nqp_text.classify import load_rulings
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.cli import main

TI, IU, FA = "tech_innovation", "industrial_upgrading", "factor_allocation"

#: (keyword, category, example the rule blocks, counter where the keyword counts, strong).
#: ``strong``: the keyword alone is enough for the dictionary to label the counter.
RULES = [
    # v1.3 count clauses, not words: one kind of innovation in a list of kinds
    ("科技创新", TI, "以理论创新带动制度创新、科技创新和文化创新", "加快推进科技创新", True),
    ("科技创新", TI, "构建实体经济、科技创新、现代金融协同发展的体系", "加快推进科技创新", True),
    ("创新体系", TI, "建成较完善的科技和文化创新体系", "完善区域创新体系", True),
    # school education and talent evaluation are not S&T (labor_force Not; talent bullet)
    ("创新能力", TI, "注重培养学生的实践创新能力", "提升企业创新能力", True),
    ("创新能力", TI, "完善以创新能力为导向的人才评价机制", "提升企业创新能力", True),
    # the four modernisations; diplomacy; people who know science are talent
    ("科学技术", TI, "逐步实现农业、工业、国防和科学技术现代化", "大力发展科学技术事业", True),
    ("科学技术", TI, "同邻国签订科学技术合作协定", "大力发展科学技术事业", True),
    ("科学技术", TI, "造就一批掌握现代科学技术的专业人才", "大力发展科学技术事业", True),
    ("科技实力", TI, "经济实力、科技实力明显增强", "我国科技实力显著提升", False),
    # defence doctrine (as 信息化条件)
    ("高技术", TI, "提高高技术条件下的作战能力", "加强战略高技术研究", False),
    # an attribute of enterprise groups or of exports
    ("知识产权", TI, "培育拥有自主知识产权的大型企业集团", "提高知识产权运用水平", True),
    ("知识产权", TI, "扩大自主知识产权产品出口", "提高知识产权运用水平", True),
    # v1.3 tax: general tax cuts are none
    ("制造业", IU, "降低制造业企业税负", "推动制造业高端发展", True),
    # consumption in general is none
    ("产业升级", IU, "以消费升级带动产业升级", "加快推动产业升级", True),
    # the four modernisations enumeration
    ("工业化", IU, "统筹推进工业化、城镇化建设", "加快推进工业化进程", False),
    ("新型工业化", IU, "推进新型工业化、信息化、城镇化协调发展", "坚持走新型工业化道路", True),
    # conventional transport infrastructure and work safety are none
    ("技术改造", IU, "加快铁路干线技术改造", "支持企业技术改造", True),
    ("技术改造", IU, "支持煤矿安全技术改造", "支持企业技术改造", True),
]


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


def _categories(extractor: EvidenceExtractor, text: str) -> set[str]:
    return {hit.category for hit in extractor.hits(text)}


@pytest.mark.parametrize("keyword, category, example, counter, strong", RULES)
def test_rule_blocks_the_example_and_not_the_counter(keyword, category, example, counter,
                                                     strong):
    assert_rule_blocks(keyword, example, counter)


@pytest.mark.parametrize("keyword, category, example, counter, strong", RULES)
def test_rule_acts_through_the_extractor(extractor, keyword, category, example, counter,
                                         strong):
    assert_rule_acts_through_the_extractor(extractor, keyword, category, example, counter)


@pytest.mark.parametrize("keyword, category, example, counter, strong", RULES)
def test_rule_acts_through_the_command_line(capsys, keyword, category, example, counter,
                                            strong):
    assert_rule_acts_through_the_command_line(capsys, category, example, counter, strong)


#: (ruling, example, counter, category): the example gains ``category`` evidence from the
#: ``adds`` ruling, the counter does not.
ADDS = [
    ("cutting_overcapacity", "淘汰一批落后的钢铁、平板玻璃产能", "钢铁产能总体稳定", IU),
    ("industry_to_mid_high_end", "推动产业迈向价值链中高端", "推动消费向中高端升级", IU),
    ("enterprise_rd", "新建一批企业技术中心", "新建一批企业服务中心", TI),
    ("enterprise_rd", "加强重大技术装备攻关", "加强重大装备运输保障", TI),
    ("processing_trade_relocation", "引导加工贸易向内陆地区转移", "引导加工贸易企业守法经营", IU),
]


@pytest.mark.parametrize("name, example, counter, category", ADDS)
def test_adds_rulings_give_evidence_to_the_example_only(extractor, name, example, counter,
                                                        category):
    assert name in {rule.name for rule in load_rulings().rules}
    assert category in _categories(extractor, example + "。")
    assert category not in _categories(extractor, counter + "。")


@pytest.mark.parametrize("name, example, counter, category", ADDS)
def test_adds_rulings_through_the_command_line(capsys, name, example, counter, category):
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    assert category in json.loads(capsys.readouterr().out)["labels"]
    assert main(["classify", "--text", counter + "。", "--model", "dictionary", "--json"]) == 0
    assert category not in json.loads(capsys.readouterr().out)["labels"]


def test_foreign_investment_direction_is_not_industry_or_technology(extractor):
    """v1.3: 招商引资 is none; sectors named as destinations of foreign investment do not
    count, the same sectors developed by domestic firms do, and market access for foreign
    capital stays factor_allocation (v1.1)."""
    example = "鼓励外商投资先进制造业和研发中心。"
    assert not _categories(extractor, example) & {TI, IU}
    assert {TI, IU} <= _categories(extractor, "鼓励民营企业发展先进制造业和研发中心。")
    assert ("factor_allocation", "负面清单") in terms(extractor, "缩减外资准入负面清单。")
    assert _categories(extractor, "开展人工智能、生物技术等领域开放试点。") == set()
    assert main(["classify", "--text", example, "--model", "dictionary", "--json"]) == 0


def test_foreign_investment_direction_through_the_command_line(capsys):
    assert main(["classify", "--text", "引导外资投向先进制造业。", "--model", "dictionary",
                 "--json"]) == 0
    assert IU not in json.loads(capsys.readouterr().out)["labels"]
    assert main(["classify", "--text", "大力发展先进制造业。", "--model", "dictionary",
                 "--json"]) == 0
    assert IU in json.loads(capsys.readouterr().out)["labels"]


def test_problem_paragraph_after_a_lead_sentence_is_none(extractor, capsys):
    """v1.3: problem paragraphs get none, also when one short sentence comes first."""
    example = "居安思危。在充分肯定成绩的同时，要清醒看到关键核心技术受制于人，产业结构不合理。"
    counter = "成绩来之不易。我们将加强关键核心技术攻关，推动产业结构优化升级。"
    assert load_rulings().blocks_passage(example)
    assert not load_rulings().blocks_passage(counter)
    assert extractor.hits(example) == []
    assert {TI, IU} <= _categories(extractor, counter)
    assert main(["classify", "--text", example, "--model", "dictionary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labels"] == []
    assert main(["classify", "--text", counter, "--model", "dictionary", "--json"]) == 0
    assert {TI, IU} <= set(json.loads(capsys.readouterr().out)["labels"])
