"""``nqp-text topics DIR --k 12 --seed 0``: LDA topics and their prevalence by year.

Seeded, per document, with the passes and term filters of ``nqp-text run``
and :func:`nqp_text.fit_topics` (:data:`nqp_text.topics.lda.DEFAULT_K` ...).

Example:
    $ nqp-text topics results --k 12 --seed 0 --plot
    $ nqp-text topics results --coherence 4 6 8 10 12
"""

from __future__ import annotations

import argparse
from typing import Any

from nqp_text.cli._analysis import add_directory, add_workers, open_workspace, save, show
from nqp_text.topics.defaults import (
    DEFAULT_K,
    DEFAULT_MAX_DF,
    DEFAULT_MIN_DF,
    DEFAULT_PASSES,
    DEFAULT_UNIT,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "topics", help="LDA topics (optionally seeded with the framework) and prevalence by year",
        description="Fit gensim LDA on the documents (or passages; single process, fixed "
                    "seed: the same command gives the same topics) and write DIR/topic_terms, "
                    "DIR/topic_prevalence and DIR/document_topics (.csv and .parquet).")
    add_directory(parser)
    parser.add_argument("--k", type=int, default=DEFAULT_K, help="number of topics")
    parser.add_argument("--unseeded", action="store_true",
                        help="free topics only (default, as in `nqp-text run`: the first six "
                             "topics are seeded with the framework categories' terms)")
    parser.add_argument("--seeded", action="store_true",
                        help="seed the first six topics (the default; kept for old scripts)")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--passes", type=int, default=DEFAULT_PASSES,
                        help="passes over the corpus")
    parser.add_argument("--unit", choices=["passage", "document"], default=DEFAULT_UNIT,
                        help="what one LDA document is")
    parser.add_argument("--by", default="year", help="column for topic prevalence")
    parser.add_argument("--min-df", type=int, default=DEFAULT_MIN_DF,
                        help="drop terms in fewer units")
    parser.add_argument("--max-df", type=float, default=DEFAULT_MAX_DF,
                        help="drop terms in more than this share of units")
    parser.add_argument("--coherence", type=int, nargs="+", metavar="K",
                        help="instead of one model, score c_v and u_mass for each K")
    parser.add_argument("--multicore", action="store_true",
                        help="gensim LdaMulticore: faster on many cores, NOT reproducible")
    parser.add_argument("--plot", action="store_true", help="also write a PNG chart")
    add_workers(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nqp_text.analysis.dtm import document_term_matrix
    from nqp_text.analysis.vocabulary import category_map
    from nqp_text.cli import UsageError
    from nqp_text.topics.lda import TopicModel

    workspace = open_workspace(args.directory)
    tokens = workspace.tokens(args.workers)
    seed_terms = None if args.unseeded else category_map()
    params = dict(passes=args.passes, min_df=args.min_df, max_df=args.max_df,
                  multicore=args.multicore)
    directory = workspace.directory
    try:
        if args.coherence:
            from nqp_text.topics.coherence import coherence_by_k

            table = coherence_by_k(tokens.tolist(), args.coherence, random_state=args.seed,
                                   seed_terms=seed_terms, **params)
            save(table, directory, "topic_coherence")
            show(table)
            if args.plot:
                _save_plot("coherence", table, directory / "topic_coherence.png")
            return 0
        dtm = document_term_matrix(workspace.corpus, unit=args.unit, tokens=tokens)
        model = TopicModel(k=args.k, seed_terms=seed_terms, random_state=args.seed,
                           **params).fit(dtm)
        prevalence = model.topic_prevalence(None if args.by == "all" else args.by)
    except (KeyError, ValueError) as error:
        raise UsageError(str(error.args[0] if error.args else error)) from None
    terms = model.top_terms(15)
    save(terms, directory, "topic_terms")
    save(prevalence, directory, "topic_prevalence")
    save(model.document_topics(), directory, "document_topics")
    for name in model.topic_names(8):
        print(name)
    if args.plot:
        _save_plot("prevalence", prevalence, directory / "topic_prevalence.png",
                   names=model.topic_names(3))
    return 0


def _save_plot(kind: str, table: Any, path: Any, names: list[str] | None = None) -> None:
    from nqp_text.viz.plots import plot_coherence, plot_topic_prevalence, save_figure

    figure = plot_coherence(table) if kind == "coherence" else plot_topic_prevalence(
        table, names=names)
    save_figure(figure, path)
    print(f"wrote {path}")
