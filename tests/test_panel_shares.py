"""Panel category shares over content passages: headings and table captions (passages under
``min_chars`` characters, ``data/panel_shares.yaml``) leave ``share_<category>``, the old
definition stays as ``share_<category>_all``, and the denominators are in the panel."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import nqp_text
from nqp_text.errors import OptionError
from nqp_text.measures.panels import content_min_chars

# Invented annual-report MD&A text: the same three paragraphs in both firms; firm 000001's
# PDF gives one heading (which names R&D, and the classifier labels such headings too),
# firm 000002's gives five headings and captions (short, no sentence end, no label).
_BODY = ["公司全年研发投入十二亿元，同比增长百分之十五，新增发明专利八十项。",
         "公司引进高层次技术人才一百二十名，技能人才培训覆盖全体员工。",
         "报告期内营业收入与上年基本持平，经营活动现金流保持稳定。"]
DOCUMENTS = {
    "000001_2023.txt": "\n".join(["一、研发投入", *_BODY]),
    "000002_2023.txt": "\n".join(["（一）概述", "表1主要子公司情况", _BODY[0], "主要财务数据表",
                                  _BODY[1], "2、其他", "（3）说明", _BODY[2]]),
}
METADATA = ("file,stkcd,year,firm\n000001_2023.txt,000001,2023,甲公司\n"
            "000002_2023.txt,000002,2023,乙公司\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("mda")
    (root / "docs").mkdir()
    for name, text in DOCUMENTS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "meta.csv").write_text(METADATA, encoding="utf-8")
    return nqp_text.read_corpus([root / "docs"], metadata=root / "meta.csv")


def _labels(corpus) -> pd.DataFrame:
    """A labels table as `classify` writes it: the paragraphs on R&D spending and patents
    are tech_innovation, those on hiring and training labor_force, and so is each heading
    that names the topic (as the classifier does label some headings)."""
    rules = {"研发": ["tech_innovation"], "人才": ["labor_force"]}
    labels = [next((value for word, value in rules.items() if word in text), [])
              for text in corpus.passages["text"]]
    return pd.DataFrame({"passage_id": corpus.passages["passage_id"], "labels": labels})


def _panel(corpus, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return nqp_text.panel(corpus, by=["stkcd", "year"], labels=_labels(corpus), **options)


def test_the_limit_is_the_quality_reports_short_passage():
    """The passages left out of a share are exactly those quality.csv counts as short."""
    from nqp_text.quality import SHORT_PASSAGE

    assert content_min_chars() == SHORT_PASSAGE == 20


def test_shares_count_content_passages_and_keep_every_denominator(corpus):
    table = _panel(corpus).set_index("stkcd")
    passages = corpus.passages.merge(corpus.documents[["doc_id", "stkcd"]], on="doc_id")
    labels = _labels(corpus).set_index("passage_id")["labels"]
    for stkcd, mine in passages.groupby("stkcd"):
        content = mine[mine["text"].str.len() >= 20]
        assert table.loc[stkcd, "n_passages"] == len(mine)
        assert table.loc[stkcd, "n_content"] == len(content) == 3
        for category in ("tech_innovation", "labor_force", "labor_means"):
            hits = [category in labels[p] for p in content["passage_id"]]
            every = [category in labels[p] for p in mine["passage_id"]]
            assert table.loc[stkcd, f"share_{category}"] == pytest.approx(np.mean(hits))
            assert table.loc[stkcd, f"share_{category}_all"] == pytest.approx(np.mean(every))
    # the same text in both firms: the same content shares; over every passage the shares
    # differ fourfold with the number of headings the PDF gives
    assert table["share_tech_innovation"].tolist() == pytest.approx([1 / 3, 1 / 3])
    assert table["share_tech_innovation_all"].tolist() == pytest.approx([2 / 4, 1 / 8])
    # recomputable from the panel alone: shares times denominators are whole numbers
    for column in [c for c in table.columns if c.startswith("share_")]:
        n = table["n_passages" if column.endswith("_all") else "n_content"]
        products = (table[column] * n).to_numpy(dtype=float)
        assert products == pytest.approx(np.round(products))
    labels_zh = table.attrs["variable_labels"]
    assert labels_zh["n_content"] == "内容段落数（≥20字）"
    assert labels_zh["share_tech_innovation"] == "技术创新段落占比（分类器，≥20字段落）"
    assert labels_zh["share_tech_innovation_all"] == "技术创新段落占比（分类器，全部段落）"
    assert table.attrs["share_min_chars"] == 20


def test_min_chars_zero_gives_the_old_definition_and_long_layout_has_both(corpus):
    every = _panel(corpus, min_chars=0)
    assert (every["n_content"] == every["n_passages"]).all()
    for column in [c for c in every.columns if c.startswith("share_") and not
                   c.endswith("_all")]:
        assert every[column].tolist() == every[f"{column}_all"].tolist()
    long = _panel(corpus, layout="long")
    assert set(long["measure"]) == {"classifier", "classifier_all"}
    wide = _panel(corpus).set_index("stkcd")
    for name, suffix, count in (("classifier", "", "n_content"),
                                ("classifier_all", "_all", "n_passages")):
        rows = long[(long["measure"] == name) & (long["dimension"] == "tech_innovation")]
        rows = rows.set_index("stkcd")
        assert rows["value"].to_dict() == pytest.approx(
            wide[f"share_tech_innovation{suffix}"].to_dict())
        assert rows["n_passages"].to_dict() == wide[count].to_dict()
    # a unit-year none of whose passages is long enough: 0 content passages, no share
    none = _panel(corpus, min_chars=1000)
    assert (none["n_content"] == 0).all() and none["share_tech_innovation"].isna().all()
    assert none["share_tech_innovation_all"].notna().all()


@pytest.mark.parametrize("value", [-1, 2.5, True])
def test_a_bad_min_chars_is_an_option_error(corpus, value):
    with pytest.raises(OptionError, match="min_chars must be a whole number"):
        _panel(corpus, min_chars=value)


def test_cli_min_chars(corpus, tmp_path, capsys):
    from nqp_text.cli import main

    run = tmp_path / "run"
    corpus.save(run)
    _labels(corpus).to_parquet(run / "labels.parquet")
    for given, limit in (([], 20), (["--min-chars", "0"], 0)):
        out = tmp_path / f"panel{limit}.csv"
        assert main(["panel", str(run), "--by", "stkcd", "year", "--out", str(out),
                     *given]) == 0
        written = pd.read_csv(out, dtype={"stkcd": str}).set_index("stkcd")
        expected = _panel(corpus, min_chars=limit).set_index("stkcd")
        assert written["n_content"].tolist() == expected["n_content"].tolist()
        assert written["share_labor_force"].to_numpy() == pytest.approx(
            expected["share_labor_force"].to_numpy())
    capsys.readouterr()


@pytest.mark.slow
@pytest.mark.shared
def test_real_mda_headings_leave_the_shares(shared):
    """万科 2012's MD&A (董事会报告, PDF pages 3-33): about a quarter of its passages are
    headings and captions under 20 characters, nearly all without a sentence end; the panel
    leaves them out of share_<category> and its numbers are the classifier's labels."""
    from nqp_text.classify.run import classify_passages

    path = shared / "pdfs" / "annual_reports" / "000002万科A2012年年度报告.(1848k).PDF"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    corpus = nqp_text.read_corpus([path], sections=["mda"], pdf_engine="pdfium")
    passages = corpus.passages
    assert len(passages) > 150
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = classify_passages(passages, nqp_text.load_model("default"))
    table = nqp_text.panel(corpus, by="year", labels=labels)
    short = passages[passages["text"].str.len() < 20]
    assert table["n_passages"].item() == len(passages)
    assert table["n_content"].item() == len(passages) - len(short)
    assert 0.15 < len(short) / len(passages) < 0.5
    ends = short["text"].str.contains(r"[。！？!?；;]")
    assert ends.mean() < 0.1, short.loc[ends, "text"].tolist()
    numbered = short["text"].map(lambda t: bool(re.match(r"[（(]?[一二三四五六七八九十\d]", t)))
    assert numbered.mean() > 0.3  # numbered headings: 一、 （二） 3、
    label_sets = labels.set_index("passage_id")["labels"].map(set)
    content = passages[passages["text"].str.len() >= 20]
    for category in ("tech_innovation", "factor_allocation"):
        hits = content["passage_id"].map(lambda p, c=category: c in label_sets[p])
        every = passages["passage_id"].map(lambda p, c=category: c in label_sets[p])
        assert hits.sum() > 0
        assert table[f"share_{category}"].item() == pytest.approx(hits.mean())
        assert table[f"share_{category}_all"].item() == pytest.approx(every.mean())
