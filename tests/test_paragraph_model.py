"""The paragraph-boundary model for text with no marks at all (nqp_text.io._boundaries).

Own fixtures check the candidates, the decoding and the reader path; the
shared-data tests check that the shipped model is what its training command
writes, byte for byte, from the training corpora its manifest names. The
held-out F1 on the government work reports is asserted in
``tests/test_paragraph_recovery.py``.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

import nqp_text
from nqp_text.io._boundaries import (
    BoundaryModel,
    Candidate,
    candidates,
    decode,
    features,
    history_features,
    load_model,
    training_rows,
)
from nqp_text.io._recover import recover_breaks
from nqp_text.io.paragraph_training import (
    STATE_COUNCIL,
    TRAINING_CORPORA,
    _digest,
    held_out,
    train_paragraph_model,
    training_documents,
)
from nqp_text.io.text import text_document
from nqp_text.quality import quality_summary

_MODEL = resources.files("nqp_text.io").joinpath("models/paragraphs")
_FILES = ("weights.tsv", "decoder.json", "manifest.json")

# Own text, written for these tests: a short report with headings, numbered points and
# paragraphs of several sentences.
_PARAGRAPHS = [
    "各位代表：",
    "现在，我代表市政府，向大会报告工作，请予审议。",
    "一、过去一年工作回顾",
    "过去一年，全市经济运行稳中有进。地区生产总值增长百分之五，居民收入稳步提高。"
    "新建学校十所，新增床位两千张。",
    "一是产业升级步伐加快。新建智能工厂二十家，数字经济核心产业增加值增长百分之十。"
    "培育专精特新企业一百家。",
    "二是改革开放持续深化。营商环境评价位居全省前列，外贸进出口增长百分之八。",
    "三是民生保障更加有力。城镇新增就业五万人，养老服务网络覆盖所有街道。",
    "二、今年工作安排",
    "今年是关键之年。做好政府工作，要坚持稳中求进工作总基调，加快发展新质生产力。",
    "（一）着力扩大内需。实施消费提振行动，推动重大项目早开工早见效。",
    "（二）加快科技创新。建设创新平台，支持企业加大研发投入，促进成果转化。",
] * 6


def test_candidates_are_sentence_ends_and_heading_ends() -> None:
    text = "各位代表：一、工作回顾过去一年，经济稳定。二是加快转型。"
    found = candidates(text)
    sentence = [c.position for c in found if c.kind == "sentence"]
    assert [text[:p][-1] for p in sentence] == ["：", "。"]
    heading = [c.position for c in found if c.kind == "heading"]
    assert text.index("过去") in heading
    assert all(text.index("一、") + 2 < p < text.index("，") for p in heading)
    rows = features(text, found)
    assert len(rows) == len(found) and rows == features(text, found)
    assert "bm:shi" in rows[[c.position for c in found].index(sentence[1])]


def test_decode_goes_left_to_right_with_the_history_and_one_end_per_heading() -> None:
    found = [Candidate(10, "sentence"), Candidate(50, "sentence"), Candidate(90, "sentence")]
    rows = [["x"], ["x"], ["x"]]
    # a paragraph start pays only when the paragraph so far has two sentences or more
    model = BoundaryModel({"x": -1.0, "ns:2": 2.0, "ns:3": 2.0}, 0.0, 0.0)
    assert decode(found, rows, model) == [50]
    assert decode(found, rows, BoundaryModel({"x": 1.0}, 0.0, 0.0)) == [10, 50, 90]
    assert decode(found, rows, BoundaryModel({"x": 1.0}, 0.0, -2.0)) == []
    heading = [Candidate(12, "heading", 0), Candidate(13, "heading", 0),
               Candidate(14, "heading", 0)]
    model = BoundaryModel({"a": 1.0, "b": 3.0, "c": 2.0}, 0.0, 0.0)
    assert decode(heading, [["a"], ["b"], ["c"]], model) == [13]
    rows = [["x"], ["y"], ["y"]]
    assert training_rows(found, rows, [0, 1, 0])[2][-2:] == history_features(90, 50, 1)


def test_text_without_marks_is_cut_by_the_model(tmp_path: Path) -> None:
    text = "".join(_PARAGRAPHS)
    assert len(text) > 1500 and "\n" not in text
    doc = text_document(text)
    assert doc.meta["paragraphs_from"] == "model"
    assert "boundary model" in doc.meta["warnings"][0]
    found = doc.text.split("\n")
    assert "".join(found) == text
    assert 10 <= len(found) <= 3 * len(_PARAGRAPHS)
    starts = {p[:2] for p in found}
    # numbered headings and points start paragraphs; (after 。, 二是 opens a paragraph only
    # about half the time in the reports, so the model may leave it inside one)
    assert {"一、", "二、", "一是", "（一", "（二"} <= starts
    assert recover_breaks(text) == recover_breaks(text)
    path = tmp_path / "flat.jsonl"
    path.write_text(json.dumps({"id": "city", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    corpus = nqp_text.read_corpus(path)
    assert corpus.documents["paragraphs_from"].tolist() == ["model"]
    assert corpus.passages["text"].tolist() == found
    assert "boundary model" in corpus.documents["warnings"].iloc[0][0]
    summary = quality_summary(corpus.quality())
    assert summary == [f"1 document has no usable line breaks (paragraphs recovered from "
                       f"indentation, the boundary model or sentences): {path}#1"]


def test_shipped_model_is_small_plain_data_with_a_manifest() -> None:
    names = sorted(entry.name for entry in _MODEL.iterdir())
    assert names == sorted(_FILES)
    assert sum(len(_MODEL.joinpath(name).read_bytes()) for name in _FILES) < 1_000_000
    manifest = json.loads(_MODEL.joinpath("manifest.json").read_text("utf-8"))
    assert set(manifest["training_corpora"]) == set(TRAINING_CORPORA)
    assert all(name.startswith(tuple(TRAINING_CORPORA)) for name in manifest["training_files"])
    assert manifest["held_out"]["corpus"] == STATE_COUNCIL
    assert manifest["held_out"]["trained_on"] == 26
    assert {"scikit-learn", "numpy", "scipy"} <= set(manifest["versions"])
    model = load_model()
    assert len(model.weights) == manifest["features"]
    assert model.boundary_bias == manifest["hyper_parameters"]["boundary_bias"]


@pytest.mark.shared
def test_manifest_names_the_training_corpora_as_they_are(shared: Path) -> None:
    manifest = json.loads(_MODEL.joinpath("manifest.json").read_text("utf-8"))
    for name, digest in manifest["training_corpora"].items():
        assert _digest(shared / name) == digest, name
    for name, digest in manifest["training_files"].items():
        assert hashlib.sha256((shared / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.shared
def test_state_council_reports_of_odd_years_are_never_training_data(shared: Path) -> None:
    read = nqp_text.read_corpus(shared / STATE_COUNCIL).documents
    years = dict(zip(read["doc_id"].astype(str), read["year"], strict=True))
    trained = [doc_id for doc_id, _paras in
               training_documents([shared / STATE_COUNCIL], state_council=True)]
    assert len(trained) == 26
    assert not any(held_out(years[doc_id]) for doc_id in trained)
    reports = set(read.loc[read["year"].notna(), "doc_id"].astype(str))
    assert len(reports) == 52 and set(trained) < reports


@pytest.mark.shared
@pytest.mark.slow
def test_training_reproduces_the_shipped_model(shared: Path, tmp_path: Path) -> None:
    train_paragraph_model(tmp_path, shared=shared, seed=0)
    for name in _FILES:
        # digests, not bytes: pytest's diff of two large files takes minutes
        assert (hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
                == hashlib.sha256(_MODEL.joinpath(name).read_bytes()).hexdigest()), name
