"""Nothing silent: each case the issue found silent now warns on stderr, in the manifest and
the report, and exits non-zero with --strict (or when an output the user asked for is missing)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import nqp_text
from nqp_text.cli import build_parser, main
from nqp_text.corpus import Corpus
from nqp_text.diagnostics import (
    EXIT_MISSING_OUTPUT,
    EXIT_STRICT,
    Diagnostic,
    NqpWarning,
    collect,
    warn,
)

# Sentences written for these tests; record i holds sentences i and i+1, so that every term
# occurs in two records (enough for the topic model's min_df=2 and max_df=0.5).
SENTENCES = [
    "加快培育新质生产力，推动人工智能与实体经济深度融合。",
    "建设全国统一大市场，破除地方保护和市场分割。",
    "实施科技自立自强战略，加强基础研究和关键核心技术攻关。",
    "推进绿色低碳转型，发展风电光伏和新型储能产业。",
    "扩大高水平对外开放，稳住外贸外资基本盘。",
    "深化国有企业改革，完善中国特色现代企业制度。",
]
YEARS = [2019, 2021, 2022, 2023, 2024, 2025]  # no 2020


def _records(path: Path, field: str = "year") -> Path:
    rows = [{"id": f"r{i}", field: year, "title": f"报告{i}",
             "text": f"{SENTENCES[i]}\n\n{SENTENCES[(i + 1) % len(SENTENCES)]}"}
            for i, year in enumerate(YEARS)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def _call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- the mechanism ----------------------------------------------------------------------------


def test_collect_nests_and_exit_codes() -> None:
    with collect() as outer:
        with collect() as inner:
            warn("empty_table", "nothing", stage="trends")
        with collect(propagate=False) as hidden:
            warn("no_year", "hidden", stage="ingest")
        warnings.warn("a library sentence", UserWarning, stacklevel=1)  # not nqp_text's
    assert [d.kind for d in inner] == ["empty_table"]
    assert [d.kind for d in hidden] == ["no_year"]
    assert [d.kind for d in outer] == ["empty_table"]
    assert outer.exit_code() == 0 and outer.exit_code(strict=True) == EXIT_STRICT
    outer.add("output_missing", "no report", stage="report", severity="error")
    assert outer.exit_code() == EXIT_MISSING_OUTPUT
    assert outer.records()[0]["kind"] == "empty_table"  # stage order: trends before report
    with pytest.warns(NqpWarning, match="outside a collector"):
        warn("x", "outside a collector", stage="trends")
    assert Diagnostic("failed", "ingest", "binary", ("a.txt",)).line() == "failed: a.txt: binary"


# -- ingest -----------------------------------------------------------------------------------


def test_ingest_wrong_year_field_says_which_field_exists(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    records = _records(tmp_path / "five.jsonl")
    args = ["ingest", str(records), "--out", str(tmp_path / "o"), "--year-field", "yr"]
    code, out, err = _call(capsys, *args)
    assert code == 0 and out.startswith("ingest: 6 documents (ok 6")
    assert "--year-field 'yr' matches no record" in err
    assert "did you mean --year-field year?" in err
    assert "kept as column 'field_year'" in err
    assert "no document has a year" in err
    assert _call(capsys, *args, "--strict")[0] == EXIT_STRICT
    code, _, err = _call(capsys, "ingest", str(records), "--out", str(tmp_path / "o"),
                         "--text-field", "body")
    assert code == 0 and "did you mean --text-field text?" in err


def test_ingest_names_long_passages_and_traditional_documents(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023_长.txt").write_text("发展新质生产力" * 1000, encoding="utf-8")
    (folder / "2024_繁.txt").write_text("政府工作報告：國民經濟發展，這個時期們對於經濟問題。" * 3,
                                        encoding="utf-8")
    (folder / "2025_好.txt").write_text("发展新质生产力。", encoding="utf-8")
    # --max-passage 0: long paragraphs are not cut at sentence ends (the default cuts them)
    code, _, err = _call(capsys, "ingest", str(folder), "--out", str(tmp_path / "o"),
                         "--max-passage", "0")
    assert code == 0
    lines = err.splitlines()
    assert any(line.startswith(f"warning: {folder / '2023_长.txt'}: 1 passage(s) longer than "
                               "5,000 characters (longest 7,000)") for line in lines), err
    assert any(line.startswith(f"warning: {folder / '2024_繁.txt'}: written in traditional")
               for line in lines), err
    assert not any("2025_好" in line for line in lines)
    documents = pd.read_parquet(tmp_path / "o" / "documents.parquet")
    assert documents["warnings"].map(lambda w: w is not None and len(w) > 0).tolist() == \
        [True, True, False]
    assert _call(capsys, "ingest", str(folder), "--out", str(tmp_path / "o"),
                 "--max-passage", "0", "--strict")[0] == EXIT_STRICT
    code, _, err = _call(capsys, "ingest", str(folder), "--out", str(tmp_path / "o"),
                         "--to-simplified")
    assert "traditional" not in err


# -- run --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, int]:
    """A run over records with a missing year, a bad file and a long passage."""
    base = tmp_path_factory.mktemp("run_a")
    folder = base / "in"
    folder.mkdir()
    _records(folder / "records.jsonl")
    (folder / "2018_坏.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "2022_长.txt").write_text("发展新质生产力" * 1000, encoding="utf-8")
    out = base / "results"
    with pytest.MonkeyPatch.context() as patch:
        captured: dict[str, str] = {}
        import io

        stderr = io.StringIO()
        patch.setattr(sys, "stderr", stderr)
        code = main(["run", str(folder), "--out", str(out), "--quiet"])
        captured["err"] = stderr.getvalue()
    return folder, out, captured["err"], code


@pytest.mark.slow
def test_run_names_bad_files_and_misleading_results(run_a: tuple[Path, Path, str, int]) -> None:
    folder, out, err, code = run_a
    assert code == 0, err
    assert f"failed: {folder / '2018_坏.txt'}: binary content" in err
    # a text without line breaks: cut at sentence ends, and said so
    assert f"warning: {folder / '2022_长.txt'}: no usable line breaks" in err
    assert "no document for 2020 (inside 2019–2025)" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    # 7 documents for k=12: the topic unit is the passage (issue 18), and the run says why
    assert manifest["stages"]["topics"]["unit"] == "passage"
    assert "7 documents" in manifest["stages"]["topics"]["unit_reason"]
    kinds = {record["kind"] for record in manifest["warnings"]}
    assert {"failed", "document", "missing_years"} <= kinds
    failed = [r for r in manifest["warnings"] if r["kind"] == "failed"]
    assert failed[0]["files"] == [str(folder / "2018_坏.txt")]
    page = (out / "report.html").read_text("utf-8")
    assert "注意 Warnings" in page and "no document for 2020" in page
    assert "2018_坏.txt" in page


def test_run_warns_when_paragraphs_are_short(run_a: tuple[Path, Path, str, int]) -> None:
    """``classify_passages`` warned about short passages in Python, ``nqp-text run`` only
    about ``--unit sentence``: a run over short paragraphs (an MD&A: median 28 characters)
    gave unreliable category shares without a word."""
    _, out, err, _ = run_a
    assert "warning: the passages are short (median" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    said = [r for r in manifest["warnings"] if r["kind"] == "short_units"]
    assert len(said) == 1 and said[0]["stage"] == "classify"
    assert "the passages are short" in (out / "report.html").read_text("utf-8")
    from nqp_text.viz.report import build_report  # the page of `nqp-text report DIR` too

    again = build_report(out, out=out.parent / "again.html").read_text("utf-8")
    assert "the passages are short (median" in again


def test_report_names_the_focus_terms_it_leaves_out(run_a: tuple[Path, Path, str, int]) -> None:
    """Focus terms found in no dated document were left out of the chart and the table
    without a word (an MD&A run showed one of eight)."""
    _, out, _, _ = run_a
    page = (out / "report.html").read_text("utf-8")
    said = re.search(r"以下重点术语在有年份的文件中均未出现[^：]*：([^。<]*)。", page)
    assert said is not None
    absent = said.group(1).split("、")
    assert "数字经济" in absent and "全要素生产率" in absent
    assert "新质生产力" not in absent and "人工智能" not in absent


@pytest.mark.slow
def test_run_with_the_dictionary_model_does_not_warn_about_short_paragraphs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _records(tmp_path / "five.jsonl")
    code, _, err = _call(capsys, "run", str(records), "--out", str(tmp_path / "results"),
                         "--quiet", "--model", "dictionary", "--unseeded", "--k", "2",
                         "--min-df", "1")
    assert code == 0, err
    assert "the passages are short" not in err


def test_report_years_leave_out_failed_files(run_a: tuple[Path, Path, str, int]) -> None:
    from nqp_text.viz.report_tables import ReportTables

    _, out, _, _ = run_a
    tables = ReportTables(out)
    assert 2018 in set(tables.documents["year"].dropna().astype(int))  # the failed file
    assert tables.years == [2019, 2021, 2022, 2023, 2024, 2025]


def test_run_strict_and_missing_report(run_a: tuple[Path, Path, str, int], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out, _, _ = run_a
    code, _, err = _call(capsys, "run", str(folder), "--out", str(out), "--quiet", "--strict")
    assert code == EXIT_STRICT and "--strict" in err  # cached: the same warnings again
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_text("not a font", encoding="utf-8")
    monkeypatch.setenv("NQP_TEXT_CJK_FONT", str(not_a_font))
    code, _, err = _call(capsys, "run", str(folder), "--out", str(out), "--quiet")
    assert code == EXIT_MISSING_OUTPUT
    assert "error: report.html was not written" in err
    assert not (out / "report.html").exists()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert any(r["severity"] == "error" and r["stage"] == "report" for r in manifest["warnings"])


def test_run_wrong_year_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _records(tmp_path / "five.jsonl")
    out = tmp_path / "results"
    code, _, err = _call(capsys, "run", str(records), "--out", str(out), "--quiet",
                         "--year-field", "yr")
    assert code == 0, err
    assert "did you mean --year-field year?" in err
    assert "trends_lexicon and category_trends are empty" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    kinds = [r["kind"] for r in manifest["warnings"]]
    assert {"field_unmatched", "field_renamed", "no_year", "empty_table"} <= set(kinds)
    assert "did you mean --year-field year?" in (out / "report.html").read_text("utf-8")


def test_run_on_an_empty_folder_exits_1(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = _call(capsys, "run", str(tmp_path / "empty"), "--out", str(tmp_path / "o"),
                         "--quiet")
    assert code == EXIT_MISSING_OUTPUT
    assert "error: no input files found in" in err
    assert "lower min_df" not in err  # the old reason named an option run did not have
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))
    assert manifest["warnings"][0]["kind"] == "no_inputs"


# -- the API ----------------------------------------------------------------------------------


def _corpus(years: list[int | None]) -> Corpus:
    ids = [f"d{i}" for i in range(len(years))]
    documents = pd.DataFrame({"doc_id": ids, "year": pd.array(years, dtype="Int64"),
                              "status": "ok", "path": ids})
    texts = ["发展数字经济。" for _ in ids]
    passages = pd.DataFrame({"doc_id": ids, "passage_id": [f"{i}:0" for i in ids], "seq": 0,
                             "year": pd.array(years, dtype="Int64"), "text": texts,
                             "start": 0, "end": [len(t) for t in texts]})
    return Corpus(documents, passages)


def test_term_frequencies_by_a_missing_column_warns() -> None:
    with pytest.warns(NqpWarning, match="no document with text has a value in 'year'"):
        table = nqp_text.term_frequencies(_corpus([None, None]), ["数字经济"], by="year",
                                          tokens=pd.Series([["数字经济"], ["数字经济"]],
                                                           index=["d0:0", "d1:0"]))
    assert table.empty
    with pytest.warns(NqpWarning, match="1 of 2 documents have no 'year'"):
        nqp_text.term_frequencies(_corpus([2024, None]), ["数字经济"], by="year",
                                  tokens=pd.Series([["数字经济"], ["数字经济"]],
                                                   index=["d0:0", "d1:0"]))


def test_classifying_sentences_with_the_paragraph_model_warns() -> None:
    from nqp_text.classify.run import classify_passages

    passages = pd.DataFrame({"passage_id": ["a", "b"],
                             "text": ["发展人工智能。", "开展大规模设备更新和消费品以旧换新。"]})
    with pytest.warns(NqpWarning, match="measured F1 on single sentences"):
        classify_passages(passages, nqp_text.load_model("default"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", NqpWarning)
        classify_passages(passages, nqp_text.load_model("dictionary"))


def test_fewer_units_than_topics_warns() -> None:
    from nqp_text.topics.lda import TopicModel

    lists = [["数字", "经济", "发展"], ["数字", "经济", "创新"], ["创新", "发展", "经济"]]
    with pytest.warns(NqpWarning, match="3 documents for k=5 topics"):
        TopicModel(k=5, min_df=1, max_df=1.0, passes=1).fit(lists)


@pytest.mark.slow
def test_gov_reports_traditional_and_to_simplified(shared: Path) -> None:
    with collect() as found:
        plain = nqp_text.datasets.fetch_gov_work_reports(shared)
    kinds = {d.kind: d.message for d in found}
    assert "1954" in kinds["traditional"] and "2020" in kinds["missing_years"]
    assert "no_year" not in kinds  # the undated resolutions are dropped on purpose
    simplified = nqp_text.datasets.fetch_gov_work_reports(shared, to_simplified=True)
    counts = []
    for corpus in (plain, simplified):
        first = corpus.documents.loc[corpus.documents["year"] == 1954, "doc_id"].item()
        text = "".join(corpus.passages.loc[corpus.passages["doc_id"] == first, "text"])
        counts.append(nqp_text.count_term(text, "经济"))
    assert counts[0] == 0 and counts[1] > 0


# -- the command line -------------------------------------------------------------------------


def test_every_help_shows_defaults_and_subcommand_errors_show_their_usage(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import argparse

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        formatter = command._get_formatter()
        for action in command._actions:
            if action.option_strings and action.default not in (None, False,
                                                                argparse.SUPPRESS):
                text = formatter._get_help_string(action)
                assert "default" in text, (name, action.option_strings, text)
    with pytest.raises(SystemExit) as info:
        main(["run", str(tmp_path / "does-not-exist"), "--out", str(tmp_path / "x")])
    assert info.value.code == 2
    assert capsys.readouterr().err.startswith("usage: nqp-text run ")


def test_topic_defaults_are_the_same_everywhere() -> None:
    import inspect

    from nqp_text.pipeline import RunOptions
    from nqp_text.topics.lda import fit_topics

    run = RunOptions()
    parsed = build_parser().parse_args(["topics", "DIR"])
    signature = inspect.signature(fit_topics).parameters
    assert signature["k"].default == parsed.k == run.k
    assert signature["unit"].default == parsed.unit == run.topic_unit
    assert signature["seeded"].default is parsed.seeded is run.seeded
    assert parsed.passes == run.passes and parsed.min_df == run.min_df


def test_subpackages_are_reachable_lazily() -> None:
    code = ("import sys, nqp_text; assert 'nqp_text.datasets' not in sys.modules; "
            "nqp_text.datasets.fetch_gov_work_reports; nqp_text.topics; nqp_text.diagnostics")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_broken_pipe_ends_quietly(run_a: tuple[Path, Path, str, int]) -> None:
    import os

    _, out, _, _ = run_a
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as after `| head -n 0`
    try:
        result = subprocess.run([Path(sys.executable).with_name("nqp-text"), "kwic", str(out),
                                 "发展", "--window", "5"], stdout=write, stderr=subprocess.PIPE,
                                text=True, check=False)
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.returncode == 0


def test_a_warning_rebuilt_from_its_args_keeps_its_message():
    """pytest-xdist and other tools rebuild a warning in another process from ``args``."""
    from nqp_text.diagnostics import Diagnostic, NqpWarning

    original = NqpWarning(Diagnostic("empty_table", "trends", "no rows"))
    rebuilt = type(original)(*original.args)
    assert str(rebuilt) == "no rows" and rebuilt.diagnostic.message == "no rows"
