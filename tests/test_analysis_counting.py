"""Exact counting rules and term/category frequency tables (own fixtures + real reports)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _trends_corpus import gov_corpus, gov_tokens, raw_reports, simple_tokens
from nqp_text.analysis._inputs import document_layouts, document_texts
from nqp_text.analysis.counting import LongestMatchCounter, count_term, longest_match_reference
from nqp_text.analysis.frequencies import (
    category_frequencies,
    term_frequencies,
    wilson_interval,
)
from nqp_text.corpus import Corpus
from nqp_text.preprocess.normalize import normalize_text
from nqp_text.preprocess.passages import passages_frame
from nqp_text.segment.lexicon import load_lexicon


def _corpus(texts: dict[str, tuple[int, str]], unit: str = "paragraph",
            size: int | None = None) -> Corpus:
    documents, passages = [], []
    for doc_id, (year, text) in texts.items():
        documents.append({"doc_id": doc_id, "year": year, "status": "ok", "title": doc_id})
        passages.append(passages_frame(doc_id, text, year=year, unit=unit, size=size))
    return Corpus(pd.DataFrame(documents), pd.concat(passages, ignore_index=True))


@pytest.fixture()
def lexicon_tsv(tmp_path: Path) -> Path:
    rows = ["term\tweight\tpos\tcategory\tnote",
            "数字经济\t2\tnz\tdigital_economy\ttest",
            "数字经济核心产业\t3\tnz\tindustrial_upgrading\ttest",
            "数据要素\t3\tnz\tfactor_allocation\ttest",
            "要素市场\t2\tnz\tfactor_allocation\ttest",
            "数据\t1\tn\tlabor_object\ttest"]
    path = tmp_path / "lexicon.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gov(gov_reports_jsonl: Path) -> tuple[Corpus, pd.DataFrame, dict[int, str]]:
    corpus = gov_corpus(gov_reports_jsonl)
    return corpus, gov_tokens(gov_reports_jsonl), raw_reports(gov_reports_jsonl)


def test_named_terms_count_every_occurrence_even_inside_longer_terms():
    text = "数字经济核心产业增加值占比提高，数字经济加快发展，数据要素市场"
    assert count_term(text, "数字经济") == 2
    assert count_term(text, "数字经济核心产业") == 1
    assert count_term("AAA", "AA") == 1  # non-overlapping, like str.count
    with pytest.raises(ValueError):
        count_term(text, "")


def test_longest_match_is_leftmost_longest_without_overlaps():
    counter = LongestMatchCounter(["数据", "数据要素", "要素市场", "数字经济", "数字经济核心产业"])
    text = "数字经济核心产业和数字经济，数据要素市场，要素市场"
    assert counter.matches(text)[:2] == [(0, 8, "数字经济核心产业"), (9, 13, "数字经济")]
    assert counter.count(text) == {"数字经济核心产业": 1, "数字经济": 1, "数据要素": 1,
                                   "要素市场": 1}


def test_longest_match_keeps_latin_terms_whole_like_the_segmenter():
    counter = LongestMatchCounter(["AI", "5G", "5G网络", "人工智能+"])
    assert counter.count("MAIL，AI，15G，5G网络，5Gx，人工智能+") == {"AI": 1, "5G网络": 1,
                                                               "人工智能+": 1}
    assert count_term("MAIL，AI", "AI") == 2  # a term asked for by name: every occurrence


def test_longest_match_agrees_with_reference_on_random_vocabularies():
    rng = random.Random(7)
    alphabet = "数据要素a1.*(|"
    for _ in range(2000):
        terms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(1, 8))]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert LongestMatchCounter(terms).count(text) == longest_match_reference(text, terms)


def test_term_table_columns_and_rules(lexicon_tsv: Path):
    corpus = _corpus({"a": (2023, "数字经济核心产业发展。\n数字经济，数据要素市场。"),
                      "b": (2024, "数据要素。\n没有。"),
                      "c": (2024, "数据，数据。")})
    tokens = simple_tokens(corpus)
    named = term_frequencies(corpus, ["数字经济", "数据"], tokens=tokens, lexicon=lexicon_tsv)
    assert list(named.columns[:7]) == ["group", "term", "count", "n_docs", "n_tokens",
                                       "per_10k_tokens", "doc_share"]
    row = named.set_index(["group", "term"])
    assert row.loc[(2023, "数字经济"), "count"] == 2
    assert row.loc[(2024, "数据"), "count"] == 3
    assert row.loc[(2024, "数据"), "n_docs"] == 2
    assert row.loc[(2024, "数据"), "doc_share"] == 1.0
    assert named.attrs["rule"] == "exact"
    lexicon = term_frequencies(corpus, None, tokens=tokens, lexicon=lexicon_tsv).set_index(
        ["group", "term"])
    assert lexicon.loc[(2023, "数字经济核心产业"), "count"] == 1
    assert lexicon.loc[(2023, "数字经济"), "count"] == 1  # the nested one is not counted again
    assert lexicon.loc[(2023, "数据要素"), "count"] == 1
    assert lexicon.loc[(2023, "要素市场"), "count"] == 0  # overlaps 数据要素, which started first
    assert lexicon.loc[(2024, "数据"), "count"] == 2
    n_tokens = lexicon.loc[(2024, "数据"), "n_tokens"]
    assert n_tokens == sum(len(t) for t in tokens["tokens"][tokens["passage_id"].str[0] != "a"])
    normalized = term_frequencies(corpus, ["数据"], normalize="per_10k_tokens", tokens=tokens,
                                  lexicon=lexicon_tsv)
    assert np.allclose(normalized["value"], normalized["count"] / normalized["n_tokens"] * 1e4)
    with pytest.raises(ValueError, match="pass a list"):
        term_frequencies(corpus, "数字经济", tokens=tokens, lexicon=lexicon_tsv)


def test_counts_do_not_depend_on_the_passage_unit(lexicon_tsv: Path):
    text = "发展数字经济核心产业。\n" * 3 + "数据要素市场化配置，数字经济。"
    paragraphs = _corpus({"a": (2024, text)})
    windows = _corpus({"a": (2024, text)}, unit="window", size=5)
    assert document_texts(windows)["a"] == text == document_texts(paragraphs)["a"]
    for terms in (["数字经济", "数据要素"], None):
        a = term_frequencies(paragraphs, terms, tokens=simple_tokens(paragraphs),
                             lexicon=lexicon_tsv)
        b = term_frequencies(windows, terms, tokens=simple_tokens(windows), lexicon=lexicon_tsv)
        pd.testing.assert_series_equal(a["count"], b["count"])
    layout = document_layouts(windows)["a"]
    assert all(layout.text[s:e] == t for s, e, t in zip(
        layout.starts, layout.ends, windows.passages["text"], strict=True))


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(np.array([0, 5, 50]), np.array([10, 50, 50]))
    assert np.allclose(low, [0.0, 0.04347, 0.92865], atol=1e-4)
    assert np.allclose(high, [0.27753, 0.21360, 1.0], atol=1e-4)
    low, high = wilson_interval(0, 0)
    assert np.isnan(low) and np.isnan(high)


def test_wilson_bounds_are_exactly_zero_and_one_at_the_ends():
    # in floating point the formula gives bounds a hair below 0 (k = 0) or above 1 (k = n)
    # for hundreds of n below 3,000, which tables printed as -0.0% and 100.0000000002%
    n = np.arange(1, 3000)
    low, _ = wilson_interval(np.zeros_like(n), n)
    _, high = wilson_interval(n, n)
    assert (low == 0.0).all() and (high == 1.0).all()
    low, high = wilson_interval(np.arange(0, 50), np.full(50, 49))
    assert (low >= 0).all() and (high <= 1).all() and (low <= high).all()


def test_category_shares_use_labels_with_wilson_intervals(lexicon_tsv: Path):
    corpus = _corpus({"a": (2023, "数据要素。\n数字经济核心产业。\n其他。"),
                      "b": (2024, "数据。\n数据要素市场。")})
    labels = pd.DataFrame({"passage_id": corpus.passages["passage_id"],
                           "labels": [["factor_allocation"], ["industrial_upgrading"], [],
                                      ["labor_object"], ["factor_allocation", "labor_object"]]})
    table = category_frequencies(corpus, ["factor_allocation", "labor_object"], labels=labels,
                                 tokens=simple_tokens(corpus), lexicon=lexicon_tsv,
                                 framework=False)
    row = table.set_index(["group", "category"])
    assert row.loc[(2023, "factor_allocation"), "count"] == 1
    assert row.loc[(2024, "labor_object"), "count"] == 1  # 数据 alone; 数据要素 wins in passage 2
    assert row.loc[(2023, "factor_allocation"), "n_passages"] == 3
    assert row.loc[(2024, "labor_object"), "passage_share"] == 1.0
    low, high = wilson_interval(1, 3)
    assert row.loc[(2023, "factor_allocation"), "share_low"] == pytest.approx(low)
    assert row.loc[(2023, "factor_allocation"), "share_high"] == pytest.approx(high)


def _cjk_only(term: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in term)


@pytest.mark.slow
def test_gov_reports_named_term_counts_equal_string_occurrences(gov):
    corpus, tokens, raw = gov
    lexicon = load_lexicon()["term"].astype(str).tolist()
    present = [t for t in lexicon if _cjk_only(t) and any(t in text for text in raw.values())]
    terms = ["新质生产力", "数字经济", "数据要素", *present]
    table = term_frequencies(corpus, terms, by="year", tokens=tokens)
    assert sorted(table["group"].unique()) == sorted(raw)
    # Ingestion cleans the text: it drops zero-width characters (科学\u200b家 in 1957) and
    # rejoins lines broken inside a paragraph, so the by-hand reference for CJK-only terms
    # is the report with whitespace and zero-width characters removed.
    compact = {year: re.sub(r"[\s\u200b-\u200f\u2060-\u2064\ufeff]+", "", text)
               for year, text in raw.items()}
    for (year, term), count in table.set_index(["group", "term"])["count"].items():
        assert count == compact[year].count(term), (year, term)
    for term in ("新质生产力", "数字经济", "数据要素"):
        rows = table[table["term"] == term]
        assert rows["count"].tolist() == [raw[year].count(term) for year in rows["group"]]
    nqp = table[table["term"] == "新质生产力"].set_index("group")["count"]
    assert (nqp[nqp.index < 2024] == 0).all() and nqp.loc[2024] > 0
    digital = table[(table["term"] == "数字经济") & (table["count"] > 0)]
    assert digital["group"].min() == 2017
    # Latin/digit terms are counted in the cleaned text, where ５Ｇ has become 5G and a
    # line break inside a term (PM\n2.5 in 2014) is rejoined
    latin = term_frequencies(corpus, ["5G", "4G", "PM2.5"], by="year", tokens=tokens)
    for (year, term), count in latin.set_index(["group", "term"])["count"].items():
        cleaned = re.sub(r"(?<=[A-Za-z0-9.])\n+(?=[A-Za-z0-9.])", "", normalize_text(raw[year]))
        assert count == cleaned.count(term), (year, term)


@pytest.mark.slow
def test_gov_reports_lexicon_table_follows_longest_match_over_all_terms(gov):
    corpus, tokens, _raw = gov
    lexicon = load_lexicon()["term"].astype(str).tolist()
    table = term_frequencies(corpus, None, by="year", tokens=tokens)
    assert set(table["term"]) == set(lexicon)
    years = corpus.documents.set_index("doc_id")["year"]
    expected = []
    for doc_id, passages in corpus.passages.sort_values("seq").groupby("doc_id"):
        if pd.isna(years[doc_id]):
            continue
        counts = longest_match_reference("\n".join(passages["text"]), lexicon)
        expected += [(int(years[doc_id]), term, counts.get(term, 0)) for term in lexicon]
    expected = pd.DataFrame(expected, columns=["group", "term", "count"]).set_index(
        ["group", "term"])["count"].sort_index()
    got = table.set_index(["group", "term"])["count"].sort_index()
    pd.testing.assert_series_equal(got, expected, check_dtype=False)
    assert got.sum() > 1000


def test_categories_use_framework_keywords_per_document_and_year(gov):
    try:
        from nqp_text.framework import load_framework
    except ImportError:
        pytest.skip("the framework (nqp_text.framework.load_framework) is not available")
    from nqp_text.analysis.vocabulary import category_terms

    framework = load_framework()
    for category in framework.categories:
        assert category_terms(category.id) == list(category.keywords)
    corpus, tokens, _raw = gov
    per_doc = category_frequencies(corpus, by="doc_id", tokens=tokens)
    per_year = category_frequencies(corpus, by="year", tokens=tokens)
    years = corpus.documents.set_index("doc_id")["year"]
    per_doc["year"] = per_doc["group"].map(years)
    summed = per_doc.dropna(subset=["year"]).groupby(["year", "category"])["count"].sum()
    got = per_year.set_index(["group", "category"])["count"]
    assert summed.sort_index().tolist() == got.sort_index().tolist()
    assert list(per_year["category"].unique()) == [c.id for c in framework.categories]


def test_named_counts_without_tokens_do_not_segment(tmp_path: Path):
    # issue 16: token totals need a segmentation; with normalize=None and no tokens
    # there are none, so jieba is never loaded (checked in a fresh interpreter).
    import subprocess
    import sys

    texts = {"a": (2023, "数字经济加快发展。\n数字经济核心产业增加值"),
             "b": (2024, "发展新质生产力，培育数据要素市场。")}
    _corpus(texts).save(tmp_path / "out")
    code = (
        "import sys\n"
        "from nqp_text.corpus import Corpus\n"
        "from nqp_text.analysis.frequencies import term_frequencies\n"
        f"corpus = Corpus.load({str(tmp_path / 'out')!r})\n"
        "table = term_frequencies(corpus, ['数字经济', '新质生产力'], by='year')\n"
        "print(table['count'].tolist(), table['n_tokens'].isna().all(),\n"
        "      table['per_10k_tokens'].isna().all(), 'jieba' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[2,", "0,", "0,", "1]", "True", "True", "False"]


def test_token_totals_only_when_asked_for_and_then_as_before():
    texts = {"a": (2023, "数字经济加快发展。\n数字经济核心产业增加值"),
             "b": (2024, "发展新质生产力，培育数据要素市场。")}
    corpus = _corpus(texts)
    terms = ["数字经济", "新质生产力"]
    plain = term_frequencies(corpus, terms)
    assert plain["n_tokens"].isna().all() and plain["per_10k_tokens"].isna().all()
    tokens = simple_tokens(corpus)
    given = term_frequencies(corpus, terms, tokens=tokens)
    assert (given["n_tokens"] > 0).all()
    shared = ["group", "term", "count", "n_docs", "doc_share", "docs_with_term", "value"]
    pd.testing.assert_frame_equal(plain[shared], given[shared])
    # asking for a normalised measure computes the totals (segmenting now) ...
    per_10k = term_frequencies(corpus, terms, normalize="per_10k_tokens")
    assert per_10k["n_tokens"].dtype == np.int64 and (per_10k["n_tokens"] > 0).all()
    # ... and from given tokens they are the given tokens' totals
    from_tokens = term_frequencies(corpus, terms, normalize="per_10k_tokens", tokens=tokens)
    pd.testing.assert_frame_equal(from_tokens.drop(columns="value"),
                                  given.drop(columns="value"))
