"""Word (.docx) reader: body paragraphs in document order, tables kept apart.

python-docx gives the body as ``w:p`` paragraphs and ``w:tbl`` tables; content
controls (``w:sdt``) are opened so their paragraphs are not lost. Paragraph text
is normalised like every other reader's; a manual line break inside a Word
paragraph is a wrap unless it ends a sentence (the plain-text rules of a
blank-line separated block). Tables become :class:`~nqp_text.io._base.ExtractedTable` rows with
``page=None`` (a .docx has no fixed pages) and never reach the body text,
except a table of one cell, which is a frame around text (a 专栏 box, a page
drawn inside a border): its paragraphs are body text in their place. The
paragraphs of text boxes (专栏 boxes, side notes) follow the paragraph they are
anchored in (each box once: the VML fallback copy Word writes beside the
drawing is skipped). Footnotes and endnotes (sources, definitions) are read
but kept apart from the body, as tables are: each note's text, in the order of
its reference mark in the body, goes to the ``documents`` columns
``footnotes`` / ``endnotes`` (lists; the columns exist when some document has
notes), never into a passage, so a note neither splits the paragraph that
cites it nor joins the passages that are counted and classified. Running
headers and footers (the issuer's name, page numbers) and field codes are not
read; a page number typed into the body (``— 3 —``) is removed with the
boilerplate lines.

Before python-docx parses anything, the archive is checked against zip bombs:
the uncompressed sizes its directory declares may not exceed
:data:`MAX_XML_BYTES` for the XML parts in total, nor :data:`MAX_PART_BYTES` for
all parts. A directory that declares less than a part really holds cannot get
past this: Python's ``zipfile``, which python-docx reads with, never inflates a
part beyond its declared size and then fails its CRC check (``not a valid .docx``).

Example:
    >>> doc = read_docx("corpora/sample/2024_数字经济发展规划.docx")  # doctest: +SKIP
    >>> doc.text.split("\\n")[0]  # doctest: +SKIP
    '数字经济发展规划'
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nqp_text.io._base import ExtractedDocument, ExtractedTable
from nqp_text.io._paragraphs import join_lines, paragraphs
from nqp_text.io._recover import combine_how, recover_breaks, recovery_meta
from nqp_text.io.errors import ReaderError
from nqp_text.preprocess.normalize import normalize_text

__all__ = ["read_docx", "MAX_XML_BYTES", "MAX_PART_BYTES"]

#: Largest total uncompressed size of a .docx's XML parts (a 1,000-page report is ~50 MB).
MAX_XML_BYTES = 256 * 2**20
#: Largest total uncompressed size of all its parts (images included).
MAX_PART_BYTES = 2 * 2**30


def read_docx(path: str | os.PathLike[str], *, to_simplified: bool = False) -> ExtractedDocument:
    """Read the body text and tables of a .docx file.

    Raises :class:`~nqp_text.io.errors.ReaderError` when the file is not a
    readable .docx (for example an old binary .doc renamed, or a truncated file).

    Example:
        >>> read_docx("report.docx").tables[0].rows  # doctest: +SKIP
        [['指标', '2024年'], ['数字经济核心产业增加值占比', '10%']]
    """
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    path = Path(path)
    _check_inflated_size(path)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ReaderError(path, f"not a valid .docx (Office Open XML) file: {exc}") from exc
    except OSError as exc:
        raise ReaderError(path, f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # lxml and python-docx raise many types on damaged parts
        raise ReaderError(path, f"damaged .docx: {type(exc).__name__}: {exc}") from exc

    body: list[str] = []
    tables: list[ExtractedTable] = []
    found = "lines"

    def add_paragraph(element: Any) -> None:
        nonlocal found
        text, how = recover_breaks(Paragraph(element, document).text)
        found = combine_how(found, how)
        body.extend(normalize_text(p, to_simplified=to_simplified)
                    for p in paragraphs(text, block=True))

    for element in _blocks(document.element.body):
        if element.tag.endswith("}tbl"):
            table = Table(element, document)
            if _is_frame(table):  # a framed box of text, not a data table
                for paragraph in table.rows[0].cells[0].paragraphs:
                    add_paragraph(paragraph._p)
                continue
            rows = [[_cell_text(cell) for cell in row.cells] for row in table.rows]
            tables.append(ExtractedTable(page=None, table_index=len(tables), rows=rows))
        else:
            add_paragraph(element)
            for box in _text_boxes(element):
                for paragraph in box.iterchildren(_W + "p"):
                    add_paragraph(paragraph)
    text = "\n".join(p for p in body if p)
    notes = _notes(document, to_simplified)
    if not text:
        return ExtractedDocument("", tables=tables, status="empty", meta=notes,
                                 error="no body text" + (" (tables only)" if tables else ""))
    return ExtractedDocument(text, tables=tables, meta={**recovery_meta(found), **notes})


#: The notes parts of a .docx: ``documents`` column, relationship type, note element name.
_NOTE_PARTS = (("footnotes", "footnotes", "footnote"), ("endnotes", "endnotes", "endnote"))


def _notes(document: Any, to_simplified: bool) -> dict[str, Any]:
    """The ``footnotes`` / ``endnotes`` of ``document`` (each a list of note texts, in the order
    of their first reference in the body), only for the kinds it has; a notes part that cannot
    be parsed is a document warning, not a failed document."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    found: dict[str, Any] = {}
    problems: list[str] = []
    for column, reltype, element in _NOTE_PARTS:
        try:
            part = document.part.part_related_by(getattr(RELATIONSHIP_TYPE, reltype.upper()))
        except KeyError:
            continue
        try:
            root = parse_xml(part.blob)
        except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own
            problems.append(f"the {column} part could not be read ({type(exc).__name__}: "
                            f"{exc}); its notes are missing")
            continue
        order = {ref: rank for rank, ref in enumerate(dict.fromkeys(
            str(mark.get(_W + "id")) for mark in document.element.body.iter(
                f"{_W}{element}Reference")))}
        texts = [(order.get(str(note.get(_W + "id")), len(order)), index, text)
                 for index, note in enumerate(root.iterchildren(_W + element))
                 if note.get(_W + "type") in (None, "normal")
                 and (text := _note_text(note, to_simplified))]
        if texts:
            found[column] = [text for _, _, text in sorted(texts)]
    if problems:
        found["warnings"] = problems
    return found


