"""Classifiers: labels, keyword evidence, DictionaryClassifier, FrameworkClassifier, evaluate."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from _classify_data import LABELS, TEXTS, TOY
from nqp_text.classify import (
    DictionaryClassifier,
    EvidenceExtractor,
    FrameworkClassifier,
    cross_validate_grouped,
    evaluate,
)
from nqp_text.classify.evaluate import metrics
from nqp_text.classify.labels import cap_labels, to_indicator, to_label_sets

CATS = ("labor_object", "labor_means", "labor_force", "tech_innovation", "factor_allocation",
        "industrial_upgrading")



@pytest.fixture(scope="module")
def toy_model():
    return FrameworkClassifier(min_df=1).fit(TEXTS * 2, LABELS * 2)


# -- labels -----------------------------------------------------------------------------
def test_label_sets_round_trip_and_unknown_labels():
    matrix = to_indicator([["tech_innovation", "labor_force"], [], ("labor_object",)], CATS)
    assert matrix.tolist() == [[0, 0, 1, 1, 0, 0], [0] * 6, [1, 0, 0, 0, 0, 0]]
    assert to_label_sets(matrix, CATS) == [("labor_force", "tech_innovation"), (),
                                           ("labor_object",)]
    assert to_indicator(matrix, CATS) is not matrix
    with pytest.raises(ValueError, match="unknown label 'innovation' in row 0"):
        to_indicator([["innovation"]], CATS)
    with pytest.raises(ValueError, match="4 columns, expected 6"):
        to_indicator(np.zeros((2, 4)), CATS)


def test_cap_keeps_the_top_three_by_score():
    selected = np.array([[1, 1, 1, 1, 1, 0], [1, 0, 0, 0, 0, 1]])
    scores = np.array([[0.9, 0.2, 0.8, 0.7, 0.6, 0.1], [0.5, 0, 0, 0, 0, 0.6]])
    assert cap_labels(selected, scores, 3).tolist() == [[1, 0, 1, 1, 0, 0],
                                                       [1, 0, 0, 0, 0, 1]]


def test_metrics_match_hand_computation():
    truth = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    predicted = np.array([[1, 0], [0, 1], [0, 1], [0, 1]])
    report = metrics(truth, predicted, ["a", "b"])
    assert report["per_category"]["a"] == {"precision": 1.0, "recall": 0.5,
                                           "f1": pytest.approx(2 / 3, abs=1e-6), "support": 2}
    assert report["per_category"]["b"]["precision"] == pytest.approx(2 / 3, abs=1e-6)
    assert report["micro_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1), abs=1e-6)
    assert report["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2, abs=1e-6)
    assert report["exact_match"] == 0.5 and report["n"] == 4


# -- keyword evidence --------------------------------------------------------------------
def test_evidence_is_leftmost_longest_and_counted_once_per_clause():
    extractor = EvidenceExtractor()
    hits = extractor.hits("新能源汽车产销两旺。大力发展新能源，发展新能源。")
    found = {(h.clause, h.term, h.category) for h in hits}
    assert (0, "新能源汽车", "industrial_upgrading") in found
    assert not any(h.term == "新能源" and h.clause == 0 for h in hits)
    assert sum(h.term == "新能源" for h in hits) == 1  # twice in one clause = once
    table = extractor.explain("培养人才。尊重人才；爱护人才")
    row = table[table["term"] == "人才"].iloc[0]
    assert row["clauses"] == 3 and row["contribution"] == pytest.approx(3 * row["weight"])


def test_user_keywords_unknown_to_the_lexicon_are_kept_whole(tmp_path):
    path = tmp_path / "fw.yaml"
    path.write_text(
        "id: mine\ngroups: [{id: g, zh: 组, en: group}]\ncategories:\n"
        "  - {id: quantum, zh: 量子, en: quantum, group: g, definition: d, "
        "keywords: [量子纠缠态调控, {超导: 0.5}]}\n", encoding="utf-8")
    model = DictionaryClassifier(framework=path)
    assert model.predict(["实现量子纠缠态调控。", "超导材料。", "无关。"]) == [
        ("quantum",), (), ()]
    assert model.decision_function(["超导材料。超导电缆。"])[0, 0] == pytest.approx(0.0)


# -- DictionaryClassifier --------------------------------------------------------------------
def test_dictionary_predicts_explains_and_is_consistent():
    model = DictionaryClassifier()
    predicted = model.predict(TEXTS)
    assert sum(tuple(p) == tuple(t) for p, t in zip(predicted, LABELS, strict=True)) >= 20
    scores = model.decision_function(TEXTS)
    proba = model.predict_proba(TEXTS)
    indicator = model.predict_indicator(TEXTS)
    assert ((scores >= 0) == (proba >= 0.5)).all()
    assert (indicator <= (scores >= 0)).all()
    table = model.explain(TEXTS[3])
    assert {"category", "term", "clauses", "weight", "contribution", "threshold",
            "selected"} <= set(table.columns)
    assert set(table.loc[table["selected"], "category"]) == {"factor_allocation"}
    assert model.evidence([TEXTS[3]])[0].startswith("factor_allocation: ")
    stricter = DictionaryClassifier(threshold_scale=3.0)
    assert stricter.predict_indicator(TEXTS).sum() < indicator.sum()


def test_dictionary_caps_at_three_labels():
    text = ("培养高技能人才。加强基础研究。建设全国统一大市场。发展战略性新兴产业。"
            "建设5G网络。开发公共数据资源。")
    model = DictionaryClassifier()
    assert (model.decision_function([text]) >= 0).sum() > 3
    assert len(model.predict([text])[0]) == 3
    assert len(DictionaryClassifier(max_labels=6).predict([text])[0]) > 3


# -- FrameworkClassifier ------------------------------------------------------------------
def test_framework_classifier_learns_and_returns_label_sets(toy_model):
    assert toy_model.categories_ == CATS
    assert toy_model.predict(["着力培养高技能人才。", "破除地方保护，建设全国统一大市场。"]) == [
        ("labor_force",), ("factor_allocation",)]
    proba = toy_model.predict_proba(TEXTS)
    logits = toy_model.decision_function(TEXTS)
    assert proba.shape == (len(TEXTS), 6) and ((proba >= 0) & (proba <= 1)).all()
    assert np.array_equal(toy_model.predict_indicator(TEXTS), logits >= 0)  # threshold 0.5
    assert toy_model.score(TEXTS, LABELS) > 0.9
    assert "probability" in toy_model.explain(TEXTS[0]).columns


def test_classify_in_one_pass_equals_the_separate_methods(toy_model):
    texts = TEXTS + ["", "。", "加快发展人工智能。培养高技能人才。建设全国统一大市场。"]
    for model in (toy_model, DictionaryClassifier()):
        indicator, proba, evidence = model.classify(texts)
        assert np.array_equal(indicator, model.predict_indicator(texts))
        assert np.array_equal(proba, model.predict_proba(texts))
        assert evidence == model.evidence(texts)
        assert any(evidence) and evidence[len(TEXTS)] == ""


def test_framework_classifier_accepts_an_indicator_matrix():
    model = FrameworkClassifier(min_df=1, char_ngrams=None).fit(TEXTS, to_indicator(LABELS, CATS))
    assert model.char_space_ is None and model.n_features_ == len(
        model.word_space_.vocabulary_) + 12


def test_framework_classifier_params_and_errors():
    model = FrameworkClassifier(C=3.0, threshold=0.4)
    params = model.get_params()
    assert params["C"] == 3.0 and params["threshold"] == 0.4 and params["framework"] is None
    assert model.set_params(C=5.0).C == 5.0
    assert clone(model).get_params()["C"] == 5.0
    with pytest.raises(ValueError, match="threshold must be in"):
        FrameworkClassifier(threshold=1.5).fit(TEXTS, LABELS)
    with pytest.raises(ValueError, match="no features"):
        FrameworkClassifier(word_features=False, char_ngrams=None,
                            evidence_weight=0).fit(TEXTS, LABELS)
    with pytest.raises(ValueError, match="24 texts but 2 label sets"):
        FrameworkClassifier().fit(TEXTS, LABELS[:2])
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        FrameworkClassifier().predict(TEXTS)


def test_absent_category_gets_a_constant_negative_score():
    texts = [t for t, labels in TOY if "labor_object" not in labels]
    labels = [labels for _, labels in TOY if "labor_object" not in labels]
    model = FrameworkClassifier(min_df=1).fit(texts, labels)
    assert not model.predict_indicator(TEXTS)[:, 0].any()


@pytest.mark.slow
def test_sklearn_pipeline_cross_validate_and_grid_search():
    groups = [i % 4 for i in range(len(TEXTS))]
    pipeline = Pipeline([
        ("strip", FunctionTransformer(lambda texts: [t.strip() for t in texts])),
        ("clf", FrameworkClassifier(min_df=1)),
    ])
    pipeline.fit(TEXTS, LABELS)
    assert pipeline.predict([TEXTS[0]]) == [("labor_force",)]
    scores = cross_validate(FrameworkClassifier(min_df=1), TEXTS, LABELS, groups=groups,
                            cv=GroupKFold(n_splits=4))
    assert len(scores["test_score"]) == 4 and np.all(scores["test_score"] >= 0)
    assert len(cross_validate(DictionaryClassifier(), TEXTS, LABELS, cv=3)["test_score"]) == 3
    search = GridSearchCV(FrameworkClassifier(min_df=1), {"C": [0.1, 10.0]},
                          cv=GroupKFold(n_splits=2))
    search.fit(TEXTS, LABELS, groups=groups)
    assert search.best_params_["C"] in (0.1, 10.0)
    assert search.predict([TEXTS[6]]) == [("tech_innovation",)]


def test_evaluate_and_grouped_cross_validation_on_toy_data(toy_model):
    report = evaluate(toy_model, TEXTS, LABELS)
    assert set(report) >= {"macro_f1", "micro_f1", "exact_match", "per_category", "n"}
    assert set(report["per_category"]) == set(CATS)
    groups = [i % 4 for i in range(len(TEXTS))]
    cv = cross_validate_grouped(DictionaryClassifier(), TEXTS, LABELS, groups, n_splits=4)
    assert cv["n_splits"] == 4 and len(cv["folds"]) == 4
    assert all(len(fold["groups"]) == 1 for fold in cv["folds"])
    with pytest.raises(ValueError, match="5 folds need at least 5 groups"):
        cross_validate_grouped(DictionaryClassifier(), TEXTS, LABELS, groups, n_splits=5)
