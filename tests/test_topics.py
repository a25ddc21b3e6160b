"""LDA topics: reproducibility, seeding, prevalence and coherence (real reports, small fits)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from _trends_corpus import gov_corpus, simple_tokens
from nqp_text.analysis.dtm import document_term_matrix
from nqp_text.topics.coherence import coherence_by_k
from nqp_text.topics.lda import TopicModel, seeded_eta, topic_prevalence


@pytest.fixture(scope="module")
def recent(gov_reports_jsonl: Path):
    """Passages of the reports since 2010: enough text for topics, fast to fit."""
    corpus = gov_corpus(gov_reports_jsonl)
    keep = corpus.documents["year"].fillna(0) >= 2010
    documents = corpus.documents[keep]
    passages = corpus.passages[corpus.passages["doc_id"].isin(documents["doc_id"])]
    from nqp_text.corpus import Corpus

    subset = Corpus(documents, passages)
    return subset, document_term_matrix(subset, tokens=simple_tokens(subset))


SEEDS = {"innovation": ["创新", "科技", "研发", "技术"],
         "agriculture": ["农业", "农村", "农民", "粮食"]}


def _fit(dtm, **params):
    return TopicModel(k=6, passes=2, iterations=50, random_state=0, **params).fit(dtm)


@pytest.mark.slow
def test_same_seed_gives_identical_topics_and_prevalence(recent):
    _corpus, dtm = recent
    first, second = _fit(dtm, seed_terms=SEEDS), _fit(dtm, seed_terms=SEEDS)
    pd.testing.assert_frame_equal(first.top_terms(15), second.top_terms(15))
    pd.testing.assert_frame_equal(first.topic_prevalence("year"),
                                  second.topic_prevalence("year"))
    np.testing.assert_array_equal(first.doc_topics_, second.doc_topics_)
    other = _fit(dtm, seed_terms=SEEDS).set_params(random_state=1).fit(dtm)
    assert not np.array_equal(other.doc_topics_, first.doc_topics_)


def test_seeded_topics_come_first_and_gather_their_seeds(recent):
    _corpus, dtm = recent
    model = _fit(dtm, seed_terms=SEEDS, seed_weight=2.0)
    assert model.labels_[:2] == ["innovation", "agriculture"]
    assert model.labels_[2:] == ["free_1", "free_2", "free_3", "free_4"]
    top = model.top_terms(10)
    for label, seeds in SEEDS.items():
        terms = set(top.loc[top["label"] == label, "term"])
        assert len(terms & set(seeds)) >= 2, (label, terms)
        others = set(top.loc[top["label"] != label, "term"])
        assert not others & set(seeds)


def test_prevalence_is_a_length_weighted_mean_that_sums_to_one(recent):
    _corpus, dtm = recent
    model = _fit(dtm)
    table = topic_prevalence(model, by="year")
    assert list(table.columns) == ["group", "topic", "label", "prevalence", "n_units",
                                   "n_tokens"]
    sums = table.groupby("group")["prevalence"].sum()
    assert np.allclose(sums, 1.0)
    weights = model.document_topics()
    rows = weights[weights["year"] == 2024]
    expected = (rows["topic_3"] * rows["n_tokens"]).sum() / rows["n_tokens"].sum()
    got = table[(table["group"] == 2024) & (table["topic"] == 3)]["prevalence"].item()
    assert got == pytest.approx(expected)
    assert (table[table["group"] == 2024]["n_units"] == len(rows)).all()


def test_prevalence_says_how_many_units_it_leaves_out_for_want_of_a_year(recent):
    _corpus, dtm = recent
    model = _fit(dtm)
    undated = model.rows_["doc_id"] == model.rows_["doc_id"].iloc[0]
    model.rows_.loc[undated, "year"] = np.nan
    with pytest.warns(UserWarning, match=rf"{int(undated.sum())} of {len(undated)} modelled "
                      r"units have no 'year' and are left out .*first documents: "):
        table = model.topic_prevalence("year")
    first_topic = table[table["topic"] == table["topic"].min()]
    assert first_topic["n_units"].sum() == len(undated) - int(undated.sum())


def test_transform_is_deterministic_and_params_round_trip(recent):
    _corpus, dtm = recent
    model = _fit(dtm)
    docs = [["创新", "科技", "研发"], ["农业", "粮食"]]
    np.testing.assert_array_equal(model.transform(docs), model.transform(docs))
    assert model.get_params()["k"] == 6
    with pytest.raises(ValueError, match="Invalid parameter"):
        model.set_params(topics=3)
    with pytest.raises(NotFittedError, match="not fitted"):
        TopicModel().top_terms()


def test_rare_seed_terms_stay_in_the_vocabulary_and_absent_seeds_warn():
    docs = [["创新", "科技", "改革"], ["创新", "科技", "发展"], ["农业", "粮食", "发展"],
            ["创新", "改革", "发展"], ["科技", "改革", "发展"]] * 2
    plain = TopicModel(k=3, passes=1, min_df=3, max_df=1.0).fit(docs)
    assert "农业" not in plain.vocabulary_
    seeded = TopicModel(k=3, passes=1, min_df=3, max_df=1.0,
                        seed_terms={"agri": ["农业"], "none": ["不存在"]})
    with pytest.warns(UserWarning, match="none"):
        seeded.fit(docs)
    assert "农业" in seeded.vocabulary_ and "不存在" not in seeded.vocabulary_
    assert seeded.seed_terms_ == {"agri": ["农业"], "none": []}


def test_seeded_eta_rejects_too_few_topics():
    eta, used = seeded_eta(["数据", "算力"], np.array([3, 1]), 3, {"a": ["数据"]}, 0.1, 1.0)
    assert eta.shape == (3, 2) and used == {"a": ["数据"]}
    assert eta[0, 0] == pytest.approx(0.1 + 4 / 3) and eta[1, 0] == pytest.approx(1e-4)
    with pytest.raises(ValueError, match="no free topic"):
        seeded_eta(["数据"], np.array([1]), 1, {"a": ["数据"]}, 0.1, 1.0)


def test_coherence_over_k_is_reproducible(recent):
    corpus, _dtm = recent
    tokens = simple_tokens(corpus)["tokens"].tolist()[:600]
    first = coherence_by_k(tokens, [3, 5], passes=1, iterations=30, min_df=3)
    second = coherence_by_k(tokens, [3, 5], passes=1, iterations=30, min_df=3)
    pd.testing.assert_frame_equal(first, second)
    assert list(first.columns) == ["k", "c_v", "u_mass"]
    assert ((first["c_v"] > 0) & (first["c_v"] < 1)).all()
    assert (first["u_mass"] < 0).all()


def test_absent_seed_terms_are_a_named_warning_of_the_topics_stage() -> None:
    """Collected as kind ``seed_terms_absent`` (it was a bare UserWarning, recorded by
    ``nqp-text run`` as kind ``python`` of stage ``run``)."""
    from nqp_text.diagnostics import collect
    from nqp_text.topics.lda import TopicModel

    texts = [["市场", "价格", "消费"], ["市场", "消费", "服务"], ["价格", "服务", "市场"]] * 4
    with collect(propagate=False) as found:
        TopicModel(k=2, seed_terms={"tech": ["芯片"]}, min_df=1, max_df=1.0, passes=1,
                   random_state=0).fit(texts)
    said = [d for d in found if d.kind == "seed_terms_absent"]
    assert len(said) == 1 and said[0].stage == "topics" and "tech" in said[0].message
    assert not [d for d in found if d.kind == "python"]


def test_a_topic_of_traditional_script_terms_is_warned_about():
    from nqp_text.topics.quality import topic_warnings, traditional_topics

    terms = pd.DataFrame({"topic": [0] * 4 + [1] * 4,
                          "label": ["factor_allocation"] * 4 + ["free_1"] * 4,
                          "rank": [1, 2, 3, 4] * 2,
                          "term": ["我們", "國家", "發展", "要素",
                                   "数据", "要素", "市场", "国家"]})
    assert traditional_topics(terms) == {"factor_allocation": ["我們", "國家", "發展"]}
    messages = topic_warnings(terms, 0.3, seeded=True)
    assert len(messages) == 1 and "topic factor_allocation is mostly terms in traditional" \
        in messages[0] and "--to-simplified" in messages[0]
    assert topic_warnings(terms[terms["topic"] == 1], 0.3, seeded=True) == []


@pytest.mark.slow
@pytest.mark.shared
def test_converted_state_council_reports_have_no_traditional_topic(shared):
    """The State Council reports read with to_simplified=True: the 1954 report's words join
    the simplified vocabulary, so the run's model (seeded, k 12, seed 0) has no topic of
    traditional-script terms and no warning about one (read as published, the 1954 report
    formed such a topic; docs/guide/topics-regional.md, session 10)."""
    import warnings

    import nqp_text
    from nqp_text.topics.lda import fit_topics
    from nqp_text.topics.quality import topic_warnings, traditional_topics

    corpus = nqp_text.datasets.fetch_gov_work_reports(shared, to_simplified=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_topics(corpus, seed=0)
    top = model.top_terms(10)
    assert traditional_topics(top) == {}
    assert not [m for m in topic_warnings(top, None, seeded=True) if "traditional" in m]
    first = corpus.documents.loc[corpus.documents["year"] == 1954, "doc_id"].item()
    rows = model.rows_
    assert (rows["doc_id"] == first).sum() > 10  # the 1954 report is modelled, as passages
    vocabulary = set(model.vocabulary_)
    assert {"国家", "发展", "工业"} <= vocabulary and not {"國家", "發展", "工業"} & vocabulary
