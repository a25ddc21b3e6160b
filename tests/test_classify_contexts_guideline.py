"""Session 9: the framework's keywords and context rules against annotation guideline v1.3.

Two checks, both in our own wording (no gold passage is quoted):

- every term the guideline names for a category gives that category's keyword
  evidence (framework keywords, or the guideline rulings' ``adds`` rules), and the
  terms it says are *not* a category give none;
- each context rule added in session 9 blocks its keyword in an example clause and
  lets it count in a similar counter-example.
"""

from __future__ import annotations

import pytest

from nqp_text.classify.contexts import load_contexts
from nqp_text.classify.evidence import EvidenceExtractor

#: Terms guideline v1.3 names per category (its bullets and Clarifications); each
#: in a neutral clause "推进…。" must give the category.
GUIDELINE_TERMS = {
    "labor_object": "数据资源 公共数据开发利用 数据资产 数据采集 数据开发 新材料 战略性矿产 "
                    "深海 极地 生物资源 低空空域 大力发展新能源 深远海 找矿 增储 探获 "
                    "关键材料 公共数据授权运营 数据要素× 数据资产入表 数据标注",
    "labor_means": "5G 千兆光网 数据中心 算力 东数西算 工业互联网 物联网 新型基础设施 智能装备 "
                   "工业机器人 数控机床 智能工厂 大规模设备更新 智能电网 农机 新城建 "
                   "物联感知设施 智慧港口 智慧交通 车路云一体化 低空基础设施 虚拟电厂 新型储能电站 "
                   "源网荷储一体化 绿电直连 车网互动 数字化车间 灯塔工厂 智能制造示范工厂 机收",
    "labor_force": "人才 科学家 工程师 高技能人才 大国工匠 职业教育 职业技能培训 数字技能 "
                   "数字素养 平台就业 创业 大众创业万众创新 职业学校 双高计划 产教融合 技能培训",
    "tech_innovation": "研发投入 基础研究 关键核心技术攻关 国家实验室 创新体系 科技成果转化 "
                       "知识产权保护 人工智能 量子 生物技术 科技体制改革 研发费用加计扣除 "
                       "高新技术企业 科技型中小企业 创新型企业 临床医学研究中心 新产品研发",
    "factor_allocation": "要素市场化配置改革 全国统一大市场 市场准入 数据要素市场 数据交易 "
                         "数据流通 数据确权 数据定价 科技金融 直接融资 户籍 户籍制度改革 "
                         "农业转移人口市民化 集体林权 承包经营 融资成本 数据交易所 绿色金融 "
                         "转型金融 普惠小微贷款 产融合作 五篇大文章 土地储备 土地供应 低效用地 "
                         "海域使用权 闲置农房 PPP新机制 要素双向流动",
    "industrial_upgrading": "现代化产业体系 战略性新兴产业 未来产业 新能源汽车 数字产业化 "
                            "产业数字化 产业链供应链 产业结构调整 承接产业转移 新型农业经营主体 "
                            "技术改造 技改 智能化改造 数字化转型 智改数转 新型储能产业 新材料产业 "
                            "电池材料 磷化工 资源精深加工 专精特新 小巨人 单项冠军 链主 "
                            "农业产业化龙头企业 加工转化率 现代农业产业园 农村电商 智慧农业 "
                            "数字文化产业 微短剧",
}

#: Terms the guideline says are none (its "Not" lines and Clarifications).
GUIDELINE_NONE = ("道路 铁路 水利工程 住房 电网 外电入省 城市大脑 一网统管 数字政府 通用机场 "
                  "高标准农田 职业伤害保障 互助保障 住房公积金 鲁班工坊 养老金融 消费信贷 "
                  "减税降费 退税 水价 用水权 矿业权 排污权 碳排放权交易 用能权交易 菜篮子 民宿 "
                  "招商引资 对口支援 文旅云平台 智慧景区 数字博物馆 云展览 以旧换新 陆海统筹 "
                  "构建清洁低碳能源体系 失业保险")


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


@pytest.mark.parametrize("category", sorted(GUIDELINE_TERMS))
def test_every_term_the_guideline_names_gives_its_category(extractor, category):
    missing = [term for term in GUIDELINE_TERMS[category].split()
               if category not in {h.category for h in extractor.hits(f"推进{term}。")}]
    assert not missing, f"guideline terms without {category} evidence: {missing}"


def test_terms_the_guideline_excludes_give_no_evidence(extractor):
    found = {term: sorted({h.category for h in extractor.hits(f"推进{term}。")})
             for term in GUIDELINE_NONE.split()}
    assert not {term: cats for term, cats in found.items() if cats}


@pytest.mark.parametrize("keyword, example, counter", [
    # v1.1: new-energy manufacturing is industrial_upgrading, the resource is labor_object
    ("风电", "扩大风电装备出口", "新增海上风电装机五百万千瓦"),
    ("太阳能", "太阳能电池产量增长两成", "开发利用太阳能资源"),
    ("氢能", "建设氢能装备制造基地", "有序开发氢能资源"),
    # v1.1: technologies presented as achievements are tech_innovation
    ("核电", "核电技术取得重大成果", "积极安全有序发展核电"),
    # defence is none
    ("智能化", "推进机械化信息化智能化融合发展", "推动传统产业高端化智能化绿色化"),
    ("人才", "推进科技强军、人才强军", "实施青年人才托举计划"),
    # government self-improvement is none; S&T results are tech_innovation
    ("创新成果", "复制推广自贸试验区改革创新成果", "推动高校创新成果就地转化"),
    # v1.1: land tenure is factor_allocation, enterprise contracting is not
    ("承包经营", "完善企业承包经营责任制", "稳定农村土地承包经营关系"),
    # consumption in general is none (v1.3: 以旧换新)
    ("新能源汽车", "新能源汽车销量增长三成", "壮大新能源汽车产业集群"),
    ("新能源汽车", "开展新能源汽车下乡活动", "突破新能源汽车动力电池技术"),
    # a mechanism linking farmers is not farm machinery (v1.1: farm machinery is labor_means)
    ("农机", "完善联农带农机制", "推广智能农机与北斗导航"),
    # v1.3: digital government is none
    ("互联网+", "深化“互联网+政务服务”改革", "实施“互联网+”先进制造行动"),
])
def test_session_9_rules_block_the_example_and_not_the_counter(keyword, example, counter):
    rules = load_contexts()
    assert rules.blocks(keyword, example, example.index(keyword))
    assert not rules.blocks(keyword, counter, counter.index(keyword))


def test_session_9_rules_act_through_the_extractor(extractor):
    """The rules reach the evidence (not only ``blocks``): the example loses its category."""
    def categories(text):
        return {h.category for h in extractor.hits(text)}

    assert "labor_object" not in categories("扩大风电装备出口。")
    assert "labor_object" in categories("新增海上风电装机五百万千瓦。")
    assert "factor_allocation" not in categories("完善企业承包经营责任制。")
    assert "factor_allocation" in categories("稳定农村土地承包经营关系。")
    assert "industrial_upgrading" not in categories("开展新能源汽车下乡活动。")
