"""OCR of scanned PDF pages: the shared scan, and scans made here from a shared text PDF.

The scans made here are pages of the civil code rendered to images at 200 dpi
and saved as an image-only PDF (its fonts are embedded, so PDFium renders it
without system fonts); their text layer is the reference. Few pages, because
OCR costs seconds per page on two cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import _pdf_fixtures as fx
from nqp_text.io.pdf import character_error_rate, read_pdf
from nqp_text.io.pdf._furniture import _NUMBERED_HEADER
from nqp_text.io.reader import read_corpus
from nqp_text.pipeline import run_pipeline
from nqp_text.preprocess.passages import passages_frame

pytest.importorskip("rapidocr", reason="needs the ocr extra")
pytest.importorskip("onnxruntime", reason="needs the ocr extra")

CIVIL_CODE = "civil_code_prc_2020.pdf"
SCANNED = "scanned_book_pages_zh_hans.pdf"
BROKER = "broker_research_report_gaoce_2022.pdf"
TEXT_PAGE, SCAN_PAGE = 21, 22
DPI = 200


def _image_pdf(source: Path, page: int, path: Path) -> Path:
    """Page ``page`` of ``source`` as an image-only PDF page of the same size."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source)
    try:
        image = pdf[page - 1].render(scale=DPI / 72).to_pil()
    finally:
        pdf.close()
    image.save(path, "PDF", resolution=DPI)
    return path


@pytest.fixture(scope="module")
def civil_code(shared: Path) -> Path:
    return shared / "pdfs" / CIVIL_CODE


