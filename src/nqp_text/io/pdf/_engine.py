"""The PDF engine interface: what an engine must deliver so the cleaning rules can run.

An engine only extracts geometry: per page its size, its characters with their
boxes, the table grids it found and how many images it holds. Everything that
turns that into text (reading order, furniture removal, paragraphs, spaces,
table cell text) lives in the cleaning modules, so engines can be added without
touching them: :mod:`._plumber` (the reference), :mod:`._pdfium` (PDFium, the
same output 2-3x faster) and :mod:`._ocr` (pages rendered and recognised by OCR).

Coordinates are PDF points with the origin at the top-left corner of the page:
``x0 < x1`` left to right, ``top < bottom`` top to bottom.

Example:
    >>> from nqp_text.io.pdf import get_engine
    >>> engine = get_engine("pdfplumber")
    >>> with engine.open("report.pdf") as source:  # doctest: +SKIP
    ...     first = source.page(1)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar, runtime_checkable

from nqp_text.io.errors import ReaderError

__all__ = [
    "PdfChar", "PdfTableGrid", "PdfPage", "PdfSource", "PdfEngine", "BBox",
    "ClosingSource", "checked_pdf_path", "chars_from_fields",
]

_Source = TypeVar("_Source", bound="ClosingSource")

#: ``(x0, top, x1, bottom)`` in points, origin top-left.
BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PdfChar:
    """One glyph: its text (usually one character) and its box.

    ``upright`` is False for rotated glyphs (vertical or diagonal text);
    ``size`` is the font size in points; ``white`` is True when the glyph is
    painted in white (visible only on a dark background, or hidden).
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True
    fontname: str = ""
    white: bool = False


#: Each field's slot setter: a frozen dataclass's ``__init__`` sets every field through
#: ``object.__setattr__`` (about 2.7 µs a glyph, a tenth of ``read_pdf``'s time with
#: the pdfium engine on the shared PDFs); the slots' own setters take half that.
_CHAR_SETTERS = tuple(PdfChar.__dict__[f.name].__set__ for f in fields(PdfChar))


def chars_from_fields(rows: Iterable[tuple[str, float, float, float, float, float, bool, str,
                                           bool]]) -> list[PdfChar]:
    """:class:`PdfChar` objects from tuples of all their fields in declaration order,
    equal to ``[PdfChar(*row) for row in rows]`` and made in half the time (engines
    make one per glyph).

    Example:
        >>> row = ("政", 0.0, 0.0, 10.0, 10.0, 10.0, True, "SimSun", False)
        >>> chars_from_fields([row]) == [PdfChar(*row)]
        True
    """
    new, cls = object.__new__, PdfChar
    (set_text, set_x0, set_top, set_x1, set_bottom, set_size, set_upright, set_fontname,
     set_white) = _CHAR_SETTERS
    chars: list[PdfChar] = []
    add = chars.append
    for text, x0, top, x1, bottom, size, upright, fontname, white in rows:
        char = new(cls)
        set_text(char, text)
        set_x0(char, x0)
        set_top(char, top)
        set_x1(char, x1)
        set_bottom(char, bottom)
        set_size(char, size)
        set_upright(char, upright)
        set_fontname(char, fontname)
        set_white(char, white)
        add(char)
    return chars


@dataclass(frozen=True, slots=True)
class PdfTableGrid:
    """A table found by the engine: its box and its cell boxes row by row.

    A cell is ``None`` where a merged cell covers the grid position.
    """

    bbox: BBox
    rows: list[list[BBox | None]]


@dataclass(slots=True)
class PdfPage:
    """What an engine extracts from one page (``number`` is 1-based).

    ``ocr_confidence`` is set by OCR engines only: the mean recognition score of
    the page's characters (``None`` for a page read from its text layer).
    """

    number: int
    width: float
    height: float
    chars: list[PdfChar] = field(default_factory=list)
    tables: list[PdfTableGrid] = field(default_factory=list)
    n_images: int = 0
    ocr_confidence: float | None = None


@runtime_checkable
class PdfSource(Protocol):
    """An open PDF: page count, decoded title and pages on demand; a context manager."""

    n_pages: int
    title: str | None

    def page(self, number: int) -> PdfPage:
        """Extract page ``number`` (1-based)."""
        ...

    def close(self) -> None:
        """Release the file and any cached parse state."""
        ...

    def __enter__(self) -> PdfSource: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class PdfEngine(Protocol):
    """Opens PDFs. ``open`` raises :class:`nqp_text.io.errors.ReaderError` for
    encrypted, corrupt or truncated files, naming the file and the reason."""

    name: str

    def open(self, path: str | Path) -> PdfSource:
        """Open ``path`` and return a :class:`PdfSource`."""
        ...


def checked_pdf_path(path: str | os.PathLike[str]) -> Path:
    """``path`` after the checks every engine makes before parsing: the file can be
    read and is not empty; :class:`ReaderError` naming the file otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReaderError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise ReaderError(path, "empty file (0 bytes)")
    return path


class ClosingSource:
    """``with`` support for an engine's source: leaving the block calls ``close()``."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Source) -> _Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
