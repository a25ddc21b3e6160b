"""Guideline rulings as data (classify/data/guideline_rulings.tsv): validation, their effect
on the evidence of both classifiers, and a saved model's own copy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import DictionaryClassifier, FrameworkClassifier, load_model, save_model
from nqp_text.classify.contexts_rulings import (
    RULING_COLUMNS,
    Ruling,
    Rulings,
    load_rulings,
    rule_examples,
)
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.framework import load_framework

HEADER = "\t".join(RULING_COLUMNS) + "\n"
GOOD = "机收\tadds\t机收\tlabor_means\tguideline v1.3 farm machinery\t推广机收\t推广良种"


@pytest.fixture(scope="module")
def seg():
    from nqp_text.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="module")
def plain(seg):
    return EvidenceExtractor(segmenter=seg, rulings=None)


def _found(extractor: EvidenceExtractor, text: str) -> set[tuple[str, str]]:
    return {(hit.category, hit.term) for hit in extractor.hits(text)}


def test_shipped_rulings_are_valid_and_cover_every_scope():
    rulings = load_rulings(categories=load_framework().category_ids)
    assert {rule.scope for rule in rulings.rules} == {"passage", "span", "adds", "enumeration",
                                                      "keeps", "counts_as"}
    assert len(rulings) == len(rule_examples()) >= 20
    assert all("guideline" in rule.note for rule in rulings.rules)


@pytest.mark.parametrize("index", range(len(rule_examples())))
def test_each_shipped_ruling_changes_its_example_and_not_its_counter(index, seg, plain):
    """One case per rule, in the rule's own line: the example (my wording) is changed
    the way the rule says, the counter-example is left as it is."""
    rule = load_rulings().rules[index]
    name, scope, example, counter = rule_examples()[index]
    assert rule.name == name
    alone = EvidenceExtractor(segmenter=seg, rulings=Rulings([rule]))
    if scope == "keeps":
        # The exception to the summary-paragraph rulings: with them, in a problem paragraph,
        # the example keeps its evidence and the counter-example does not.
        summary = [r for r in load_rulings().rules if r.scope == "passage"]
        without = EvidenceExtractor(segmenter=seg, rulings=Rulings(summary))
        alone = EvidenceExtractor(segmenter=seg, rulings=Rulings([*summary, rule]))
        opening = "在肯定成绩的同时，也要看到不少困难。"
        assert not _found(without, opening + example), name
        assert _found(alone, opening + example) == _found(plain, example), name
        assert not _found(alone, opening + counter), name
        return
    before, after = _found(plain, example), _found(alone, example)
    if scope == "adds":
        assert rule.category in {c for c, _ in after} - {c for c, _ in before}, name
    else:
        assert before and after < before, name   # the rule removes keyword evidence
    assert _found(alone, counter) == _found(plain, counter), name


def test_span_and_passage_rulings_by_hand(seg):
    rulings = load_rulings()
    assert rulings.blocks_passage("全市经济社会发展的主要预期目标是：增长6%左右。")
    assert not rulings.blocks_passage("围绕预期目标，加快发展新质生产力。")
    assert rulings.blocked_spans("推动甲、乙等3个项目开工，加快发展人工智能") == [(0, 10)]
    extractor = EvidenceExtractor(segmenter=seg)
    found = _found(extractor, "加快建设算力中心等5个项目，大力发展人工智能。")
    assert found == {("tech_innovation", "人工智能")}


@pytest.mark.parametrize("line, message", [
    ("x\tnear\t机收\t-\tguideline\t机收\t良种", "unknown scope 'near'"),
    ("x\tadds\t机收(\tlabor_means\tguideline\t机收\t良种", "does not compile"),
    ("x\tadds\t机收|\tlabor_means\tguideline\t机收\t良种", "empty string"),
    ("x\tadds\t机收\tlabour\tguideline\t机收\t良种", "unknown category 'labour'"),
    ("x\tspan\t机收\tlabor_means\tguideline\t机收\t良种", "takes no category"),
    ("x\tadds\t机收\tlabor_means\tfarm machinery\t机收\t良种", "cite the guideline"),
    ("x\tadds\t机收\tlabor_means\tguideline\t良种\t良种", "example '良种' does not match"),
    ("x\tadds\t机收\tlabor_means\tguideline\t机收\t推广机收", "counter-example '推广机收'"),
    ("x\tadds\t机收\tlabor_means\tguideline\t机收", "expected 7 tab-separated fields"),
])
def test_a_bad_ruling_is_refused_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "rulings.tsv"
    path.write_text(HEADER + GOOD + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_rulings(path, categories=load_framework().category_ids)
    assert f"{path}:3" in str(error.value)


def test_duplicate_name_bad_header_and_missing_file_are_refused(tmp_path):
    path = tmp_path / "rulings.tsv"
    path.write_text(HEADER + GOOD + "\n" + GOOD + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rulings.tsv:3: rule name '机收' is used twice"):
        load_rulings(path)
    path.write_text("name\tscope\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header must be"):
        load_rulings(path)
    with pytest.raises(FileNotFoundError, match="absent.tsv"):
        load_rulings(tmp_path / "absent.tsv")
    with pytest.raises(ValueError, match="used twice"):
        Rulings([Ruling("a", "adds", "机收", "labor_means", "guideline")] * 2)


def test_both_classifiers_use_the_rulings(seg):
    text = "推广玉米良种和机收。"
    assert DictionaryClassifier(segmenter=seg, rulings=None).predict([text]) == [()]
    assert DictionaryClassifier(segmenter=seg).predict([text]) == [("labor_means",)]
    ruled = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg).fit(TEXTS, LABELS)
    unruled = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg,
                                  rulings=None).fit(TEXTS, LABELS)
    assert not np.array_equal(ruled.transform([text]).toarray(),
                              unruled.transform([text]).toarray())


def test_a_saved_model_keeps_its_rulings(tmp_path, seg):
    own = [{"name": "机收", "scope": "adds", "pattern": "机收", "category": "labor_means",
            "note": "guideline v1.3 farm machinery"}]
    model = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg,
                                rulings=own).fit(TEXTS, LABELS)
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["rulings"] == own
    loaded = load_model(directory)
    assert [h.term for h in loaded.extractor_.hits("推广机收。")] == ["机收"]
    assert np.array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))
    bare = FrameworkClassifier(min_df=1, calibration_folds=0, segmenter=seg,
                               rulings=None).fit(TEXTS, LABELS)
    spec = json.loads((save_model(bare, tmp_path / "b") / "model.json").read_text("utf-8"))
    assert "rulings" not in spec     # models without rulings are written as before
