"""Documents read twice, record years that are not years, and bad documents in Python: each
said, since each changes the numbers a researcher publishes without any sign in the tables."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import nqp_text
from nqp_text.cli import main
from nqp_text.diagnostics import NqpWarning, collect

_TEXT = "加快发展数字经济，培育数据要素市场。\n\n推动人工智能与实体经济深度融合，发展新质生产力。\n"
_OTHER = "建设高水平人才队伍，培养大国工匠和高技能人才。\n"


def _found(*paths: Path, **options: object) -> list:
    with collect(propagate=False) as found:
        nqp_text.read_corpus([str(path) for path in paths], **options)
    return list(found)


def test_an_identical_file_in_another_folder_is_said(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "2023_报告.txt").write_text(_TEXT, encoding="utf-8")
    (tmp_path / "b" / "2023_报告副本.txt").write_text(_TEXT, encoding="utf-8")
    (tmp_path / "a" / "2024_其他.txt").write_text(_OTHER, encoding="utf-8")
    said = [d for d in _found(tmp_path) if d.kind == "duplicate_documents"]
    assert len(said) == 1
    assert said[0].files == (str(tmp_path / "a" / "2023_报告.txt"),
                             str(tmp_path / "b" / "2023_报告副本.txt"))
    assert "1 document(s) repeat another one" in said[0].message


def test_the_same_report_in_two_formats_is_said(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in _TEXT.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.save(tmp_path / "2023年报告.docx")
    (tmp_path / "2023年报告.txt").write_text(_TEXT, encoding="utf-8")
    said = [d for d in _found(tmp_path) if d.kind == "duplicate_documents"]
    assert len(said) == 1 and "in another format" in said[0].message
    assert said[0].files == (str(tmp_path / "2023年报告.docx"), str(tmp_path / "2023年报告.txt"))


def test_records_with_the_same_text_are_said_and_distinct_ones_are_not(tmp_path: Path) -> None:
    rows = [{"id": "a", "year": 2022, "text": _TEXT}, {"id": "b", "year": 2023, "text": _OTHER},
            {"id": "c", "year": 2023, "text": _TEXT}]
    path = tmp_path / "speeches.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    said = [d for d in _found(path) if d.kind == "duplicate_documents"]
    assert len(said) == 1 and said[0].files == (f"{path}#1", f"{path}#3")
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows[:2]),
                    encoding="utf-8")
    assert not [d for d in _found(path) if d.kind == "duplicate_documents"]


def test_a_record_year_that_is_not_a_year_is_said_with_its_value(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text("id,year,text\na,2022.0,推动数字化转型。\nb,二〇二一年,推动数字化转型和智能制造。\n"
                    "c,,发展新质生产力。\n", encoding="utf-8")
    with collect(propagate=False) as found:
        corpus = nqp_text.read_corpus(path)
    assert corpus.documents["year"].tolist()[0] == 2022
    said = [d for d in found if d.kind == "document"]
    assert len(said) == 1 and said[0].files == (f"{path}#2",)
    assert "field 'year' holds '二〇二一年', which is not a year" in said[0].message


def test_read_corpus_in_python_says_which_documents_were_not_read(tmp_path: Path) -> None:
    (tmp_path / "2023_坏.txt").write_bytes(b"\x00\x01\x02" * 50)
    traditional = "政府工作報告：國民經濟發展，這個時期們對於經濟問題。" * 3
    (tmp_path / "2024_繁.txt").write_text(traditional, encoding="utf-8")
    (tmp_path / "2025_好.txt").write_text(_OTHER, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nqp_text.read_corpus(tmp_path)
    messages = [str(w.message) for w in caught if issubclass(w.category, NqpWarning)]
    assert any(m.startswith(f"1 document(s) failed; the first, {tmp_path / '2023_坏.txt'}: "
                            "binary content") for m in messages), messages
    assert any("2024_繁.txt: written in traditional characters" in m for m in messages)
    assert all(w.filename == __file__ for w in caught if issubclass(w.category, NqpWarning))


@pytest.mark.slow
def test_run_says_duplicates_in_the_manifest(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    (folder / "copy").mkdir(parents=True)
    (folder / "2023_报告.txt").write_text(_TEXT, encoding="utf-8")
    (folder / "copy" / "2023_报告.txt").write_text(_TEXT, encoding="utf-8")
    (folder / "2024_其他.txt").write_text(_OTHER, encoding="utf-8")
    code = main(["run", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--k", "7"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "1 document(s) repeat another one" in err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    said = [w for w in manifest["warnings"] if w["kind"] == "duplicate_documents"]
    assert len(said) == 1 and len(said[0]["files"]) == 2



def test_an_identical_copy_that_is_superseded_is_not_said(tmp_path: Path) -> None:
    (tmp_path / "a_summary").mkdir()
    (tmp_path / "b_full").mkdir()
    summary = tmp_path / "a_summary" / "000001_2024_示例银行_2024年年度报告摘要.txt"
    summary.write_text(_TEXT, encoding="utf-8")
    (tmp_path / "b_full" / "000001_2024_示例银行_2024年年度报告.txt").write_text(
        _TEXT, encoding="utf-8")
    with collect(propagate=False) as found:
        corpus = nqp_text.read_corpus([str(tmp_path)])
    statuses = sorted(corpus.documents["status"].astype(str))
    assert statuses == ["ok", "superseded"]
    assert corpus.documents["duplicate_of"].notna().any()
    assert not [d for d in found if d.kind == "duplicate_documents"]
