"""``to_simplified="auto"`` (the default; ``--no-to-simplified`` turns it off): only the
documents written in traditional characters are converted, each one says so (warnings, the
``converted_to_simplified`` column, stderr, manifest, report), and the simplified
documents are left exactly as written; on a mixed corpus written here and on the real
1954 State Council report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nqp_text
from nqp_text.cli import main
from nqp_text.errors import OptionError
from nqp_text.options import ReadOptions

pytest.importorskip("opencc")

#: A simplified report that quotes a traditional place name (臺灣), and a traditional one.
_SIMPLIFIED = ("加快发展新质生产力，培育全国一体化数据要素市场。\n\n"
               "支持臺灣同胞来大陆投资兴业，推进产业升级和技术改造。\n")
_TRADITIONAL = ("加快發展新質生產力，培育全國一體化數據要素市場。\n\n"
                "推進產業升級和技術改造，鞏固國民經濟發展的基礎，擴大對外開放。"
                "實現糧食產量穩定增長，讓農民獲得實惠。\n")


def _mixed(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2024_简体报告.txt").write_text(_SIMPLIFIED, encoding="utf-8")
    (folder / "2023_繁體報告.txt").write_text(_TRADITIONAL, encoding="utf-8")
    return folder


def _by_name(corpus: nqp_text.Corpus) -> dict[str, dict]:
    documents = corpus.documents
    out = {}
    for _, row in documents.iterrows():
        text = "\n".join(corpus.passages[corpus.passages["doc_id"] == row["doc_id"]]["text"])
        out[Path(str(row["path"])).name] = {**row.to_dict(), "text": text}
    return out


def test_auto_converts_only_the_traditional_document(tmp_path: Path) -> None:
    folder = _mixed(tmp_path / "in")
    docs = _by_name(nqp_text.read_corpus(folder, to_simplified="auto"))
    traditional, simplified = docs["2023_繁體報告.txt"], docs["2024_简体报告.txt"]
    assert traditional["converted_to_simplified"] is True
    assert simplified["converted_to_simplified"] is False
    assert "新质生产力" in traditional["text"] and "数据要素" in traditional["text"]
    assert "新質" not in traditional["text"]
    assert simplified["text"] == _SIMPLIFIED.replace("\n\n", "\n").strip()  # 臺灣 as written
    [sentence] = list(traditional["warnings"])
    assert sentence.startswith("written in traditional characters") and "converted" in sentence
    assert simplified["warnings"] is None


def test_the_three_modes_count_the_keyword_differently(tmp_path: Path) -> None:
    folder = _mixed(tmp_path / "in")

    def count(mode: bool | str, term: str) -> int:
        corpus = nqp_text.read_corpus(folder, to_simplified=mode)
        return sum(nqp_text.count_term(text, term) for text in corpus.passages["text"])

    assert count(False, "新质生产力") == 1
    assert count("auto", "新质生产力") == 2 and count(True, "新质生产力") == 2
    assert count("auto", "臺灣") == 1 and count(True, "臺灣") == 0  # only "all" touches it
    never = nqp_text.read_corpus(folder, to_simplified=False).documents
    assert "converted_to_simplified" not in never.columns
    said = [w for ws in never["warnings"] if ws is not None for w in ws]
    assert len(said) == 1 and "to_simplified='auto'" in said[0]


def test_passage_offsets_locate_the_passage_in_the_text_as_written(tmp_path: Path) -> None:
    folder = _mixed(tmp_path / "in")
    auto = nqp_text.read_corpus(folder, to_simplified="auto")
    never = nqp_text.read_corpus(folder, to_simplified=False)
    doc_id = auto.documents.loc[auto.documents["converted_to_simplified"], "doc_id"].iloc[0]
    converted = auto.passages[auto.passages["doc_id"] == doc_id]
    original = never.passages[never.passages["doc_id"] == doc_id]
    assert list(converted["start"]) == list(original["start"])
    assert list(converted["end"]) == list(original["end"])
    assert [len(text) for text in converted["text"]] == [len(text) for text in original["text"]]


def test_auto_without_opencc_keeps_the_text_and_says_so(tmp_path: Path,
                                                        without_opencc: None) -> None:
    folder = _mixed(tmp_path / "in")
    docs = _by_name(nqp_text.read_corpus(folder, to_simplified="auto"))
    traditional = docs["2023_繁體報告.txt"]
    assert traditional["converted_to_simplified"] is False
    assert "新質生產力" in traditional["text"]
    [sentence] = list(traditional["warnings"])
    assert "NOT converted" in sentence and "nqp-text[opencc]" in sentence


def test_options_and_command_line_modes() -> None:
    assert ReadOptions(to_simplified="auto").to_simplified == "auto"
    assert ReadOptions(to_simplified="all").to_simplified is True
    assert ReadOptions(to_simplified="never").to_simplified is False
    with pytest.raises(OptionError, match="to_simplified must be True, False or 'auto'"):
        ReadOptions(to_simplified="sometimes")
    with pytest.raises(OptionError):
        nqp_text.read_corpus(".", to_simplified="yes")


def test_run_records_the_conversion_on_stderr_manifest_and_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _mixed(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["run", str(folder), "--out", str(out), "--quiet", "--k", "7"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "2023_繁體報告.txt: written in traditional characters" in err
    assert "converted to simplified characters" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["options"]["to_simplified"] == "auto"
    said = [w for w in manifest["warnings"] if "converted to simplified" in w["message"]]
    assert len(said) == 1 and said[0]["files"][0].endswith("2023_繁體報告.txt")
    assert "converted to simplified characters" in (out / "report.html").read_text("utf-8")
    assert "converted to simplified characters" in (out / "quality.csv").read_text("utf-8")
    import pandas as pd

    documents = pd.read_parquet(out / "documents.parquet")
    flags = dict(zip(documents["path"].map(lambda p: Path(p).name),
                     documents["converted_to_simplified"], strict=True))
    assert flags == {"2023_繁體報告.txt": True, "2024_简体报告.txt": False}
    for table in ("document_lengths", "category_trends"):  # a reader fact, not metadata
        assert "converted_to_simplified" not in pd.read_parquet(out / f"{table}.parquet").columns
    passages = pd.read_parquet(out / "passages.parquet")
    assert sum(nqp_text.count_term(text, "新质生产力") for text in passages["text"]) == 2


def test_the_real_1954_report_is_the_one_converted(shared: Path) -> None:
    """The State Council reports as published: only the 1954 report is written in
    traditional characters; ``auto`` converts it and no other report."""
    corpus = nqp_text.read_corpus(
        shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl",
        text_field="content", year_field="year", title_field="title", id_field="id",
        to_simplified="auto")
    documents = corpus.documents
    converted = documents[documents["converted_to_simplified"].astype(bool)]
    assert converted["year"].tolist() == [1954]
    assert (~documents["converted_to_simplified"].astype(bool)).sum() == len(documents) - 1
    text = "\n".join(corpus.passages[corpus.passages["doc_id"] == converted["doc_id"].iloc[0]]
                     ["text"])
    assert nqp_text.count_term(text, "国家") > 50 and nqp_text.count_term(text, "國家") == 0
    assert nqp_text.count_term(text, "工业化") > 0
    later = corpus.passages[corpus.passages["year"] == 1957]["text"]
    never = nqp_text.read_corpus(
        shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl",
        text_field="content", year_field="year", title_field="title", id_field="id",
        to_simplified=False)
    assert later.tolist() == never.passages[never.passages["year"] == 1957]["text"].tolist()


def test_the_traditional_pdfs_are_converted_also_when_the_text_is_in_tables(shared: Path) -> None:
    folder = shared / "pdfs"
    names = ["tw_moex_exam_2025_law_zh_hant.pdf", "tw_pcc_eco_check_common_errors_zh_hant.pdf",
             "dept_budget_shanghai_putuo_commerce_2025.pdf"]
    corpus = nqp_text.read_corpus([folder / name for name in names], to_simplified="auto")
    flags = dict(zip(corpus.documents["path"].map(lambda p: Path(p).name),
                     corpus.documents["converted_to_simplified"], strict=True))
    assert flags == {names[0]: True, names[1]: True, names[2]: False}
    cells = [cell for rows in corpus.tables["rows"] for row in rows for cell in row if cell]
    assert cells and not any("階段" in cell for cell in cells)


@pytest.mark.parametrize(("flags", "mode", "converted"),
                         [([], "auto", 2), (["--to-simplified"], True, 2),
                          (["--no-to-simplified"], False, 1)])
def test_ingest_flags_choose_the_mode_even_right_before_the_input_path(
        tmp_path: Path, flags: list[str], mode: bool | str, converted: int) -> None:
    folder = _mixed(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["ingest", "--out", str(out), *flags, str(folder)])
    assert code == 0
    import pandas as pd

    documents = pd.read_parquet(out / "documents.parquet")
    if mode is False:
        assert "converted_to_simplified" not in documents.columns
    else:
        assert sorted(documents["converted_to_simplified"]) == [mode is True, True]
    passages = pd.read_parquet(out / "passages.parquet")
    assert sum(nqp_text.count_term(text, "新质生产力") for text in passages["text"]) == converted
