"""The pdfium engine: the pdfplumber engine's characters and tables, read by PDFium.

PDFium (Chrome's PDF library, through pypdfium2, which pdfplumber itself
depends on) parses a page in C. This engine asks it for what the cleaning rules
need and shapes it exactly as :mod:`._plumber` does:

* characters in content-stream order, without the spaces and line breaks PDFium
  generates, each with its box in pdfplumber's convention (``bottom`` from the
  loose box, ``top = bottom - size``, ``x0`` the pen position, ``x1`` from the
  loose box, ``size`` the font size times the text matrix's vertical scale,
  ``upright`` by pdfminer's rule, so italic shear is upright), font name and fill
  colour; faux-bold duplicates are removed by the same rule
  (:func:`._plumber.dedupe_chars`);
* the ruling of the page: every visible path (stroked or filled in a colour
  other than white), inside form XObjects too, cut into subpaths and turned
  into edges as pdfminer and pdfplumber do (a two-point subpath is a line, an
  axis-aligned four-corner one a rectangle with four edges, anything else a
  curve whose horizontal and vertical segments are edges); pdfplumber's own
  ``TableFinder`` then finds the grids, with the same closing rules for rows
  cut by a page break, so table detection is pdfplumber's on the same edges;
* the number of images (to flag scanned pages).

A glyph PDFium cannot map to Unicode (``FPDFText_HasUnicodeMapError``: the white
paper's SimSun, whose ``ToUnicode`` map PDFium partly misses, came out ``ᮠᦞ`` for 数据)
takes pdfminer's text from the font (:mod:`._unicode_maps`, ``Type0`` fonts with an
``Identity`` CMap). A page with ``/Rotate`` is turned in memory by pdfminer's matrix
(:func:`_unrotated_box`). A page that cannot be read so (a map error in another kind
of font, or next to a simple font whose map PDFium misreads silently; PDFium's hyphen
mark U+0002, which in a table cell of 万科A 2012 made ``SDK-`` / ``D-3项目`` into
``SDK\x02D-3项目``) takes its characters from pdfminer (:func:`._plumber.layout_chars`)
and its ruling from PDFium; a rotated page that cannot be turned (crop box other than
the media box, glyphs not upright once turned) is read by the pdfplumber engine.
``source.fallback_pages`` lists all those pages.

Glyphs of simple fonts with a standard-14 name (``Arial`` is Helvetica) are
measured with pdfminer's AFM metrics, as pdfminer measures them
(:mod:`._standard_fonts`).

Measured on the 13 PDFs in ``../shared/pdfs`` (``tests/test_pdf_pdfium.py``,
``benchmarks/bench_ingest.py``, docs/guide/speed.md): the same body text, tables
and facts as the pdfplumber engine on whole files, with
:func:`~nqp_text.io.pdf.read_pdf` several times faster (the cleaning rules, shared
by both engines, are then about a quarter of the time).

Example:
    >>> engine = PdfiumEngine()
    >>> with engine.open("report.pdf") as source:  # doctest: +SKIP
    ...     page = source.page(1)
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from nqp_text.io.errors import ReaderError
from nqp_text.io.pdf._engine import (
    ClosingSource,
    PdfPage,
    PdfTableGrid,
    chars_from_fields,
    checked_pdf_path,
)
from nqp_text.io.pdf._plumber import (
    CHAR_DECIMALS,
    EDGE_DECIMALS,
    PdfplumberEngine,
    dedupe_chars,
    rounded_values,
    table_grids,
)
from nqp_text.io.pdf._standard_fonts import StandardMetrics, standard_metrics
from nqp_text.io.pdf._unicode_maps import UnicodeMaps

__all__ = ["PdfiumEngine"]

_DEDUPE_TOLERANCE = 1.0
_WHITE = 250  # 0-255 per channel: pdfplumber's 0.98 on a 0-1 scale
_NEWLINES = frozenset((0x0A, 0x0D))
#: Code points below the surrogates that are whitespace (``chr(code).isspace()``), the
#: line breaks among them: left out of the glyphs, unless PDFium marks a map error.
_SPACE_CODES = frozenset(code for code in range(0xD800) if chr(code).isspace())
#: What PDFium returns for a hyphen it takes to break a word across lines (and
#: ``FPDFText_IsHyphen`` confirms); the glyph's own character (``-`` or a soft hyphen,
#: which pdfminer reports) is not available, so such a page is read by pdfplumber.
_HYPHEN_MARK = 0x02
_UNMAPPED = (0x00, 0xFFFE, 0xFFFF)
_AXIS_EPSILON = 1e-3
#: Corner coordinates further apart than this stay apart when rounded to 0.001.
_RECT_APART = 2e-3
_MAX_FORM_DEPTH = 16

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# positions in the character tuples of :func:`_chars` (PdfChar's field order)
_X0, _TOP = 1, 2
_DEDUPE_KEY = itemgetter(6, 0, 7, 5)  # upright, text, fontname, size
#: Glyphs whose text objects are compared before a page of one object per glyph stops.
_OBJECT_PROBE = 40
_NAME_BUFFER = 128


class PdfiumEngine:
    """Engine on PDFium (pypdfium2): characters and ruled tables, as the pdfplumber engine."""

    name = "pdfium"

    def open(self, path: str | os.PathLike[str]) -> _PdfiumSource:
        """Open ``path``; raise :class:`ReaderError` for unreadable files."""
        import pypdfium2 as pdfium

        path = checked_pdf_path(path)
        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise ReaderError(path, _describe_error(exc)) from exc
        return _PdfiumSource(pdf, path, len(pdf), _title(pdf))


class _PdfiumSource(ClosingSource):
    def __init__(self, pdf: Any, path: Path, n_pages: int, title: str | None) -> None:
        self._pdf = pdf
        self.path = path
        self.n_pages = n_pages
        self.title = title
        #: Pages read by pdfplumber because PDFium could not map some glyph to Unicode.
        self.fallback_pages: list[int] = []
        self._plumber: Any = None
        self._maps = UnicodeMaps(path)

    def page(self, number: int) -> PdfPage:
        page = self._pdf[number - 1]
        try:
            extracted = _extract_page(page, number, self._maps)
            if extracted is None:
                self.fallback_pages.append(number)
                extracted = self._fallback(page, number)
        finally:
            page.close()
        return extracted

    def _fallback(self, page: Any, number: int) -> PdfPage:
        """The page with pdfplumber's characters; its ruling and images from PDFium
        (the same as pdfplumber's, and read without converting every object), except on
        a page with ``/Rotate``, read by pdfplumber alone."""
        if self._plumber is None:
            self._plumber = PdfplumberEngine().open(self.path)
        if page.get_rotation() % 360:
            return self._plumber.page(number)
        chars, width, height = self._plumber.glyphs(number)
        left, bottom, right, top = page.get_cropbox()
        edges, n_images = _graphics(page, left, top)
        return PdfPage(number=number, width=width, height=height, chars=chars,
                       tables=_tables(edges, float(right - left), float(top - bottom)),
                       n_images=n_images)

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        self._maps.close()
        self._pdf.close()



def _extract_page(page: Any, number: int, maps: UnicodeMaps) -> PdfPage | None:
    """The page, or ``None`` when some glyph's text cannot be told as pdfminer tells it
    (:mod:`._unicode_maps`), PDFium marked a line-end hyphen (:data:`_HYPHEN_MARK`) or
    the page has a ``/Rotate`` and a crop box other than its media box or glyphs not
    upright once turned: the page is then read by pdfplumber. A rotated page is turned
    first (:func:`_unrotated_box`)."""
    rotation = page.get_rotation() % 360
    if rotation:
        box = _unrotated_box(page, rotation)
        if box is None:
            return None
        left, bottom, right, top = box
    else:
        left, bottom, right, top = page.get_cropbox()
    chars = _chars(page, left, top, maps, number)
    if chars is None or (rotation and not all(char[6] for char in chars)):
        return None  # rotated glyphs' boxes are pdfminer's only when upright (see _chars)
    edges, n_images = _graphics(page, left, top)
    return PdfPage(
        number=number,
        width=float(right - left),
        height=float(top - bottom),
        chars=chars_from_fields(dedupe_chars(
            chars, _DEDUPE_TOLERANCE, key=_DEDUPE_KEY, doctop=_TOP, x0=_X0)),
        tables=_tables(edges, float(right - left), float(top - bottom)),
        n_images=n_images,
    )


def _unrotated_box(page: Any, rotation: int) -> tuple[float, float, float, float] | None:
    """Turn a page with a ``/Rotate`` as pdfminer does, in memory: every page object is
    transformed by pdfminer's matrix for the rotation (which maps the media box onto
    ``(0, 0, width, height)`` of the turned page), so PDFium's text page and paths
    are in the coordinates pdfminer reports; returns the turned page's box. ``None``
    (read by pdfplumber) when the crop box is not the media box (pdfplumber's page
    box is the media box) or the rotation is not a multiple of 90. The file is not
    changed; the source loads each page afresh."""
    import pypdfium2.raw as raw

    x0, y0, x1, y1 = (float(v) for v in page.get_mediabox())
    if tuple(float(v) for v in page.get_cropbox()) != (x0, y0, x1, y1):
        return None
    matrices = {90: (0.0, -1.0, 1.0, 0.0, -y0, x1), 180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
                270: (0.0, 1.0, -1.0, 0.0, y1, -x0)}
    matrix = matrices.get(rotation)
    if matrix is None:
        return None
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        raw.FPDFPageObj_Transform(raw.FPDFPage_GetObject(page.raw, index), *matrix)
    width, height = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
    return 0.0, 0.0, width, height


def _chars(page: Any, left: float, top: float,
           maps: UnicodeMaps, number: int) -> list[tuple[Any, ...]] | None:
    """The page's glyphs as tuples of :class:`PdfChar`'s fields, in content order.

    Whitespace (PDFium's generated spaces and line breaks, and space glyphs) is left
    out: the cleaning rules drop it anyway, and it is a quarter of the glyphs, each
    costing several calls. Font, size, colour and matrix belong to the text object,
    so consecutive glyphs of one object are asked once; where the first glyphs of a
    page come one object each (some producers write one object per glyph), the page
    stops asking for objects. (PDFium offers no bulk query for boxes, matrices or
    colours, and ``FPDFText_GetText`` may drop or insert characters relative to the
    character indexes, so the text is asked for per character too.) The calls go
    through :func:`_calls` (cffi function pointers). Glyphs of a simple font
    with a standard name are measured with pdfminer's AFM metrics (:func:`_standard_box`).
    """
    textpage = page.get_textpage()
    try:
        return _glyphs(_calls(), textpage, left, top, maps, number)
    finally:
        textpage.close()


def _glyphs(api: _Calls, textpage: Any, left: float, top: float,
            maps: UnicodeMaps, number: int) -> list[tuple[Any, ...]] | None:
    """:func:`_chars` on an open text page. The loop runs once per character index
    (about a million on the shared PDFs), so everything it uses is a local name and
    the common glyph (a mapped character below the surrogates, not whitespace) takes
    the first branch of each test."""
    handle = api.pointer(textpage.raw)
    get_unicode, map_error, text_object = api.unicode, api.map_error, api.text_address
    loose_box, char_origin, style_of = api.loose_box, api.origin, api.style
    api.style_cache.clear()
    box = api.box
    origin_x, origin_y = api.origin_x, api.origin_y
    spaces, newlines = _SPACE_CODES, _NEWLINES
    numbers: list[float] = []  # x0, top, x1, bottom, size of each glyph, unrounded
    others: list[tuple[str, bool, str, bool]] = []  # text, upright, font name, white
    add_numbers, add_others = numbers.extend, others.append
    count = textpage.count_chars()
    index = 0
    previous_object = -1
    style: _Style = (0.0, True, 1.0, "", False, None)
    font_size, upright, matrix_d, fontname, white, standard = style
    runs_checked = 0
    track_objects = True
    unmapped = False  # some glyph's text came from pdfminer's font (map error)
    while index < count:
        code = get_unicode(handle, index)
        if code in spaces and (code in newlines or map_error(handle, index) != 1):
            index += 1  # PDFium's generated spaces and line breaks, space glyphs
            continue
        text: str | None
        if map_error(handle, index) == 1:
            text, step = None, 1  # ``code`` is the character code: asked below
        elif 0 < code < 0xD800:  # most glyphs: no surrogate, not unmapped
            if code == _HYPHEN_MARK:
                return None
            text, step = chr(code), 1
        else:
            text, step = _text(get_unicode, handle, index, code, count)
            if text.isspace():
                index += step
                continue
        if track_objects:
            obj = text_object(handle, index)
            if not obj or obj != previous_object:
                font_size, upright, matrix_d, fontname, white, standard = \
                    style_of(handle, index)
                previous_object = obj
                runs_checked += 1
                if runs_checked == _OBJECT_PROBE and len(others) + 1 == _OBJECT_PROBE:
                    track_objects = False  # one object per glyph on this page
        else:
            font_size, upright, matrix_d, fontname, white, standard = style_of(handle, index)
        if text is None:
            text = maps.text(number, fontname, code)
            if text is None:
                return None
            if not unmapped:  # the glyphs so far must be pdfminer's too
                if not maps.checkable(number, [(name, glyph) for glyph, _, name, _
                                               in others]):
                    return None
                unmapped = True
            if text.isspace():
                index += step
                continue
        if unmapped and not maps.accepts(
                number, fontname if standard is None else standard[0].fontname, text):
            return None  # PDFium may have misread this glyph's font (see _unicode_maps)
        if standard is not None:
            char_origin(handle, index, origin_x, origin_y)
            add_numbers(_standard_box(text, origin_x[0] - left, top - origin_y[0],
                                      font_size, standard))
            add_others((text, upright, standard[0].fontname, white))
            index += step
            continue
        loose_box(handle, index, box)
        size = font_size * matrix_d
        x1 = box.right - left
        char_bottom = top - box.bottom
        if upright:  # pdfminer's x0 is the pen position; the loose box can reach left
            char_origin(handle, index, origin_x, origin_y)
            x0 = origin_x[0] - left
            add_numbers((x1 if x1 < x0 else x0, char_bottom - size, x1, char_bottom, size))
        else:
            add_numbers((box.left - left, top - box.top, x1, char_bottom, size))
        add_others((text, upright, fontname, white))
        index += step
    values = rounded_values(numbers, CHAR_DECIMALS)
    return [(text, x0, char_top, x1, char_bottom, size, upright, fontname, white)
            for (text, upright, fontname, white), x0, char_top, x1, char_bottom, size
            in zip(others, values[0::5], values[1::5], values[2::5], values[3::5],
                   values[4::5], strict=True)]


#: Font size, upright, ``|d|``, font name, white, and for a standard font its AFM
#: metrics with the matrix's ``a, b, c, d``.
_Style = tuple[float, bool, float, str, bool,
               tuple[StandardMetrics, float, float, float, float] | None]


def _style_reader(api: _Calls) -> tuple[Callable[[Any, int], _Style], dict[Any, _Style]]:
    """``style(handle, index)``: what a glyph shares with its text object: font size,
    uprightness, ``|d|`` of its matrix (the size of an upright glyph is font size x d),
    font name, whether white, and the AFM metrics when pdfminer measures its font so
    (:mod:`._standard_fonts`); and its cache, which the engine empties for each page.

    Pages that write one text object per glyph ask for the style of every glyph, and
    consecutive glyphs mostly have the same one: the four calls' outputs as bytes
    (the matrix's ``a, b, c, d``, not its position; the colour; the font name) and the
    font size are the key of a style computed once. Not cached: a standard font (its
    metrics depend on whether the object's font is embedded, which the key does not
    say) and a font size of zero (``0.0`` and ``-0.0`` are one key). Made once per
    :class:`_Calls` (its calls and buffers are the closure's, not looked up per glyph).

    pdfminer's rules: upright unless rotated or mirrored (italic shear is upright).
    """
    matrix, get_matrix, get_font_size = api.matrix, api.get_matrix, api.font_size
    fill_color, font_info, string = api.fill_color, api.font_info, api.ffi.string
    red, green, blue, alpha = api.colour
    name, flags, names = api.name, api.flags, api.names
    matrix_bytes = api.ffi.buffer(matrix)
    colour_bytes, name_bytes = api.ffi.buffer(api.colour_array), api.ffi.buffer(name)
    standard_names = api.standard_names
    cache: dict[Any, _Style] = {}
    cached = cache.get

    def style(handle: Any, index: int) -> _Style:
        get_matrix(handle, index, matrix)
        font_size = get_font_size(handle, index)
        filled = fill_color(handle, index, red, green, blue, alpha)
        length = font_info(handle, index, name, _NAME_BUFFER, flags)
        key = (matrix_bytes[:16], colour_bytes[:] if filled else None,
               name_bytes[:length], font_size)
        known = cached(key)
        if known is not None and font_size:
            return known
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        white = bool(filled) and min(red[0], green[0], blue[0]) >= _WHITE
        fontname = ""
        if length:
            raw_name = string(name)
            fontname = names.get(raw_name)
            if fontname is None:
                fontname = names[raw_name] = raw_name.decode("utf-8", "replace")
        upright = a * d > 0 and b * c <= 0
        if fontname not in standard_names:
            cache[key] = found = (font_size, upright, abs(d), fontname, white, None)
            return found
        font = api.text_font(api.text_object(handle, index))
        metrics = standard_metrics(fontname, bool(api.font_embedded(font)))
        if metrics is None:
            return font_size, upright, abs(d), fontname, white, None
        return font_size, upright, abs(d), metrics.fontname, white, (metrics, a, b, c, d)

    return style, cache


def _standard_box(text: str, origin_x: float, origin_y: float, font_size: float,
                  standard: tuple[StandardMetrics, float, float, float, float],
                  ) -> tuple[float, float, float, float, float]:
    """A glyph's ``x0, top, x1, bottom, size`` as pdfminer computes them for a standard
    font (unrounded): the box from
    the pen position (``origin_x``, ``origin_y``: top-left page coordinates) over the
    AFM advance and from the AFM descent to one em above it, through the glyph's
    matrix; ``size`` is the box's height."""
    metrics, a, b, c, d = standard
    advance = metrics.widths.get(text, metrics.default_width) * 0.001 * font_size
    low = metrics.descent * 0.001 * font_size
    high = low + font_size
    xs = (low * c, high * c, advance * a + low * c, advance * a + high * c)
    ys = (low * d, high * d, advance * b + low * d, advance * b + high * d)
    x0, x1 = origin_x + min(xs), origin_x + max(xs)
    char_top, char_bottom = origin_y - max(ys), origin_y - min(ys)
    return x0, char_top, x1, char_bottom, max(ys) - min(ys)


#: The C signatures of the PDFium functions :class:`_Calls` calls (PDFium's public
#: headers; ``FPDF_BOOL`` is ``int``, every handle a pointer).
_SIGNATURES = {
    "unicode": ("FPDFText_GetUnicode", "unsigned int (*)(void *, int)"),
    "map_error": ("FPDFText_HasUnicodeMapError", "int (*)(void *, int)"),
    "text_object": ("FPDFText_GetTextObject", "void * (*)(void *, int)"),
    "text_address": ("FPDFText_GetTextObject", "uintptr_t (*)(void *, int)"),
    "loose_box": ("FPDFText_GetLooseCharBox", "int (*)(void *, int, FS_RECTF *)"),
    "get_matrix": ("FPDFText_GetMatrix", "int (*)(void *, int, FS_MATRIX *)"),
    "font_size": ("FPDFText_GetFontSize", "double (*)(void *, int)"),
    "origin": ("FPDFText_GetCharOrigin", "int (*)(void *, int, double *, double *)"),
    "fill_color": ("FPDFText_GetFillColor", "int (*)(void *, int, unsigned int *, "
                   "unsigned int *, unsigned int *, unsigned int *)"),
    "font_info": ("FPDFText_GetFontInfo",
                  "unsigned long (*)(void *, int, void *, unsigned long, int *)"),
    "text_font": ("FPDFTextObj_GetFont", "void * (*)(void *)"),
    "font_embedded": ("FPDFFont_GetIsEmbedded", "int (*)(void *)"),
    "count_segments": ("FPDFPath_CountSegments", "int (*)(void *)"),
    "segment": ("FPDFPath_GetPathSegment", "void * (*)(void *, int)"),
    "segment_point": ("FPDFPathSegment_GetPoint", "int (*)(void *, float *, float *)"),
    "segment_type": ("FPDFPathSegment_GetType", "int (*)(void *)"),
    "segment_close": ("FPDFPathSegment_GetClose", "int (*)(void *)"),
    "page_count": ("FPDFPage_CountObjects", "int (*)(void *)"),
    "page_object": ("FPDFPage_GetObject", "void * (*)(void *, int)"),
    "form_count": ("FPDFFormObj_CountObjects", "int (*)(void *)"),
    "form_object": ("FPDFFormObj_GetObject", "void * (*)(void *, unsigned long)"),
    "object_type": ("FPDFPageObj_GetType", "int (*)(void *)"),
    "object_matrix": ("FPDFPageObj_GetMatrix", "int (*)(void *, FS_MATRIX *)"),
    "path_draw_mode": ("FPDFPath_GetDrawMode", "int (*)(void *, int *, int *)"),
    "stroke_color": ("FPDFPageObj_GetStrokeColor", "int (*)(void *, unsigned int *, "
                     "unsigned int *, unsigned int *, unsigned int *)"),
    "fill_color_object": ("FPDFPageObj_GetFillColor", "int (*)(void *, unsigned int *, "
                          "unsigned int *, unsigned int *, unsigned int *)"),
}
_STRUCTS = """
typedef struct { float left; float top; float right; float bottom; } FS_RECTF;
typedef struct { float a; float b; float c; float d; float e; float f; } FS_MATRIX;
"""


class _Calls:
    """PDFium's per-character and per-path functions, called through cffi.

    The engine makes a few calls per glyph and per path segment, so the cost of a
    call from Python is most of its time. pypdfium2's ctypes bindings convert
    every handle and output pointer on each call; cffi's function pointers (ABI
    mode: no compiler) on the same addresses in the library pypdfium2 loaded cost
    less (measured on one page, best of 7: ``FPDFText_GetCharOrigin`` 1.6 µs through
    a ctypes prototype on plain addresses, 0.46 µs through cffi;
    ``FPDFText_GetUnicode`` 0.29 and 0.22 µs). Handles are cffi ``void *``
    (:meth:`pointer`); outputs go to buffers owned by the instance, which keep their
    earlier values when a call fails (check its result). One instance per thread.
    """

    def __init__(self) -> None:
        import pypdfium2.raw as raw
        from cffi import FFI

        ffi = self.ffi = FFI()
        ffi.cdef(_STRUCTS)
        for attribute, (name, signature) in _SIGNATURES.items():
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            setattr(self, attribute, ffi.cast(signature, address))
        self.null = ffi.NULL
        self.box = ffi.new("FS_RECTF *")
        self.matrix = ffi.new("FS_MATRIX *")
        self.origin_x, self.origin_y = ffi.new("double *"), ffi.new("double *")
        self.colour_array = ffi.new("unsigned int[4]")
        self.colour = tuple(self.colour_array + channel for channel in range(4))
        self.name = ffi.new(f"char[{_NAME_BUFFER}]")
        self.flags = ffi.new("int *")
        self.point = (ffi.new("float *"), ffi.new("float *"))
        self.draw_mode = (ffi.new("int *"), ffi.new("int *"))
        self.names: dict[bytes, str] = {}
        from pdfminer.fontmetrics import FONT_METRICS

        self.standard_names = frozenset(FONT_METRICS)
        self.style, self.style_cache = _style_reader(self)

    def pointer(self, handle: Any) -> Any:
        """A pypdfium2 handle (a ctypes pointer) as a cffi ``void *``."""
        return self.ffi.cast("void *", ctypes.cast(handle, ctypes.c_void_p).value)

    def new_matrix(self) -> Any:
        return self.ffi.new("FS_MATRIX *")


_LOCAL = threading.local()


def _calls() -> _Calls:
    calls = getattr(_LOCAL, "calls", None)
    if calls is None:
        calls = _LOCAL.calls = _Calls()
    return calls


def _text(get_unicode: Callable[[Any, int], int], handle: Any, index: int, code: int,
          count: int) -> tuple[str, int]:
    """The character at ``index`` (a surrogate pair joined) and how many indexes it takes
    (``get_unicode``: :class:`_Calls`' ``FPDFText_GetUnicode`` on the text page's address)."""
    if code in _UNMAPPED:
        return "\ufffd", 1
    if 0xD800 <= code < 0xDC00 and index + 1 < count:
        low = get_unicode(handle, index + 1)
        if 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), 2
    if 0xD800 <= code < 0xE000:
        return "\ufffd", 1
    return chr(code), 1


def _graphics(page: Any, left: float, top: float) -> tuple[list[dict[str, Any]], int]:
    """The edges of the visible ruling (pdfplumber's edge dicts) and the image count."""
    api = _calls()
    coordinates: list[float] = []  # x0, x1, top, bottom of each edge, unrounded
    kinds: list[tuple[str, str]] = []  # object type and orientation of each edge
    counts = [0]
    for obj, matrix in _paths(api, api.pointer(page.raw), False, _IDENTITY, 0, counts):
        if _visible(api, obj):
            for points in _subpaths(api, obj, matrix, left, top):
                _add_edges(points, coordinates, kinds)
    return _edge_dicts(coordinates, kinds), counts[0]


def _paths(api: _Calls, parent: Any, in_form: bool, matrix: Matrix, depth: int,
           images: list[int]) -> Iterator[tuple[Any, Matrix]]:
    """Every path object (its address) with its matrix to page space, descending into
    form XObjects; images are counted in ``images[0]``. Other objects (text: often one
    object per glyph) cost one type query each."""
    import pypdfium2.raw as raw

    count, get = ((api.form_count, api.form_object) if in_form
                  else (api.page_count, api.page_object))
    get_type = api.object_type
    path_kind, form_kind = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    image_kind = raw.FPDF_PAGEOBJ_IMAGE
    own = api.new_matrix()
    for index in range(count(parent)):
        obj = get(parent, index)
        kind = get_type(obj)
        if kind == image_kind:
            images[0] += 1
        if kind != path_kind and kind != form_kind:
            continue
        api.object_matrix(obj, own)
        combined = _multiply((own.a, own.b, own.c, own.d, own.e, own.f), matrix)
        if kind == form_kind:
            if depth < _MAX_FORM_DEPTH:
                yield from _paths(api, obj, True, combined, depth + 1, images)
        else:
            yield obj, combined


def _multiply(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second`` (row-vector convention, as PDF writes matrices)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _visible(api: _Calls, obj: Any) -> bool:
    """Stroked or filled in a colour other than white (pdfplumber engine's rule)."""
    fill_mode, stroke = api.draw_mode
    if not api.path_draw_mode(obj, fill_mode, stroke):
        return False
    colour = api.colour
    red, green, blue, _ = colour
    if stroke[0] and api.stroke_color(obj, *colour) and min(red[0], green[0], blue[0]) < _WHITE:
        return True
    return bool(fill_mode[0]) and bool(api.fill_color_object(obj, *colour)) \
        and min(red[0], green[0], blue[0]) < _WHITE


def _subpaths(api: _Calls, obj: Any, matrix: Matrix, left: float,
              top: float) -> list[list[tuple[float, float]]]:
    """The path's subpaths as point lists on the page, top-left origin (``left``, ``top``:
    the crop box's corner), a closed one repeating its start."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    x, y = api.point
    moveto = raw.FPDF_SEGMENT_MOVETO
    get_segment, get_point = api.segment, api.segment_point
    get_type, get_close = api.segment_type, api.segment_close
    subpaths: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index in range(api.count_segments(obj)):
        segment = get_segment(obj, index)
        get_point(segment, x, y)
        px, py = x[0], y[0]
        point = (a * px + c * py + e - left, top - (b * px + d * py + f))
        if get_type(segment) == moveto:
            if len(current) > 1:
                subpaths.append(current)
            current = [point]
        else:
            current.append(point)
        if get_close(segment) and current and current[-1] != current[0]:
            current.append(current[0])
    if len(current) > 1:
        subpaths.append(current)
    return subpaths


def _add_edges(points: list[tuple[float, float]], coordinates: list[float],
               kinds: list[tuple[str, str]]) -> None:
    """pdfplumber's edges of one subpath (``points`` top-left, y downwards), appended
    as ``x0, x1, top, bottom`` to ``coordinates`` and object type and orientation to
    ``kinds``."""
    if len(points) == 2:  # a line: pdfplumber calls it horizontal only when flat
        (x0, y0), (x1, y1) = points
        coordinates.extend((x0, x1, y0, y1) if x0 <= x1 else (x1, x0, y0, y1))
        if y0 > y1:
            coordinates[-2], coordinates[-1] = y1, y0
        kinds.append(("line", "h" if abs(y0 - y1) < _AXIS_EPSILON else "v"))
        return
    kind = "rect" if _is_rect(points) else "curve"
    x0, y0 = points[0]
    for x1, y1 in points[1:]:
        flat_x, flat_y = abs(x0 - x1) < _AXIS_EPSILON, abs(y0 - y1) < _AXIS_EPSILON
        if flat_x != flat_y:
            coordinates.extend((x0 if x0 <= x1 else x1, x1 if x0 <= x1 else x0,
                                y0 if y0 <= y1 else y1, y1 if y0 <= y1 else y0))
            kinds.append((kind, "v" if flat_x else "h"))
        x0, y0 = x1, y1


def _is_rect(points: list[tuple[float, float]]) -> bool:
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) != 4:
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners
    xs, ys = {x0, x1, x2, x3}, {y0, y1, y2, y3}
    if len(xs) == 2 and len(ys) == 2:  # two values each, so far apart that rounding
        left, right = xs                # to 0.001 cannot join them: the answer below
        top, bottom = ys
        if abs(left - right) > _RECT_APART and abs(top - bottom) > _RECT_APART:
            return True
    xs = {round(x, 3) for x, _ in corners}
    ys = {round(y, 3) for _, y in corners}
    return len(xs) == 2 and len(ys) == 2


def _edge_dicts(coordinates: list[float], kinds: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Edge dicts, rounded as :func:`._plumber.rounded_edges` rounds (in bulk)."""
    values = rounded_values(coordinates, EDGE_DECIMALS)
    return [{"object_type": kind, "orientation": orientation, "x0": left, "x1": right,
             "top": upper, "bottom": lower, "doctop": upper, "width": right - left,
             "height": lower - upper}
            for (kind, orientation), left, right, upper, lower
            in zip(kinds, values[0::4], values[1::4], values[2::4], values[3::4], strict=True)]


def _tables(edges: list[dict[str, Any]], width: float, height: float) -> list[PdfTableGrid]:
    if not edges:
        return []
    return table_grids(edges, (0.0, 0.0, width, height), 0.0, 0.0, rounded=True)


def _title(pdf: Any) -> str | None:
    try:
        title = pdf.get_metadata_value("Title")
    except Exception:
        return None
    title = title.strip().strip("\x00") if isinstance(title, str) else ""
    return title or None


def _describe_error(exc: Exception) -> str:
    import pypdfium2.raw as raw

    code = getattr(exc, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "encrypted PDF: a password is required to open it"
    if code == raw.FPDF_ERR_SECURITY:
        return "encrypted PDF with an unsupported protection"
    if code == raw.FPDF_ERR_FORMAT:
        return "truncated or corrupt PDF, or not a PDF (PDFium could not parse it)"
    if code == raw.FPDF_ERR_FILE:
        return "cannot read file"
    return f"corrupt or not a PDF: {exc}"
