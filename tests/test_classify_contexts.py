"""Keyword rules with context, grouped CV per domain, calibration, several gold files,
the sentence unit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import DictionaryClassifier, FrameworkClassifier, load_model, save_model
from nqp_text.classify.contexts import KeywordContexts, load_contexts
from nqp_text.classify.evaluate import calibration, cross_validate_domains, grouped_splits
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.classify.features import sentence_examples
from nqp_text.classify.gold import read_gold_files
from nqp_text.classify.run import classify_texts
from nqp_text.framework import load_framework

WATER = "加快推进跨流域水资源配置工程建设，新开工一批大中型灌区和水库。"
HEADQUARTERS = "全年引进世界500强企业12家，一批央企区域总部落户我市。"
HUKOU = "深化户籍制度改革，放宽城市落户条件，推进农业转移人口市民化。"
HEADER = "keyword\trule\tcontexts\tnote\n"


@pytest.fixture(scope="module")
def seg():
    """One Segmenter for the whole module (building one is the slow part of each model)."""
    from nqp_text.segment import Segmenter

    return Segmenter()


def test_shipped_rules_are_valid_and_name_framework_keywords():
    rules = load_contexts()
    keywords = {term for category in load_framework().categories for term in category.keywords}
    assert len(rules) >= 5
    assert set(rules.keywords) <= keywords
    assert rules.blocks("资源配置", "推进水资源配置工程", 3)
    assert not rules.blocks("资源配置", "发挥市场在资源配置中的决定性作用", 6)
    assert rules.blocks("落户", "项目落户园区", 2)
    assert rules.blocks("落户", "人才落户安居服务", 2)  # no household-registration word near
    assert not rules.blocks("落户", "放宽城镇落户限制", 4)


@pytest.mark.parametrize("keyword, clause, counts", [
    # guideline v1.3, smart-grid family: ordinary charging piles are none
    ("充电桩", "新建公共充电桩两万个", False),
    ("充电桩", "推广车网互动充电桩", True),
    # v1.3: digital government and smart-city governance are none
    ("人工智能", "开展人工智能+政务服务行动", False),
    ("人工智能", "开展人工智能+制造行动", True),
    ("数字化转型", "深化城市数字化转型", False),
    ("数字化转型", "推动中小企业数字化转型", True),
    # housing and consumption are none, also when called new models
    ("新模式", "加快构建房地产发展新模式", False),
    ("新业态", "培育消费新业态", False),
    ("新业态", "发展平台经济新业态", True),
    # v1.3: problem items, bare field names in enumerations
    ("科技创新", "科技创新能力不强", False),
    ("农业现代化", "推进新型工业化、信息化、城镇化、农业现代化", False),
    ("农业现代化", "建设农业现代化示范区", True),
    ("人才", "引进技术、人才、资金", False),
    ("人才", "引进高层次人才", True),
    # v1.3: protection of gig workers is social security
    ("灵活就业", "加强灵活就业人员权益保障", False),
    ("灵活就业", "支持多渠道灵活就业", True),
    # v1.3: the ocean economy in general is not a resource frontier
    ("海洋经济", "大力发展海洋经济", False),
    ("海洋经济", "发展海洋经济，合理开发海洋资源", True),
])
def test_shipped_rules_follow_the_guideline(keyword, clause, counts):
    """Each case is one ruling of guideline v1.3 (see the rule's note in the TSV)."""
    rules = load_contexts()
    assert rules.blocks(keyword, clause, clause.index(keyword)) is not counts


@pytest.mark.parametrize("line, message", [
    ("资源配置\tnear\t水资源配置\tx", "unknown rule 'near'"),
    ("资源配置\tnot_inside\t水资源\tx", "must contain '资源配置'"),
    ("落户\trequires\t总部落户\tx", "contains the keyword itself"),
    ("落户\trequires\t户籍\t ", "note"),
    ("落户\trequires\t\tx", "no contexts"),
    ("落户\trequires\t户籍", "expected 4 tab-separated fields"),
])
def test_a_bad_rule_is_refused_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "rules.tsv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_contexts(path)
    assert f"{path}:2" in str(error.value)


def test_duplicate_rule_and_bad_header_are_refused(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text(HEADER + "落户\trequires\t户籍\tx\n落户\trequires\t城镇\ty\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules.tsv:3: .*second 'requires'"):
        load_contexts(path)
    path.write_text("keyword\trule\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header must be"):
        load_contexts(path)
    with pytest.raises(FileNotFoundError, match="absent.tsv"):
        load_contexts(tmp_path / "absent.tsv")


def test_rules_change_the_evidence_of_both_classifiers(seg):
    plain = DictionaryClassifier(contexts=None, segmenter=seg)
    ruled = DictionaryClassifier(segmenter=seg)
    assert "factor_allocation" in plain.predict([WATER])[0]
    assert ruled.predict([WATER, HEADQUARTERS]) == [(), ()]
    assert ruled.predict([HUKOU]) == [("factor_allocation",)]
    with_rules = ruled.extractor_.hits(WATER)
    without = plain.extractor_.hits(WATER)
    assert [h.term for h in without] == ["资源配置"] and with_rules == []
    model = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg).fit(TEXTS, LABELS)
    features = model.transform([WATER]).toarray()
    unruled = FrameworkClassifier(min_df=1, calibration_folds=0, contexts=None,
                                  segmenter=seg).fit(TEXTS, LABELS)
    assert not np.array_equal(features, unruled.transform([WATER]).toarray())


def test_a_saved_model_keeps_its_rules(tmp_path, seg):
    rules = KeywordContexts({"人才": {"not_inside": ["人才公寓"]}})
    model = FrameworkClassifier(min_df=1, contexts=rules, calibration_folds=0,
                                segmenter=seg).fit(TEXTS, LABELS)
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["contexts"] == {"人才": {"not_inside": ["人才公寓"]}}
    loaded = load_model(directory)
    assert loaded.extractor_.hits("建设人才公寓。") == []
    assert np.array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_calibration_table_by_hand():
    truth = np.array([[1], [0], [0], [1]])
    probability = np.array([[0.95], [0.05], [0.15], [0.55]])
    table = calibration(truth, probability, ["a"], bins=2)["a"]
    assert table["brier"] == pytest.approx((0.05**2 + 0.05**2 + 0.15**2 + 0.45**2) / 4)
    assert table["brier_prior"] == 0.25
    assert table["reliability"] == [[0.0, 0.5, 2, 0.1, 0.0], [0.5, 1.0, 2, 0.75, 1.0]]


def test_grouped_splits_are_fixed_and_keep_documents_apart():
    groups = [f"d{i % 7}" for i in range(40)]
    first = grouped_splits(groups, 3, 3)
    again = grouped_splits(groups, 3, 3)
    assert len(first) == 3
    for splits, same in zip(first, again, strict=True):
        for (train, test), (_train2, test2) in zip(splits, same, strict=True):
            assert np.array_equal(test, test2)
            assert not {groups[i] for i in train} & {groups[i] for i in test}
    assert [list(t) for _, t in first[0]] != [list(t) for _, t in first[1]]
    with pytest.raises(ValueError, match="at least 8 groups"):
        grouped_splits(groups, 8, 1)


def test_cross_validation_per_domain_on_toy_data(seg):
    texts = TEXTS * 2
    labels = LABELS * 2
    groups = [f"doc{i % 6}" for i in range(len(texts))]
    domains = ["national" if i % 6 < 3 else "provincial" for i in range(len(texts))]
    report = cross_validate_domains(DictionaryClassifier(segmenter=seg), texts, labels, groups,
                                    domains, n_splits=3, repeats=2)
    assert set(report["domains"]) == {"national", "provincial"}
    assert report["domains"]["national"]["n"] + report["domains"]["provincial"]["n"] == 48
    assert len(report["pooled"]["macro_f1_by_split"]) == 2
    assert report["pooled"]["macro_f1"] == pytest.approx(
        np.mean(report["pooled"]["macro_f1_by_split"]), abs=1e-6)
    assert set(report["calibration"]) == set(DictionaryClassifier().fit().categories_)


def test_read_gold_files_names_domains_and_refuses_shared_documents(tmp_path):
    for name in ("a", "b"):
        lines = [json.dumps({"id": f"{name}{i}-p0", "doc": f"{name}{i}", "text": text,
                             "labels": labels}, ensure_ascii=False)
                 for i, (text, labels) in enumerate(zip(TEXTS, LABELS, strict=True))]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = read_gold_files([f"first={tmp_path / 'a.jsonl'}", str(tmp_path / "b.jsonl")])
    assert gold.groupby("domain").size().to_dict() == {"b": 24, "first": 24}
    with pytest.raises(ValueError, match="also occur in"):
        read_gold_files([f"x={tmp_path / 'a.jsonl'}", f"y={tmp_path / 'a.jsonl'}"])


def test_sentence_examples_and_the_sentence_unit(seg):
    texts = ["培养高技能人才。召开全体会议。", "召开会议。安排工作。", "建设全国统一大市场。"]
    truth = np.array([[0, 0, 1, 0, 0, 0], [0] * 6, [0, 0, 0, 0, 1, 0]])
    rows, labels, parent = sentence_examples(EvidenceExtractor(segmenter=seg), texts, truth)
    assert rows == ["培养高技能人才。", "召开会议。", "安排工作。"]
    assert labels.tolist() == [[0, 0, 1, 0, 0, 0], [0] * 6, [0] * 6]
    assert parent.tolist() == [0, 1, 1]
    model = DictionaryClassifier(segmenter=seg)
    text = "加快建设全国统一大市场。大力培养高技能人才。"
    whole = classify_texts([text], model)
    split = classify_texts([text, "开会。"], model, unit="sentence")
    assert list(split.loc[0, "labels"]) == ["labor_force", "factor_allocation"]
    assert list(split.loc[1, "labels"]) == []
    assert split.loc[0, "score_labor_force"] >= whole.loc[0, "score_labor_force"] - 1e-9
    with pytest.raises(ValueError, match="unit must be one of"):
        classify_texts([text], model, unit="window")


def test_framework_probabilities_are_calibrated_and_labels_unchanged(seg):
    texts, labels = TEXTS * 3, LABELS * 3
    groups = [f"d{i % 8}" for i in range(len(texts))]
    raw = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg).fit(texts, labels)
    calibrated = FrameworkClassifier(min_df=1, calibration_folds=4, segmenter=seg).fit(
        texts, labels, groups=groups)
    assert raw.predict(TEXTS) == calibrated.predict(TEXTS)
    assert calibrated.calibration_.shape == (6, 2)
    assert not np.array_equal(raw.predict_proba(TEXTS), calibrated.predict_proba(TEXTS))
    assert np.array_equal(raw.calibration_, np.tile([1.0, 0.0], (6, 1)))


def test_classify_directory_by_sentence(tmp_path: Path, seg):
    import pandas as pd

    from nqp_text.classify.run import classify_directory
    from nqp_text.corpus import Corpus

    passages = pd.DataFrame({
        "doc_id": ["d"] * 2, "passage_id": ["d:0", "d:1"], "seq": [0, 1], "year": [2024] * 2,
        "text": ["加快建设全国统一大市场。大力培养高技能人才。", "开会。"],
        "start": [0, 30], "end": [22, 33]})
    directory = Corpus(passages=passages).save(tmp_path / "out")
    labels = pd.read_parquet(classify_directory(directory, DictionaryClassifier(segmenter=seg),
                                                unit="sentence"))
    assert [list(x) for x in labels["labels"]] == [["labor_force", "factor_allocation"], []]
    assert " | " in labels.loc[0, "evidence"]
