"""Counting a published dictionary: nqp_text's matcher against a brute-force reference.

On the 2025 provincial government work reports in ../shared (16 Word files), counts
the Wu et al. (2021) digital-transformation dictionary (76 terms) three ways:

* ``measure``: :func:`nqp_text.measures.counting.document_term_counts` (one regex
  trie, leftmost-longest without overlaps) — what ``nqp_text.measure`` uses;
* ``reference``: a brute-force leftmost-longest scan in pure Python (the rule
  written out; the tests use the same);
* ``str.count``: the sum of ``text.count(term)`` over the terms, what one gets by
  summing per-term counts; nested terms are then counted twice.

Prints the seconds of each (best of ``--repeat``), their ratio, and whether the
counts agree.

Example:
    $ python benchmarks/bench_measures.py --repeat 3
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import nqp_text
from nqp_text._shared import shared_dir
from nqp_text.analysis._inputs import document_texts
from nqp_text.measures import document_term_counts, load_measure


def reference(text: str, terms: list[str]) -> Counter:
    """Leftmost-longest without overlaps, brute force (ASCII-boundary rule included)."""
    def alnum(char: str) -> bool:
        return char.isascii() and char.isalnum()

    starting: dict[str, list[str]] = {}
    for term in terms:
        starting.setdefault(term[0], []).append(term)
    counts: Counter = Counter()
    i = 0
    while i < len(text):
        best = None
        for term in starting.get(text[i], ()):
            end = i + len(term)
            if not text.startswith(term, i):
                continue
            if alnum(term[0]) and i > 0 and alnum(text[i - 1]):
                continue
            if alnum(term[-1]) and end < len(text) and alnum(text[end]):
                continue
            if best is None or len(term) > len(best):
                best = term
        if best is None:
            i += 1
        else:
            counts[best] += 1
            i += len(best)
    return counts


def _best(function, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = shared_dir() / "corpora" / "provincial_reports"
    corpus = nqp_text.read_corpus([base / "2025_docx"], metadata=base / "metadata_2025.csv")
    texts = document_texts(corpus)
    chars = sum(map(len, texts))
    print(f"{len(texts)} documents, {chars:,} characters")
    nested = ["数字化", "数字化转型", "数字", "数字经济", "数据", "数据要素", "数据要素市场"]
    for label, spec in [("wu2021_digital_transformation", load_measure(
                            "wu2021_digital_transformation")),
                        ("lexicon (every lexicon term)", load_measure("lexicon")),
                        ("nested list", load_measure(nested, name="nested"))]:
        terms = spec.terms
        vocabulary = list(dict.fromkeys([*terms, *spec.context]))
        t_fast, fast = _best(lambda spec=spec: document_term_counts(texts, spec), args.repeat)
        t_ref, ref = _best(lambda v=vocabulary: [reference(text, v) for text in texts],
                           args.repeat)
        t_naive, naive = _best(lambda t=terms: [sum(text.count(x) for x in t) for text in texts],
                               args.repeat)
        fast_totals = fast.sum(axis=1).tolist()
        ref_totals = [sum(counter[t] for t in terms) for counter in ref]
        print(f"\n{label}: {len(terms)} terms")
        print(f"  measure (regex trie)   {t_fast:8.3f} s   total {sum(fast_totals)}")
        print(f"  brute-force reference  {t_ref:8.3f} s   total {sum(ref_totals)}   "
              f"(measure {t_ref / t_fast:.1f}x faster)")
        print(f"  sum of str.count       {t_naive:8.3f} s   total {sum(naive)}   "
              f"({sum(naive) - sum(ref_totals):+d}: nested terms counted twice)")
        print(f"  measure == reference per document: {fast_totals == ref_totals}")

if __name__ == "__main__":
    main()
