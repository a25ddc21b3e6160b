"""Topic models before and after issue 18 on the shared corpora: coherence, seeding, places.

For the 52 government work reports (``fetch_gov_work_reports``) and the
provincial work reports (2025 Word files and 2026 scraped CSVs together), it
fits, on the same tokens and classifier labels,

* ``before (run)``: what ``nqp-text run`` fitted before: one unit per document,
  seeded with ``seed_weight=1``, place names and policy verbs kept, ``min_df=2``,
  ``max_df=0.5``;
* ``before (fit_topics)``: what ``fit_topics``/``nqp-text topics`` fitted:
  passages, unseeded, place names and policy verbs kept, 10 passes (``--all``
  only: the slowest);
* ``after``: the shared defaults (:mod:`nqp_text.topics.defaults`), and the same
  with each ``--seed-weights`` value (the tuning of the seeding strength),

and prints per fit: ``c_v`` coherence (gensim, over the passages' tokens,
top 10 terms; also the mean over the free topics alone), the share of the
tokens the seeded topics hold, the mean (and lowest) Spearman rho between
each seeded topic's prevalence and the share of the classifier's passages
with its category, by document and by year, the province/prefecture names
among any topic's top 10 terms, and the fit time; then ``c_v`` of each fit
relative to the ``before (run)`` baseline of the same corpus. Tokens and
labels are cached in ``--cache`` (segmenting and classifying once); fits are
single-process and seeded, so the figures repeat.

Usage:
    nice -n 10 python benchmarks/bench_topics.py [--seed-weights 0.2 0.5 1] [--all]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text._shared import shared_dir
from nqp_text.analysis.dtm import document_term_matrix
from nqp_text.analysis.places import gazetteer
from nqp_text.analysis.vocabulary import category_map
from nqp_text.corpus import Corpus
from nqp_text.topics import defaults
from nqp_text.topics.coherence import coherence_scores
from nqp_text.topics.lda import TopicModel, fit_topics
from nqp_text.topics.quality import diagnose

REGIONAL_KINDS = ["province", "province_short", "prefecture", "prefecture_short"]


def load_corpora(shared: Path) -> dict[str, Corpus]:
    """The government work reports and the provincial reports (both kinds of file)."""
    from nqp_text.datasets import fetch_gov_work_reports
    from nqp_text.io.reader import read_corpus

    folder = shared / "corpora" / "provincial_reports"
    provincial = read_corpus([folder / "2025_docx", folder / "2026_scraped_csv"],
                             metadata=folder / "metadata_2025.csv", text_field="full_text",
                             timeout=None)
    return {"government work reports": fetch_gov_work_reports(shared),
            "provincial reports": provincial}


def cached(corpus: Corpus, name: str, cache: Path) -> tuple[pd.Series, pd.DataFrame]:
    """Content tokens (a Series by passage id) and classifier labels, cached on disk."""
    from nqp_text.analysis._inputs import passage_tokens
    from nqp_text.classify.persist import load_model
    from nqp_text.classify.run import classify_passages

    stem = cache / name.replace(" ", "_")
    tokens_path, labels_path = stem.with_suffix(".tokens.parquet"), stem.with_suffix(
        ".labels.parquet")
    ids = corpus.passages["passage_id"].astype(str).tolist()
    if tokens_path.exists():
        frame = pd.read_parquet(tokens_path)
        if frame["passage_id"].tolist() == ids:
            tokens = pd.Series([list(t) for t in frame["tokens"]], index=ids, name="tokens")
        else:
            tokens_path.unlink()
    if not tokens_path.exists():
        tokens = passage_tokens(corpus)
        pd.DataFrame({"passage_id": ids, "tokens": tokens.tolist()}).to_parquet(tokens_path)
    if labels_path.exists():
        labels = pd.read_parquet(labels_path)
        if labels["passage_id"].tolist() != ids:
            labels_path.unlink()
    if not labels_path.exists():
        labels = classify_passages(corpus.passages, load_model("default"))[
            ["passage_id", "labels"]]
        labels.to_parquet(labels_path)
    labels = labels.assign(labels=labels["labels"].map(list))
    return tokens, labels


def fits(args: argparse.Namespace) -> list[tuple[str, dict[str, Any]]]:
    """``(name, how)`` of every model to fit; ``how``: ``old`` options or ``fit_topics`` ones."""
    plans: list[tuple[str, dict[str, Any]]] = [
        ("before (run)", {"old": dict(unit="document", seeded=True, seed_weight=1.0, passes=5,
                                      min_df=2, max_df=0.5)})]
    if args.all:
        plans.append(("before (fit_topics)", {"old": dict(unit="passage", seeded=False,
                                                          seed_weight=1.0, passes=10,
                                                          min_df=5, max_df=0.5)}))
    plans.append((f"after (defaults, seed_weight={defaults.SEED_WEIGHT})", {}))
    for weight in args.seed_weights:
        if weight != defaults.SEED_WEIGHT:
            plans.append((f"after, seed_weight={weight}", {"seed_weight": weight}))
    return plans


def fit(corpus: Corpus, tokens: pd.Series, how: dict[str, Any]) -> tuple[TopicModel, float]:
    """One model and its fit time (seconds), with the old options or ``fit_topics``."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "old" in how:
            old = how["old"]
            dtm = document_term_matrix(corpus, unit=old["unit"], tokens=tokens)
            model = TopicModel(k=12, seed_terms=category_map() if old["seeded"] else None,
                               seed_weight=old["seed_weight"], passes=old["passes"],
                               min_df=old["min_df"], max_df=old["max_df"], keep_places=True,
                               keep_policy_verbs=True, random_state=0).fit(dtm)
            model.unit_ = old["unit"]
        else:
            model = fit_topics(corpus, tokens=tokens, seed=0, **how)
    return model, time.perf_counter() - start


