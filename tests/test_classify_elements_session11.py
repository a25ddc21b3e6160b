"""Session 11: the three elements (labor_object, labor_means, labor_force) on national text.

The rules come from reading the shipped model's labels on unlabelled national text (State
Council reports of years outside the gold files and the CPC congress reports other than
the 18th and 20th) against guideline v1.3; every example and counter-example below is our
own wording, not a corpus or gold sentence. Each context rule must block its keyword in
the example and let it count in the counter, in ``KeywordContexts.blocks``, through
``EvidenceExtractor`` and through ``nqp-text classify --text``.
"""

from __future__ import annotations

import pytest

from _context_rule_checks import (
    assert_rule_acts_through_the_command_line,
    assert_rule_acts_through_the_extractor,
    assert_rule_blocks,
)
from nqp_text.classify.evidence import EvidenceExtractor

#: (keyword, category, example the rule blocks, counter where the keyword counts).
#: ``strong``: the keyword alone is enough for the dictionary to label the counter, so
#: the command line shows the category for it.
RULES = [
    # v1.3: the ocean economy in general is not a resource frontier; ocean resources are
    ("蓝色经济", "labor_object", "拓展蓝色经济发展空间", "发展蓝色经济，合理开发海洋资源", True),
    # labor_object: new energy resources, not the power industry as such (v1.1 renewables)
    ("装机容量", "labor_object", "全年新增火电装机容量二千万千瓦",
     "全年新增风电光伏装机容量二千万千瓦", True),
    # v1.3: mining rights are none; rectifying mining order is supervision
    ("矿产资源", "labor_object", "继续整顿矿产资源开发秩序", "加强矿产资源勘查和增储", True),
    # labor_force: 创业 by individuals, not the hard-struggle slogan or venture capital
    ("创业", "labor_force", "大力发扬艰苦创业的作风", "鼓励青年回乡创业", True),
    # defence is none (as 人才强军)
    ("人才", "labor_force", "加快培养新型军事人才", "加快培养数字经济急需人才", True),
    # v1.3: slogans need a qualifying object
    ("人才", "labor_force", "在全社会形成尊重知识、尊重人才的风气", "为各类人才提供安居服务", True),
    # v1.3: the bare word in a list of education levels does not count
    ("继续教育", "labor_force", "办好学前教育、特殊教育和继续教育",
     "发展面向在职职工的继续教育", False),
    ("职业教育", "labor_force", "统筹学前教育、义务教育和职业教育发展",
     "大力发展面向先进制造业的职业教育", True),
    ("一流大学", "labor_force", "推进义务教育优质均衡和一流大学建设",
     "支持一流大学建设未来技术学院", True),
    ("一流学科", "labor_force", "推进高中阶段教育普及和一流学科建设",
     "建设集成电路一流学科", True),
    # v1.3: digital government is none; public data as a resource counts
    ("政务数据", "labor_object", "推进政务数据共享，实现高频事项跨省通办",
     "推进政务数据开发利用", True),
    ("数据共享", "labor_object", "推动政务部门数据共享", "推动行业数据共享和开发利用", False),
    # v1.3: purchase campaigns are consumption; farm machinery as a clause counts
    ("农机", "labor_means", "开展家电和农机下乡活动", "推广大马力农机", False),
    # the 1978-2010 formula of technical progress: a bare word in an enumeration
    ("新材料", "labor_object", "引导企业采用新工艺、新材料", "保障关键新材料供给", False),
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
