"""A consistent API: every subpackage exports its names (lazily), estimators follow scikit-learn."""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import nqp_text

SUBPACKAGES = ("topics", "io", "viz", "analysis", "preprocess", "classify", "segment",
               "framework", "measures", "pipeline")
HEAVY = ("pandas", "numpy", "gensim", "sklearn", "matplotlib", "pyarrow", "jieba")


def test_the_issue_s_three_imports_work() -> None:
    from nqp_text.io import read_corpus
    from nqp_text.topics import TopicModel
    from nqp_text.viz import build_report

    assert TopicModel is nqp_text.TopicModel
    assert read_corpus is nqp_text.read_corpus
    assert build_report is nqp_text.build_report


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_every_subpackage_exports_its_top_level_names(name: str) -> None:
    package = importlib.import_module(f"nqp_text.{name}")
    exported = set(package.__all__)
    for public, module in nqp_text._EXPORTS.items():
        if module.startswith(f"nqp_text.{name}.") and public not in ("kwic", "keyness"):
            assert public in exported, f"nqp_text.{name} does not export {public}"
            assert getattr(package, public) is getattr(nqp_text, public)
    for public in exported:
        assert getattr(package, public) is not None
    assert exported <= set(dir(package))


def test_importing_the_subpackages_stays_light() -> None:
    # the five packages that had no exports before: importing one imports nothing heavy
    for name in ("topics", "io", "viz", "analysis", "preprocess"):
        code = (f"import sys, nqp_text.{name}\n"
                f"print([m for m in {list(HEAVY)!r} if m in sys.modules])\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=300, check=True)
        assert result.stdout.strip() == "[]", (name, result.stdout)


def test_topic_model_is_a_scikit_learn_estimator() -> None:
    from sklearn.base import BaseEstimator, clone
    from sklearn.exceptions import NotFittedError

    from nqp_text.topics import TopicModel

    model = TopicModel(k=4, random_state=7, min_df=1)
    assert isinstance(model, BaseEstimator)
    params = model.get_params()
    assert params["k"] == 4 and params["random_state"] == 7 and "seed_terms" in params
    twin = clone(model)
    assert twin is not model and twin.get_params() == params
    assert model.set_params(k=5) is model and model.k == 5
    with pytest.raises(ValueError, match="Invalid parameter"):
        model.set_params(topics=3)
    for call in (lambda: model.top_terms(), lambda: model.transform([["创新"]]),
                 lambda: model.document_topics()):
        with pytest.raises(NotFittedError):
            call()


def _tiny_corpus() -> tuple[nqp_text.Corpus, pd.Series]:
    """Ten passages of five dated documents and their tokens (no reading, no segmenting)."""
    words = [["创新", "科技", "研发", "技术"], ["农业", "粮食", "农村", "农民"],
             ["数据", "数字", "市场", "要素"]]
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)],
                              "year": [2021, 2022, 2023, 2024, 2025], "status": ["ok"] * 5})
    passages = pd.DataFrame({"doc_id": [f"d{i // 2}" for i in range(10)],
                             "passage_id": [f"d{i // 2}:{i % 2}" for i in range(10)],
                             "seq": [i % 2 for i in range(10)],
                             "year": [2021 + i // 2 for i in range(10)],
                             "text": ["x"] * 10})
    tokens = pd.Series([words[i % 3] + words[(i + 1) % 3][:2] for i in range(10)],
                       index=passages["passage_id"])
    return nqp_text.Corpus(documents, passages), tokens


def test_seed_is_an_alias_of_random_state_with_the_same_results() -> None:
    from nqp_text.errors import OptionError
    from nqp_text.topics import fit_topics

    corpus, tokens = _tiny_corpus()
    common = dict(k=3, seeded=False, unit="passage", passes=1, iterations=20, min_df=1,
                  max_df=1.0, tokens=tokens)
    by_seed = fit_topics(corpus, seed=3, **common)
    by_state = fit_topics(corpus, random_state=3, **common)
    np.testing.assert_array_equal(by_seed.doc_topics_, by_state.doc_topics_)
    assert by_seed.random_state == by_state.random_state == 3
    assert fit_topics(corpus, **common).random_state == 0  # the default seed is unchanged
    with pytest.raises(OptionError, match="seed is an alias of random_state"):
        fit_topics(corpus, seed=1, random_state=2, **common)


def test_lexicon_expander_follows_the_contract() -> None:
    from sklearn.base import BaseEstimator, clone
    from sklearn.exceptions import NotFittedError

    from nqp_text.analysis import LexiconExpander

    assert isinstance(LexiconExpander(), BaseEstimator)
    with pytest.raises(NotFittedError):
        LexiconExpander().propose({"x": ["创新"]})
    sentences = [["创新", "科技", "研发"], ["农业", "粮食", "农村"], ["创新", "技术", "研发"]] * 20
    small = dict(vector_size=8, min_count=1, epochs=2)
    by_seed = LexiconExpander(seed=5, **small).fit(sentences)
    by_state = clone(LexiconExpander(random_state=5, **small)).fit(sentences)
    np.testing.assert_array_equal(by_seed.model_.wv.vectors, by_state.model_.wv.vectors)
    other = LexiconExpander(random_state=6, **small).fit(sentences)
    assert not np.array_equal(other.model_.wv.vectors, by_seed.model_.wv.vectors)
