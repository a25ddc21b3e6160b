"""DTM, KWIC, keyness, emerging terms, phrase discovery and Word2Vec expansion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _trends_corpus import gov_corpus, gov_tokens
from nqp_text.analysis.counting import count_term
from nqp_text.analysis.dtm import document_term_matrix, dtm_from_tokens
from nqp_text.analysis.expansion import LexiconExpander
from nqp_text.analysis.keyness import emerging_terms, keyness, keyness_scores, parse_years
from nqp_text.analysis.kwic import kwic
from nqp_text.analysis.phrases import discover_phrases
from nqp_text.corpus import Corpus

TOY_TOKENS = pd.DataFrame({"passage_id": ["a:0", "a:1", "b:0"],
                           "tokens": [["数据", "要素", "数据"], ["算力"], ["数据", "人才"]]})


def _toy() -> Corpus:
    documents = pd.DataFrame({"doc_id": ["a", "b"], "year": [2023, 2024], "status": ["ok", "ok"],
                              "source": ["gov", "firm"]})
    passages = pd.DataFrame({"doc_id": ["a", "a", "b"], "passage_id": ["a:0", "a:1", "b:0"],
                             "seq": [0, 1, 0], "year": [2023, 2023, 2024],
                             "text": ["数据要素数据", "算力", "数据人才"], "start": [0, 7, 0],
                             "end": [6, 9, 4]})
    return Corpus(documents, passages)


@pytest.fixture(scope="module")
def gov(gov_reports_jsonl: Path) -> tuple[Corpus, pd.DataFrame]:
    return gov_corpus(gov_reports_jsonl), gov_tokens(gov_reports_jsonl)


def test_dtm_counts_groups_and_exports():
    dtm = document_term_matrix(_toy(), tokens=TOY_TOKENS)
    assert dtm.vocabulary == sorted(["数据", "要素", "算力", "人才"])
    dense = pd.DataFrame(dtm.matrix.toarray(), columns=dtm.vocabulary,
                         index=dtm.rows["passage_id"])
    assert dense.loc["a:0", "数据"] == 2 and dense.loc["b:0", "人才"] == 1
    assert set(dtm.rows.columns) >= {"passage_id", "doc_id", "year", "source"}
    by_source = dtm.group_by("source")
    assert by_source.rows["source"].tolist() == ["firm", "gov"]
    assert by_source.matrix.toarray()[1].sum() == 4
    documents = document_term_matrix(_toy(), unit="document", tokens=TOY_TOKENS, by="year")
    assert documents.rows["year"].tolist() == [2023, 2024]
    assert documents.n_tokens.tolist() == [4, 2]
    filtered = document_term_matrix(_toy(), tokens=TOY_TOKENS, min_df=2)
    assert filtered.vocabulary == ["数据"]
    assert document_term_matrix(_toy(), tokens=TOY_TOKENS, max_df=0.4).vocabulary == \
        sorted(["要素", "算力", "人才"])
    matrix, vocabulary = dtm.to_sklearn()
    assert matrix.shape == (3, 4) and vocabulary["数据"] == dtm.vocabulary.index("数据")
    dictionary, bow = dtm.to_gensim()
    assert dictionary.token2id == vocabulary
    assert dictionary[vocabulary["算力"]] == "算力"
    assert dictionary.doc2bow(["数据", "数据", "要素"]) == bow[0]
    assert dictionary.dfs[vocabulary["数据"]] == 2
    tidy = dtm.to_frame()
    assert tidy["count"].sum() == 6 and list(tidy.columns) == ["passage_id", "term", "count"]
    with pytest.raises(KeyError, match="cannot group"):
        dtm.group_by("region")
    undated = Corpus(_toy().documents.assign(year=pd.array([2023, None], dtype="Int64")),
                     _toy().passages)
    with pytest.warns(UserWarning, match=r"1 of 2 rows have no 'year' .* \(first: b\)"):
        by_year = document_term_matrix(undated, unit="document", tokens=TOY_TOKENS, by="year")
    assert by_year.rows["year"].tolist() == [2023]
    with pytest.raises(ValueError, match="min_df"):
        dtm.filter(min_df=-1)


def test_dtm_works_with_sklearn_and_gensim_models():
    from gensim.models import TfidfModel
    from sklearn.feature_extraction.text import TfidfTransformer

    dtm = dtm_from_tokens([["数据", "要素"], ["数据", "算力"], ["人才"]])
    weights = TfidfTransformer().fit_transform(dtm.to_sklearn()[0])
    assert weights.shape == (3, 4)
    dictionary, bow = dtm.to_gensim()
    assert len(TfidfModel(bow, id2word=dictionary)[bow[0]]) == 2


def test_kwic_rows_match_exact_counts_and_offsets(gov):
    corpus, _tokens = gov
    hits = kwic(corpus, "数字经济", window=12)
    texts = corpus.passages.sort_values("seq").groupby("doc_id")["text"].apply("\n".join)
    assert len(hits) == sum(count_term(text, "数字经济") for text in texts)
    assert (hits["match"] == "数字经济").all()
    assert hits["year"].min() == 2017
    passages = corpus.passages.set_index("passage_id")
    for row in hits.itertuples():
        passage = passages.loc[row.passage_id]
        assert passage["start"] <= row.start < passage["end"]
        assert passage["text"][row.start - passage["start"]:][:4] == "数字经济"
        assert len(row.left) <= 12 and len(row.right) <= 12
    regex = kwic(corpus, r"数据(要素|资源)", regex=True)
    assert set(regex["match"]) <= {"数据要素", "数据资源"} and len(regex) > 0
    with pytest.raises(ValueError, match="regular expression"):
        kwic(corpus, "(", regex=True)


def test_keyness_scores_match_hand_computation():
    a, b, n1, n2 = 30, 10, 10_000, 20_000
    table = keyness_scores(np.array([a]), np.array([b]), n1, n2)
    observed = np.array([[a, b], [n1 - a, n2 - b]], dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    assert table["g2"].item() == pytest.approx(2 * (observed * np.log(observed / expected)).sum())
    assert table["chi2"].item() == pytest.approx(((observed - expected) ** 2 / expected).sum())
    assert table["log_ratio"].item() == pytest.approx(np.log2((a / n1) / (b / n2)))
    zero = keyness_scores(np.array([4]), np.array([0]), 100, 100)
    assert zero["log_ratio"].item() == pytest.approx(np.log2(4 / 0.5))
    assert parse_years("2016-2020") == (2016, 2020) and parse_years(2024) == (2024, 2024)
    with pytest.raises(ValueError):
        parse_years("recent")


def test_keyness_on_reports_with_ranges_and_masks(gov):
    corpus, tokens = gov
    table = keyness(corpus, "2021-2025", "2016-2020", tokens=tokens)
    assert list(table.columns) == ["term", "target_count", "reference_count", "target_per_10k",
                                   "reference_per_10k", "g2", "chi2", "p_value", "log_ratio"]
    assert table["g2"].is_monotonic_decreasing
    top = table.head(40)
    assert "疫情" in set(top.loc[top["log_ratio"] > 0, "term"])
    years = corpus.documents["year"]
    mask = (years >= 2021) & (years <= 2025)
    reference = ((years >= 2016) & (years <= 2020)).fillna(False).tolist()
    by_mask = keyness(corpus, mask.fillna(False), reference, tokens=tokens)
    pd.testing.assert_frame_equal(table, by_mask)
    assert table.attrs["target_documents"] == 5
    with pytest.raises(ValueError, match="share"):
        keyness(corpus, "2020-2025", "2016-2022", tokens=tokens)


def test_emerging_terms_first_year_and_growth(gov):
    corpus, tokens = gov
    table = emerging_terms(corpus, ["新质生产力", "数字经济", "改革"], tokens=tokens,
                           min_count=1).set_index("term")
    assert table.loc["数字经济", "first_year"] == 2017
    assert table.loc["新质生产力", "first_year"] == 2024
    assert table.loc["新质生产力", "new"]
    assert table.loc["新质生产力", "growth"] > table.loc["改革", "growth"]
    lexicon = emerging_terms(corpus, tokens=tokens)
    assert lexicon["growth"].is_monotonic_decreasing


def test_emerging_terms_says_which_period_is_empty_and_the_years_there_are():
    with pytest.raises(ValueError, match=r"the early period 2018-2022 has no tokens \(year values "
                       r"in it: none; the documents have 2023, 2024\): pass early= and late="):
        emerging_terms(_toy(), ["数据"], tokens=TOY_TOKENS)


def test_phrase_discovery_ranks_a_sticky_free_string_first():
    texts = ["推进链长制落地。实行链长制，完善链长制。链长制见效。"] * 4
    table = discover_phrases(texts, min_count=3, min_pmi=0, min_entropy=0.5, lexicon=[])
    assert table["candidate"].iloc[0] == "链长制"
    row = table.iloc[0]
    assert row["count"] == 16 and row["left_entropy"] > 1 and row["right_entropy"] > 1
    assert "长制" not in set(table["candidate"])  # always preceded by 链: no left freedom
    known = discover_phrases(texts, min_count=3, min_pmi=0, min_entropy=0.5, lexicon=["链长制"])
    assert "链长制" not in set(known["candidate"])
    sentence = "各地培育链长制试点企业。链长制试点企业发展良好，推广链长制试点企业经验。"
    tokens = discover_phrases([sentence] * 4, unit="token", min_count=3, min_pmi=0,
                              min_entropy=1.0, lexicon=[])
    assert tokens["candidate"].tolist() == ["链长制试点企业"]  # Segmenter tokens joined


def test_phrase_discovery_on_reports_proposes_terms_missing_from_the_lexicon(gov):
    from nqp_text.analysis.vocabulary import lexicon_table

    corpus, _tokens = gov
    recent = corpus.passages[corpus.passages["year"].fillna(0) >= 2015]
    table = discover_phrases(recent["text"].tolist(), min_count=5, top=50)
    assert len(table) == 50
    assert not set(table["candidate"]) & set(lexicon_table()["term"])
    assert table["score"].is_monotonic_decreasing
    assert (table["count"] >= 5).all()


_W2V_SCRIPT = """
import sys
import pandas as pd
from nqp_text.analysis.expansion import LexiconExpander
tokens = pd.read_parquet(sys.argv[1])["tokens"].map(list).tolist()
expander = LexiconExpander(vector_size=32, epochs=3, min_count=3, seed=0).fit(tokens)
table = expander.propose({"tech": ["创新", "科技创新", "研发"]}, topn=10)
print(table.to_csv(index=False))
"""


@pytest.mark.slow
def test_word2vec_expansion_is_reproducible_across_processes(gov, tmp_path: Path):
    _corpus, tokens = gov
    subset = tokens.iloc[::4].reset_index(drop=True)
    path = tmp_path / "tokens.parquet"
    subset.to_parquet(path)
    outputs = []
    for hash_seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-c", _W2V_SCRIPT, str(path)], check=True,
                                capture_output=True, text=True,
                                env={"PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin"})
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    table = pd.read_csv(pd.io.common.StringIO(outputs[0]))
    assert len(table) == 10 and table["similarity"].is_monotonic_decreasing
    assert not set(table["candidate"]) & {"创新", "科技创新", "研发"}
    expander = LexiconExpander(vector_size=32, epochs=3, min_count=3).fit(
        subset["tokens"].tolist())
    assert expander.propose({"none": ["不存在的词"]}).empty


def test_tokens_file_with_punctuation_warns(tmp_path: Path):
    from nqp_text.analysis._inputs import read_tokens

    path = tmp_path / "tokens.parquet"
    pd.DataFrame({"passage_id": ["a:0"], "tokens": [["数据", "，", "要素", "。"]]}).to_parquet(path)
    with pytest.warns(UserWarning, match="--all-tokens"):
        tokens = read_tokens(path)
    assert tokens.loc["a:0"] == ["数据", "，", "要素", "。"]
    with pytest.raises(FileNotFoundError, match="nqp-text segment"):
        read_tokens(tmp_path / "missing.parquet")


def test_bow_corpus_streams_the_rows_a_list_would_hold():
    import numpy as np
    import scipy.sparse as sp
    from gensim.models import LdaModel

    from nqp_text.analysis.dtm import BowCorpus

    rng = np.random.default_rng(3)
    dense = rng.poisson(0.3, size=(2600, 40)) * (rng.random((2600, 40)) < 0.5)
    dense[5] = 0  # an empty row
    matrix = sp.csr_matrix(dense)
    corpus = BowCorpus(matrix)
    expected = [[(int(j), int(dense[i, j])) for j in np.flatnonzero(dense[i])]
                for i in range(dense.shape[0])]
    assert len(corpus) == 2600 and list(corpus) == expected and list(corpus) == expected
    assert corpus[5] == [] and corpus[-1] == expected[-1] and corpus[10:13] == expected[10:13]
    with pytest.raises(IndexError):
        corpus[2600]
    trained = [LdaModel(data, num_topics=3, passes=2, random_state=np.random.RandomState(0),
                        dtype=np.float64).get_topics() for data in (corpus, expected)]
    assert np.array_equal(trained[0], trained[1])


def test_keyness_says_when_its_default_reference_holds_undated_documents():
    documents = _toy().documents.assign(year=pd.array([2023, None], dtype="Int64"))
    undated = Corpus(documents, _toy().passages)
    with pytest.warns(UserWarning, match=r"the reference .* includes 1 document\(s\) without a "
                      r"'year' \(first: b\)"):
        table = keyness(undated, target=2023, tokens=TOY_TOKENS, min_count=1)
    assert table.attrs["reference_documents"] == 1
