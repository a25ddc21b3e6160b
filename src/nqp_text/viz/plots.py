"""matplotlib charts of the trends tables, with Chinese text that renders on any server.

Every function takes a tidy table from :mod:`nqp_text.analysis` or
:mod:`nqp_text.topics` and returns a ``matplotlib.figure.Figure`` built without
pyplot (no global figure registry, no backend switch; PNG output uses Agg).
All text is created inside :func:`nqp_text.viz.fonts.cjk_rc`, so Chinese labels
use a real CJK font (see :func:`~nqp_text.viz.fonts.find_cjk_font`) and the
caller's rcParams are untouched; without any CJK font the functions raise
:class:`~nqp_text.viz.fonts.CJKFontNotFoundError` with install instructions
rather than drawing empty boxes.

Example:
    >>> table = nqp_text.term_frequencies(corpus, ["新质生产力", "数字经济"])  # doctest: +SKIP
    >>> save_figure(plot_term_trends(table), "trends.png")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text.errors import InputError, OptionError
from nqp_text.viz.fonts import CJKFont, cjk_rc

MEASURE_LABELS = {
    "count": "出现次数 (count)",
    "per_10k_tokens": "每万词出现次数 (per 10k tokens)",
    "doc_share": "含该词的文件占比 (document share)",
    "passage_share": "段落占比 (share of passages)",
    "prevalence": "主题占比 (prevalence)",
}
DPI = 110


def _figure(size: tuple[float, float]) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=DPI, layout="constrained")


def _whole_years(axes: Any) -> None:
    """Tick a year axis at whole numbers only (never ``2007.5``)."""
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _label(value: str, labels: Mapping[str, str] | None) -> str:
    return labels.get(value, value) if labels else value


def display_labels(framework: Any = None) -> dict[str, str]:
    """Chinese names of every id a chart may show: framework categories and term groups, the
    lexicon's own categories and free topics (``viz/data/labels.tsv``), so that no raw id
    (``digital_economy``) stands next to translated names.

    Example:
        >>> display_labels()["digital_economy"], topic_label("free_2", display_labels())
        ('数字经济', '自由主题 2')
    """
    from importlib import resources

    from nqp_text.analysis.vocabulary import framework_labels

    text = resources.files("nqp_text.viz").joinpath("data/labels.tsv").read_text("utf-8")
    labels = dict(line.split("\t", 1) for line in text.splitlines()
                  if line.strip() and not line.startswith("#"))
    return {**labels, **framework_labels(framework)}


def topic_label(label: str, labels: Mapping[str, str]) -> str:
    """A topic's label shown: the seed category's name, or ``自由主题 N`` for ``free_N``."""
    if label.startswith("free_") and label[5:].isdigit():
        return f"{labels.get('free', 'free')} {label[5:]}"
    return labels.get(label, label)


def _full_years(index: Any) -> Any:
    """Every whole year from the first to the last of ``index`` (so missing years are gaps)."""
    years = [int(year) for year in index]
    return range(min(years), max(years) + 1) if years else range(0)


def figure_png(figure: Any, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes (Agg)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_figure(figure: Any, path: str | os.PathLike[str], dpi: int = DPI) -> Path:
    """Write the figure (format from the suffix, e.g. ``.png``, ``.svg``) atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=dpi)
    return path


def plot_term_trends(table: pd.DataFrame, terms: Sequence[str] | None = None, *,
                     value: str = "per_10k_tokens", title: str | None = None,
                     font: CJKFont | None = None) -> Any:
    """Lines of ``value`` over groups (years) for each term of a ``term_frequencies`` table.

    ``terms`` selects and orders the lines (default: every term in the table).
    """
    terms = list(terms) if terms is not None else list(dict.fromkeys(table["term"]))
    with cjk_rc(font):
        figure = _figure((9, 4.8))
        axes = figure.add_subplot()
        by_year = table.attrs.get("by", "year") == "year"
        for term in terms:
            rows = table[table["term"] == term].sort_values("group")
            series = rows.set_index("group")[value].astype(float)
            if by_year and len(series):  # a missing year is a gap, not a straight line
                series = series.reindex(_full_years(series.index))
            axes.plot(series.index.to_numpy(), series.to_numpy(dtype=float),
                      marker="o", markersize=3, linewidth=1.6, label=term)
        _counts_axis(axes)
        if by_year:
            _whole_years(axes)
            axes.set_xlabel("年份 (year)")
        else:
            axes.set_xlabel("组别")
        axes.set_ylabel(MEASURE_LABELS.get(value, value))
        axes.set_title(title or "术语频率趋势 (term trends)")
        axes.grid(alpha=0.3)
        if terms:
            axes.legend(ncols=min(4, len(terms)), fontsize=8, frameon=False)
    return figure


