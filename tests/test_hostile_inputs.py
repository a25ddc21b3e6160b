"""Hostile inputs: each is built in a temporary folder and must cost one row, not the run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from _hostile import (
    GOOD_RECORDS,
    allocate,
    bad_records_csv,
    bad_records_jsonl,
    big_text,
    clean_csv,
    clean_jsonl,
    docx_bomb,
    good_docx,
    good_line,
    junk_pdf,
    nul_file,
)
from nqp_text import read_corpus
from nqp_text.io._pool import default_memory_limit, run_tasks
from nqp_text.io.docx import MAX_XML_BYTES, read_docx
from nqp_text.io.errors import ReaderError


def test_a_docx_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "bomb.docx", inflated_mib=512)
    assert bomb.stat().st_size < 2**20
    with pytest.raises(ReaderError, match="zip bomb: its parts inflate to 513 MiB"):
        read_docx(bomb)


def test_a_docx_bomb_with_lying_sizes_fails_without_inflating(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "bomb.docx", inflated_mib=300, lie=True)
    declared = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
    assert declared < MAX_XML_BYTES  # passes the size check ...
    # ... but zipfile inflates no more than the declared 1 KiB, then fails the CRC check
    with pytest.raises(ReaderError, match="not a valid .docx.*Bad CRC"):
        read_docx(bomb)


def test_a_docx_bomb_is_one_failed_row_and_good_files_are_untouched(tmp_path: Path) -> None:
    good_docx(tmp_path / "2024_good.docx")
    clean = read_corpus(tmp_path, timeout=None)
    docx_bomb(tmp_path / "2024_bomb.docx", inflated_mib=300)
    corpus = read_corpus(tmp_path, workers=2, timeout=120)
    docs = corpus.documents.set_index("path")
    bomb_row = docs.loc[str(tmp_path / "2024_bomb.docx")]
    assert bomb_row["status"] == "failed" and "zip bomb" in bomb_row["error"]
    good = corpus.documents.query("status == 'ok'").reset_index(drop=True)
    assert good.drop(columns="path").equals(clean.documents.drop(columns="path"))
    assert corpus.passages.equals(clean.passages)


def test_a_worker_over_its_memory_limit_fails_alone() -> None:
    outcomes = run_tasks(allocate, [1, 3000, 2], workers=1, timeout=60,
                         memory_limit=1024 * 2**20)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert [o.value for o in outcomes if o.ok] == [2**20, 2 * 2**20]
    assert outcomes[1].error.startswith("memory limit reached (1,024 MiB")


def test_the_default_memory_limit_fits_the_machine() -> None:
    limit = default_memory_limit()
    assert limit is not None and 512 * 2**20 <= limit <= 4 * 2**30


_GOOD_TEXT = "加快发展新质生产力。\n推进数据要素市场化配置改革。\n"


def _nqp_text(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nqp_text.cli", *map(str, args)],
                          timeout=300, capture_output=True, text=True)


@pytest.mark.slow
def test_a_file_over_the_memory_limit_is_one_failed_row_in_ingest_and_run(tmp_path: Path
                                                                         ) -> None:
    """Every format, in ``ingest`` and ``run``, is read under the memory cap (--memory-limit)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024_good.txt").write_text(_GOOD_TEXT, encoding="utf-8")
    clean = read_corpus(folder, timeout=None, memory_limit=None)
    big_text(folder / "2024_big.txt", mib=24)
    reason = "memory limit reached (64 MiB"
    assert _nqp_text("ingest", folder, "--out", tmp_path / "ingest", "--memory-limit",
                     "64").returncode == 0
    # one good document is too few for topics (exit 1, warned); the tables are written
    _nqp_text("run", folder, "--out", tmp_path / "run", "--memory-limit", "64", "--quiet",
              "--model", "dictionary", "--unseeded", "--k", "2")
    for out in ("ingest", "run"):
        docs = pd.read_parquet(tmp_path / out / "documents.parquet").set_index("path")
        assert docs.loc[str(folder / "2024_big.txt"), "status"] == "failed"
        assert docs.loc[str(folder / "2024_big.txt"), "error"].startswith(reason)
        good = docs.loc[[str(folder / "2024_good.txt")], clean.documents.columns.drop("path")]
        expected = clean.documents.drop(columns="path").reset_index(drop=True)
        # run's documents column is float where a failed row has no value: same numbers
        pd.testing.assert_frame_equal(good.reset_index(drop=True), expected, check_dtype=False)
        passages = pd.read_parquet(tmp_path / out / "passages.parquet")
        assert passages["text"].tolist() == clean.passages["text"].tolist()
    corpus = read_corpus(folder, memory_limit=64 * 2**20)
    assert corpus.documents.set_index("path").loc[str(folder / "2024_big.txt"),
                                                  "error"].startswith(reason)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isfile("/etc/passwd"), reason="needs /etc/passwd to link to")
