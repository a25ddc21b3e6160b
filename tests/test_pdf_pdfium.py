"""The pdfium engine: the pdfplumber engine's output from PDFium, on our own PDFs and
on the shared ones; clear errors; Unicode-map fallback; selectable everywhere."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("reportlab")

import _pdf_fixtures as fx  # noqa: E402
from nqp_text import read_corpus  # noqa: E402
from nqp_text.cli import main  # noqa: E402
from nqp_text.io.errors import ReaderError  # noqa: E402
from nqp_text.io.pdf import get_engine, read_pdf  # noqa: E402


def _same(path: Path, pages: range | None = None) -> None:
    reference = read_pdf(path, pages=pages, engine="pdfplumber")
    fast = read_pdf(path, pages=pages)  # the default engine
    assert fast.status == reference.status and fast.n_pages == reference.n_pages
    assert fast.text == reference.text
    assert [t.rows for t in fast.tables] == [t.rows for t in reference.tables]
    assert {k: v for k, v in fast.meta.items() if k != "engine"} == \
        {k: v for k, v in reference.meta.items() if k != "engine"}
    assert fast.meta["engine"] == "pdfium"


@pytest.mark.parametrize("write", [fx.write_report, fx.write_scanned, fx.write_unruled])
def test_generated_pdfs_read_the_same_with_both_engines(tmp_path: Path, write) -> None:
    _same(write(tmp_path / "doc.pdf"))


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"this is not a PDF at all\n" * 20, "not a PDF"),
    (None, "encrypted"),
    ("truncated", "truncated or corrupt"),
])
def test_unreadable_pdfs_raise_reader_error_naming_the_file(
        tmp_path: Path, content: bytes | str | None, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    if content is None:
        fx.write_encrypted(path)
    elif content == "truncated":
        path.write_bytes(fx.write_report(tmp_path / "r.pdf").read_bytes()[:1500])
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(ReaderError, match=reason) as info:
        read_pdf(path, engine="pdfium")
    assert str(path) in str(info.value)
    with pytest.raises(ReaderError, match="cannot read file"):
        read_pdf(tmp_path / "absent.pdf", engine="pdfium")


def test_engine_is_an_option_of_read_corpus_the_cli_and_the_pipeline(
        tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fx.write_report(folder / "report.pdf")
    reference = read_corpus([folder], timeout=None, pdf_engine="pdfplumber")
    fast = read_corpus([folder], timeout=None)
    assert fast.documents["engine"].tolist() == ["pdfium"]  # the default
    assert reference.documents["engine"].tolist() == ["pdfplumber"]
    pd.testing.assert_frame_equal(fast.passages, reference.passages)
    with pytest.raises(ValueError, match="known engines: pdfium, pdfplumber"):
        read_corpus([folder], pdf_engine="mupdf")
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out"),
                 "--pdf-engine", "pdfplumber"]) == 0
    written = pd.read_parquet(tmp_path / "out" / "passages.parquet")
    assert written["text"].tolist() == fast.passages["text"].tolist()
    from nqp_text.pipeline import run_pipeline

    (folder / "note.txt").write_text("发展新质生产力。", encoding="utf-8")
    first = run_pipeline([folder], tmp_path / "run", progress=False)
    assert first["options"]["pdf_engine"] == "pdfium"
    manifest = run_pipeline([folder], tmp_path / "run", progress=False,
                            pdf_engine="pdfplumber")
    assert manifest["options"]["pdf_engine"] == "pdfplumber"
    assert manifest["documents"]["ok"] == 2
    ingest = manifest["stages"]["ingest"]
    assert (ingest["computed"], ingest["cached"]) == (1, 1)  # only the PDF is read again
    report = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "no dated documents" in report  # undated inputs: no empty topic heatmap


@pytest.mark.slow
def test_shared_pdfs_read_the_same_with_both_engines(shared: Path) -> None:
    """Every shared PDF, the annual reports too: the same text, tables, status and facts
    (first 30 pages: whole files take about 10 minutes on 2 cores, almost all of it
    the pdfplumber engine; ``benchmarks/bench_ingest.py --max-pages 1000`` compares
    whole files). Page 21 of the 2013 Ping An report has ruling 3 pt apart, where
    unrounded edges made the engines find different tables."""
    paths = sorted(p for p in (shared / "pdfs").rglob("*") if p.suffix.lower() == ".pdf")
    if not paths:
        pytest.skip("no shared PDFs")
    for path in paths:
        with get_engine("pdfium").open(path) as source:
            n_pages = source.n_pages
        _same(path, pages=range(1, min(n_pages, 30) + 1))


def test_glyphs_pdfium_cannot_map_take_pdfminers_text(shared: Path) -> None:
    """The white paper's SimSun has a complete ``ToUnicode`` map that PDFium half
    misses: those glyphs take pdfminer's text from the font (page 1 stays a PDFium
    page); a page where PDFium also silently misreads a simple font's map (page 4,
    CambriaMath: ``à`` for pdfminer's ``ˆ``) is read by pdfplumber."""
    path = shared / "pdfs" / "whitepaper_tongdun_flex_2020.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    with get_engine("pdfium").open(path) as source:
        first = source.page(1)
        assert source.fallback_pages == []
        source.page(4)
        assert source.fallback_pages == [4]
    text = "".join(char.text for char in first.chars)
    assert "数据安全" in text and "\u1ba0" not in text  # not PDFium's raw glyph codes
    _same(path, pages=range(1, 6))


