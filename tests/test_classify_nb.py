"""NB-LR in the FrameworkClassifier (``nb_alpha > 0``): naive-Bayes-scaled TF-IDF columns."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from _classify_data import LABELS, TEXTS
from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.persist import load_model, save_model
from nqp_text.errors import OptionError

PROBES = ["大力培养高技能人才，完善职业教育体系。", "召开全体会议。", "加快建设全国统一大市场。"]


@pytest.fixture(scope="module")
def model():
    return FrameworkClassifier(min_df=1, nb_alpha=1.0, sentence_weight=0,
                               calibration_folds=0).fit(TEXTS, LABELS)


def test_coefficients_are_the_regression_on_ratio_scaled_columns(model):
    """An independent NB-LR: the documented ratio computed here, sklearn's regression on
    the scaled features; the model's coef_ is its weights times the ratio."""
    features = model.transform(TEXTS)
    truth = model.label_matrix(LABELS)
    n_tfidf = len(model.word_space_.vocabulary_) + len(model.char_space_.vocabulary_)
    dense = features.toarray()
    for j in range(truth.shape[1]):
        positive = truth[:, j] == 1
        p = dense[positive, :n_tfidf].sum(axis=0) + 1.0
        q = dense[~positive, :n_tfidf].sum(axis=0) + 1.0
        ratio = np.concatenate([np.log(p / p.sum()) - np.log(q / q.sum()),
                                np.ones(dense.shape[1] - n_tfidf)])
        reference = LogisticRegression(C=model.C, class_weight="balanced", solver="liblinear",
                                       dual=True, max_iter=1000, random_state=0)
        reference.fit(features @ sparse.diags(ratio), truth[:, j])
        np.testing.assert_allclose(model.coef_[j], reference.coef_[0] * ratio,
                                   rtol=1e-6, atol=1e-6)
    # Prediction is the ordinary linear score on the unscaled features.
    np.testing.assert_allclose(model.decision_function(PROBES),
                               model.transform(PROBES) @ model.coef_.T + model.intercept_)


def test_nb_changes_the_model_but_learns_the_labels(model):
    plain = FrameworkClassifier(min_df=1, sentence_weight=0, calibration_folds=0).fit(TEXTS,
                                                                                      LABELS)
    assert not np.allclose(plain.coef_, model.coef_)
    assert model.predict(TEXTS) == [tuple(sorted(labels, key=model.categories_.index))
                                    for labels in LABELS]


def test_nb_survives_saving_and_is_named_only_when_on(tmp_path):
    fitted = FrameworkClassifier(min_df=1, nb_alpha=0.5).fit(TEXTS, LABELS)
    directory = save_model(fitted, tmp_path / "nb")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["params"]["nb_alpha"] == 0.5
    loaded = load_model(directory)
    assert loaded.nb_alpha == 0.5
    np.testing.assert_array_equal(loaded.predict_proba(PROBES), fitted.predict_proba(PROBES))
    assert loaded.predict(PROBES) == fitted.predict(PROBES)
    again = save_model(FrameworkClassifier(min_df=1, nb_alpha=0.5).fit(TEXTS, LABELS),
                       tmp_path / "again")
    assert (again / "arrays.npz").read_bytes() == (directory / "arrays.npz").read_bytes()
    plain = FrameworkClassifier(min_df=1, calibration_folds=0).fit(TEXTS, LABELS)
    plain_spec = json.loads((save_model(plain, tmp_path / "p") / "model.json").read_text())
    assert "nb_alpha" not in plain_spec["params"]
    assert load_model(tmp_path / "p").nb_alpha == 0.0


def test_nb_alpha_must_not_be_negative():
    with pytest.raises(OptionError, match="nb_alpha must be >= 0"):
        FrameworkClassifier(nb_alpha=-1.0).fit(TEXTS, LABELS)
