"""Paragraph-structure features: cue file validation, what the columns measure, the model option."""

from __future__ import annotations

import json

import numpy as np
import pytest

from _classify_data import LABELS, TEXTS
from nqp_text.classify import FrameworkClassifier
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.classify.persist import load_model, save_model
from nqp_text.classify.structure import (
    StructureFeatures,
    load_structure_cues,
    structure_cues_path,
)
from nqp_text.errors import InputError, MissingInputError, OptionError


@pytest.fixture(scope="module")
def extractor():
    return EvidenceExtractor()


def _columns(extractor, texts):
    block = StructureFeatures()
    cuts = [extractor.segmenter.cut(t) for t in texts]
    matrix = block.transform(texts, [extractor.hits_from_tokens(c) for c in cuts],
                             extractor.categories)
    names = block.column_names(extractor.categories)
    return [dict(zip(names, row, strict=True)) for row in matrix]


def test_the_shipped_cues_load_with_notes():
    cues = load_structure_cues()
    assert {"review", "problem", "heading", "number"} <= set(cues)
    assert all(entry["note"] and (entry["words"] or entry["patterns"]) for entry in cues.values())
    assert structure_cues_path().name == "structure_cues.yaml"


@pytest.mark.parametrize(("body", "message"), [
    ("groups: {}\n", "non-empty mapping 'groups'"),
    ("groups:\n  review: {words: [一年来]}\n", "non-empty note"),
    ("groups:\n  review: {note: x}\n", "words or patterns"),
    ("groups:\n  review: {note: x, words: [一年来, 一年来]}\n", "listed twice"),
    ("groups:\n  review: {note: x, patterns: ['(']}\n", "bad pattern"),
    ("groups:\n  review: {note: x, words: [a], colour: red}\n", "unknown keys"),
    ("groups:\n  Review: {note: x, words: [a]}\n", "lower-case"),
    ("groups: [\n", "not valid YAML"),
])
def test_a_bad_cue_file_is_refused_naming_the_file(tmp_path, body, message):
    path = tmp_path / "cues.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        load_structure_cues(path)
    assert "cues.yaml" in str(error.value)
    with pytest.raises(MissingInputError, match="not found"):
        load_structure_cues(tmp_path / "absent.yaml")


def test_columns_measure_review_problem_lead_and_shape(extractor):
    review, problem, lead, late, heading, listing = _columns(extractor, [
        "过去一年，全年地区生产总值增长5.2%，科技创新取得显著成效。",
        "科技创新支撑不足，产业结构不优，短板依然明显。",
        "培养高技能人才。召开会议，部署工作。",
        "召开会议，部署工作。培养高技能人才。",
        "（三）加快建设现代化产业体系",
        "引进技术、人才、资金、数据、算力、产业，推进科技创新和统一大市场建设。",
    ])
    assert review["review"] > 0 and review["lead_review"] > 0 and review["number"] > 0
    assert review["problem"] == 0 and problem["problem"] > review["problem"]
    assert lead["lead_labor_force"] > 0 and late["lead_labor_force"] == 0
    assert heading["lead_heading"] > 0 and heading["single_clause"] == 1.0
    assert lead["single_clause"] == 0.0 and lead["clauses"] > heading["clauses"]
    assert listing["enumeration_commas"] > lead["enumeration_commas"]
    assert listing["categories_with_evidence"] > lead["categories_with_evidence"]
    assert lead["evidence_spread"] == 0.0 < listing["evidence_spread"] < 1.0


def test_the_model_option_adds_the_block_and_survives_saving(tmp_path):
    plain = FrameworkClassifier(min_df=1, calibration_folds=0).fit(TEXTS * 2, LABELS * 2)
    model = FrameworkClassifier(min_df=1, calibration_folds=0,
                                structure_weight=1.0).fit(TEXTS * 2, LABELS * 2)
    assert model.n_features_ == plain.n_features_ + StructureFeatures().n_columns(6)
    probes = ["过去一年，科技创新取得显著成效。", "大力培养高技能人才。", "开会。"]
    assert not np.allclose(model.decision_function(probes), plain.decision_function(probes))
    directory = save_model(model, tmp_path / "m")
    spec = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    assert spec["params"]["structure_weight"] == 1.0 and "review" in spec["structure_cues"]
    loaded = load_model(directory)
    np.testing.assert_array_equal(loaded.decision_function(probes),
                                  model.decision_function(probes))
    plain_spec = json.loads((save_model(plain, tmp_path / "p") / "model.json").read_text())
    assert "structure_weight" not in plain_spec["params"] and "structure_cues" not in plain_spec
    assert load_model(tmp_path / "p").structure_ is None


def test_a_negative_structure_weight_is_refused():
    with pytest.raises(OptionError, match="structure_weight"):
        FrameworkClassifier(structure_weight=-1.0).fit(TEXTS, LABELS)
