"""Topic coherence over a range of k, to help choose the number of topics.

For each ``k`` a :class:`~nqp_text.topics.lda.TopicModel` is fitted with the
same seed and scored with gensim's ``CoherenceModel``: ``c_v`` (sliding-window
NPMI with cosine similarity over the token lists; higher is better, usually
0.3-0.7) and ``u_mass`` (document co-occurrence; negative, closer to 0 is
better). gensim computes ``c_v`` with several processes by default; here
``processes=1`` so that the scores are the same on every run.

Example:
    >>> coherence_by_k(token_lists, ks=range(4, 16, 2), random_state=0)  # doctest: +SKIP
        k       c_v     u_mass
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from nqp_text.analysis.dtm import dtm_from_tokens
from nqp_text.errors import OptionError
from nqp_text.topics.lda import TopicModel

MEASURES = ("c_v", "u_mass")


def coherence_scores(model: TopicModel, token_lists: Sequence[Sequence[str]],
                     measures: Iterable[str] = MEASURES, topn: int = 10) -> dict[str, float]:
    """Coherence of a fitted model's topics under each measure (single process)."""
    from gensim.models import CoherenceModel

    model._check_fitted()
    texts = [list(tokens) for tokens in token_lists]
    scores = {}
    for measure in measures:
        if measure not in MEASURES:
            raise OptionError(f"unknown coherence measure {measure!r}; choose from {MEASURES}")
        options: dict[str, Any] = {"texts": texts} if measure == "c_v" else {
            "corpus": [model.dictionary_.doc2bow(tokens) for tokens in texts]}
        scorer = CoherenceModel(model=model.model_, dictionary=model.dictionary_,
                                coherence=measure, topn=topn, processes=1, **options)
        scores[measure] = float(scorer.get_coherence())
    return scores


def coherence_by_k(token_lists: Sequence[Sequence[str]], ks: Iterable[int], *,
                   measures: Iterable[str] = MEASURES, topn: int = 10, random_state: int = 0,
                   seed_terms: Mapping[str, Sequence[str]] | None = None,
                   **model_params: Any) -> pd.DataFrame:
    """Fit one model per ``k`` (same seed) and return ``k`` plus one column per measure.

    ``model_params`` go to :class:`TopicModel` (``passes``, ``min_df`` ...).
    """
    measures = list(measures)
    dtm = dtm_from_tokens(token_lists)
    rows = []
    for k in sorted(set(ks)):
        model = TopicModel(k=k, random_state=random_state, seed_terms=seed_terms,
                           **model_params).fit(dtm)
        rows.append({"k": k, **coherence_scores(model, token_lists, measures, topn)})
    return pd.DataFrame(rows, columns=["k", *measures])
