"""OCR accuracy and speed: text PDFs rendered to images and OCR'd, against their text layer.

For five text PDFs of different layouts in ../shared/pdfs, ``--pages`` pages
each, the same pages are read twice with the pdfium engine:

* the reference: ``read_pdf(path, pages=...)``, the cleaned text layer;
* OCR: ``read_pdf(path, pages=..., ocr="always")``: every page rendered at
  ``--dpi`` and read by RapidOCR, then through the same cleaning rules (the
  ruled table grids of the text layer are kept, so table text is left out on
  both sides).

Prints per file the character error rate (:func:`nqp_text.io.pdf.character_error_rate`:
Levenshtein distance over the reference length, whitespace dropped, width
variants folded by NFKC; ``raw`` without the NFKC folding; ``order-free``
the same characters compared as multisets, a lower bound of the CER that
ignores reading order, so CER well above it means blocks read in another
order, not misread characters), the mean OCR confidence and pages per second
of the OCR reading, then the counts of the lexicon's named terms
(leftmost-longest, as the trends tables count them) on both sides and every
term whose count differs, with the passages around it.
The load average is printed: the machine may be shared.

Usage:
    python benchmarks/bench_ocr.py [--pages 4] [--dpi 200] [--show-diffs 12]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter

from nqp_text._shared import shared_dir
from nqp_text.analysis.counting import LongestMatchCounter
from nqp_text.io.pdf import RapidOcrEngine, character_error_rate, read_pdf
from nqp_text.segment.lexicon import load_lexicon

#: File -> its layout, and the pages read (spread over the body, not the cover).
FILES = {
    "civil_code_prc_2020.pdf": ("law, single column, 481x714 pt", (20, 60, 100, 140)),
    "gov_disclosure_annual_report_huaian_2024.pdf": ("gov report, ruled tables", (1, 2, 3, 4)),
    "whitepaper_tongdun_flex_2020.pdf": ("white paper, figures, watermark", (5, 12, 20, 30)),
    "broker_research_report_gaoce_2022.pdf": ("broker report, sidebar column",
                                              (1, 2, 3, 4)),
    "annual_report_pingan_bank_2024.pdf": ("annual report, dense small print",
                                           (10, 20, 40, 60)),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages per file (at most 4)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--show-diffs", type=int, default=12,
                        help="named-term differences to print")
    args = parser.parse_args(argv)
    folder = shared_dir() / "pdfs"
    if not folder.is_dir():
        print(f"{folder}: not found (set NQP_TEXT_SHARED)", file=sys.stderr)
        return 1
    engine = RapidOcrEngine(dpi=args.dpi)
    print(f"OCR {engine.describe()}; load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores")
    counter = LongestMatchCounter(load_lexicon()["term"].astype(str).tolist())
    header = f"{'file':46} {'pages':>5} {'chars':>6} {'CER':>6} {'raw':>6} " \
             f"{'order-free':>10} {'conf':>5} {'pages/s':>7}"
    print(header)
    totals = Counter()
    ref_terms: Counter[str] = Counter()
    ocr_terms: Counter[str] = Counter()
    contexts: dict[str, list[str]] = {}
    for name, (_, pages) in FILES.items():
        pages = pages[:args.pages]
        path = folder / name
        reference = read_pdf(path, pages=pages, engine="pdfium")
        started = time.perf_counter()
        ocr = read_pdf(path, pages=pages, engine="pdfium", ocr="always", ocr_engine=engine)
        seconds = time.perf_counter() - started
        cer = character_error_rate(reference.text, ocr.text)
        raw = _raw_cer(reference.text, ocr.text)
        bag = _order_free(reference.text, ocr.text)
        n_ref = len("".join(reference.text.split()))
        totals["pages"] += len(pages)
        totals["seconds"] += seconds
        totals["chars"] += n_ref
        totals["errors"] += cer * n_ref
        totals["raw_errors"] += raw * n_ref
        totals["bag_errors"] += bag * n_ref
        print(f"{name:46} {len(pages):5d} {n_ref:6d} {cer:6.2%} {raw:6.2%} {bag:10.2%} "
              f"{ocr.meta['ocr_confidence'] or 0:5.3f} {len(pages) / seconds:7.3f}")
        ref_counts, ocr_counts = counter.count(reference.text), counter.count(ocr.text)
        ref_terms.update(ref_counts)
        ocr_terms.update(ocr_counts)
        for term in set(ref_counts) | set(ocr_counts):
            if ref_counts[term] != ocr_counts[term]:
                contexts.setdefault(term, []).append(
                    f"{name}: text layer {ref_counts[term]}, OCR {ocr_counts[term]}; "
                    f"OCR around: {_around(ocr.text, reference.text, term)}")
    print(f"{'all (weighted by characters)':46} {totals['pages']:5d} {totals['chars']:6d} "
          f"{totals['errors'] / totals['chars']:6.2%} "
          f"{totals['raw_errors'] / totals['chars']:6.2%} "
          f"{totals['bag_errors'] / totals['chars']:10.2%} {'':5} "
          f"{totals['pages'] / totals['seconds']:7.3f}")
    differing = sorted(term for term in set(ref_terms) | set(ocr_terms)
                       if ref_terms[term] != ocr_terms[term])
    print(f"\nnamed terms: {sum(ref_terms.values())} matches of {len(ref_terms)} terms in "
          f"the text layer, {sum(ocr_terms.values())} of {len(ocr_terms)} in the OCR text; "
          f"{len(differing)} terms differ")
    for term in differing[:args.show_diffs]:
        for line in contexts.get(term, []):
            print(f"  {term}: {line}")
    return 0


def _raw_cer(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = "".join(reference.split()), "".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / len(ref) if ref else 0.0


def _order_free(reference: str, hypothesis: str) -> float:
    """Characters missing or extra when order is ignored (a lower bound of the CER)."""
    import unicodedata

    ref, hyp = (Counter("".join(unicodedata.normalize("NFKC", text).split()))
                for text in (reference, hypothesis))
    total = sum(ref.values())
    return max(sum((ref - hyp).values()), sum((hyp - ref).values())) / total if total else 0.0


def _around(text: str, reference: str, term: str, width: int = 12) -> str:
    """Where ``term`` is (or, missing from the OCR text, what stands at its place)."""
    source = text if term in text else reference
    index = source.find(term)
    if index < 0:
        return "(not found)"
    snippet = source[max(0, index - width):index + len(term) + width].replace("\n", "⏎")
    return snippet if source is text else f"missing; text layer has: {snippet}"


if __name__ == "__main__":
    sys.exit(main())

