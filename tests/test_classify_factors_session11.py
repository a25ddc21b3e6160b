"""Session 11: factor_allocation on national text against guideline v1.3.

The rules come from reading the shipped model's factor_allocation labels on
unlabelled national text (State Council reports of years outside the gold files and
the CPC congress reports other than the 18th and 20th) against the guideline; every
example and counter-example below is our own wording, not a corpus or gold sentence.
Each context rule must block its keyword in the example and let it count in the
counter, in ``KeywordContexts.blocks``, through ``EvidenceExtractor`` and through
``nqp-text classify --text``; each new keyword must give evidence in its example.
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
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.cli import main
from nqp_text.framework import load_framework

CATEGORY = "factor_allocation"

#: (keyword, example the rule blocks, counter where the keyword counts, strong).
#: ``strong``: the counter's keywords reach the dictionary's threshold, so the
#: command line shows factor_allocation for it.
RULES = [
    # income distribution by factors is livelihoods, not market allocation
    ("生产要素", "鼓励技术和管理等生产要素按贡献参与分配",
     "促进生产要素向效率更高的地区集聚", False),
    # trade in services and special bonds are not market access for factors
    ("负面清单", "推行跨境服务贸易负面清单管理", "缩减外资准入的负面清单", False),
    ("负面清单", "实行专项债投向负面清单", "推行外商投资负面清单管理", False),
    # entry standards for products and projects are regulation, not factor markets
    ("市场准入", "健全食品产品质量追溯和市场准入制度", "放宽民间资本的市场准入", True),
    ("市场准入", "严格落实新建项目市场准入审核", "进一步放宽服务领域市场准入", True),
    # fair competition counts beside the unified market, not as legal protection alone
    ("公平竞争", "依法保障各类企业合法经营和公平竞争", "破除妨碍统一市场和公平竞争的壁垒", True),
    # S&T resources are the science system (tech_innovation); two markets are opening-up
    ("资源配置", "统筹优化科技资源配置", "让市场在资源配置中发挥决定性作用", True),
    ("资源配置", "用好国际国内两个市场优化资源配置", "以市场化方式优化资源配置", True),
    # stabilising the capital market is macro-financial stability
    ("资本市场", "采取措施稳定资本市场", "完善资本市场的上市制度", True),
    ("资本市场", "保持资本市场平稳运行", "发展多层次的资本市场", True),
    # financing channels count for firms; for investment in general they are macro policy
    ("融资渠道", "多方拓宽融资渠道以扩大投资", "拓宽中小企业的融资渠道", True),
    # household registration: a target or migrant children's schooling is not the reform
    ("户籍", "户籍人口城镇化率提高两个百分点", "推进户籍管理改革", True),
    # reserve-ratio and policy-rate cuts are macro policy (v1.1)
    ("融资成本", "下调存款准备金率以降低融资成本", "切实降低企业的融资成本", True),
]

#: (keyword, own example where it gives factor_allocation evidence).
KEYWORDS = [
    ("生产要素市场", "培育资本和技术等生产要素市场"),
    ("生产要素流动", "便利生产要素流动和人员往来"),
    ("生产要素合理配置", "推动生产要素合理配置"),
    ("要素获取", "保障民营企业的要素获取"),
    ("劳动力合理有序流动", "促进农村劳动力合理有序流动"),
    ("土地管理制度改革", "稳妥推进农村土地管理制度改革"),
    ("土地使用制度", "完善城镇土地使用制度"),
    ("融资渠道", "拓宽科技型企业融资渠道"),
]


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


@pytest.mark.parametrize("keyword, example, counter, strong", RULES)
def test_rule_blocks_the_example_and_not_the_counter(keyword, example, counter, strong):
    assert_rule_blocks(keyword, example, counter)


@pytest.mark.parametrize("keyword, example, counter, strong", RULES)
def test_rule_acts_through_the_extractor(extractor, keyword, example, counter, strong):
    assert_rule_acts_through_the_extractor(extractor, keyword, CATEGORY, example, counter)


@pytest.mark.parametrize("keyword, example, counter, strong", RULES)
def test_rule_acts_through_the_command_line(capsys, keyword, example, counter, strong):
    assert_rule_acts_through_the_command_line(capsys, CATEGORY, example, counter, strong)


@pytest.mark.parametrize("keyword, example", KEYWORDS)
def test_new_keyword_gives_evidence(extractor, keyword, example):
    assert load_framework().category(CATEGORY).keywords[keyword] == 1.0
    assert (CATEGORY, keyword) in terms(extractor, example + "。")


@pytest.mark.parametrize("keyword, example", KEYWORDS)
def test_new_keyword_labels_through_the_command_line(capsys, keyword, example):
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    assert CATEGORY in json.loads(capsys.readouterr().out)["labels"]


def test_a_keyword_in_a_long_enumeration_alone_does_not_count(extractor):
    """v1.3 count clauses, not words: 要素获取 as one item of a long list of fields
    (…等方面) gives nothing; as the object of its own clause it counts."""
    listed = "在要素获取、资质许可、标准制定、政府采购等方面一视同仁。"
    assert (CATEGORY, "要素获取") not in terms(extractor, listed)
    assert (CATEGORY, "要素获取") in terms(extractor, "保障各类企业平等的要素获取。")
