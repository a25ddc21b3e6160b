"""Passage splitting: paragraphs, sentences and windows with exact offsets."""

from __future__ import annotations

import pytest

from nqp_text.preprocess.passages import check_unit, passages_frame, split_spans

CLEANED = (
    "各位代表：\n"
    "过去一年，数字经济持续壮大。“数据要素×”行动全面铺开！还要做什么？\n"
    "\n"
    "  加快发展新质生产力；推进人工智能+行动……\n"
    "他说：“要稳中求进。”随后散会。"
)


def _texts(text: str, **options: object) -> list[str]:
    return [text[start:end] for start, end in split_spans(text, **options)]


def test_paragraphs_are_non_blank_lines_trimmed() -> None:
    assert _texts(CLEANED) == [
        "各位代表：",
        "过去一年，数字经济持续壮大。“数据要素×”行动全面铺开！还要做什么？",
        "加快发展新质生产力；推进人工智能+行动……",
        "他说：“要稳中求进。”随后散会。",
    ]


def test_sentences_split_after_final_marks_and_closing_quotes() -> None:
    assert _texts(CLEANED, unit="sentence") == [
        "各位代表：",
        "过去一年，数字经济持续壮大。",
        "“数据要素×”行动全面铺开！",
        "还要做什么？",
        "加快发展新质生产力；",
        "推进人工智能+行动……",
        "他说：“要稳中求进。”",
        "随后散会。",
    ]


def test_sentence_runs_of_marks_and_brackets_stay_together() -> None:
    text = "真的吗？！（见附件。）下一句!? last"
    assert _texts(text, unit="sentence") == ["真的吗？！", "（见附件。）", "下一句!?", "last"]


def test_windows_cover_the_text_in_fixed_steps() -> None:
    text = "一二三四五\n六七八九十十一"
    assert split_spans(text, unit="window", size=4) == [(0, 4), (4, 8), (8, 12), (12, 13)]
    assert _texts(text, unit="window", size=4) == ["一二三四", "五\n六七", "八九十十", "一"]
    assert _texts("一二三 \n 四五六", unit="window", size=4) == ["一二三", "四五", "六"]
    assert _texts(text, unit="window", size=100) == [text]


@pytest.mark.parametrize("unit,size", [("paragraph", None), ("sentence", None), ("window", 7)])
def test_offsets_always_index_the_cleaned_text(unit: str, size: int | None) -> None:
    frame = passages_frame("abc", CLEANED, year=2024, unit=unit, size=size)
    for row in frame.itertuples():
        assert CLEANED[row.start:row.end] == row.text
        assert row.text == row.text.strip()
    assert frame["passage_id"].tolist() == [f"abc:{i}" for i in range(len(frame))]
    assert frame["seq"].tolist() == list(range(len(frame)))
    assert set(frame["year"]) == {2024}
    assert list(frame.columns) == ["doc_id", "passage_id", "seq", "year", "text", "start", "end",
                                    "section", "ocr"]


def test_passages_frame_of_empty_text_has_the_columns_and_no_rows() -> None:
    frame = passages_frame("x", " \n\n ", year=None)
    assert len(frame) == 0
    assert list(frame.columns) == ["doc_id", "passage_id", "seq", "year", "text", "start", "end",
                                    "section", "ocr"]


def test_missing_year_stays_missing() -> None:
    frame = passages_frame("x", "一段。", year=None)
    assert frame["year"].isna().all()
    assert str(frame["year"].dtype) == "Int64"


@pytest.mark.parametrize("unit,size,message", [
    ("word", None, "unit must be one of"),
    ("window", None, "needs size=N"),
    ("window", 0, "needs size=N"),
    ("paragraph", 5, "size applies only"),
])
def test_bad_settings_are_rejected(unit: str, size: int | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_unit(unit, size)
