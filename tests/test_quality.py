"""Corpus.quality(): one row per document, the anomalous ones named; a clean corpus is quiet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nqp_text
from nqp_text.quality import corpus_quality, quality_summary

ROOT = Path(__file__).resolve().parents[1]
_SENTENCE = "推动数字经济和实体经济深度融合，加快发展新质生产力。"


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "clean.txt").write_text("\n\n".join(_SENTENCE * (i % 3 + 1) for i in range(12)),
                                      encoding="utf-8")
    (folder / "flat.txt").write_text(_SENTENCE * 300, encoding="utf-8")  # no breaks at all
    (folder / "menu.txt").write_text("\n".join(f"栏目{i}" for i in range(20)) + "\n" + _SENTENCE,
                                     encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return folder


def test_one_row_per_document_with_the_anomalies(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in")
    corpus = nqp_text.read_corpus(folder)
    table = corpus.quality().set_index(corpus.quality()["path"].map(lambda p: Path(p).name))
    assert list(table.index) == ["clean.txt", "empty.txt", "flat.txt", "menu.txt"]
    assert table.loc["clean.txt", "problems"] == [] and table.loc["clean.txt", "warnings"] == []
    assert table.loc["clean.txt", "passages"] == 12
    assert table.loc["clean.txt", "paragraphs_from"] == "lines"
    assert table.loc["flat.txt", "problems"] == ["recovered"]
    assert table.loc["flat.txt", "paragraphs_from"] == "sentences"
    assert table.loc["flat.txt", "longest_passage"] <= 1500
    assert table.loc["menu.txt", "problems"] == ["short"]
    assert table.loc["menu.txt", "short_share"] > 0.9
    assert table.loc["empty.txt", "problems"] == ["status"]
    unbounded = nqp_text.read_corpus(folder, max_passage=None).quality()
    flat = unbounded[unbounded["path"].str.endswith("flat.txt")].iloc[0]
    assert flat["problems"] == ["long", "one", "recovered"]
    assert flat["warnings"][-2:] == ["a passage of 7,800 characters (over 5,000)",
                                     "one passage for 7,800 characters"]
    summary = quality_summary(unbounded)
    assert summary[0] == f"1 document has a passage over 5,000 characters: {folder / 'flat.txt'}"
    assert len(summary) == 5


def test_a_clean_corpus_gets_no_warning() -> None:
    corpus = nqp_text.read_corpus(ROOT / "corpora" / "sample")
    table = corpus.quality()
    assert len(table) == len(corpus.documents)
    assert quality_summary(table) == []
    assert table["problems"].map(len).sum() == 0


def test_ingest_prints_the_summary_on_stderr(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in")
    done = subprocess.run([sys.executable, "-m", "nqp_text.cli", "ingest", str(folder),
                           "--out", str(tmp_path / "out"), "--max-passage", "0"],
                          capture_output=True, text=True, check=True)
    lines = done.stderr.splitlines()
    flat_lines = [line for line in lines if "flat.txt" in line and "no usable line breaks" in line]
    assert len(flat_lines) == 1  # said once, by the document's own warning
    assert flat_lines[0].startswith("warning: ")
    assert any(line.startswith("warning: ") and "flat.txt: 1 passage(s) longer than 5,000 "
               "characters" in line for line in lines)
    assert any("menu.txt" in line and "under 20 characters" in line for line in lines)
    clean = subprocess.run([sys.executable, "-m", "nqp_text.cli", "ingest",
                            str(folder / "clean.txt"), "--out", str(tmp_path / "clean")],
                           capture_output=True, text=True, check=True)
    # a clean document: only the note that it has no year, nothing about its passages
    assert clean.stderr.splitlines() == [line for line in clean.stderr.splitlines()
                                         if "no document has a year" in line]


def test_quality_table_of_records_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(["正文。" * 10, _SENTENCE * 300]):
            handle.write(json.dumps({"id": f"r{i}", "text": text}, ensure_ascii=False) + "\n")
    table = corpus_quality(*_frames(nqp_text.read_corpus(path, max_passage=None)))
    assert quality_summary(table)[0].endswith(f"{path}#2")


def _frames(corpus: nqp_text.Corpus) -> tuple:
    return corpus.documents, corpus.passages


def test_quality_warnings_name_every_document_in_their_files(tmp_path: Path) -> None:
    """The warning's files hold every document it is about (the report's files column,
    the manifest), not only the five its message once listed."""
    import pandas as pd

    from nqp_text.diagnostics import Diagnostics
    from nqp_text.quality import quality_diagnostics
    from nqp_text.viz.report import _warnings_section

    names = [f"menu{i}.txt" for i in range(7)]
    documents = pd.DataFrame({"doc_id": names, "path": names, "status": "ok",
                              "n_chars": 400})
    passages = pd.DataFrame({"doc_id": [n for n in names for _ in range(12)],
                             "text": [f"栏目{i}" for _ in names for i in range(12)]})
    found = quality_diagnostics(corpus_quality(documents, passages))
    assert [(d.kind, d.files) for d in found] == [("quality", tuple(names))]
    assert found[0].message == ("7 documents have more than half of their passages under 20 "
                                "characters (see quality.csv, columns problems and warnings)")
    assert found[0].line().endswith("(menu0.txt, menu1.txt, menu2.txt, menu3.txt, menu4.txt "
                                    "and 2 more)")
    html = _warnings_section(Diagnostics(found).ordered())
    assert "<td>menu0.txt, menu1.txt, menu2.txt, menu3.txt, menu4.txt … (+2)</td>" in html
