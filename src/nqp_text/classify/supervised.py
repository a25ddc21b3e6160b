"""FrameworkClassifier: a supervised multi-label model on Segmenter tokens and keyword evidence.

Features (concatenated, see :mod:`nqp_text.classify.features`):

* TF-IDF of the Segmenter's content tokens (lexicon terms stay whole);
* TF-IDF of character 1-2-grams (robust to segmentation differences);
* the framework's keyword evidence, summed over clauses, in two tiers
  (core keywords, weight >= 1; supporting keywords, weight < 1), scaled by
  ``evidence_weight``;
* optionally the averaged word vectors of the content tokens
  (:mod:`nqp_text.classify.embeddings`, trained on unlabelled text), scaled by
  ``vector_weight``;
* optionally paragraph-structure features (:mod:`nqp_text.classify.structure`:
  review/problem/list cues, the lead sentence's keyword evidence, list-ness and
  size), scaled by ``structure_weight`` (``0`` = off, the default).

Optionally (``nb_alpha > 0``) each category's regression sees the TF-IDF columns
scaled by their naive-Bayes log-count ratio for that category (NB-LR, Wang &
Manning 2012): words and character pairs typical of the category's passages
weigh more before the shared L2 penalty, those typical of its negatives turn
negative, uninformative ones shrink towards zero. The ratio is folded into the
fitted coefficients, so prediction and the saved arrays are unchanged.

Optionally (``best_sentence=True``) a second stage per category combines the
passage's logit with the largest logit among its sentences, each labelled alone
by the same regressions (an unweighted logistic regression on those two scores,
fitted on the calibration folds' out-of-fold scores): one qualifying clause can
then carry a long passage, and the combined score is a probability.

One L2-regularised logistic regression per category (liblinear's dual solver,
deterministic, about 20 times faster than the primal one here since there are far
more features than passages;
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
    >>> nb = FrameworkClassifier(min_df=1, nb_alpha=1.0, calibration_folds=0)
    >>> nb.fit(texts, labels).predict(["大力培养高技能人才。"])
    [('labor_force',)]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from nqp_text.classify.base import LabelSetMixin, as_texts
from nqp_text.classify.embeddings import WordVectors
from nqp_text.classify.evidence import EvidenceExtractor, Hit
from nqp_text.classify.features import (
    TfidfSpace,
    char_ngrams,
    evidence_features,
    sentence_examples,
)
from nqp_text.classify.labels import MAX_LABELS, check_training_labels
from nqp_text.classify.structure import StructureFeatures
from nqp_text.errors import InputError, OptionError
from nqp_text.framework import Framework, load_framework

#: Thresholds tried per category when ``category_thresholds=True``.
THRESHOLD_GRID = tuple(round(0.20 + 0.05 * i, 2) for i in range(13))


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def best_thresholds(logits: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per category the threshold in :data:`THRESHOLD_GRID` with the best F1 of
    ``logits >= logit(threshold)`` against ``truth`` (ties: the one nearest 0.5).

    Example:
        >>> best_thresholds(np.array([[2.0], [-0.2], [-3.0]]), np.array([[1], [1], [0]]))
        array([0.45])
    """
    order = sorted(THRESHOLD_GRID, key=lambda p: (abs(p - 0.5), p))
    out = np.full(truth.shape[1], 0.5)
    for j in range(truth.shape[1]):
        best = -1.0
        for p in order:
            predicted = logits[:, j] >= math.log(p / (1.0 - p))
            denominator = float(predicted.sum() + truth[:, j].sum())
            f1 = 2.0 * float((predicted & (truth[:, j] == 1)).sum()) / denominator \
                if denominator else 0.0
            if f1 > best + 1e-12:
                out[j], best = p, f1
    return out


