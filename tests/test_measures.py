"""Measures: the same counts from a list, a dict, a TSV and a YAML file, equal to a slow
leftmost-longest reference; nested terms counted once; validation errors with file and line;
the shipped published dictionaries; grouping by several columns; the CLI."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import nqp_text
from nqp_text.analysis._inputs import document_texts
from nqp_text.diagnostics import NqpWarning
from nqp_text.measures import MeasureError, available, load_measure, measure

# Invented annual-report sentences: nested terms (数字化 / 数字化转型 / 数字化转型升级, 大数据 /
# 大数据平台), ASCII terms next to letters, and a firm with two documents in one year.
DOCUMENTS = {
    "000001_2022.txt": "公司持续推进数字化转型，数字化水平稳步提升。\n"
                       "大数据平台上线，大数据应用覆盖全部门店。",
    "000001_2023.txt": "报告期内数字化转型升级取得进展，数字化转型成为战略核心。\n"
                       "公司建成AI实验室，MAIL系统不计入；5G基站和15G不同。\n云计算与大数据协同。",
    "600519_2023.txt": "公司坚持传统酿造工艺，品质为本。\n数字化营销试点启动。",
    "600519_2023_摘要.txt": "摘要：数字化营销试点启动。",
    "300750_2024.txt": "电池业务扩张，物联网与工业互联网平台赋能制造，数字化转型全面铺开。",
}
METADATA = ("file,stkcd,year,firm\n"
            "000001_2022.txt,000001,2022,平安银行\n000001_2023.txt,000001,2023,平安银行\n"
            "600519_2023.txt,600519,2023,贵州茅台\n600519_2023_摘要.txt,600519,2023,贵州茅台\n"
            "300750_2024.txt,300750,2024,宁德时代\n")
TERMS = {"digital": ["数字化", "数字化转型", "数字化转型升级", "数字化营销"],
         "data": ["大数据", "大数据平台", "云计算", "AI", "5G"]}


def slow_reference(text: str, terms: list[str]) -> Counter:
    """Leftmost-longest without overlaps, by brute force, with the ASCII-boundary rule."""
    def ascii_alnum(char: str) -> bool:
        return char.isascii() and char.isalnum()

    starting: dict[str, list[str]] = {}
    for term in terms:  # only to skip terms that cannot start here; the scan is brute force
        starting.setdefault(term[0], []).append(term)
    counts: Counter = Counter()
    i = 0
    while i < len(text):
        best = None
        for term in starting.get(text[i], ()):
            if not text.startswith(term, i):
                continue
            before = text[i - 1] if i > 0 else ""
            after = text[i + len(term)] if i + len(term) < len(text) else ""
            if ascii_alnum(term[0]) and before and ascii_alnum(before):
                continue
            if ascii_alnum(term[-1]) and after and ascii_alnum(after):
                continue
            if best is None or len(term) > len(best):
                best = term
        if best is None:
            i += 1
        else:
            counts[best] += 1
            i += len(best)
    return counts


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    for name, text in DOCUMENTS.items():
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "meta.csv").write_text(METADATA, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus(folder):
    return nqp_text.read_corpus([folder / "docs"], metadata=folder / "meta.csv")


@pytest.fixture(scope="module")
def tokens(corpus):
    from nqp_text.analysis._inputs import passage_tokens

    return passage_tokens(corpus)


def _sources(tmp_path: Path) -> dict[str, object]:
    tsv = tmp_path / "dt.tsv"
    tsv.write_text("term\tdimension\n" + "".join(f"{t}\t{d}\n" for d, ts in TERMS.items()
                                                  for t in ts), encoding="utf-8")
    csv = tmp_path / "dt.csv"
    csv.write_text("dimension,term,note\n" + "".join(f"{d},{t},x\n" for d, ts in TERMS.items()
                                                     for t in ts), encoding="utf-8")
    yaml_file = tmp_path / "dt.yaml"
    yaml_file.write_text("name: dt\ncitation: invented\ndimensions:\n" + "".join(
        f"  {d}:\n" + "".join(f"    - {t}\n" for t in ts) for d, ts in TERMS.items()),
        encoding="utf-8")
    return {"dict": dict(TERMS), "tsv": tsv, "csv": csv, "yaml": yaml_file}


def test_list_dict_tsv_yaml_give_the_same_counts_as_the_slow_reference(corpus, tokens, tmp_path):
    texts = document_texts(corpus)
    all_terms = [t for ts in TERMS.values() for t in ts]
    tables = {kind: measure(corpus, source, by="doc_id", tokens=tokens, name="dt")
              for kind, source in _sources(tmp_path).items()}
    first = tables["dict"]
    for kind, table in tables.items():
        pd.testing.assert_frame_equal(table.drop(columns="measure"),
                                      first.drop(columns="measure"), obj=kind)
    for doc_id, text in texts.items():
        expected = slow_reference(text, all_terms)
        rows = first[first["doc_id"] == doc_id].set_index("dimension")
        for dimension, terms in TERMS.items():
            assert rows.loc[dimension, "count"] == sum(expected[t] for t in terms), doc_id
        assert rows.loc["total", "count"] == sum(expected.values())
    # a plain list: one dimension, same total as the reference
    flat = measure(corpus, all_terms, by="doc_id", tokens=tokens, name="dt")
    assert set(flat["dimension"]) == {"dt", "total"}
    pd.testing.assert_series_equal(
        flat[flat.dimension == "total"]["count"].reset_index(drop=True),
        first[first.dimension == "total"]["count"].reset_index(drop=True))


def test_nested_terms_are_never_counted_twice(corpus, tokens):
    table = measure(corpus, ["数字化", "数字化转型", "数字化转型升级"], tokens=tokens, name="dt")
    doc = corpus.documents.loc[corpus.documents["path"].str.endswith("000001_2023.txt"),
                               "doc_id"].item()
    row = table[(table["doc_id"] == doc) & (table["dimension"] == "total")].iloc[0]
    # 数字化转型升级 once, 数字化转型 once; their 数字化 / 数字化转型 are not counted again
    assert row["count"] == 2
    assert row["matched_terms"] == "数字化转型=1; 数字化转型升级=1"
    assert row["ln1p"] == pytest.approx(np.log(3))
    assert row["per_10k_tokens"] == pytest.approx(2 / row["n_tokens"] * 10_000)
    # summing term_frequencies (every occurrence of each string) double-counts
    naive = nqp_text.term_frequencies(corpus, ["数字化", "数字化转型", "数字化转型升级"],
                                      by="doc_id", tokens=tokens)
    assert naive.loc[naive["group"] == doc, "count"].sum() == 5


def test_ascii_terms_respect_letter_boundaries(corpus, tokens):
    table = measure(corpus, {"tech": ["AI", "5G"]}, by=None, tokens=tokens)
    # AI in "AI实验室" counts, not in MAIL; 5G counts, not inside 15G
    assert table.loc[table["dimension"] == "total", "count"].item() == 2


def test_by_several_columns_and_metadata(corpus, tokens):
    table = measure(corpus, TERMS, by=["stkcd", "year"], tokens=tokens, name="dt")
    assert list(table.columns[:3]) == ["stkcd", "year", "firm"]
    totals = table[table["dimension"] == "total"]
    assert totals[["stkcd", "year"]].apply(tuple, axis=1).tolist() == [
        ("000001", 2022), ("000001", 2023), ("300750", 2024), ("600519", 2023)]
    assert totals["stkcd"].tolist()[0] == "000001"  # leading zeros kept
    assert totals.loc[totals["stkcd"] == "600519", "n_docs"].item() == 2
    terms = nqp_text.term_frequencies(corpus, ["数字化转型"], by=["stkcd", "year"], tokens=tokens)
    assert list(terms.columns[:2]) == ["stkcd", "year"] and len(terms) == 4
    categories = nqp_text.category_frequencies(corpus, by=["stkcd", "year"], tokens=tokens)
    assert list(categories.columns[:2]) == ["stkcd", "year"]
    per_doc = nqp_text.term_frequencies(corpus, ["数字化转型"], by="doc_id", tokens=tokens)
    assert {"year", "title", "stkcd", "firm"} <= set(per_doc.columns)
    assert "sha256" not in per_doc.columns and "path" not in per_doc.columns


def test_framework_measure_is_the_category_table(corpus, tokens):
    table = measure(corpus, "framework", by="year", tokens=tokens)
    categories = nqp_text.category_frequencies(corpus, by="year", tokens=tokens)
    merged = categories.merge(table, left_on=["group", "category"], right_on=["year", "dimension"])
    assert len(merged) == len(categories)
    assert (merged["count_x"] == merged["count_y"]).all()
    assert load_measure("term_groups").n_terms > 0 and load_measure("lexicon").n_terms > 1000


@pytest.mark.parametrize("content, suffix, message", [
    ("term\tdimension\n数字化\tdt\n\tdt\n", ".tsv", "bad.tsv:3: empty term"),
    ("term,dimension,weight\n数字化,dt,2\n数据,dt,heavy\n", ".csv", "bad.csv:3: weight 'heavy'"),
    ("word\tdimension\n数字化\tdt\n", ".tsv", "bad.tsv:1: the header must name a 'term'"),
    ("name: x\ndimensions:\n  dt:\n    - 数字化\n    - 数据\n    - 数字化\n", ".yaml",
     "bad.yaml:6: term '数字化' is listed twice in dimension 'dt' (first at"),
    ("name: x\ncitaton: y\ndimensions:\n  dt: [数字化]\n", ".yaml", "unknown key(s) ['citaton']"),
    ("name: x\ndimensions:\n  total: [数字化]\n", ".yaml", "'total' is reserved"),
])
def test_validation_errors_name_file_and_line(tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MeasureError) as error:
        load_measure(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_list_and_dict_errors_name_the_entry():
    with pytest.raises(MeasureError, match="list item 1: empty term"):
        load_measure(["数字化", " "])
    with pytest.raises(MeasureError, match="dimension 'dt': give its terms as a list"):
        load_measure({"dt": "数字化"})


def test_weights_give_a_weighted_sum(corpus, tokens, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("term,dimension,weight\n数字化转型,dt,2\n大数据,dt,0.5\n", encoding="utf-8")
    table = measure(corpus, path, by=None, normalize="weighted", tokens=tokens)
    total = table[table["dimension"] == "total"].iloc[0]
    counts = dict(pair.split("=") for pair in total["matched_terms"].split("; "))
    assert total["weighted"] == pytest.approx(2 * int(counts["数字化转型"])
                                              + 0.5 * int(counts["大数据"]))
    assert total["value"] == total["weighted"]


# Every shipped published dictionary, pinned: term count per dimension and dimension labels.
# A new data file fails the first assertion until it is pinned here.
PINNED = {
    "wu2021_digital_transformation": (
        {"ai": 15, "big_data": 9, "cloud": 13, "blockchain": 5, "application": 34},
        ["人工智能技术", "大数据技术", "云计算技术", "区块链技术", "数字技术运用"]),
    "dai2024_data_elements": (
        {"stock": 7, "development": 22, "application": 24, "monetization": 3},
        ["数据要素存量", "数据开发能力", "数据驱动商业应用", "数据价值变现"]),
}


def test_shipped_dictionaries_are_pinned():
    shipped = available().set_index("name")
    assert set(shipped.index) == set(PINNED)
    for name, (counts, labels) in PINNED.items():
        spec = load_measure(name)
        assert {d: len(t) for d, t in spec.dimensions.items()} == counts, name
        assert [spec.label(d) for d in spec.dimensions] == labels, name
        assert spec.n_terms == sum(counts.values()) == shipped.loc[name, "n_terms"], name
        assert spec.citation and spec.source and spec.verification, name
        for column in ("citation", "source", "verification"):
            assert shipped.loc[name, column] == getattr(spec, column), (name, column)
        terms = [t for ts in spec.dimensions.values() for t in ts]
        assert len(terms) == len(set(terms)), name  # no term in two dimensions
    wu = load_measure("wu2021_digital_transformation")
    assert "管理世界" in wu.citation and "吴非" in wu.citation
    assert "hiDaDeng/cntext" in wu.verification  # the second check against a reproduction
    # the printed figure was never seen: the file keeps saying so until someone checks it
    assert "Still not checked against the printed figure" in " ".join(wu.verification.split())
    with pytest.warns(NqpWarning, match="dai2024_data_elements.*secondary source"):
        dai = load_measure("dai2024_data_elements")
    with warnings.catch_warnings():
        warnings.simplefilter("error", NqpWarning)  # a checked list warns of nothing
        load_measure("wu2021_digital_transformation")
    assert "经济研究" in dai.citation and "戴魁早" in dai.citation
    # only a secondary source was found: the file says so where users see it
    assert dai.verification.startswith("SECONDARY SOURCE ONLY")
    assert "tulingdata.cn" in dai.verification and "未与原文核对" in dai.title
    assert {"3D打印", "AI", "5G", "数字营销", "数字贸易"} <= set(
        t for ts in dai.dimensions.values() for t in ts)


def test_cli_lists_the_shipped_dictionaries_with_their_titles(capsys):
    from nqp_text.cli import main

    assert main(["measure", "--list"]) == 0
    out = capsys.readouterr().out
    for name in PINNED:
        assert name in out
    assert "未与原文核对" in out and "戴魁早" in out and "吴非" in out
    # how each list was checked, as the README says --list shows (it showed no verification)
    assert "checked: SECONDARY SOURCE ONLY." in out
    assert out.count("  checked: ") == len(available())


@pytest.mark.filterwarnings("ignore:dictionary 'dai2024_data_elements'")
def test_shipped_data_element_dictionary_counts_like_the_reference(corpus, tokens):
    spec = load_measure("dai2024_data_elements")
    table = measure(corpus, "dai2024_data_elements", by="doc_id", tokens=tokens)
    for doc_id, text in document_texts(corpus).items():
        expected = slow_reference(text, [t for ts in spec.dimensions.values() for t in ts])
        rows = table[table["doc_id"] == doc_id].set_index("dimension")
        for dimension, terms in spec.dimensions.items():
            assert rows.loc[dimension, "count"] == sum(expected[t] for t in terms), doc_id
        assert rows.loc["total", "count"] == sum(expected.values())
    assert table.loc[table["dimension"] == "total", "count"].sum() > 0


def test_cli_measure_equals_the_python_call(folder, corpus, tmp_path):
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out),
                 "--metadata", str(folder / "meta.csv")]) == 0
    tsv = _sources(tmp_path)["tsv"]
    assert main(["measure", str(out), "--dictionary", str(tsv), "--by", "stkcd", "year"]) == 0
    written = pd.read_parquet(out / "measure_dt.parquet")
    expected = measure(nqp_text.Corpus.load(out), tsv, by=["stkcd", "year"])
    pd.testing.assert_frame_equal(written, expected.reset_index(drop=True),
                                  check_dtype=False)
    texts = document_texts(nqp_text.Corpus.load(out))
    all_terms = [t for ts in TERMS.values() for t in ts]
    reference = sum(sum(slow_reference(text, all_terms).values()) for text in texts)
    assert written.loc[written["dimension"] == "total", "count"].sum() == reference
    with pytest.raises(SystemExit):
        main(["measure", str(out), "--dictionary", str(tmp_path / "missing.tsv")])


def test_a_misspelt_dictionary_is_a_usage_error_with_a_guess(folder, tmp_path, capsys):
    """A misspelt shipped name and a misspelt file are the same mistake: exit 2, the usage
    line, and the name that was probably meant (a misspelt name exited 4 without a guess)."""
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out)]) == 0
    (tmp_path / "my_terms.txt").write_text("数字化\n", encoding="utf-8")
    capsys.readouterr()
    for given, meant in (("wu2021_digital_transformaton", "'wu2021_digital_transformation'"),
                         ("wu2021", "'wu2021_digital_transformation'"),
                         (str(tmp_path / "my_term.txt"), "'my_terms.txt'")):
        with pytest.raises(SystemExit) as stopped:
            main(["measure", str(out), "--dictionary", given])
        assert stopped.value.code == 2, given
        err = capsys.readouterr().err
        assert "usage: nqp-text measure" in err
        assert f"(did you mean {meant}?)" in err, err
    with pytest.raises(MeasureError, match="did you mean 'dai2024_data_elements'"):
        load_measure("dai2024_data_element")


def test_panel_dta_reads_back_with_labels_one_row_per_firm_year(folder, tmp_path, capsys):
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out),
                 "--metadata", str(folder / "meta.csv")]) == 0
    assert main(["segment", str(out)]) == 0
    assert main(["classify", str(out)]) == 0
    yaml_file = _sources(tmp_path)["yaml"]
    capsys.readouterr()
    assert main(["panel", str(out), "--by", "stkcd", "year", "--measure",
                 "wu2021_digital_transformation", str(yaml_file),
                 "--out", str(tmp_path / "panel.dta")]) == 0
    assert "1 of 4 panel rows combine several documents" in capsys.readouterr().err
    data = pd.read_stata(tmp_path / "panel.dta")
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as reader:
        labels = reader.variable_labels()
    assert len(data) == 4 and not data.duplicated(["stkcd", "year"]).any()
    assert data["stkcd"].tolist() == ["000001", "000001", "300750", "600519"]
    assert labels["dt_ai"].startswith("人工智能技术词频")
    assert labels["dt_total_ln1p"].startswith("数字化转型合计 ln(1+词频)")
    assert labels["year"] == "年份" and labels["firm"] == "公司简称"
    assert labels["dt2_digital"].startswith("digital词频") and "dt2_data_p10k" in data
    assert labels["share_labor_means"].endswith("段落占比（分类器，≥20字段落）")
    assert labels["share_labor_means_all"].endswith("段落占比（分类器，全部段落）")
    # the panel's numbers are those of measure() and of the labels
    corpus = nqp_text.Corpus.load(out)
    expected = measure(corpus, "wu2021_digital_transformation", by=["stkcd", "year"],
                       tokens=out / "tokens.parquet")
    totals = expected[expected["dimension"] == "total"].reset_index(drop=True)
    assert data["dt_total"].tolist() == totals["count"].tolist()
    assert data["dt_total"].sum() > 0
    assert data["dt_total_ln1p"].to_numpy() == pytest.approx(np.log1p(totals["count"]))
    passages = corpus.passages.merge(corpus.documents[["doc_id", "stkcd"]], on="doc_id")
    label_sets = pd.read_parquet(out / "labels.parquet").set_index("passage_id")["labels"]
    mine = passages[passages["stkcd"] == "300750"]
    share = np.mean(["labor_means" in set(label_sets[p]) for p in mine["passage_id"]])
    assert data.loc[data["stkcd"] == "300750", "share_labor_means_all"].item() \
        == pytest.approx(share)
    content = mine[mine["text"].str.len() >= 20]
    share = np.mean(["labor_means" in set(label_sets[p]) for p in content["passage_id"]])
    assert data.loc[data["stkcd"] == "300750", "share_labor_means"].item() == pytest.approx(share)
    # CSV with BOM and a long layout from the Python API
    table = nqp_text.panel(out, by=["stkcd", "year"], measures=[yaml_file], layout="long")
    assert {"measure", "dimension", "count", "passage_share"} <= set(table.columns)
    assert set(table["measure"]) == {"dt", "classifier", "classifier_all"}
    # the classifier rows carry the unit-year's metadata and totals too (they were empty)
    classifier = table[table["measure"] == "classifier"]
    assert classifier["firm"].notna().all() and classifier["n_docs"].notna().all()
    counted = table[table["measure"] == "dt"].drop_duplicates(["stkcd", "year"])
    merged = classifier.merge(counted, on=["stkcd", "year"], suffixes=("", "_dt"))
    assert (merged["firm"] == merged["firm_dt"]).all()
    assert (merged["n_tokens"] == merged["n_tokens_dt"]).all()
    from nqp_text.measures import write_panel

    wide = nqp_text.panel(out, by=["stkcd", "year"], measures=[yaml_file], labels=False)
    path = write_panel(wide, tmp_path / "panel.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    again = tmp_path / "again.dta"
    write_panel(wide, again)
    write_panel(nqp_text.panel(out, by=["stkcd", "year"], measures=[yaml_file], labels=False),
                tmp_path / "again2.dta")
    assert again.read_bytes() == (tmp_path / "again2.dta").read_bytes()


def test_provincial_reports_province_year_panel_equals_reference(shared):
    base = shared / "corpora" / "provincial_reports"
    if not (base / "metadata_2025.csv").exists():
        pytest.skip("shared provincial reports not available")
    corpus = nqp_text.read_corpus([base / "2025_docx"], metadata=base / "metadata_2025.csv")
    wu = load_measure("wu2021_digital_transformation")
    table = measure(corpus, wu, by=["province", "year"])
    totals = table[table["dimension"] == "total"]
    assert len(totals) == 16 and totals["province"].is_unique
    assert set(totals["year"]) == {2025}
    texts = document_texts(corpus)
    province = corpus.documents.set_index("doc_id")["province"]
    expected = {province[doc]: sum(slow_reference(text, wu.terms).values())
                for doc, text in texts.items()}
    assert dict(zip(totals["province"], totals["count"], strict=True)) == expected
    assert totals["count"].sum() > 0


def test_dtm_topics_and_trends_group_by_several_columns(folder, corpus, tokens, tmp_path):
    dtm = nqp_text.document_term_matrix(corpus, unit="document", tokens=tokens)
    grouped = dtm.group_by(["stkcd", "year"])
    assert grouped.rows.columns.tolist() == ["stkcd", "year"] and len(grouped.rows) == 4
    two = dtm.rows.index[dtm.rows["stkcd"] == "600519"]
    row = grouped.rows.index[grouped.rows["stkcd"] == "600519"][0]
    assert (grouped.matrix[row].toarray() == dtm.matrix[two].sum(axis=0)).all()
    model = nqp_text.fit_topics(corpus, k=2, seeded=False, unit="document", tokens=tokens, seed=0,
                                passes=1, min_df=1, max_df=1.0)
    prevalence = model.topic_prevalence(by=["stkcd", "year"])
    assert prevalence.columns.tolist()[:3] == ["stkcd", "year", "topic"]
    assert np.allclose(prevalence.groupby(["stkcd", "year"])["prevalence"].sum(), 1.0)
    weights = model.document_topics()
    assert weights.columns.tolist()[:5] == ["doc_id", "year", "title", "topic_0", "topic_1"]
    assert weights.columns.tolist()[5:8] == ["n_tokens", "stkcd", "firm"]
    from nqp_text.analysis._groups import READER_COLUMNS

    assert set(weights.columns[8:]) <= READER_COLUMNS and "encoding" in weights.columns[8:]
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out),
                 "--metadata", str(folder / "meta.csv")]) == 0
    assert main(["trends", str(out), "--terms", "数字化转型", "--by", "stkcd", "year"]) == 0
    table = pd.read_parquet(out / "trends_terms.parquet")
    assert table.columns.tolist()[:3] == ["stkcd", "year", "term"] and len(table) == 4


def test_trends_by_other_columns_keep_the_run_tables_by_year(folder, tmp_path):
    """``category_trends`` and ``trends_lexicon`` are the by-year tables of a run (the report
    draws them); the guide's ``trends --categories --by province year`` in a run folder replaced
    them. Another grouping now goes to ``<name>_by_<columns>``."""
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out),
                 "--metadata", str(folder / "meta.csv")]) == 0
    for flag, name in (("--categories", "category_trends"), ("--lexicon", "trends_lexicon")):
        assert main(["trends", str(out), flag]) == 0
        by_year = (out / f"{name}.parquet").read_bytes()
        assert main(["trends", str(out), flag, "--by", "stkcd", "year"]) == 0
        assert (out / f"{name}.parquet").read_bytes() == by_year
        assert "group" in pd.read_parquet(out / f"{name}.parquet").columns
        grouped = pd.read_parquet(out / f"{name}_by_stkcd_year.parquet")
        assert grouped.columns.tolist()[:2] == ["stkcd", "year"]
        assert (out / f"{name}_by_stkcd_year.csv").exists()


def test_terms_that_occur_nowhere_are_named(folder, tmp_path, capsys):
    """``trends --terms`` and ``kwic`` for a term found nowhere wrote a table of zeros (or no
    rows) and printed "Empty DataFrame", without a warning."""
    from nqp_text.cli import main

    out = tmp_path / "run"
    assert main(["ingest", str(folder / "docs"), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["trends", str(out), "--terms", "数字化转型", "数子化"]) == 0
    captured = capsys.readouterr()
    assert "warning: 数子化: no occurrence in any document" in captured.err
    assert "数字化转型:" not in captured.err
    assert main(["trends", str(out), "--terms", "数子化", "--strict"]) == 3
    captured = capsys.readouterr()
    assert "Empty DataFrame" not in captured.out and "no occurrence of any term" in captured.out
    assert main(["kwic", str(out), "数子化"]) == 0
    assert "warning: 数子化: no match in any passage" in capsys.readouterr().err
    assert main(["kwic", str(out), "数字化"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_documents_without_a_key_value_are_reported(corpus, tokens):
    partial = nqp_text.Corpus(documents=corpus.documents.assign(
        stkcd=corpus.documents["stkcd"].where(corpus.documents["firm"] != "宁德时代")),
        passages=corpus.passages, tables=corpus.tables)
    with pytest.warns(UserWarning, match=r"1 of 5 documents have no 'stkcd, year' .*\(first: "
                      r"\S*300750_2024\.txt\); give the values in a --metadata CSV"):
        table = measure(partial, ["数字化"], by=["stkcd", "year"], tokens=tokens)
    assert "300750" not in set(table["stkcd"])


def test_a_one_dimension_dictionary_gives_one_set_of_panel_columns(corpus, tokens, tmp_path):
    from nqp_text.measures import write_panel

    terms = TERMS["digital"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the firm-year with two documents
        wide = nqp_text.panel(corpus, by=["stkcd", "year"], measures=[terms], tokens=tokens)
        named = nqp_text.panel(corpus, by=["stkcd", "year"], tokens=tokens, measures=[
            {"name": "dx", "dimensions": {"digital": terms}, "labels": {"digital": "数字化"}}])
    counted = [column for column in wide.columns if column.startswith("terms_")]
    assert counted == ["terms_total", "terms_total_p10k", "terms_total_ln1p"]
    texts = document_texts(corpus)
    unit = corpus.documents.set_index("doc_id")[["stkcd", "year"]]
    expected: Counter = Counter()
    for doc_id, text in texts.items():
        expected[tuple(unit.loc[doc_id])] += sum(slow_reference(text, terms).values())
    assert dict(zip(zip(wide["stkcd"], wide["year"], strict=True), wide["terms_total"],
                    strict=True)) == dict(expected)
    assert [c for c in named.columns if c.startswith("dx_")] == [
        "dx_total", "dx_total_p10k", "dx_total_ln1p"]
    assert named.attrs["variable_labels"]["dx_total"].startswith("数字化词频")
    write_panel(named, tmp_path / "panel.dta")
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as reader:
        labels = reader.variable_labels()
    assert labels["dx_total_ln1p"].startswith("数字化 ln(1+词频)")


def test_annual_report_columns_have_chinese_stata_labels(tmp_path):
    from nqp_text.measures import write_panel

    frame = pd.DataFrame({"stkcd": ["000001"], "year": [2023], "firm": ["平安银行"],
                          "report_type": ["full"], "report_date": ["2024-03-15"]})
    write_panel(frame, tmp_path / "panel.dta")
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as reader:
        labels = reader.variable_labels()
    assert labels["report_type"] == "报告类型"
    assert labels["report_date"] == "报告发布日期（文件名）"
    assert all(label != name for name, label in labels.items())


def test_two_dictionaries_with_one_name_are_named_with_their_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "my.txt").write_text("数字化\n", encoding="utf-8")
    (tmp_path / "b" / "my.txt").write_text("大数据\n", encoding="utf-8")
    corpus = nqp_text.Corpus(documents=pd.DataFrame({"doc_id": ["d"], "year": [2024]}),
                             passages=pd.DataFrame({"doc_id": ["d"], "passage_id": ["d-p0"],
                                                    "seq": [0], "text": ["数字化"]}))
    with pytest.raises(ValueError, match=r"two measures share the name 'my' \(\S*a/my\.txt, "
                                         r"\S*b/my\.txt\): .* give each YAML its own name"):
        nqp_text.panel(corpus, by="year", measures=[tmp_path / "a" / "my.txt",
                                                    tmp_path / "b" / "my.txt"], labels=False)


def test_documented_wide_panel_columns_are_the_ones_written(corpus, tokens, tmp_path):
    """The guide's table of wide panel columns (measures-and-panels.md) names every column a
    panel with a weighted dictionary writes, and each measure column it documents is written."""
    import re

    guide = (Path(__file__).resolve().parents[1] / "docs" / "guide"
             / "measures-and-panels.md").read_text(encoding="utf-8")
    table = guide.split("Wide layout, one row per unit × year:")[1].split("\n\n")[1]
    cells = [line.split("|")[1] for line in table.splitlines()[2:]]
    names = [name.strip() for cell in cells for code in re.findall(r"`([^`]+)`", cell)
             for name in code.split(",")]
    patterns = {name: re.compile(re.sub(r"<[a-z]+>", "[A-Za-z0-9_]+?", name) + "$")
                for name in names}
    weighted = tmp_path / "weighted.csv"
    weighted.write_text("term,dimension,weight\n数字化转型,digital,2\n数字化,digital,1\n"
                        "大数据,data,0.5\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the firm-year with two documents
        wide = nqp_text.panel(corpus, by=["stkcd", "year"], measures=[weighted],
                              tokens=tokens, labels=False)
    metadata = set(corpus.documents.columns)
    undocumented = [c for c in wide.columns
                    if c not in metadata and not any(p.match(c) for p in patterns.values())]
    assert undocumented == []
    written = [name for name, pattern in patterns.items() if name.startswith("<prefix>")
               and any(pattern.match(c) for c in wide.columns)]
    assert written == [name for name in patterns if name.startswith("<prefix>")]
    assert "<prefix>_<dim>_w" in written
    table = measure(corpus, weighted, by=["stkcd", "year"], tokens=tokens)
    total = table[table["dimension"] == "total"]
    weight = {"数字化转型": 2.0, "数字化": 1.0, "大数据": 0.5}
    expected = [sum(weight[pair.split("=")[0]] * int(pair.split("=")[1])
                    for pair in matched.split("; ") if pair) for matched in total["matched_terms"]]
    assert sorted(wide["weighted_total_w"]) == pytest.approx(sorted(expected))
    assert max(expected) > 0
