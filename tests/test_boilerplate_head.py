"""A report's head as a scraped page shows it: a second copy of the title block (the page's
heading above the article's own) and a photo caption naming the speaker are furniture; the
same lines elsewhere stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import nqp_text
from nqp_text.preprocess.boilerplate import remove_boilerplate

TITLE = "某省2026年政府工作报告"
DATELINE = "——2026年1月20日在某省第十四届人民代表大会第四次会议上"
BODY = "过去一年，我们加快发展新质生产力，推动科技创新和产业创新深度融合。"
_CAPTION = re.compile(r"[^，。！？；：、“”（）()\s]{1,20}作(政府)?工作报告。?")


def test_second_title_block_and_caption_in_the_head_go() -> None:
    page = "\n".join([TITLE, DATELINE, TITLE, DATELINE, "省长某某作政府工作报告",
                      "各位代表：", BODY])
    text, removed = remove_boilerplate(page)
    assert text == "\n".join([TITLE, DATELINE, "各位代表：", BODY])
    assert removed == [TITLE, DATELINE, "省长某某作政府工作报告"]


def test_only_the_lines_repeating_the_first_copy_go() -> None:
    page = "\n".join([TITLE, DATELINE, "省长 某某", TITLE, "某省省长 某某", "各位代表：", BODY])
    text, removed = remove_boilerplate(page)
    assert removed == [TITLE]
    assert text.split("\n")[:3] == [TITLE, DATELINE, "省长 某某"]
    assert "某省省长 某某" in text


@pytest.mark.parametrize("page", [
    # after the salutation the same lines are the body's
    "\n".join([TITLE, "各位代表：", TITLE, "会议听取了省长某某作政府工作报告", BODY]),
    # a caption-shaped line with a clause inside is a sentence
    "\n".join([TITLE, "会上，省长某某作政府工作报告。", "各位代表：", BODY]),
    # no salutation: only the first lines are the head
    "\n".join([TITLE, *[f"{n}. {BODY}" for n in range(12)], TITLE, "某某作工作报告"]),
])
def test_the_same_lines_outside_the_head_stay(page: str) -> None:
    assert remove_boilerplate(page) == (page, [])


def test_kept_with_keep_boilerplate_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("\n".join([TITLE, DATELINE, TITLE, DATELINE, "各位代表：", BODY]),
                    encoding="utf-8")
    corpus = nqp_text.read_corpus(path)
    assert corpus.passages["text"].tolist() == [TITLE, DATELINE, "各位代表：", BODY]
    assert corpus.documents["boilerplate_lines"].tolist() == [2]
    kept = nqp_text.read_corpus(path, keep_boilerplate=True)
    assert kept.passages["text"].tolist().count(TITLE) == 2
    assert kept.documents["boilerplate_kept"].tolist() == [2]


@pytest.mark.shared
def test_scraped_reports_keep_one_title_block_and_no_caption(shared: Path) -> None:
    folder = shared / "corpora" / "provincial_reports" / "2026_scraped_csv"
    corpus = nqp_text.read_corpus(folder, text_field="full_text")
    kept = nqp_text.read_corpus(folder, text_field="full_text", keep_boilerplate=True)
    documents = corpus.documents.set_index("doc_id")
    removed = 0
    for doc_id, texts in corpus.passages.groupby("doc_id")["text"]:
        texts = texts.tolist()
        head = texts[:texts.index("各位代表：")]
        assert texts[0] == documents.loc[doc_id, "title"]  # the title stays, once
        assert len(head) == len(set(head)), head
        assert not [line for line in head if _CAPTION.fullmatch(line)]
        removed += int(documents.loc[doc_id, "boilerplate_lines"])
    # the 200 furniture lines of session 9 and four more: one report's second title line and
    # dateline, and the speaker captions of two reports
    assert removed == int(kept.documents["boilerplate_kept"].sum()) == 204
    assert len(kept.passages) - len(corpus.passages) == 204
