"""Session 11: lists of industries and investment directions against guideline v1.3.

The rules come from reading the shipped model's evidence on unlabelled text (State
Council reports of years outside the gold files, CPC reports other than the 18th and
20th, the 2026 provincial scrapes) against the guideline. Every example and
counter-example below is our own wording, not a corpus or gold sentence. Each rule is
checked through ``Rulings``/``KeywordContexts``, the ``EvidenceExtractor`` and
``nqp-text classify --text``; the new rule kind ``counts_as`` also through validation
and a saved model.
"""

from __future__ import annotations

import json

import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import load_rulings
from nqp_text.classify.contexts import load_contexts
from nqp_text.classify.contexts_rulings import RULING_COLUMNS, Ruling, Rulings
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.cli import main
from nqp_text.framework import load_framework

INDUSTRIES = Ruling("industries", "counts_as", "[^，。；：]*、[^，。；：]*等[^，。；：、]{0,6}产业",
                    "industrial_upgrading", "guideline v1.3 industry names")


@pytest.fixture(scope="module")
def seg():
    from nqp_text.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="module")
def extractor(seg):
    return EvidenceExtractor(segmenter=seg)


def _terms(extractor: EvidenceExtractor, text: str) -> set[tuple[str, str]]:
    return {(hit.category, hit.term) for hit in extractor.hits(text)}


def _categories(extractor: EvidenceExtractor, text: str) -> set[str]:
    return {hit.category for hit in extractor.hits(text)}


# ---- the rule kind ``counts_as`` --------------------------------------------------------

def test_counts_as_keeps_only_its_category_inside_the_match(seg):
    plain = EvidenceExtractor(segmenter=seg, rulings=None)
    ruled = EvidenceExtractor(segmenter=seg, rulings=Rulings([INDUSTRIES]))
    text = "扶持新材料、人工智能、新型储能等新兴产业。"
    assert {"labor_object", "tech_innovation", "industrial_upgrading"} <= _categories(plain, text)
    assert _categories(ruled, text) == {"industrial_upgrading"}
    assert ("industrial_upgrading", "新兴产业") in _terms(ruled, text)


def test_counts_as_leaves_the_same_keyword_outside_the_match(seg):
    ruled = EvidenceExtractor(segmenter=seg, rulings=Rulings([INDUSTRIES]))
    text = "扶持新材料、人工智能等新兴产业，加强人工智能基础研究。"
    assert ("tech_innovation", "人工智能") in _terms(ruled, text)
    other_clause = "扶持新材料、人工智能等新兴产业。保障新材料稳定供给。"
    assert ("labor_object", "新材料") in _terms(ruled, other_clause)


def test_counts_as_adds_nothing(seg):
    ruled = EvidenceExtractor(segmenter=seg, rulings=Rulings([INDUSTRIES]))
    assert _categories(ruled, "扶持甲、乙等产业。") == set()


def test_category_spans():
    rules = Rulings([INDUSTRIES])
    assert rules.category_spans("扶持甲、乙等新兴产业，推进丙") == [(0, 10, "industrial_upgrading")]
    assert rules.category_spans("推进甲和乙") == []