def _note_text(note: Any, to_simplified: bool) -> str:
    """One note's text: its paragraphs normalised, joined by ``"\n"`` (the mark not included)."""
    from docx.text.paragraph import Paragraph

    parts = (normalize_text(Paragraph(p, None).text, to_simplified=to_simplified).strip()
             for p in note.iter(_W + "p"))
    return "\n".join(part for part in parts if part)


def _check_inflated_size(path: Path) -> None:
    """Refuse a .docx whose parts declare more than the limits (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReaderError(path, f"not a valid .docx (Office Open XML) file: {exc}") from exc
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    everything = sum(m.file_size for m in members)
    if xml > MAX_XML_BYTES or everything > MAX_PART_BYTES:
        raise ReaderError(path, _bomb_message(max(xml, everything)))


def _bomb_message(size: int) -> str:
    return (f"refused as a zip bomb: its parts inflate to {size / 2**20:,.0f} MiB "
            f"(limits: {MAX_XML_BYTES / 2**20:,.0f} MiB of XML, "
            f"{MAX_PART_BYTES / 2**20:,.0f} MiB in all)")


def _blocks(parent: Any) -> Iterator[Any]:
    """``w:p`` and ``w:tbl`` elements in document order, looking inside ``w:sdt``."""
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "tbl"):
            yield child
        elif tag == "sdt":
            for content in child.iterchildren():
                if content.tag.endswith("}sdtContent"):
                    yield from _blocks(content)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(paragraph: Any) -> Iterator[Any]:
    """The ``w:txbxContent`` of the text boxes anchored in ``paragraph``, in order.

    A text box is written twice (the DrawingML shape in ``mc:Choice`` and a VML
    copy in ``mc:Fallback`` for old readers): the fallback copy is skipped.
    """
    for box in paragraph.iter(_W + "txbxContent"):
        parent = box.getparent()
        while parent is not None and parent is not paragraph and parent.tag != _FALLBACK:
            parent = parent.getparent()
        if parent is paragraph:
            yield box


def _is_frame(table: Any) -> bool:
    """A table of one row and one cell: a frame around text (a 专栏 box, a framed page)."""
    rows = table.rows
    return len(rows) == 1 and len(rows[0].cells) == 1


def _cell_text(cell: Any) -> str:
    return normalize_text(join_lines([p.text.strip() for p in cell.paragraphs if p.text.strip()]))
