"""``report.html``: one self-contained page a researcher can read without Python.

Sections: corpus overview (documents per year, status counts), framework
categories by year (passage shares with Wilson intervals when
``labels.parquet`` exists, else the term index per 10k tokens), top lexicon
terms and trends of focus terms (``viz/data/report_terms.txt``), keyness of
the last period against the one before, and topics with their prevalence
(``topic_terms``/``topic_prevalence`` of ``nqp-text topics`` when present,
else a seeded model fitted here). The tables are those ``nqp-text run``
wrote when they still match the folder's corpus, else computed from the
corpus (:mod:`nqp_text.viz.report_tables`). Charts are PNGs embedded as base64; the
page's own Chinese text uses an embedded subset of the CJK font, so the page
looks the same on a machine without Chinese fonts. Nothing is fetched from the
network, and neither a timestamp nor the folder's name is written, so the same
inputs give the same bytes wherever the folder is and whatever it is called.

Example:
    >>> build_report("results")  # doctest: +SKIP
    PosixPath('results/report.html')
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nqp_text._atomic import atomic_write_text
from nqp_text._checks import year_gaps
from nqp_text.diagnostics import Diagnostic, Diagnostics, document_diagnostics
from nqp_text.viz.fonts import CJKFont, find_cjk_font, font_face_css
from nqp_text.viz.report_tables import (
    PERIOD_YEARS,
    ReportTables,
    focus_terms,
    period_label,
)

#: Warnings shown in the page (all of them are in manifest.json).
_MAX_WARNINGS = 30


def _img(figure: Any, alt: str) -> str:
    from nqp_text.viz.plots import figure_png

    data = base64.b64encode(figure_png(figure)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(frame: pd.DataFrame, digits: int = 2) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float | np.floating):
            return "" if np.isnan(value) else f"{value:,.{digits}f}"
        if value is None or value is pd.NA:
            return ""
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{''.join(parts)}</section>"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


class _Report:
    def __init__(self, tables: ReportTables, font: CJKFont, k: int, seed: int,
                 passes: int) -> None:
        from nqp_text.viz.plots import display_labels

        self.tables = tables
        self.font = font
        self.k, self.seed, self.passes = k, seed, passes
        self.labels = display_labels()
        self.years = tables.years

    def overview(self) -> str:
        from nqp_text.viz.plots import plot_documents_per_year

        documents = self.tables.documents
        status = pd.DataFrame([{"状态 status": s, "文件数 documents": n}
                               for s, n in self.tables.status_counts().items()])
        facts = (f"{len(documents)} 个文件（documents），{self.tables.n_passages} 个段落"
                 f"（passages），{self.tables.n_tokens:,} 个内容词（content tokens）。")
        if self.years:
            facts += f"年份 {self.years[0]}–{self.years[-1]}，共 {len(self.years)} 个年份有文件。"
        parts = [_p(facts), _table(status)]
        if self.years:
            ok = documents[documents["status"] == "ok"]
            parts.insert(1, _img(plot_documents_per_year(ok, font=self.font),
                                 "documents per year (read successfully)"))
        failed = documents[documents["status"] != "ok"]
        if len(failed):
            parts.append(_p("未成功读取的文件 (not ok):"))
            parts.append(_table(failed[["doc_id", "path", "status", "error"]].head(30)))
        parts.extend(self.quality())
        return _section("一、语料概览 Corpus overview", *parts)

    def quality(self) -> list[str]:
        """The documents ``quality.csv`` (written by ``nqp-text run``) flags, if any."""
        path = Path(self.tables.directory) / "quality.csv"
        if not path.exists():
            return []
        table = pd.read_csv(path, dtype={"problems": "string", "warnings": "string"})
        flagged = table[table["problems"].fillna("") != ""]
        if flagged.empty:
            return [_p("语料质量：未发现异常文件 (quality: no document flagged)。")]
        shown = flagged[["path", "row", "passages", "longest_passage", "short_share",
                         "warnings"]].head(30)
        return [_p(f"语料质量 (quality)：{len(flagged)} 个文件可能有问题，见 quality.csv。"),
                _table(shown)]

    def categories(self) -> str:
        from nqp_text.viz.plots import plot_category_shares

        labelled = self.tables.labelled
        table = self.tables.categories
        if table.empty:
            return _section("二、框架类别 Framework categories", _p("没有带年份的文件。"))
        parts = []
        if labelled:
            parts.append(_p("每年被分类器标为各类别的段落占比（一个段落可属多个类别），"
                            "表中给出 95% Wilson 置信区间。"))
            parts.append(_img(plot_category_shares(table, value="passage_share",
                                                   labels=self.labels, font=self.font),
                              "category passage shares"))
        parts.append(_p("文本指数：各类别关键词（最长匹配、不重叠计数）每万词出现次数。"))
        parts.append(_img(plot_category_shares(table, value="per_10k_tokens",
                                               labels=self.labels, font=self.font,
                                               title="框架类别文本指数 (per 10k tokens)"),
                          "category index"))
        recent = table[table["group"].isin(self.years[-2 * PERIOD_YEARS:])].copy()
        recent["name"] = recent["category"].map(lambda c: self.labels.get(c, c))
        names = list(dict.fromkeys(recent["name"]))
        index = recent.pivot(index="group", columns="name", values="per_10k_tokens")[names]
        parts.append(_p("近年文本指数（每万词）："))
        parts.append(_table(index.reset_index().rename(columns={"group": "年份"}), digits=1))
        if labelled:
            recent["cell"] = [f"{s:.1%} [{lo:.1%}, {hi:.1%}]" for s, lo, hi in zip(
                recent["passage_share"], recent["share_low"], recent["share_high"], strict=True)]
            shares = recent.pivot(index="group", columns="name", values="cell")[names]
            parts.append(_p("近年段落占比及 95% Wilson 置信区间："))
            parts.append(_table(shares.reset_index().rename(columns={"group": "年份"})))
        else:
            parts.append(_p("尚无段落分类结果：运行 nqp-text classify DIR 后重新生成报告，"
                            "即可看到各类别的段落占比。"))
        return _section("二、框架类别 Framework categories by year", *parts)

    def terms(self) -> str:
        from nqp_text.analysis.vocabulary import lexicon_table
        from nqp_text.viz.plots import plot_term_trends

        if not self.years:
            return ""
        lexicon = self.tables.lexicon
        totals = lexicon.groupby("term")["count"].sum()
        first = lexicon[lexicon["count"] > 0].groupby("term")["group"].min()
        category = lexicon_table().set_index("term")["category"].astype(str)
        top = totals[totals > 0].sort_values(ascending=False, kind="stable").head(25)
        top_table = pd.DataFrame({
            "术语 term": top.index, "类别 category": [
                self.labels.get(category.get(t, ""), category.get(t, "")) for t in top.index],
            "总次数 count": top.to_numpy(), "首次出现 first year": first.reindex(top.index)
            .astype("Int64").to_numpy()})
        focus = focus_terms()
        named = self.tables.focus
        present = named.groupby("term", sort=False)["count"].sum()
        shown = [t for t in focus if present.get(t, 0) > 0]
        parts = [_p("计数规则：按名称查询的术语，统计其在清洗后文本中的每一次出现"
                    "（含在更长术语内部的出现）；整个词表的统计采用最长匹配优先、互不重叠。")]
        if shown:
            parts.append(_img(plot_term_trends(named, shown, value="per_10k_tokens",
                                               title="重点术语趋势 (focus terms)",
                                               font=self.font), "focus term trends"))
            recent_years = self.years[-PERIOD_YEARS:]
            wide = named[named["group"].isin(recent_years) & named["term"].isin(shown)].pivot(
                index="term", columns="group", values="count").reindex(shown)
            wide.columns = [str(c) for c in wide.columns]
            parts.append(_p("重点术语近年出现次数（精确字符串计数）："))
            parts.append(_table(wide.reset_index().rename(columns={"term": "术语"})))
        absent = [term for term in focus if term not in shown]
        if absent:  # a focus term left out of the chart and the table, said so
            parts.append(_p(f"以下重点术语在有年份的文件中均未出现（not found in any dated "
                            f"document）：{'、'.join(absent)}。"))
        top6 = list(top.index[:6])
        if not top6:  # a chart without lines says nothing
            parts.append(_p("词表术语在语料中均未出现，因此没有词表术语趋势图"
                            "（no lexicon term occurs in the corpus）。"))
            return _section("三、术语与趋势 Top terms and trends", *parts)
        parts.append(_img(plot_term_trends(lexicon, top6, value="per_10k_tokens",
                                           title="高频词表术语趋势 (top lexicon terms)",
                                           font=self.font), "top lexicon terms"))
        parts.append(_p("词表中出现最多的术语："))
        parts.append(_table(top_table))
        return _section("三、术语与趋势 Top terms and trends", *parts)

    def keyness(self) -> str:
        from nqp_text.viz.plots import plot_keyness

        if self.tables.periods is None:
            return _section("四、关键词 Keyness", _p("年份不足两个时期，无法比较。"))
        target, reference = self.tables.periods
        t_label, r_label = period_label(target, "–"), period_label(reference, "–")
        table = self.tables.keyness
        columns = {"term": "词", "target_count": f"{t_label} 次数",
                   "reference_count": f"{r_label} 次数", "g2": "G²", "log_ratio": "log2 比值"}
        parts = [_p(f"比较最近一个时期（{t_label}）与前一个时期（{r_label}）的词频："
                    "G² 为对数似然值（越大差异越显著，>10.83 对应 p<0.001），log2 比值为效应量"
                    "（+1 表示在最近时期频率翻倍）。"),
                 _img(plot_keyness(table, target_label=t_label, reference_label=r_label,
                                   font=self.font), "keyness"),
                 _p(f"{t_label} 更常用的词："),
                 _table(table[table["log_ratio"] > 0].head(15)[list(columns)]
                        .rename(columns=columns)),
                 _p(f"{r_label} 更常用的词："),
                 _table(table[table["log_ratio"] < 0].head(15)[list(columns)]
                        .rename(columns=columns))]
        return _section("四、关键词：最近两个时期 Keyness between the last two periods", *parts)

    def topics(self) -> str:
        from nqp_text.topics.quality import seeded_share
        from nqp_text.viz.plots import plot_topic_prevalence, topic_label

        directory = self.tables.directory
        terms_path = directory / "topic_terms.parquet"
        prevalence_path = directory / "topic_prevalence.parquet"
        if terms_path.exists() and prevalence_path.exists():
            terms = pd.read_parquet(terms_path)
            prevalence = pd.read_parquet(prevalence_path)
            share = _folder_seeded_share(directory)
            origin = "主题来自 nqp-text topics 的结果（topic_terms / topic_prevalence）。"
        else:
            from nqp_text.topics.lda import fit_topics

            try:
                model = fit_topics(self.tables.corpus, k=self.k, seeded=True, seed=self.seed,
                                   tokens=self.tables.tokens(), passes=self.passes)
            except ValueError as error:  # too little text: say so instead of losing the page
                return _section("五、主题 Topics and their prevalence",
                                _p(f"未能拟合主题模型（no topic model）：{error}"))
            terms, prevalence = model.top_terms(15), model.topic_prevalence("year")
            share = seeded_share(model.document_topics(), model.labels_, model.seed_terms_)
            origin = (f"本报告拟合的种子 LDA：k={self.k}，随机种子 {self.seed}，"
                      f"{self.passes} 遍；前六个主题以框架类别关键词为种子，其余为自由主题。"
                      f"建模单元 unit: {model.unit_}（{model.unit_reason_}）；"
                      f"{len(model.place_terms_)} 个地名不进入主题词表。")
        origin += _topic_quality(directory, prevalence, terms, share)
        names = []
        for _topic, group in terms.groupby("topic", sort=True):
            label = str(group["label"].iloc[0])
            shown = topic_label(label, self.labels)
            names.append(f"{shown}：{' '.join(group['term'].head(3))}")
        table = pd.DataFrame({"主题 topic": names, "高概率词 top terms": [
            " ".join(group["term"].head(12)) for _, group in terms.groupby("topic", sort=True)]})
        wide = prevalence.pivot(index="topic", columns="group", values="prevalence")
        shares = pd.DataFrame({"主题 topic": names})
        for year in list(wide.columns)[-PERIOD_YEARS:]:
            shares[str(year)] = [f"{value:.1%}" for value in wide[year].to_numpy()]
        if wide.shape[1] == 0:  # no dated document: nothing to show by year
            parts = [_p(origin + "没有标明年份的文档，因此不按年份显示主题占比"
                        "（no dated documents: prevalence by year is not shown）。"),
                     _table(table)]
            return _section("五、主题 Topics and their prevalence", *parts)
        parts = [_p(origin + "主题占比为各年各单元主题权重按长度加权的平均值；"
                    "热图所有格子共用一个色标（从 0 开始），没有文件的年份留空（灰色）；"
                    "近年的具体占比见下表。"),
                 _img(plot_topic_prevalence(prevalence, names=names, scale="absolute",
                                            font=self.font), "topic prevalence"),
                 _table(table), _p("近年主题占比（绝对值）："), _table(shares)]
        return _section("五、主题 Topics and their prevalence", *parts)


def _folder_seeded_share(directory: Path) -> float | None:
    """The seeded share of the topic model whose tables the folder holds, computed as
    ``nqp-text topics`` and the run compute it (over every document, dated or not), or
    ``None`` when the folder lacks ``topic_model.json`` or ``document_topics.parquet``."""
    import json

    from nqp_text.topics.quality import seeded_share

    model_path, topics_path = directory / "topic_model.json", directory / "document_topics.parquet"
    if not (model_path.exists() and topics_path.exists()):
        return None
    model = json.loads(model_path.read_text("utf-8"))
    if not model.get("seeded_topics"):
        return None
    return seeded_share(pd.read_parquet(topics_path), model["labels"], model["seeded_topics"])


def _topic_quality(directory: Path, prevalence: pd.DataFrame, terms: pd.DataFrame,
                   share: float | None = None) -> str:
    """One paragraph: the unit (from ``topic_model.json`` of a run), the seeded topics'
    share of the tokens, their agreement with the classifier (``topic_agreement``)
    and the warnings of :func:`nqp_text.topics.quality.topic_warnings`."""
    import json

    from nqp_text.topics.quality import topic_warnings

    parts = []
    summary_path = directory / "topic_model.json"
    if summary_path.exists():
        summary = json.loads(summary_path.read_text("utf-8"))
        parts.append(f"建模单元 unit: {summary['unit']}（{summary['unit_reason']}）；"
                     f"{summary['place_terms_removed']} 个地名不进入主题词表。")
    seeded = ~prevalence["label"].astype(str).str.startswith("free_")
    if share is None and seeded.any():  # no document table: from the dated documents only
        groups = prevalence.drop_duplicates("group")
        total = float(groups["n_tokens"].sum())
        weighted = float((prevalence.loc[seeded, "prevalence"]
                          * prevalence.loc[seeded, "n_tokens"]).sum())
        share = weighted / total if total > 0 else None
    if share is not None and seeded.any():
        parts.append(f"种子（框架）主题合计占全部词的 {share:.1%}"
                     f"（seeded share）。")
    agreement_path = directory / "topic_agreement.parquet"
    if agreement_path.exists():
        table = pd.read_parquet(agreement_path)
        for by, name in (("doc_id", "按文档 by document"), ("year", "按年份 by year")):
            rows = table[(table["by"] == by) & table["rho"].notna()]
            if len(rows):
                detail = "，".join(f"{label} {rho:+.2f}"
                                  for label, rho in zip(rows["label"], rows["rho"], strict=True))
                parts.append(f"种子主题占比与分类器类别占比的 Spearman 相关（{name}）："
                             f"平均 {rows['rho'].mean():+.2f}（{detail}）。")
    for message in topic_warnings(terms[terms["rank"] <= 10], share, bool(seeded.any())):
        parts.append(f"注意 warning: {message}。")
    return "".join(parts)


_CSS = """
body { font-family: "NQP CJK", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
       "PingFang SC", sans-serif; margin: 2em auto; max-width: 1100px; color: #222;
       line-height: 1.6; padding: 0 1em; }