def _write_rotated(path: Path, rotation: int, *, drawn_turned: bool) -> Path:
    """A page with ``/Rotate`` ``rotation``: a few Helvetica lines and a ruled table of
    figures. With ``drawn_turned`` the content is drawn turned the other way (as the
    landscape pages of annual reports are), so that the rotation shows it upright."""
    from reportlab.pdfgen import canvas

    width, height = 595.0, 842.0
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setPageRotation(rotation)
    turned_width, turned_height = (height, width) if rotation in (90, 270) else (width, height)
    if drawn_turned:  # the inverse of pdfminer's matrix for the rotation
        pdf.transform(*{90: (0, 1, -1, 0, width, 0), 180: (-1, 0, 0, -1, width, height),
                        270: (0, -1, 1, 0, 0, height)}[rotation])
    top = turned_height - 72
    pdf.setFont("Helvetica", 11)
    for line in ("Operating results of the year", "Revenue grew in every segment, and",
                 "the cost of funds fell for the third year running."):
        pdf.drawString(72, top, line)
        top -= 16
    rows = [("Segment", "2023", "2024"), ("Retail", "1,204.5", "1,310.2"),
            ("Corporate", "980.1", "1,002.7"), ("Total", "2,184.6", "2,312.9")]
    columns = [72, 200, 300, 400]
    top -= 10
    for row in rows:
        for x, cell in zip(columns, row, strict=False):
            pdf.drawString(x + 4, top - 14, cell)
        pdf.line(columns[0], top, columns[-1], top)
        top -= 20
    pdf.line(columns[0], top, columns[-1], top)
    for x in columns:
        pdf.line(x, top, x, top + 20 * len(rows))
    assert turned_width > columns[-1]
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_are_turned_as_pdfminer_turns_them(tmp_path: Path, rotation: int) -> None:
    """A page with ``/Rotate`` whose text is upright once turned is read by PDFium, its
    objects turned by pdfminer's matrix (it was read by pdfplumber before); one whose
    text the rotation turns sideways is still read by pdfplumber."""
    turned = _write_rotated(tmp_path / "turned.pdf", rotation, drawn_turned=True)
    with get_engine("pdfium").open(turned) as source:
        page = source.page(1)
        assert source.fallback_pages == []
    with get_engine("pdfplumber").open(turned) as source:
        reference = source.page(1)
    assert (page.width, page.height) == pytest.approx((reference.width, reference.height))
    assert [grid.rows for grid in page.tables] == [grid.rows for grid in reference.tables]
    assert len(page.tables) == 1
    _same(turned)
    sideways = _write_rotated(tmp_path / "sideways.pdf", rotation, drawn_turned=False)
    with get_engine("pdfium").open(sideways) as source:
        source.page(1)
        assert source.fallback_pages == ([] if rotation == 180 else [1])
    _same(sideways)