def plot_category_shares(table: pd.DataFrame, *, value: str = "passage_share",
                         labels: Mapping[str, str] | None = None, title: str | None = None,
                         font: CJKFont | None = None) -> Any:
    """Stacked area of a ``category_frequencies`` measure per category over groups (years)."""
    wide = table.pivot(index="group", columns="category", values=value).sort_index()
    categories = list(dict.fromkeys(table["category"]))
    wide = wide[categories].fillna(0.0)
    gaps = len(wide) and len(wide) < len(_full_years(wide.index))
    with cjk_rc(font):
        figure = _figure((9, 4.8))
        axes = figure.add_subplot()
        names = [_label(c, labels) for c in categories]
        if gaps:  # an area would bridge the missing years; bars leave them empty
            bottom = np.zeros(len(wide))
            for name, category in zip(names, categories, strict=True):
                values = wide[category].to_numpy(dtype=float)
                axes.bar(wide.index.to_numpy(dtype=float), values, bottom=bottom, width=0.8,
                         label=name, alpha=0.85)
                bottom += values
        else:
            axes.stackplot(wide.index.to_numpy(dtype=float), wide.to_numpy(dtype=float).T,
                           labels=names, alpha=0.85)
        _counts_axis(axes)
        _whole_years(axes)
        axes.set_xlabel("年份 (year)")
        axes.set_ylabel(MEASURE_LABELS.get(value, value))
        axes.set_title(title or "框架类别占比 (framework categories)")
        if not gaps:
            axes.margins(x=0)
        axes.grid(alpha=0.3)
        axes.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
    return figure


