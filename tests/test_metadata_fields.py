"""Metadata columns that repeat a record field, partial grouping columns, per-input text fields."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import nqp_text

_TEXT = "推动数字经济和实体经济深度融合。"


def _records(path: Path, provinces: list[str | None]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "year", "province", "full_text"])
        for i, province in enumerate(provinces):
            writer.writerow([f"r{i}", 2026, province or "", _TEXT * (i + 1)])


def _metadata(path: Path, rows: dict[str, str]) -> None:
    lines = ["doc_id,province,region", *(f"{doc_id},{value},east"
                                          for doc_id, value in rows.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_metadata_column_that_repeats_a_record_field_merges(tmp_path: Path) -> None:
    data, meta = tmp_path / "reports.csv", tmp_path / "meta.csv"
    _records(data, ["上海市", "吉林省", None, "天津市"])
    _metadata(meta, {"r0": "上海市", "r1": "吉林省", "r2": "安徽省"})  # r3: only the record
    docs = nqp_text.read_corpus(data, meta, text_field="full_text").documents
    assert "field_province" not in docs.columns
    assert docs["province"].tolist() == ["上海市", "吉林省", "安徽省", "天津市"]
    assert docs["region"].fillna("-").tolist() == ["east", "east", "east", "-"]


def test_disagreeing_values_are_an_error_naming_both(tmp_path: Path) -> None:
    data, meta = tmp_path / "reports.csv", tmp_path / "meta.csv"
    _records(data, ["上海市", "吉林省"])
    _metadata(meta, {"r0": "上海市", "r1": "辽宁省"})
    with pytest.raises(ValueError, match=r"meta\.csv: column 'province' .*reports\.csv row 2.*"
                                         r"metadata '辽宁省', record '吉林省'"):
        nqp_text.read_corpus(data, meta, text_field="full_text")


def test_grouping_by_a_column_some_documents_lack_warns_with_the_count(tmp_path: Path) -> None:
    data = tmp_path / "reports.csv"
    _records(data, ["上海市", None, None, "天津市"])
    corpus = nqp_text.read_corpus(data, text_field="full_text")
    with pytest.warns(UserWarning, match=r"2 of 4 documents have no 'province' and are left "
                                         r"out of the table grouped by 'province'"):
        table = nqp_text.term_frequencies(corpus, ["数字经济"], by="province")
    assert table["n_docs"].sum() == 2


def test_text_field_names_several_fields_each_record_uses_the_first_it_has(
        tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    _records(folder / "a.csv", ["上海市"])
    with (folder / "b.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "j1", "text": _TEXT}, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "j2", "content": _TEXT}, ensure_ascii=False) + "\n")
    corpus = nqp_text.read_corpus(folder, text_field="full_text,text")
    assert corpus.documents["status"].tolist() == ["ok", "ok", "failed"]
    assert "no field 'full_text' / 'text'" in corpus.documents["error"].iloc[2]
    listed = nqp_text.read_corpus(folder, text_field=["full_text", "text", "content"])
    assert listed.status_counts()["ok"] == 3
    defaults = nqp_text.read_corpus(folder)  # text, else content, else full_text
    assert defaults.status_counts()["ok"] == 3
    with pytest.raises(ValueError, match="names no field"):
        nqp_text.read_corpus(folder, text_field=" , ")


def test_a_text_field_list_matching_no_record_is_named_with_the_records_fields(
        tmp_path: Path) -> None:
    from nqp_text.diagnostics import collect

    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps({"id": "a", "body": _TEXT}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    with collect(propagate=False) as found:
        corpus = nqp_text.read_corpus(path, text_field="full_text,text")
    assert corpus.documents["error"].iloc[0] == "row 1: no field 'full_text' / 'text'"
    unmatched = [d.message for d in found if d.kind == "field_unmatched"]
    assert len(unmatched) == 1
    assert unmatched[0].startswith("--text-field 'full_text,text' matches no record")
    assert "'body'" in unmatched[0] and "paragraphs_from" not in unmatched[0]
    with collect(propagate=False) as found:
        nqp_text.read_corpus(path, text_field="body", year_field="nope")
    unmatched = [d.message for d in found if d.kind == "field_unmatched"]
    assert unmatched[0].startswith("--year-field 'nope' matches no record")
    assert "paragraphs_from" not in unmatched[0] and "boilerplate" not in unmatched[0]


def test_records_without_a_default_text_field_name_the_field_that_holds_the_text(
        tmp_path: Path) -> None:
    """Without --text-field, JSONL records whose text is in another field all fail; one
    warning says so and names the field to give (before: only one failed row per record)."""
    from nqp_text.diagnostics import collect

    path = tmp_path / "city.jsonl"
    path.write_text("".join(json.dumps({"city": "杭州", "year": 2023, "report_text": _TEXT},
                                       ensure_ascii=False) + "\n" for _ in range(2)),
                    encoding="utf-8")
    with collect(propagate=False) as found:
        corpus = nqp_text.read_corpus(path)
    assert corpus.status_counts()["failed"] == 2
    unmatched = [d for d in found if d.kind == "field_unmatched"]
    assert len(unmatched) == 1 and unmatched[0].files == (str(path),)
    assert "'text' / 'content' / 'full_text'" in unmatched[0].message
    assert unmatched[0].message.endswith("read with --text-field report_text "
                                         "(text_field='report_text')")
    assert nqp_text.read_corpus(path, text_field="report_text").status_counts()["ok"] == 2
    table = tmp_path / "city.csv"
    table.write_text("city,year,report_text\n杭州,2023,加快发展数字经济。\n", encoding="utf-8")
    error = nqp_text.read_corpus(table).documents["error"].iloc[0]
    assert "(columns: city, year, report_text)" in error and "--text-field" in error


def test_a_stock_code_without_its_leading_zeros_is_warned_about(tmp_path: Path) -> None:
    """Excel saves 000001 as 1; the panel's stkcd then does not merge with CSMAR codes."""
    from nqp_text.diagnostics import collect

    (tmp_path / "docs").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "docs" / name).write_text(_TEXT, encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,stkcd,year\na.txt,1,2022\nb.txt,600519,2023\n", encoding="utf-8")
    with collect(propagate=False) as found:
        corpus = nqp_text.read_corpus(tmp_path / "docs", metadata=meta)
    assert sorted(corpus.documents["stkcd"]) == ["1", "600519"]  # as given, not changed
    said = [d for d in found if d.kind == "short_stock_code"]
    assert len(said) == 1 and said[0].files == (str(tmp_path / "docs" / "a.txt"),)
    assert "'1'" in said[0].message and "(000001)" in said[0].message
    meta.write_text("file,stkcd,year\na.txt,000001,2022\nb.txt,600519,2023\n", encoding="utf-8")
    with collect(propagate=False) as found:
        nqp_text.read_corpus(tmp_path / "docs", metadata=meta)
    assert not [d for d in found if d.kind == "short_stock_code"]


def test_an_excel_file_given_as_metadata_says_to_save_it_as_csv(tmp_path: Path) -> None:
    from nqp_text.io.errors import ReaderError

    (tmp_path / "report.txt").write_text(_TEXT, encoding="utf-8")
    workbook = tmp_path / "meta.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(1, 200)))  # what a .xlsx starts with
    with pytest.raises(ReaderError, match=r"meta\.xlsx: binary content.*--metadata takes a "
                                          r"CSV file \(from Excel: Save As, CSV UTF-8\)"):
        nqp_text.read_corpus(tmp_path / "report.txt", metadata=workbook)