def test_table_finding_does_not_depend_on_float_noise() -> None:
    """Ruling with rules exactly 3 pt apart (the table finder's tolerance) gives the same
    grids, to the last bit, whether its coordinates carry double- or single-precision
    noise (pdfminer's or PDFium's)."""
    from nqp_text.io.pdf._plumber import table_grids

    def edges(noise: float) -> list[dict]:
        rows = [56.28, 59.28, 118.32, 150.0]  # a thin first row, 3 pt high
        columns = [76.44, 211.92, 546.96]
        found = [{"orientation": "h", "object_type": "rect", "x0": columns[0] - noise,
                  "x1": columns[-1] + noise, "top": y + sign * noise,
                  "bottom": y + sign * noise}
                 for y, sign in zip(rows, (1, -1, 1, 1), strict=True)]
        found += [{"orientation": "v", "object_type": "rect", "x0": x + noise,
                   "x1": x + noise, "top": rows[0] - noise, "bottom": rows[-1] + noise}
                  for x in columns]
        return found

    grids = {noise: [(grid.bbox, grid.rows) for grid in
                     table_grids(edges(noise), (0.0, 0.0, 595.0, 842.0), 0.0, 0.0)]
             for noise in (0.0, 3e-5, -3e-5)}
    assert [len(rows) for _, rows in grids[0.0]] == [2]  # the thin row is snapped away
    assert grids[3e-5] == grids[0.0] and grids[-3e-5] == grids[0.0]


