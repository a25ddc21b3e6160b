"""``read_pdf``: a PDF to cleaned body text, tables and facts about the file.

The steps, each in its own module so engines and rules can change separately:

1. the engine (:mod:`._engine`; :mod:`._plumber` or :mod:`._pdfium`) extracts
   characters, table grids and image counts per page, with pdfminer's log noise
   captured (:mod:`._logs`); with ``ocr="auto"`` the pages without a readable
   text layer (images and no text, or mostly unreadable glyphs), with
   ``ocr="always"`` all pages, are read again by the OCR engine (:mod:`._ocr`,
   :mod:`._ocr_pass`), whose characters replace the page's and go through the same
   steps below;
2. characters are prepared (:mod:`._prepare`): ``(cid:NNN)`` glyphs become U+FFFD,
   glyphs of symbol fonts (Wingdings ...) become ``•``, rotated and off-page glyphs
   and white glyphs printed over other glyphs (hidden template placeholders) are
   left out; grids that are layout boxes rather than tables are dropped, and the
   characters inside a table go to that table (:mod:`._tables`);
3. characters become fragments (:mod:`._layout`); page numbers and running
   headers/footers are removed across pages (:mod:`._furniture`);
4. each page is split into column regions and lines (:mod:`._layout`,
   :mod:`._assemble`), tables without ruling lines are taken out (:mod:`._unruled`),
   and lines are rejoined into paragraphs (:mod:`._paragraphs`); paragraphs without
   a single CJK
   character, ASCII letter or digit (equation glyph debris such as ``#†$``) go.

Example:
    >>> from nqp_text.io.pdf import read_pdf
    >>> doc = read_pdf("report.pdf")  # doctest: +SKIP
    >>> doc.status, doc.n_pages, doc.meta["scanned_pages"]  # doctest: +SKIP
    ('ok', 6, [])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from nqp_text._limits import DEFAULT_PDF_ENGINE
from nqp_text.errors import OptionError
from nqp_text.io._base import ExtractedDocument
from nqp_text.io.errors import ReaderError
from nqp_text.io.pdf._assemble import (
    FIGURE_LABEL_RATIO,
    body_size,
    column_frames,
    page_blocks,
    page_tables,
    size_key,
)
from nqp_text.io.pdf._engine import PdfEngine, PdfPage, PdfSource
from nqp_text.io.pdf._furniture import FurniturePage, remove_furniture
from nqp_text.io.pdf._logs import capture_pdfminer_logs
from nqp_text.io.pdf._ocr import check_ocr_mode
from nqp_text.io.pdf._ocr_pass import LOW_OCR_CONFIDENCE, ocr_advice, page_list, read_by_ocr
from nqp_text.io.pdf._paragraphs import paragraphs_with_pages
from nqp_text.io.pdf._pdfium import PdfiumEngine
from nqp_text.io.pdf._plumber import PdfplumberEngine
from nqp_text.io.pdf._prepare import (
    HIDDEN_OVERLAP,
    MIN_TEXT_CHARS,
    UNREADABLE_PAGE,
    LayoutCounts,
    PreparedPage,
    mostly_unreadable,
    prepare_page,
    visible_chars,
)
from nqp_text.preprocess.normalize import normalize_text, unreadable_share

__all__ = [
    "read_pdf", "get_engine", "check_engine_name", "ENGINES", "MIN_TEXT_CHARS",
    "HIDDEN_OVERLAP", "FIGURE_LABEL_RATIO", "UNREADABLE_WARNING", "UNREADABLE_PAGE",
    "LOW_OCR_CONFIDENCE",
]

#: Engine name -> engine class. Add an engine here to make it selectable by name.
ENGINES: dict[str, type] = {"pdfplumber": PdfplumberEngine, "pdfium": PdfiumEngine}

#: Unreadable share above which a warning is recorded.
UNREADABLE_WARNING = 0.01

_WORDY = re.compile("[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TEMPLATE_MARKER = re.compile(r"\[Table_[A-Za-z]+\]\s*")


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
        raise OptionError(f"unknown PDF engine {name!r}; known engines: {known}")


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
    ``rotated_chars`` (left out), ``superscript_markers`` (footnote numbers printed
    as small raised digits after a word, kept as ``¹``…), ``unreadable_pages``
    (pages whose glyphs are mostly unreadable), ``ocr_pages`` (pages read by OCR),
    ``ocr_confidence`` (their mean recognition score, ``None`` without OCR) and
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
    scanned = [p.number for p in extracted if visible_chars(p) < MIN_TEXT_CHARS
               and p.n_images > 0]
    unreadable_pages = [p.number for p in extracted if mostly_unreadable(p)]
    wanted = {"never": [], "auto": sorted(set(scanned) | set(unreadable_pages)),
              "always": [p.number for p in extracted]}[ocr]
    extracted, ocr_report = read_by_ocr(path, extracted, wanted, ocr_engine)
    layout = LayoutCounts()
    prepared = [prepare_page(page, layout) for page in extracted]
    n_chars = sum(page.n_chars for page in prepared)
    furniture_pages = [FurniturePage(p.number, p.height, p.fragments) for p in prepared]
    remove_furniture(furniture_pages)
    for page, furniture in zip(prepared, furniture_pages, strict=True):
        page.fragments = furniture.fragments
        layout.removed += len(furniture.removed)
    frames = column_frames(prepared)
    blocks = [block for page in prepared
              for block in page_blocks(page, frames.get(size_key(page)), body_size(page), layout)]
    paragraphs = [(cleaned, numbers) for cleaned, numbers in
                  ((_clean_paragraph(p), numbers) for p, numbers in paragraphs_with_pages(blocks))
                  if cleaned]
    kept = [(text, numbers) for text, numbers in paragraphs if _WORDY.search(text)]
    layout.symbol_paragraphs = len(paragraphs) - len(kept)
    text, ocr_spans = _join(kept, set(ocr_report.pages), to_simplified)
    tables = page_tables(prepared, to_simplified)
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
        "superscript_markers": layout.superscripts,
        "unreadable_pages": unreadable_pages,
        "ocr_pages": ocr_report.pages,
        "ocr_confidence": ocr_report.confidence,
        "warnings": warnings,
    }
    error = None
    if status == "no_text_layer":
        error = "no text layer (scanned or image-only PDF; " + ocr_advice(ocr_report) + ")"
    return ExtractedDocument(text=text, tables=tables, n_pages=n_pages, status=status,
                             error=error, meta=meta, ocr_spans=ocr_spans)


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



def _page_numbers(pages: Iterable[int] | None, n_pages: int, path: Path) -> list[int]:
    if n_pages == 0:
        raise ReaderError(path, "the PDF has no pages")
    if pages is None:
        return list(range(1, n_pages + 1))
    numbers = sorted(set(int(n) for n in pages))
    if not numbers:
        raise OptionError(f"{path}: no pages selected", path=path)
    bad = [n for n in numbers if not 1 <= n <= n_pages]
    if bad:
        raise OptionError(f"{path}: pages {bad} out of range 1..{n_pages}", path=path)
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



def _clean_paragraph(text: str) -> str:
    return _TEMPLATE_MARKER.sub("", text).strip()



def _warnings(scanned: list[int], failed: list[int], first_error: str | None, share: float,
              layout: LayoutCounts, pages: list[PreparedPage], pdfminer: list[str]) -> list[str]:
    warnings: list[str] = []
    if scanned:
        warnings.append(f"{len(scanned)} of {len(pages)} pages have no text layer "
                        f"(scanned?): {page_list(scanned)}")
    if failed:
        warnings.append(f"{len(failed)} pages could not be parsed and were skipped: "
                        f"{page_list(failed)} (first error: {first_error})")
    if share > UNREADABLE_WARNING:
        warnings.append(f"{share:.1%} of the body text is unreadable (glyphs without a "
                        "Unicode mapping, e.g. (cid:NNN))")
    if layout.rotated:
        warnings.append(f"{layout.rotated} rotated characters (vertical or diagonal text) "
                        "left out of the body text")
    return warnings + pdfminer
