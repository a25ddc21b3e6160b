"""Topics on corpora of regions: place names out, the unit chosen, seeding measured.

Small fixtures are written here; the last test runs the pipeline on the shared
provincial reports and checks the issue's targets with the defaults.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nqp_text.analysis.dtm import dtm_from_tokens
from nqp_text.analysis.places import gazetteer, is_place, not_places, place_terms
from nqp_text.corpus import Corpus
from nqp_text.pipeline.topics import StreamingDTM, collapse_to_documents, unit_rows
from nqp_text.topics import defaults
from nqp_text.topics.lda import TopicModel, fit_topics
from nqp_text.topics.quality import (
    category_agreement,
    diagnose,
    place_heavy_topics,
    seeded_share,
)

pytestmark = pytest.mark.slow  # every test here takes > 5 s on 2 cores (shared fixtures)

PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省",
             "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省", "安徽省",
             "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
             "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省",
             "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
             "新疆维吾尔自治区"]


def test_gazetteer_lists_every_province_its_short_form_and_prefectures():
    table = gazetteer()
    terms = set(table["term"])
    assert len(PROVINCES) == 31 and set(PROVINCES) <= terms
    assert {"广西", "新疆", "内蒙古", "黑龙江", "江苏"} <= terms
    prefectures = table[table["kind"] == "prefecture"]
    assert 330 <= len(prefectures) <= 345
    assert {"南宁市", "南宁", "延边朝鲜族自治州", "延边", "三沙市"} <= terms
    assert not table["term"].duplicated().any()
    assert set(table["kind"]) == {"province", "province_short", "province_abbreviation",
                                  "prefecture", "prefecture_short", "other_place", "region",
                                  "administrative"}


def test_place_terms_use_gazetteer_and_jieba_tag_but_not_ordinary_words():
    vocabulary = ["广西", "南宁市", "全区", "我省", "自治区", "长江", "浦东", "巴黎",
                  "城市", "美丽", "中国", "数据要素", "科技创新", "新", "沪"]
    assert place_terms(vocabulary) == {"广西", "南宁市", "全区", "我省", "自治区", "长江",
                                       "浦东", "巴黎"}
    assert place_terms(vocabulary, keep=["长江"]) == {"广西", "南宁市", "全区", "我省",
                                                      "自治区", "浦东", "巴黎"}
    assert {"城市", "美丽", "中国"} <= not_places()
    assert not is_place("深海")  # jieba tags it ns; it is a lexicon term


def _regional_docs() -> list[list[str]]:
    """Invented passages: two themes, each written by two regions with their own names."""
    themes = {"tech": ["科技创新", "研发", "实验室", "人才"],
              "farm": ["粮食", "耕地", "农业", "乡村"]}
    regions = {"east": ["江苏", "南京", "全省"], "west": ["广西", "南宁", "全区"]}
    docs = []
    for theme in themes.values():
        for region in regions.values():
            for i in range(6):
                docs.append(theme + region[: 1 + i % 3] + ["推进", "建设"][: i % 2 + 1])
    return docs


def test_topic_model_leaves_places_out_unless_kept_and_keeps_seed_places():
    docs = _regional_docs()
    model = TopicModel(k=3, passes=2, min_df=1, max_df=1.0, random_state=0).fit(docs)
    assert not {"江苏", "南京", "全省", "广西", "南宁", "全区"} & set(model.vocabulary_)
    assert model.place_terms_ == sorted(["江苏", "南京", "全省", "广西", "南宁", "全区"])
    kept = TopicModel(k=3, passes=2, min_df=1, max_df=1.0, keep_places=True).fit(docs)
    assert {"江苏", "南宁"} <= set(kept.vocabulary_) and kept.place_terms_ == []
    seeded = TopicModel(k=3, passes=2, min_df=1, max_df=1.0,
                        seed_terms={"west": ["广西", "粮食"]}).fit(docs)
    assert "广西" in seeded.vocabulary_ and "南宁" not in seeded.vocabulary_


def test_place_heavy_topic_is_warned_about():
    docs = _regional_docs()
    kept = TopicModel(k=3, passes=2, min_df=1, max_df=1.0, keep_places=True).fit(docs)
    terms = pd.DataFrame({"topic": [0] * 4 + [1] * 4, "label": ["free_1"] * 4 + ["x"] * 4,
                          "rank": [1, 2, 3, 4] * 2,
                          "term": ["广西", "南宁", "全区", "粮食",
                                   "科技创新", "研发", "人才", "江苏"]})
    assert place_heavy_topics(terms, n=4) == {"free_1": ["广西", "南宁", "全区"]}
    summary, _ = diagnose(kept.document_topics(), kept.labels_, [], terms)
    assert any("free_1 is mostly place names" in message for message in summary["warnings"])


def test_choose_unit_passages_for_few_long_documents():
    unit, reason = defaults.choose_unit("auto", [5000] * 32, k=12)
    assert unit == "passage" and "32 documents" in reason and "fewer than 20 x k" in reason
    assert defaults.choose_unit("auto", [300] * 240, k=12)[0] == "document"
    assert defaults.choose_unit("auto", [3000] * 500, k=12)[0] == "passage"
    assert defaults.choose_unit("document", [5000] * 3, k=12)[0] == "document"
    with pytest.raises(ValueError, match="unit must be one of"):
        defaults.choose_unit("window", [1], k=2)


def _labelled_corpus() -> tuple[Corpus, pd.DataFrame, pd.Series]:
    """Four invented documents whose share of 'tech' passages rises from 1 to 4 of 5."""
    docs, passages, tokens, labels = [], [], [], []
    tech = ["科技创新", "研发", "实验室", "芯片", "人才"]
    farm = ["粮食", "耕地", "农业", "乡村", "灌溉"]
    for d in range(4):
        doc_id = f"d{d}"
        docs.append({"doc_id": doc_id, "year": 2020 + d, "status": "ok"})
        for seq in range(5):
            is_tech = seq <= d
            pid = f"{doc_id}:{seq}"
            passages.append({"doc_id": doc_id, "passage_id": pid, "seq": seq, "year": 2020 + d,
                             "text": "x", "start": 0, "end": 1})
            tokens.append((pid, (tech if is_tech else farm) * 3 + [["江苏", "广西"][d % 2]]))
            labels.append({"passage_id": pid, "labels": ["tech"] if is_tech else ["farm"]})
    corpus = Corpus(pd.DataFrame(docs), pd.DataFrame(passages))
    series = pd.Series(dict(tokens), name="tokens")
    return corpus, pd.DataFrame(labels), series


def test_fit_topics_defaults_and_agreement_with_labels():
    corpus, labels, tokens = _labelled_corpus()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_topics(corpus, k=3, tokens=tokens, min_df=1, passes=5, seeded=False)
    assert model.unit_ == "passage" and "4 documents" in model.unit_reason_
    assert model.get_params()["seed_weight"] == defaults.SEED_WEIGHT
    assert model.place_terms_ == ["广西", "江苏"]
    seeded = TopicModel(k=3, passes=5, min_df=1, max_df=1.0, random_state=0,
                        seed_terms={"tech": ["科技创新", "芯片"], "farm": ["粮食", "耕地"]})
    seeded.fit(dtm_from_tokens(tokens.tolist(), corpus.passages[["passage_id", "doc_id", "year"]]))
    topics = seeded.document_topics()
    share = seeded_share(topics, seeded.labels_, ["tech", "farm"])
    weights = topics["n_tokens"].to_numpy(float)
    expected = ((topics["topic_0"] + topics["topic_1"]) * weights).sum() / weights.sum()
    assert share == pytest.approx(expected) and share > 0.9
    table = category_agreement(topics, seeded.labels_, labels, corpus.passages, by="doc_id")
    assert list(table["label"]) == ["tech", "farm"] and (table["n_groups"] == 4).all()
    assert table["rho"].tolist() == pytest.approx([1.0, 1.0])
    summary, both = diagnose(topics, seeded.labels_, ["tech", "farm"], seeded.top_terms(10),
                             labels, corpus.passages)
    assert summary["agreement_by_document"] == pytest.approx(1.0)
    assert set(both["by"]) == {"doc_id", "year"} and summary["warnings"] == []


def test_keyness_leaves_places_out_and_keeps_totals():
    from nqp_text.analysis.keyness import keyness

    corpus, _labels, tokens = _labelled_corpus()
    dropped = keyness(corpus, "2022-2023", "2020-2021", min_count=1, tokens=tokens)
    kept = keyness(corpus, "2022-2023", "2020-2021", min_count=1, tokens=tokens, keep_places=True)
    assert {"江苏", "广西"} <= set(kept["term"]) and not {"江苏", "广西"} & set(dropped["term"])
    assert dropped.attrs["place_terms_removed"] == 2
    assert dropped.attrs["target_tokens"] == kept.attrs["target_tokens"]
    pd.testing.assert_frame_equal(dropped.reset_index(drop=True),
                                  kept[~kept["term"].isin(["江苏", "广西"])].reset_index(drop=True))


def test_collapsed_passage_matrix_equals_document_matrix():
    passages = pd.DataFrame({"passage_id": ["b:0", "b:1", "a:0"], "doc_id": ["b", "b", "a"],
                             "seq": [0, 1, 0]})
    lists = {"b": [["数据", "算力"], ["数据"]], "a": [["人才"]]}
    by_passage, by_document = StreamingDTM(), StreamingDTM()
    rows = []
    for doc_id in ("b", "a"):
        part = passages[passages["doc_id"] == doc_id]
        meta = {"doc_id": doc_id, "year": 2025}
        by_passage.add(unit_rows("passage", part, meta), lists[doc_id])
        by_document.add(unit_rows("document", part, meta),
                        [[t for tokens in lists[doc_id] for t in tokens]])
        rows.append(unit_rows("document", part, meta))
    expected = by_document.build(sort_by="doc_id")
    got = collapse_to_documents(by_passage.build(), rows)
    assert got.vocabulary == expected.vocabulary
    np.testing.assert_array_equal(got.matrix.toarray(), expected.matrix.toarray())
    pd.testing.assert_frame_equal(got.rows, expected.rows)


@pytest.fixture(scope="module")
def provincial_run(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from nqp_text.pipeline import run_pipeline

    folder = shared / "corpora" / "provincial_reports"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    out = tmp_path_factory.mktemp("provincial")
    run_pipeline([folder / "2025_docx", folder / "2026_scraped_csv"], out,
                 metadata=str(folder / "metadata_2025.csv"), text_field="full_text",
                 progress=False)
    return out


def test_provincial_reports_give_themes_not_places_with_the_defaults(provincial_run: Path):
    """The issue's targets on the 2025 Word files and 2026 scrapes of the provinces."""
    manifest = json.loads((provincial_run / "manifest.json").read_text("utf-8"))
    record = manifest["stages"]["topics"]
    assert record["unit"] == "passage" and "32 documents" in record["unit_reason"]
    terms = pd.read_parquet(provincial_run / "topic_terms.parquet")
    top = terms[terms["rank"] <= 10]
    names = gazetteer()
    regional = set(names.loc[names["kind"].isin(["province", "province_short", "prefecture",
                                                 "prefecture_short"]), "term"])
    assert not set(top["term"]) & regional, sorted(set(top["term"]) & regional)
    assert record["seeded_share"] >= 0.25
    assert record["agreement_by_document"] > 0
    agreement = pd.read_parquet(provincial_run / "topic_agreement.parquet")
    assert (agreement.loc[agreement["by"] == "doc_id", "n_groups"] == 32).all()
    report = (provincial_run / "report.html").read_text("utf-8")
    assert "seeded share" in report and "Spearman" in report
