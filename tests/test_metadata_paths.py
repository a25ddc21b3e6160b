"""Metadata rows keyed by file name when two folders hold files of the same name (one
folder per year or per firm, each with its 年报.txt): the most specific row wins, and a
bare name that would give one firm's year and code to another firm's report is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

import nqp_text
from nqp_text.cli import main
from nqp_text.errors import InputError


def _folders(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for folder, text in (("a", "甲公司推进数字化转型。"), ("b", "乙公司发展新质生产力。")):
        (root / folder).mkdir(parents=True)
        (root / folder / "年报.txt").write_text(text + "\n", encoding="utf-8")
    return root


def _firms(corpus: nqp_text.Corpus) -> dict[str, tuple[int, str]]:
    documents = corpus.documents
    return {Path(path).parent.name: (int(year), firm) for path, year, firm in zip(
        documents["path"], documents["year"], documents["firm"], strict=True)}


def test_a_path_row_wins_over_a_bare_name_whatever_their_order(tmp_path: Path) -> None:
    root = _folders(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,year,firm\na/年报.txt,2023,甲\n年报.txt,2024,乙\n", encoding="utf-8")
    # the bare name used to win: both files got 乙 2024 and 'a/年报.txt' "matched no document"
    assert _firms(nqp_text.read_corpus(root, meta)) == {"a": (2023, "甲"), "b": (2024, "乙")}
    meta.write_text("file,year,firm\n年报.txt,2024,乙\na/年报.txt,2023,甲\n", encoding="utf-8")
    assert _firms(nqp_text.read_corpus(root, meta)) == {"a": (2023, "甲"), "b": (2024, "乙")}


def test_a_bare_name_matching_two_different_files_is_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _folders(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,year,firm\n年报.txt,2023,甲\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"the row for '年报.txt' matches 2 different files"):
        nqp_text.read_corpus(root, meta)  # gave 甲 2023 to 乙's report too
    assert main(["ingest", str(root), "--metadata", str(meta), "--out",
                 str(tmp_path / "out")]) == 4
    assert "key the rows by the end of the path" in capsys.readouterr().err


def test_a_bare_name_matching_identical_copies_is_not_an_error(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "年报.txt").write_text("甲公司推进数字化转型。\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,year,firm\n年报.txt,2023,甲\n", encoding="utf-8")
    assert _firms(nqp_text.read_corpus(root, meta)) == {"a": (2023, "甲"), "b": (2023, "甲")}
