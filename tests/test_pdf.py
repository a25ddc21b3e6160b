"""PDF reading: exact cleaned text of generated PDFs, engine interface, failures, logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

pytest.importorskip("reportlab")

import _pdf_fixtures as fx  # noqa: E402
from nqp_text.io._base import ExtractedTable  # noqa: E402
from nqp_text.io.errors import ReaderError  # noqa: E402
from nqp_text.io.pdf import PdfChar, PdfPage, get_engine, read_pdf  # noqa: E402
from nqp_text.io.pdf._furniture import is_page_number  # noqa: E402
from nqp_text.io.pdf._logs import capture_pdfminer_logs  # noqa: E402
from nqp_text.preprocess.normalize import normalize_text  # noqa: E402


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fx.write_report(tmp_path_factory.mktemp("pdf") / "report.pdf")


def _cross_page_tail() -> str:
    return "".join(line.text for line in fx.paragraph_lines(fx.CROSS_PAGE)[2:])


EXPECTED = [
    fx.TITLE,
    fx.INTRO,
    fx.HEADING_1,
    fx.BODY_1,
    normalize_text(fx.TABLE_CAPTION),
    fx.CROSS_PAGE,
    fx.HEADING_2,
    fx.LEFT_COLUMN,
    fx.RIGHT_COLUMN,
    fx.CLOSING_CLEAN,
    fx.HEADING_3,
    *fx.LIST_ITEMS,
]


def test_report_paragraphs_exact(report_pdf: Path) -> None:
    doc = read_pdf(report_pdf)
    assert doc.status == "ok"
    assert doc.n_pages == 3
    assert doc.text.split("\n") == EXPECTED


def test_report_furniture_and_table_kept_apart(report_pdf: Path) -> None:
    doc = read_pdf(report_pdf)
    assert fx.HEADER_LEFT not in doc.text
    assert "- 1 -" not in doc.text and "2950" not in doc.text
    assert doc.tables == [ExtractedTable(page=1, table_index=0, rows=fx.TABLE_ROWS)]
    assert doc.meta["removed_furniture"] == 9  # 3 pages x (2 header parts + footer)
    assert doc.meta["pdf_title"] == fx.TITLE
    assert doc.meta["scanned_pages"] == [] and doc.meta["warnings"] == []
    assert doc.meta["unreadable_share"] == 0.0


def test_pages_option_reads_a_page_range(report_pdf: Path) -> None:
    doc = read_pdf(report_pdf, pages=[2, 3])
    assert doc.n_pages == 3 and doc.meta["pages_read"] == 2
    assert doc.text.split("\n") == [_cross_page_tail(), *EXPECTED[6:]]
    assert doc.tables == []
    with pytest.raises(ValueError, match="out of range"):
        read_pdf(report_pdf, pages=[4])


def test_unruled_table_is_taken_out_of_the_text(tmp_path: Path) -> None:
    doc = read_pdf(fx.write_unruled(tmp_path / "unruled.pdf"))
    assert doc.text.split("\n") == [fx.UNRULED_INTRO, fx.UNRULED_OUTRO]
    assert doc.tables == [ExtractedTable(page=1, table_index=0, rows=fx.UNRULED_ROWS)]
    assert doc.meta["unruled_tables"] == 1


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    doc = read_pdf(fx.write_scanned(tmp_path / "scan.pdf"))
    assert doc.status == "no_text_layer"
    assert doc.text == ""
    assert doc.meta["scanned_pages"] == [1]
    assert "no text layer" in doc.meta["warnings"][0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"this is not a PDF at all\n" * 20, "not a PDF"),
        (None, "encrypted"),
        ("truncated", "truncated or corrupt"),
    ],
)
def test_unreadable_pdfs_raise_reader_error(
    tmp_path: Path, report_pdf: Path, content: bytes | str | None, reason: str
) -> None:
    path = tmp_path / "bad.pdf"
    if content is None:
        fx.write_encrypted(path)
    elif content == "truncated":
        path.write_bytes(report_pdf.read_bytes()[:1500])
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(ReaderError, match=reason) as info:
        read_pdf(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_missing_file_raises_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        read_pdf(tmp_path / "absent.pdf")


def test_unknown_engine_is_a_value_error(report_pdf: Path) -> None:
    with pytest.raises(ValueError, match="known engines: pdfium, pdfplumber"):
        read_pdf(report_pdf, engine="nonexistent")


class _GlyphEngine:
    """A second engine: pages given as glyph lists, to drive the cleaning rules."""

    name = "glyphs"

    def __init__(self, pages: list[PdfPage]) -> None:
        self.pages = pages

    def open(self, path: object) -> _GlyphEngine:
        return self

    n_pages = property(lambda self: len(self.pages))
    title = None

    def page(self, number: int) -> PdfPage:
        return self.pages[number - 1]

    def close(self) -> None:
        pass

    def __enter__(self) -> _GlyphEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _glyph_line(text: str, top: float, x: float = 72.0, size: float = 12.0,
                **options: object) -> list[PdfChar]:
    chars = []
    for char in text:
        width = size / 2 if char.isascii() else size
        chars.append(PdfChar(char, x, top, x + width, top + size, size, **options))
        x += width
    return chars


def test_engine_interface_cid_radicals_and_rotation() -> None:
    chars = _glyph_line("⼤⼒发展⻓江经济带", 100.0)
    chars += [PdfChar("(cid:123)", 180.0, 100.0, 192.0, 112.0, 12.0)]
    chars += _glyph_line("水印", 300.0, upright=False)
    engine = _GlyphEngine([PdfPage(1, 595.0, 842.0, chars=chars)])
    assert get_engine(engine) is engine
    doc = read_pdf("in-memory.pdf", engine=engine)
    assert doc.text == "大力发展长江经济带\ufffd"
    assert doc.meta["unreadable_share"] == pytest.approx(1 / 10)
    assert doc.meta["rotated_chars"] == 2
    assert doc.meta["engine"] == "glyphs"
    assert any("unreadable" in warning for warning in doc.meta["warnings"])


class _BrokenPageEngine(_GlyphEngine):
    """Some pages cannot be parsed."""

    def __init__(self, pages: list[PdfPage], broken: set[int]) -> None:
        super().__init__(pages)
        self.broken = broken

    def page(self, number: int) -> PdfPage:
        if number in self.broken:
            raise ValueError("bad content stream")
        return super().page(number)


def test_a_page_that_fails_is_skipped_and_reported() -> None:
    texts = ["总体情况良好。", "这一页无法解析。", "下一步工作安排。"]
    pages = [PdfPage(n, 595.0, 842.0, chars=_glyph_line(text, 100.0))
             for n, text in enumerate(texts, start=1)]
    doc = read_pdf("in-memory.pdf", engine=_BrokenPageEngine(pages, {2}))
    assert doc.text.split("\n") == [texts[0], texts[2]]
    assert doc.meta["failed_pages"] == [2]
    assert "ValueError: bad content stream" in doc.meta["warnings"][0]
    with pytest.raises(ReaderError, match="no page could be parsed"):
        read_pdf("in-memory.pdf", engine=_BrokenPageEngine(pages, {1, 2, 3}))
    with pytest.raises(ReaderError, match="no pages"):
        read_pdf("in-memory.pdf", engine=_GlyphEngine([]))


def test_hidden_white_placeholder_is_dropped_but_white_text_kept() -> None:
    visible = _glyph_line("投资评级说明", 100.0)
    hidden = _glyph_line("[Table_Rating]", 100.0, white=True)
    on_dark_box = _glyph_line("增持", 200.0, white=True)
    engine = _GlyphEngine([PdfPage(1, 595.0, 842.0, chars=visible + hidden + on_dark_box)])
    assert read_pdf("in-memory.pdf", engine=engine).text.split("\n") == ["投资评级说明", "增持"]


def test_a_grid_of_white_text_is_a_banner_not_a_table() -> None:
    from nqp_text.io.pdf import PdfTableGrid

    banner = _glyph_line("增持", 100.0, white=True) + _glyph_line("高测股份", 100.0, x=200.0,
                                                                white=True)
    grid = PdfTableGrid((60.0, 90.0, 400.0, 130.0),
                        [[(60.0, 90.0, 190.0, 130.0), (190.0, 90.0, 400.0, 130.0)],
                         [(60.0, 130.0, 190.0, 140.0), (190.0, 130.0, 400.0, 140.0)]])
    doc = read_pdf("in-memory.pdf", engine=_GlyphEngine(
        [PdfPage(1, 595.0, 842.0, chars=banner, tables=[grid])]))
    assert doc.tables == [] and doc.text == "增持 高测股份"  # body text, not a table


def test_grey_white_fills_are_white_like_rgb_and_cmyk_white() -> None:
    from nqp_text.io.pdf._plumber import _is_white

    assert _is_white(1.0) and _is_white((1.0,)) and _is_white((1, 1, 1))
    assert _is_white((0, 0, 0, 0)) and not _is_white(0.5) and not _is_white("pattern")


def test_symbol_debris_paragraphs_are_dropped() -> None:
    chars = _glyph_line("模型的损失函数如下：", 100.0) + _glyph_line("#†$", 160.0)
    chars += _glyph_line("其中参数由各方共同训练。", 220.0)
    doc = read_pdf("in-memory.pdf", engine=_GlyphEngine([PdfPage(1, 595.0, 842.0, chars)]))
    assert doc.text.split("\n") == ["模型的损失函数如下：", "其中参数由各方共同训练。"]
    assert doc.meta["removed_symbol_paragraphs"] == 1


def test_symbol_font_bullets_become_bullets() -> None:
    chars = _glyph_line("l", 100.0, fontname="Wingdings") + _glyph_line("事件", 100.0, x=80.0)
    engine = _GlyphEngine([PdfPage(1, 595.0, 842.0, chars=chars)])
    assert read_pdf("in-memory.pdf", engine=engine).text == "•事件"


@pytest.mark.parametrize(
    "text",
    ["- 1 -", "— 12 —", "－3－", "第 1 页", "第1页 共20页", "1/20", "1 / 4", "4－1", "頁次：4－1",
     "Page 3", "iv", "12"],
)
def test_page_number_patterns(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["12年", "第一章", "2024年度报告", "（一）", "3.5%", "表1"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def test_pdfminer_log_noise_is_captured_and_logging_restored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("pdfminer")
    before = (logger.level, logger.propagate, list(logger.handlers))
    with caplog.at_level(logging.WARNING), capture_pdfminer_logs() as collected:
        child = logging.getLogger("pdfminer.pdffont")
        for _ in range(3):
            child.warning("Could not get FontBBox from font descriptor because None cannot "
                          "be parsed as 4 floats")
        child.warning("Data-loss while decompressing corrupted data")
        with capture_pdfminer_logs() as inner:
            child.warning("Object 12 not found")
        assert inner.warnings() == ["pdfminer: Object N not found"]
    assert caplog.records == []
    assert collected.noise == 3
    assert collected.warnings() == ["pdfminer: Data-loss while decompressing corrupted data"]
    assert (logger.level, logger.propagate, list(logger.handlers)) == before


def test_dedupe_chars_equals_pdfplumbers_clustering() -> None:
    """Our dedupe against pdfplumber's own cluster_objects on random faux-bold pages."""
    import random
    from itertools import groupby
    from operator import itemgetter

    from pdfplumber.utils import cluster_objects

    from nqp_text.io.pdf._plumber import dedupe_chars

    def reference(chars: list[dict], tolerance: float) -> list[dict]:
        key = itemgetter("upright", "text", "fontname", "size")
        kept = []
        for _, group in groupby(sorted(chars, key=key), key=key):
            for row in cluster_objects(list(group), itemgetter("doctop"), tolerance):
                for cluster in cluster_objects(row, itemgetter("x0"), tolerance):
                    kept.append(min(cluster, key=itemgetter("doctop", "x0")))
        return sorted(kept, key=chars.index)

    rng = random.Random(11)
    for _ in range(300):
        chars = []
        for _ in range(rng.randint(1, 60)):
            char = {"text": rng.choice("数据要素"), "upright": rng.random() < 0.9,
                    "fontname": rng.choice(["A", "B"]), "size": rng.choice([9.0, 10.5]),
                    "doctop": rng.choice([10.0, 10.4, 11.2, 30.0]) + rng.random() * 0.5,
                    "x0": rng.choice([5.0, 5.6, 6.9, 20.0]) + rng.random() * 0.5}
            chars.append(char)
            if rng.random() < 0.3:  # a faux-bold copy, shifted a little
                chars.append({**char, "x0": char["x0"] + 0.3})
        tolerance = rng.choice([0.0, 0.5, 1.0])
        assert dedupe_chars(chars, tolerance) == reference(chars, tolerance)
