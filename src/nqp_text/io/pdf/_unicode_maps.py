"""pdfminer's Unicode for the glyphs PDFium cannot map, read from the fonts themselves.

Where PDFium reports a Unicode map error for a glyph (``FPDFText_HasUnicodeMapError``)
it returns the glyph's character code in place of the character. Such fonts are
not always broken: the FLEX white paper's ``SimSun`` (a ``Type0`` font, ``Identity-H``)
has a complete ``ToUnicode`` map of plain single-code ranges (``<1ba0><1ba0><6570>``,
数), and pdfminer reads all of it, yet PDFium gives ``U+1BA0`` and the map error for
a third of its glyphs. :class:`UnicodeMaps` asks pdfminer, the reference engine's
parser, what it makes of such a code: the page's font of that name (in the page's
resources or a form XObject's), built by pdfminer's own font classes, and its
``to_unichr`` on the code's CID, so the text is the pdfplumber engine's by
construction.

Only ``Type0`` fonts with an ``Identity`` CMap are answered (the code is the CID).
A page with such glyphs is read by PDFium only when its other glyphs' texts are
pdfminer's as far as their fonts tell (:meth:`UnicodeMaps.checkable`); for
anything else (a simple font with a ``ToUnicode`` map on
the page, another CMap, no font of that name on the page, two such fonts that
disagree, a code pdfminer cannot map either) the answer is ``None`` and the pdfium
engine reads the page with the pdfplumber engine, as before.
pdfminer opens the file only when a page first needs it.

Example:
    >>> maps = UnicodeMaps("report.pdf")
    >>> maps.text(4, "YTESLC+SimSun", 0x1BA0)  # doctest: +SKIP
    '数'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["UnicodeMaps"]

_MAX_FORM_DEPTH = 8


class UnicodeMaps:
    """pdfminer's text for character codes of one PDF's fonts, by page and font name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: Any = None
        self._pages: list[Any] = []
        self._page_iter: Iterator[Any] | None = None
        self._manager: Any = None
        self._fonts: dict[int, dict[str, list[Any]]] = {}  # page number -> name -> fonts
        self._failed = False
        self._verdicts: dict[tuple[int, str], bool | frozenset[str]] = {}

    def text(self, page_number: int, fontname: str, code: int) -> str | None:
        """pdfminer's text for ``code`` in the font called ``fontname`` on the page, or
        ``None`` when it cannot be told without reading the page with pdfminer."""
        if self._failed:
            return None
        try:
            fonts = self._page_fonts(page_number).get(fontname)
        except Exception:  # pdfminer cannot parse what PDFium did: the page falls back
            self._failed = True
            return None
        if not fonts:
            return None
        answers = {_unichr(font, code) for font in fonts}
        if len(answers) != 1:
            return None
        return answers.pop()

    def checkable(self, page_number: int, glyphs: Iterable[tuple[str, str]]) -> bool:
        """Whether PDFium's text of the page's other glyphs (``glyphs``: font name and
        text, as PDFium gave them) is pdfminer's too, as far as the fonts tell.

        PDFium may leave out a font's subset prefix (``CambriaMath`` for
        ``JWLWGQ+CambriaMath``). Where its reading of a ``ToUnicode`` map misses a code
        that pdfminer reads, PDFium falls back silently: to the encoding for a simple font
        (the white paper's ``CambriaMath`` came out ``à`` for pdfminer's ``ˆ``), to the
        Adobe CID-to-Unicode map for a ``Type0`` font of a registered collection (GB1
        ...). So every font must be an ``Identity`` ``Type0`` font (a missed code is a map
        error, answered by :meth:`text`), a simple font without ``ToUnicode`` (both use
        the encoding), or a simple font with ``ToUnicode`` whose glyphs' texts are all
        values of that map as pdfminer reads it (a fallback to the encoding gives a
        character the map does not have; one that the map also has for another code
        would pass unnoticed).
        """
        return all(self.accepts(page_number, fontname, text) for fontname, text in glyphs)

    def accepts(self, page_number: int, fontname: str, text: str) -> bool:
        """:meth:`checkable` for one glyph (the verdict on each font is remembered, so the
        pdfium engine asks it glyph by glyph and stops at the first refusal)."""
        verdict = self._verdicts.get((page_number, fontname))
        if verdict is None:
            verdict = self._verdicts[(page_number, fontname)] = self._verdict(
                page_number, fontname)
        return verdict if isinstance(verdict, bool) else text in verdict

    def _verdict(self, page_number: int, fontname: str) -> bool | frozenset[str]:
        """True when PDFium maps every glyph of the font(s) called ``fontname`` on the page
        as pdfminer does, False when that cannot be told, else the texts it may give."""
        if self._failed:
            return False
        try:
            fonts = self._page_fonts(page_number)
        except Exception:
            self._failed = True
            return False
        group = fonts.get(fontname) or fonts.get(_unprefixed(fontname))
        if not group:
            return False
        allowed: frozenset[str] | None = None
        for font in group:
            verdict = _font_verdict(font)
            if verdict is False:
                return False
            if verdict is not True:
                allowed = verdict if allowed is None else allowed & verdict
        return True if allowed is None else allowed

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _page_fonts(self, page_number: int) -> dict[str, list[Any]]:
        fonts = self._fonts.get(page_number)
        if fonts is None:
            fonts = self._fonts[page_number] = self._collect(self._page(page_number))
        return fonts

    def _page(self, page_number: int) -> Any:
        if self._page_iter is None:
            from pdfminer.pdfdocument import PDFDocument
            from pdfminer.pdfinterp import PDFResourceManager
            from pdfminer.pdfpage import PDFPage
            from pdfminer.pdfparser import PDFParser

            self._file = open(self.path, "rb")  # noqa: SIM115 - closed by close()
            document = PDFDocument(PDFParser(self._file))
            self._page_iter = PDFPage.create_pages(document)
            self._manager = PDFResourceManager()
        while len(self._pages) < page_number:
            self._pages.append(next(self._page_iter))
        return self._pages[page_number - 1]

    def _collect(self, page: Any) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        seen: set[int] = set()
        for ref, spec in _font_specs(page.resources, 0):
            objid = getattr(ref, "objid", None)
            key = objid if objid is not None else id(spec)
            if key in seen:
                continue
            seen.add(key)
            font = self._manager.get_font(objid, spec)
            name = getattr(font, "fontname", None)
            if isinstance(name, str):
                found.setdefault(name, []).append(font)
                if _unprefixed(name) != name:
                    found.setdefault(_unprefixed(name), []).append(font)
        return found