def test_a_link_out_of_the_input_is_never_read(tmp_path: Path) -> None:
    """``ln -s /etc/passwd in/notes_2024.txt``: a failed row, nothing of it in any output."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024_good.txt").write_text(_GOOD_TEXT, encoding="utf-8")
    (folder / "notes_2024.txt").symlink_to("/etc/passwd")
    (folder / "copy_2024.txt").symlink_to("2024_good.txt")  # inside the input: read
    secret = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split(":")[0]
    corpus = read_corpus(folder, timeout=None, memory_limit=None)
    _nqp_text("run", folder, "--out", tmp_path / "run", "--quiet", "--model", "dictionary",
              "--unseeded", "--k", "2")
    run_docs = pd.read_parquet(tmp_path / "run" / "documents.parquet")
    for docs in (corpus.documents, run_docs):
        row = docs.set_index("path").loc[str(folder / "notes_2024.txt")]
        assert row["status"] == "failed"
        assert row["error"].startswith("link points outside the input (")
        assert docs["status"].tolist().count("ok") == 2
    for passages in (corpus.passages, pd.read_parquet(tmp_path / "run" / "passages.parquet")):
        assert secret not in "".join(passages["text"]) and len(passages)
    tokens = pd.read_parquet(tmp_path / "run" / "tokens.parquet")
    assert secret not in tokens.astype(str).to_string()
    followed = read_corpus(folder, timeout=None, memory_limit=None, follow_links=True)
    assert secret in "".join(followed.passages["text"])


_GBK_NAME = "2024年报告.txt".encode("gbk")


def _hostile_folder(folder: Path) -> Path:
    """A good file, a FIFO and a file whose name is GBK bytes (not valid UTF-8)."""
    folder.mkdir()
    (folder / "2024_报告.txt").write_text("加快发展新质生产力。\n推进数据要素市场化配置改革。\n",
                                         encoding="utf-8")
    os.mkfifo(folder / "2024_管道.txt")
    with open(os.path.join(os.fsencode(folder), _GBK_NAME), "wb") as handle:
        handle.write("培育壮大新兴产业。".encode())
    return folder


def test_a_file_name_that_is_not_utf8_is_read_and_shown_with_its_bytes(tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path / "in")
    with pytest.warns(UserWarning, match="1 file name.*not valid UTF-8"):
        corpus = read_corpus(folder, timeout=None)
    shown = str(folder) + "/" + _GBK_NAME.decode("utf-8", "backslashreplace")
    row = corpus.documents.set_index("path").loc[shown]
    assert row["status"] == "ok" and row["year"] == 2024
    assert "培育壮大新兴产业。" in corpus.passages["text"].tolist()
    corpus.save(tmp_path / "out")  # Parquet accepts it


@pytest.mark.slow
def test_run_survives_a_fifo_and_a_non_utf8_name(tmp_path: Path) -> None:
    """Hashing the inputs opened the FIFO and waited forever; the GBK name crashed run."""
    folder = _hostile_folder(tmp_path / "in")
    script = ("import sys; from nqp_text import run_pipeline; "
              "run_pipeline([sys.argv[1]], sys.argv[2], progress=False, model='dictionary', k=2)")
    subprocess.run([sys.executable, "-c", script, str(folder), str(tmp_path / "out")],
                   check=True, timeout=300, capture_output=True)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("path")
    assert docs.loc[str(folder / "2024_管道.txt"), "status"] == "failed"
    assert docs.loc[str(folder / "2024_管道.txt"), "error"] == "not a regular file (a FIFO)"
    assert docs["status"].tolist().count("ok") == 2
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    real_name = os.fsdecode(os.path.join(os.fsencode(folder), _GBK_NAME))
    assert real_name in [entry["path"] for entry in manifest["inputs"]]


def _processes_with(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/environ", "rb") as handle:
                    if marker.encode() in handle.read():
                        found.append(int(name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the processes")
def test_killing_the_run_client_leaves_no_process_behind(gov_reports_jsonl: Path,
                                                         tmp_path: Path) -> None:
    """SIGKILL of `nqp-text run --workers 2` left the forkserver, the resource tracker and
    both pool workers alive for ever; now they all end within seconds."""
    marker = f"NQP_TEST_MARK={uuid.uuid4().hex}"
    env = dict(os.environ, NQP_TEST_MARK=marker.split("=", 1)[1])
    client = subprocess.Popen(
        [sys.executable, "-m", "nqp_text.cli", "run", str(gov_reports_jsonl), "--text-field",
         "content", "--year-field", "year", "--out", str(tmp_path / "out"), "--workers", "2",
         "--model", "dictionary", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while len(_processes_with(marker)) < 4 and time.monotonic() < deadline:
            assert client.poll() is None, "the run ended before its workers were seen"
            time.sleep(0.2)
        assert len(_processes_with(marker)) >= 4  # client, tracker, forkserver, workers
        client.kill()
        client.wait()
        deadline = time.monotonic() + 30
        while _processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_with(marker) == []
    finally:
        client.kill()
        for pid in _processes_with(marker):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not os.path.isfile("/etc/passwd"), reason="needs /etc/passwd to link to")
def test_a_run_whose_only_input_is_refused_writes_its_row(tmp_path: Path) -> None:
    """Every row a failed row made without reading (no cache entry) still makes the tables."""
    from nqp_text import run_pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes_2024.txt").symlink_to("/etc/passwd")
    run_pipeline([folder], tmp_path / "out", progress=False, model="dictionary", k=2,
                 seeded=False)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert docs["status"].tolist() == ["failed"]
    assert docs["error"].iloc[0].startswith("link points outside the input (")


_NUL_REASON = "binary content: contains NUL bytes (or UTF-16 without a byte-order mark)"


def _ok_rows(documents: pd.DataFrame, columns: pd.Index | None = None) -> pd.DataFrame:
    """The ``ok`` documents by ``doc_id``, without where they were (path, line)."""
    ok = documents[documents["status"] == "ok"].set_index("doc_id").sort_index()
    ok = ok.drop(columns=["path", "row"])
    return ok if columns is None else ok[columns]


def _check_record_rows(documents: pd.DataFrame, path: Path, expected: dict[int, str]) -> None:
    rows = documents[documents["path"] == str(path)].set_index("row")
    failed = rows[rows["status"] == "failed"]
    assert sorted(failed.index) == sorted(expected), failed["error"].to_dict()
    for row, reason in expected.items():
        assert reason in failed.loc[row, "error"], (row, failed.loc[row, "error"])
        assert str(row) in failed.loc[row, "error"].split(":")[0]  # "line 5: ..." / "row 5 ..."
    assert rows["status"].tolist().count("ok") == len(GOOD_RECORDS)


def test_each_bad_record_costs_one_row_and_the_others_read_as_without_it(tmp_path: Path
                                                                        ) -> None:
    """A lone surrogate, a 100k-deep record, huge numbers, bytes that are not UTF-8, a line
    that is not JSON, a text that is not text: one failed row each, naming line and reason."""
    clean_dir, hostile_dir = tmp_path / "clean", tmp_path / "hostile"
    clean_dir.mkdir()
    hostile_dir.mkdir()
    clean_jsonl(clean_dir / "records.jsonl")
    clean_csv(clean_dir / "records.csv")
    in_jsonl = bad_records_jsonl(hostile_dir / "records.jsonl")
    in_csv = bad_records_csv(hostile_dir / "records.csv")
    clean = read_corpus(clean_dir, timeout=None, memory_limit=None)
    assert clean.status_counts()["ok"] == 2 * len(GOOD_RECORDS)
    for options in ({"timeout": None, "memory_limit": None}, {"workers": 2}):
        hostile = read_corpus(hostile_dir, **options)
        _check_record_rows(hostile.documents, hostile_dir / "records.jsonl", in_jsonl)
        _check_record_rows(hostile.documents, hostile_dir / "records.csv", in_csv)
        expected = _ok_rows(clean.documents)
        pd.testing.assert_frame_equal(_ok_rows(hostile.documents, expected.columns), expected)
        pd.testing.assert_frame_equal(hostile.passages, clean.passages)
        hostile.save(tmp_path / "saved")  # every value is storable


def test_a_nul_byte_fails_its_record_also_after_a_byte_order_mark(tmp_path: Path) -> None:
    """A UTF-8 JSONL file with a byte-order mark: the NUL record fails with the reason,
    never silently cleaned; the other records are read."""
    lines = [good_line(record) for record in GOOD_RECORDS]
    lines.insert(1, b'{"id": "nul", "text": "a NUL\x00 byte"}')
    (tmp_path / "records.jsonl").write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    documents = read_corpus(tmp_path, timeout=None, memory_limit=None).documents
    failed = documents[documents["status"] == "failed"]
    assert failed["error"].tolist() == ["line 2: binary data (a NUL byte at column 29)"]
    assert documents["status"].tolist().count("ok") == len(GOOD_RECORDS)


def test_a_binary_text_file_is_refused_from_its_first_mib(tmp_path: Path) -> None:
    """256 MiB of NUL bytes under a 64 MiB memory limit: refused from the head, not read whole
    (read whole, it would hit the limit); not hashed, so its id comes from its path."""
    (tmp_path / "2024_good.txt").write_text(_GOOD_TEXT, encoding="utf-8")
    for name in ("2024_nul.txt", "2024_nul.jsonl", "2024_nul.md"):
        nul_file(tmp_path / name, mib=256)
    docs = read_corpus(tmp_path, memory_limit=64 * 2**20).documents.set_index("path")
    for name in ("2024_nul.txt", "2024_nul.jsonl", "2024_nul.md"):
        row = docs.loc[str(tmp_path / name)]
        assert (row["status"], row["error"]) == ("failed", _NUL_REASON)
        assert pd.isna(row["sha256"])
    assert docs.loc[str(tmp_path / "2024_good.txt"), "status"] == "ok"


def test_run_refuses_a_binary_text_file_before_hashing_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``nqp-text run``'s hash stage checks the head too: the 256 MiB junk file is one failed
    row with the reader's reason and is never hashed (only the good file is)."""
    from nqp_text import run_pipeline
    from nqp_text.pipeline.stages import hash as hash_stage

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024_good.txt").write_text(_GOOD_TEXT, encoding="utf-8")
    nul_file(folder / "2024_nul.txt", mib=256)
    hashed: list[str] = []
    real_sha256 = hash_stage.sha256_file
    monkeypatch.setattr(hash_stage, "sha256_file",
                        lambda path: hashed.append(Path(path).name) or real_sha256(path))
    run_pipeline([folder], tmp_path / "out", progress=False, model="dictionary", k=2,
                 seeded=False)
    assert hashed == ["2024_good.txt"]
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("path")
    row = docs.loc[str(folder / "2024_nul.txt")]
    assert (row["status"], row["error"]) == ("failed", _NUL_REASON)
    assert docs.loc[str(folder / "2024_good.txt"), "status"] == "ok"