def measure(corpus: Corpus, tokens: pd.Series, labels: pd.DataFrame, model: TopicModel,
            regional: set[str]) -> dict[str, Any]:
    """c_v, seeded share, agreement with the classifier and place names in the top terms."""
    passages = corpus.passages[["passage_id", "doc_id"]].merge(
        corpus.documents[["doc_id", "year"]], on="doc_id", how="left")
    top = model.top_terms(10)
    summary, agreement = diagnose(model.document_topics(), model.labels_,
                                  list(model.seed_terms_), top, labels, passages)
    by_doc = agreement.loc[agreement["by"] == "doc_id", "rho"].dropna()
    places = sorted(set(top["term"]) & regional)
    per_topic = _coherence_per_topic(model, tokens.tolist())
    free = [value for value, label in zip(per_topic, model.labels_, strict=True)
            if label.startswith("free_")]
    return {"c_v": coherence_scores(model, tokens.tolist(), ["c_v"])["c_v"],
            "c_v free topics": sum(free) / len(free) if free else None,
            "seeded share": summary["seeded_share"],
            "rho doc (mean)": summary["agreement_by_document"],
            "rho doc (min)": round(float(by_doc.min()), 3) if len(by_doc) else None,
            "rho year (mean)": summary["agreement_by_year"],
            "places in top 10": " ".join(places) or "-",
            "unit": getattr(model, "unit_", None)}


def _coherence_per_topic(model: TopicModel, texts: list[list[str]]) -> list[float]:
    """c_v of each topic (gensim, one process, top 10 terms)."""
    from gensim.models import CoherenceModel

    scorer = CoherenceModel(model=model.model_, dictionary=model.dictionary_, texts=texts,
                            coherence="c_v", topn=10, processes=1)
    return [float(value) for value in scorer.get_coherence_per_topic()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-weights", type=float, nargs="*", default=[],
                        help="also fit the defaults with these seed weights")
    parser.add_argument("--all", action="store_true", help="also the old fit_topics defaults")
    parser.add_argument("--corpus", choices=["government", "provincial"],
                        help="only this corpus")
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "nqp_bench_topics")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent (set NQP_TEXT_SHARED); nothing to measure")
        return 0
    logging.getLogger("gensim").setLevel(logging.ERROR)
    args.cache.mkdir(parents=True, exist_ok=True)
    names = gazetteer()
    regional = set(names.loc[names["kind"].isin(REGIONAL_KINDS), "term"])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = []
    for name, corpus in load_corpora(shared).items():
        if args.corpus and not name.startswith(args.corpus):
            continue
        tokens, labels = cached(corpus, name, args.cache)
        for label, how in fits(args):
            model, seconds = fit(corpus, tokens, how)
            rows.append({"corpus": name, "fit": label, **measure(corpus, tokens, labels, model,
                                                                   regional),
                         "seconds": round(seconds, 1)})
            print(f"{name} | {label}: done in {seconds:.1f} s", file=sys.stderr)
    table = pd.DataFrame(rows)
    baseline = table[table["fit"] == "before (run)"].set_index("corpus")["c_v"]
    table["c_v / before (run)"] = table["c_v"] / table["corpus"].map(baseline)
    with pd.option_context("display.width", 250, "display.max_columns", 20,
                           "display.unicode.east_asian_width", True):
        print(table.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
