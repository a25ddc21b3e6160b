"""Lexicon expansion: Word2Vec neighbours of a category's seed terms, for a researcher to review.

:class:`LexiconExpander` trains gensim ``Word2Vec`` on token lists with one
worker thread, a fixed ``seed`` and a hash function that does not depend on
``PYTHONHASHSEED``, so the vectors — and the proposals — are the same on every
run. :meth:`LexiconExpander.propose` ranks the vocabulary by cosine similarity
to the mean vector of a category's seed terms found in the corpus and returns
the ``topn`` best candidates that are not yet lexicon terms (nor seeds, bare
numbers or single characters), with the seed each candidate is closest to.

Example:
    >>> expander = LexiconExpander(random_state=0).fit(token_lists)  # doctest: +SKIP
    >>> expander.propose({"factor_allocation": ["数据要素", "要素市场化配置"]})  # doctest: +SKIP
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from nqp_text._seeds import resolve_random_state
from nqp_text.analysis._inputs import TokensLike, passage_tokens
from nqp_text.analysis.vocabulary import category_map, lexicon_table
from nqp_text.corpus import Corpus
from nqp_text.errors import InputError

EXPANSION_COLUMNS = ["category", "rank", "candidate", "similarity", "count", "nearest_seed",
                     "seed_similarity", "n_seeds"]
_NUMBER = re.compile(r"^[\d.,%％]+$")


def _stable_hash(text: str) -> int:
    """A string hash that is the same in every process (unlike ``hash``)."""
    return zlib.crc32(text.encode("utf-8"))


class LexiconExpander(BaseEstimator):
    """Word2Vec on a corpus; propose new terms near each category's seeds (scikit-learn estimator).

    Parameters mirror gensim's ``Word2Vec`` (``vector_size``, ``window``,
    ``min_count``, ``epochs``, ``sg``) plus ``random_state`` (the seed; 0 when not given;
    ``seed`` is kept as its alias, with the same results); ``workers`` is 1 by
    default because more threads make training order, and the vectors,
    irreproducible. ``fit`` sets ``model_`` (the gensim model); :meth:`propose`
    before ``fit`` raises scikit-learn's ``NotFittedError``.
    """

    def __init__(self, *, vector_size: int = 100, window: int = 5, min_count: int = 5,
                 epochs: int = 10, sg: int = 1, random_state: int | None = None,
                 workers: int = 1, seed: int | None = None) -> None:
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.sg = sg
        self.random_state = random_state
        self.workers = workers
        self.seed = seed

    def fit(self, token_lists: Iterable[Sequence[str]]) -> LexiconExpander:
        """Train Word2Vec on ``token_lists`` (one list per passage)."""
        from gensim.models import Word2Vec

        sentences = [list(tokens) for tokens in token_lists if len(tokens)]
        if not sentences:
            raise InputError("no tokens to train Word2Vec on")
        self.model_ = Word2Vec(sentences=sentences, vector_size=self.vector_size,
                               window=self.window, min_count=self.min_count, epochs=self.epochs,
                               sg=self.sg, seed=resolve_random_state(self.seed, self.random_state),
                               workers=self.workers,
                               hashfxn=_stable_hash)
        return self

    def propose(self, seeds: Mapping[str, Sequence[str]], topn: int = 20,
                exclude: Iterable[str] | None = None) -> pd.DataFrame:
        """The ``topn`` nearest new candidates per category (columns ``EXPANSION_COLUMNS``).

        ``exclude``: terms never proposed (default: the segmentation lexicon).
        A category none of whose seeds is in the model's vocabulary gets no rows.
        """
        check_is_fitted(self, "model_")
        vectors = self.model_.wv
        excluded = set(exclude) if exclude is not None else set(
            lexicon_table()["term"].astype(str))
        normed = vectors.get_normed_vectors()
        keys = list(vectors.index_to_key)
        rows = []
        for category, terms in seeds.items():
            found = [term for term in dict.fromkeys(terms) if term in vectors.key_to_index]
            if not found:
                continue
            seed_matrix = normed[[vectors.key_to_index[t] for t in found]]
            centre = seed_matrix.mean(axis=0)
            centre /= np.linalg.norm(centre) or 1.0
            similarity = normed @ centre
            to_seeds = normed @ seed_matrix.T
            order = np.lexsort((np.arange(len(keys)), -similarity))
            rank = 0
            for index in order:
                term = keys[index]
                if (term in excluded or term in found or len(term) < 2
                        or _NUMBER.match(term)):
                    continue
                rank += 1
                nearest = int(np.argmax(to_seeds[index]))
                rows.append((category, rank, term, float(similarity[index]),
                             int(vectors.get_vecattr(term, "count")), found[nearest],
                             float(to_seeds[index, nearest]), len(found)))
                if rank == topn:
                    break
        return pd.DataFrame(rows, columns=EXPANSION_COLUMNS)


def expand_lexicon(corpus: Corpus, categories: str | Sequence[str] | None = None, *,
                   topn: int = 20, seed: int | None = None, tokens: TokensLike = None,
                   segmenter: Any = None, workers: int = 1, framework: Any = None,
                   random_state: int | None = None, **word2vec: Any) -> pd.DataFrame:
    """Train Word2Vec on the corpus passages and propose ``topn`` new terms per category.

    ``categories``: one id, a list, or ``None`` for the six framework
    categories; their terms are the seeds (see
    :func:`~nqp_text.analysis.vocabulary.category_terms`). ``word2vec`` goes to
    :class:`LexiconExpander` (``vector_size``, ``epochs``, ``min_count`` ...).

    Example:
        >>> expand_lexicon(corpus, "factor_allocation", topn=10)  # doctest: +SKIP
    """
    chosen = [categories] if isinstance(categories, str) else categories
    seeds = category_map(list(chosen) if chosen else None, framework)
    token_lists = passage_tokens(corpus, tokens, segmenter, workers)
    expander = LexiconExpander(random_state=resolve_random_state(seed, random_state),
                               **word2vec).fit(token_lists)
    return expander.propose(seeds, topn=topn)
