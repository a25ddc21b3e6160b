"""Top terms, c_v per topic and seeded share of the default topic model on one folder.

Fits ``nqp_text.topics.lda.fit_topics`` (the run's model: seeded, k 12, seed 0) on an
ingested and segmented folder and prints each topic's top 10 terms (``*``: a seed term),
gensim's c_v over the passages' content tokens (top 10 terms, one process) per topic and
on average, and the share of all tokens the seeded topics hold. Used in
``docs/guide/topics-regional.md`` ("Traditional script and the seeded topics") to compare
the State Council reports read as published and read with ``--to-simplified``.

Usage:
    nqp-text ingest ../shared/corpora/gov_work_reports/government_work_reports.jsonl \\
        [--to-simplified] --out gwr && nqp-text segment gwr
    python benchmarks/topics_top_terms.py gwr ['{"seed_weight": 0.3}']
"""

from __future__ import annotations

import json
import sys
import time
import warnings

import numpy as np


def main(folder: str, options: dict) -> None:
    """Fit, then print the top terms, c_v and the seeded share (see the module docstring)."""
    from gensim.models import CoherenceModel

    import nqp_text
    from nqp_text.analysis._inputs import passage_tokens
    from nqp_text.topics.lda import fit_topics
    from nqp_text.topics.quality import seeded_share

    corpus = nqp_text.Corpus.load(folder)
    tokens = f"{folder}/tokens.parquet"
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_topics(corpus, tokens=tokens, seed=0, **options)
    print(f"fit {time.perf_counter() - started:.0f} s, unit {model.unit_}, options {options}")
    top = model.top_terms(10)
    for label, rows in top.groupby("label", sort=False):
        terms = " ".join(f"{term}{'*' if seed else ''}"
                         for term, seed in zip(rows["term"], rows["seed"], strict=True))
        print(f"{label:22s} {terms}")
    texts = [list(found) for found in passage_tokens(corpus, tokens)]
    scorer = CoherenceModel(model=model.model_, dictionary=model.dictionary_, texts=texts,
                            coherence="c_v", topn=10, processes=1)
    per_topic = scorer.get_coherence_per_topic()
    print(f"c_v {float(np.mean(per_topic)):.3f}: " + " ".join(
        f"{label}={value:.3f}" for label, value in zip(model.labels_, per_topic, strict=True)))
    share = seeded_share(model.document_topics(), model.labels_, list(model.seed_terms_))
    print(f"seeded share {share:.1%}")


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
