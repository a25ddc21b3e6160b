"""The best-sentence second stage of the FrameworkClassifier (``best_sentence=True``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.persist import load_model, save_model
from nqp_text.errors import OptionError

# Training passages of two sentences: the labelled clause first or second, next to
# an unlabelled one, so a passage's label lives in one of its sentences.
FILLER = ["会议在北京召开。", "全年经济运行总体平稳。", "各项工作取得新进展。"]
PASSAGES = [(f"{text}{FILLER[i % 3]}" if i % 2 else f"{FILLER[i % 3]}{text}", labels)
            for i, (text, labels) in enumerate(zip(TEXTS, LABELS, strict=True))]
TRAIN = [text for text, _ in PASSAGES] + TEXTS
TRAIN_LABELS = [labels for _, labels in PASSAGES] + LABELS


@pytest.fixture(scope="module")
def model():
    return FrameworkClassifier(min_df=1, best_sentence=True).fit(TRAIN, TRAIN_LABELS)


def test_the_stage_weighs_passage_and_best_sentence(model):
    assert model.stage_.shape == (6, 3)
    # Every category has both classes here, so every stage was fitted; the sentence
    # score carries weight of its own in at least most categories.
    assert (model.stage_[:, 1] > 0).sum() >= 4
    assert np.allclose(model.calibration_, np.tile([1.0, 0.0], (6, 1)))
    probes = ["各项工作取得新进展。加快建设全国统一大市场，破除地方保护。",
              "政府要自觉接受人民监督。"]
    scores = model.decision_function(probes)
    np.testing.assert_allclose(model.predict_proba(probes), 1 / (1 + np.exp(-scores)))
    assert model.predict(probes)[0] == ("factor_allocation",)


def test_a_one_sentence_text_is_its_own_best_sentence(model):
    text = "加快建设全国统一大市场。"
    raw = (model.transform([text]) @ model.coef_.T + model.intercept_)[0]
    expected = raw * model.stage_[:, 0] + raw * model.stage_[:, 1] + model.stage_[:, 2]
    np.testing.assert_allclose(model.decision_function([text])[0], expected)


def test_the_stage_survives_saving_and_is_named_only_when_on(model, tmp_path):
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["params"]["best_sentence"] is True
    loaded = load_model(directory)
    probes = ["会议在北京召开。大力培养高技能人才。", "开会。"]
    np.testing.assert_array_equal(loaded.decision_function(probes),
                                  model.decision_function(probes))
    assert loaded.predict(probes) == model.predict(probes)
    plain = FrameworkClassifier(min_df=1, calibration_folds=0).fit(TEXTS, LABELS)
    plain_spec = json.loads((save_model(plain, tmp_path / "p") / "model.json").read_text())
    assert "best_sentence" not in plain_spec["params"]
    assert load_model(tmp_path / "p").stage_ is None


def test_best_sentence_needs_calibration_folds():
    with pytest.raises(OptionError, match="best_sentence needs calibration_folds"):
        FrameworkClassifier(best_sentence=True, calibration_folds=0).fit(TEXTS, LABELS)
