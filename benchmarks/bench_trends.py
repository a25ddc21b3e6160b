"""Term frequencies by year on the government work reports, against raw jieba + Counter.

In one run, over the same passages of the 52 reports (``fetch_gov_work_reports``
with the data home at ``../shared``), it times

* baseline: ``collections.Counter(jieba.lcut(text))`` per passage, summed per year —
  the ten-line word count a user would write;
* ``term_frequencies(corpus, None, by="year")``: the whole lexicon counted exactly
  (longest match) per year, with the token denominators, segmenting every passage
  with a fresh default ``Segmenter`` (no token cache);
* the same on top of segmentation already done (``tokens=`` precomputed, as with
  ``DIR/tokens.parquet``), and for three terms asked for by name;
* six terms asked for by name, ``normalize=None``, no tokens: counting only, no
  segmentation (issue 16), against the same call with ``normalize="per_10k_tokens"``,
  which does what every call did before issue 16 (segment the corpus for the token
  totals) — the "today" of the issue's "5x faster than today".

and prints the times and the ratios baseline / nqp_text (> 1: nqp_text faster).
Each measurement is repeated (``--repeat``) and the best run kept, because the
machine may be shared; the load average is printed with the numbers.

Usage:
    python benchmarks/bench_trends.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import jieba

from nqp_text._shared import shared_dir
from nqp_text.analysis._inputs import passage_tokens
from nqp_text.analysis.frequencies import term_frequencies
from nqp_text.datasets import fetch_gov_work_reports
from nqp_text.segment.segmenter import Segmenter

NAMED = ["新质生产力", "数字经济", "数据要素"]
SIX = ["新质生产力", "数字经济", "数据要素", "科技创新", "人工智能", "高质量发展"]


SIX_BEFORE = "6 named terms, token totals (before issue 16)"
SIX_NOW = "6 named terms, normalize=None, no tokens"


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``work`` and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent (set NQP_TEXT_SHARED); nothing to measure")
        return 0
    corpus = fetch_gov_work_reports(data_home=shared)
    corpus.passages = corpus.passages[corpus.passages["year"].notna()].reset_index(drop=True)
    texts = corpus.passages["text"].astype(str).tolist()
    years = corpus.passages["year"].astype(int).tolist()
    n_chars = sum(map(len, texts))
    jieba.initialize()
    Segmenter().tokens("预热")

    def baseline() -> dict[int, Counter[str]]:
        per_year: dict[int, Counter[str]] = {}
        for text, year in zip(texts, years, strict=True):
            per_year.setdefault(year, Counter()).update(jieba.lcut(text))
        return per_year

    def ours_from_scratch() -> Any:
        return term_frequencies(corpus, None, by="year", normalize="per_10k_tokens",
                                segmenter=Segmenter())

    tokens = passage_tokens(corpus)

    def ours_on_tokens() -> Any:
        return term_frequencies(corpus, None, by="year", tokens=tokens)

    def ours_named() -> Any:
        return term_frequencies(corpus, NAMED, by="year", tokens=tokens)

    def six_segmenting() -> Any:
        return term_frequencies(corpus, SIX, by="year", normalize="per_10k_tokens",
                                segmenter=Segmenter())

    def six_counting() -> Any:
        return term_frequencies(corpus, SIX, by="year")

    load = os.getloadavg()
    print(f"government work reports: {corpus.documents['year'].notna().sum()} reports, "
          f"{len(texts)} passages, {n_chars:,} characters; best of {args.repeat}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    results: dict[str, float] = {}
    outputs: dict[str, Any] = {}
    for name, work in [("baseline jieba.lcut + Counter by year", baseline),
                       ("term_frequencies(lexicon), segmenting", ours_from_scratch),
                       ("term_frequencies(lexicon), tokens given", ours_on_tokens),
                       ("term_frequencies(3 named terms), tokens given", ours_named),
                       (SIX_BEFORE, six_segmenting),
                       (SIX_NOW, six_counting)]:
        seconds, result = best_of(args.repeat, work)
        results[name] = seconds
        outputs[name] = result
        print(f"  {name:<48} {seconds:8.3f} s  {n_chars / seconds / 1e6:6.2f} M chars/s")
    base = results["baseline jieba.lcut + Counter by year"]
    print("ratios (baseline time / nqp_text time; > 1 means nqp_text is faster):")
    for name, seconds in results.items():
        if not name.startswith("baseline"):
            print(f"  {name:<48} {base / seconds:6.2f}x")
    same = ["group", "term", "count", "n_docs", "doc_share", "docs_with_term"]
    identical = outputs[SIX_BEFORE][same].equals(outputs[SIX_NOW][same])
    print(f"6 named terms, normalize=None: {results[SIX_BEFORE] / results[SIX_NOW]:.1f}x faster "
          f"than with token totals (the pre-issue-16 behaviour); counts identical: {identical}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
