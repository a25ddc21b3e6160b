"""The framework YAML: the shipped file's content, and validation errors for user files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nqp_text.framework import (
    FrameworkError,
    default_framework_path,
    framework_from_dict,
    load_framework,
)
from nqp_text.segment import FRAMEWORK_CATEGORIES, Segmenter, load_lexicon

SIX = ("labor_object", "labor_means", "labor_force", "tech_innovation", "factor_allocation",
       "industrial_upgrading")


@pytest.fixture(scope="module")
def framework():
    return load_framework()


def _base() -> dict:
    return {
        "id": "mini",
        "name": {"zh": "小框架", "en": "mini"},
        "groups": [{"id": "element", "zh": "要素", "en": "elements"}],
        "categories": [
            {"id": "alpha", "zh": "甲", "en": "alpha", "group": "element",
             "definition": "first", "keywords": ["算力", {"数据": 0.5}]},
            {"id": "beta", "zh": "乙", "en": "beta", "group": "element",
             "definition": "second", "keywords": ["人才"]},
        ],
        "term_groups": [{"id": "path", "kind": "support_path", "zh": "路径", "en": "path",
                         "terms": ["改革"]}],
    }


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_framework_has_the_six_categories_in_order(framework):
    assert framework.category_ids == SIX == tuple(FRAMEWORK_CATEGORIES)
    groups = {c.id: c.group for c in framework.categories}
    assert {k for k, v in groups.items() if v == "element"} == set(SIX[:3])
    assert {k for k, v in groups.items() if v == "driving_force"} == set(SIX[3:])
    zh = {c.id: c.zh for c in framework.categories}
    assert zh["labor_object"] == "新型劳动对象" and zh["factor_allocation"] == "生产要素配置优化"
    for category in framework.categories:
        assert len(category.definition) > 200, category.id
        assert category.en and category.threshold > 0
        assert len(category.keywords) >= 30, category.id
        assert all(weight > 0 for weight in category.keywords.values())


def test_shipped_framework_carries_term_groups_and_support_paths(framework):
    paths = {g.zh for g in framework.term_groups if g.kind == "support_path"}
    assert paths == {"动力变革", "要素变革", "载体变革", "制度变革"}
    assert framework.term_group("productivity_core").terms[0] == "新质生产力"
    assert {g.kind for g in framework.term_groups} == {"framework", "support_path"}


def test_every_keyword_and_term_is_a_lexicon_term_kept_whole(framework):
    lexicon = set(load_lexicon()["term"])
    missing = [t for t in framework.all_terms() if t not in lexicon]
    assert not missing, f"framework terms missing from lexicon.tsv: {missing}"
    segmenter = Segmenter()
    split = [t for t in framework.all_terms() if segmenter.cut(t) != [t]]
    assert not split


def test_lexicon_terms_of_a_category_never_count_only_for_another(framework):
    """A lexicon term of category c yields evidence for c or for nothing, never only elsewhere."""
    from nqp_text.classify.evidence import EvidenceExtractor

    extractor = EvidenceExtractor(framework)
    lexicon = load_lexicon()
    wrong = []
    for term, category in zip(lexicon["term"], lexicon["category"], strict=True):
        if category in SIX:
            found = {hit.category for hit in extractor.hits_from_tokens([term])}
            if found and category not in found:
                wrong.append((term, category, sorted(found)))
    assert not wrong


def test_hash_ignores_layout_and_round_trips(framework, tmp_path):
    text = default_framework_path().read_text(encoding="utf-8")
    copy = tmp_path / "copy.yaml"
    copy.write_text("# a comment\n" + text, encoding="utf-8")
    assert load_framework(copy).sha256 == framework.sha256
    assert framework_from_dict(framework.to_dict()) == framework
    assert len(framework.sha256) == 64


def test_keywords_table(framework):
    table = framework.keywords()
    assert list(table.columns) == ["category", "term", "weight"]
    assert set(table["category"]) == set(SIX)
    shared = table.groupby("term")["category"].nunique()
    assert (shared > 1).any()  # a few terms deliberately count for two categories


def test_user_framework_loads(tmp_path):
    framework = load_framework(_write(tmp_path, _base()))
    assert framework.category_ids == ("alpha", "beta")
    assert framework.category("alpha").keywords == {"算力": 1.0, "数据": 0.5}
    assert framework.term_group("path").terms == ("改革",)
    with pytest.raises(KeyError, match="known: alpha, beta"):
        framework.category("gamma")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(extra=1), r"unknown key\(s\) 'extra'"),
    (lambda d: d["categories"][0].update(colour="red"), r"categories\[0\].*unknown key.*'colour'"),
    (lambda d: d["categories"][1].update(id="alpha"), r"duplicate id 'alpha'"),
    (lambda d: d["term_groups"][0].update(id="beta"), r"duplicate id 'beta'"),
    (lambda d: d["categories"][0].update(keywords=[]), r"\(alpha\): keywords is empty"),
    (lambda d: d["categories"][1]["keywords"].append("算力"),
     r"keyword '算力' is in several categories \(alpha, beta\).*explicit weight"),
    (lambda d: d["categories"][0]["keywords"].append("算力"), r"'算力' is listed twice"),
    (lambda d: d["categories"][0]["keywords"].append({"芯片": -1}), r"must be a positive number"),
    (lambda d: d["categories"][0].update(group="driver"), r"group 'driver' is not one of"),
    (lambda d: d["categories"][0].update(id="Alpha"), r"'Alpha' is not a valid id"),
    (lambda d: d["categories"][0].pop("definition"), r"missing key\(s\) 'definition'"),
    (lambda d: d["categories"][0].update(threshold=0), r"threshold: 0 must be a positive"),
    (lambda d: d["term_groups"][0].update(terms=[]), r"\(path\): terms is empty"),
    (lambda d: d.update(categories=[]), r"categories is empty"),
])
def test_invalid_frameworks_are_refused_with_file_and_reason(tmp_path, change, message):
    data = _base()
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(FrameworkError, match=message) as error:
        load_framework(path)
    assert str(path) in str(error.value)


def test_shared_keyword_with_weights_in_both_is_accepted(tmp_path):
    data = _base()
    data["categories"][0]["keywords"][0] = {"算力": 1.0}
    data["categories"][1]["keywords"].append({"算力": 0.5})
    framework = load_framework(_write(tmp_path, data))
    assert framework.category("beta").keywords["算力"] == 0.5


def test_duplicate_yaml_keys_and_bad_files_are_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("id: a\nid: b\ncategories: []\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="duplicate key 'id'"):
        load_framework(path)
    with pytest.raises(FrameworkError, match="not found"):
        load_framework(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML"):
        load_framework(broken)