def plot_topic_prevalence(prevalence: pd.DataFrame, *, names: Sequence[str] | None = None,
                          scale: str = "absolute", title: str | None = None,
                          font: CJKFont | None = None) -> Any:
    """Heatmap of topic prevalence (rows: topics, columns: groups) from ``topic_prevalence``.

    ``scale="row"`` divides each topic's row by its maximum, so that the rise
    and fall of small topics is visible next to large ones.
    """
    if scale not in ("absolute", "row"):
        raise OptionError(f"scale must be 'absolute' or 'row'; got {scale!r}")
    wide = prevalence.pivot(index="topic", columns="group", values="prevalence").sort_index()
    if wide.empty or wide.shape[1] == 0:
        raise InputError("no topic prevalence to draw: no group (year) has any passage")
    names = list(names) if names is not None else [
        str(label) for label in prevalence.drop_duplicates("topic").sort_values("topic")["label"]]
    if scale == "row":  # say on the chart how large each row's maximum really is
        peaks = wide.max(axis=1)
        names = [f"{name}（最高 {peak:.1%}）" for name, peak in zip(names, peaks, strict=True)]
        wide = wide.div(peaks.replace(0, np.nan), axis=0)
    if len(wide.columns) and all(isinstance(c, int | np.integer) for c in wide.columns):
        wide = wide.reindex(columns=_full_years(wide.columns))  # missing years: empty columns
    with cjk_rc(font):
        figure = _figure((10, 0.42 * len(wide) + 2.0))
        axes = figure.add_subplot()
        values = wide.to_numpy(dtype=float)
        low, high = _colour_limits(values)
        low = min(low, 0.0)  # one scale from 0: a 0.1% topic is drawn dark, not bright
        colours = _empty_as_grey("viridis")
        image = axes.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=colours,
                            vmin=low, vmax=high)
        columns = [str(c) for c in wide.columns]
        step = max(1, len(columns) // 20)
        axes.set_xticks(range(0, len(columns), step), columns[::step], rotation=90, fontsize=8)
        axes.set_yticks(range(len(wide)), names, fontsize=8)
        axes.set_xlabel("年份 (year)")
        axes.set_title(title or ("主题占比 (topic prevalence)" if scale == "absolute" else
                                 "主题占比：每行按该行最大值缩放 (each row scaled to its maximum)"))
        label = (MEASURE_LABELS["prevalence"] if scale == "absolute"
                 else "相对占比（每行最大值 = 1）")
        figure.colorbar(image, ax=axes, label=label, shrink=0.8)
    return figure


def _empty_as_grey(name: str) -> Any:
    """A colour map that draws missing cells (years without documents) light grey."""
    from matplotlib import colormaps

    return colormaps[name].with_extremes(bad="#eeeeee")


def _counts_axis(axes: Any) -> None:
    """Counts and shares are never negative: the value axis starts at 0 (also when all are 0)."""
    low, high = axes.get_ylim()
    axes.set_ylim(0, high if high > 0 else 1)


def _colour_limits(values: np.ndarray) -> tuple[float, float]:
    """The data range for a colour scale; ``(0, v)`` when every cell is ``v`` (one
    topic in one year), ``(0, 1)`` when nothing is finite, so the scale never collapses."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if low < high:
        return low, high
    return min(0.0, low), high if high > 0 else 1.0


def plot_keyness(table: pd.DataFrame, n: int = 15, *, target_label: str = "目标期",
                 reference_label: str = "参照期", title: str | None = None,
                 font: CJKFont | None = None) -> Any:
    """Horizontal bars of log ratio for the ``n`` strongest key terms on each side (by G²)."""
    positive = table[table["log_ratio"] > 0].nlargest(n, "g2")
    negative = table[table["log_ratio"] < 0].nlargest(n, "g2")
    shown = pd.concat([negative.iloc[::-1], positive.iloc[::-1]])
    with cjk_rc(font):
        figure = _figure((8, 0.28 * max(len(shown), 4) + 1.6))
        axes = figure.add_subplot()
        colours = np.where(shown["log_ratio"] > 0, "#c0392b", "#2c7fb8")
        axes.barh(range(len(shown)), shown["log_ratio"].to_numpy(dtype=float), color=colours)
        axes.set_yticks(range(len(shown)), shown["term"].tolist(), fontsize=8)
        axes.axvline(0, color="black", linewidth=0.8)
        axes.set_xlabel(f"log2 比值：右 = {target_label}更常用，左 = {reference_label}更常用")
        axes.set_title(title or f"关键词 (keyness, G²)：{target_label} vs {reference_label}")
        axes.grid(axis="x", alpha=0.3)
    return figure


def plot_coherence(table: pd.DataFrame, *, title: str | None = None,
                   font: CJKFont | None = None) -> Any:
    """Coherence (``c_v`` and/or ``u_mass``) against the number of topics k."""
    with cjk_rc(font):
        figure = _figure((7, 4))
        axes = figure.add_subplot()
        handles = []
        if "c_v" in table:
            handles += axes.plot(table["k"], table["c_v"], marker="o", color="#c0392b",
                                 label="c_v")
            axes.set_ylabel("c_v（越高越好）")
        if "u_mass" in table:
            other = axes.twinx() if "c_v" in table else axes
            handles += other.plot(table["k"], table["u_mass"], marker="s", color="#2c7fb8",
                                  label="u_mass")
            other.set_ylabel("u_mass（越接近 0 越好）")
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("主题数 k (number of topics)")
        axes.set_title(title or "主题一致性 (topic coherence)")
        axes.grid(alpha=0.3)
        axes.legend(handles=handles, frameon=False, loc="upper center", ncols=2)
    return figure


def plot_documents_per_year(documents: pd.DataFrame, *, title: str | None = None,
                            font: CJKFont | None = None) -> Any:
    """Bar chart of the number of documents per year (documents without a year left out)."""
    counts = documents["year"].dropna().astype(int).value_counts().sort_index()
    with cjk_rc(font):
        figure = _figure((9, 3.2))
        axes = figure.add_subplot()
        from matplotlib.ticker import MaxNLocator

        axes.bar(counts.index.to_numpy(), counts.to_numpy(), color="#34495e", width=0.8)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        _counts_axis(axes)
        _whole_years(axes)
        axes.set_xlabel("年份 (year)")
        axes.set_ylabel("文件数 (documents)")
        axes.set_title(title or "每年文件数 (documents per year)")
        axes.grid(axis="y", alpha=0.3)
    return figure
