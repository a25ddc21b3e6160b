"""Standard-14 font metrics for the pdfium engine, as pdfminer measures those glyphs.

pdfminer (the pdfplumber engine) measures every glyph of a *simple* font (Type1,
TrueType) whose ``BaseFont`` is one of the standard 14 names or their aliases
(``Arial`` → Helvetica, ``TimesNewRoman,Bold`` → Times-Bold, …) with the Adobe
AFM metrics it ships (``pdfminer.fontmetrics.FONT_METRICS``): the width of the
glyph's character and the font's descent come from there, not from the file's
``/Widths`` and ``/FontDescriptor``, and the glyph's font name is the AFM's
(``Helvetica``). PDFium measures the same glyphs with the file's descriptor or a
substitute font, so boxes differed by 0.03–0.11 pt and one table of a shared
annual report came out grouped differently.

PDFium does not say whether a font is simple or composite (a ``Type0`` font may
be called ``Arial`` too, and pdfminer then uses its ``/W`` widths). Asking
pdfminer costs as much as reading the page with it (it parses whole object
streams to reach one font dictionary), so the pdfium engine takes a font with a
standard name as simple when its program is not embedded (simple fonts name the
standard ones to be replaced by the reader's) and as composite when it is
(an embedded simple font carries a subset prefix, ``ABCDEE+Arial``, which is not
a standard name). An unprefixed embedded simple font with a standard name, or a
non-embedded composite one, would be measured differently from pdfminer; the
shared PDFs have neither (their non-embedded ``Arial`` fonts are TrueType, their
embedded ``Arial`` fonts ``Type0``).

Example:
    >>> metrics = standard_metrics("Arial")
    >>> metrics.fontname, metrics.descent, metrics.widths["1"]
    ('Helvetica', -207.0, 556)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["StandardMetrics", "standard_metrics"]


@dataclass(frozen=True)
class StandardMetrics:
    """A standard font's metrics as pdfminer uses them: font name, descent and widths
    (per character, thousandths of the font size), the width of a missing character."""

    fontname: str
    descent: float
    widths: dict[str, float]
    default_width: float


@cache
def standard_metrics(name: str, embedded: bool = False) -> StandardMetrics | None:
    """The metrics pdfminer uses for the font called ``name`` (its ``BaseFont``), or
    ``None`` when pdfminer measures it from the file (not a standard name, or taken
    for a composite font because its program is ``embedded``)."""
    if embedded:
        return None
    from pdfminer.fontmetrics import FONT_METRICS

    entry: Any = FONT_METRICS.get(name)
    if entry is None:
        return None
    descriptor, widths = entry
    descent = float(descriptor.get("Descent", 0))
    return StandardMetrics(
        fontname=str(descriptor.get("FontName", "unknown")),
        descent=-descent if descent > 0 else descent,  # pdfminer forces it negative
        widths=widths,
        default_width=float(descriptor.get("MissingWidth", 0)),
    )
