"""``read_pdf``: a PDF to cleaned body text, tables and facts about the file.

The steps, each in its own module so engines and rules can change separately:

1. the engine (:mod:`._engine`; :mod:`._plumber` or :mod:`._pdfium`) extracts
   characters, table grids and image counts per page, with pdfminer's log noise
   captured (:mod:`._logs`); with ``ocr="auto"`` the pages without a readable
   text layer (images and no text, or mostly unreadable glyphs), with
   ``ocr="always"`` all pages, are read again by the OCR engine (:mod:`._ocr`),
   whose characters replace the page's and go through the same steps below;
2. characters are prepared: ``(cid:NNN)`` glyphs become U+FFFD, glyphs of symbol
   fonts (Wingdings ...) become ``•``, rotated and off-page glyphs and white
   glyphs printed over other glyphs (hidden template placeholders) are left out;
   grids that are layout boxes rather than tables are dropped, and the characters
   inside a table go to that table (:mod:`._tables`);
3. characters become fragments (:mod:`._layout`); page numbers and running
   headers/footers are removed across pages (:mod:`._furniture`);
4. each page is split into column regions and lines (:mod:`._layout`), tables
   without ruling lines are taken out (:mod:`._unruled`), and lines are rejoined
   into paragraphs (:mod:`._paragraphs`); paragraphs without a single CJK
   character, ASCII letter or digit (equation glyph debris such as ``#†$``) go.

Example:
    >>> from nqp_text.io.pdf import read_pdf
    >>> doc = read_pdf("report.pdf")  # doctest: +SKIP
    >>> doc.status, doc.n_pages, doc.meta["scanned_pages"]  # doctest: +SKIP
    ('ok', 6, [])
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nqp_text._limits import DEFAULT_PDF_ENGINE
from nqp_text.io._base import ExtractedDocument, ExtractedTable
from nqp_text.io.errors import ReaderError
from nqp_text.io.pdf._engine import PdfChar, PdfEngine, PdfPage, PdfSource, PdfTableGrid
from nqp_text.io.pdf._furniture import FurniturePage, remove_furniture
from nqp_text.io.pdf._layout import Fragment, Line, build_fragments, build_lines, reading_regions
from nqp_text.io.pdf._logs import capture_pdfminer_logs
from nqp_text.io.pdf._ocr import (
    RapidOcrEngine,
    check_ocr_mode,
    ocr_unavailable_reason,
)
from nqp_text.io.pdf._paragraphs import Block, paragraphs_with_pages
from nqp_text.io.pdf._pdfium import PdfiumEngine
from nqp_text.io.pdf._plumber import PdfplumberEngine
from nqp_text.io.pdf._tables import is_layout_box, split_table_chars, table_rows
from nqp_text.io.pdf._unruled import split_unruled
from nqp_text.preprocess.normalize import normalize_text, unreadable_share

__all__ = ["read_pdf", "get_engine", "check_engine_name", "ENGINES"]

#: Engine name -> engine class. Add an engine here to make it selectable by name.
ENGINES: dict[str, type] = {"pdfplumber": PdfplumberEngine, "pdfium": PdfiumEngine}

#: A page with fewer visible characters than this and at least one image has no text layer.
MIN_TEXT_CHARS = 10
#: Share of a run of white glyphs overlapping visible glyphs that marks it hidden.
HIDDEN_OVERLAP = 0.3
#: Lines of digits and signs only, in a font this much smaller than the page's body, are
#: chart axes and figure labels; they are left out of the body text.
FIGURE_LABEL_RATIO = 0.75
#: Unreadable share above which a warning is recorded.
UNREADABLE_WARNING = 0.01
#: A page whose glyphs are more than this share unreadable is read by OCR with ``ocr="auto"``.
UNREADABLE_PAGE = 0.5
#: Mean OCR confidence under which a warning is recorded.
LOW_OCR_CONFIDENCE = 0.85

_CID = re.compile(r"^\(cid:\d+\)$")
_SYMBOL_FONT = re.compile(r"wingding|webding|dingbat|symbol", re.IGNORECASE)
_FIGURE_LABEL = re.compile(r"^[\d\s.,%‰+\-−—–/:()（）]+$")
_WORDY = re.compile("[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TEMPLATE_MARKER = re.compile(r"\[Table_[A-Za-z]+\]\s*")
_MIN_CHAR_SIZE = 1.0


def get_engine(engine: str | PdfEngine) -> PdfEngine:
    """Return an engine instance from its name (see :data:`ENGINES`) or pass one through."""
    if not isinstance(engine, str):
        return engine
    check_engine_name(engine)
    return ENGINES[engine]()


def check_engine_name(name: str) -> None:
    """Raise ``ValueError`` naming the known engines unless ``name`` is one of them."""
    if name not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown PDF engine {name!r}; known engines: {known}")


def read_pdf(
    path: str | os.PathLike[str],
    *,
    engine: str | PdfEngine = DEFAULT_PDF_ENGINE,
    to_simplified: bool = False,
    pages: Iterable[int] | None = None,
    ocr: str = "never",
    ocr_engine: PdfEngine | None = None,
) -> ExtractedDocument:
    """Read a PDF into cleaned body text (paragraphs joined by ``"\\n"``) and tables.

    ``pages`` (1-based page numbers) restricts the reading to some pages; header
    and footer detection then sees only those pages. ``to_simplified`` converts
    traditional to simplified characters (needs the ``opencc`` extra).

    ``ocr`` is ``"never"`` (the default), ``"auto"`` (pages with images and no
    text, and pages whose glyphs are mostly unreadable, are read by OCR) or
    ``"always"`` (every page is read by OCR; a page keeps the ruled table grids of
    its text layer). OCR needs the ``ocr`` extra (``pip install "nqp-text[ocr]"``);
    without it the pages stay unread and a warning says how to get it.
    ``ocr_engine`` replaces the default :class:`~._ocr.RapidOcrEngine` (200 dpi).

    ``status`` is ``"ok"``, ``"no_text_layer"`` (not a single character on any page
    read) or ``"empty"`` (characters, but nothing left after cleaning). ``meta``
    holds: ``engine``, ``pdf_title``, ``pages_read``, ``scanned_pages`` (1-based
    pages with images and no text layer), ``failed_pages``, ``n_tables``,
    ``unruled_tables`` (how many of them were found without ruling lines),
    ``unreadable_share`` (of the body text), ``removed_furniture`` (number of
    header/footer/page-number pieces removed), ``removed_figure_labels`` (chart
    axis lines left out), ``removed_symbol_paragraphs`` (paragraphs without a
    single CJK character, ASCII letter or digit, such as equation glyph debris),
    ``rotated_chars`` (left out), ``unreadable_pages`` (pages whose glyphs are
    mostly unreadable), ``ocr_pages`` (pages read by OCR), ``ocr_confidence``
    (their mean recognition score, ``None`` without OCR) and
    ``warnings`` (a list of sentences about real problems). ``ocr_spans`` are
    the ranges of ``text`` that come from OCR'd pages.

    Raises :class:`nqp_text.io.errors.ReaderError` for encrypted, corrupt,
    truncated or unreadable files, and when no page can be parsed.

    Example:
        >>> doc = read_pdf("2024年政府工作报告.pdf")  # doctest: +SKIP
        >>> doc.text.split("\\n")[0]  # doctest: +SKIP
        '政府工作报告'
    """
    path = Path(path)
    check_ocr_mode(ocr)
    pdf_engine = get_engine(engine)
    with capture_pdfminer_logs() as log, pdf_engine.open(path) as source:
        numbers = _page_numbers(pages, source.n_pages, path)
        extracted, failed, first_error = _extract(source, numbers)
        n_pages, title = source.n_pages, source.title
    if not extracted:
        raise ReaderError(path, f"no page could be parsed ({len(failed)} pages failed; "
                                f"first error: {first_error})")
    scanned = [p.number for p in extracted if _visible_chars(p) < MIN_TEXT_CHARS
               and p.n_images > 0]
    unreadable_pages = [p.number for p in extracted if _mostly_unreadable(p)]
    wanted = {"never": [], "auto": sorted(set(scanned) | set(unreadable_pages)),
              "always": [p.number for p in extracted]}[ocr]
    extracted, ocr_report = _read_by_ocr(path, extracted, wanted, ocr_engine)
    layout = _Document()
    prepared = [_prepare(page, layout) for page in extracted]
    n_chars = sum(page.n_chars for page in prepared)
    furniture_pages = [FurniturePage(p.number, p.height, p.fragments) for p in prepared]
    remove_furniture(furniture_pages)
    for page, furniture in zip(prepared, furniture_pages, strict=True):
        page.fragments = furniture.fragments
        layout.removed += len(furniture.removed)
    frames = _frames(prepared)
    blocks = [block for page in prepared
              for block in _blocks(page, frames.get(_size_key(page)), _body_size(page), layout)]
    paragraphs = [(cleaned, numbers) for cleaned, numbers in
                  ((_clean_paragraph(p), numbers) for p, numbers in paragraphs_with_pages(blocks))
                  if cleaned]
    kept = [(text, numbers) for text, numbers in paragraphs if _WORDY.search(text)]
    layout.symbol_paragraphs = len(paragraphs) - len(kept)
    text, ocr_spans = _join(kept, set(ocr_report.pages), to_simplified)
    tables = _tables(prepared, to_simplified)
    share = unreadable_share(text)
    unread = [n for n in scanned if n not in ocr_report.pages]
    warnings = _warnings(unread, failed, first_error, share, layout, prepared,
                         log.warnings()) + ocr_report.warnings
    if n_chars == 0:
        status = "no_text_layer"
    elif not text:
        status = "empty"
    else:
        status = "ok"
    meta = {
        "engine": pdf_engine.name,
        "pdf_title": title,
        "pages_read": len(prepared),
        "scanned_pages": scanned,
        "failed_pages": failed,
        "n_tables": len(tables),
        "unruled_tables": sum(len(page.unruled) for page in prepared),
        "unreadable_share": share,
        "removed_furniture": layout.removed,
        "removed_figure_labels": layout.figure_labels,
        "removed_symbol_paragraphs": layout.symbol_paragraphs,
        "rotated_chars": layout.rotated,
        "unreadable_pages": unreadable_pages,
        "ocr_pages": ocr_report.pages,
        "ocr_confidence": ocr_report.confidence,
        "warnings": warnings,
    }
    error = None
    if status == "no_text_layer":
        error = "no text layer (scanned or image-only PDF; " + _ocr_advice(ocr_report) + ")"
    return ExtractedDocument(text=text, tables=tables, n_pages=n_pages, status=status,
                             error=error, meta=meta, ocr_spans=ocr_spans)


@dataclass
class _OcrReport:
    """What OCR did to one document."""

    pages: list[int] = field(default_factory=list)
    confidence: float | None = None
    warnings: list[str] = field(default_factory=list)
    unavailable: str | None = None


def _visible_chars(page: PdfPage) -> int:
    """The characters :func:`_prepare` keeps before hidden ones go (upright, on the page)."""
    return sum(1 for char in page.chars if char.text.strip() and char.upright
               and char.size >= _MIN_CHAR_SIZE
               and 0 <= (char.x0 + char.x1) / 2 <= page.width
               and 0 <= (char.top + char.bottom) / 2 <= page.height)


def _mostly_unreadable(page: PdfPage) -> bool:
    """At least :data:`MIN_TEXT_CHARS` glyphs, more than :data:`UNREADABLE_PAGE` unreadable."""
    texts = ["\ufffd" if _CID.match(char.text) else char.text for char in page.chars
             if char.text.strip()]
    return len(texts) >= MIN_TEXT_CHARS and unreadable_share("".join(texts)) > UNREADABLE_PAGE


def _read_by_ocr(path: Path, extracted: list[PdfPage], wanted: list[int],
                 engine: PdfEngine | None) -> tuple[list[PdfPage], _OcrReport]:
    """``extracted`` with the ``wanted`` pages replaced by their OCR reading.

    An OCR page keeps the text layer's ruled table grids and image count. A page
    OCR cannot read keeps its text layer, with a warning; without the OCR extra
    nothing is replaced and a warning says how to install it.
    """
    report = _OcrReport()
    if not wanted:
        return extracted, report
    if engine is None:
        report.unavailable = ocr_unavailable_reason()
        if report.unavailable is not None:
            report.warnings.append(f"{len(wanted)} pages need OCR but it is not available "
                                   f"({report.unavailable})")
            return extracted, report
        engine = RapidOcrEngine()
    replaced: dict[int, PdfPage] = {}
    failed: list[int] = []
    first_error = ""
    with engine.open(path) as source:
        for number in wanted:
            try:
                page = source.page(number)
            except (KeyboardInterrupt, MemoryError):
                raise
            except Exception as exc:
                failed.append(number)
                first_error = first_error or f"{type(exc).__name__}: {str(exc).strip()[:200]}"
                continue
            replaced[number] = page
    scores = []
    for page in extracted:
        ocr_page = replaced.get(page.number)
        if ocr_page is None:
            continue
        report.pages.append(page.number)
        scores.extend([ocr_page.ocr_confidence] * len(ocr_page.chars)
                      if ocr_page.ocr_confidence is not None else [])
    report.confidence = round(sum(scores) / len(scores), 4) if scores else None
    if failed:
        report.warnings.append(f"OCR failed on {len(failed)} pages, their text layer is kept: "
                               f"{_page_list(failed)} (first error: {first_error})")
    if report.confidence is not None and report.confidence < LOW_OCR_CONFIDENCE:
        report.warnings.append(f"low OCR confidence ({report.confidence:.2f}) on pages "
                               f"{_page_list(report.pages)}")
    pages = [dataclasses.replace(replaced[page.number], tables=page.tables,
                                 n_images=page.n_images) if page.number in replaced else page
             for page in extracted]
    return pages, report


def _ocr_advice(report: _OcrReport) -> str:
    if report.unavailable:
        return f"OCR needed: {report.unavailable}"
    if report.pages:
        return f"OCR found no text on pages {_page_list(report.pages)}"
    return "OCR needed: read it with ocr='auto' (--ocr auto)"


def _join(paragraphs: list[tuple[str, frozenset[int]]], ocr_pages: set[int],
          to_simplified: bool) -> tuple[str, list[tuple[int, int]]]:
    """The body text and the character ranges of its paragraphs that come from OCR."""
    if not ocr_pages:
        text = "\n".join(text for text, _ in paragraphs)
        return (normalize_text(text, to_simplified=True) if to_simplified else text), []
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    start = 0
    for text, numbers in paragraphs:
        if to_simplified:
            text = normalize_text(text, to_simplified=True)
        if numbers & ocr_pages:
            if spans and spans[-1][1] == start - 1:
                spans[-1] = (spans[-1][0], start + len(text))
            else:
                spans.append((start, start + len(text)))
        parts.append(text)
        start += len(text) + 1
    return "\n".join(parts), spans


@dataclass
class _Document:
    rotated: int = 0
    removed: int = 0
    figure_labels: int = 0
    symbol_paragraphs: int = 0


@dataclass
class _PreparedPage:
    number: int
    width: float
    height: float
    n_chars: int
    n_images: int
    fragments: list[Fragment]
    grids: list[PdfTableGrid]
    table_chars: list[list[PdfChar]] = field(default_factory=list)
    regions: list[list[Fragment]] = field(default_factory=list)
    unruled: list[tuple[float, list[list[str]]]] = field(default_factory=list)


def _page_numbers(pages: Iterable[int] | None, n_pages: int, path: Path) -> list[int]:
    if n_pages == 0:
        raise ReaderError(path, "the PDF has no pages")
    if pages is None:
        return list(range(1, n_pages + 1))
    numbers = sorted(set(int(n) for n in pages))
    if not numbers:
        raise ValueError(f"{path}: no pages selected")
    bad = [n for n in numbers if not 1 <= n <= n_pages]
    if bad:
        raise ValueError(f"{path}: pages {bad} out of range 1..{n_pages}")
    return numbers


def _extract(source: PdfSource, numbers: list[int]
             ) -> tuple[list[PdfPage], list[int], str | None]:
    """Extract the pages; a page the engine cannot parse is skipped and reported."""
    extracted: list[PdfPage] = []
    failed: list[int] = []
    first_error: str | None = None
    for number in numbers:
        try:
            extracted.append(source.page(number))
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:
            failed.append(number)
            if first_error is None:
                message = str(exc).strip()[:200]
                first_error = f"{type(exc).__name__}: {message}" if message else type(
                    exc).__name__
    return extracted, failed, first_error


def _prepare(page: PdfPage, layout: _Document) -> _PreparedPage:
    chars: list[PdfChar] = []
    for char in page.chars:
        if not char.text.strip() or char.size < _MIN_CHAR_SIZE:
            continue
        middle_x, middle_y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        if not (0 <= middle_x <= page.width and 0 <= middle_y <= page.height):
            continue
        if not char.upright:
            layout.rotated += 1
            continue
        chars.append(_fix_glyph(char))
    chars = _drop_hidden(chars)
    grids = [grid for grid in page.tables if not is_layout_box(grid, chars)]
    body, inside = split_table_chars(chars, grids)
    return _PreparedPage(
        number=page.number, width=page.width, height=page.height, n_chars=len(chars),
        n_images=page.n_images, fragments=build_fragments(body) if body else [],
        grids=grids, table_chars=inside,
    )


def _fix_glyph(char: PdfChar) -> PdfChar:
    if _CID.match(char.text):
        return _replace_text(char, "\ufffd")
    if _SYMBOL_FONT.search(char.fontname):
        return _replace_text(char, "•")
    return char


def _replace_text(char: PdfChar, text: str) -> PdfChar:
    return dataclasses.replace(char, text=text)


def _drop_hidden(chars: list[PdfChar]) -> list[PdfChar]:
    """Drop runs of white glyphs printed over other glyphs (hidden template placeholders).

    A run is a stretch of consecutive white glyphs in content order on one row; it goes when
    at least :data:`HIDDEN_OVERLAP` of its glyphs overlap visible glyphs. White
    text on a dark box overlaps nothing and stays.
    """
    if not any(char.white for char in chars):
        return chars
    buckets: dict[int, list[PdfChar]] = {}
    for char in chars:
        if not char.white:
            for key in range(int(char.top // 10), int(char.bottom // 10) + 1):
                buckets.setdefault(key, []).append(char)
    kept: list[PdfChar] = []
    run: list[PdfChar] = []
    for char in [*chars, None]:
        if char is not None and char.white and (not run or _same_run(run[-1], char)):
            run.append(char)
            continue
        if run:
            hidden = sum(any(_overlap(white, other) for other in
                             buckets.get(int(((white.top + white.bottom) / 2) // 10), []))
                         for white in run)
            if hidden < HIDDEN_OVERLAP * len(run):
                kept.extend(run)
            run = []
        if char is not None and char.white:
            run = [char]
        elif char is not None:
            kept.append(char)
    return kept


def _same_run(previous: PdfChar, char: PdfChar) -> bool:
    em = max(previous.size, char.size, 1.0)
    same_row = abs((previous.top + previous.bottom) - (char.top + char.bottom)) / 2 < em / 2
    return same_row and -em <= char.x0 - previous.x1 <= 2 * em


def _overlap(one: PdfChar, other: PdfChar) -> bool:
    width = min(one.x1, other.x1) - max(one.x0, other.x0)
    height = min(one.bottom, other.bottom) - max(one.top, other.top)
    if width <= 0 or height <= 0:
        return False
    smaller = min((one.x1 - one.x0) * (one.bottom - one.top),
                  (other.x1 - other.x0) * (other.bottom - other.top))
    return smaller > 0 and width * height >= 0.3 * smaller


def _size_key(page: _PreparedPage) -> tuple[int, int]:
    return round(page.width), round(page.height)


def _frames(pages: list[_PreparedPage]) -> dict[tuple[int, int], float]:
    """The usual right margin of single-column pages, per page size (90th percentile)."""
    ends: dict[tuple[int, int], list[float]] = {}
    for page in pages:
        page.regions = reading_regions(page.fragments) if page.fragments else []
        if len(page.regions) == 1:
            ends.setdefault(_size_key(page), []).extend(
                line.x1 for line in build_lines(page.regions[0]))
    frames = {}
    for key, values in ends.items():
        values.sort()
        frames[key] = values[min(len(values) - 1, int(0.9 * len(values)))]
    return frames


def _body_size(page: _PreparedPage) -> float:
    """The font size of most characters of the page."""
    sizes: Counter[float] = Counter()
    for fragment in page.fragments:
        sizes[round(fragment.size * 2) / 2] += len(fragment.chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _blocks(page: _PreparedPage, frame_right: float | None, body_size: float,
            layout: _Document) -> list[Block]:
    blocks: list[Block] = []
    single = len(page.regions) == 1
    for region in page.regions:
        lines = []
        for line in build_lines(region):
            if line.size < FIGURE_LABEL_RATIO * body_size and _FIGURE_LABEL.match(line.text):
                layout.figure_labels += 1
                continue
            line.page = page.number
            lines.append(line)
        if not lines:
            continue
        for run, after_table in _split_at_tables(lines, page.grids):
            for index, segment in enumerate(split_unruled(run)):
                if segment.rows is not None:
                    page.unruled.append((segment.lines[0].top, segment.rows))
                    continue
                blocks.append(Block(segment.lines, after_table=after_table or index > 0,
                                    frame_right=frame_right if single else None))
    return blocks


def _split_at_tables(lines: list[Line], grids: list[PdfTableGrid]
                     ) -> list[tuple[list[Line], bool]]:
    runs: list[tuple[list[Line], bool]] = []
    current: list[Line] = []
    after_table = False
    for line in lines:
        if current and any(_table_between(current[-1], line, grid) for grid in grids):
            runs.append((current, after_table))
            current, after_table = [], True
        elif not current and runs == [] and any(grid.bbox[3] <= line.top for grid in grids):
            after_table = any(grid.bbox[3] <= line.top and grid.bbox[0] < line.x1
                              and grid.bbox[2] > line.x0 for grid in grids)
        current.append(line)
    if current:
        runs.append((current, after_table))
    return runs


def _table_between(above: Line, below: Line, grid: PdfTableGrid) -> bool:
    x0, top, x1, bottom = grid.bbox
    overlaps = x0 < max(above.x1, below.x1) and x1 > min(above.x0, below.x0)
    return overlaps and top >= above.bottom - 1 and bottom <= below.top + 1


def _clean_paragraph(text: str) -> str:
    return _TEMPLATE_MARKER.sub("", text).strip()


def _tables(pages: list[_PreparedPage], to_simplified: bool) -> list[ExtractedTable]:
    tables: list[ExtractedTable] = []
    for page in pages:
        found = [(grid.bbox[1], table_rows(grid, chars))
                 for grid, chars in zip(page.grids, page.table_chars, strict=True)]
        for _, rows in sorted(found + page.unruled, key=lambda item: item[0]):
            if to_simplified:
                rows = [[normalize_text(cell, to_simplified=True) for cell in row]
                        for row in rows]
            if rows:
                tables.append(ExtractedTable(page=page.number, table_index=len(tables),
                                             rows=rows))
    return tables


def _warnings(scanned: list[int], failed: list[int], first_error: str | None, share: float,
              layout: _Document, pages: list[_PreparedPage], pdfminer: list[str]) -> list[str]:
    warnings: list[str] = []
    if scanned:
        warnings.append(f"{len(scanned)} of {len(pages)} pages have no text layer "
                        f"(scanned?): {_page_list(scanned)}")
    if failed:
        warnings.append(f"{len(failed)} pages could not be parsed and were skipped: "
                        f"{_page_list(failed)} (first error: {first_error})")
    if share > UNREADABLE_WARNING:
        warnings.append(f"{share:.1%} of the body text is unreadable (glyphs without a "
                        "Unicode mapping, e.g. (cid:NNN))")
    if layout.rotated:
        warnings.append(f"{layout.rotated} rotated characters (vertical or diagonal text) "
                        "left out of the body text")
    return warnings + pdfminer


def _page_list(numbers: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" ... (+{len(numbers) - limit})" if len(numbers) > limit else "")
