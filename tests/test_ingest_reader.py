"""read_corpus: every input is a row, stable ids, years, metadata, bad files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import nqp_text
from nqp_text import Corpus, read_corpus
from nqp_text.io.reader import (
    assign_doc_ids,
    discover_files,
    read_document,
    year_from_filename,
)

GOOD = "加快发展新质生产力。\n\n推动数字经济和实体经济深度融合。\n"


def _sha16(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@pytest.fixture()
def messy(tmp_path: Path) -> Path:
    """A folder with good files, bad files and a duplicate, as a researcher might have."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "2024年政府工作报告.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "2024年政府工作报告.txt").write_text(GOOD, encoding="utf-8")
    gbk = "数据要素市场化配置改革。".encode("gbk")
    (root / "sub" / "600519_2023_年度报告.txt").write_bytes(gbk)
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (root / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (root / "broken.md").symlink_to(root / "missing-target.md")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "README.md").write_text("这个文件夹的说明", encoding="utf-8")
    (root / "sub" / "LICENSE").write_text("许可", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("不读", encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    return root


def test_every_input_is_a_row_with_a_reason(messy: Path) -> None:
    corpus = read_corpus(messy, workers=2, timeout=60)
    docs = corpus.documents
    rel = [Path(p).relative_to(messy).as_posix() for p in docs["path"]]
    assert rel == ["2024年政府工作报告.txt", "broken.md", "empty.txt", "junk.txt", "old.doc",
                   "pipe.txt", "sub/2024年政府工作报告.txt", "sub/600519_2023_年度报告.txt"]
    by = docs.assign(rel=rel).set_index("rel")
    assert by["status"].to_dict() == {
        "2024年政府工作报告.txt": "ok", "broken.md": "failed", "empty.txt": "empty",
        "junk.txt": "failed", "old.doc": "failed", "pipe.txt": "failed",
        "sub/2024年政府工作报告.txt": "ok", "sub/600519_2023_年度报告.txt": "ok",
    }
    assert by.loc["broken.md", "error"].startswith("broken symbolic link")
    assert by.loc["empty.txt", "error"] == "zero-byte file"
    assert by.loc["junk.txt", "error"].startswith("binary content")
    assert by.loc["old.doc", "error"].startswith("unsupported file type '.doc'")
    assert by.loc["pipe.txt", "error"] == "not a regular file (a FIFO)"
    assert by["error"].isna().tolist() == [s == "ok" for s in by["status"]]
    assert by.loc["sub/600519_2023_年度报告.txt", "encoding"] == "gb18030"
    assert corpus.status_counts() == {"ok": 3, "empty": 1, "no_text_layer": 0, "failed": 4}


def test_doc_ids_from_content_and_duplicates_numbered(messy: Path) -> None:
    docs = read_corpus(messy, timeout=None).documents.set_index("path")
    first = str(messy / "2024年政府工作报告.txt")
    copy = str(messy / "sub" / "2024年政府工作报告.txt")
    base = _sha16(GOOD.encode())
    assert docs.loc[first, "doc_id"] == base
    assert docs.loc[copy, "doc_id"] == f"{base}-2"
    assert docs.loc[copy, "duplicate_of"] == base
    assert pd.isna(docs.loc[first, "duplicate_of"])
    assert docs.loc[str(messy / "empty.txt"), "doc_id"] == _sha16(b"")
    broken = str(messy / "broken.md")
    assert docs.loc[broken, "doc_id"] == _sha16(broken.encode())
    assert docs["doc_id"].is_unique


def test_ids_do_not_depend_on_location_order_or_workers(messy: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(messy / "sub", moved)
    here = read_corpus(messy / "sub", timeout=None).documents
    there = read_corpus([moved], workers=2, timeout=60).documents
    assert here["doc_id"].tolist() == there["doc_id"].tolist()
    a = read_corpus([messy / "sub", messy / "2024年政府工作报告.txt"], timeout=None).documents
    b = read_corpus([messy / "2024年政府工作报告.txt", messy / "sub"], timeout=None).documents
    assert a.set_index("path")["doc_id"].to_dict() == b.set_index("path")["doc_id"].to_dict()


def test_read_document_gives_the_rows_read_corpus_gives_one_file(messy: Path) -> None:
    for path in discover_files(messy):
        one = read_document(path, timeout=None)
        expected = read_corpus([path], timeout=None)
        assert one.documents["base_id"].tolist() == one.documents["doc_id"].tolist()
        pd.testing.assert_frame_equal(one.documents.drop(columns="base_id"), expected.documents)
        pd.testing.assert_frame_equal(one.passages, expected.passages)
        pd.testing.assert_frame_equal(one.tables, expected.tables)
    with pytest.raises(IsADirectoryError, match="read_corpus reads folders"):
        read_document(messy)
    with pytest.raises(FileNotFoundError):
        read_document(messy / "nowhere.txt")


def _file_by_file(paths: list[str]) -> Corpus:
    """Each file read with read_document, then ids made unique across files and renamed."""
    parts = [read_document(path, timeout=None) for path in paths]
    documents = pd.concat([part.documents for part in parts], ignore_index=True)
    final = assign_doc_ids(documents)
    passages = []
    start = 0
    for part in parts:
        renamed = dict(zip(part.documents["doc_id"],
                           final["doc_id"].iloc[start:start + len(part.documents)], strict=True))
        start += len(part.documents)
        doc_ids = part.passages["doc_id"].map(renamed)
        passages.append(part.passages.assign(doc_id=doc_ids, passage_id=[
            f"{doc_id}:{seq}" for doc_id, seq in zip(doc_ids, part.passages["seq"],
                                                     strict=True)]))
    documents = documents.assign(doc_id=final["doc_id"], duplicate_of=final["duplicate_of"])
    return Corpus(documents.drop(columns="base_id"), pd.concat(passages, ignore_index=True))


def test_files_read_one_by_one_get_the_ids_of_one_read_corpus_call(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "2024年通知.txt").write_text(GOOD, encoding="utf-8")
    records = {"a/one.jsonl": [("x", "一。")], "b/two.jsonl": [("x", "二。"), ("x", "三。")],
               "c.jsonl": [("x-3", "四。"), ("y", "五。")]}
    for name, rows in records.items():
        (root / name).write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                                         + "\n" for i, t in rows), encoding="utf-8")
    expected = read_corpus(root, timeout=None)
    ids = expected.documents.set_index("path")["doc_id"]
    assert [ids[str(root / "b" / "two.jsonl")].tolist(), ids[str(root / "c.jsonl")].tolist()] \
        == [["x-2", "x-4"], ["x-3", "y"]]  # x-3 is c.jsonl's own id: taken
    combined = _file_by_file(discover_files(root))
    pd.testing.assert_frame_equal(combined.documents, expected.documents)
    pd.testing.assert_frame_equal(combined.passages, expected.passages)
    assert combined.documents["duplicate_of"].notna().sum() == 1


def test_years_from_file_names() -> None:
    assert year_from_filename("2024年政府工作报告.pdf") == 2024
    assert year_from_filename("600519_2023_年度报告.pdf") == 2023
    assert year_from_filename("dir2019/报告.pdf") is None
    assert year_from_filename("20240315_通知.pdf") is None
    assert year_from_filename("1948年文件.txt") is None
    assert year_from_filename("v2101.txt") is None
    assert year_from_filename("1949-2019七十年.txt") == 1949
    assert year_from_filename("report.txt") is None


def test_passages_follow_the_unit(messy: Path) -> None:
    path = messy / "2024年政府工作报告.txt"
    paragraphs = read_corpus(path, timeout=None).passages
    assert paragraphs["text"].tolist() == ["加快发展新质生产力。",
                                           "推动数字经济和实体经济深度融合。"]
    assert paragraphs[["start", "end"]].values.tolist() == [[0, 10], [11, 27]]
    assert paragraphs["year"].tolist() == [2024, 2024]
    windows = read_corpus(path, unit="window", size=8, timeout=None).passages
    assert windows["text"].tolist() == ["加快发展新质生产", "力。\n推动数字经",
                                        "济和实体经济深度", "融合。"]


def test_thousand_files_three_broken(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for index in range(1000):
        (root / f"doc_{index:04d}.txt").write_text(f"第{index}号文件：推动新质生产力发展。",
                                                  encoding="utf-8")
    (root / "doc_0100.txt").write_bytes(b"\x00\xff" * 50)
    (root / "doc_0500.txt").write_bytes(b"")
    (root / "doc_0500.txt").unlink()
    (root / "doc_0500.txt").symlink_to(root / "gone.txt")
    (root / "doc_0900.txt").write_bytes(b"%PDF-1.4\n" + b"\x00" * 64)
    corpus = read_corpus(root, workers=2, timeout=120)
    assert len(corpus.documents) == 1000
    assert corpus.status_counts() == {"ok": 997, "empty": 0, "no_text_layer": 0, "failed": 3}
    failed = corpus.documents.query("status == 'failed'")
    assert [Path(p).name for p in failed["path"]] == ["doc_0100.txt", "doc_0500.txt",
                                                      "doc_0900.txt"]
    assert len(corpus.passages) == 997


def _read_statuses_as_unprivileged_user(folder: Path, warm_up: Path) -> list[list[str]]:
    """Read ``folder`` in a child process that becomes ``nobody`` first: root reads any file.

    The child reads ``warm_up`` while still root, so every module the reader needs is
    imported from the (root-only) interpreter folder before the privileges are dropped;
    it reads in its own process (no time or memory limit: no reader process to start).
    """
    script = ("import json, os, sys; from nqp_text import read_corpus; "
              "read_corpus(sys.argv[2], timeout=None, memory_limit=None); "
              "os.setgroups([]); os.setgid(65534); os.setuid(65534); "
              "d = read_corpus(sys.argv[1], timeout=None, memory_limit=None).documents; "
              "print(json.dumps([d['status'].tolist(), d['error'].tolist()], "
              "default=lambda missing: None))")
    result = subprocess.run([sys.executable, "-c", script, str(folder), str(warm_up)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_unreadable_permissions(tmp_path: Path) -> None:
    """A file the user may not read is a failed row, as root too (read as ``nobody``)."""
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        path = folder / "secret.txt"
        path.write_text("保密", encoding="utf-8")
        path.chmod(0)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            warm_up = tmp_path / "readable.txt"
            warm_up.write_text("公开", encoding="utf-8")
            statuses, errors = _read_statuses_as_unprivileged_user(folder, warm_up)
        else:
            docs = read_corpus(folder, timeout=None).documents
            statuses, errors = docs["status"].tolist(), docs["error"].tolist()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert statuses == ["failed"]
    assert errors == ["cannot read file: Permission denied"]


def test_an_unreadable_subfolder_is_a_failed_row(tmp_path: Path) -> None:
    """A folder the user may not list is a row naming it, not silently dropped."""
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        (folder / "2024_good.txt").write_text("加快发展新质生产力。", encoding="utf-8")
        locked = folder / "locked"
        locked.mkdir()
        (locked / "2024_hidden.txt").write_text("保密", encoding="utf-8")
        locked.chmod(0)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            warm_up = tmp_path / "readable.txt"
            warm_up.write_text("公开", encoding="utf-8")
            statuses, errors = _read_statuses_as_unprivileged_user(folder, warm_up)
        else:
            docs = read_corpus(folder, timeout=None, memory_limit=None).documents
            statuses, errors = docs["status"].tolist(), docs["error"].tolist()
    finally:
        locked.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
    assert statuses == ["ok", "failed"]
    assert errors == [None, "cannot read folder: Permission denied"]


def test_jsonl_rows_ids_years_and_extra_fields(tmp_path: Path) -> None:
    path = tmp_path / "records_2020.jsonl"
    rows = [
        {"id": "A", "year": "2021", "title": "甲", "text": "一。", "region": "江苏"},
        {"id": "A", "year": None, "title": "乙", "text": "二。", "region": 3},
        {"year": 2022, "text": "三。", "status": "draft"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{bad\n",
                    encoding="utf-8")
    corpus = read_corpus(path, timeout=None)
    docs = corpus.documents
    sha = _sha16(path.read_bytes())
    assert docs["doc_id"].tolist() == ["A", "A-2", f"{sha}-3", f"{sha}-4"]
    assert docs["row"].tolist() == [1, 2, 3, 4]
    assert docs["year"].tolist()[:3] == [2021, pd.NA, 2022]  # never from the file name
    assert docs["year_source"].tolist()[:3] == ["field", pd.NA, "field"]
    assert docs["title"].tolist()[:2] == ["甲", "乙"]
    assert docs["status"].tolist() == ["ok", "ok", "ok", "failed"]
    assert docs["region"].tolist() == ["江苏", "3", pd.NA, pd.NA]  # mixed types become text
    assert docs["field_status"].tolist()[2] == "draft"
    assert docs["sha256"].tolist()[0] == hashlib.sha256("一。".encode()).hexdigest()
    assert corpus.passages["passage_id"].tolist() == ["A:0", "A-2:0", f"{sha}-3:0"]


def test_metadata_csv_overrides_years_and_adds_columns(messy: Path, tmp_path: Path) -> None:
    meta = tmp_path / "meta.csv"
    gbk_id = read_corpus(messy / "sub" / "600519_2023_年度报告.txt", timeout=None).documents
    meta.write_bytes((
        "file,year,title,region,code\n"
        "2024年政府工作报告.txt,2025,改名,全国,000001\n"
        "empty.txt,,,空,\n"
        "nothing.pdf,2000,,,\n"
    ).encode("gbk"))
    with pytest.warns(UserWarning, match=r"1 metadata row\(s\) match no document: 'nothing.pdf'"):
        docs = read_corpus(messy, meta, timeout=None).documents
    docs = docs.set_index(docs["path"].map(lambda p: Path(p).relative_to(messy).as_posix()))
    assert docs.loc["2024年政府工作报告.txt", ["year", "year_source", "title", "region", "code"]
                    ].tolist() == [2025, "metadata", "改名", "全国", "000001"]
    assert docs.loc["sub/2024年政府工作报告.txt", "year"] == 2025  # matched by file name too
    assert docs.loc["empty.txt", "region"] == "空"
    assert docs.loc["sub/600519_2023_年度报告.txt", ["year", "year_source"]].tolist() == [
        2023, "filename"]

    by_id = tmp_path / "by_id.csv"
    by_id.write_text(f"doc_id,year\n{gbk_id['doc_id'][0]},1999\n", encoding="utf-8-sig")
    docs = read_corpus(messy / "sub", by_id, timeout=None).documents
    assert docs["year"].tolist() == [2024, 1999]


def test_metadata_by_path_suffix(messy: Path, tmp_path: Path) -> None:
    meta = tmp_path / "m.csv"
    meta.write_text("path,year\nsub/2024年政府工作报告.txt,2001\n", encoding="utf-8")
    docs = read_corpus(messy, meta, timeout=None).documents
    years = dict(zip(docs["path"], docs["year"], strict=True))
    assert years[str(messy / "sub" / "2024年政府工作报告.txt")] == 2001
    assert years[str(messy / "2024年政府工作报告.txt")] == 2024


@pytest.mark.parametrize("content,message", [
    ("name,year\na.txt,2020\n", "needs a 'doc_id' or 'file' column"),
    ("file,status\na.txt,ok\n", "would overwrite documents columns"),
    ("file,year\na.txt,soon\n", "line 2: year 'soon' is not a year"),
    ("file,year\na.txt,2020\na.txt,2021\n", "line 3: 'a.txt' appears twice"),
])
def test_bad_metadata_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text("文本。", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_corpus(tmp_path / "a.txt", meta, timeout=None)


def test_metadata_file_inside_the_folder_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "2020_a.txt").write_text("文本。", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("file,region\n2020_a.txt,北京\n", encoding="utf-8")
    docs = read_corpus(tmp_path, tmp_path / "meta.csv", timeout=None).documents
    assert docs["region"].tolist() == ["北京"]


def test_save_and_load_round_trip(messy: Path, tmp_path: Path) -> None:
    corpus = read_corpus(messy, timeout=None)
    loaded = Corpus.load(corpus.save(tmp_path / "out"))
    pd.testing.assert_frame_equal(loaded.documents, corpus.documents)
    pd.testing.assert_frame_equal(loaded.passages, corpus.passages)


def test_discover_rejects_missing_paths_and_reads_a_file_once(messy: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-dir: no such file or folder"):
        discover_files([messy / "no-such-dir"])
    file = messy / "empty.txt"
    assert discover_files([file, messy])[0] == str(file)
    assert discover_files([file, messy]).count(str(file)) == 1
    assert discover_files([messy / "README.md"]) == [str(messy / "README.md")]


@pytest.mark.parametrize("options,message", [
    ({"unit": "page"}, "unit must be one of"),
    ({"unit": "window"}, "needs size=N"),
    ({"workers": 0}, "workers must be"),
    ({"timeout": 0}, "timeout must be"),
])
def test_bad_options(messy: Path, options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_corpus(messy, **options)


def test_read_corpus_is_exported() -> None:
    assert nqp_text.read_corpus is read_corpus
    assert "read_corpus" in dir(nqp_text)
