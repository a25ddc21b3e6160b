"""Character normalisation: width, radicals, invisible characters, spaces, OpenCC."""

from __future__ import annotations

import pytest

from nqp_text.preprocess.normalize import normalize_text, unreadable_share


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ ｘｙｚ ０１２３４５６７８９", "ABC xyz 0123456789"),
        ("增长３．５％，达到１２＋３＝１５", "增长3.5%，达到12+3=15"),
        ("頁次：4－1", "頁次：4-1"),
        ("经济——社会", "经济——社会"),
        ("，。：；！？（）《》“”、【】〔〕…～", "，。：；！？（）《》“”、【】〔〕…～"),
        ("⼤⼒发展⼈⺠", "大力发展人民"),
        ("⻓江⻔⻅", "长江门见"),
        ("\u2e80", "\u2e80"),
        ("ﬁnancial", "financial"),
        ("特征𝑋与标签𝑌，𝟐个", "特征X与标签Y，2个"),
        ("政\u200b府\ufeff工\u00ad作\u200d报告", "政府工作报告"),
        ("  a \t\u00a0 b\u3000\u3000c  ", "a b c"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("2024 年 3 月", "2024年3月"),
        ("5G 网络 与 AI 模型", "5G网络 与AI模型"),
        ("machine learning 方法", "machine learning方法"),
        ("表 3001 53 0 0 61 4 3119", "表3001 53 0 0 61 4 3119"),
        ("（ 一 ） 总则 ， 如下 。", "（一）总则，如下。"),
        ("第一章 总则", "第一章 总则"),
        ("段落一\n\n段落二", "段落一\n\n段落二"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw", ["２０２４ 年 ５G 网络，增长 ３．５％", "⼈⺠政府\u200b　　ＧＤＰ 增长", " a  b \n\n c "]
)
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_to_simplified_with_opencc() -> None:
    pytest.importorskip("opencc")
    assert normalize_text("發展經濟與臺灣", to_simplified=True) == "发展经济与台湾"
    assert normalize_text("發展經濟") == "發展經濟"


def test_to_simplified_without_opencc_names_the_install(without_opencc: None) -> None:
    with pytest.raises(ImportError, match=r"nqp-text\[opencc\]"):
        normalize_text("發展", to_simplified=True)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("", 0.0),
        ("政府工作报告", 0.0),
        ("政府(cid:12)(cid:345)报告", 2 / 6),
        ("a\ufffd b\ue001", 2 / 4),
        ("⼤⻓", 0.0),
        ("\u2e80文", 0.5),
    ],
)
def test_unreadable_share(text: str, share: float) -> None:
    assert unreadable_share(text) == pytest.approx(share)