def _standard_font_pdf(path: Path) -> Path:
    """A page in non-embedded Arial (TrueType) and Helvetica-Bold (Type1), whose file
    metrics differ from the AFM ones pdfminer uses: descent -300 against Helvetica's
    -207, and ``/`` 400 units wide against 278 (last glyph of its string, so that the
    pen positions, which PDFium takes from ``/Widths``, stay the same)."""
    widths = [278 if code == 32 else 556 if 48 <= code <= 57 else 400 if code == 47 else 0
              for code in range(32, 128)]
    content = (b"BT /F1 11.04 Tf 72 700 Td (2016 123/) Tj ET "
               b"BT /F2 9 Tf 1 0 0.2 1 72 650 Tm (70/) Tj ET "
               b"BT /F1 6.48 Tf 0 1 -1 0 300 500 Tm (45/) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding"
        b" /FirstChar 32 /LastChar 127 /Widths [%s] /FontDescriptor 6 0 R >>"
        % b" ".join(str(w).encode() for w in widths),
        b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [-665 -300 2000 728]"
        b" /ItalicAngle 0 /Ascent 905 /Descent -300 /CapHeight 728 /StemV 44 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"
        b" /FirstChar 32 /LastChar 127 /Widths [%s] >>"
        % b" ".join(str(w).encode() for w in widths),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_standard_fonts_are_measured_as_pdfminer_measures_them(tmp_path: Path) -> None:
    """Glyphs of simple fonts with standard names (Arial is Helvetica) get pdfminer's
    AFM boxes and font names in the pdfium engine, upright, sheared and rotated."""
    path = _standard_font_pdf(tmp_path / "standard.pdf")
    with get_engine("pdfplumber").open(path) as source:
        reference = [c for c in source.page(1).chars if not c.text.isspace()]
    with get_engine("pdfium").open(path) as source:
        fast = source.page(1).chars
        assert source.fallback_pages == []
    assert {c.fontname for c in reference} == {"Helvetica", "Helvetica-Bold"}
    assert fast == reference


@pytest.mark.slow
def test_standard_font_page_of_a_shared_report_reads_the_same(shared: Path) -> None:
    """Page 165 of 深圳能源 2016: a table set in non-embedded Arial, whose rows came out
    grouped differently while PDFium measured the glyphs with a substitute font."""
    path = shared / "pdfs" / "annual_reports" / "000027深圳能源2016年年度报告-20170408(2)(1).pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    with get_engine("pdfplumber").open(path) as source:
        reference = [c for c in source.page(165).chars if not c.text.isspace()]
    with get_engine("pdfium").open(path) as source:
        assert source.page(165).chars == reference
    _same(path, pages=range(164, 167))


def test_cells_are_pdfplumbers_cells() -> None:
    """The table finder's cells (our ``intersections_to_cells``) equal pdfplumber's on a
    ruling with a merged cell, a rule that stops short and a stray line."""
    from pdfplumber.table import edges_to_intersections, intersections_to_cells

    from nqp_text.io.pdf._plumber import _intersections_to_cells

    def line(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
        return {"orientation": orientation, "object_type": "line", "x0": x0, "x1": x1,
                "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}

    edges = [line("h", 0, y, 90, y) for y in (0, 10, 20, 30)]
    edges += [line("v", x, 0, x, 30) for x in (0, 90)]
    edges += [line("v", 30, 0, 30, 20), line("v", 60, 10, 60, 30)]  # merged cells
    edges += [line("h", 100, 5, 120, 5), line("v", 45, 0, 45, 12)]  # stray, short
    intersections = edges_to_intersections(edges, 3, 3)
    cells = _intersections_to_cells(intersections)
    assert cells == intersections_to_cells(intersections)
    assert len(cells) == 8


def test_bulk_rounding_is_round() -> None:
    """Coordinates rounded in bulk are ``round``'s floats, ties and float32 noise too."""
    import math
    import random

    import numpy as np

    from nqp_text.io.pdf._plumber import rounded_values

    rng = random.Random(0)
    values = [rng.uniform(-50.0, 2000.0) for _ in range(20000)]
    values += [k / 1000 + 0.0005 for k in range(-2000, 20000)]  # decimal ties
    values += [k / 2048 for k in range(-2000, 20000)]  # exact binary ties
    values += np.float32(values[:20000]).astype(float).tolist()  # PDFium's precision
    values += [math.inf, -math.inf, 0.0, -0.0, -1e-12]
    expected = [round(value, 3) for value in values]
    got = rounded_values(values, 3)
    assert got == expected
    assert [math.copysign(1.0, v) for v in got] == [math.copysign(1.0, v) for v in expected]


def test_layout_chars_are_pdfplumbers_chars(tmp_path: Path, shared: Path) -> None:
    """The pdfium engine's fallback takes the characters from pdfminer's layout objects
    (``layout_chars``), skipping pdfplumber's conversion: the same values as
    ``page.chars`` for every key the engine reads, on our report and on a shared page
    with CID and math fonts (the white paper's page 4)."""
    import pdfplumber

    from nqp_text.io.pdf._plumber import layout_chars

    keys = ("text", "x0", "x1", "top", "bottom", "doctop", "size", "upright", "fontname",
            "non_stroking_color")
    paths = [(fx.write_report(tmp_path / "report.pdf"), [1, 2])]
    white_paper = shared / "pdfs" / "whitepaper_tongdun_flex_2020.pdf"
    if white_paper.exists():
        paths.append((white_paper, [4]))
    for path, numbers in paths:
        with pdfplumber.open(path) as pdf:
            for number in numbers:
                page = pdf.pages[number - 1]
                expected = [{key: char.get(key) for key in keys} for char in page.chars]
                page.close()
                assert layout_chars(page) == expected
                assert expected


def test_chars_from_fields_are_pdfchars() -> None:
    """The engines' fast constructor makes the same frozen, hashable glyphs as
    ``PdfChar(*row)``."""
    import dataclasses

    from nqp_text.io.pdf import PdfChar
    from nqp_text.io.pdf._engine import chars_from_fields

    rows = [("政", 1.5, 2.25, 11.5, 12.0, 10.0, True, "SimSun", False),
            ("A", -0.001, 0.0, 3.0, 8.0, 0.0, False, "", True)]
    made = chars_from_fields(iter(rows))
    assert made == [PdfChar(*row) for row in rows]
    assert [hash(c) for c in made] == [hash(PdfChar(*row)) for row in rows]
    assert [repr(c) for c in made] == [repr(PdfChar(*row)) for row in rows]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].text = "府"  # type: ignore[misc]
    assert chars_from_fields([]) == []


def test_cffi_calls_read_what_pypdfium2_reads(tmp_path: Path) -> None:
    """The pdfium engine calls PDFium through cffi function pointers declared by hand
    (``_pdfium._SIGNATURES``): on every glyph and path of our report they return what
    pypdfium2's own ctypes bindings return (a wrong signature would not)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from nqp_text.io.pdf._pdfium import _calls

    api = _calls()
    pdf = pdfium.PdfDocument(fx.write_report(tmp_path / "report.pdf"))
    glyphs = segments = 0
    try:
        for page in pdf:
            textpage = page.get_textpage()
            handle = api.pointer(textpage.raw)
            for index in range(textpage.count_chars()):
                assert api.unicode(handle, index) == raw.FPDFText_GetUnicode(textpage.raw, index)
                assert api.map_error(handle, index) == \
                    raw.FPDFText_HasUnicodeMapError(textpage.raw, index)
                assert api.font_size(handle, index) == \
                    raw.FPDFText_GetFontSize(textpage.raw, index)
                box = raw.FS_RECTF()
                assert api.loose_box(handle, index, api.box) == \
                    raw.FPDFText_GetLooseCharBox(textpage.raw, index, box)
                assert (api.box.left, api.box.top, api.box.right, api.box.bottom) == \
                    (box.left, box.top, box.right, box.bottom)
                x, y = ctypes.c_double(), ctypes.c_double()
                raw.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                api.origin(handle, index, api.origin_x, api.origin_y)
                assert (api.origin_x[0], api.origin_y[0]) == (x.value, y.value)
                matrix = raw.FS_MATRIX()
                raw.FPDFText_GetMatrix(textpage.raw, index, matrix)
                api.get_matrix(handle, index, api.matrix)
                assert [getattr(api.matrix, f) for f in "abcdef"] == \
                    [getattr(matrix, f) for f in "abcdef"]
                colour = [ctypes.c_uint() for _ in range(4)]
                filled = raw.FPDFText_GetFillColor(textpage.raw, index, *colour)
                assert api.fill_color(handle, index, *api.colour) == filled
                if filled:  # else (generated spaces) the buffers keep earlier values
                    assert [c[0] for c in api.colour] == [c.value for c in colour]
                name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
                length = raw.FPDFText_GetFontInfo(textpage.raw, index, name, 128, flags)
                assert api.font_info(handle, index, api.name, 128, api.flags) == length
                if length:
                    assert api.ffi.string(api.name) == name.value
                    assert api.flags[0] == flags.value
                glyphs += 1
            textpage.close()
            page_handle = api.pointer(page.raw)
            for index in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, index)
                ours = api.page_object(page_handle, index)
                assert api.object_type(ours) == raw.FPDFPageObj_GetType(obj)
                if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
                    continue
                assert api.count_segments(ours) == raw.FPDFPath_CountSegments(obj)
                for number in range(raw.FPDFPath_CountSegments(obj)):
                    segment = raw.FPDFPath_GetPathSegment(obj, number)
                    x, y = ctypes.c_float(), ctypes.c_float()
                    raw.FPDFPathSegment_GetPoint(segment, x, y)
                    mine = api.segment(ours, number)
                    api.segment_point(mine, *api.point)
                    assert (api.point[0][0], api.point[1][0]) == (x.value, y.value)
                    assert api.segment_type(mine) == raw.FPDFPathSegment_GetType(segment)
                    assert api.segment_close(mine) == raw.FPDFPathSegment_GetClose(segment)
                    segments += 1
            page.close()
    finally:
        pdf.close()
    assert glyphs > 500 and segments > 20


def test_style_cache_gives_what_the_calls_give(tmp_path: Path, shared: Path) -> None:
    """The style of a glyph from the per-page cache (keyed by the bytes of its matrix,
    colour and font name and its font size) equals the style computed afresh, on every
    glyph of our report and of pages of a shared report written one text object per
    glyph (where the cache answers most glyphs)."""
    import pypdfium2 as pdfium

    from nqp_text.io.pdf._pdfium import _calls

    api = _calls()
    sources = [(fx.write_report(tmp_path / "report.pdf"), None),
               (shared / "pdfs" / "annual_report_pingan_bank_2024.pdf", range(20, 26))]
    answered = 0
    for path, pages in sources:
        if not path.exists():
            pytest.skip(f"{path.name} not in the shared folder")
        pdf = pdfium.PdfDocument(path)
        try:
            for number in pages or range(len(pdf)):
                page = pdf[number]
                textpage = page.get_textpage()
                handle = api.pointer(textpage.raw)
                api.style_cache.clear()
                for index in range(textpage.count_chars()):
                    before = len(api.style_cache)
                    cached = api.style(handle, index)
                    answered += len(api.style_cache) == before
                    saved = dict(api.style_cache)
                    api.style_cache.clear()
                    assert api.style(handle, index) == cached
                    api.style_cache.update(saved)
                textpage.close()
                page.close()
        finally:
            pdf.close()
    assert answered > 1000


def test_tables_split_on_one_index_as_grid_by_grid(shared: Path) -> None:
    """``split_tables`` (one index of the page's glyphs for all grids) keeps the grids
    ``is_layout_box`` keeps and gives ``split_table_chars``' body and table glyphs, on
    the ruled pages of a shared annual report."""
    from nqp_text.io.pdf._tables import is_layout_box, split_table_chars, split_tables

    path = shared / "pdfs" / "annual_report_pingan_bank_2024.pdf"
    if not path.exists():
        pytest.skip(f"{path.name} not in the shared folder")
    grids_seen = 0
    with get_engine("pdfium").open(path) as source:
        for number in range(1, 61):
            page = source.page(number)
            chars = [char for char in page.chars if char.upright]
            kept = [grid for grid in page.tables if not is_layout_box(grid, chars)]
            assert split_tables(page.tables, chars) == (kept, *split_table_chars(chars, kept))
            grids_seen += len(page.tables)
    assert grids_seen > 20