@pytest.mark.parametrize("line, message", [
    ("x\tcounts_as\t等产业\t-\tguideline\t甲等产业\t甲产品", "category '-'"),
    ("x\tcounts_as\t等产业\tindustry\tguideline\t甲等产业\t甲产品", "unknown category"),
    ("x\tcounts_as\t等产业\tindustrial_upgrading\tindustry names\t甲等产业\t甲产品",
     "cite the guideline"),
    ("x\tcounts_as\t等产业\tindustrial_upgrading\tguideline\t甲等产业\t乙等产业", "counter"),
])
def test_bad_counts_as_rows_are_refused_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "rulings.tsv"
    path.write_text("\t".join(RULING_COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_rulings(path, categories=load_framework().category_ids)
    assert f"{path}:2" in str(error.value)


def test_a_saved_model_keeps_its_counts_as_rule(tmp_path, seg):
    from nqp_text.classify import FrameworkClassifier, load_model, save_model

    texts = ["扶持新材料、人工智能、新型储能等新兴产业。", *TEXTS]
    model = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg,
                                rulings=[INDUSTRIES.to_dict()]).fit(TEXTS, LABELS)
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["rulings"] == [INDUSTRIES.to_dict()]
    loaded = load_model(directory)
    assert {h.category for h in loaded.extractor_.hits(texts[0])} == {"industrial_upgrading"}
    assert (loaded.predict_proba(texts) == model.predict_proba(texts)).all()


# ---- the shipped rows ---------------------------------------------------------------------

#: (example, counter) of our own wording: in the example the items' other categories go,
#: industrial_upgrading stays; in the counter the same words are clauses of their own.
LISTS = [
    ("培育壮大新材料、人工智能、新型储能等新兴产业", "加快人工智能技术攻关和新材料研发应用"),
    ("前瞻布局量子科技、6G、深海装备等未来产业", "加强量子科技基础研究，建设6G试验网"),
    ("做强新能源、高端装备、集成电路等战略性新兴产业集群", "新增新能源装机五百万千瓦"),
]


@pytest.mark.parametrize("example, counter", LISTS)
def test_industry_lists_count_only_as_industrial_upgrading(extractor, example, counter):
    assert _categories(extractor, example + "。") == {"industrial_upgrading"}
    assert _categories(extractor, counter + "。") - {"industrial_upgrading"}


def test_industry_lists_skip_fields_and_industrialisation(extractor):
    # 等领域 lists and 迈向产业化 are not lists of industry names
    rulings = load_rulings()
    assert rulings.category_spans("在人工智能、量子信息等领域实施一批重大项目") == []
    assert rulings.category_spans("类脑芯片、量子信息等前沿技术加快迈向产业化") == []
    text = "类脑芯片、量子信息等前沿技术加快迈向产业化。"
    assert "tech_innovation" in _categories(extractor, text)


def test_industry_list_through_the_command_line(capsys):
    example, counter = LISTS[0]
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "tech_innovation" not in result["labels"]
    assert "labor_object" not in result["labels"]
    assert result["scores"]["industrial_upgrading"] > 0
    assert main(["classify", "--text", counter + "。", "--model", "dictionary", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "tech_innovation" in result["labels"]


#: (example, counter): where bonds or budget funds are steered is the use of special bonds
#: (none); a direction that names 技术改造/设备更新 keeps its evidence.
DIRECTIONS = [
    ("新增债券资金主要投向新型基础设施和新兴产业", "新增债券资金支持重点行业设备更新"),
    ("预算内投资更多投向高新技术产业和先进制造业", "预算内投资更多投向企业技术改造"),
    ("新增债券资金主要投向产业基础建设和民生项目", "新增债券资金主要投向重点行业设备更新"),
]


@pytest.mark.parametrize("example, counter", DIRECTIONS)
def test_investment_directions_give_no_evidence(extractor, example, counter):
    plain = EvidenceExtractor(segmenter=extractor.segmenter, rulings=None)
    assert _categories(plain, example + "。")
    assert _categories(extractor, example + "。") == set()
    assert _categories(extractor, counter + "。")


def test_steering_private_capital_is_not_covered_by_this_row(extractor):
    # the guideline names special bonds and investment amounts, not guidance of capital
    # (foreign investment has its own span ruling, foreign_investment_direction)
    text = "引导民间资本更多投向高新技术产业和先进制造业。"
    assert load_rulings().blocked_spans(text[:-1]) == []
    assert "industrial_upgrading" in _categories(extractor, text)


def test_investment_direction_through_the_command_line(capsys):
    example, counter = DIRECTIONS[1]
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labels"] == []
    assert main(["classify", "--text", counter + "。", "--model", "dictionary", "--json"]) == 0
    assert "industrial_upgrading" in json.loads(capsys.readouterr().out)["labels"]


def test_the_negative_list_of_bond_uses_is_not_market_access(extractor, capsys):
    rules = load_contexts()
    example, counter = "落实债券投向领域负面清单管理", "全面落实负面清单管理制度"
    assert rules.blocks("负面清单", example, example.index("负面清单"))
    assert not rules.blocks("负面清单", counter, counter.index("负面清单"))
    assert "factor_allocation" not in _categories(extractor, example + "。")
    assert "factor_allocation" in _categories(extractor, counter + "。")
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    assert "factor_allocation" not in json.loads(capsys.readouterr().out)["labels"]
    assert main(["classify", "--text", counter + "。", "--model", "dictionary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scores"]["factor_allocation"] > 0
