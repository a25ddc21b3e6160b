"""The same report read twice (two names, two formats, a corrected re-issue) is said, a
different report is not; on the shared corpora the real reports give no pair."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pandas as pd
import pytest

import nqp_text
from nqp_text.cli import main
from nqp_text.duplicates import (
    _candidates,
    near_duplicate_settings,
    near_duplicates,
    sentence_hashes,
)
from nqp_text.quality import quality_summary

_PLACES = "东南西北中"
_WORKS = ["推进智能制造示范工厂建设", "建设算力基础设施和数据中心", "培育专精特新中小企业",
          "开展关键核心技术攻关", "发展现代农业和乡村产业"]


def _report(seed: int, n: int = 30) -> list[str]:
    """``n`` distinct sentences of a made-up report (``seed`` makes another report)."""
    return [f"{_PLACES[(seed + i) % 5]}部地区要{_WORKS[(seed * 7 + i) % 5]}，"
            f"全年完成投资{seed * 1000 + i * 13}亿元。" for i in range(n)]


def _frame(**documents: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": doc_id, "text": text}
                         for doc_id, texts in documents.items() for text in texts])


def test_a_reissue_and_a_scrape_are_pairs_and_another_report_is_not() -> None:
    report = _report(1)
    reissue = report[:27] + [sentence.replace("亿元", "亿元左右") for sentence in report[27:]]
    scrape = [part for sentence in report for part in (sentence[:9], " " + sentence[9:])]
    pairs = near_duplicates(None, _frame(a=report, b=reissue, c=_report(2), d=scrape))
    found = {(row.doc_a, row.doc_b): row for row in pairs.itertuples()}
    assert set(found) == {("a", "b"), ("a", "d"), ("b", "d")}
    assert found["a", "d"].overlap == 1.0 and found["a", "d"].shared == 30
    assert found["a", "b"].shared == 27 and found["a", "b"].overlap == pytest.approx(27 / 33)
    assert near_duplicates(None, _frame(a=report, b=reissue), overlap=0.9).empty


def test_an_excerpt_and_a_summary_inside_the_full_report_are_said_larger_first() -> None:
    report = _report(1, n=60)
    excerpt = ["首页 > 政务公开 > 政府工作报告", *report[10:30], "打印本页 关闭窗口"]
    summary = report[40:52] + _report(5)[:3]          # 12 of its 15 sentences are the report's
    quoting = report[:8] + _report(7)[:8]             # half of its sentences: not "most"
    pairs = near_duplicates(None, _frame(full=report, excerpt=excerpt, summary=summary,
                                         quoting=quoting, other=_report(2, n=60)))
    found = {(row.doc_a, row.doc_b): row for row in pairs.itertuples()}
    assert set(found) == {("excerpt", "full"), ("full", "summary")}
    assert {row.kind for row in found.values()} == {"contains"}
    assert found["excerpt", "full"].containment == pytest.approx(19 / 21)  # furniture joins
    assert found["excerpt", "full"].overlap == pytest.approx(19 / 62)   # far below 0.5
    assert found["full", "summary"].containment == pytest.approx(12 / 15)
    assert set(near_duplicates(None, _frame(full=report, summary=summary),
                               containment=0.9)["kind"]) == set()
    same = near_duplicates(None, _frame(full=report, copy=report[:55]))
    assert same["kind"].tolist() == ["near_duplicate"]     # the same report: said as before


def test_the_quality_report_says_which_document_contains_which(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report = _report(3, n=60)
    (folder / "2024_报告.txt").write_text("\n".join(report), encoding="utf-8")
    (folder / "2024_报告_摘录.txt").write_text("\n".join(report[20:35]), encoding="utf-8")
    (folder / "2024_另一报告.txt").write_text("\n".join(_report(4, n=60)), encoding="utf-8")
    table = nqp_text.read_corpus(folder).quality()
    by_name = table.set_index(table["path"].map(lambda p: Path(p).name))
    assert by_name.loc["2024_报告.txt", "problems"] == ["contains"]
    assert by_name.loc["2024_报告_摘录.txt", "problems"] == ["contains"]
    assert by_name.loc["2024_另一报告.txt", "problems"] == []
    assert by_name.loc["2024_报告.txt", "warnings"][-1].startswith(
        f"contains 100% of the sentences of {folder / '2024_报告_摘录.txt'} (15 of 15): that "
        "document is probably an excerpt or a summary of this one")
    assert by_name.loc["2024_报告_摘录.txt", "warnings"][-1].startswith(
        f"100% of its sentences (15 of 15) are in {folder / '2024_报告.txt'}: probably an "
        "excerpt or a summary of it")
    assert quality_summary(table) == [
        f"document {folder / '2024_报告.txt'} contains 100% of the sentences of "
        f"{folder / '2024_报告_摘录.txt'} (15 of 15): probably an excerpt or a summary of it; "
        "every table (trends, category shares, topics, panels) counts that text twice; "
        "nothing was removed: leave the excerpt out (by doc_id) unless you mean to count it"]


def test_short_documents_and_short_sentences_are_no_evidence() -> None:
    few = _report(3, n=near_duplicate_settings().min_sentences - 1)
    assert near_duplicates(None, _frame(a=few, b=few + ["另一句完全不同的话，写在这里。"])).empty
    formula = ["各位代表：", "谢谢大家！", "现在报告工作。"]  # under 8 characters each
    assert sentence_hashes(formula) == frozenset()


def test_exact_copies_are_left_to_duplicate_documents_and_bad_documents_out() -> None:
    report = _report(4)
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "path": ["r.jsonl", "r.jsonl", "r.docx", "x.pdf"],
        "row": [1, 2, None, None], "status": ["ok", "ok", "ok", "failed"],
        "sha256": ["s", "s", "f", "g"], "duplicate_of": [None, None, None, None]})
    pairs = near_duplicates(documents, _frame(a=report, b=report, c=report[:29], d=report))
    assert pairs[["name_a", "name_b"]].values.tolist() == [["r.docx", "r.jsonl#1"]]


def test_the_same_pairs_in_any_order_of_documents() -> None:
    texts = {f"d{i}": _report(i % 4 + 10 * (i % 2)) for i in range(8)}
    forward = near_duplicates(None, _frame(**texts))
    backward = near_duplicates(None, _frame(**dict(reversed(texts.items()))))
    pd.testing.assert_frame_equal(forward, backward)
    assert len(forward) == 4  # d0=d4, d1=d5, d2=d6, d3=d7


def test_lsh_finds_every_pair_above_the_threshold_among_many() -> None:
    """Candidates against all pairs: 400 sets, pairs sharing 20-100% of their sentences."""
    rng = random.Random(7)
    sets = []
    for _ in range(200):
        base = [rng.getrandbits(64) for _ in range(200)]
        keep = rng.randint(60, 200)
        sets += [frozenset(base), frozenset(base[:keep] + [rng.getrandbits(64)
                                                          for _ in range(200 - keep)])]
    found = set(_candidates(sets, near_duplicate_settings()))
    wanted = {(i, i + 1) for i in range(0, len(sets), 2)
              if len(sets[i] & sets[i + 1]) / len(sets[i] | sets[i + 1]) >= 0.5}
    assert len(wanted) > 80 and wanted <= found
    assert all(j == i + 1 and i % 2 == 0 for i, j in found)  # unrelated sets never meet


def test_quality_names_both_documents_and_a_clean_corpus_is_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024_报告.txt").write_text("\n".join(_report(5)), encoding="utf-8")
    (folder / "2024_报告_更正版.txt").write_text("\n".join(_report(5)[:28] + _report(6)[:2]),
                                             encoding="utf-8")
    (folder / "2023_报告.txt").write_text("\n".join(_report(7)), encoding="utf-8")
    corpus = nqp_text.read_corpus(folder)
    table = corpus.quality()
    flagged = table[table["problems"].map(lambda p: "near_duplicate" in p)]
    assert sorted(Path(path).name for path in flagged["path"]) == ["2024_报告.txt",
                                                                   "2024_报告_更正版.txt"]
    assert any("shares 88% of its sentences with" in w for w in flagged["warnings"].iloc[0])
    line = quality_summary(table)[0]
    assert line.startswith(f"documents {folder / '2024_报告.txt'} and "
                           f"{folder / '2024_报告_更正版.txt'} share 88% of their sentences "
                           "(28 of 32): probably the same report")
    assert len(table.attrs["near_duplicates"]) == 1
    assert not corpus.quality(near_duplicates=False)["problems"].map(len).any()
    (folder / "2024_报告_更正版.txt").unlink()
    assert quality_summary(nqp_text.read_corpus(folder).quality()) == []


def test_ingest_says_the_pair_on_stderr(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(_report(8)), encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": "".join(_report(8))},
                                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"documents {folder / 'a.txt'} and {folder / 'b.jsonl'}#1 share 100% of their " \
           "sentences (30 of 30): probably the same report" in err


def _scrape_of(corpus: nqp_text.Corpus, target: Path, *, changed_every: int = 0) -> None:
    """Write one report's passages as a scraped CSV (furniture, a hard break every 37
    characters); with ``changed_every`` every n-th passage gets a changed ending."""
    lines = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】"]
    for index, text in enumerate(corpus.passages["text"]):
        if changed_every and index % changed_every == 0:
            text = text.rstrip("。") + "，并在年中作了调整。"
        lines += [text[start:start + 37] for start in range(0, len(text), 37)]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["province", "year", "title", "full_text"])
        writer.writerow(["某省", 2025, target.stem, "\n".join(lines + ["相关报道：", "分享:"])])


@pytest.mark.slow
def test_on_the_shared_reports(shared: Path, tmp_path: Path) -> None:
    """The 2025 Word reports and the 2026 scrapes (different years: no report is in both
    forms), the State Council reports: no pair. A scrape and a re-issue built here from one
    Word report: found, with nothing else."""
    provincial = shared / "corpora" / "provincial_reports"
    docx = sorted((provincial / "2025_docx").glob("*.docx"))
    if not docx:
        pytest.skip(f"{provincial} is absent")
    both = nqp_text.read_corpus([provincial / "2025_docx", provincial / "2026_scraped_csv"],
                                text_field="full_text")
    assert len(both.documents) == 32 and both.quality().attrs["near_duplicates"] == []
    gov = nqp_text.read_corpus(shared / "corpora" / "gov_work_reports"
                               / "government_work_reports.jsonl", text_field="content")
    assert gov.quality().attrs["near_duplicates"] == []
    one = nqp_text.read_corpus(docx[0])
    _scrape_of(one, tmp_path / "scrape.csv")
    _scrape_of(one, tmp_path / "reissue.csv", changed_every=3)
    mixed = nqp_text.read_corpus([*docx[:4], tmp_path / "scrape.csv", tmp_path / "reissue.csv"],
                                 text_field="full_text")
    pairs = pd.DataFrame(mixed.quality().attrs["near_duplicates"])
    found = {frozenset((Path(a).name, Path(b).name)): overlap for a, b, overlap in zip(
        pairs["name_a"], pairs["name_b"], pairs["overlap"], strict=True)}
    assert set(found) == {frozenset((docx[0].name, "scrape.csv#1")),
                          frozenset((docx[0].name, "reissue.csv#1")),
                          frozenset(("reissue.csv#1", "scrape.csv#1"))}
    assert found[frozenset((docx[0].name, "scrape.csv#1"))] >= 0.98
    assert 0.6 < found[frozenset((docx[0].name, "reissue.csv#1"))] < 0.9


@pytest.mark.slow
def test_run_puts_the_pair_in_the_manifest_and_report(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023_报告.txt").write_text("\n".join(_report(9)), encoding="utf-8")
    (folder / "2023_报告_网页版.txt").write_text("\n".join(["下载", *_report(9)]),
                                             encoding="utf-8")
    (folder / "2024_报告.txt").write_text("\n".join(_report(11)), encoding="utf-8")
    code = main(["run", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--k", "7",
                 "--model", "dictionary", "--passes", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    said = "share 100% of their sentences (30 of 30): probably the same report"
    assert said in err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert any(said in line for line in manifest["quality"]["summary"])
    assert any(said in w["message"] for w in manifest["warnings"])
    pair = [w for w in manifest["warnings"] if said in w["message"]][0]
    assert sorted(Path(f).name for f in pair["files"]) == ["2023_报告.txt", "2023_报告_网页版.txt"]
    report = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert said in report and "shares 100% of its sentences with" in report
    assert f"<td>{', '.join(pair['files'])}</td>" in report     # the files column
