"""The session-9 guideline rulings: long enumerations, the summary-paragraph exception and
the three-label cap by text (own fixture sentences, no gold data)."""

from __future__ import annotations

import numpy as np
import pytest

from nqp_text.classify import DictionaryClassifier
from nqp_text.classify.contexts_rulings import RULING_COLUMNS, Ruling, Rulings, load_rulings
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.errors import OptionError
from nqp_text.framework import load_framework

LONG = Ruling("long", "enumeration", "(?:[^，。；：、]{1,10}、){4,}[^，。；：、]{1,10}",
              note="guideline v1.3 count clauses and not words")
KEEPS = Ruling("developed", "keeps", r"\d|计划", note="guideline v1.3 summary exception")
PROBLEM = Ruling("problem", "passage", "^[^。；]{0,24}在肯定成绩的同时",
                 note="guideline v1.3 summary paragraphs")


@pytest.fixture(scope="module")
def seg():
    from nqp_text.segment import Segmenter

    return Segmenter()


def _categories(extractor: EvidenceExtractor, text: str) -> set[str]:
    return {hit.category for hit in extractor.hits(text)}


def test_one_item_of_a_long_enumeration_gives_no_evidence(seg):
    extractor = EvidenceExtractor(segmenter=seg, rulings=Rulings([LONG]))
    plain = EvidenceExtractor(segmenter=seg, rulings=None)
    five = "加强交通衔接、旅游合作、人工智能、环境共治、医疗互认等方面合作。"
    four = "加强交通衔接、旅游合作、人工智能、环境共治等方面合作。"
    assert "tech_innovation" in _categories(plain, five)
    assert "tech_innovation" not in _categories(extractor, five)
    assert "tech_innovation" in _categories(extractor, four)    # 4 items: a short list


def test_a_category_two_items_give_still_counts(seg):
    extractor = EvidenceExtractor(segmenter=seg, rulings=Rulings([LONG]))
    text = "发展人工智能、量子科技、绿色食品、文化旅游、现代物流等产业。"
    found = {(hit.category, hit.term) for hit in extractor.hits(text)}
    assert {("tech_innovation", "人工智能"), ("tech_innovation", "量子科技")} <= found


def test_a_keyword_outside_the_enumeration_still_counts(seg):
    extractor = EvidenceExtractor(segmenter=seg, rulings=Rulings([LONG]))
    text = "加强交通衔接、旅游合作、人工智能、环境共治、医疗互认，大力发展人工智能。"
    assert "tech_innovation" in _categories(extractor, text)


def test_enumeration_items(seg):
    rules = Rulings([LONG])
    assert rules.enumerations("甲、乙、丙、丁") == []
    [items] = rules.enumerations("推进甲、乙、丙、丁、戊合作")
    assert len(items) == 5 and items[0] == (0, 3)


def test_the_summary_exception_keeps_an_item_developed_over_two_clauses(seg):
    summary = EvidenceExtractor(segmenter=seg, rulings=Rulings([PROBLEM]))
    kept = EvidenceExtractor(segmenter=seg, rulings=Rulings([PROBLEM, KEEPS]))
    opening = "在肯定成绩的同时，也要看到困难。"
    developed = opening + "实施青年人才计划，引进高层次人才300名。"
    one_clause = opening + "引进高层次人才300名，居民收入稳步增长。"
    no_figure = opening + "培养青年人才，引进高层次人才。"
    assert _categories(summary, developed) == set()
    assert _categories(kept, developed) == {"labor_force"}
    assert _categories(kept, one_clause) == set()    # one clause only
    assert _categories(kept, no_figure) == set()     # no figure or named programme


def test_text_support_counts_characters_and_breaks_ties_by_the_first_clause(seg):
    extractor = EvidenceExtractor(segmenter=seg, rulings=None)
    text = "培养人才。发展人工智能。建设算力中心和数据中心，推进工业互联网。"
    cut = extractor.segmenter.cut(text)
    support = extractor.text_support([cut], [extractor.hits_from_tokens(cut)])[0]
    column = {c: j for j, c in enumerate(extractor.categories)}
    assert int(support[column["labor_means"]]) == 19
    assert int(support[column["labor_force"]]) == 4
    assert int(support[column["tech_innovation"]]) == 6
    assert support[column["labor_object"]] == 0
    cut = extractor.segmenter.cut("发展人工智能。培养青年人才。")   # 6 characters each
    support = extractor.text_support([cut], [extractor.hits_from_tokens(cut)])[0]
    tech, force = support[column["tech_innovation"]], support[column["labor_force"]]
    assert int(tech) == int(force) == 6 and tech > force    # the earlier clause wins the tie


def test_the_three_label_cap_by_text(seg):
    # Four categories each over one threshold; the cap keeps the three with the most text.
    text = ("建设算力中心和数据中心，推进工业互联网和千兆光网建设。加快发展人工智能和量子科技。"
            "培养人才。推进产业链升级。")
    by_text = DictionaryClassifier(segmenter=seg, rulings=None, contexts=None, cap_by="text")
    by_evidence = DictionaryClassifier(segmenter=seg, rulings=None, contexts=None)
    assert len(by_text.fit().predict_indicator([text])[0].nonzero()[0]) == 3
    labels = by_text.predict([text])[0]
    assert "labor_force" not in labels and "labor_means" in labels
    assert by_evidence.predict([text])[0] != () and len(by_evidence.predict([text])[0]) == 3
    assert np.array_equal(by_text.decision_function([text]),
                          by_evidence.decision_function([text]))
    with pytest.raises(OptionError, match="cap_by"):
        DictionaryClassifier(cap_by="chars").fit()


@pytest.mark.parametrize("line, message", [
    ("x\tenumeration\t、\tlabor_means\tguideline\t甲、乙\t甲乙", "takes no category"),
    ("x\tkeeps\t\\d\t-\tsummary exception\t3个\t三个", "cite the guideline"),
    ("x\tkeeps\t\\d\t-\tguideline\t三个\t三个", "does not match"),
])
def test_bad_new_scope_rows_are_refused_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "rulings.tsv"
    path.write_text("\t".join(RULING_COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_rulings(path, categories=load_framework().category_ids)
    assert f"{path}:2" in str(error.value)
