"""What every nqp_text classifier shares: label-set predictions on top of per-category scores.

Subclasses implement ``_scores_from_analysis(texts, cuts, hits) -> (n, k) array``
(higher = more likely; ``cuts`` are the Segmenter's tokens of each text, ``hits``
its framework keywords) and ``_selected(scores) -> (n, k) bool``. Each text is
segmented once (:meth:`LabelSetMixin._analyse`); :meth:`LabelSetMixin.classify`
derives labels, probabilities and evidence strings from that one analysis. A
caller that has already cut the texts with the same segmenter (the pipeline's
segment stage) hands the cuts in (``classify(texts, tokens=cuts)``) and nothing
is segmented again; :attr:`LabelSetMixin.tokens_config` says which segmenter
configuration such cuts must come from. This mixin turns the scores into label sets
capped at three per passage (the guideline's limit), a 0/1 matrix, and a
``score`` (macro-F1) that ``cross_validate`` and ``GridSearchCV`` use by default.

Example:
    >>> from nqp_text.classify import DictionaryClassifier
    >>> DictionaryClassifier().predict(["加快建设全国统一大市场。"])
    [('factor_allocation',)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nqp_text.classify.evidence import Hit
from nqp_text.classify.labels import MAX_LABELS, cap_labels, to_indicator, to_label_sets


def as_texts(texts: Any) -> list[str]:
    """A list of strings from a list, Series, array or a single string (one text)."""
    if isinstance(texts, str):
        return [texts]
    values = list(texts.tolist() if hasattr(texts, "tolist") else texts)
    for i, text in enumerate(values):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, expected str")
    return values


def _checked_tokens(texts: list[str], tokens: Sequence[Sequence[str] | None]
                    ) -> Sequence[Sequence[str] | None]:
    """``tokens`` after checking that there is one per text and that each joins to its text.

    A cut that does not join back to its text (content tokens, another text's cut)
    would silently change the features, so it is an error naming the text.
    """
    if len(tokens) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(tokens)} token lists")
    for i, (text, given) in enumerate(zip(texts, tokens, strict=True)):
        if given is not None and "".join(given) != text:
            raise ValueError(f"tokens {i} do not join to text {i} ({text[:20]!r}...): pass "
                             "every token of the cut (Segmenter.cut), not content tokens")
    return tokens


class LabelSetMixin:
    """Label-set prediction and scoring for a multi-label text classifier."""

    categories_: tuple[str, ...]
    max_labels: int | None

    def _scores_from_analysis(self, texts: list[str], cuts: list[list[str]],
                              hits: list[list[Hit]]) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @property
    def tokens_config(self) -> str:
        """:meth:`~nqp_text.segment.Segmenter.cut_hash` of the segmenter whose cuts this
        model reads: cuts given through ``tokens=`` give exactly the labels of the
        model's own segmentation when they come from a segmenter with this hash."""
        return str(self._evidence_extractor().segmenter.cut_hash)

    def _analyse(self, texts: list[str], tokens: Sequence[Sequence[str] | None] | None = None
                 ) -> tuple[list[list[str]], list[list[Hit]]]:
        """Each text's tokens (segmented once, or taken from ``tokens``) and keyword hits.

        ``tokens``: one full cut per text (every token, punctuation included, as
        :meth:`~nqp_text.segment.Segmenter.cut` gives), or ``None`` for a text this
        model should cut itself.
        """
        extractor = self._evidence_extractor()
        cut = extractor.segmenter.cut
        if tokens is None:
            cuts = [cut(text) for text in texts]
        else:
            cuts = [list(given) if given is not None else cut(text)
                    for text, given in zip(texts, _checked_tokens(texts, tokens), strict=True)]
        return cuts, [extractor.hits_from_tokens(found) for found in cuts]

    def _scores(self, texts: list[str]) -> np.ndarray:
        return self._scores_from_analysis(texts, *self._analyse(texts))

    def _selected(self, scores: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _rank(self, scores: np.ndarray) -> np.ndarray:
        """Scores comparable across categories, used to keep the top labels."""
        return scores

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        """What :meth:`predict_proba` reports for given raw scores."""
        return scores

    def _indicator(self, scores: np.ndarray) -> np.ndarray:
        limit = MAX_LABELS if self.max_labels is None else self.max_labels
        return cap_labels(self._selected(scores), self._rank(scores), limit)

    def predict_indicator(self, texts: Any) -> np.ndarray:
        """``(n, k)`` 0/1 matrix of predicted labels, columns in :attr:`categories_` order."""
        return self._indicator(self._scores(as_texts(texts)))

    def predict_with_proba(self, texts: Any) -> tuple[np.ndarray, np.ndarray]:
        """``(predict_indicator(texts), predict_proba(texts))`` computed in one pass."""
        scores = self._scores(as_texts(texts))
        return self._indicator(scores), self._probabilities(scores)

    def classify(self, texts: Any, top: int = 3,
                 tokens: Sequence[Sequence[str] | None] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """``(predict_indicator, predict_proba, evidence)`` of ``texts`` from one analysis.

        Equal to calling the three methods separately, but every text is segmented
        and matched against the framework keywords only once. ``tokens``: the full
        cut of each text (``None`` for a text to cut here), e.g. what the segment
        stage already computed; the result equals the model's own segmentation's
        when the cuts come from a segmenter whose ``cut_hash`` is
        :attr:`tokens_config` (other cuts give other features: the caller decides).

        Example:
            >>> from nqp_text import Segmenter
            >>> from nqp_text.classify import DictionaryClassifier
            >>> model, segmenter = DictionaryClassifier(), Segmenter()
            >>> segmenter.cut_hash == model.tokens_config
            True
            >>> text = "加快建设全国统一大市场。"
            >>> model.classify([text], tokens=[segmenter.cut(text)])[2]
            ['factor_allocation: 全国统一大市场']
        """
        texts = as_texts(texts)
        cuts, hits = self._analyse(texts, tokens)
        scores = self._scores_from_analysis(texts, cuts, hits)
        extractor = self._evidence_extractor()
        return (self._indicator(scores), self._probabilities(scores),
                [extractor.evidence_string(found, top) for found in hits])

    def predict(self, texts: Any, tokens: Sequence[Sequence[str] | None] | None = None
                ) -> list[tuple[str, ...]]:
        """A label set (tuple of category ids, in category order) per text; ``()`` = none.

        ``tokens``: each text's full cut, as for :meth:`classify`.
        """
        if tokens is None:
            return to_label_sets(self.predict_indicator(texts), self.categories_)
        return to_label_sets(self.classify(texts, tokens=tokens)[0], self.categories_)

    def score(self, texts: Any, label_sets: Any, sample_weight: Any = None) -> float:
        """Macro-F1 over the categories (what scikit-learn model selection maximises)."""
        from sklearn.metrics import f1_score

        truth = to_indicator(label_sets, self.categories_)
        return float(f1_score(truth, self.predict_indicator(texts), average="macro",
                              zero_division=0, sample_weight=sample_weight))

    def label_matrix(self, label_sets: Any) -> np.ndarray:
        """Label sets (or an indicator matrix) as a 0/1 matrix in this model's column order."""
        return to_indicator(label_sets, self.categories_)

    def evidence(self, texts: Sequence[str], top: int = 3) -> list[str]:
        """A short readable evidence string per text: ``category: term, term; ...``.

        Per category (in category order) the ``top`` terms with the largest
        contribution (clauses x weight), ties by term.
        """
        extractor = self._evidence_extractor()
        return [extractor.evidence_string(extractor.hits(text), top) for text in as_texts(texts)]

    def _evidence_extractor(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError
