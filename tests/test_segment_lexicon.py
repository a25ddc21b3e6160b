"""The shipped lexicon and word lists: well-formed, no duplicates, categories known."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nqp_text.segment.lexicon import (
    FRAMEWORK_CATEGORIES,
    LEXICON_COLUMNS,
    OTHER_GROUPS,
    data_path,
    load_guards,
    load_lexicon,
    load_wordlist,
)


def test_shipped_lexicon_is_well_formed() -> None:
    lexicon = load_lexicon()
    assert list(lexicon.columns) == list(LEXICON_COLUMNS)
    assert len(lexicon) >= 600
    assert lexicon["term"].is_unique
    assert set(lexicon["category"]) <= set(FRAMEWORK_CATEGORIES) | set(OTHER_GROUPS)
    for category in FRAMEWORK_CATEGORIES:
        assert (lexicon["category"] == category).sum() >= 20, category
    assert (lexicon["weight"] > 0).all()
    assert lexicon["note"].str.len().min() > 0


def test_raw_file_rows_have_five_fields_and_unique_terms() -> None:
    lines = data_path("lexicon.tsv").read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split("\t")) == LEXICON_COLUMNS
    terms = [line.split("\t")[0] for line in lines[1:]]
    assert all(len(line.split("\t")) == 5 for line in lines[1:])
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize(("term", "category"), [
    ("新质生产力", "productivity_core"), ("全要素生产率", "productivity_core"),
    ("数据确权", "factor_allocation"), ("全国统一大市场", "factor_allocation"),
    ("数据资源", "labor_object"), ("算力", "labor_means"), ("5G", "labor_means"),
    ("工业互联网", "labor_means"), ("大国工匠", "labor_force"), ("数字素养", "labor_force"),
    ("脑机接口", "tech_innovation"), ("生成式人工智能", "tech_innovation"),
    ("未来产业", "industrial_upgrading"), ("低空经济", "industrial_upgrading"),
    ("6G", "industrial_upgrading"), ("数字经济", "digital_economy"),
    ("营商环境", "institutions"), ("碳达峰", "green_development"),
])
def test_key_terms_are_in_their_category(term: str, category: str) -> None:
    lexicon = load_lexicon().set_index("term")
    assert lexicon.loc[term, "category"] == category


def test_stopwords_and_policy_verbs_do_not_hide_lexicon_terms() -> None:
    terms = set(load_lexicon()["term"])
    stopwords = load_wordlist(data_path("stopwords.txt"))
    verbs = load_wordlist(data_path("policy_verbs.txt"))
    assert len(stopwords) > 300 and {"的", "了", "和"} <= set(stopwords)
    assert {"加快", "推进", "加强", "深化", "完善"} <= set(verbs)
    assert not terms & set(stopwords)
    assert not terms & set(verbs)


@pytest.mark.parametrize(("body", "message"), [
    ("新质生产力\t3\tnz\tproductivity_core\tx\n新质生产力\t2\tnz\tproductivity_core\ty\n",
     "duplicate term"),
    ("新质生产力\t3\tnz\tproductivity_core\n", "expected 5"),
    ("新质生产力\tx\tnz\tproductivity_core\tn\n", "not a number"),
    ("新质生产力\t0\tnz\tproductivity_core\tn\n", "positive"),
    ("新质生产力\t1\tNZ\tproductivity_core\tn\n", "pos"),
    ("新质生产力\t1\tnz\tProductivity\tn\n", "category"),
    ("新质生产力\t1\tnz\tproductivity_core\t \n", "note"),
])
def test_malformed_lexicon_is_refused_with_file_and_line(
        tmp_path: Path, body: str, message: str) -> None:
    _assert_refused(load_lexicon, tmp_path / "lex.tsv",
                    "\t".join(LEXICON_COLUMNS) + "\n" + body, message)


def _assert_refused(loader: Callable[[Path], object], path: Path, text: str,
                    message: str) -> None:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        loader(path)
    assert str(path) in str(info.value)


def test_shipped_guards_block_lexicon_terms_and_are_not_terms() -> None:
    guards = load_guards()
    terms = set(load_lexicon()["term"])
    assert len(guards) >= 5 and guards["guard"].is_unique
    for guard, blocks in zip(guards["guard"], guards["blocks"], strict=True):
        assert guard not in terms, guard
        assert set(blocks.split()) <= terms, (guard, blocks)


@pytest.mark.parametrize(("row", "message"), [
    ("提高\t高质量", "expected 3"),
    ("提高\t\t证据", "needs the terms"),
    ("提高\t质量\t证据", "cannot block"),
    ("提高\t高质量\t证据\n提高\t高技术\t证据", "duplicate"),
])
def test_malformed_guards_are_refused_with_file_and_line(
        tmp_path: Path, row: str, message: str) -> None:
    _assert_refused(load_guards, tmp_path / "guards.tsv",
                    "guard\tblocks\tnote\n" + row + "\n", message)
