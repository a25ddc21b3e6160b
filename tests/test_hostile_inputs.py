"""Hostile inputs: each is built in a temporary folder and must cost one row, not the run."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from _hostile import allocate, docx_bomb, good_docx
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
