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
#: ``--workers auto`` runs in-process below this many bytes of input files:
#: measured on a 2-core machine, two workers were slower than one below about
#: 2 million characters (the 1x government-report corpus, 3.3 MB of JSONL: 37 s
#: with two workers against 28 s with one), and 2 million Chinese characters
#: are about 6 MB of UTF-8 text.
AUTO_WORKERS_MIN_BYTES = 6_000_000

#: Seconds to wait for a Dask scheduler to answer (``--connect-timeout``): an
#: address where nothing listens, or something that is not Dask, fails after this.
DEFAULT_CONNECT_TIMEOUT = 10.0

#: PDF engine used unless another is named: PDFium's characters and ruling, the same
#: output as the ``"pdfplumber"`` engine (the reference, compared on every shared PDF
#: in the tests) in about a third of the time.
DEFAULT_PDF_ENGINE = "pdfium"
#: Names of the PDF engines (:data:`nqp_text.io.pdf.ENGINES`), for the command line.
PDF_ENGINE_NAMES = ("pdfium", "pdfplumber")
