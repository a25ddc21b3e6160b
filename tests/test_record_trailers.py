"""A notice that closes every record of a JSONL/CSV export (the Wikisource licence text
after each State Council report) is not a passage: it was counted in every category share's
denominator, every token total and the topic model, two passages a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nqp_text
from nqp_text.preprocess.boilerplate import recurring_trailers

NOTICE = "本文依据某某许可协议发布，转载须注明出处，未经许可不得用于商业用途。"
NOTE = "注：本站收录的文本仅供研究参考，以正式出版物为准。"


def _write(path: Path, n: int, closing: list[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            body = [f"第{i}份报告：加快发展新质生产力。", "各位代表：",
                    f"推动科技创新和产业创新深度融合，第{i}项任务。" * 8]
            out.write(json.dumps({"id": f"r{i}", "year": 2020 + i,
                                  "text": "\n\n".join(body + closing)},
                                 ensure_ascii=False) + "\n")


def test_closing_notice_of_most_records_is_removed_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    _write(path, 5, [NOTICE, NOTE])
    corpus = nqp_text.read_corpus(path)
    assert not corpus.passages["text"].isin([NOTICE, NOTE]).any()
    assert corpus.documents["boilerplate_lines"].tolist() == [2] * 5
    assert list(corpus.documents["boilerplate_removed"].iloc[0]) == [NOTICE, NOTE]
    # the salutation recurs in every record but closes none: it stays
    assert (corpus.passages["text"] == "各位代表：").sum() == 5
    kept = nqp_text.read_corpus(path, keep_boilerplate=True)
    assert kept.passages["text"].isin([NOTICE, NOTE]).sum() == 10
    assert kept.documents["boilerplate_kept"].tolist() == [2] * 5


def test_too_few_records_or_a_minority_keep_their_closing_lines(tmp_path: Path) -> None:
    three = tmp_path / "three.jsonl"
    _write(three, 3, [NOTICE])
    assert nqp_text.read_corpus(three).passages["text"].isin([NOTICE]).sum() == 3
    body = "加快发展新质生产力，推动科技创新和产业创新深度融合。" * 5
    texts = [f"{body}{i}\n{NOTICE}" if i < 2 else f"{body}{i}\n另一段结尾{i}。" for i in range(5)]
    assert recurring_trailers(texts) == frozenset()  # closes 2 of 5
    assert recurring_trailers([NOTICE] * 5) == frozenset()  # a text is never its own trailer
    short = [f"第{i}条简讯。\n{NOTICE}" for i in range(5)]
    assert recurring_trailers(short) == frozenset()  # more than a quarter of each text
    assert recurring_trailers([f"{body}{i}\n{NOTICE}" for i in range(5)]) == {NOTICE}


@pytest.mark.shared
def test_state_council_reports_lose_the_licence_and_keep_their_counts(shared: Path) -> None:
    path = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    corpus = nqp_text.read_corpus(path)
    texts = corpus.passages["text"]
    assert not texts.str.startswith("本作品是中华人民共和国的法律").any()
    assert not texts.str.startswith("注：中文维基文库社群认为").any()
    reports = corpus.documents[corpus.documents["year"].notna()]
    assert (reports["boilerplate_lines"] == 3).all()  # the two notices + "Public domain …"
    counts = nqp_text.term_frequencies(corpus, ["新质生产力"], by="year").set_index("group")
    assert counts.loc[2024, "count"] == 1 and counts.loc[2025, "count"] == 2
    assert counts.loc[:2023, "count"].sum() == 0
