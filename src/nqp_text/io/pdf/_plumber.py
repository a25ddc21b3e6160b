"""The pdfplumber engine: characters (faux-bold duplicates removed) and ruled tables.

Tables come from pdfplumber's table finder run on the *visible* ruling only:
rectangles and lines drawn in white or not painted at all (WPS puts white
filled boxes behind body text) are dropped first, otherwise plain paragraphs
come back as one-column "tables". Where three or more vertical rules end at the
same height without a horizontal rule there (a row cut by the page break), a
closing rule is added. A grid counts as a table when it has at least two rows
and at least two columns.

The edges are rounded to 0.001 pt first (:func:`table_grids`, shared with the
pdfium engine). pdfplumber's table finder compares distances with ``<=`` against
its tolerances (3 pt), and rulings drawn as thin filled boxes often sit exactly
3 pt apart: whether ``59.28 - 56.28`` counts as 3 then depended on float noise
(pdfminer computes in doubles, PDFium in single precision), so the two engines
found different tables on the same ruling. On rounded edges both decide such
ties the same way. Character boxes and sizes are rounded to 0.001 pt for the same
reason: the layout rules compare gaps with thresholds such as 0.15 em, and a dot
leader's ``525.1`` to ``526.9`` is exactly 1.8 = 0.15 x 12 pt.

Example:
    >>> engine = PdfplumberEngine()
    >>> with engine.open("report.pdf") as source:  # doctest: +SKIP
    ...     page = source.page(1)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

from nqp_text.io.errors import ReaderError
from nqp_text.io.pdf._engine import (
    BBox,
    ClosingSource,
    PdfChar,
    PdfPage,
    PdfTableGrid,
    chars_from_fields,
    checked_pdf_path,
)
from nqp_text.io.pdf._metadata import decode_pdf_string

__all__ = [
    "PdfplumberEngine", "CHAR_DECIMALS", "EDGE_DECIMALS", "closing_lines", "dedupe_chars",
    "layout_chars", "page_chars", "rounded_edges", "rounded_values",
    "table_grids",
]

_DEDUPE_TOLERANCE = 1.0
_WHITE_TOLERANCE = 0.02
_MIN_RULE = 10.0
_SAME_END = 1.5
_MIN_CLOSING_RULES = 3
#: Edge coordinates are rounded to this many decimals (of a point) before table finding.
EDGE_DECIMALS = 3
#: Character coordinates and sizes are rounded to this many decimals (of a point).
CHAR_DECIMALS = 3
#: :func:`rounded_values` rounds with numpy from this many values on.
_BULK_ROUNDING = 64
#: Scaled values closer than this to a half are rounded one by one (far above float noise
#: at page coordinates: about 1e-9 at 1e6 thousandths of a point).
_HALF_NOISE = 1e-6


class PdfplumberEngine:
    """Engine on pdfplumber (pdfminer.six): exact character boxes and table grids."""

    name = "pdfplumber"

    def open(self, path: str | os.PathLike[str]) -> _PlumberSource:
        """Open ``path``; raise :class:`ReaderError` for unreadable files."""
        import pdfplumber
        from pdfplumber.utils.exceptions import PdfminerException

        path = checked_pdf_path(path)
        try:
            pdf = pdfplumber.open(path)
        except PdfminerException as exc:
            cause = exc.args[0] if exc.args else exc
            raise ReaderError(path, _describe_pdfminer_error(cause)) from exc
        except OSError as exc:
            raise ReaderError(path, f"cannot read file: {exc.strerror or exc}") from exc
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            pdf.close()
            raise ReaderError(path, f"corrupt PDF (page tree unreadable): {_brief(exc)}") from exc
        return _PlumberSource(pdf, path, n_pages, _title(pdf))


class _PlumberSource(ClosingSource):
    def __init__(self, pdf: Any, path: Path, n_pages: int, title: str | None) -> None:
        self._pdf = pdf
        self.path = path
        self.n_pages = n_pages
        self.title = title

    def page(self, number: int) -> PdfPage:
        page = self._pdf.pages[number - 1]
        try:
            return _extract_page(page, number)
        finally:
            page.close()

    def glyphs(self, number: int) -> tuple[list[PdfChar], float, float]:
        """Page ``number``'s characters (:func:`layout_chars`, as :func:`page_chars`
        makes them), width and height, without its ruling and images."""
        page = self._pdf.pages[number - 1]
        try:
            return page_chars(page, layout_chars(page)), float(page.width), float(page.height)
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()



def _extract_page(page: Any, number: int) -> PdfPage:
    return PdfPage(
        number=number,
        width=float(page.width),
        height=float(page.height),
        chars=page_chars(page, page.chars),
        tables=_tables(page, float(page.bbox[0]), float(page.bbox[1])),
        n_images=len(page.images),
    )


def page_chars(page: Any, chars: list[dict[str, Any]]) -> list[PdfChar]:
    """``chars`` (pdfplumber's character dicts of ``page``, or :func:`layout_chars`) as
    :class:`PdfChar`, faux-bold duplicates removed, coordinates relative to the page box
    and rounded (:data:`CHAR_DECIMALS`)."""
    x_min, y_min = float(page.bbox[0]), float(page.bbox[1])
    return chars_from_fields(
        (
            char["text"],
            round(float(char["x0"]) - x_min, CHAR_DECIMALS),
            round(float(char["top"]) - y_min, CHAR_DECIMALS),
            round(float(char["x1"]) - x_min, CHAR_DECIMALS),
            round(float(char["bottom"]) - y_min, CHAR_DECIMALS),
            round(float(char.get("size") or 0.0), CHAR_DECIMALS),
            bool(char.get("upright", True)),
            str(char.get("fontname") or ""),
            _is_white(char.get("non_stroking_color")),
        )
        for char in dedupe_chars(chars, _DEDUPE_TOLERANCE)
    )


def layout_chars(page: Any) -> list[dict[str, Any]]:
    """``page.chars`` with only the keys :func:`page_chars` reads, the same values,
    taken from pdfminer's layout objects without pdfplumber's conversion of every object
    (every attribute of every glyph, path and image into a dict; with the ruling and
    images left to PDFium about 15 % less time than the pdfplumber engine's page on the
    white paper's pages, most of it pdfminer's content-stream interpreter). The pdfium
    engine reads a page whose glyphs PDFium cannot map so.

    Same arithmetic as pdfplumber's ``Page.process_object`` (``top`` from the page
    height and the media box, ``x0`` shifted by a non-zero media box corner, ``doctop``
    from the page's ``initial_doctop``), so the same floats; tested against
    ``page.chars`` on the shared PDFs.
    """
    from pdfminer.layout import LTChar, LTContainer
    from pdfplumber.page import fix_fontname_bytes
    from pdfplumber.utils.pdfinternals import resolve_all

    def fontname(name: Any) -> Any:
        return fix_fontname_bytes(name) if isinstance(name, bytes) else name

    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    initial_doctop = page.initial_doctop
    chars: list[dict[str, Any]] = []

    def visit(objects: list[Any]) -> None:
        for obj in objects:
            if isinstance(obj, LTContainer):
                visit(obj._objs)
            elif isinstance(obj, LTChar):
                top = (height - obj.y1) + mb_top
                x0, x1 = obj.x0, obj.x1
                if mb_x0 != 0:
                    x0, x1 = x0 + mb_x0, x1 + mb_x0
                colour = obj.graphicstate.ncolor
                chars.append({
                    "text": obj.get_text(), "x0": x0, "x1": x1, "top": top,
                    "bottom": (height - obj.y0) + mb_top, "doctop": initial_doctop + top,
                    "size": obj.size, "upright": obj.upright,
                    "fontname": fontname(resolve_all(obj.fontname)),
                    "non_stroking_color": colour if isinstance(colour, tuple) else (colour,),
                })

    visit(page.layout._objs)
    return chars


def dedupe_chars(chars: list[Any], tolerance: float, *,
                 key: Callable[[Any], Any] = itemgetter("upright", "text", "fontname", "size"),
                 doctop: Any = "doctop", x0: Any = "x0") -> list[Any]:
    """pdfplumber's ``dedupe_chars`` rule (faux-bold copies), keeping the input order.

    Characters with the same text, orientation, font and size (``key``) whose positions
    agree within ``tolerance`` are one character; the first by position is kept.
    Positions are clustered as pdfplumber's ``cluster_objects`` does (sorted values,
    a new cluster where the gap to the previous value exceeds ``tolerance``), first by
    ``doctop`` then by ``x0`` (keys or indexes of the characters: dicts by default,
    the pdfium engine passes tuples). Same result as ``page.dedupe_chars()`` (tested),
    whose order restoration (``sorted(..., key=chars.index)``) is quadratic in the
    number of characters, and without its per-group dictionaries.

    Example:
        >>> a = {"upright": True, "text": "政", "fontname": "F", "size": 10.0,
        ...      "doctop": 5.0, "x0": 1.0}
        >>> len(dedupe_chars([a, dict(a, x0=1.4), dict(a, x0=30.0)], 1.0))
        2
    """
    groups: dict[Any, list[Any]] = {}
    for char in chars:
        groups.setdefault(key(char), []).append(char)
    if len(groups) == len(chars):  # nothing to merge (most pages)
        return list(chars)
    position = itemgetter(doctop, x0)
    x0_of = itemgetter(x0)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) == 1 or _apart(sorted(map(x0_of, group)), tolerance):
            continue
        for row in _chained(group, doctop, tolerance):
            for cluster in _chained(row, x0, tolerance):
                if len(cluster) > 1:
                    kept = min(cluster, key=position)
                    dropped.update(id(char) for char in cluster if char is not kept)
    return [char for char in chars if id(char) not in dropped]


def _apart(values: list[float], tolerance: float) -> bool:
    """Whether sorted ``values`` are all more than ``tolerance`` apart: then no subset of
    them (a row of a group) has two within ``tolerance``, and the group keeps every
    character (the test :func:`_chained` makes, on the whole group at once)."""
    last = values[0]
    for value in values[1:]:
        if value <= last + tolerance:
            return False
        last = value
    return True


def _chained(items: list[Any], field: Any, tolerance: float) -> list[list[Any]]:
    """``items`` split into runs of ``field`` values no more than ``tolerance`` apart."""
    value_of = itemgetter(field)
    ordered = sorted(items, key=value_of)
    runs = [[ordered[0]]]
    last = value_of(ordered[0])
    for item in ordered[1:]:
        value = value_of(item)
        if value <= last + tolerance:
            runs[-1].append(item)
        else:
            runs.append([item])
        last = value
    return runs


def _tables(page: Any, x_min: float, y_min: float) -> list[PdfTableGrid]:
    if not (page.rects or page.lines or page.curves):
        return []
    visible = page.filter(_is_visible_graphic)
    return table_grids(visible.edges, tuple(visible.bbox), x_min, y_min)


def table_grids(edges: list[dict[str, Any]], bbox: BBox, x_min: float,
                y_min: float, *, rounded: bool = False) -> list[PdfTableGrid]:
    """pdfplumber's table finder on ``edges`` (pdfplumber's edge dicts) of a page of box
    ``bbox``, the edges rounded (:func:`rounded_edges`) and the :func:`closing_lines`
    added; grids of at least two rows and two columns, shifted by ``(x_min, y_min)``.
    Shared by the pdfplumber and pdfium engines; ``rounded=True`` says the edges are
    rounded already (the pdfium engine makes them so).

    Example:
        >>> edges = [{"orientation": o, "object_type": "line", "x0": x0, "x1": x1,
        ...           "top": t, "bottom": b} for o, x0, t, x1, b in [
        ...     ("h", 0, 0, 20, 0), ("h", 0, 10, 20, 10), ("h", 0, 20, 20, 20),
        ...     ("v", 0, 0, 0, 20), ("v", 10, 0, 10, 20), ("v", 20, 0, 20, 20)]]
        >>> [len(grid.rows) for grid in table_grids(edges, (0, 0, 100, 100), 0, 0)]
        [2]
    """
    from pdfplumber.table import TableSettings

    if not rounded:
        edges = rounded_edges(edges)
    settings = TableSettings.resolve({"explicit_horizontal_lines": closing_lines(edges)})
    grids = []
    for table in _find_tables(_EdgePage(edges, bbox), settings):
        rows = [[_shift(cell, x_min, y_min) for cell in row.cells] for row in table.rows]
        n_columns = max((sum(cell is not None for cell in row) for row in rows), default=0)
        if len(rows) >= 2 and n_columns >= 2:
            grids.append(PdfTableGrid(bbox=_shift(table.bbox, x_min, y_min), rows=rows))
    return grids


def rounded_edges(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``edges`` with coordinates rounded to :data:`EDGE_DECIMALS` decimals (width,
    height and ``doctop`` recomputed from them), so that ties against the table
    finder's tolerances do not depend on the engine's float precision."""
    rounded = []
    for edge in edges:
        x0, x1, top, bottom = (round(float(edge[key]), EDGE_DECIMALS)
                               for key in ("x0", "x1", "top", "bottom"))
        rounded.append({"object_type": edge.get("object_type"),
                        "orientation": edge.get("orientation"), "x0": x0, "x1": x1,
                        "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
                        "height": bottom - top})
    return rounded