def _font_specs(resources: Any, depth: int) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Every font dictionary (with its reference) of ``resources``, and of the
    resources of its form XObjects."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for ref in fonts.values():
            spec = resolve1(ref)
            if isinstance(spec, dict):
                yield ref, spec
    if depth >= _MAX_FORM_DEPTH:
        return
    objects = resolve1(resources.get("XObject"))
    if isinstance(objects, dict):
        for ref in objects.values():
            stream = resolve1(ref)
            if isinstance(stream, PDFStream) and stream.get("Subtype") is LIT("Form"):
                yield from _font_specs(stream.get("Resources"), depth + 1)


def _unprefixed(name: str) -> str:
    """``name`` without a subset prefix (``ABCDEF+``)."""
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else name


def _font_verdict(font: Any) -> bool | frozenset[str]:
    """Whether PDFium's texts of glyphs of ``font`` are what pdfminer reads (see
    :meth:`UnicodeMaps.checkable`): True, False, or the texts that are."""
    from pdfminer.cmapdb import IdentityCMap
    from pdfminer.pdffont import PDFCIDFont

    if isinstance(font, PDFCIDFont):
        return isinstance(font.cmap, IdentityCMap) and \
            str(font.cidcoding).endswith("-Identity")
    unicode_map = getattr(font, "unicode_map", None)
    if unicode_map is None:
        return True
    values = getattr(unicode_map, "cid2unichr", None)
    if not isinstance(values, dict):
        return False
    return frozenset(values.values())


def _unichr(font: Any, code: int) -> str | None:
    """pdfminer's text for ``code`` in a ``Type0`` font with an ``Identity`` CMap (the
    code is the CID), else ``None``. For simple fonts PDFium's value is not always the
    code (the white paper's math fonts: ``U+00E0`` for pdfminer's ``ˆ``)."""
    from pdfminer.cmapdb import IdentityCMap
    from pdfminer.pdffont import PDFCIDFont, PDFUnicodeNotDefined

    if not (isinstance(font, PDFCIDFont) and isinstance(font.cmap, IdentityCMap)):
        return None
    try:
        return font.to_unichr(code)
    except (PDFUnicodeNotDefined, KeyError, ValueError, OverflowError):
        return None
