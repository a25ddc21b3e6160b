"""Paragraph recovery on every government work report in ../shared, with its line breaks removed.

Reads the State Council reports (``corpora/gov_work_reports``, the 52 records
with a year) and the 2025 provincial Word files (``corpora/provincial_reports/
2025_docx``), joins each report's paragraphs into one line with an indentation
before each paragraph (as a Stata or database export stores them), reads that
back with ``read_corpus`` and prints, per indentation, the paragraph-boundary
F1 (worst report and mean) and the longest passage. The last row has no
indentation at all: only sentence ends are left, and the paragraph starts are
guessed by the boundary model (``paragraphs_from`` = ``model``,
:mod:`nqp_text.io._boundaries`). Its training data include the State Council
reports of even years and the Word files; the State Council reports of odd
years are held out (``nqp_text.io.paragraph_training.held_out``), and the
figures are printed for each group apart. For that row the per-report F1 is
printed too (``--per-report``), with the model's own grouped cross-validation
figure on its training corpora from its manifest.

Usage:
    python benchmarks/eval_paragraph_recovery.py [--per-report]
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib import resources
from pathlib import Path

import nqp_text
from nqp_text._shared import shared_dir
from nqp_text.io.paragraph_training import STATE_COUNCIL, held_out

_VARIANTS = {"two U+3000": "\u3000\u3000", "one U+3000": "\u3000", "two U+2003": "\u2003\u2003",
             "two U+00A0": "\u00a0\u00a0", "two spaces": "  ", "four spaces": "    ",
             "nothing": ""}


def _bounds(parts: list[str]) -> set[int]:
    total, out = 0, set()
    for part in parts[:-1]:
        total += len("".join(part.split()))
        out.add(total)
    return out


def _f1(gold: list[str], found: list[str]) -> float:
    expected, got = _bounds(gold), _bounds(found)
    if not expected and not got:
        return 1.0
    return 2 * len(expected & got) / (len(expected) + len(got))


def main() -> int:
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to evaluate", file=sys.stderr)
        return 1
    corpus = nqp_text.read_corpus([shared / "corpora" / "gov_work_reports",
                                   shared / "corpora" / "provincial_reports" / "2025_docx"])
    docs = corpus.documents
    reports = docs[(docs["source"] == "docx") | docs["year"].notna()]
    by_doc = corpus.passages.groupby("doc_id")["text"].apply(list)
    paragraphs = {str(doc_id): by_doc[doc_id] for doc_id in reports["doc_id"]}
    print(f"{len(paragraphs)} reports, {sum(map(len, paragraphs.values()))} paragraphs")
    print(f"{'indentation':<14} {'worst F1':>8} {'mean F1':>8} {'longest':>8}  paragraphs_from")
    no_mark: dict[str, float] = {}
    flat_found: dict[str, list[str]] = {}
    longest_no_mark = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, indent in _VARIANTS.items():
            path = Path(folder) / "flat.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for doc_id, paras in paragraphs.items():
                    flat = "".join(indent + p for p in paras)
                    handle.write(json.dumps({"id": doc_id, "text": flat}, ensure_ascii=False)
                                 + "\n")
            found = nqp_text.read_corpus(path)
            texts = found.passages.groupby("doc_id")["text"].apply(list)
            scores = [_f1(paras, texts[doc_id]) for doc_id, paras in paragraphs.items()]
            how = found.documents["paragraphs_from"].value_counts().to_dict()
            if not indent:
                no_mark = dict(zip(paragraphs, scores, strict=True))
                flat_found = {doc_id: texts[doc_id] for doc_id in paragraphs}
                longest_no_mark = int(found.passages["text"].str.len().max())
            print(f"{name:<14} {min(scores):8.3f} {sum(scores) / len(scores):8.3f} "
                  f"{found.passages['text'].str.len().max():8d}  {how}")
    if "--per-report" in sys.argv[1:]:
        print("\nno mark at all (boundary model), per report:")
        council = reports[reports["source"] != "docx"]
        years = dict(zip(council["doc_id"].astype(str), council["year"], strict=True))
        for doc_id, score in no_mark.items():
            tag = "  Word report" if doc_id not in years else f"  {int(years[doc_id])} " + (
                "held out" if held_out(years[doc_id]) else "trained on")
            print(f"  {score:.3f}  {doc_id}{tag}")
    manifest = json.loads(resources.files("nqp_text.io").joinpath(
        "models/paragraphs/manifest.json").read_text("utf-8"))
    trained_on_docx = any("2025_docx" in name for name in manifest["training_corpora"])
    trained_on_even = STATE_COUNCIL in manifest["training_corpora"]
    docx = set(reports.loc[reports["source"] == "docx", "doc_id"].astype(str))
    council = reports[reports["source"] != "docx"]
    odd = [str(d) for d, y in zip(council["doc_id"], council["year"], strict=True) if held_out(y)]
    even = [str(d) for d in council["doc_id"] if str(d) not in odd]
    groups = {"State Council reports of odd years (held out)": odd,
              "State Council reports of even years (" + (
                  "IN the training data" if trained_on_even else "held out") + ")": even,
              "State Council reports, all": odd + even,
              "provincial 2025 Word reports (" + ("IN the training data" if trained_on_docx
                                                  else "held out") + ")": sorted(docx),
              "all": list(paragraphs)}
    print()
    for label, names in groups.items():
        scores = [no_mark[name] for name in names]
        worst = min(names, key=no_mark.__getitem__)
        precision, recall = _pooled(
            [(paragraphs[name], flat_found[name]) for name in names])
        print(f"no mark at all, {label}: {len(names)} reports, mean F1 "
              f"{sum(scores) / len(scores):.3f}, worst {no_mark[worst]:.3f} ({worst}), "
              f"precision {precision:.3f}, recall {recall:.3f}")
    print(f"longest passage without any mark: {longest_no_mark} characters")
    corpora = ", ".join(manifest["training_corpora"])
    print(f"model's grouped CV on its training corpora ({corpora}): "
          f"mean F1 {manifest['cv']['mean_f1']:.3f}, worst {manifest['cv']['worst_f1']:.3f}")
    for name, figures in manifest["cv"].get("by_corpus", {}).items():
        print(f"  {name}: {figures['documents']} documents, mean F1 {figures['mean_f1']:.3f}, "
              f"worst {figures['worst_f1']:.3f}")
    return 0


def _pooled(pairs: list[tuple[list[str], list[str]]]) -> tuple[float, float]:
    """Precision and recall of the paragraph starts over all boundaries of ``pairs``."""
    right = found = expected = 0
    for gold, got in pairs:
        truth, guess = _bounds(gold), _bounds(got)
        right += len(truth & guess)
        found += len(guess)
        expected += len(truth)
    return right / max(found, 1), right / max(expected, 1)


if __name__ == "__main__":
    sys.exit(main())
