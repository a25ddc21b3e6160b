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
        for term in terms:
            rows = table[table["term"] == term].sort_values("group")
            axes.plot(rows["group"].to_numpy(), rows[value].to_numpy(dtype=float),
                      marker="o", markersize=3, linewidth=1.6, label=term)
        if table.attrs.get("by", "year") == "year":
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
    with cjk_rc(font):
        figure = _figure((9, 4.8))
        axes = figure.add_subplot()
        axes.stackplot(wide.index.to_numpy(dtype=float), wide.to_numpy(dtype=float).T,
                       labels=[_label(c, labels) for c in categories], alpha=0.85)
        _whole_years(axes)
        axes.set_xlabel("年份 (year)")
        axes.set_ylabel(MEASURE_LABELS.get(value, value))
        axes.set_title(title or "框架类别占比 (framework categories)")
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
        raise ValueError(f"scale must be 'absolute' or 'row'; got {scale!r}")
    wide = prevalence.pivot(index="topic", columns="group", values="prevalence").sort_index()
    if wide.empty or wide.shape[1] == 0:
        raise ValueError("no topic prevalence to draw: no group (year) has any passage")
    if scale == "row":
        wide = wide.div(wide.max(axis=1).replace(0, np.nan), axis=0)
    names = list(names) if names is not None else [
        str(label) for label in prevalence.drop_duplicates("topic").sort_values("topic")["label"]]
    with cjk_rc(font):
        figure = _figure((10, 0.42 * len(wide) + 2.0))
        axes = figure.add_subplot()
        values = wide.to_numpy(dtype=float)
        low, high = _colour_limits(values)
        image = axes.imshow(values, aspect="auto", cmap="viridis", vmin=low, vmax=high)
        columns = [str(c) for c in wide.columns]
        step = max(1, len(columns) // 20)
        axes.set_xticks(range(0, len(columns), step), columns[::step], rotation=90, fontsize=8)
        axes.set_yticks(range(len(wide)), names, fontsize=8)
        axes.set_xlabel("年份 (year)")
        axes.set_title(title or "主题占比 (topic prevalence)")
        label = (MEASURE_LABELS["prevalence"] if scale == "absolute"
                 else "相对占比（每行最大值 = 1）")
        figure.colorbar(image, ax=axes, label=label, shrink=0.8)
    return figure


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
        _whole_years(axes)
        axes.set_xlabel("年份 (year)")
        axes.set_ylabel("文件数 (documents)")
        axes.set_title(title or "每年文件数 (documents per year)")
        axes.grid(axis="y", alpha=0.3)
    return figure
