"""OCR spans stay on the same text when boilerplate lines are removed (per file and per folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

import nqp_text
from nqp_text.io._extract import RawRecord
from nqp_text.io.folders import apply_folder_lines
from nqp_text.preprocess.boilerplate import drop_lines, furniture_mask, shift_spans

_SCANNED = "第一段扫描正文，推进数字化转型。\n第二段扫描正文，培育新质生产力。"


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_spans_before_inside_and_after_removed_lines_keep_their_text() -> None:
    text = (f"下载\n打印\n封面正文。\n{_SCANNED}\n【打印本页】【关闭窗口】\n尾页正文。"
            "\n分享到：微信 微博")
    first = text.index("第一段")
    inside_end = text.index("尾页")  # the scanned lines and the chrome line after them
    spans = [(first, inside_end - 1), (text.index("分享到"), len(text))]
    drop = furniture_mask(text)
    cleaned, removed = drop_lines(text, drop)
    assert removed == ["下载", "打印", "【打印本页】【关闭窗口】", "分享到：微信 微博"]
    shifted = shift_spans(text, drop, spans)
    assert _texts(cleaned, shifted) == [_SCANNED]  # the span of a removed line is gone
    # a span cut by removed lines at both ends and inside keeps only kept characters
    around = [(text.index("打印"), text.index("尾页") + 3)]
    assert _texts(cleaned, shift_spans(text, drop, around)) == [f"封面正文。\n{_SCANNED}\n尾页正"]


def test_the_folder_rule_moves_the_spans_of_a_record() -> None:
    site = "青禾市政务公开示例网"
    text = f"{site}\n{_SCANNED}\n{site}\n文字层正文。"
    record = RawRecord("site/a.txt", "txt", "ok", text=text,
                       ocr_spans=[(len(site) + 1, len(site) + 1 + len(_SCANNED))])
    cleaned = apply_folder_lines(record, [site])
    assert cleaned.text == f"{_SCANNED}\n文字层正文。"
    assert _texts(cleaned.text, cleaned.ocr_spans) == [_SCANNED]
    assert cleaned.meta["boilerplate_lines"] == 2


# -- a real PDF: a text page with page chrome, a scanned page, a text page ---------------

_CHROME = ["下载", "打印", "【打印本页】【关闭窗口】", "来源：某某日报", "发布日期：2025-01-20"]
_BEFORE = ["某市关于推进数字经济发展的工作报告",
           "过去一年，我们坚持稳中求进，推动数字经济和实体经济深度融合。"]
_AFTER = ["下一步，我们将加快发展新质生产力，培育壮大数据要素市场。", "二〇二六年一月二十日"]


def _text_page(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfgen import canvas

    import _pdf_fixtures as fx

    fx._register_font()
    pdf = canvas.Canvas(str(path), pagesize=(fx.PAGE_WIDTH, fx.PAGE_HEIGHT))
    for index, line in enumerate(lines):
        pdf.setFont(fx.FONT, 12)
        pdf.drawString(72, fx.PAGE_HEIGHT - 80 - 40 * index, line)
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.slow
@pytest.mark.shared
def test_ocr_flags_of_a_pdf_stay_on_the_scanned_page(shared: Path, tmp_path: Path) -> None:
    pytest.importorskip("rapidocr", reason="needs the ocr extra")
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(shared / "pdfs" / "civil_code_prc_2020.pdf")
    try:
        image = source[21].render(scale=200 / 72).to_pil()
    finally:
        source.close()
    image.crop((0, 0, image.width, image.height // 4)).save(tmp_path / "scan.pdf", "PDF",
                                                            resolution=200)
    pages = [_text_page(tmp_path / "first.pdf", _CHROME + _BEFORE), tmp_path / "scan.pdf",
             _text_page(tmp_path / "last.pdf", _AFTER)]
    out = pdfium.PdfDocument.new()
    for page in pages:
        document = pdfium.PdfDocument(page)
        out.import_pages(document, [0])
        document.close()
    out.save(tmp_path / "2026_mixed.pdf")
    out.close()

    corpus = nqp_text.read_corpus(tmp_path / "2026_mixed.pdf", ocr="auto")
    documents, passages = corpus.documents, corpus.passages
    assert list(documents["ocr_pages"].iloc[0]) == [2]
    assert list(documents["boilerplate_removed"].iloc[0]) == _CHROME
    texts, flags = passages["text"].tolist(), passages["ocr"].tolist()
    assert texts[:2] == _BEFORE and texts[-1] == _AFTER[0]  # the date line goes
    assert flags[:2] == [False, False] and flags[-1] is False
    assert all(flags[2:-1]) and len(flags) > 4
    # without moving the span, its start would fall this many characters too late,
    # past the first scanned passage, and its end into the last page's text
    removed_chars = sum(len(line) + 1 for line in _CHROME)
    assert len(texts[2]) < removed_chars and len(texts[-1]) < removed_chars
