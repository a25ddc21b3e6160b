"""``nqp-text run``: the same tables as the stage commands, cached, incremental, identical."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from _pipeline_corpus import digests, write_corpus, write_gov_subset
from nqp_text.cli import main
from nqp_text.io.reader import read_corpus
from nqp_text.pipeline import run_pipeline
from nqp_text.pipeline.manifest import MANIFEST_NAME

CORPUS_OUTPUTS = ("documents.parquet", "passages.parquet", "tables.parquet")
SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "in")


@pytest.fixture(scope="module")
def first_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("run") / "results"
    return out, run_pipeline([corpus], out, progress=False)


def _same_as_read_corpus(out: Path, inputs: Path) -> pd.DataFrame:
    """Assert that a run's corpus tables are those of ``read_corpus``; its documents."""
    expected = read_corpus([inputs], timeout=None)
    documents = pd.read_parquet(out / "documents.parquet")
    assert sorted(documents.columns) == sorted(expected.documents.columns)
    pd.testing.assert_frame_equal(documents[list(expected.documents.columns)],
                                  expected.documents, check_dtype=False)
    passages = pd.read_parquet(out / "passages.parquet")
    pd.testing.assert_frame_equal(passages, expected.passages, check_dtype=False)
    for name in ("tokens.parquet", "labels.parquet"):
        ids = pd.read_parquet(out / name)["passage_id"].tolist()
        assert ids == passages["passage_id"].tolist(), name
    return documents


def test_corpus_tables_equal_those_of_read_corpus(corpus: Path, first_run: tuple) -> None:
    out, _ = first_run
    _same_as_read_corpus(out, corpus)


def test_tokens_are_those_of_the_segment_stage(first_run: tuple) -> None:
    from nqp_text.segment.run import segment_passages

    out, _ = first_run
    passages = pd.read_parquet(out / "passages.parquet")
    tokens = pd.read_parquet(out / "tokens.parquet")
    assert tokens["passage_id"].tolist() == passages["passage_id"].tolist()
    expected = segment_passages(passages).set_index("passage_id")["tokens"]
    assert [list(t) for t in tokens["tokens"]] == [list(expected[p]) for p in
                                                   tokens["passage_id"]]


def test_a_broken_file_is_a_failed_row_and_the_others_go_on(first_run: tuple) -> None:
    out, manifest = first_run
    documents = pd.read_parquet(out / "documents.parquet")
    failed = documents[documents["status"] == "failed"]
    assert failed["path"].map(lambda p: Path(p).name).tolist() == ["2022年损坏文件.txt"]
    assert failed["error"].str.len().iloc[0] > 0
    assert manifest["documents"] == {"ok": 7, "empty": 0, "no_text_layer": 0, "failed": 1}
    by_path = {Path(entry["path"]).name: entry for entry in manifest["inputs"]}
    assert by_path["2022年损坏文件.txt"]["status"] == "failed"
    assert by_path["records.jsonl"]["documents"] == 3
    # refused from its first bytes (binary), the broken file is never hashed
    assert by_path["2022年损坏文件.txt"]["sha256"] is None
    assert all(len(entry["sha256"]) == 64 for name, entry in by_path.items()
               if name != "2022年损坏文件.txt")


def test_manifest_records_options_versions_hashes_and_stages(first_run: tuple) -> None:
    out, manifest = first_run
    on_disk = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(manifest))
    assert on_disk["environment"]["nqp_text"]
    assert on_disk["environment"]["dependencies"]["jieba"]
    assert on_disk["options"]["workers"] == 1 and on_disk["options"]["unit"] == "paragraph"
    assert len(on_disk["hashes"]["segmenter_config"]) == 64
    assert on_disk["stages"]["ingest"]["computed"] == 6
    assert on_disk["stages"]["segment"]["computed"] == 7
    assert len(on_disk["hashes"]["model"]) == 64
    assert on_disk["stages"]["classify"]["computed"] == 7
    assert set(on_disk["outputs"]) >= {*CORPUS_OUTPUTS, "tokens.parquet", "labels.parquet"}


@pytest.mark.slow
def test_rerun_adding_files_and_changing_the_lexicon(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    run_pipeline([corpus], out, progress=False)
    before = digests(out)
    again = run_pipeline([corpus], out, progress=False)
    assert again["executor"] == {"kind": "none (everything cached)"}
    assert set(again["stages"]) >= {"ingest", "segment", "count", "classify", "trends", "topics",
                                    "report"}
    assert {name: stage["computed"] for name, stage in again["stages"].items()
            if name != "hash" and stage["computed"]} == {}
    assert digests(out) == before

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "2025年新增文件.txt").write_text("推动人工智能与实体经济深度融合。",
                                              encoding="utf-8")
    grown = run_pipeline([corpus, extra], out, progress=False)
    assert grown["stages"]["ingest"]["computed"] == 1
    assert grown["stages"]["segment"]["computed"] == 1
    assert grown["stages"]["segment"]["cached"] == 7
    assert grown["stages"]["count"]["computed"] == 1

    lexicon = tmp_path / "user_dict.txt"
    lexicon.write_text("实体经济深度融合 10 n\n", encoding="utf-8")
    resegmented = run_pipeline([corpus, extra], out, progress=False, lexicon=str(lexicon))
    assert resegmented["stages"]["ingest"]["computed"] == 0
    assert resegmented["stages"]["segment"]["computed"] == 8
    assert resegmented["stages"]["count"]["computed"] == 8
    assert resegmented["stages"]["classify"]["computed"] == 0
    tokens = pd.read_parquet(out / "tokens.parquet")
    assert any("实体经济深度融合" in list(t) for t in tokens["tokens"])

    relabelled = run_pipeline([corpus, extra], out, progress=False, lexicon=str(lexicon),
                              model="dictionary")
    assert {name: relabelled["stages"][name]["computed"]
            for name in ("ingest", "segment", "count", "classify")} == {
        "ingest": 0, "segment": 0, "count": 0, "classify": 8}


