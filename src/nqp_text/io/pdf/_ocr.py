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

Before recognition, pale colours (a watermark) are faded (:func:`_grey`). After
it, on a page that has a text layer, lines read inside a picture are left out
(:class:`_Pictures`); light lines on a dark ground are marked ``white`` as a
text layer marks white glyphs; a bullet boxed apart joins the line it starts
(:func:`_attach_bullets`); spaces read between Latin words get a gap.

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
#: A page with fewer characters in its text layer has none (``reader.MIN_TEXT_CHARS``).
TEXT_LAYER_CHARS = 10
#: Median grey level (0-255) of a line's box under which its text is light on dark.
_DARK_GROUND = 110
#: A lone symbol box under this share of a line's height, left of that line, is its bullet.
BULLET_HEIGHT = 0.6
#: Gap opened where the recogniser read a space, as a share of the line height.
SPACE_GAP = 0.3
#: A pixel none of whose channels is darker than this (0-255) is a pale colour.
PALE = 128
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
            images = [obj.get_bounds() for obj in
                      page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])]
            pictures = _pictures(page, images, float(height))
            bitmap = page.render(scale=self._scale, rotation=0)
            image = bitmap.to_numpy()
        finally:
            page.close()
        chars, confidence = _recognise(image, self._scale, pictures)
        return PdfPage(number=number, width=float(width), height=float(height), chars=chars,
                       n_images=len(images), ocr_confidence=confidence)

    def close(self) -> None:
        self._pdf.close()


@dataclasses.dataclass(frozen=True)
class _Pictures:
    """Where OCR text is not page text: inside an image with no text layer under it.

    ``boxes`` are the page's image objects and ``points`` the centres of the text
    layer's characters inside them (top-left origin, points). Both are empty on a
    page without a text layer.
    """

    boxes: list[tuple[float, float, float, float]]
    points: list[tuple[float, float]]

    def holds(self, box: tuple[float, float, float, float]) -> bool:
        """The line in ``box`` is text of a picture: its centre is inside an image and
        no character of the text layer lies in it."""
        middle = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        return (any(_inside(image, *middle) for image in self.boxes)
                and not any(_inside(box, *point) for point in self.points))


def _pictures(page: Any, images: list[tuple[float, float, float, float]],
              height: float) -> _Pictures:
    """The page's images, and where its text layer has characters inside them.

    A text layer has no text for figures, charts and logos, so OCR leaves out a
    line it reads inside an image where the text layer has no character: an OCR'd
    page then reads like its text layer. Lines over a background image (a
    watermark under the body text) have text-layer characters under them and
    stay. On a page without a text layer (fewer than :data:`TEXT_LAYER_CHARS`
    characters: a scan) the page image is the text, and nothing is left out.
    """
    if not images:
        return _Pictures([], [])
    textpage = page.get_textpage()
    try:
        centres = []
        for index in range(textpage.count_chars()):
            if textpage.get_text_range(index, 1).strip():
                left, bottom, right, top = textpage.get_charbox(index)
                centres.append(((left + right) / 2, height - (bottom + top) / 2))
    finally:
        textpage.close()
    if len(centres) < TEXT_LAYER_CHARS:
        return _Pictures([], [])
    boxes = [(left, height - top, right, height - bottom) for left, bottom, right, top in images]
    return _Pictures(boxes, [point for point in centres
                             if any(_inside(box, *point) for box in boxes)])


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _white_text(image: Any, box: tuple[int, int, int, int]) -> bool:
    """The line in ``box`` (pixels) is printed light on a dark ground (a banner).

    Text covers a minority of its line's box, so the box's median grey level is
    that of the ground: dark under white text.
    """
    import numpy as np

    left, top, right, bottom = box
    crop = image[max(top, 0):bottom, max(left, 0):right, :3]
    return crop.size > 0 and float(np.median(crop.mean(axis=2))) < _DARK_GROUND


def _grey(image: Any) -> Any:
    """The page in grey levels, with pale colours faded to white.

    A pixel whose every channel is at least :data:`PALE` (a light-blue or
    light-orange watermark logo printed across the text) takes its lightest
    channel; any other pixel its luminance, so black print and saturated
    coloured headings keep their contrast. On colour, the detector merged a
    watermark crossing a line of text with that line and lost the line. Three
    equal channels, as RapidOCR expects (pypdfium2 renders BGR).
    """
    import numpy as np

    colour = image[..., :3].astype(np.float32)
    luma = colour @ np.array([0.114, 0.587, 0.299], dtype=np.float32)
    pale = colour.min(axis=2) >= PALE
    grey = np.where(pale, colour.max(axis=2), luma).round().astype(np.uint8)
    return np.ascontiguousarray(np.repeat(grey[..., None], 3, axis=2))