def test_a_pdf_without_its_header_fails_at_once(tmp_path: Path) -> None:
    """An HTML page saved as .pdf is refused before any PDF parser sees it; a PDF with a
    few junk bytes before ``%PDF`` (within the 1024 PDF readers allow) is still read."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "2024_real.pdf"
    page = canvas.Canvas(str(pdf), invariant=1)
    page.drawString(72, 720, "New quality productive forces.")
    page.showPage()
    page.save()
    (tmp_path / "2024_prefixed.pdf").write_bytes(b"\r\n" * 200 + pdf.read_bytes())
    junk_pdf(tmp_path / "2024_junk.pdf")
    docs = read_corpus(tmp_path, timeout=60).documents.set_index("path")
    junk = docs.loc[str(tmp_path / "2024_junk.pdf")]
    assert junk["status"] == "failed"
    assert junk["error"] == "corrupt or not a PDF: no %PDF header in its first 1024 bytes"
    assert docs.loc[str(tmp_path / "2024_prefixed.pdf"), "status"] == "ok"
    assert docs.loc[str(tmp_path / "2024_real.pdf"), "status"] == "ok"


def _outputs_text(folder: Path) -> str:
    """Every value of every table and every text file under ``folder`` (cache included)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".parquet":
            parts.append(pd.read_parquet(path).astype(str).to_string())
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def _good_inputs(folder: Path, docx: Path) -> None:
    folder.mkdir()
    (folder / "2024_报告.txt").write_text(_GOOD_TEXT, encoding="utf-8")
    shutil.copyfile(docx, folder / "2025_通知.docx")  # one save: a .docx holds its save time
    with open(os.path.join(os.fsencode(folder), _GBK_NAME), "wb") as handle:
        handle.write("深入推进数字经济创新发展。".encode())


