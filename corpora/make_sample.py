"""Render corpora/sample_source.yaml into the sample corpus in corpora/sample/.

Each document goes into the format its file name says, the way such files come
in practice: a GBK text file with Windows line ends and ideographic-space
indentation, a UTF-8 text file hard-wrapped at a fixed width, a Markdown file
with a BOM, Word files with a table, and PDFs (reportlab, the STSong-Light CID
font) with a running header, page numbers ``- N -`` and a ruled table.

The output is byte-identical on every run: reportlab runs with ``invariant=1``
(no timestamps or random ids) and the .docx zip entries get fixed dates and
fixed core properties. Needs the ``test`` extra (reportlab).

Example:
    $ python corpora/make_sample.py          # rewrites corpora/sample/
    $ python corpora/make_sample.py --check  # exit 1 if the files differ
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import textwrap
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sample_source.yaml"
TARGET = HERE / "sample"
_FIXED_TIME = datetime(2025, 1, 1)
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)
_INDENT = "\u3000\u3000"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with corpora/sample/ instead of writing")
    parser.add_argument("--out", type=Path, default=TARGET, help="output folder")
    args = parser.parse_args(argv)
    documents = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))["documents"]
    rendered = {doc["file"]: render(doc) for doc in documents}
    if args.check:
        stale = [name for name, data in rendered.items()
                 if not (args.out / name).exists() or (args.out / name).read_bytes() != data]
        for name in stale:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in rendered.items():
        (args.out / name).write_bytes(data)
        print(f"{len(data):6d} bytes  {args.out / name}")
    return 0


def render(doc: dict[str, Any]) -> bytes:
    """The bytes of one sample document."""
    suffix = Path(doc["file"]).suffix
    if suffix in (".txt", ".md"):
        return _text(doc)
    if suffix == ".docx":
        return _docx(doc)
    if suffix == ".pdf":
        return _pdf(doc)
    raise ValueError(f"{doc['file']}: no renderer for {suffix}")


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= 20 and not paragraph.endswith("。")


def _text(doc: dict[str, Any]) -> bytes:
    paragraphs = doc["paragraphs"]
    if doc["file"].endswith(".md"):
        text = "\n\n".join(paragraphs) + "\n"
    elif doc.get("wrap"):
        lines = [doc["title"]]
        for paragraph in paragraphs:
            lines += textwrap.wrap(_INDENT + paragraph, width=doc["wrap"])
        text = "\n".join(lines) + "\n"
    else:
        lines = [doc["title"], ""]
        lines += [p if _is_heading(p) else _INDENT + p for p in paragraphs]
        text = "\r\n".join(lines) + "\r\n"
    return text.encode(doc.get("encoding", "utf-8"))


def _docx(doc: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    properties = document.core_properties
    properties.title, properties.author = doc["title"], "nqp_text sample"
    properties.last_modified_by, properties.revision = "nqp_text sample", 1
    properties.created = properties.modified = properties.last_printed = _FIXED_TIME
    document.add_heading(doc["title"], level=1)
    tables = {table["after"]: table["rows"] for table in doc.get("tables", [])}
    for index, paragraph in enumerate(doc["paragraphs"]):
        body = document.add_paragraph(paragraph)
        body.paragraph_format.first_line_indent = Pt(21)
        if index in tables:
            rows = tables[index]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = str(value)
    _slim(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _slim(document: Any) -> None:
    """Drop the template's optional parts (Word 2010 style copy, thumbnail, custom XML),
    its latent-style list and the styles the document does not use, to keep it small."""
    optional = ("stylesWithEffects", "customXml", "thumbnail")
    for rels in (document.part.rels, document.part.package.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(optional):
                rels.pop(r_id)
    styles = document.styles.element
    for latent in styles.findall("{*}latentStyles"):
        styles.remove(latent)
    by_id = {style.get(_W + "styleId"): style for style in styles.findall("{*}style")}
    used = {ref.get(_W + "val") for ref in document.element.body.iter()
            if ref.tag.endswith(("}pStyle", "}rStyle", "}tblStyle"))}
    used |= {style_id for style_id, style in by_id.items() if style.get(_W + "default") == "1"}
    pending = list(used)
    while pending:  # keep the styles the used ones are based on or linked to
        style = by_id.get(pending.pop())
        for ref in style.iter() if style is not None else ():
            name = ref.get(_W + "val")
            if ref.tag.endswith(("}basedOn", "}link", "}next")) and name not in used:
                used.add(name)
                pending.append(name)
    for style_id, style in by_id.items():
        if style_id not in used:
            styles.remove(style)


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates so that the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _pdf(doc: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16,
                          firstLineIndent=21, wordWrap="CJK", spaceAfter=3)
    heading = ParagraphStyle("heading", parent=body, firstLineIndent=0, spaceBefore=4)
    title = ParagraphStyle("title", parent=body, fontSize=13, leading=20, alignment=1,
                           firstLineIndent=0, spaceAfter=8)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=10, firstLineIndent=0,
                          spaceAfter=0)

    def furniture(canvas: Any, template: Any) -> None:
        width, height = A6
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, height - 12 * mm, doc["header"])
        canvas.line(12 * mm, height - 14 * mm, width - 12 * mm, height - 14 * mm)
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, 10 * mm, f"- {template.page} -")
        canvas.restoreState()

    story: list[Any] = [Paragraph(doc["title"], title)]
    tables = {table["after"]: table["rows"] for table in doc.get("tables", [])}
    for index, paragraph in enumerate(doc["paragraphs"]):
        story.append(Paragraph(paragraph, heading if _is_heading(paragraph) else body))
        if index in tables:
            rows = [[Paragraph(str(value), cell) for value in row] for row in tables[index]]
            table = Table(rows, colWidths=[41 * mm, 20 * mm, 20 * mm])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            story += [Spacer(1, 4), table, Spacer(1, 8)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.pdf"
        template = SimpleDocTemplate(
            str(path), pagesize=A6, invariant=1, title=doc["title"], author="nqp_text sample",
            leftMargin=12 * mm, rightMargin=12 * mm, topMargin=18 * mm, bottomMargin=16 * mm,
        )
        template.build(story, onFirstPage=furniture, onLaterPages=furniture)
        return path.read_bytes()


if __name__ == "__main__":
    sys.exit(main())
