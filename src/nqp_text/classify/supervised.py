"""FrameworkClassifier: a supervised multi-label model on Segmenter tokens and keyword evidence.

Features (concatenated, see :mod:`nqp_text.classify.features`):

* TF-IDF of the Segmenter's content tokens (lexicon terms stay whole);
* TF-IDF of character 1-2-grams (robust to segmentation differences);
* the framework's keyword evidence, summed over clauses, in two tiers
  (core keywords, weight >= 1; supporting keywords, weight < 1), scaled by
  ``evidence_weight``.

One L2-regularised logistic regression per category (liblinear, deterministic;
``class_weight="balanced"`` for the rare categories); a category is labelled
when its probability reaches ``threshold``; at most ``max_labels`` labels are
kept (the most probable). Prediction is plain NumPy/SciPy arithmetic on the
fitted arrays, so a saved model predicts identically everywhere.

Example:
    >>> from nqp_text.classify import FrameworkClassifier
    >>> texts = ["培养高技能人才。", "建设全国统一大市场。", "召开会议。"] * 4
    >>> labels = [["labor_force"], ["factor_allocation"], []] * 4
    >>> model = FrameworkClassifier(min_df=1).fit(texts, labels)
    >>> model.predict(["大力培养高技能人才。"])
    [('labor_force',)]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from nqp_text.classify.base import LabelSetMixin, as_texts
from nqp_text.classify.evidence import EvidenceExtractor, Hit
from nqp_text.classify.features import TfidfSpace, char_ngrams, evidence_features
from nqp_text.classify.labels import MAX_LABELS
from nqp_text.framework import Framework, load_framework


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * values))


class FrameworkClassifier(LabelSetMixin, BaseEstimator):
    """Supervised framework-category classifier, scikit-learn compatible.

    ``fit(texts, label_sets)`` takes label sets (iterables of category ids) or a
    0/1 indicator matrix; ``predict`` returns label tuples, ``predict_proba`` and
    ``decision_function`` ``(n, k)`` arrays in :attr:`categories_` order.

    Parameters
    ----------
    framework:
        a Framework, a path to a framework YAML, or ``None`` for the shipped one.
    segmenter:
        a :class:`~nqp_text.segment.Segmenter` (default: the shipped lexicon).
    C:
        inverse regularisation strength of each logistic regression.
    char_ngrams:
        ``(min_n, max_n)`` of the character n-grams, or ``None`` to leave them out.
    word_features:
        include the token TF-IDF.
    min_df:
        keep word/character features seen in at least this many training passages.
    evidence_weight:
        scale of the keyword-evidence features (``0`` leaves them out).
    class_weight:
        ``"balanced"`` or ``None``, passed to each logistic regression.
    threshold:
        probability from which a category is labelled.
    max_labels:
        labels kept per passage (the guideline's 3).
    random_state:
        seed handed to the solver (liblinear is deterministic for this loss).
    """

    def __init__(self, framework: Any = None, segmenter: Any = None, C: float = 10.0,
                 char_ngrams: tuple[int, int] | None = (1, 2), word_features: bool = True,
                 min_df: int = 2, evidence_weight: float = 1.0,
                 class_weight: str | None = "balanced", threshold: float = 0.5,
                 max_labels: int = MAX_LABELS, random_state: int = 0) -> None:
        self.framework = framework
        self.segmenter = segmenter
        self.C = C
        self.char_ngrams = char_ngrams
        self.word_features = word_features
        self.min_df = min_df
        self.evidence_weight = evidence_weight
        self.class_weight = class_weight
        self.threshold = threshold
        self.max_labels = max_labels
        self.random_state = random_state

    # -- fitting --------------------------------------------------------------------
    def _resolve_framework(self) -> Framework:
        if isinstance(self.framework, Framework):
            return self.framework
        return load_framework(self.framework)

    def _check_params(self) -> None:
        if not self.word_features and self.char_ngrams is None and not self.evidence_weight:
            raise ValueError("no features: enable word_features, char_ngrams or evidence_weight")
        if self.char_ngrams is not None:
            low, high = self.char_ngrams
            if not 1 <= low <= high:
                raise ValueError(f"char_ngrams must be (min_n, max_n) with 1 <= min_n <= max_n, "
                                 f"got {self.char_ngrams!r}")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold!r}")
        if self.evidence_weight < 0:
            raise ValueError(f"evidence_weight must be >= 0, got {self.evidence_weight!r}")

    def fit(self, texts: Any, label_sets: Any) -> FrameworkClassifier:
        """Learn vocabularies, idf and one logistic regression per category; returns self."""
        from sklearn.linear_model import LogisticRegression

        self._check_params()
        framework = self._resolve_framework()
        self.extractor_ = EvidenceExtractor(framework, self.segmenter)
        self.framework_ = framework
        self.segmenter_ = self.extractor_.segmenter
        self.categories_ = framework.category_ids
        self.classes_ = np.array(self.categories_)
        texts = as_texts(texts)
        truth = self.label_matrix(label_sets)
        if len(truth) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(truth)} label sets")
        cuts = [self.segmenter_.cut(text) for text in texts]
        self.word_space_ = (TfidfSpace(self.min_df).fit(self._words(cuts))
                            if self.word_features else None)
        self.char_space_ = (TfidfSpace(self.min_df).fit(self._chars(texts))
                            if self.char_ngrams is not None else None)
        features = self._features(texts, cuts)
        coef = np.zeros((len(self.categories_), features.shape[1]))
        intercept = np.zeros(len(self.categories_))
        for j in range(len(self.categories_)):
            column = truth[:, j]
            if column.min() == column.max():
                # A category absent (or always present) in the training data: constant score.
                intercept[j] = 30.0 if column[0] else -30.0
                continue
            model = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                       solver="liblinear", max_iter=1000,
                                       random_state=self.random_state)
            model.fit(features, column)
            coef[j] = model.coef_[0]
            intercept[j] = model.intercept_[0]
        # Stored as float32 on disk: round here too, so a fitted and a loaded model agree exactly.
        self.coef_ = coef.astype(np.float32).astype(np.float64)
        self.intercept_ = intercept.astype(np.float32).astype(np.float64)
        self.n_features_ = features.shape[1]
        return self

    # -- features -----------------------------------------------------------------------
    def _words(self, cuts: list[list[str]]) -> list[list[str]]:
        keep = self.segmenter_.keep
        return [[token for token in tokens if keep(token)] for tokens in cuts]

    def _chars(self, texts: list[str]) -> list[list[str]]:
        assert self.char_ngrams is not None
        ngram_range = (int(self.char_ngrams[0]), int(self.char_ngrams[1]))
        return [char_ngrams(text, ngram_range) for text in texts]

    def _features(self, texts: list[str], cuts: list[list[str]],
                  hits: list[list[Hit]] | None = None) -> sparse.csr_matrix:
        blocks = []
        if self.word_space_ is not None:
            blocks.append(self.word_space_.transform(self._words(cuts)))
        if self.char_space_ is not None:
            blocks.append(self.char_space_.transform(self._chars(texts)))
        if self.evidence_weight:
            evidence = evidence_features(self.extractor_, cuts, hits) \
                * float(self.evidence_weight)
            blocks.append(sparse.csr_matrix(evidence))
        return sparse.hstack(blocks, format="csr")

    def transform(self, texts: Any) -> sparse.csr_matrix:
        """The feature matrix the logistic regressions see, ``(n, n_features_)``."""
        self._check_fitted()
        texts = as_texts(texts)
        return self._features(texts, [self.segmenter_.cut(text) for text in texts])

    # -- prediction ---------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this FrameworkClassifier is not fitted; call fit() or "
                                 "nqp_text.load_model()")

    def _logits(self, texts: list[str], cuts: list[list[str]] | None = None,
                hits: list[list[Hit]] | None = None) -> np.ndarray:
        self._check_fitted()
        if cuts is None:
            cuts = [self.segmenter_.cut(text) for text in texts]
        features = self._features(texts, cuts, hits)
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def _scores_from_analysis(self, texts: list[str], cuts: list[list[str]],
                              hits: list[list[Hit]]) -> np.ndarray:
        return _sigmoid(self._logits(texts, cuts, hits))

    def _selected(self, scores: np.ndarray) -> np.ndarray:
        return scores >= self.threshold

    def decision_function(self, texts: Any) -> np.ndarray:
        """Logits ``(n, k)``: ``>= logit(threshold)`` where a category is labelled."""
        return self._logits(as_texts(texts))

    def predict_proba(self, texts: Any) -> np.ndarray:
        """Per-category probabilities ``(n, k)`` (one-vs-rest, they need not sum to 1)."""
        return self._scores(as_texts(texts))

    def _evidence_extractor(self) -> EvidenceExtractor:
        self._check_fitted()
        return self.extractor_

    def explain(self, text: str) -> Any:
        """The framework keywords found in ``text`` (see
        :meth:`EvidenceExtractor.explain <nqp_text.classify.evidence.EvidenceExtractor.explain>`)
        with the model's probability of each category in ``probability``."""
        table = self._evidence_extractor().explain(text)
        probability = dict(zip(self.categories_, self.predict_proba([text])[0], strict=True))
        table["probability"] = table["category"].map(probability).astype(float)
        return table
