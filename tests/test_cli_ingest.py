"""`nqp-text ingest`: the sample corpus exactly, usage errors, the installed script, real data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nqp_text.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SUMMARY = re.compile(r"^ingest: (\d+) documents \(ok (\d+), empty (\d+), no_text_layer (\d+), "
                     r"failed (\d+)\), (\d+) passages, (\d+) tables -> (.+)$")


def _ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    assert main(["ingest", *args]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _expected_sample() -> dict[str, dict[str, object]]:
    source = yaml.safe_load((ROOT / "corpora" / "sample_source.yaml").read_text("utf-8"))
    expected = {}
    for doc in source["documents"]:
        paragraphs = [p.lstrip("#").strip() for p in doc["paragraphs"]]
        if not doc["file"].endswith(".md"):
            paragraphs = [doc["title"], *paragraphs]
        expected[doc["file"]] = {"passages": paragraphs,
                                 "tables": [t["rows"] for t in doc.get("tables", [])]}
    return expected


def test_sample_corpus_comes_out_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    out, err = _ingest(capsys, str(SAMPLE), "--out", str(tmp_path / "out"), "--workers", "2")
    assert out.splitlines() == [f"ingest: 7 documents (ok 7, empty 0, no_text_layer 0, "
                                f"failed 0), 48 passages, 3 tables -> {tmp_path / 'out'}"]
    assert err == ""
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    passages = pd.read_parquet(tmp_path / "out" / "passages.parquet")
    tables = pd.read_parquet(tmp_path / "out" / "tables.parquet")
    names = docs["path"].map(lambda p: Path(p).name)
    assert names.tolist() == sorted(_expected_sample())
    assert docs["year"].tolist() == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert docs["source"].tolist() == ["txt", "txt", "docx", "pdf", "docx", "pdf", "md"]
    assert docs["encoding"].tolist()[:2] == ["gb18030", "utf-8"]
    assert docs["encoding"].tolist()[-1] == "utf-8-sig"
    for name, expected in _expected_sample().items():
        doc_id = docs.loc[names == name, "doc_id"].item()
        assert passages.loc[passages["doc_id"] == doc_id, "text"].tolist() == \
            expected["passages"], name
        rows = [row for cells in tables.loc[tables["doc_id"] == doc_id, "rows"] for row in cells]
        expected_rows = [row for table in expected["tables"] for row in table]
        assert [[str(c) for c in row] for row in rows] == expected_rows, name


def test_options_reach_read_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"key": "k1", "when": "2021年", "name": "甲", "body": "第一句。第二句！"},
        {"key": "k2", "when": None, "name": "乙", "body": "第三句。"},
    ]) + "\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,region\nk2,江苏\n", encoding="utf-8")
    out_dir = tmp_path / "o"
    out, _ = _ingest(capsys, str(records), "--out", str(out_dir), "--text-field", "body",
                     "--year-field", "when", "--title-field", "name", "--id-field", "key",
                     "--unit", "sentence", "--metadata", str(meta), "--timeout", "0")
    assert SUMMARY.match(out.strip()).groups()[:7] == ("2", "2", "0", "0", "0", "3", "0")
    docs = pd.read_parquet(out_dir / "documents.parquet")
    assert docs[["doc_id", "title", "year"]].astype(object).values.tolist() == [
        ["k1", "甲", 2021], ["k2", "乙", pd.NA]]
    assert docs["region"].tolist() == [pd.NA, "江苏"]
    passages = pd.read_parquet(out_dir / "passages.parquet")
    assert passages["passage_id"].tolist() == ["k1:0", "k1:1", "k2:0"]
    assert passages["text"].tolist() == ["第一句。", "第二句！", "第三句。"]


def test_window_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ingest(capsys, str(SAMPLE / "2025_政府工作要点.md"), "--out", str(tmp_path),
            "--unit", "window", "--size", "50")
    passages = pd.read_parquet(tmp_path / "passages.parquet")
    assert passages["text"].str.len().max() <= 50
    assert len(passages) > 3


def test_bad_files_are_listed_and_do_not_fail_the_run(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "2023_好.txt").write_text("新质生产力。", encoding="utf-8")
    (corpus / "坏.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "空.txt").write_bytes(b"")
    out, err = _ingest(capsys, str(corpus), "--out", str(tmp_path / "out"))
    assert err.splitlines() == [
        f"failed: {corpus / '坏.txt'}: binary content: contains NUL bytes (or UTF-16 "
        "without a byte-order mark)",
        f"empty: {corpus / '空.txt'}: zero-byte file",
    ]
    assert out.startswith("ingest: 3 documents (ok 1, empty 1, no_text_layer 0, failed 1)")


@pytest.mark.parametrize("args,message", [
    (["does-not-exist", "--out", "x"], "does-not-exist: no such file or folder"),
    ([str(SAMPLE), "--out", "x", "--unit", "window"], "--unit window needs --size N"),
    ([str(SAMPLE), "--out", "x", "--size", "5"], "--size applies only to --unit window"),
    ([str(SAMPLE), "--out", "x", "--workers", "0"], "--workers must be >= 1"),
    ([str(SAMPLE), "--out", "x", "--metadata", "nope.csv"], "--metadata nope.csv: no such file"),
])
def test_usage_errors_exit_2(args: list[str], message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["ingest", *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_metadata_file_is_an_input_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text("name,year\nx,2020\n", encoding="utf-8")
    assert main(["ingest", str(SAMPLE), "--out", str(tmp_path / "o"),
                 "--metadata", str(meta)]) == 4  # the file exists; its content is wrong
    err = capsys.readouterr().err
    assert f"{meta}: needs a 'doc_id' or 'file' column" in err and "usage:" not in err


@pytest.mark.slow
def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("nqp-text", path=os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    assert script, "the nqp-text console script is not installed"
    result = subprocess.run([script, "ingest", str(SAMPLE), "--out", str(tmp_path / "r")],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert SUMMARY.match(result.stdout.strip().splitlines()[-1])
    for name in ("documents", "passages", "tables"):
        assert (tmp_path / "r" / f"{name}.parquet").is_file()
    missing = subprocess.run([script, "ingest", str(tmp_path / "nothing"), "--out", "x"],
                             capture_output=True, text=True, timeout=600, check=False)
    assert missing.returncode == 2


# ---- real data (skipped when ../shared is absent) -----------------------------------------

def test_gov_work_reports_jsonl(gov_reports_jsonl: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _ingest(capsys, str(gov_reports_jsonl), "--text-field", "content",
                     "--year-field", "year", "--title-field", "title", "--out", str(tmp_path))
    assert out.startswith("ingest: 72 documents (ok 72, empty 0, no_text_layer 0, failed 0)")
    docs = pd.read_parquet(tmp_path / "documents.parquet")
    passages = pd.read_parquet(tmp_path / "passages.parquet")
    assert len(docs) == 72
    assert docs["year"].notna().sum() == 52
    assert (docs.loc[docs["year"].notna(), "year_source"] == "field").all()
    assert docs["doc_id"].is_unique
    assert not passages["text"].str.contains("\n").any()
    assert set(passages["doc_id"]) == set(docs["doc_id"])
    per_doc = passages.groupby("doc_id").size()
    assert per_doc[docs.loc[docs["year"].notna(), "doc_id"]].min() >= 30  # paragraphs


@pytest.fixture(scope="module")
def shared_pdfs_ingested(shared: Path, tmp_path_factory: pytest.TempPathFactory
                         ) -> tuple[Path, str]:
    """`nqp-text ingest <shared>/pdfs/*.pdf` once (the slowest test of the area: about a
    minute on two cores, most of it the 296-page annual report). The annual reports in
    the ``annual_reports/`` subfolder are tested by the annual-report tests."""
    pdfs = shared / "pdfs"
    if not pdfs.is_dir():
        pytest.skip(f"{pdfs} is absent")
    out = tmp_path_factory.mktemp("pdfs_ingest")
    files = sorted(str(path) for path in pdfs.glob("*.pdf"))
    result = subprocess.run([sys.executable, "-m", "nqp_text.cli", "ingest", *files,
                             "--out", str(out), "--workers", "2"],
                            capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


@pytest.mark.slow
def test_shared_pdfs_one_row_each(shared_pdfs_ingested: tuple[Path, str], shared: Path) -> None:
    out, stdout = shared_pdfs_ingested
    docs = pd.read_parquet(out / "documents.parquet")
    pdf_names = sorted(p.name for p in (shared / "pdfs").glob("*.pdf"))
    names = docs["path"].map(lambda p: Path(p).name)
    assert sorted(n for n in names if n.endswith(".pdf")) == pdf_names
    status = dict(zip(names, docs["status"], strict=True))
    assert status["scanned_book_pages_zh_hans.pdf"] == "no_text_layer"
    assert all(status[name] == "ok" for name in pdf_names
               if name != "scanned_book_pages_zh_hans.pdf")
    assert len(docs) == len(pdf_names) == 11
    assert SUMMARY.match(stdout.strip().splitlines()[-1])
    years = dict(zip(names, docs["year"], strict=True))
    assert years["annual_report_pingan_bank_2024.pdf"] == 2024
    assert years["civil_code_prc_2020.pdf"] == 2020


def test_shared_pdf_passages_and_tables(shared_pdfs_ingested: tuple[Path, str]) -> None:
    out, _ = shared_pdfs_ingested
    docs = pd.read_parquet(out / "documents.parquet")
    passages = pd.read_parquet(out / "passages.parquet")
    tables = pd.read_parquet(out / "tables.parquet")
    huaian = docs.loc[docs["path"].str.endswith("gov_disclosure_annual_report_huaian_2024.pdf"),
                      "doc_id"].item()
    texts = passages.loc[passages["doc_id"] == huaian, "text"]
    assert len(texts) > 10
    assert not texts.str.contains("\n").any()
    assert not texts.str.fullmatch(r"[-—\s]*\d+[-—\s]*|第\s*\d+\s*页|\d+\s*/\s*\d+").any()
    rows = [[str(cell) for cell in row] for cells in tables.loc[tables["doc_id"] == huaian, "rows"]
            for row in cells]
    number_row = ["3001", "53", "0", "0", "61", "4", "3119"]
    assert any([cell for cell in row if cell][-7:] == number_row for row in rows)
    assert not texts.str.contains("3001 53 0 0 61 4 3119").any()
