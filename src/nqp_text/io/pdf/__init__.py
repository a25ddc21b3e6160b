"""PDF reading: an engine interface, a pdfplumber engine and layout cleaning rules.

Example:
    >>> from nqp_text.io.pdf import read_pdf
    >>> doc = read_pdf("report.pdf", pages=range(1, 11))  # doctest: +SKIP
"""

from __future__ import annotations

from nqp_text.io.pdf._engine import BBox, PdfChar, PdfEngine, PdfPage, PdfSource, PdfTableGrid
from nqp_text.io.pdf._ocr import OCR_MODES, RapidOcrEngine, character_error_rate
from nqp_text.io.pdf._plumber import PdfplumberEngine
from nqp_text.io.pdf.reader import ENGINES, get_engine, read_pdf

__all__ = [
    "read_pdf", "get_engine", "ENGINES", "PdfEngine", "PdfSource", "PdfPage", "PdfChar",
    "PdfTableGrid", "PdfplumberEngine", "BBox", "RapidOcrEngine", "OCR_MODES",
    "character_error_rate",
]
