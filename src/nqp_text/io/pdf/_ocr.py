"""The OCR engine: a page rendered with PDFium, its lines recognised by RapidOCR.

The engine fills the same :class:`~._engine.PdfPage` objects as the text
engines, one :class:`~._engine.PdfChar` per recognised character with its box
in points, so the cleaning rules (page numbers, running headers, columns,
paragraphs, spaces) treat an OCR'd page like any other. A character's box is
the one RapidOCR derives from the recogniser's alignment; its top and bottom
are those of its line, and its ``size`` is the line's height, which on printed
Chinese is close to the font size. Detected line heights jitter by about ±10%
from line to line, which the paragraph rules would take for font changes, so a
line within :data:`SIZE_SNAP` of the page's usual line height gets that height
(headings in a larger type keep their own). A line whose box is tilted by more
than :data:`MAX_TILT` (a diagonal watermark, a vertical label) gives characters
with ``upright=False``, which the reader leaves out and counts as rotated, as it
does for rotated glyphs of a text layer. ``PdfPage.ocr_confidence`` is the mean
recognition score of the page's upright characters.

Models: RapidOCR (``rapidocr`` on PyPI, Apache-2.0) ships the PP-OCRv6 small
detection and recognition models inside its wheel and runs them on onnxruntime
on the CPU. The engine points RapidOCR at those shipped files and refuses to
start when they are missing, so it never downloads a model. It needs the
``ocr`` extra: ``pip install "nqp-text[ocr]"``.

Example:
    >>> engine = RapidOcrEngine(dpi=200)
    >>> with engine.open("scan.pdf") as source:  # doctest: +SKIP
    ...     page = source.page(1)
    >>> engine.describe()["dpi"]
    200
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import os
import unicodedata
from pathlib import Path
from typing import Any

from nqp_text.errors import DependencyError, OptionError
from nqp_text.io.errors import ReaderError
from nqp_text.io.pdf._engine import ClosingSource, PdfChar, PdfPage, checked_pdf_path

__all__ = ["RapidOcrEngine", "OCR_MODES", "OCR_INSTALL_HINT", "check_ocr_mode",
           "ocr_unavailable_reason", "character_error_rate"]

#: ``read_pdf(ocr=...)``: OCR no page, the pages without a readable text layer, every page.
OCR_MODES = ("never", "auto", "always")
#: What to run to get the OCR engine.
OCR_INSTALL_HINT = 'pip install "nqp-text[ocr]"'
#: Resolution pages are rendered at (dots per inch): 200 keeps 5-point footnotes legible.
DEFAULT_DPI = 200
#: The model files of the rapidocr wheel this engine uses (``rapidocr/models/``).
_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
           "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
#: Longest image side RapidOCR may work on before it shrinks the page (its default, 2000,
#: would shrink an A4 page at 200 dpi).
_MAX_SIDE = 4096
_POINTS_PER_INCH = 72.0
#: Line heights within this share of the page's usual line height are taken as equal.
SIZE_SNAP = 0.2
#: Slope (rise over run of the box's top edge) above which a line counts as rotated.
MAX_TILT = 0.08


def check_ocr_mode(mode: str) -> str:
    """Return ``mode`` or raise ``ValueError`` naming the modes.

    Example:
        >>> check_ocr_mode("auto")
        'auto'
    """
    if mode not in OCR_MODES:
        raise OptionError(f"unknown OCR mode {mode!r}; choose one of {', '.join(OCR_MODES)}")
    return mode


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over the reference length, on text compared as read.

    Both sides are folded first: whitespace and line breaks are dropped (spaces
    and paragraph breaks are layout decisions, not recognition) and NFKC maps
    width variants together (full-width ``（，：`` and half-width ``(,:`` count as
    the same character). Needs ``rapidfuzz`` (in the ``ocr`` extra).

    Example:
        >>> character_error_rate("新质生产力，发展", "新质生产力,发晨")
        0.125
    """
    from rapidfuzz.distance import Levenshtein

    ref, hyp = _fold(reference), _fold(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def ocr_unavailable_reason() -> str | None:
    """``None`` when the OCR engine can run here, else why not and how to install it."""
    try:
        _model_dir()
    except (ImportError, FileNotFoundError) as exc:
        return str(exc)
    return None


class RapidOcrEngine:
    """Engine that reads pages by OCR (RapidOCR on onnxruntime), rendered at ``dpi``.

    No work happens in ``__init__``; the recogniser is loaded once per process on
    the first page and reused. ``describe()`` names what its output depends on
    (engine and library versions, model files, resolution) for cache keys.
    """

    name = "rapidocr"

    def __init__(self, dpi: int = DEFAULT_DPI) -> None:
        self.dpi = dpi

    def describe(self) -> dict[str, Any]:
        """What the output depends on: the cache key part of an OCR reading."""
        return {"engine": self.name, "rapidocr": _version("rapidocr"),
                "onnxruntime": _version("onnxruntime"), "models": sorted(_MODELS.values()),
                "dpi": self.dpi}

    def open(self, path: str | os.PathLike[str]) -> _OcrSource:
        """Open ``path`` for rendering; :class:`ReaderError` for unreadable files."""
        import pypdfium2 as pdfium

        from nqp_text.io.pdf._pdfium import _describe_error, _title

        path = checked_pdf_path(path)
        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise ReaderError(path, _describe_error(exc)) from exc
        return _OcrSource(pdf, len(pdf), _title(pdf), self.dpi)


class _OcrSource(ClosingSource):
    def __init__(self, pdf: Any, n_pages: int, title: str | None, dpi: int) -> None:
        self._pdf = pdf
        self.n_pages = n_pages
        self.title = title
        self._scale = dpi / _POINTS_PER_INCH

    def page(self, number: int) -> PdfPage:
        import pypdfium2.raw as raw

        page = self._pdf[number - 1]
        try:
            width, height = page.get_size()
            n_images = sum(1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
            bitmap = page.render(scale=self._scale, rotation=0)
            image = bitmap.to_numpy()
        finally:
            page.close()
        chars, confidence = _recognise(image, self._scale)
        return PdfPage(number=number, width=float(width), height=float(height), chars=chars,
                       n_images=n_images, ocr_confidence=confidence)

    def close(self) -> None:
        self._pdf.close()


def _recognise(image: Any, scale: float) -> tuple[list[PdfChar], float | None]:
    """The characters RapidOCR finds in ``image``, boxes in points; their mean score."""
    result = _recogniser()(image, return_word_box=True, return_single_char_box=True)
    if result.txts is None or result.boxes is None:
        return [], None
    lines: list[list[PdfChar]] = []
    rotated: list[PdfChar] = []
    scores: list[float] = []
    for box, text, score, words in zip(result.boxes, result.txts, result.scores,
                                       result.word_results, strict=False):
        xs = [float(x) / scale for x, _ in box]
        ys = [float(y) / scale for _, y in box]
        line = _line_chars(text, words, (min(xs), min(ys), max(xs), max(ys)), scale)
        if not line:
            continue
        if _tilted(xs, ys):
            rotated.extend(dataclasses.replace(char, upright=False) for char in line)
            continue
        lines.append(line)
        scores.extend([float(score)] * len(line))
    chars = _snap_sizes(lines) + rotated
    return chars, (sum(scores) / len(scores) if scores else None)


def _tilted(xs: list[float], ys: list[float]) -> bool:
    """The box's top edge (first to second corner) rises more than :data:`MAX_TILT`."""
    run, rise = xs[1] - xs[0], ys[1] - ys[0]
    return run <= 0 or abs(rise) > MAX_TILT * run


def _snap_sizes(lines: list[list[PdfChar]]) -> list[PdfChar]:
    """The characters, with line sizes near the page's usual one (by characters) set to it."""
    if not lines:
        return []
    heights = sorted((line[0].size, len(line)) for line in lines)
    half, seen, usual = sum(n for _, n in heights) / 2, 0, heights[-1][0]
    for height, n in heights:
        seen += n
        if seen >= half:
            usual = height
            break
    chars = []
    for line in lines:
        if abs(line[0].size - usual) <= SIZE_SNAP * usual:
            line = [dataclasses.replace(char, size=usual) for char in line]
        chars.extend(line)
    return chars


def _line_chars(text: str, words: Any, box: tuple[float, float, float, float],
                scale: float) -> list[PdfChar]:
    """One line's characters: RapidOCR's per-character boxes, or the line cut evenly."""
    x0, top, x1, bottom = box
    size = bottom - top
    placed = []
    for word in words or ():
        word_text, _, points = word
        if not word_text or points is None:
            continue
        xs = [float(x) / scale for x, _ in points]
        placed.append((str(word_text), min(xs), max(xs)))
    if "".join(t for t, _, _ in placed).replace(" ", "") != text.replace(" ", ""):
        visible = [c for c in text if not c.isspace()]
        step = (x1 - x0) / max(len(visible), 1)
        placed = [(c, x0 + i * step, x0 + (i + 1) * step) for i, c in enumerate(visible)]
    chars = []
    for word_text, left, right in placed:
        letters = [c for c in word_text if not c.isspace()]
        step = (right - left) / max(len(letters), 1)
        for index, letter in enumerate(letters):
            chars.append(PdfChar(text=letter, x0=left + index * step, top=top,
                                 x1=left + (index + 1) * step, bottom=bottom, size=size,
                                 fontname="ocr"))
    return chars


@functools.lru_cache(maxsize=1)
def _recogniser() -> Any:
    """RapidOCR on the models shipped in its wheel (loaded once per process)."""
    from rapidocr import RapidOCR

    models = _model_dir()
    params: dict[str, Any] = {
        "Global.log_level": "warning",
        "Global.use_cls": False,  # pages are rendered upright
        "Global.max_side_len": _MAX_SIDE,
    }
    for task, filename in _MODELS.items():
        params[f"{task}.model_path"] = str(models / filename)
    return RapidOCR(params=params)


def _model_dir() -> Path:
    """The folder of RapidOCR's shipped models; ImportError/FileNotFoundError with a hint."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr
    except ImportError as exc:
        raise DependencyError(f"OCR needs the 'ocr' extra ({exc.name or exc} is not installed): "
                              f"{OCR_INSTALL_HINT}") from exc
    folder = Path(rapidocr.__file__).parent / "models"
    missing = [name for name in _MODELS.values() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"the installed rapidocr {_version('rapidocr')} does not ship {', '.join(missing)} "
            f"(this engine never downloads models): {OCR_INSTALL_HINT}")
    return folder


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