def _recognise(image: Any, scale: float, pictures: _Pictures
               ) -> tuple[list[PdfChar], float | None]:
    """The characters RapidOCR finds in ``image``, boxes in points; their mean score.

    Lines that are text of a picture (:class:`_Pictures`) are left out.
    """
    result = _recogniser()(_grey(image), return_word_box=True, return_single_char_box=True)
    if result.txts is None or result.boxes is None:
        return [], None
    lines: list[list[PdfChar]] = []
    rotated: list[PdfChar] = []
    scores: list[float] = []
    for box, text, score, words in zip(result.boxes, result.txts, result.scores,
                                       result.word_results, strict=False):
        xs = [float(x) / scale for x, _ in box]
        ys = [float(y) / scale for _, y in box]
        bounds = (min(xs), min(ys), max(xs), max(ys))
        if pictures.holds(bounds):
            continue
        line = _line_chars(text, words, bounds, scale)
        if not line:
            continue
        if _tilted(xs, ys):
            rotated.extend(dataclasses.replace(char, upright=False) for char in line)
            continue
        if _white_text(image, tuple(round(v * scale) for v in bounds)):
            line = [dataclasses.replace(char, white=True) for char in line]
        lines.append(line)
        scores.extend([float(score)] * len(line))
    chars = _snap_sizes(_attach_bullets(lines)) + rotated
    return chars, (sum(scores) / len(scores) if scores else None)


def _attach_bullets(lines: list[list[PdfChar]]) -> list[list[PdfChar]]:
    """Lone list bullets moved onto the line they introduce, as ``•``.

    The detector boxes a bullet (``●``) apart from its line, as a box a third
    of the line's height, so its centre and height do not match the line's and
    it can join a neighbouring column's line instead. A bullet is a line of one
    symbol under :data:`BULLET_HEIGHT` of the height of a line starting within
    two of its heights to its right at the same level; it becomes that line's
    first character, with the line's height, written ``•`` as the text-layer
    reading writes the bullets of symbol fonts.
    """
    kept, bullets = [], []
    for line in lines:
        char = line[0]
        is_bullet = len(line) == 1 and unicodedata.category(char.text)[0] in "SP"
        (bullets if is_bullet else kept).append(line)
    for (bullet,) in bullets:
        height, middle = bullet.bottom - bullet.top, (bullet.top + bullet.bottom) / 2
        owner = next((index for index, line in enumerate(kept)
                      if line[0].top <= middle <= line[0].bottom
                      and 0 <= line[0].x0 - bullet.x1 <= 2 * (line[0].bottom - line[0].top)
                      and height < BULLET_HEIGHT * (line[0].bottom - line[0].top)), None)
        if owner is None:
            kept.append([bullet])
            continue
        first = kept[owner][0]
        width = min(bullet.x1 - bullet.x0, first.x1 - first.x0)
        kept[owner] = [dataclasses.replace(first, text="•", x0=first.x0 - width, x1=first.x0),
                       *kept[owner]]
    return kept


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
    """One line's characters: RapidOCR's per-character boxes, or the line cut evenly.

    The recogniser's character boxes tile the line without gaps, so a space it
    read between two Latin words (``federated sharing``) would leave no gap for
    the layout rules to see: there the two boxes are pulled apart by
    :data:`SPACE_GAP` of the line height.
    """
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
    boxes = []
    for word_text, left, right in placed:
        letters = [c for c in word_text if not c.isspace()]
        step = (right - left) / max(len(letters), 1)
        boxes.extend([letter, left + index * step, left + (index + 1) * step]
                     for index, letter in enumerate(letters))
    for index in _after_spaces(text):
        if 0 < index < len(boxes) and _letter(boxes[index - 1][0]) and _letter(boxes[index][0]):
            before, after = boxes[index - 1], boxes[index]
            half = min(SPACE_GAP * size / 2, (before[2] - before[1]) / 3,
                       (after[2] - after[1]) / 3)
            middle = (before[2] + after[1]) / 2
            before[2], after[1] = min(before[2], middle - half), max(after[1], middle + half)
    return [PdfChar(text=letter, x0=left, top=top, x1=right, bottom=bottom, size=size,
                    fontname="ocr") for letter, left, right in boxes]


def _letter(char: str) -> bool:
    """A Latin letter: only spaces between words are taken from the recogniser (its
    spaces around digits and signs, ``35.0 %``, are often not on the page)."""
    return char.isascii() and char.isalpha()


def _after_spaces(text: str) -> list[int]:
    """Indexes, among the non-space characters of ``text``, of those after a space."""
    found, index, spaced = [], 0, False
    for char in text:
        if char.isspace():
            spaced = True
            continue
        if spaced and index:
            found.append(index)
        spaced = False
        index += 1
    return found


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