h1 { font-size: 1.7em; border-bottom: 3px solid #c0392b; padding-bottom: .3em; }
h2 { font-size: 1.3em; margin-top: 2em; color: #c0392b; }
img { max-width: 100%; display: block; margin: 1em 0; border: 1px solid #eee; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
th { background: #f6f6f6; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
.warnings h2 { color: #8a5a00; }
.warnings { background: #fff8e6; border-left: 4px solid #e0a800; padding: .2em 1em; }
footer { margin-top: 3em; font-size: .85em; color: #666; }
"""


def _own_warnings(tables: ReportTables, k: int, in_run: bool = False) -> list[Diagnostic]:
    """What the folder itself shows (the same whether ``nqp-text run`` or stage commands made it):
    bad files and document warnings, undated documents, years without documents, too few
    documents for ``k`` topics, and (outside a run, which checks with its own options)
    labelled paragraphs too short for the default model."""
    from nqp_text.io.checks import corpus_diagnostics
    from nqp_text.topics.lda import few_units

    documents = tables.documents
    n_ok = int((documents["status"] == "ok").sum())
    topics, unit = _topic_warnings(Path(tables.directory))
    units = few_units(n_ok, k, "document") if unit in (None, "document") else []
    short = [] if in_run else _short_labelled_passages(Path(tables.directory))
    return (document_diagnostics(documents) + corpus_diagnostics(documents)
            + year_gaps(tables.years) + units + short + topics)


def _short_labelled_passages(directory: Path) -> list[Diagnostic]:
    """``short_units`` as ``nqp-text run`` says it with the default model and paragraphs, from
    the passages' offsets (``end - start`` is each passage's length; no text is read)."""
    from nqp_text._checks import short_passages

    passages = directory / "passages.parquet"
    if not (directory / "labels.parquet").exists() or not passages.exists():
        return []
    spans = pd.read_parquet(passages, columns=["start", "end"])
    lengths = (spans["end"] - spans["start"]).astype(int).tolist()
    return short_passages(lengths, "paragraph", "default")


def _topic_warnings(directory: Path) -> tuple[list[Diagnostic], str | None]:
    """The topic-quality warnings of a topic model the folder holds (``topic_model.json``
    of ``nqp-text run``/``topics``, its tables and ``topic_agreement``) and its unit."""
    import json

    from nqp_text.topics.quality import AGREEMENT_COLUMNS, table_warnings

    names = ("topic_model.json", "document_topics.parquet", "topic_terms.parquet")
    if not all((directory / name).exists() for name in names):
        return [], None
    model = json.loads((directory / "topic_model.json").read_text("utf-8"))
    terms = pd.read_parquet(directory / "topic_terms.parquet")
    agreement_path = directory / "topic_agreement.parquet"
    agreement = (pd.read_parquet(agreement_path) if agreement_path.exists()
                 else pd.DataFrame(columns=AGREEMENT_COLUMNS))
    messages = table_warnings(pd.read_parquet(directory / "document_topics.parquet"),
                              model["labels"], model["seeded_topics"],
                              terms[terms["rank"] <= 10], agreement)
    return ([Diagnostic("topic_quality", "topics", message, (), "warning")
             for message in messages], model.get("unit"))


def _warnings_section(found: Sequence[Diagnostic], note: str | None = None) -> str:
    """The "what went wrong" section: one row per warning, errors first, after ``note`` (the
    line on the run's warnings when they cannot be shown); empty: no section."""
    if not found:
        return (f'<section class="warnings"><h2>注意 Warnings</h2>{_p(note)}</section>'
                if note else "")
    ordered = [d for d in found if d.severity == "error"] + [
        d for d in found if d.severity != "error"]  # stable: stage order within each
    shown = ordered[:_MAX_WARNINGS]
    rows = pd.DataFrame({
        "级别 severity": ["错误 error" if d.severity == "error" else "警告 warning"
                        for d in shown],
        "阶段 stage": [d.stage for d in shown],
        "说明 message": [f"{d.kind}: {d.message}" for d in shown],
        "文件 files": [", ".join(d.files[:5]) + (f" … (+{len(d.files) - 5})"
                                                 if len(d.files) > 5 else "") for d in shown]})
    parts = [_p(note)] if note else []
    parts += [_p(f"本次运行有 {len(found)} 条需要注意的问题（warnings）；读表与图之前请先看这里。"
                "完整列表见 manifest.json 的 \"warnings\"。"), _table(rows)]
    if len(ordered) > _MAX_WARNINGS:
        parts.append(_p(f"……另有 {len(ordered) - _MAX_WARNINGS} 条，见 manifest.json。"))
    return f'<section class="warnings"><h2>注意 Warnings</h2>{"".join(parts)}</section>'


def build_report(directory: str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None,
                 k: int = 12, seed: int = 0, passes: int = 5, workers: int = 1,
                 font: CJKFont | None = None, recompute: bool = False,
                 warnings: Sequence[Diagnostic] | None = None) -> Path:
    """Write ``DIR/report.html`` (or ``out``) from an ``nqp-text`` output directory.

    The tables come from ``DIR`` when ``nqp-text run`` wrote them and they
    still match the corpus there, else they are computed from the corpus (see
    :mod:`nqp_text.viz.report_tables`; ``recompute=True`` always computes);
    either way the page is the same. ``k``, ``seed`` and ``passes`` configure
    the seeded topic model fitted when ``DIR`` holds no
    ``topic_terms``/``topic_prevalence`` tables; ``workers`` segment passages
    when there is no ``tokens.parquet``. ``warnings`` (those of the run,
    :mod:`nqp_text.diagnostics`) open the page in a section of their own,
    with what the report itself finds (years without documents). Without
    ``warnings`` (``nqp-text report DIR``), those ``nqp-text run`` recorded in
    ``DIR/manifest.json`` are shown while the folder is as the run left it,
    so the page is then byte for byte the run's own; else the page says in
    one line why they are not (see :mod:`nqp_text.viz._run_warnings`). Raises
    :class:`~nqp_text.viz.fonts.CJKFontNotFoundError` (with install
    instructions) when no font with Chinese glyphs is available.

    Example:
        >>> build_report("results")  # doctest: +SKIP
    """
    from nqp_text._version import __version__

    font = font or find_cjk_font()
    directory = Path(directory)
    report = _Report(ReportTables(directory, workers, recompute), font, k, seed, passes)
    sections = [report.overview(), report.categories(), report.terms(), report.keyness(),
                report.topics()]
    note = None
    if warnings is None:  # nqp-text report: those of the run that made DIR, if any and valid
        from nqp_text.viz._run_warnings import run_warnings

        found_by_run = run_warnings(directory)
        warnings, note = found_by_run.warnings, found_by_run.note
    found = Diagnostics()
    found.extend(warnings or [])
    found.extend(_own_warnings(report.tables, k, in_run=warnings is not None))
    sections.insert(0, _warnings_section(found.ordered(), note))
    title = "政策文本趋势报告 Trends report"
    footer = (f"<footer>nqp_text {html.escape(__version__)} · 表格另存为本页所在目录下的 "
              f"CSV/Parquet 文件；计数规则见 nqp_text 文档 docs/guide/trends-and-topics.md"
              f"“Counting rules (reproducible by hand)”。</footer>")
    body = f"<h1>{html.escape(title)}</h1>{''.join(sections)}{footer}"
    page_text = html.unescape(body)
    css = font_face_css(font, "".join(sorted(set(page_text)))) + _CSS
    page = (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{css}</style></head>"
            f"<body>{body}</body></html>\n")
    path = Path(out) if out is not None else directory / "report.html"
    atomic_write_text(path, page)
    return path
