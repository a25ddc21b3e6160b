"""A notice that closes every record of a JSONL/CSV export (the Wikisource licence text
after each State Council report) is not a passage: it was counted in every category share's
denominator, every token total and the topic model, two passages a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nqp_text
from nqp_text.preprocess.boilerplate import recurring_trailers, remove_boilerplate

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


# A licence notice of our own wording in the form of a Wikisource template, and a
# community note; neither recurs in other records.
TEMPLATE = "本作品取自某某机关的决议，按著作权法第五条不受该法保护，已属于公有领域。"
SCOPE = "本模板所指的文件也包括某某机关公布的各项决定。"
COMMUNITY = "注：中文维基文库社群认为，此类文件的收录以原件为准。"
BODY = ["某某会议关于工作报告的决议", "会议听取和审议了工作报告，决定批准这个报告。",
        "会议号召，全国各族人民紧密团结，为加快发展新质生产力而努力奋斗！"]


def test_licence_notice_closing_a_single_record_is_removed_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    records = [BODY + [TEMPLATE, SCOPE], ["另一份决议"] + BODY[1:] + [COMMUNITY]]
    records += [[f"第{i}份报告：推动科技创新。" * 4, f"这是第{i}份报告的结尾段落。"]
                for i in range(4)]
    with path.open("w", encoding="utf-8") as out:
        for i, lines in enumerate(records):
            out.write(json.dumps({"id": f"r{i}", "text": "\n".join(lines)},
                                 ensure_ascii=False) + "\n")
    corpus = nqp_text.read_corpus(path)
    texts = corpus.passages["text"]
    assert not texts.isin([TEMPLATE, SCOPE, COMMUNITY]).any()
    assert (texts == BODY[-1]).sum() == 2  # the real closing paragraph stays
    assert corpus.documents["boilerplate_lines"].tolist()[:2] == [2, 1]
    assert list(corpus.documents["boilerplate_removed"].iloc[0]) == [TEMPLATE, SCOPE]
    assert texts.str.endswith("份报告的结尾段落。").sum() == 4
    kept = nqp_text.read_corpus(path, keep_boilerplate=True)
    assert kept.passages["text"].isin([TEMPLATE, SCOPE, COMMUNITY]).sum() == 3
    assert kept.documents["boilerplate_kept"].tolist()[:2] == [2, 1]


@pytest.mark.parametrize("closing", [
    "修订著作权法，加强知识产权保护，激发全社会创新活力。",  # a law named, no licence cue
    "本法自2025年1月1日起施行。",
    "各位代表！让我们为全面建设社会主义现代化国家而不懈奋斗！",
])
def test_real_closing_paragraphs_stay(closing: str) -> None:
    text = "\n".join(BODY + [closing])
    assert remove_boilerplate(text)[0] == text


def test_licence_cues_count_only_at_the_end_and_never_empty_a_text() -> None:
    inside = "\n".join([BODY[0], TEMPLATE, BODY[1], BODY[2]])
    assert remove_boilerplate(inside)[0] == inside  # other text follows: not a trailer
    assert remove_boilerplate("\n".join([TEMPLATE, SCOPE]))[1] == []  # nothing else: kept
    # behind other furniture at the end (a stand-alone date line) it is still the trailer
    text = "\n".join(BODY + [TEMPLATE, "2025-03-11"])
    assert remove_boilerplate(text) == ("\n".join(BODY), [TEMPLATE, "2025-03-11"])
    long_line = "本作品" + "属于公有领域，" * 80
    assert long_line in remove_boilerplate("\n".join(BODY + [long_line]))[0]


@pytest.mark.shared
def test_npc_resolutions_lose_their_licence_notices(shared: Path) -> None:
    path = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    corpus = nqp_text.read_corpus(path)
    documents = corpus.documents
    resolutions = documents[documents["title"].str.endswith("关于政府工作报告的决议")]
    assert len(resolutions) == 20
    texts = corpus.passages["text"]
    assert not texts.str.contains("公有领域").any()
    assert not texts.str.startswith("本模板所指").any()
    removed = [line for lines in resolutions["boilerplate_removed"] for line in lines]
    # 12 carry the resolutions' template (with 本模板所指…), one the template of laws
    assert sum("公有领域" in line for line in removed) == 13
    assert sum(line.startswith("本模板所指") for line in removed) == 12
    # every resolution keeps its closing call (会议号召…/会议强调…, ending 。 or ！)
    by_doc = corpus.passages.groupby("doc_id")["text"].last()
    last = by_doc.loc[resolutions["doc_id"]]
    assert last.str.startswith("会议").all() and last.str.contains("[。！!]$").all()
    assert not last.str.contains("著作权").any()
