"""Tables reduced from per-document entries equal the in-memory functions on the whole corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from _pipeline_corpus import write_corpus, write_gov_subset
from nqp_text.analysis.dtm import document_term_matrix
from nqp_text.analysis.frequencies import category_frequencies, term_frequencies
from nqp_text.analysis.keyness import keyness
from nqp_text.classify.persist import load_model
from nqp_text.classify.run import classify_passages
from nqp_text.corpus import Corpus
from nqp_text.pipeline import run_pipeline
from nqp_text.pipeline.topics import StreamingDTM, unit_rows
from nqp_text.pipeline.trends import TrendsReducer
from nqp_text.topics.lda import fit_topics
from nqp_text.viz.report_tables import focus_terms, report_periods

pytestmark = pytest.mark.slow  # every test here takes > 5 s on 2 cores (shared fixtures)


@pytest.fixture(scope="module")
def results(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("aggregates")
    inputs = [write_corpus(folder / "corpus"), write_gov_subset(shared, folder / "gov", 6)]
    out = folder / "results"
    manifest = run_pipeline(inputs, out, progress=False, workers=2)
    assert manifest["stages"]["topics"]["computed"] == 1
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.attrs = {}
    return frame


def _whole(results: Path) -> tuple[Corpus, pd.DataFrame]:
    return Corpus.load(results), pd.read_parquet(results / "tokens.parquet")


def test_lexicon_trends_equal_term_frequencies(results: Path) -> None:
    corpus, tokens = _whole(results)
    expected = term_frequencies(corpus, None, by="year", tokens=tokens)
    reduced = pd.read_parquet(results / "trends_lexicon.parquet")
    pd.testing.assert_frame_equal(reduced, _plain(expected))
    assert reduced["count"].sum() > 0
    assert sorted(reduced["group"].unique()) == list(range(2019, 2026))


def test_labels_equal_classify_passages_on_the_whole_corpus(results: Path) -> None:
    corpus, _ = _whole(results)
    expected = classify_passages(corpus.passages, load_model("default"))
    labels = pd.read_parquet(results / "labels.parquet")
    assert labels["labels"].map(len).sum() > 0
    pd.testing.assert_frame_equal(labels.assign(labels=labels["labels"].map(list)),
                                  expected.assign(labels=expected["labels"].map(list)))


def test_category_trends_equal_category_frequencies(results: Path) -> None:
    corpus, tokens = _whole(results)
    labels = pd.read_parquet(results / "labels.parquet")
    expected = category_frequencies(corpus, by="year", labels=labels, tokens=tokens)
    reduced = pd.read_parquet(results / "category_trends.parquet")
    pd.testing.assert_frame_equal(reduced, _plain(expected))
    assert reduced["n_labelled"].sum() > 0 and reduced["passage_share"].notna().all()


def test_report_tables_equal_the_in_memory_functions(results: Path) -> None:
    corpus, tokens = _whole(results)
    expected = term_frequencies(corpus, focus_terms(), by="year", normalize="per_10k_tokens",
                                tokens=tokens)
    focus = pd.read_parquet(results / "trends_focus_terms.parquet")
    pd.testing.assert_frame_equal(focus, _plain(expected))
    assert focus["count"].sum() > 0

    periods = report_periods(corpus.documents["year"])
    assert periods == ((2021, 2025), (2016, 2020))
    expected = keyness(corpus, *periods, tokens=tokens)
    table = pd.read_parquet(results / "keyness_last_periods.parquet")
    assert set(table["target"]) == {"2021-2025"} and set(table["reference"]) == {"2016-2020"}
    pd.testing.assert_frame_equal(table.drop(columns=["target", "reference"]), _plain(expected))
    assert len(table) > 0

    lengths = pd.read_parquet(results / "document_lengths.parquet")
    n_tokens = tokens["tokens"].map(len).groupby(
        corpus.passages["doc_id"].astype(str).to_numpy()).sum()
    n_passages = corpus.passages.groupby("doc_id").size()
    ok = corpus.documents[corpus.documents["status"] == "ok"]
    assert lengths["doc_id"].tolist() == ok["doc_id"].tolist()
    assert lengths["year"].tolist() == ok["year"].tolist()
    assert lengths["n_tokens"].tolist() == n_tokens.reindex(lengths["doc_id"]).tolist()
    assert lengths["n_passages"].tolist() == n_passages.reindex(lengths["doc_id"]).tolist()


def test_topic_tables_equal_a_model_fitted_in_memory(results: Path) -> None:
    corpus, tokens = _whole(results)
    model = fit_topics(corpus, tokens=tokens, seed=0)  # the defaults run and API share
    summary = json.loads((results / "topic_model.json").read_text("utf-8"))
    assert (summary["unit"], summary["unit_reason"]) == (model.unit_, model.unit_reason_)
    assert summary["place_terms_removed"] == len(model.place_terms_)
    pd.testing.assert_frame_equal(pd.read_parquet(results / "topic_terms.parquet"),
                                  model.top_terms(15))
    pd.testing.assert_frame_equal(pd.read_parquet(results / "topic_prevalence.parquet"),
                                  model.topic_prevalence("year"))
    pd.testing.assert_frame_equal(pd.read_parquet(results / "document_topics.parquet"),
                                  model.document_topics())


@pytest.mark.parametrize("unit", ["passage", "document"])
def test_streaming_dtm_equals_document_term_matrix(results: Path, unit: str) -> None:
    corpus, tokens = _whole(results)
    expected = document_term_matrix(corpus, unit=unit, tokens=tokens)
    builder = StreamingDTM()
    lists = dict(zip(tokens["passage_id"], tokens["tokens"], strict=True))
    documents = corpus.documents
    for doc_id, passages in corpus.passages.groupby("doc_id", sort=False):
        row = documents[documents["doc_id"] == doc_id].iloc[0].to_dict()
        token_lists = [list(lists[p]) for p in passages["passage_id"]]
        if unit == "document":
            token_lists = [[t for tokens in token_lists for t in tokens]]
        builder.add(unit_rows(unit, passages, row), token_lists)
    built = builder.build(dict(documents.dtypes),
                          sort_by="doc_id" if unit == "document" else None)
    assert built.vocabulary == expected.vocabulary
    assert (built.matrix != expected.matrix).nnz == 0
    pd.testing.assert_frame_equal(built.rows, expected.rows)


def test_reducer_counts_documents_and_shares_by_hand() -> None:
    reducer = TrendsReducer(["数据要素", "算力"], {"factor_allocation": ["数据要素"],
                                                 "labor_means": ["算力"]})
    reducer.add(2024, {"数据要素": 2}, n_tokens=100, n_passages=4,
                n_labelled={"factor_allocation": 1})
    reducer.add(2024, {"数据要素": 1, "算力": 3}, n_tokens=300, n_passages=6,
                n_labelled={"labor_means": 2})
    reducer.add(2023, {}, n_tokens=50, n_passages=2, n_labelled={})
    terms = reducer.term_table()
    row = terms[(terms["group"] == 2024) & (terms["term"] == "数据要素")].iloc[0]
    assert (row["count"], row["docs_with_term"], row["n_docs"], row["n_tokens"]) == (3, 2, 2,
                                                                                     400)
    assert row["per_10k_tokens"] == pytest.approx(75.0) and row["doc_share"] == 1.0
    assert terms["group"].tolist() == [2023, 2023, 2024, 2024]
    categories = reducer.category_table().set_index(["group", "category"])
    share = categories.loc[(2024, "labor_means")]
    assert (share["count"], share["n_passages"], share["n_labelled"]) == (3, 10, 2)
    assert share["passage_share"] == pytest.approx(0.2)
    assert share["share_low"] < 0.2 < share["share_high"]
