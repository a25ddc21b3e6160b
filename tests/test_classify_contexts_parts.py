"""``not_in_part`` keyword rules and the session-10 rules for industrial_upgrading and
factor_allocation (guideline v1.1 / v1.3; each example and counter-example is my own
wording, not a gold passage)."""

from __future__ import annotations

import json

import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import FrameworkClassifier, load_model, save_model
from nqp_text.classify.contexts import KeywordContexts, load_contexts
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.cli import main

HEADER = "keyword\trule\tcontexts\tnote\n"
IU, FA = "industrial_upgrading", "factor_allocation"

#: (keyword, category, example: the keyword gives no evidence, counter: it does)
CASES = [
    # v1.3 rural tourism none even when called new; consumption in general none
    ("新业态", IU, "培育夜间消费、演艺等新业态。", "推动新技术、新产业、新业态加快成长。"),
    ("新业态新模式", IU, "发展康养旅游新业态新模式。", "发展平台经济新业态新模式。"),
    ("新模式", IU, "推广即时零售等新模式。", "运用新技术新模式改造提升传统产业。"),
    ("新模式", IU, "健全可持续的城市更新模式。", "运用新技术新模式改造提升传统产业。"),
    # v1.3: 以旧换新 none; consumption none
    ("新能源汽车", IU, "新能源汽车零售额增长两成。", "新能源汽车产量增长两成。"),
    # v1.3: digital government none
    ("智能化", IU, "推进政务服务智能化。", "推动传统产业智能化、绿色化发展。"),
    # v1.3: 招商引资 none; culture and tourism none
    ("产业链", IU, "开展产业链精准招商。", "推动产业链上下游协同。"),
    ("产业链", IU, "壮大文旅融合产业链。", "推动产业链上下游协同。"),
    ("产业集群", IU, "开展产业集群招商活动。", "打造先进产业集群。"),
    ("现代服务业", IU, "做强休闲度假等现代服务业。", "推动先进制造业和现代服务业融合。"),
    ("产业发展", IU, "举办旅游产业发展大会。", "统筹空间布局和产业发展。"),
    ("新动能", IU, "培育外经贸发展新动能。", "培育经济发展新动能。"),
    ("转型升级", IU, "打造引领消费转型升级的高地。", "推动企业转型升级。"),
    # v1.1: generic support for farming is none; structural adjustment of industry counts
    ("现代农业", IU, "大力发展现代农业。", "建设现代农业示范区。"),
    ("结构调整", IU, "加快经济结构调整。", "加快工业结构调整。"),
    # v1.1: energy and electricity prices do not count; farm-product prices are no factor
    ("价格形成机制", FA, "完善农产品价格形成机制。", "完善承包地经营权流转价格形成机制。"),
    ("价格改革", FA, "推进资源性产品价格改革。", "深化价格改革，放开竞争性领域价格。"),
    ("市场化改革", FA, "推进水价市场化改革。", "推进债券发行市场化改革。"),
    # v1.3: project support in investment passages is none
    ("要素保障", FA, "强化重点项目要素保障。", "强化用地用海等要素保障。"),
]


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


def _terms(extractor, text, category):
    return {hit.term for hit in extractor.hits(text) if hit.category == category}


@pytest.mark.parametrize("keyword, category, example, counter", CASES)
def test_each_rule_through_the_extractor(extractor, keyword, category, example, counter):
    assert keyword not in _terms(extractor, example, category)
    assert keyword in _terms(extractor, counter, category)
    plain = EvidenceExtractor(segmenter=extractor.segmenter, contexts=None)
    assert keyword in _terms(plain, example, category)  # the rule, not the lexicon, drops it


@pytest.mark.parametrize("keyword, category, example, counter", CASES)
def test_each_rule_through_classify_text(capsys, keyword, category, example, counter):
    for text, counts in ((example, False), (counter, True)):
        assert main(["classify", "--text", text, "--model", "dictionary", "--json"]) == 0
        evidence = json.loads(capsys.readouterr().out)["evidence"]
        assert (keyword in {term for term, _ in evidence.get(category, [])}) is counts


def test_the_shipped_model_carries_the_rules(capsys):
    """The re-trained default model stores the rules: its evidence follows them too."""
    for text, counts in (("培育夜间消费、演艺等新业态。", False),
                         ("推动新技术、新产业、新业态加快成长。", True)):
        assert main(["classify", "--text", text, "--json"]) == 0
        evidence = json.loads(capsys.readouterr().out)["evidence"]
        assert ("新业态" in {t for t, _ in evidence.get("industrial_upgrading", [])}) is counts


def test_not_in_part_looks_only_at_the_part_between_commas():
    rules = KeywordContexts({"新业态": {"not_in_part": ["消费", "旅游"]}})
    clause = "扩大服务消费，培育平台经济新业态，发展乡村旅游"
    assert not rules.blocks("新业态", clause, clause.index("新业态"))
    clause = "扩大服务消费、培育新业态"
    assert rules.blocks("新业态", clause, clause.index("新业态"))
    clause = "培育新业态,带动夜间消费"
    assert not rules.blocks("新业态", clause, clause.index("新业态"))
    clause = "培育新业态带动夜间消费"
    assert rules.blocks("新业态", clause, clause.index("新业态"))


def test_a_not_in_part_word_containing_the_keyword_is_refused(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text(HEADER + "新业态\tnot_in_part\t消费新业态\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules.tsv:2: .*contains the keyword itself"):
        load_contexts(path)


def test_a_saved_model_keeps_its_not_in_part_rules(tmp_path):
    rules = KeywordContexts({"新业态": {"not_in_part": ["消费"]}})
    model = FrameworkClassifier(min_df=1, contexts=rules, calibration_folds=0).fit(TEXTS, LABELS)
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["contexts"] == {"新业态": {"not_in_part": ["消费"]}}
    loaded = load_model(directory)
    assert loaded.extractor_.hits("培育夜间消费新业态。") == []
    assert [hit.term for hit in loaded.extractor_.hits("培育平台新业态。")] == ["新业态"]


def test_every_not_in_part_rule_cites_the_guideline():
    from nqp_text.classify.contexts import contexts_path

    rows = [line.split("\t") for line in contexts_path().read_text(encoding="utf-8").splitlines()]
    parts = [row for row in rows if row[1] == "not_in_part"]
    assert {row[0] for row in parts} >= {"新业态", "新模式", "产业链", "价格改革", "要素保障"}
    assert all("guideline" in row[3] for row in parts)
