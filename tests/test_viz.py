"""CJK font handling and charts: every character drawn is covered by the font used."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from nqp_text.viz import fonts
from nqp_text.viz.fonts import (
    CJKFontNotFoundError,
    cjk_rc,
    figure_fonts,
    figure_text,
    find_cjk_font,
    font_face_css,
)
from nqp_text.viz.plots import (
    figure_png,
    plot_category_shares,
    plot_coherence,
    plot_documents_per_year,
    plot_keyness,
    plot_term_trends,
    plot_topic_prevalence,
    save_figure,
)


@pytest.fixture(scope="module")
def font() -> fonts.CJKFont:
    try:
        return find_cjk_font()
    except CJKFontNotFoundError as error:
        pytest.skip(f"no CJK font on this machine: {error}")


def _term_table() -> pd.DataFrame:
    rows = []
    for year in range(2018, 2026):
        for i, term in enumerate(["新质生产力", "数字经济", "数据要素", "5G"]):
            count = max(0, year - 2020 - i)
            rows.append({"group": year, "term": term, "count": count, "n_tokens": 10_000,
                         "per_10k_tokens": float(count), "doc_share": float(count > 0)})
    return pd.DataFrame(rows)


def _charts(font: fonts.CJKFont) -> dict[str, object]:
    categories = ["labor_object", "tech_innovation", "industrial_upgrading"]
    shares = pd.DataFrame([{"group": y, "category": c, "passage_share": 0.1 + 0.01 * i,
                            "per_10k_tokens": 3.0 * i}
                           for y in range(2018, 2026) for i, c in enumerate(categories)])
    labels = {"labor_object": "新型劳动对象", "tech_innovation": "技术创新",
              "industrial_upgrading": "产业深度转型升级"}
    prevalence = pd.DataFrame([{"group": y, "topic": t, "label": f"主题{t}",
                                "prevalence": 1 / 3} for y in range(2018, 2026) for t in range(3)])
    keyness = pd.DataFrame({"term": ["疫情", "高质量", "扶贫", "产能"], "g2": [75.0, 42, 19, 22],
                            "log_ratio": [6.7, 2.2, -2.6, -2.2]})
    documents = pd.DataFrame({"year": [2018, 2019, 2019, None]})
    coherence = pd.DataFrame({"k": [4, 8], "c_v": [0.45, 0.5], "u_mass": [-1.8, -1.7]})
    return {
        "trends": plot_term_trends(_term_table(), font=font),
        "categories": plot_category_shares(shares, labels=labels, font=font),
        "topics": plot_topic_prevalence(prevalence, names=["创新 科技", "农业 农村", "改革"],
                                        font=font),
        "keyness": plot_keyness(keyness, target_label="2021–2025", reference_label="2016–2020",
                                font=font),
        "documents": plot_documents_per_year(documents, font=font),
        "coherence": plot_coherence(coherence, font=font),
    }


def test_every_character_drawn_is_covered_by_the_chosen_font(font: fonts.CJKFont):
    for name, figure in _charts(font).items():
        text = figure_text(figure)
        assert re.search(r"[\u4e00-\u9fff]", text), name
        assert font.missing(text) == set(), name
        assert {str(path) for path in figure_fonts(figure)} == {str(font.path)}, name


def test_cmap_check_detects_missing_glyphs(font: fonts.CJKFont):
    assert font.missing("新质生产力 5G") == set()
    assert font.missing("\U0001F9EA") == {"\U0001F9EA"}  # a test tube emoji: no CJK font has it


def test_rcparams_are_left_as_they_were(font: fonts.CJKFont):
    before = (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"])
    with cjk_rc(font):
        assert matplotlib.rcParams["font.family"][0] == font.family
    plot_term_trends(_term_table(), font=font)
    after = (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"])
    assert after == before


def test_png_output_and_atomic_save(font: fonts.CJKFont, tmp_path: Path):
    figure = plot_term_trends(_term_table(), font=font)
    data = figure_png(figure)
    assert data.startswith(b"\x89PNG")
    path = save_figure(figure, tmp_path / "trends.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == ["trends.png"]


def test_missing_font_error_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "_system_font", lambda candidates: None)
    monkeypatch.setattr(fonts, "_package_font", lambda: None)
    with pytest.raises(CJKFontNotFoundError) as caught:
        find_cjk_font()
    message = str(caught.value)
    assert 'pip install "nqp-text[fonts]"' in message
    assert "fonts-noto-cjk" in message and "fonts-wqy-microhei" in message
    with pytest.raises(CJKFontNotFoundError, match="not found"):
        find_cjk_font(tmp_path / "nope.ttf")
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    with pytest.raises(CJKFontNotFoundError, match="no Chinese glyphs"):
        find_cjk_font(dejavu)


def test_environment_variable_and_explicit_path_win(font: fonts.CJKFont,
                                                    monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(fonts.ENV_VAR, str(font.path))
    found = find_cjk_font()
    assert found.path == font.path and found.source.startswith(fonts.ENV_VAR)
    assert find_cjk_font(font.path).source == "explicit"


def test_font_face_subset_holds_the_page_characters(font: fonts.CJKFont):
    from fontTools.ttLib import TTFont

    text = "新质生产力数字经济报告"
    css = font_face_css(font, text)
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1))
    subset = TTFont(io.BytesIO(data))
    cmap = subset.getBestCmap()
    assert all(ord(char) in cmap for char in text)
    assert len(data) < 200_000
    assert np.isclose(len(cmap), len(set(text) | set(fonts.PROBE)), atol=10)


def test_year_axes_are_ticked_at_whole_years_only(font: fonts.CJKFont):
    charts = _charts(font)
    for name in ("trends", "categories", "documents"):
        figure = charts[name]
        figure.canvas.draw()
        ticks = figure.axes[0].get_xticks()
        assert len(ticks) > 1, name
        assert np.all(ticks == np.round(ticks)), (name, ticks)


def test_a_one_cell_topic_heatmap_keeps_a_colour_scale(font: fonts.CJKFont):
    import warnings

    from nqp_text.viz.plots import _colour_limits

    one = pd.DataFrame({"topic": [0], "group": [2024], "prevalence": [0.4], "label": ["创新"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned of a singular colour scale
        figure = plot_topic_prevalence(one, font=font)
    assert figure.axes[0].images[0].get_clim() == (0.0, 0.4)
    assert _colour_limits(np.array([[0.1, 0.3]])) == (0.1, 0.3)
    assert _colour_limits(np.array([[0.0]])) == (0.0, 1.0)
    assert _colour_limits(np.array([[np.nan]])) == (0.0, 1.0)
    undated = pd.DataFrame({"topic": [0], "group": [np.nan], "prevalence": [0.4],
                            "label": ["创新"]}).dropna()
    with pytest.raises(ValueError, match="no group"):
        plot_topic_prevalence(undated, font=font)


def test_charts_leave_gaps_for_missing_years_and_never_go_below_zero(font: fonts.CJKFont):
    years = [2018, 2019, 2021]
    trends = pd.DataFrame({"group": years, "term": "数字经济", "per_10k_tokens": [0.0] * 3})
    trends.attrs["by"] = "year"
    axes = plot_term_trends(trends, font=font).axes[0]
    x, y = axes.lines[0].get_data()
    assert list(x) == [2018, 2019, 2020, 2021] and np.isnan(y[2])  # a gap, not a line
    assert axes.get_ylim()[0] == 0  # all zeros: no negative axis
    shares = pd.DataFrame({"group": years * 2, "category": ["digital_economy"] * 3
                           + ["tech_innovation"] * 3, "passage_share": [0.1, 0.2, 0.3] * 2})
    from nqp_text.viz.plots import display_labels

    axes = plot_category_shares(shares, labels=display_labels(), font=font).axes[0]
    assert {bar.get_x() + bar.get_width() / 2 for bar in axes.patches} == {2018, 2019, 2021}
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["数字经济", "技术创新"]
    assert axes.get_ylim()[0] == 0


def test_topic_heatmap_has_one_scale_or_says_how_rows_are_scaled(font: fonts.CJKFont):
    prevalence = pd.DataFrame({"group": [2018, 2019, 2021] * 2, "topic": [0] * 3 + [1] * 3,
                               "label": ["tech_innovation"] * 3 + ["free_1"] * 3,
                               "prevalence": [0.6, 0.5, 0.55, 0.001, 0.002, 0.001]})
    figure = plot_topic_prevalence(prevalence, names=["技术创新", "自由主题 1"], font=font)
    image = figure.axes[0].images[0]
    assert image.get_clim() == (0.0, 0.6)  # one scale from 0 for every cell
    assert image.get_array().shape == (2, 4) and image.get_array().mask[:, 2].all()  # 2020
    scaled = plot_topic_prevalence(prevalence, names=["技术创新", "自由主题 1"], scale="row",
                                   font=font).axes[0]
    assert "each row scaled to its maximum" in scaled.get_title()
    assert [t.get_text() for t in scaled.get_yticklabels()] == ["技术创新（最高 60.0%）",
                                                                "自由主题 1（最高 0.2%）"]
