"""Decoding of PDF metadata strings (``/Title`` ...), including non-standard encodings.

The PDF standard allows PDFDocEncoding or UTF-16BE with a ``FE FF`` byte-order
mark. Some producers (WPS, for one) write UTF-16LE with ``FF FE``, or bare UTF-8;
decoding those as PDFDocEncoding gives mojibake such as ``ÿþ?eœ^``.

Example:
    >>> decode_pdf_string(b"\\xff\\xfe" + "年度报告".encode("utf-16-le"))
    '年度报告'
"""

from __future__ import annotations

from typing import Any

__all__ = ["decode_pdf_string"]

_BOMS = ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"))


def decode_pdf_string(raw: Any) -> str | None:
    """Decode a raw metadata value to text; ``None`` when empty or not a string."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bytes):
        text = _decode_bytes(raw)
    else:
        return None
    text = text.replace("\x00", "").strip()
    return text or None


def _decode_bytes(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from pdfminer.utils import decode_text

        return decode_text(raw)
