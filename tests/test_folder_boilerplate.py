"""Short lines recurring across the single-document files of one folder are removed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import nqp_text
from nqp_text.preprocess.boilerplate import folder_recurring, remove_lines, short_lines

SITE = "青禾市政务公开示例网"
FOOTER = "本页由青禾市数据中心维护 转发本页"
BODIES = [
    "一、总体要求\n推进制造业数字化转型，培育新质生产力。\n加快人工智能与实体经济深度融合。",
    "二、重点任务\n建设高标准算力基础设施，扩大数据要素流通。\n支持企业研发投入持续增长。",
    "三、保障措施\n完善科技金融服务体系，强化人才支撑。\n优化营商环境，激发市场主体活力。",
    "四、组织实施\n建立工作推进机制，压实各方责任。\n加强督促检查和绩效评估。",
]


def _site(folder: Path, bodies: list[str]) -> Path:
    folder.mkdir(parents=True)
    for index, body in enumerate(bodies):
        (folder / f"202{index}_通知{index}.txt").write_text(
            f"{SITE}\n{body}\n{FOOTER}\n", encoding="utf-8")
    return folder


def _passages(corpus: nqp_text.Corpus) -> list[str]:
    return corpus.passages["text"].tolist()


def test_lines_in_half_the_files_of_a_folder_go_and_are_recorded(tmp_path: Path) -> None:
    corpus = nqp_text.read_corpus(_site(tmp_path / "site", BODIES))
    texts = _passages(corpus)
    assert SITE not in texts and FOOTER not in texts
    assert "推进制造业数字化转型，培育新质生产力。" in texts
    assert corpus.documents["boilerplate_lines"].tolist() == [2, 2, 2, 2]
    assert all(sorted(shown) == sorted([SITE, FOOTER])
               for shown in corpus.documents["boilerplate_removed"])
    for row in corpus.passages.itertuples():  # offsets index the cleaned text
        assert row.end - row.start == len(row.text)
    kept = nqp_text.read_corpus(tmp_path / "site", keep_boilerplate=True)
    assert SITE in _passages(kept) and FOOTER in _passages(kept)


def test_a_folder_of_two_files_or_of_copies_keeps_its_lines(tmp_path: Path) -> None:
    two = nqp_text.read_corpus(_site(tmp_path / "two", BODIES[:2]))
    assert _passages(two).count(SITE) == 2
    copies = _site(tmp_path / "copies", [BODIES[0]] * 3 + [BODIES[1]])  # 2 distinct documents
    assert _passages(nqp_text.read_corpus(copies)).count(FOOTER) == 4


def test_folders_are_counted_apart(tmp_path: Path) -> None:
    _site(tmp_path / "a", BODIES[:2])
    _site(tmp_path / "b", BODIES[2:])
    corpus = nqp_text.read_corpus(tmp_path)  # 2 + 2 files: no folder reaches 3
    assert _passages(corpus).count(SITE) == 4


def test_a_line_needs_half_the_distinct_documents_and_at_least_three() -> None:
    docs = [short_lines(f"{SITE}\n正文第{i}段。") for i in range(6)]
    assert folder_recurring(docs) == {SITE}
    assert folder_recurring(docs[:3] + [frozenset()] * 4) == frozenset()  # 3 of 7
    assert folder_recurring(docs[:2]) == frozenset()
    assert remove_lines(f"{SITE}\n正文。", [SITE]) == ("正文。", [SITE])


@pytest.mark.slow
def test_run_gives_the_passages_of_read_corpus(tmp_path: Path) -> None:
    from nqp_text.pipeline.run import run_pipeline

    site = _site(tmp_path / "site", BODIES)
    (site / "2024_其他.txt").write_text(f"{SITE}\n另一份文件的正文内容。\n", encoding="utf-8")
    expected = nqp_text.read_corpus(site)
    run_pipeline([site], tmp_path / "out", progress=False)
    passages = pd.read_parquet(tmp_path / "out" / "passages.parquet")
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    columns = ["doc_id", "passage_id", "text", "start", "end"]
    pd.testing.assert_frame_equal(passages[columns].reset_index(drop=True),
                                  expected.passages[columns].reset_index(drop=True),
                                  check_dtype=False)
    assert documents["boilerplate_lines"].tolist() == \
        expected.documents["boilerplate_lines"].tolist()
    assert "_short_lines" not in documents.columns
    again = run_pipeline([site], tmp_path / "out", progress=False)  # from the cache
    assert again["stages"]["ingest"]["computed"] == 0
    kept = run_pipeline([site], tmp_path / "kept", progress=False, keep_boilerplate=True)
    assert kept is not None
    assert SITE in pd.read_parquet(tmp_path / "kept" / "passages.parquet")["text"].tolist()


@pytest.mark.parametrize(("source", "changed"), [("txt", True), ("docx", True), ("pdf", False)])
def test_pdfs_take_no_part_in_the_folder_rule(source: str, changed: bool) -> None:
    """A folder of PDFs shares real headings (审计报告, 目录); their page furniture is the PDF
    reader's job, so the folder rule leaves them as they are."""
    from nqp_text.io._extract import RawRecord
    from nqp_text.io.folders import remove_folder_lines

    records = [RawRecord(f"site/{index}.{source}", source, "ok", text=f"{SITE}\n{body}\n{FOOTER}",
                         sha256=f"sha{index}") for index, body in enumerate(BODIES)]
    cleaned = remove_folder_lines(records)
    assert [SITE in record.text for record in cleaned] == [not changed] * len(BODIES)
    assert all(body in record.text for body, record in zip(BODIES, cleaned, strict=True))
