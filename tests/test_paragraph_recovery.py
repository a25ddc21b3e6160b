"""Paragraph recovery for text without usable line breaks, and bounded passages.

The shared-data test rebuilds every government work report in ``../shared``
(the State Council reports of the JSONL corpus and the 2025 provincial Word
files) as one line, each paragraph marked only by indentation, as a Stata or
database export stores it, and checks that the paragraph boundaries come back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nqp_text
from nqp_text.io._recover import LONG_LINE, recover_breaks
from nqp_text.io.paragraph_training import held_out
from nqp_text.io.text import text_document
from nqp_text.preprocess.normalize import normalize_text
from nqp_text.preprocess.passages import split_spans

_SENTENCE = "推动数字经济和实体经济深度融合，加快发展新质生产力。"


def _paragraphs(n: int) -> list[str]:
    return [f"第{i}项工作" + _SENTENCE * (2 + i % 5) for i in range(n)]


def test_short_lines_are_left_alone() -> None:
    text = "一、总体要求\n　　推动发展。\n二、主要任务"
    assert recover_breaks(text) == (text, "lines")


def test_indentation_runs_and_enumerations_start_paragraphs() -> None:
    paras = _paragraphs(40)
    for indent in ("\u3000\u3000", "\u2003\u2003", "\u00a0\u00a0", "  ", "\u3000"):
        text = "".join(indent + p for p in paras)
        assert len(text) > LONG_LINE
        doc = text_document(text)
        assert doc.text.split("\n") == paras, indent
        assert doc.meta["paragraphs_from"] == "indentation"
        assert "indentation" in doc.meta["warnings"][0]
    enumerated = "总体要求如下。" + "".join(f"（{n}）{p}" for n, p in
                                         zip("一二三四五六七八九十", paras, strict=False))
    enumerated += "".join(f"{n}.{p}" for n, p in enumerate(paras[:30], start=1))
    doc = text_document(enumerated)
    assert len(doc.text.split("\n")) == 1 + 10 + 30


def test_single_wide_space_inside_a_name_is_not_a_paragraph_start() -> None:
    text = "国务院总理\u3000李\u3000强。" + "".join("\u3000\u3000" + p for p in _paragraphs(40))
    first = text_document(text).text.split("\n")[0]
    assert first == "国务院总理 李 强。"


def test_text_without_any_marker_gives_bounded_sentence_passages(tmp_path: Path) -> None:
    text = _SENTENCE.replace("。", "，") * 300  # 7,800 characters, no break, no sentence end
    path = tmp_path / "flat.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    corpus = nqp_text.read_corpus(path)
    assert corpus.documents["paragraphs_from"].tolist() == ["sentences"]
    assert "sentence ends" in corpus.documents["warnings"].iloc[0][0]
    lengths = corpus.passages["text"].str.len()
    assert lengths.max() <= 1500 and len(lengths) == 6
    assert "".join(corpus.passages["text"]) == text
    small = nqp_text.read_corpus(path, max_passage=500)
    assert small.passages["text"].str.len().max() <= 500
    unbounded = nqp_text.read_corpus(path, max_passage=None)
    assert len(unbounded.passages) == 1
    with pytest.raises(ValueError, match="max_passage"):
        nqp_text.read_corpus(path, max_passage=5)


def test_split_spans_keeps_offsets_and_cuts_long_sentences_at_commas() -> None:
    clause = "加快建设现代化产业体系，"
    text = "短段。\n" + clause * 200 + "。"
    spans = split_spans(text, max_chars=300)
    assert spans[0] == (0, 3)
    assert all(end - start <= 300 for start, end in spans)
    assert "".join(text[a:b] for a, b in spans[1:]) == text[4:]
    assert all(text[b - 1] in "，。" for _, b in spans)
    hard = split_spans("字" * 1000, max_chars=300)
    assert [b - a for a, b in hard] == [300, 300, 300, 100]


def test_lines_documents_say_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("标题\n\n第一段。\n\n第二段。\n", encoding="utf-8")
    corpus = nqp_text.read_corpus(path)
    assert corpus.documents["paragraphs_from"].tolist() == ["lines"]


def _f1(gold: list[str], found: list[str]) -> float:
    def bounds(parts: list[str]) -> set[int]:
        total, out = 0, set()
        for part in parts[:-1]:
            total += len("".join(part.split()))
            out.add(total)
        return out

    expected, got = bounds(gold), bounds(found)
    if not expected and not got:
        return 1.0
    return 2 * len(expected & got) / (len(expected) + len(got))


@pytest.fixture(scope="module")
def report_corpus(shared: Path) -> nqp_text.Corpus:
    """The State Council reports (with their resolutions) and the 2025 provincial Word files."""
    gov = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    provincial = shared / "corpora" / "provincial_reports" / "2025_docx"
    return nqp_text.read_corpus([gov, provincial])


@pytest.fixture(scope="module")
def reports(report_corpus: nqp_text.Corpus) -> dict[str, list[str]]:
    """Every government work report in ../shared: its original paragraphs, by name."""
    documents = report_corpus.documents
    reports = documents[(documents["source"] == "docx") | documents["year"].notna()]
    by_doc = report_corpus.passages.groupby("doc_id")["text"].apply(list)
    return {str(row.doc_id): by_doc[row.doc_id] for row in reports.itertuples()}


@pytest.fixture(scope="module")
def state_council(report_corpus: nqp_text.Corpus) -> dict[str, int]:
    """The State Council reports by name, with their year."""
    documents = report_corpus.documents
    reports = documents[(documents["source"] != "docx") & documents["year"].notna()]
    return {str(doc_id): int(year) for doc_id, year in zip(reports["doc_id"], reports["year"],
                                                           strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("indent", ["\u3000\u3000", "\u3000"])
def test_every_government_report_recovers_its_paragraphs(reports: dict[str, list[str]],
                                                         tmp_path: Path, indent: str) -> None:
    assert len(reports) == 52 + 16
    path = tmp_path / "flat.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for name, paras in reports.items():
            flat = "".join(indent + p for p in paras)
            handle.write(json.dumps({"id": name, "text": flat}, ensure_ascii=False) + "\n")
    recovered = nqp_text.read_corpus(path)
    assert set(recovered.documents["paragraphs_from"]) == {"indentation"}
    by_doc = recovered.passages.groupby("doc_id")["text"].apply(list)
    scores = {}
    for name, paras in reports.items():
        found = by_doc[name]
        assert normalize_text("".join("".join(found).split())) == \
            normalize_text("".join("".join(paras).split()))
        scores[name] = _f1(paras, found)
    worst = min(scores, key=scores.get)
    assert scores[worst] >= 0.90, (worst, scores[worst])
    assert recovered.passages["text"].str.len().max() <= 2000


def test_state_council_reports_with_each_line_break_replaced(
        reports: dict[str, list[str]], shared: Path, tmp_path: Path) -> None:
    """The raw records with every line break turned into one space, as many exports do."""
    source = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    originals = nqp_text.read_corpus(source).documents.set_index("row")["doc_id"]
    path = tmp_path / "flat.jsonl"
    with source.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as handle:
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            if record["year"] is not None:
                flat = record["content"].replace("\n", " ")
                handle.write(json.dumps({"id": str(originals[number]), "content": flat},
                                        ensure_ascii=False) + "\n")
    recovered = nqp_text.read_corpus(path)
    by_doc = recovered.passages.groupby("doc_id")["text"].apply(list)
    scores = {doc_id: _f1(reports[doc_id], found) for doc_id, found in by_doc.items()}
    assert len(scores) == 52
    assert min(scores.values()) >= 0.90, min(scores.items(), key=lambda item: item[1])


# Measured with the shipped model (benchmarks/eval_paragraph_recovery.py) on the State
# Council reports of odd years, which the model never saw (those of even years and the 2025
# provincial Word reports are in its training data); the target is 0.90 and is NOT
# met without any mark (see docs/guide/real-world-corpora.md).
_NO_MARK_MEAN_F1 = 0.58
_NO_MARK_WORST_F1 = 0.37


@pytest.mark.slow
def test_reports_without_any_mark_recover_paragraphs_by_the_model(
        reports: dict[str, list[str]], state_council: dict[str, int], tmp_path: Path) -> None:
    """Every report with all line breaks removed: held-out boundary F1 of the model, bounded."""
    path = tmp_path / "flat.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for name, paras in reports.items():
            handle.write(json.dumps({"id": name, "text": "".join(paras)},
                                    ensure_ascii=False) + "\n")
    recovered = nqp_text.read_corpus(path)
    assert set(recovered.documents["paragraphs_from"]) == {"model"}
    assert recovered.passages["text"].str.len().max() <= 1500
    by_doc = recovered.passages.groupby("doc_id")["text"].apply(list)
    assert len(state_council) == 52 and set(state_council) <= set(reports)
    unseen = [name for name, year in state_council.items() if held_out(year)]
    assert len(unseen) == 26
    scores = {name: _f1(reports[name], by_doc[name]) for name in unseen}
    assert sum(scores.values()) / len(scores) >= _NO_MARK_MEAN_F1
    assert min(scores.values()) >= _NO_MARK_WORST_F1, min(scores.items(), key=lambda i: i[1])
