"""io stage of nqp_text: read folders of PDF, DOCX, TXT, JSONL and CSV into a corpus.

Names are imported on first use.

Example:
    >>> from nqp_text.io import read_corpus
    >>> read_corpus(["corpora/sample"]).documents["status"].unique()  # doctest: +SKIP
"""

from __future__ import annotations

from nqp_text._lazy import lazy_exports

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "read_corpus": "nqp_text.io.reader",
    "ReadOptions": "nqp_text.io.options",
    "read_document": "nqp_text.io.reader",
    "discover_files": "nqp_text.io.reader",
    "read_pdf": "nqp_text.io.pdf",
    "parse_report_name": "nqp_text.io.report_names",
    "ReaderError": "nqp_text.io.errors",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