def rounded_values(values: list[float], decimals: int) -> list[float]:
    """``[round(v, decimals) for v in values]``, the same floats, computed in bulk.

    ``round`` is correctly rounded (the nearest double to the decimal that is nearest
    to the exact value); numpy's ``rint(v * 10**d) / 10**d`` gives the same double
    whenever ``v * 10**d`` is not within float noise of a half (the division is
    correctly rounded, so only the integer can differ); those few values are
    rounded by ``round`` itself. About ten times faster than a ``round`` per value on
    a page of glyphs.

    Example:
        >>> values = [i / 8 + 0.0005 for i in range(1000)]  # many exact halves
        >>> rounded_values(values, 3) == [round(v, 3) for v in values]
        True
    """
    if len(values) < _BULK_ROUNDING:
        return [round(value, decimals) for value in values]
    import numpy as np

    exact = np.asarray(values, dtype=np.float64)
    factor = 10.0 ** decimals
    scaled = exact * factor
    result = np.rint(scaled) / factor
    with np.errstate(invalid="ignore"):  # infinities: rounded one by one below
        near_half = ~(np.abs(scaled - np.floor(scaled) - 0.5) >= _HALF_NOISE)
    rounded = result.tolist()
    for index in np.flatnonzero(near_half).tolist():
        rounded[index] = round(values[index], decimals)
    return rounded


