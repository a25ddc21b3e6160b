"""``nqp-text topics DIR``: LDA topics and their prevalence by year, with the shared defaults.

The same model as ``nqp_text.fit_topics`` and ``nqp-text run``: k=12, seeded
with the framework categories, unit chosen from the corpus (``--unit auto``),
place names left out of the vocabulary.

Example:
    $ nqp-text topics results --plot
    $ nqp-text topics results --unit document --unseeded --keep-places
    $ nqp-text topics results --coherence 4 6 8 10 12
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace, save, show
from nqp_text.topics import defaults


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "topics", help="LDA topics (seeded with the framework by default) and prevalence by year",
        description="Fit gensim LDA (single process, fixed seed: the same command gives the "
                    "same topics) and write DIR/topic_terms, DIR/topic_prevalence, "
                    "DIR/document_topics and, when DIR/labels.parquet exists, "
                    "DIR/topic_agreement (.csv and .parquet).")
    add_directory(parser)
    parser.add_argument("--k", type=int, default=defaults.K,
                        help=f"number of topics (default {defaults.K})")
    seeding = parser.add_mutually_exclusive_group()
    seeding.add_argument("--seeded", dest="seeded", action="store_true", default=defaults.SEEDED,
                         help="seed the first six topics with the framework categories' terms "
                              "(the default)")
    seeding.add_argument("--unseeded", dest="seeded", action="store_false",
                         help="free topics only (default: seeded, see --seeded)")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--seed-weight", type=float, default=defaults.SEED_WEIGHT,
                        help=f"prior mass of a seeded topic's seed terms, in average topics "
                             f"(default {defaults.SEED_WEIGHT})")
    parser.add_argument("--passes", type=int, default=defaults.PASSES,
                        help=f"passes over the corpus (default {defaults.PASSES})")
    parser.add_argument("--unit", choices=defaults.UNITS, default=defaults.UNIT,
                        help="what one LDA document is (default auto: passages for a few long "
                             "documents, documents for many short ones)")
    parser.add_argument("--by", default="year", help="column for topic prevalence")
    parser.add_argument("--min-df", type=int, default=defaults.MIN_DF, help="drop rarer terms")
    parser.add_argument("--max-df", type=float,
                        help="drop terms in more than this share of units (default 0.5)")
    parser.add_argument("--keep-places", action="store_true",
                        help="keep place names (provinces, cities, 全省 ...) in the vocabulary")
    parser.add_argument("--keep-policy-verbs", action="store_true",
                        help="keep the policy verbs (加快, 推进 ...) in the vocabulary")
    parser.add_argument("--coherence", type=int, nargs="+", metavar="K",
                        help="instead of one model, score c_v and u_mass for each K")
    parser.add_argument("--multicore", action="store_true",
                        help="gensim LdaMulticore: faster on many cores, NOT reproducible")
    parser.add_argument("--plot", action="store_true", help="also write a PNG chart")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.analysis.vocabulary import category_map
    from nqp_text.cli import UsageError
    from nqp_text.topics.lda import fit_topics

    workspace = open_workspace(args.directory)
    tokens = workspace.tokens(args.workers)
    params: dict[str, Any] = dict(passes=args.passes, min_df=args.min_df,
                                  seed_weight=args.seed_weight, keep_places=args.keep_places,
                                  keep_policy_verbs=args.keep_policy_verbs,
                                  multicore=args.multicore)
    if args.max_df is not None:
        params["max_df"] = args.max_df
    directory = workspace.directory
    try:
        if args.coherence:
            from nqp_text.topics.coherence import coherence_by_k

            seed_terms = category_map() if args.seeded else None
            table = coherence_by_k(tokens.tolist(), args.coherence, random_state=args.seed,
                                   seed_terms=seed_terms, **params)
            save(table, directory, "topic_coherence")
            show(table)
            if args.plot:
                _save_plot("coherence", table, directory / "topic_coherence.png")
            return 0
        model = fit_topics(workspace.corpus, k=args.k, seeded=args.seeded, seed=args.seed,
                           unit=args.unit, tokens=tokens, **params)
        prevalence = model.topic_prevalence(None if args.by == "all" else args.by)
    except KeyError as error:  # an unknown column
        raise UsageError(str(error.args[0] if error.args else error)) from None
    terms = model.top_terms(15)
    save(terms, directory, "topic_terms")
    save(prevalence, directory, "topic_prevalence")
    save(model.document_topics(), directory, "document_topics")
    print(f"unit: {model.unit_} ({model.unit_reason_}); "
          f"{len(model.place_terms_)} place names left out of the vocabulary")
    _diagnose(model, workspace, directory)
    for name in model.topic_names(8):
        print(name)
    if args.plot:
        _save_plot("prevalence", prevalence, directory / "topic_prevalence.png",
                   names=model.topic_names(3))
    return 0


def _diagnose(model: Any, workspace: Any, directory: Any) -> None:
    """Print the seeded share and agreement, warnings to stderr; write ``topic_model.json``
    (as ``nqp-text run`` does) and ``topic_agreement``."""
    from nqp_text import diagnostics
    from nqp_text._tables import write_json
    from nqp_text.topics.quality import diagnose, model_summary

    write_json(model_summary(model), directory / "topic_model.json")

    labels = workspace.labels
    passages = None
    if labels is not None:
        corpus = workspace.corpus
        passages = corpus.passages[["passage_id", "doc_id"]].merge(
            corpus.documents[["doc_id", "year"]], on="doc_id", how="left")
    summary, agreement = diagnose(model.document_topics(), model.labels_,
                                  list(model.seed_terms_), model.top_terms(10), labels, passages)
    if summary["seeded_share"] is not None:
        print(f"seeded topics hold {summary['seeded_share']:.1%} of the tokens")
    if labels is not None and len(agreement):
        save(agreement, directory, "topic_agreement")
        print(f"agreement with the classifier (mean Spearman rho): by document "
              f"{summary['agreement_by_document']}, by year {summary['agreement_by_year']}")
    for message in summary["warnings"]:
        diagnostics.warn("topic_quality", message, stage="topics")


def _save_plot(kind: str, table: Any, path: Any, names: list[str] | None = None) -> None:
    from nqp_text.viz.plots import plot_coherence, plot_topic_prevalence, save_figure

    figure = plot_coherence(table) if kind == "coherence" else plot_topic_prevalence(
        table, names=names)
    save_figure(figure, path)
    print(f"wrote {path}")
