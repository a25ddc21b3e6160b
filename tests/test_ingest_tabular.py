"""JSONL/CSV reading: one document per record; a bad record is a failed row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nqp_text.io.errors import ReaderError
from nqp_text.io.tabular import parse_year, read_tabular


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_records_with_field_options_and_bad_lines(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "r.jsonl", [
        json.dumps({"标题": "甲", "正文": "第一段\n继续。\n\n第二段。", "年份": "2024年",
                    "编号": 7, "url": "http://a"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"标题": "无正文"}, ensure_ascii=False),
        json.dumps({"正文": 42}, ensure_ascii=False),
        json.dumps({"正文": ["段一。", "段二。"], "年份": None}, ensure_ascii=False),
        json.dumps({"正文": "  "}, ensure_ascii=False),
    ])
    records, encoding = read_tabular(path, text_field="正文", year_field="年份",
                                     title_field="标题", id_field="编号")
    assert encoding == "utf-8"
    assert [r.row for r in records] == [1, 3, 4, 5, 6, 7, 8]
    assert [r.document.status for r in records] == [
        "ok", "failed", "failed", "failed", "failed", "ok", "empty"]
    first = records[0]
    assert (first.id, first.title, first.year, first.extra) == ("7", "甲", 2024, {"url": "http://a"})
    assert first.document.text == "第一段继续。\n第二段。"
    assert records[1].document.error.startswith("line 3: invalid JSON: ")
    assert records[2].document.error == "line 4: a JSON list, not an object"
    assert records[3].document.error == "row 5: no field '正文'"
    assert records[4].document.error == "row 6: field '正文' is not text (int)"
    assert records[5].document.text == "段一。\n段二。"
    assert records[5].year is None
    assert records[6].document.error == "field '正文' is empty"


def test_default_fields_text_then_content(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "r.jsonl", [
        json.dumps({"content": "内容。", "year": 2019, "title": "T", "id": "x1"}),
        json.dumps({"text": "文本。", "content": "不用"}),
    ])
    records, _ = read_tabular(path)
    assert [(r.document.text, r.year, r.title, r.id) for r in records] == [
        ("内容。", 2019, "T", "x1"), ("文本。", None, None, None)]
    assert records[1].extra == {"content": "不用"}


def test_csv_in_gbk_with_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "政策.csv"
    text = ("id,year,title,text\n"
            "a1,2021,数据二十条,\"构建数据基础制度，\n更好发挥数据要素作用。\"\n"
            "a2,2022,多一列,文本,多余\n"
            "\n"
            "a3,,无年份,职业技能培训。\n")
    path.write_bytes(text.encode("gbk"))
    records, encoding = read_tabular(path)
    assert encoding == "gb18030"
    assert [(r.row, r.id, r.year, r.document.status) for r in records] == [
        (1, "a1", 2021, "ok"), (2, None, None, "failed"), (3, "a3", None, "ok")]
    assert records[0].document.text == "构建数据基础制度，更好发挥数据要素作用。"
    assert records[1].document.error == ("row 2 (line 4): 5 cells but 4 columns "
                                         "(an unquoted delimiter in the text?)")


def test_csv_without_the_text_column_fails_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,body\n1,文本\n", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"no text column 'text' / 'content' / 'full_text' "
                                          r"\(columns: id, body\)"):
        read_tabular(path)


def test_tsv_and_a_huge_cell(tmp_path: Path) -> None:
    path = tmp_path / "big.tsv"
    body = "数字经济。" * 60_000  # 300,000 characters, over the csv module's default cap
    path.write_text(f"text\tyear\n{body}\t2023\n", encoding="utf-8")
    records, _ = read_tabular(path)
    assert records[0].document.text == body
    assert records[0].year == 2023


@pytest.mark.parametrize("value,year", [
    (2024, 2024), ("2024", 2024), (" 2024年 ", 2024), ("2024-03-05", 2024), (1954.0, 1954),
    (None, None), ("", None), ("二〇二四", None), (True, None), (20240305, None), ("12345", None),
    ("2019/2020", None), ("2019-2020", None), ("2019至2020年", None),
])
def test_parse_year(value: object, year: int | None) -> None:
    assert parse_year(value) == year