def _find_tables(page: _EdgePage, settings: Any) -> list[Any]:
    """``TableFinder(page, settings).tables``, with :func:`_intersections_to_cells` for
    pdfplumber's ``intersections_to_cells`` (the same cells, faster)."""
    from pdfplumber.table import Table, TableFinder, cells_to_tables, edges_to_intersections

    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = page, settings
    finder.edges = finder.get_edges()
    finder.intersections = edges_to_intersections(
        finder.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    finder.cells = _intersections_to_cells(finder.intersections)
    finder.tables = [Table(page, group) for group in cells_to_tables(finder.cells)]
    return finder.tables


def _intersections_to_cells(intersections: dict[Any, dict[str, list[Any]]]) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells`` (same cells, same order) without its
    per-test sets and list scans: each point's edge boxes are collected once, and
    the points below and to the right of a point are looked up, not searched for
    (a ruled annual-report page has thousands of intersections).

    For every intersection (sorted), the smallest cell it is the top-left corner of:
    the first point below it joined by a vertical edge and the first point to its
    right joined by a horizontal edge whose opposite corner is an intersection
    joined to both.
    """
    from pdfplumber.utils import obj_to_bbox

    vertical = {point: {obj_to_bbox(e) for e in found["v"]}
                for point, found in intersections.items()}
    horizontal = {point: {obj_to_bbox(e) for e in found["h"]}
                  for point, found in intersections.items()}

    def connects(one: Any, two: Any) -> bool:
        if one[0] == two[0] and not vertical[one].isdisjoint(vertical[two]):
            return True
        return one[1] == two[1] and not horizontal[one].isdisjoint(horizontal[two])

    points = sorted(intersections)
    same_y: dict[Any, list[Any]] = {}
    for point in points:
        same_y.setdefault(point[1], []).append(point)
    cells: list[BBox] = []
    for i, point in enumerate(points[:-1]):
        below = []
        for other in points[i + 1:]:  # sorted by x, then y: same x comes first
            if other[0] != point[0]:
                break
            below.append(other)
        row = same_y[point[1]]
        right = row[row.index(point) + 1:]
        cell = _smallest_cell(point, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Any, below: list[Any], right: list[Any], intersections: Any,
                   connects: Callable[[Any, Any], bool]) -> BBox | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in intersections and connects(corner, right_point) \
                    and connects(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None


class _EdgePage:
    """The two things pdfplumber's ``TableFinder`` reads from a page: edges and bbox."""

    def __init__(self, edges: list[dict[str, Any]], bbox: BBox) -> None:
        self.edges = edges
        self.bbox = bbox


def closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules where at least three vertical rules end at the same height.

    A table row that continues on the next page has no bottom rule (and its
    continuation no top rule); closing it lets the table finder keep it.
    """
    verticals = [e for e in edges if e.get("orientation") == "v" and e["height"] >= _MIN_RULE]
    lines = []
    for side in ("top", "bottom"):
        ends = sorted(verticals, key=lambda e: e[side])
        group: list[dict[str, Any]] = []
        for edge in [*ends, None]:
            if edge is not None and (not group or edge[side] - group[-1][side] <= _SAME_END):
                group.append(edge)
                continue
            if len(group) >= _MIN_CLOSING_RULES:
                y = sorted(e[side] for e in group)[len(group) // 2]
                x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
                lines.append({"object_type": "line", "x0": x0, "x1": x1, "top": y,
                              "bottom": y, "width": x1 - x0, "height": 0.0})
            group = [edge] if edge is not None else []
    return lines


def _shift(box: Any, x_min: float, y_min: float) -> Any:
    if box is None:
        return None
    x0, top, x1, bottom = box
    shifted: BBox = (float(x0) - x_min, float(top) - y_min, float(x1) - x_min,
                     float(bottom) - y_min)
    return shifted


def _is_visible_graphic(obj: dict[str, Any]) -> bool:
    kind = obj.get("object_type")
    if kind == "char":
        return True
    if kind not in ("rect", "line", "curve"):
        return True
    stroked = bool(obj.get("stroke")) and not _is_white(obj.get("stroking_color"))
    if kind == "line":
        return stroked or (obj.get("stroke") is None and not _is_white(obj.get("stroking_color")))
    filled = bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))
    return stroked or filled


def _is_white(color: Any) -> bool:
    if color is None or isinstance(color, str):
        return False
    if isinstance(color, int | float):  # DeviceGray comes as a bare number
        return float(color) >= 1 - _WHITE_TOLERANCE
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return False
    if len(values) == 1:
        return values[0] >= 1 - _WHITE_TOLERANCE
    if len(values) == 3:
        return all(v >= 1 - _WHITE_TOLERANCE for v in values)
    if len(values) == 4:
        return all(v <= _WHITE_TOLERANCE for v in values)
    return False


def _title(pdf: Any) -> str | None:
    try:
        info = pdf.doc.info
    except Exception:
        return None
    for entry in info or []:
        try:
            raw = entry.get("Title")
        except AttributeError:
            continue
        title = decode_pdf_string(_resolve(raw))
        if title:
            return title
    return None


def _resolve(value: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    try:
        return resolve1(value)
    except Exception:
        return None


def _describe_pdfminer_error(cause: BaseException) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSEOF

    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF: a password is required to open it"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF with an unsupported protection: {_brief(cause)}"
    if isinstance(cause, PSEOF):
        return "truncated or corrupt PDF: unexpected end of file"
    return f"corrupt or not a PDF: {_brief(cause)}"


def _brief(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