@pytest.mark.slow
def test_ingest_and_run_on_a_folder_of_hostile_inputs(tmp_path: Path) -> None:
    """Every hostile case next to good files, through ``nqp-text ingest`` and ``run``:
    good rows as in a clean read, one row per bad input naming its reason, no hang (each
    command bounded), nothing of the file outside the input in any output or cache."""
    clean_dir, folder = tmp_path / "clean", tmp_path / "in"
    docx = good_docx(tmp_path / "good.docx", "培育壮大新兴产业，布局建设未来产业。")
    _good_inputs(clean_dir, docx)
    clean_jsonl(clean_dir / "records.jsonl")
    clean = read_corpus(clean_dir, timeout=None, memory_limit=None)
    _good_inputs(folder, docx)
    in_jsonl = bad_records_jsonl(folder / "records.jsonl")
    outside = tmp_path / "outside"
    outside.mkdir()
    marker = f"SECRET{uuid.uuid4().hex}"
    (outside / "secret.txt").write_text(f"{marker}。\n", encoding="utf-8")
    bad = {
        "2024_bomb.docx": "refused as a zip bomb: its parts inflate to 301 MiB",
        "2024_nul.txt": _NUL_REASON,
        "2024_junk.pdf": "corrupt or not a PDF: no %PDF header",
        "2024_pipe.txt": "not a regular file (a FIFO)",
        "2024_link.txt": "link points outside the input (",
    }
    docx_bomb(folder / "2024_bomb.docx", inflated_mib=300)
    nul_file(folder / "2024_nul.txt", mib=64)
    junk_pdf(folder / "2024_junk.pdf")
    os.mkfifo(folder / "2024_pipe.txt")
    (folder / "2024_link.txt").symlink_to(outside / "secret.txt")
    if os.geteuid() != 0:  # root lists any folder (test_ingest_reader covers it as nobody)
        locked = folder / "locked"
        locked.mkdir()
        (locked / "2024_hidden.txt").write_text(_GOOD_TEXT, encoding="utf-8")
        locked.chmod(0)
        bad["locked"] = "cannot read folder: Permission denied"
    try:
        ingest = _nqp_text("ingest", folder, "--out", tmp_path / "ingest")
        assert ingest.returncode == 0, ingest.stderr
        _nqp_text("run", folder, "--out", tmp_path / "run", "--quiet", "--model", "dictionary",
                  "--unseeded", "--k", "2")
    finally:
        if "locked" in bad:
            (folder / "locked").chmod(0o755)
    columns = _ok_rows(clean.documents).columns
    for out in ("ingest", "run"):
        docs = pd.read_parquet(tmp_path / out / "documents.parquet")
        for name, reason in bad.items():
            rows = docs[docs["path"] == str(folder / name)]
            assert rows["status"].tolist() == ["failed"], (out, name)
            assert rows["error"].iloc[0].startswith(reason), (out, name, rows["error"].iloc[0])
        _check_record_rows(docs, folder / "records.jsonl", in_jsonl)
        assert len(docs) == len(clean.documents) + len(bad) + len(in_jsonl)
        pd.testing.assert_frame_equal(_ok_rows(docs, columns), _ok_rows(clean.documents),
                                      check_dtype=False)
        passages = pd.read_parquet(tmp_path / out / "passages.parquet")
        assert passages["text"].tolist() == clean.passages["text"].tolist()
        assert marker not in _outputs_text(tmp_path / out)