@pytest.fixture(scope="module")
def made_scan(civil_code: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan")
    return _image_pdf(civil_code, SCAN_PAGE, folder / "made_scan.pdf")


@pytest.fixture(scope="module")
def mixed(civil_code: Path, made_scan: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 with the civil code's text layer, page 2 the made scan."""
    import pypdfium2 as pdfium

    path = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    out = pdfium.PdfDocument.new()
    for source, index in ((civil_code, TEXT_PAGE - 1), (made_scan, 0)):
        pdf = pdfium.PdfDocument(source)
        out.import_pages(pdf, [index])
        pdf.close()
    out.save(path)
    out.close()
    return path


@pytest.mark.slow
def test_shared_scan_becomes_ok_with_its_text(shared: Path) -> None:
    doc = read_pdf(shared / "pdfs" / SCANNED, ocr="auto", engine="pdfium")
    assert doc.status == "ok" and doc.error is None
    assert doc.meta["scanned_pages"] == [1, 2] and doc.meta["ocr_pages"] == [1, 2]
    assert doc.meta["ocr_confidence"] > 0.9
    assert doc.meta["warnings"] == []
    cjk = sum(1 for char in doc.text if "\u4e00" <= char <= "\u9fff")
    assert cjk > 1200  # two dense book pages
    assert doc.text.count("使用价值") >= 8 and doc.text.count("交换价值") >= 6
    assert doc.ocr_spans == [(0, len(doc.text))]
    # wrapped lines are rejoined into paragraphs, not one paragraph per line
    assert len(doc.text.split("\n")) < 40
    # the book's running headers (page number and part title on the left page, chapter
    # title and page number on the right) are furniture, counted (session 10)
    lines = doc.text.split("\n")
    assert not [line for line in lines if _NUMBERED_HEADER.fullmatch(line)]
    assert doc.meta["removed_furniture"] >= 2


@pytest.mark.slow
def test_made_scan_read_through_read_corpus_matches_the_text_layer(
        civil_code: Path, made_scan: Path) -> None:
    reference = read_pdf(civil_code, pages=[SCAN_PAGE]).text
    corpus = read_corpus([made_scan], ocr="auto", timeout=None)
    row = corpus.documents.iloc[0]
    assert row["status"] == "ok"
    assert list(row["ocr_pages"]) == [1] and list(row["scanned_pages"]) == [1]
    assert row["ocr_confidence"] > 0.9
    assert corpus.passages["ocr"].all()
    text = "\n".join(corpus.passages["text"])
    assert character_error_rate(reference, text) <= 0.03
    for term in ("第一百", "民事", "法人"):
        assert text.count(term) == reference.count(term), term


@pytest.mark.slow
def test_auto_reads_only_the_page_without_text_layer(civil_code: Path, mixed: Path) -> None:
    doc = read_pdf(mixed, ocr="auto")
    assert doc.status == "ok"
    assert doc.meta["ocr_pages"] == [2] and doc.meta["scanned_pages"] == [2]
    assert doc.meta["unreadable_pages"] == []
    first = read_pdf(civil_code, pages=[TEXT_PAGE]).text.split("\n")
    paragraphs = doc.text.split("\n")
    assert paragraphs[:len(first) - 1] == first[:-1]  # the text page is untouched
    (start, end), = doc.ocr_spans
    assert end == len(doc.text) and 0 < start < len(doc.text)
    flags = passages_frame("d", doc.text, ocr_spans=doc.ocr_spans)["ocr"].tolist()
    assert flags[0] is False and flags[-1] is True and flags == sorted(flags)


@pytest.mark.slow
def test_always_on_a_report_page_reads_like_its_text_layer(shared: Path) -> None:
    """A broker report's first page: logo picture, title banner, bullets, sidebar."""
    path = shared / "pdfs" / BROKER
    reference = read_pdf(path, pages=[1], engine="pdfium").text
    doc = read_pdf(path, pages=[1], engine="pdfium", ocr="always")
    assert doc.meta["ocr_pages"] == [1]
    assert character_error_rate(reference, doc.text) <= 0.03
    assert "Topsperity" not in doc.text  # the logo is a picture: no text layer there
    # the title, white on a banner (its two lines may stay apart: a paragraph break)
    assert "扩产4000万公里金刚线" in doc.text.replace("\n", "")
    # the sidebar (analysts, related research) is read after the main column
    assert doc.text.index("风险提示") < doc.text.index("证券分析师")


def test_never_and_missing_extra_keep_no_text_layer_with_a_hint(made_scan: Path) -> None:
    doc = read_pdf(made_scan)
    assert doc.status == "no_text_layer" and doc.meta["ocr_pages"] == []
    assert "--ocr auto" in doc.error
    blocked = ("import sys; sys.modules['rapidocr'] = None\n"
               "from nqp_text.io.pdf import read_pdf\n"
               f"doc = read_pdf({str(made_scan)!r}, ocr='auto')\n"
               "print(doc.status); print(doc.error); print(doc.meta['warnings'])")
    result = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True,
                            timeout=120, check=True)
    status, error, warnings = result.stdout.splitlines()
    assert status == "no_text_layer"
    assert 'pip install "nqp-text[ocr]"' in error and "nqp-text[ocr]" in warnings


def test_bad_mode_is_refused(made_scan: Path) -> None:
    with pytest.raises(ValueError, match="OCR mode"):
        read_pdf(made_scan, ocr="sometimes")
    with pytest.raises(ValueError, match="OCR mode"):
        read_corpus([made_scan], ocr="yes")


@pytest.mark.slow
def test_run_turning_ocr_on_rereads_only_the_pdf_that_needs_it(
        made_scan: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    fx.write_report(inputs / "2024_report.pdf")
    (inputs / "2023_scan.pdf").write_bytes(made_scan.read_bytes())
    out = tmp_path / "results"
    first = run_pipeline([inputs], out, progress=False)
    assert first["stages"]["ingest"]["computed"] == 2
    assert first["documents"]["no_text_layer"] == 1
    second = run_pipeline([inputs], out, progress=False, ocr="auto")
    assert second["stages"]["ingest"]["computed"] == 1  # the scan only
    assert second["stages"]["ingest"]["cached"] == 1
    assert second["documents"]["ok"] == 2
    import pandas as pd

    passages = pd.read_parquet(out / "passages.parquet")
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    scan_id = documents.index[documents["path"].str.endswith("2023_scan.pdf")][0]
    assert passages.loc[passages["doc_id"] == scan_id, "ocr"].all()
    assert not passages.loc[passages["doc_id"] != scan_id, "ocr"].any()
