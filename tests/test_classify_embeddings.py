"""Word vectors: reproducible training, pickle-free files, a model that carries them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import FrameworkClassifier, ModelError
from nqp_text.classify.embeddings import WordVectors, train_word_vectors
from nqp_text.classify.labels import cap_labels
from nqp_text.classify.persist import VECTOR_FILES, load_model, save_model
from nqp_text.segment import Segmenter


@pytest.fixture(scope="module")
def tokens():
    segmenter = Segmenter()
    return [[t for t in segmenter.cut(text) if segmenter.keep(t)] for text in TEXTS * 8]


@pytest.fixture(scope="module")
def vectors(tokens):
    return train_word_vectors(tokens, dim=8, min_count=2, epochs=2, seed=0)


def test_training_is_reproducible_and_seeded(tokens, vectors):
    again = train_word_vectors(tokens, dim=8, min_count=2, epochs=2, seed=0)
    assert again.words == vectors.words and again.npy_bytes() == vectors.npy_bytes()
    other = train_word_vectors(tokens, dim=8, min_count=2, epochs=2, seed=1)
    assert other.npy_bytes() != vectors.npy_bytes()
    capped = train_word_vectors(tokens, dim=8, min_count=2, epochs=1, max_vocab=10)
    assert len(capped.words) <= 10
    with pytest.raises(ValueError, match="no tokens"):
        train_word_vectors([[], []])


def test_files_round_trip_without_pickle(vectors, tmp_path):
    vectors.info = {"command": "test", "corpus": []}
    paths = vectors.save(tmp_path / "wv")
    assert [p.name for p in paths] == list(VECTOR_FILES)
    np.load(paths[0], allow_pickle=False)
    loaded = WordVectors.load(tmp_path / "wv")
    assert loaded.words == vectors.words and loaded.info == {"command": "test", "corpus": []}
    assert np.array_equal(loaded.mean([TEXTS[:1]]), vectors.mean([TEXTS[:1]]))
    (tmp_path / "wv" / "word_vectors.tsv").write_text("term\tn\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"wv: word_vectors.tsv must start with"):
        WordVectors.load(tmp_path / "wv")
    with pytest.raises(FileNotFoundError, match="not a word-vector folder"):
        WordVectors.load(tmp_path)


def test_mean_is_the_normalised_average_of_known_tokens(vectors):
    word = vectors.words[0]
    rows = vectors.mean([[word], [word, "没有这个词"], ["没有这个词"]])
    unit = vectors.vectors[0] / np.linalg.norm(vectors.vectors[0])
    assert np.allclose(rows[0], unit) and np.allclose(rows[1], unit)
    assert not rows[2].any()


def test_a_model_with_vectors_saves_and_loads_them(vectors, tmp_path):
    plain = FrameworkClassifier(min_df=1, calibration_folds=0).fit(TEXTS * 2, LABELS * 2)
    model = FrameworkClassifier(min_df=1, calibration_folds=0,
                                word_vectors=vectors).fit(TEXTS * 2, LABELS * 2)
    assert model.n_features_ == plain.n_features_ + vectors.dim
    directory = save_model(model, tmp_path / "m", {"seed": 0})
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert set(VECTOR_FILES) <= set(manifest["files"])
    loaded = load_model(directory)
    assert np.array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))
    again = save_model(loaded, tmp_path / "again", {"seed": 0})
    for name in manifest["files"]:
        assert (again / name).read_bytes() == (directory / name).read_bytes(), name
    data = bytearray((directory / "word_vectors.npy").read_bytes())
    data[-3] ^= 0x01
    (directory / "word_vectors.npy").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="word_vectors.npy: sha256"):
        load_model(directory)


def test_a_model_trained_from_a_folder_of_vectors(vectors, tmp_path):
    vectors.save(tmp_path / "wv")
    model = FrameworkClassifier(min_df=1, calibration_folds=0,
                                word_vectors=tmp_path / "wv").fit(TEXTS, LABELS)
    assert model.word_vectors_.words == vectors.words


def test_per_category_thresholds_are_chosen_saved_and_used(tmp_path):
    model = FrameworkClassifier(min_df=1, calibration_folds=3,
                                category_thresholds=True).fit(TEXTS * 2, LABELS * 2)
    assert model.thresholds_.shape == (6,)
    assert set(model.thresholds_.round(2).tolist()) <= {round(0.2 + 0.05 * i, 2)
                                                        for i in range(13)}
    loaded = load_model(save_model(model, tmp_path / "m", {"seed": 0}))
    assert np.array_equal(loaded.thresholds_, model.thresholds_)
    assert loaded.predict(TEXTS) == model.predict(TEXTS)
    logits = model.decision_function(TEXTS)
    expected = cap_labels(logits >= np.log(model.thresholds_ / (1 - model.thresholds_)), logits)
    assert model.predict(TEXTS) == [tuple(c for c, on in zip(model.categories_, row,
                                                            strict=True) if on)
                                    for row in expected]
    with pytest.raises(ValueError, match="category_thresholds needs calibration_folds"):
        FrameworkClassifier(calibration_folds=0, category_thresholds=True).fit(TEXTS, LABELS)


def test_vector_weight_scales_the_vector_block_and_is_saved(vectors, tmp_path):
    one = FrameworkClassifier(min_df=1, calibration_folds=0, word_vectors=vectors,
                              vector_weight=1.0).fit(TEXTS * 2, LABELS * 2)
    three = FrameworkClassifier(min_df=1, calibration_folds=0, word_vectors=vectors,
                                vector_weight=3.0).fit(TEXTS * 2, LABELS * 2)
    block_one = one.transform(TEXTS).toarray()[:, -vectors.dim:]
    block_three = three.transform(TEXTS).toarray()[:, -vectors.dim:]
    assert block_one.any() and np.allclose(block_three, 3.0 * block_one)
    assert np.array_equal(three.transform(TEXTS).toarray()[:, :-vectors.dim],
                          one.transform(TEXTS).toarray()[:, :-vectors.dim])
    loaded = load_model(save_model(three, tmp_path / "m", {"seed": 0}))
    assert loaded.vector_weight == 3.0
    assert np.array_equal(loaded.decision_function(TEXTS), three.decision_function(TEXTS))
    with pytest.raises(ValueError, match="vector_weight must be > 0"):
        FrameworkClassifier(word_vectors=vectors, vector_weight=0).fit(TEXTS, LABELS)