def _fit_stage(logits: np.ndarray, best: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per category ``(passage weight, sentence weight, intercept)`` of an unweighted
    logistic regression from (passage logit, best sentence logit) to the label;
    ``(1, 0, 0)`` (the passage logit unchanged) for a category without both classes."""
    from sklearn.linear_model import LogisticRegression

    out = np.tile([1.0, 0.0, 0.0], (truth.shape[1], 1))
    for j in range(truth.shape[1]):
        if truth[:, j].min() == truth[:, j].max():
            continue
        model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000)
        model.fit(np.column_stack([logits[:, j], best[:, j]]), truth[:, j])
        out[j] = [float(model.coef_[0, 0]), float(model.coef_[0, 1]), float(model.intercept_[0])]
    return out


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
    contexts:
        keyword rules with context for the evidence features
        (:mod:`nqp_text.classify.contexts`): ``"default"``, ``None`` or a path.
    rulings:
        the guideline's passage, span and named-action rules for the evidence
        features (:mod:`nqp_text.classify.contexts_rulings`): ``"default"``,
        ``None`` or a path.
    sentence_weight:
        also train on the sentences of multi-sentence passages at this sample
        weight (``0`` = paragraphs only); see
        :func:`~nqp_text.classify.features.sentence_examples` for their labels.
    calibration_folds:
        inner folds for the Platt calibration of :meth:`predict_proba` (``0`` =
        none: the raw class-balanced sigmoid).
    category_thresholds:
        choose one threshold per category (from :data:`THRESHOLD_GRID`, best F1 on
        the calibration folds' out-of-fold logits; needs ``calibration_folds >= 2``)
        instead of ``threshold`` for all; stored in ``thresholds_``.
    word_vectors:
        a :class:`~nqp_text.classify.embeddings.WordVectors`, a folder holding
        ``word_vectors.npy``/``.tsv``, or ``None`` (no vector features): the
        averaged, L2-normalised vectors of each passage's content tokens are
        appended to the features (they are saved with the model).
    vector_weight:
        scale of the word-vector block (every other block's rows have norm 1 or
        are keyword counts; a larger weight lets the shared L2 penalty spend
        less on the vectors). Ignored without ``word_vectors``.
    structure_weight:
        scale of the paragraph-structure block
        (:class:`~nqp_text.classify.structure.StructureFeatures`, cues from
        ``classify/data/structure_cues.yaml``); ``0`` leaves it out.
    best_sentence:
        add the second stage on (passage logit, best sentence logit) described
        above; it replaces the Platt calibration (its output is the probability
        and is compared with ``threshold``) and needs ``calibration_folds >= 2``.
        Stored in ``stage_`` (per category: passage weight, sentence weight,
        intercept).
    nb_alpha:
        ``0`` (the default) = plain regressions; ``> 0`` = NB-LR: per category the
        word and character TF-IDF columns are multiplied by
        ``r = log((p + a) / |p + a|_1) - log((q + a) / |q + a|_1)``, where ``p`` and
        ``q`` are the column sums of the training rows (passages and sentence
        examples, unweighted) with and without the category and ``a = nb_alpha``
        (``1`` is Wang & Manning's smoothing); the other blocks stay unscaled. The
        regression's weights times ``r`` are stored in ``coef_``, so a fitted model
        predicts as ``features @ coef_.T + intercept_`` like any other. The
        calibration folds compute ``r`` on their own training rows.
    """

    def __init__(self, framework: Any = None, segmenter: Any = None, C: float = 3.0,
                 char_ngrams: tuple[int, int] | None = (1, 2), word_features: bool = True,
                 min_df: int = 2, evidence_weight: float = 1.0,
                 class_weight: str | None = "balanced", threshold: float = 0.5,
                 max_labels: int = MAX_LABELS, random_state: int = 0,
                 contexts: Any = "default", sentence_weight: float = 0.5,
                 calibration_folds: int = 5, category_thresholds: bool = False,
                 word_vectors: Any = None, vector_weight: float = 1.0,
                 structure_weight: float = 0.0, best_sentence: bool = False,
                 rulings: Any = "default", nb_alpha: float = 0.0) -> None:
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
        self.contexts = contexts
        self.sentence_weight = sentence_weight
        self.calibration_folds = calibration_folds
        self.category_thresholds = category_thresholds
        self.word_vectors = word_vectors
        self.vector_weight = vector_weight
        self.rulings = rulings
        self.structure_weight = structure_weight
        self.best_sentence = best_sentence
        self.nb_alpha = nb_alpha

    # -- fitting --------------------------------------------------------------------
    def _resolve_framework(self) -> Framework:
        if isinstance(self.framework, Framework):
            return self.framework
        return load_framework(self.framework)

    def _resolve_word_vectors(self) -> WordVectors | None:
        if self.word_vectors is None or isinstance(self.word_vectors, WordVectors):
            return self.word_vectors
        return WordVectors.load(self.word_vectors)

    def _check_params(self) -> None:
        if not self.word_features and self.char_ngrams is None and not self.evidence_weight:
            raise OptionError("no features: enable word_features, char_ngrams or evidence_weight")
        if self.char_ngrams is not None:
            low, high = self.char_ngrams
            if not 1 <= low <= high:
                raise OptionError(f"char_ngrams must be (min_n, max_n) with 1 <= min_n <= max_n, "
                                  f"got {self.char_ngrams!r}")
        if not 0.0 < self.threshold < 1.0:
            raise OptionError(f"threshold must be in (0, 1), got {self.threshold!r}")
        if self.evidence_weight < 0:
            raise OptionError(f"evidence_weight must be >= 0, got {self.evidence_weight!r}")
        if not self.vector_weight > 0:
            raise OptionError(f"vector_weight must be > 0, got {self.vector_weight!r}")
        if self.structure_weight < 0:
            raise OptionError(f"structure_weight must be >= 0, got {self.structure_weight!r}")
        if not self.nb_alpha >= 0:
            raise OptionError(f"nb_alpha must be >= 0, got {self.nb_alpha!r}")
        if self.sentence_weight < 0:
            raise OptionError(f"sentence_weight must be >= 0, got {self.sentence_weight!r}")
        if self.calibration_folds < 0 or self.calibration_folds == 1:
            raise OptionError(f"calibration_folds must be 0 or at least 2, got "
                              f"{self.calibration_folds!r}")
        if self.best_sentence and self.calibration_folds < 2:
            raise OptionError("best_sentence needs calibration_folds >= 2 (its second stage is "
                              "fitted on the calibration folds' out-of-fold scores)")
        if self.category_thresholds and self.calibration_folds < 2:
            raise OptionError("category_thresholds needs calibration_folds >= 2 (the thresholds "
                              "are chosen on the calibration folds' out-of-fold scores)")

    def fit(self, texts: Any, label_sets: Any, groups: Any = None) -> FrameworkClassifier:
        """Learn vocabularies, idf, one logistic regression per category and the
        probability calibration; returns self.

        ``groups`` (e.g. the document of each passage) make the calibration's inner
        folds grouped, so its out-of-fold scores are those of unseen documents.
        """
        self._check_params()
        framework = self._resolve_framework()
        self.extractor_ = EvidenceExtractor(framework, self.segmenter, self.contexts,
                                            self.rulings)
        self.framework_ = framework
        self.segmenter_ = self.extractor_.segmenter
        self.categories_ = framework.category_ids
        self.classes_ = np.array(self.categories_)
        self.word_vectors_ = self._resolve_word_vectors()
        self.structure_ = StructureFeatures() if self.structure_weight else None
        texts = as_texts(texts)
        truth = self.label_matrix(label_sets)
        if len(truth) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(truth)} label sets")
        if groups is not None and len(groups) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(groups)} groups")
        check_training_labels(truth, self.categories_)
        cuts = [self.segmenter_.cut(text) for text in texts]
        self.word_space_ = (TfidfSpace(self.min_df).fit(self._words(cuts))
                            if self.word_features else None)
        self.char_space_ = (TfidfSpace(self.min_df).fit(self._chars(texts))
                            if self.char_ngrams is not None else None)
        features = self._features(texts, cuts)
        parent = np.arange(len(texts))
        weight = np.ones(len(texts))
        if self.sentence_weight:
            rows, sentence_truth, sentence_parent = sentence_examples(
                self.extractor_, texts, truth)
            if rows:
                sentence_cuts = [self.segmenter_.cut(text) for text in rows]
                features = sparse.vstack([features, self._features(rows, sentence_cuts)],
                                         format="csr")
                truth = np.vstack([truth, sentence_truth])
                parent = np.concatenate([parent, sentence_parent])
                weight = np.concatenate([weight, np.full(len(rows), float(self.sentence_weight))])
        coef, intercept = self._fit_linear(features, truth, weight)
        # Stored as float32 on disk: round here too, so a fitted and a loaded model agree exactly.
        self.coef_ = coef.astype(np.float32).astype(np.float64)
        self.intercept_ = intercept.astype(np.float32).astype(np.float64)
        self.n_features_ = features.shape[1]
        sentences = self._sentence_features(texts) if self.best_sentence else None
        calibration, logits, best = self._fit_calibration(features, truth, weight, parent,
                                                          len(texts), groups, sentences)
        self.calibration_ = calibration.astype(np.float32).astype(np.float64)
        self.stage_ = None
        if self.best_sentence:
            k = len(self.categories_)
            self.calibration_ = np.tile([1.0, 0.0], (k, 1))
            stage = np.tile([1.0, 0.0, 0.0], (k, 1))
            if logits is not None:
                stage = _fit_stage(logits, best, truth[:len(texts)])
                logits = logits * stage[:, 0] + best * stage[:, 1] + stage[:, 2]
            self.stage_ = stage.astype(np.float32).astype(np.float64)
        self.thresholds_ = np.full(len(self.categories_), float(self.threshold))
        if self.category_thresholds and logits is not None:
            self.thresholds_ = best_thresholds(logits, truth[:len(texts)])
        return self

    def _sentence_features(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Features of every sentence of every text (a text without a sentence break is
        its own sentence) and the number of sentences per text."""
        from nqp_text.preprocess.passages import split_spans

        pieces = [[text[a:b] for a, b in split_spans(text, unit="sentence")] or [text]
                  for text in texts]
        rows = [piece for found in pieces for piece in found]
        matrix = self._features(rows, [self.segmenter_.cut(row) for row in rows])
        return matrix, np.array([len(found) for found in pieces], dtype=np.int64)

    def _fit_linear(self, features: sparse.csr_matrix, truth: np.ndarray,
                    weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        coef = np.zeros((truth.shape[1], features.shape[1]))
        intercept = np.zeros(truth.shape[1])
        for j in range(truth.shape[1]):
            coef[j], intercept[j] = self._fit_category(features, truth[:, j], weight)
        return coef, intercept

    def _fit_category(self, features: sparse.csr_matrix, column: np.ndarray,
                      weight: np.ndarray) -> tuple[np.ndarray, float]:
        """One category's regression: its coefficient row and intercept.

        A category absent (or always present) in the training data gets a
        constant score (zero coefficients, intercept ±30).
        """
        from sklearn.linear_model import LogisticRegression

        if column.min() == column.max():
            return np.zeros(features.shape[1]), 30.0 if column[0] else -30.0
        model = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                   solver="liblinear", dual=True, max_iter=1000,
                                   random_state=self.random_state)
        if self.nb_alpha:
            ratio = self._nb_ratio(features, column)
            model.fit(features @ sparse.diags(ratio), column, sample_weight=weight)
            return model.coef_[0] * ratio, float(model.intercept_[0])
        model.fit(features, column, sample_weight=weight)
        return model.coef_[0], float(model.intercept_[0])

    def _nb_ratio(self, features: sparse.csr_matrix, column: np.ndarray) -> np.ndarray:
        """Per feature column the smoothed log-count ratio of the rows with and without
        the category (``nb_alpha``); ``1`` for the columns after the TF-IDF blocks."""
        alpha = float(self.nb_alpha)
        n_tfidf = sum(len(space.vocabulary_) for space in (self.word_space_, self.char_space_)
                      if space is not None)
        positive = column == 1
        p = np.asarray(features[positive].sum(axis=0)).ravel()[:n_tfidf] + alpha
        q = np.asarray(features[~positive].sum(axis=0)).ravel()[:n_tfidf] + alpha
        ratio = np.ones(features.shape[1])
        ratio[:n_tfidf] = np.log(p / p.sum()) - np.log(q / q.sum())
        return ratio

    def _fit_calibration(self, features: sparse.csr_matrix, truth: np.ndarray,
                         weight: np.ndarray, parent: np.ndarray, n_passages: int,
                         groups: Any,
                         sentences: tuple[sparse.csr_matrix, np.ndarray] | None = None
                         ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Per category ``(slope, intercept)`` mapping a logit to a calibrated logit,
        the out-of-fold logits it was fitted on (``None`` without folds) and, given
        ``sentences`` (:meth:`_sentence_features` of the passages), each passage's
        out-of-fold best-sentence logits (else ``None``).

        Platt scaling on out-of-fold logits of the training passages: the
        logistic regressions are re-fitted in ``calibration_folds`` inner folds
        (grouped by ``groups`` when given; the vocabularies stay those of the full
        training set) and a one-feature logistic regression per category maps
        each held-out passage's logit to its label. ``(1, 0)`` = no change.
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold, KFold

        k = truth.shape[1]
        identity = np.tile([1.0, 0.0], (k, 1))
        folds = int(self.calibration_folds)
        if folds < 2:
            return identity, None, None
        ids = np.asarray(list(groups)) if groups is not None else np.arange(n_passages)
        if len(set(ids.tolist())) < folds:
            return identity, None, None
        splitter = (GroupKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
                    if groups is not None
                    else KFold(n_splits=folds, shuffle=True, random_state=self.random_state))
        logits = np.zeros((n_passages, k))
        best = np.zeros((n_passages, k)) if sentences is not None else None
        if sentences is not None:
            ends = np.cumsum(sentences[1])
            starts = ends - sentences[1]
        passage_rows = np.arange(n_passages)
        pieces = (splitter.split(passage_rows, groups=ids) if groups is not None
                  else splitter.split(passage_rows))
        for train, test in pieces:
            rows = np.flatnonzero(np.isin(parent, train))
            coef, intercept = self._fit_linear(features[rows], truth[rows], weight[rows])
            coef = coef.astype(np.float32).astype(np.float64)
            intercept = intercept.astype(np.float32).astype(np.float64)
            logits[test] = np.asarray(features[test] @ coef.T) + intercept
            if sentences is not None and best is not None:
                for i in test:
                    block = sentences[0][starts[i]:ends[i]]
                    best[i] = (np.asarray(block @ coef.T) + intercept).max(axis=0)
        out = identity.copy()
        for j in range(k):
            column = truth[:n_passages, j]
            if column.min() == column.max():
                continue
            platt = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
            platt.fit(logits[:, j:j + 1], column)
            out[j] = [float(platt.coef_[0, 0]), float(platt.intercept_[0])]
        return out, logits, best

    # -- features -----------------------------------------------------------------------
    def _words(self, cuts: list[list[str]]) -> list[list[str]]:
        return self.segmenter_.content_tokens(cuts)

    def _chars(self, texts: list[str]) -> list[list[str]]:
        assert self.char_ngrams is not None
        ngram_range = (int(self.char_ngrams[0]), int(self.char_ngrams[1]))
        return [char_ngrams(text, ngram_range) for text in texts]

    def _features(self, texts: list[str], cuts: list[list[str]],
                  hits: list[list[Hit]] | None = None) -> sparse.csr_matrix:
        blocks = []
        vectors = getattr(self, "word_vectors_", None)
        words = self._words(cuts) if self.word_space_ is not None or vectors is not None \
            else None
        if self.word_space_ is not None:
            blocks.append(self.word_space_.transform(words))
        if self.char_space_ is not None:
            blocks.append(self.char_space_.transform(self._chars(texts)))
        structure = getattr(self, "structure_", None)
        if hits is None and (self.evidence_weight or structure is not None):
            hits = [self.extractor_.hits_from_tokens(tokens) for tokens in cuts]
        if self.evidence_weight:
            evidence = evidence_features(self.extractor_, cuts, hits) \
                * float(self.evidence_weight)
            blocks.append(sparse.csr_matrix(evidence))
        if vectors is not None:
            blocks.append(sparse.csr_matrix(vectors.mean(words) * float(self.vector_weight)))
        if structure is not None:
            assert hits is not None
            block = structure.transform(texts, hits, self.categories_)
            blocks.append(sparse.csr_matrix(block * float(self.structure_weight)))
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
        logits = np.asarray(features @ self.coef_.T) + self.intercept_
        stage = getattr(self, "stage_", None)
        if stage is None or not len(texts):
            return logits
        matrix, sizes = self._sentence_features(texts)
        sentence_logits = np.asarray(matrix @ self.coef_.T) + self.intercept_
        ends = np.cumsum(sizes)
        best = np.vstack([sentence_logits[end - size:end].max(axis=0)
                          for size, end in zip(sizes.tolist(), ends.tolist(), strict=True)])
        return logits * stage[:, 0] + best * stage[:, 1] + stage[:, 2]

    def _scores_from_analysis(self, texts: list[str], cuts: list[list[str]],
                              hits: list[list[Hit]]) -> np.ndarray:
        return self._logits(texts, cuts, hits)

    def _selected(self, scores: np.ndarray) -> np.ndarray:
        thresholds = getattr(self, "thresholds_", None)
        if thresholds is None:
            thresholds = np.full(scores.shape[1], float(self.threshold))
        return scores >= np.log(thresholds / (1.0 - thresholds))

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        calibration = getattr(self, "calibration_", None)
        if calibration is None:
            return _sigmoid(scores)
        return _sigmoid(scores * calibration[:, 0] + calibration[:, 1])

    def decision_function(self, texts: Any) -> np.ndarray:
        """Logits ``(n, k)`` of the class-balanced regressions (before calibration;
        with ``best_sentence``, of the second stage): ``>= logit(threshold)`` where a
        category is labelled."""
        return self._logits(as_texts(texts))

    def predict_proba(self, texts: Any) -> np.ndarray:
        """Calibrated per-category probabilities ``(n, k)`` (one-vs-rest, they need not
        sum to 1): Platt scaling of the logits fitted on inner out-of-fold scores, so
        that among passages given 0.3 about 30% carry the label. Labels come from the
        uncalibrated logits (:attr:`threshold` on the class-balanced regression), so a
        rare category can be labelled with a probability below 0.5."""
        return self._probabilities(self._scores(as_texts(texts)))

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
