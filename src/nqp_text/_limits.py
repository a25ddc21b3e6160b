"""Defaults of reading that the command line shows without importing the readers.

Kept apart from :mod:`nqp_text.io.reader` and :mod:`nqp_text.preprocess.passages`
(which import pandas) so that ``nqp-text --help`` and argument errors stay fast.

Example:
    >>> from nqp_text._limits import DEFAULT_MAX_PASSAGE, DEFAULT_PDF_ENGINE, DEFAULT_TIMEOUT
    >>> DEFAULT_TIMEOUT, DEFAULT_MAX_PASSAGE, DEFAULT_PDF_ENGINE
    (600.0, 1500, 'pdfium')
"""

from __future__ import annotations

#: Seconds one file may take before its reader is killed (a 300-page annual
#: report takes about a minute with pdfplumber on one core).
DEFAULT_TIMEOUT = 600.0
#: Longest paragraph or sentence passage in characters; longer ones are cut at
#: sentence ends (texts without usable line breaks, scraped pages).
DEFAULT_MAX_PASSAGE = 1500
#: PDF engine used unless another is named: PDFium's characters and ruling, the same
#: output as the ``"pdfplumber"`` engine (the reference, compared on every shared PDF
#: in the tests) in about a third of the time.
DEFAULT_PDF_ENGINE = "pdfium"
#: Names of the PDF engines (:data:`nqp_text.io.pdf.ENGINES`), for the command line.
PDF_ENGINE_NAMES = ("pdfium", "pdfplumber")
