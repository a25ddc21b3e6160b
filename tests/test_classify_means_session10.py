"""Session 10: labor_means (and labor_object in project lists) against guideline v1.3.

The rules come from reading the shipped model's labels on unlabelled text (the 2026
provincial scrapes and State Council reports of years outside the gold files) against
the guideline; every example and counter-example below is our own wording, not a
corpus or gold sentence. Each context rule must block its keyword in the example and
let it count in the counter, in ``KeywordContexts.blocks``, through
``EvidenceExtractor`` and through ``nqp-text classify --text``.
"""

from __future__ import annotations

import pytest

from _context_rule_checks import (
    assert_rule_acts_through_the_command_line,
    assert_rule_acts_through_the_extractor,
    assert_rule_blocks,
    terms,
)
from nqp_text.classify import load_rulings
from nqp_text.classify.evidence import EvidenceExtractor

#: (keyword, category, example the rule blocks, counter where the keyword counts).
#: ``strong``: the keyword alone (weight 1) is enough for the dictionary to label the
#: counter, so the command line shows the category for it.
RULES = [
    # v1.3 smart-grid family: storage built or used is labor_means, the industry is not
    ("新型储能", "labor_means", "支持新型储能、氢燃料等绿色产业创新发展",
     "新增新型储能装机八十万千瓦", False),
    ("储能", "labor_means", "在储能、稀土等领域取得一批科技成果",
     "储能装机规模达到五百万千瓦", False),
    # robots as equipment (labor_means), not robot output or the robot industry
    ("工业机器人", "labor_means", "工业机器人产量增长三成", "推广应用工业机器人", True),
    ("服务机器人", "labor_means", "服务机器人产量增长两成", "在养老机构推广服务机器人", True),
    ("机器人", "labor_means", "机器人产量增长四成", "推广焊接机器人", False),
    ("智能终端", "labor_means", "壮大智能终端产业", "推广智能终端在生产线上应用", False),
    ("工业母机", "labor_means", "打造工业母机集群", "推广国产工业母机", True),
    # conferences are events (ceremonial text: none)
    ("工业互联网", "labor_means", "举办工业互联网大会", "建设工业互联网标识解析节点", True),
    ("5G+工业互联网", "labor_means", "承办5G+工业互联网大会", "推广5G+工业互联网应用", True),
    ("算力", "labor_means", "举办算力大会", "建设算力调度平台", True),
    # v1.3 investment passages: amounts are none, the action is labor_means
    ("设备更新", "labor_means", "争取设备更新资金十亿元", "推动工业企业设备更新", True),
    # v1.3 digital culture: digital delivery of tourism services is none
    ("大数据中心", "labor_means", "建成文旅大数据中心", "建设工业大数据中心", True),
    ("卫星互联网", "labor_means", "发展空天信息和卫星互联网等产业", "建设卫星互联网地面站", True),
    # v1.3 materials: a materials base is an industry; the material as input is labor_object
    ("新材料", "labor_object", "建设化工新材料基地", "保障新材料供给", False),
]


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


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


def test_programme_names_do_not_label_their_items(extractor):
    """v1.3: example names in a list of programmes (A、B等重大专项) do not count; the
    programme itself still does, and a clause of its own about A still counts."""
    example = "启动智能电网和工业母机等科技重大专项。"
    assert not any(c == "labor_means" for c, _ in terms(extractor, example))
    assert ("tech_innovation", "科技重大专项") in terms(extractor, example)
    assert ("labor_means", "智能电网") in terms(extractor, "启动智能电网建设专项行动。")
    assert load_rulings().blocked_spans("启动智能电网和工业母机等科技重大专项") == [(0, 11)]
