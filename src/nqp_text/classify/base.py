"""What every nqp_text classifier shares: label-set predictions on top of per-category scores.

Subclasses implement ``_scores_from_analysis(texts, cuts, hits) -> (n, k) array``
(higher = more likely; ``cuts`` are the Segmenter's tokens of each text, ``hits``
its framework keywords) and ``_selected(scores) -> (n, k) bool``. Each text is
segmented once (:meth:`LabelSetMixin._analyse`); :meth:`LabelSetMixin.classify`
derives labels, probabilities and evidence strings from that one analysis. This
mixin turns the scores into label sets
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


class LabelSetMixin:
    """Label-set prediction and scoring for a multi-label text classifier."""

    categories_: tuple[str, ...]
    max_labels: int | None

    def _scores_from_analysis(self, texts: list[str], cuts: list[list[str]],
                              hits: list[list[Hit]]) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _analyse(self, texts: list[str]) -> tuple[list[list[str]], list[list[Hit]]]:
        """Segment each text once; its tokens and its framework keyword hits."""
        extractor = self._evidence_extractor()
        cuts = [extractor.segmenter.cut(text) for text in texts]
        return cuts, [extractor.hits_from_tokens(tokens) for tokens in cuts]

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

    def classify(self, texts: Any, top: int = 3) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """``(predict_indicator, predict_proba, evidence)`` of ``texts`` from one analysis.

        Equal to calling the three methods separately, but every text is segmented
        and matched against the framework keywords only once.
        """
        texts = as_texts(texts)
        cuts, hits = self._analyse(texts)
        scores = self._scores_from_analysis(texts, cuts, hits)
        extractor = self._evidence_extractor()
        return (self._indicator(scores), self._probabilities(scores),
                [extractor.evidence_string(found, top) for found in hits])

    def predict(self, texts: Any) -> list[tuple[str, ...]]:
        """A label set (tuple of category ids, in category order) per text; ``()`` = none."""
        return to_label_sets(self.predict_indicator(texts), self.categories_)

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
