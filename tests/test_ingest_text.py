"""Plain-text reading: encodings, binary rejection, paragraph structure."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from nqp_text.io._paragraphs import join_lines, paragraphs
from nqp_text.io.errors import ReaderError
from nqp_text.io.text import decode_bytes, read_text

SIMPLIFIED = "加快发展新质生产力，推动数字经济和实体经济深度融合。"
TRADITIONAL = "加快發展新質生產力，推動數位經濟和實體經濟深度融合。"


@pytest.mark.parametrize("data,text,encoding", [
    (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
    (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
    (SIMPLIFIED.encode("gb2312"), SIMPLIFIED, "gb18030"),
    ("数据要素".encode("gbk"), "数据要素", "gb18030"),
    (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
    ("數據要素".encode("big5"), "數據要素", "big5"),
    (SIMPLIFIED.encode("utf-16"), SIMPLIFIED, "utf-16"),
    (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16"),
    (SIMPLIFIED.encode("utf-32"), SIMPLIFIED, "utf-32"),
])
def test_encodings_are_detected_and_recorded(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def test_gbk_file_with_several_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "2019_职业技能.txt"
    path.write_bytes("职业技能提升行动\r\n\r\n　　大规模开展职业技能培训。\r\n".encode("gbk"))
    doc = read_text(path)
    assert doc.meta == {"encoding": "gb18030"}
    assert doc.text == "职业技能提升行动\n大规模开展职业技能培训。"
    assert doc.status == "ok"


def test_utf8_cut_in_the_middle_of_the_last_character_keeps_the_rest() -> None:
    assert decode_bytes("新质生产力".encode()[:-1]) == ("新质生产", "utf-8")


@pytest.mark.parametrize("data,reason", [
    (random.Random(1).randbytes(4000), "contains NUL bytes"),
    (random.Random(2).randbytes(4000).replace(b"\x00", b"\x01"),
     "does not decode cleanly as GB18030/GBK or Big5"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "the file is a PDF, not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
    ("政策".encode() + b"\x01\x02\x03\x04\x05\x06", "are control characters"),
    ("Café crème".encode("latin-1"), "does not decode cleanly"),
])
def test_binary_garbage_is_rejected_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ReaderError, match=reason) as info:
        decode_bytes(data, "garbage.txt")
    assert str(info.value).startswith("garbage.txt: ")


def test_a_stray_control_character_is_dropped_not_fatal() -> None:
    text = "政策文本" * 100 + "\x1b" + "结束。\x1a"
    assert decode_bytes(text.encode()) == ("政策文本" * 100 + "结束。", "utf-8")


def test_read_text_normalises_width_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("２０２４ 年ＧＤＰ增长 ５．２％\n", encoding="utf-8")
    assert read_text(path).text == "2024年GDP增长5.2%"


def test_to_simplified_converts_big5_text(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    path = tmp_path / "tw.txt"
    path.write_bytes("數據要素市場。".encode("big5"))
    doc = read_text(path, to_simplified=True)
    assert doc.text == "数据要素市场。"
    assert doc.meta["encoding"] == "big5"


def test_whitespace_only_file_is_empty_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n\t\n", encoding="utf-8")
    doc = read_text(path)
    assert (doc.status, doc.text, doc.error) == ("empty", "", "no text (only whitespace)")


def test_markdown_headings_lose_their_markers(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# 数据要素\n\n## 一、背景\n数据是新型生产要素，\n是数字化的基础。\n",
                    encoding="utf-8")
    assert read_text(path).text.split("\n") == [
        "数据要素", "一、背景", "数据是新型生产要素，是数字化的基础。"]


# ---- paragraph structure -------------------------------------------------------------

def test_blank_line_paragraphs_join_markup_fragments() -> None:
    text = "会议听取了国务院总理所作的\n政府工作报告\n。会议同意。\n\n\n第二段\n继续"
    assert paragraphs(text) == ["会议听取了国务院总理所作的政府工作报告。会议同意。", "第二段继续"]


def test_one_paragraph_per_line_keeps_headings_apart() -> None:
    text = ("关于推进数据要素市场化配置的意见\n"
            "各省、自治区、直辖市人民政府：\n"
            "为加快培育数据要素市场，现提出以下意见。\n"
            "一、总体要求\n"
            "坚持市场主导、政府引导，健全数据要素市场规则。\n")
    assert paragraphs(text) == [
        "关于推进数据要素市场化配置的意见",
        "各省、自治区、直辖市人民政府：",
        "为加快培育数据要素市场，现提出以下意见。",
        "一、总体要求",
        "坚持市场主导、政府引导，健全数据要素市场规则。",
    ]


def test_hard_wrapped_lines_are_rejoined_by_width_and_indentation() -> None:
    text = ("　　为加快发展新质生产力，推动数字经济与实体经济深度融合，现就有关\n"
            "事项通知如下。各地要结合实际认真贯彻落实，确保各项任务落到实处并\n"
            "取得实效\n"
            "　　人工智能+行动要聚焦制造业、农业和服务业等重点领域，加快推进大\n"
            "模型应用落地\n"
            "（一）强化算力支撑\n"
            "统筹建设全国一体化算力网络，推动算力资源高效调度和绿色低碳发展，\n"
            "提升算力供给能力。\n")
    assert paragraphs(text) == [
        "为加快发展新质生产力，推动数字经济与实体经济深度融合，现就有关事项通知如下。"
        "各地要结合实际认真贯彻落实，确保各项任务落到实处并取得实效",
        "人工智能+行动要聚焦制造业、农业和服务业等重点领域，加快推进大模型应用落地",
        "（一）强化算力支撑",
        "统筹建设全国一体化算力网络，推动算力资源高效调度和绿色低碳发展，提升算力供给能力。",
    ]


def test_join_lines_puts_a_space_only_between_latin_words() -> None:
    assert join_lines(["推动", "AI and", "data", "要素", "5G", "网络"]) == \
        "推动AI and data要素5G网络"


_PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]
_TAIWAN = ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市",
           "嘉義市", "香港特別行政區", "數位轉型"]


@pytest.mark.parametrize("name", _PROVINCES)
def test_a_short_gbk_metadata_csv_is_not_read_as_big5(name: str, tmp_path: Path) -> None:
    """A metadata CSV saved as GBK (Excel on a mainland Windows) is short; 23 of the 31
    province names came back as Big5 mojibake (北京市 -> 控儔庈), silently."""
    import nqp_text

    (tmp_path / "report.txt").write_text("加快发展数字经济。\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_bytes(f"file,year,province\nreport.txt,2023,{name}\n".encode("gbk"))
    corpus = nqp_text.read_corpus(tmp_path / "report.txt", metadata=meta)
    assert corpus.documents["province"].tolist() == [name]


@pytest.mark.parametrize("name", _TAIWAN)
def test_short_big5_texts_stay_big5(name: str) -> None:
    assert decode_bytes(f"file,year,city\nreport.txt,2023,{name}\n".encode("big5")) == (
        f"file,year,city\nreport.txt,2023,{name}\n", "big5")


@pytest.mark.parametrize("text", ["发展。", "，认真", "合理充", "大规模", "环节的"])
def test_three_gbk_characters_decode(text: str) -> None:
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_latin1_that_happens_to_decode_as_cjk_is_still_refused() -> None:
    with pytest.raises(ReaderError, match="does not decode cleanly"):
        decode_bytes("naïve résumé, déjà vu".encode("latin-1"), "x.txt")
