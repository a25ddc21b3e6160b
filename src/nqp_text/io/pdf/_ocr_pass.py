"""The OCR pass of :func:`~nqp_text.io.pdf.read_pdf`: pages without a readable text
layer read again by an OCR engine, and what it did (pages, confidence, warnings).

An OCR page keeps the text layer's ruled table grids and image count; a page OCR
cannot read keeps its text layer, with a warning; without the OCR extra nothing is
replaced and a warning says how to install it.

Example:
    >>> report = OcrReport(pages=[3, 4])
    >>> ocr_advice(report), page_list(list(range(1, 25)), limit=3)
    ('OCR found no text on pages 3, 4', '1, 2, 3 ... (+21)')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from nqp_text.io.pdf._engine import PdfEngine, PdfPage
from nqp_text.io.pdf._ocr import RapidOcrEngine, ocr_unavailable_reason

__all__ = ["OcrReport", "read_by_ocr", "ocr_advice", "page_list", "LOW_OCR_CONFIDENCE"]

#: Mean OCR confidence under which a warning is recorded.
LOW_OCR_CONFIDENCE = 0.85


@dataclass
class OcrReport:
    """What OCR did to one document."""

    pages: list[int] = field(default_factory=list)
    confidence: float | None = None
    warnings: list[str] = field(default_factory=list)
    unavailable: str | None = None



def read_by_ocr(path: Path, extracted: list[PdfPage], wanted: list[int],
                 engine: PdfEngine | None) -> tuple[list[PdfPage], OcrReport]:
    """``extracted`` with the ``wanted`` pages replaced by their OCR reading.

    An OCR page keeps the text layer's ruled table grids and image count. A page
    OCR cannot read keeps its text layer, with a warning; without the OCR extra
    nothing is replaced and a warning says how to install it.
    """
    report = OcrReport()
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
                               f"{page_list(failed)} (first error: {first_error})")
    if report.confidence is not None and report.confidence < LOW_OCR_CONFIDENCE:
        report.warnings.append(f"low OCR confidence ({report.confidence:.2f}) on pages "
                               f"{page_list(report.pages)}")
    pages = [dataclasses.replace(replaced[page.number], tables=page.tables,
                                 n_images=page.n_images) if page.number in replaced else page
             for page in extracted]
    return pages, report


def ocr_advice(report: OcrReport) -> str:
    if report.unavailable:
        return f"OCR needed: {report.unavailable}"
    if report.pages:
        return f"OCR found no text on pages {page_list(report.pages)}"
    return "OCR needed: read it with ocr='auto' (--ocr auto)"



def page_list(numbers: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" ... (+{len(numbers) - limit})" if len(numbers) > limit else "")
