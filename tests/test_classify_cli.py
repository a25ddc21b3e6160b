"""``nqp-text classify``, ``evaluate`` and ``train`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from _classify_data import TOY
from nqp_text.cli import main
from nqp_text.corpus import Corpus

SCORE_COLUMNS = [f"score_{c}" for c in ("labor_object", "labor_means", "labor_force",
                                        "tech_innovation", "factor_allocation",
                                        "industrial_upgrading")]


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    passages = pd.DataFrame({
        "doc_id": ["d1"] * len(TOY), "passage_id": [f"d1-p{i:03d}" for i in range(len(TOY))],
        "seq": range(len(TOY)), "year": [2024] * len(TOY), "text": [t for t, _ in TOY],
        "start": range(len(TOY)), "end": range(1, len(TOY) + 1)})
    return Corpus(passages=passages).save(tmp_path / "out")


@pytest.fixture()
def toy_gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [json.dumps({"id": f"doc{i % 4}-p{i:03d}", "doc": f"doc{i % 4}", "text": text,
                         "labels": labels}, ensure_ascii=False)
             for i, (text, labels) in enumerate(TOY * 2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("model", ["default", "dictionary"])
def test_classify_directory_writes_labels_parquet(corpus_dir, capsys, model):
    assert main(["classify", str(corpus_dir), "--model", model]) == 0
    assert "labels.parquet" in capsys.readouterr().out
    labels = pd.read_parquet(corpus_dir / "labels.parquet")
    assert list(labels.columns) == ["passage_id", "labels", *SCORE_COLUMNS, "evidence"]
    assert labels["passage_id"].tolist()[:2] == ["d1-p000", "d1-p001"]
    assert list(labels.loc[0, "labels"]) == ["labor_force"]
    assert list(labels.loc[3, "labels"]) == ["factor_allocation"]
    assert "高技能人才" in labels.loc[0, "evidence"]
    assert labels[SCORE_COLUMNS].apply(lambda c: c.between(0, 1)).all().all()
    assert not list(corpus_dir.glob(".nqp-tmp-*"))


def test_classify_one_text(capsys):
    assert main(["classify", "--text", "深化户籍制度改革，推进农业转移人口市民化。"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "labels: factor_allocation"
    assert "户籍制度" in out
    assert main(["classify", "--text", "开会。", "--model", "dictionary", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["labels"] == [] and set(result["scores"]) == {c[6:] for c in SCORE_COLUMNS}


def test_classify_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["classify"])
    with pytest.raises(SystemExit):
        main(["classify", str(tmp_path)])
    assert "passages.parquet: missing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:  # a usage error: no model at that path
        main(["classify", "--text", "x", "--model", str(tmp_path / "absent")])
    assert info.value.code == 2
    assert "no such model" in capsys.readouterr().err


def test_evaluate_json_and_table(toy_gold, capsys):
    assert main(["evaluate", str(toy_gold), "--model", "dictionary", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"pooled", "domains", "calibration"} <= set(report)
    assert {"macro_f1", "micro_f1", "exact_match", "per_category"} <= set(report["pooled"])
    assert report["pooled"]["per_category"]["labor_force"]["support"] == 6
    assert list(report["domains"]) == ["gold"]
    assert main(["evaluate", str(toy_gold), "--model", "dictionary"]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "labor_force" in out and "exact match" in out


def test_train_then_evaluate_with_grouped_cv(toy_gold, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", str(toy_gold), "--out", str(out), "--seed", "3", "--cv", "2"]) == 0
    assert "grouped 2-fold CV" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["training_data"][0]["n_documents"] == 4
    assert set(manifest["cv"]) == {"method", "n_splits", "repeats", "framework_classifier",
                                   "dictionary_classifier", "calibration_brier"}
    assert main(["evaluate", str(toy_gold), "--model", str(out), "--cv", "4", "--repeats", "2",
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_splits"] == 4 and report["repeats"] == 2
    assert len(report["pooled"]["macro_f1_by_split"]) == 2
    assert set(report["calibration"]["labor_force"]) == {"brier", "brier_prior", "reliability"}
    with pytest.raises(SystemExit) as info:  # an option the data cannot satisfy: usage
        main(["evaluate", str(toy_gold), "--model", str(out), "--cv", "5"])
    assert info.value.code == 2
    assert "--cv 5 needs at least 5 documents (field doc)" in capsys.readouterr().err


def test_evaluate_default_model_on_the_dev_file(shared, capsys):
    gold = shared / "gold" / "framework_passages_dev.jsonl"
    if not gold.exists():
        pytest.skip(f"{gold} is absent")
    provincial = shared / "gold" / "framework_passages_dev_provincial.jsonl"
    assert main(["evaluate", f"national={gold}", f"provincial={provincial}", "--model",
                 "dictionary", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["domains"]["national"]["n"] == 1216 and report["pooled"]["macro_f1"] >= 0.6
    assert report["domains"]["provincial"]["n"] == 416
    assert main(["evaluate", f"national={gold}", f"provincial={provincial}", "--model",
                 "dictionary"]) == 0
    out = capsys.readouterr().out
    assert "dictionary on provincial" in out and "all files pooled" in out


def test_train_with_word_vectors_records_them(toy_gold, tmp_path, capsys):
    from nqp_text.classify.embeddings import train_word_vectors

    vectors = train_word_vectors([list(text) for text, _ in TOY] * 10, dim=4, min_count=1,
                                 epochs=1)
    vectors.info = {"command": "made in a test"}
    vectors.save(tmp_path / "wv")
    out = tmp_path / "model"
    assert main(["train", str(toy_gold), "--out", str(out), "--cv", "0",
                 "--word-vectors", str(tmp_path / "wv")]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["word_vectors"] == {"command": "made in a test", "dim": 4,
                                        "n_words": len(vectors.words)}
    assert manifest["command"].endswith("--word-vectors VECTORS_DIR")
    assert (out / "word_vectors.npy").read_bytes() == vectors.npy_bytes()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["train", str(toy_gold), "--out", str(out), "--word-vectors", str(tmp_path)])
    assert "no word_vectors.npy" in capsys.readouterr().err