def _entries(out: Path) -> set[Path]:
    return {p.relative_to(out) for p in (out / ".cache").glob("*/??/*") if p.is_file()}


@pytest.mark.slow
def test_prune_cache_keeps_exactly_what_the_run_uses(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    run_pipeline([corpus], out, progress=False)
    first = _entries(out)
    lexicon = tmp_path / "user_dict.txt"
    lexicon.write_text("实体经济深度融合 10 n\n", encoding="utf-8")
    run_pipeline([corpus], out, progress=False, lexicon=str(lexicon))
    both = _entries(out)
    assert both > first  # the second lexicon added token and count entries
    (out / ".cache" / "outputs" / "keep.txt").write_text("not an entry", encoding="utf-8")

    pruned = run_pipeline([corpus], out, progress=False, prune_cache=True)
    assert {name: pruned["stages"][name]["computed"]  # per-document work all cached
            for name in ("ingest", "segment", "count", "classify")} == {
        "ingest": 0, "segment": 0, "count": 0, "classify": 0}
    assert _entries(out) == first
    assert pruned["cache_pruned"]["files"] == len(both - first) > 0
    assert (out / ".cache" / "outputs" / "keep.txt").exists()
    again = run_pipeline([corpus], out, progress=False, prune_cache=True)
    assert again["executor"] == {"kind": "none (everything cached)"}  # nothing needed was lost
    assert again["cache_pruned"] == {"files": 0, "bytes": 0}
    relexed = run_pipeline([corpus], out, progress=False, lexicon=str(lexicon))
    assert relexed["stages"]["ingest"]["computed"] == 0  # passages entries survived pruning


@pytest.mark.slow
def test_outputs_are_byte_identical_across_executors(corpus: Path, shared: Path,
                                                     tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    gov = write_gov_subset(shared, tmp_path / "gov", n=6)
    results = {}
    for label, options in {"in-process": {"workers": 1}, "pool": {"workers": 2},
                           "dask": {"workers": 2, "scheduler": "local-cluster"}}.items():
        out = tmp_path / label / "results"
        manifest = run_pipeline([corpus, gov], out, progress=False, **options)
        assert manifest["executor"]["kind"] == {"in-process": "in-process",
                                                "pool": "process-pool", "dask": "dask"}[label]
        results[label] = digests(out)
    assert results["in-process"] == results["pool"] == results["dask"]
    assert set(results["dask"]) >= {*CORPUS_OUTPUTS, "tokens.parquet", "labels.parquet",
                                    "trends_lexicon.csv", "category_trends.parquet",
                                    "topic_prevalence.csv", "report.html"}


def test_cli_run_prints_one_summary_line(corpus: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(corpus), "--out", str(tmp_path / "r"), "--quiet"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("run: 8 documents (ok 7,")
    assert main(["run", str(corpus), "--out", str(tmp_path / "r"), "--quiet",
                 "--prune-cache"]) == 0
    assert "pruned 0 cache entries (0.0 MB)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "r")])
    assert exit_info.value.code == 2


def test_identical_files_get_the_ids_read_corpus_gives_them(tmp_path: Path) -> None:
    corpus = tmp_path / "dup"
    for folder in ("a", "b"):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "2024年通知.txt").write_text("发展新质生产力。\n\n建设数字中国。",
                                                       encoding="utf-8")
    out = tmp_path / "results"
    run_pipeline([corpus], out, progress=False)
    documents = _same_as_read_corpus(out, corpus)
    assert documents["doc_id"].iloc[1] == documents["doc_id"].iloc[0] + "-2"
    assert documents["duplicate_of"].iloc[1] == documents["doc_id"].iloc[0]


@pytest.mark.slow
def test_outputs_do_not_depend_on_the_output_folder_name(tmp_path: Path) -> None:
    outputs = {}
    for name in ("results", "another name 结果"):
        out = tmp_path / name
        assert main(["run", str(SAMPLE), "--out", str(out), "--quiet"]) == 0
        outputs[name] = digests(out)
    assert outputs["results"] == outputs["another name 结果"]
    assert set(outputs["results"]) >= {*CORPUS_OUTPUTS, "tokens.parquet", "labels.parquet",
                                       "trends_lexicon.parquet", "topic_terms.parquet"}
    report = tmp_path / "results" / "report.html"
    if report.exists():  # absent only without a CJK font (the manifest says why)
        assert "results" not in report.read_text(encoding="utf-8")


def test_repeated_record_ids_across_files_get_the_ids_read_corpus_gives_them(
        tmp_path: Path) -> None:
    corpus = tmp_path / "records"
    corpus.mkdir()
    # the first passage gets no label: labels.parquet must still have list<string> labels
    records = {"a.jsonl": [("x", "会议于上午九时开幕。")],
               "b.jsonl": [("x", "建设数字中国。"), ("x", "培育数据要素市场。")]}
    for name, rows in records.items():
        (corpus / name).write_text("".join(
            json.dumps({"id": i, "year": 2024, "text": t}, ensure_ascii=False) + "\n"
            for i, t in rows), encoding="utf-8")
    out = tmp_path / "results"
    run_pipeline([corpus], out, progress=False)
    documents = _same_as_read_corpus(out, corpus)
    assert documents["doc_id"].tolist() == ["x", "x-2", "x-3"]
    labels = pd.read_parquet(out / "labels.parquet")
    assert labels["labels"].map(len).tolist()[0] == 0 and labels["labels"].map(len).sum() > 0
