"""DictionaryClassifier: the framework's weighted keywords and thresholds, nothing learned.

A category is labelled when its keyword evidence (see
:mod:`nqp_text.classify.evidence`: weights of distinct keywords per clause,
summed over clauses) reaches the category's ``threshold`` in the framework
file; at most three labels are kept: those with the highest evidence relative
to their threshold (``cap_by="evidence"``, the default), or, as the guideline's
cap says, those with the most text (``cap_by="text"``: the characters of the
clauses that give each category evidence; a tie goes to the category whose
first such clause comes earlier). Transparent and citable: :meth:`explain`
lists every term that contributed.

Example:
    >>> from nqp_text.classify import DictionaryClassifier
    >>> clf = DictionaryClassifier()
    >>> clf.predict(["培养高技能人才和大国工匠。"])
    [('labor_force',)]
    >>> table = clf.explain("培养高技能人才和大国工匠。")
    >>> table[["category", "term", "contribution"]].values.tolist()
    [['labor_force', '大国工匠', 1.0], ['labor_force', '高技能人才', 1.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from nqp_text.classify.base import LabelSetMixin, as_texts
from nqp_text.classify.evidence import EvidenceExtractor, Hit
from nqp_text.classify.labels import MAX_LABELS
from nqp_text.errors import OptionError
from nqp_text.framework import Framework, load_framework

#: What the three-label cap of :class:`DictionaryClassifier` ranks by.
CAP_BY: tuple[str, ...] = ("text", "evidence")


class DictionaryClassifier(LabelSetMixin, BaseEstimator):
    """Keyword-evidence classifier over a :class:`~nqp_text.framework.Framework`.

    ``fit`` learns nothing (it only builds the keyword matcher and checks the
    labels); ``predict`` works without it.

    Parameters
    ----------
    framework:
        a Framework, a path to a framework YAML, or ``None`` for the shipped one.
    segmenter:
        a :class:`~nqp_text.segment.Segmenter` (default: the shipped lexicon).
    threshold_scale:
        multiplies every category threshold (``> 1`` = more precise, fewer labels).
    max_labels:
        labels kept per passage (the guideline's 3).
    cap_by:
        which labels the cap keeps: ``"text"`` (the guideline v1.3 "three-label cap":
        the most characters of qualifying clauses, a tie to the earlier first clause;
        :meth:`~nqp_text.classify.evidence.EvidenceExtractor.text_support`) or
        ``"evidence"`` (the highest evidence relative to the threshold, ties in
        category order; the default: measured better on the dev files).
    contexts:
        keyword rules with context (:mod:`nqp_text.classify.contexts`):
        ``"default"`` (the shipped ``keyword_contexts.tsv``), ``None`` or a path.
    rulings:
        the guideline's passage, span and named-action rules
        (:mod:`nqp_text.classify.contexts_rulings`): ``"default"`` (the shipped
        ``guideline_rulings.tsv``), ``None`` or a path.
    """

    def __init__(self, framework: Any = None, segmenter: Any = None,
                 threshold_scale: float = 1.0, max_labels: int = MAX_LABELS,
                 contexts: Any = "default", rulings: Any = "default",
                 cap_by: str = "evidence") -> None:
        self.framework = framework
        self.segmenter = segmenter
        self.threshold_scale = threshold_scale
        self.max_labels = max_labels
        self.contexts = contexts
        self.rulings = rulings
        self.cap_by = cap_by

    def _build(self) -> None:
        framework = self.framework
        if framework is None or not isinstance(framework, Framework):
            framework = load_framework(framework)
        if not self.threshold_scale > 0:
            raise OptionError(f"threshold_scale must be positive, got {self.threshold_scale!r}")
        if self.cap_by not in CAP_BY:
            raise OptionError(f"cap_by must be one of {', '.join(CAP_BY)}, got {self.cap_by!r}")
        self.extractor_ = EvidenceExtractor(framework, self.segmenter, self.contexts,
                                            self.rulings)
        self.categories_ = framework.category_ids
        self.classes_ = np.array(self.categories_)
        self.thresholds_ = np.array([c.threshold for c in framework.categories]) \
            * float(self.threshold_scale)

    def fit(self, texts: Any = None, label_sets: Any = None) -> DictionaryClassifier:
        """Build the matcher; checks that ``label_sets`` use known category ids. Returns self."""
        self._build()
        if label_sets is not None:
            self.label_matrix(label_sets)
        return self

    def _ready(self) -> None:
        if not hasattr(self, "extractor_"):
            self._build()

    def _evidence_extractor(self) -> EvidenceExtractor:
        self._ready()
        return self.extractor_

    def _scores_from_analysis(self, texts: list[str], cuts: list[list[str]],
                              hits: list[list[Hit]]) -> np.ndarray:
        # (n, 2k): the evidence, then the text support the three-label cap ranks by.
        self._ready()
        return np.hstack([self.extractor_.scores_from_analysis(cuts, hits),
                          self.extractor_.text_support(cuts, hits)])

    def _evidence(self, scores: np.ndarray) -> np.ndarray:
        return scores[:, :len(self.categories_)]

    def _selected(self, scores: np.ndarray) -> np.ndarray:
        return self._evidence(scores) >= self.thresholds_

    def _rank(self, scores: np.ndarray) -> np.ndarray:
        if self.cap_by == "text":
            return scores[:, len(self.categories_):]
        return self._evidence(scores) / self.thresholds_

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        evidence = self._evidence(scores)
        return evidence / (evidence + self.thresholds_)

    def decision_function(self, texts: Any) -> np.ndarray:
        """Evidence minus threshold, ``(n, k)``: positive where a category is labelled."""
        self._ready()
        return self._evidence(self._scores(as_texts(texts))) - self.thresholds_

    def predict_proba(self, texts: Any) -> np.ndarray:
        """``evidence / (evidence + threshold)``, ``(n, k)``: 0.5 exactly at the threshold.

        Not a calibrated probability; a monotone squashing of the evidence.
        """
        return self._probabilities(self._scores(as_texts(texts)))

    def explain(self, text: str) -> pd.DataFrame:
        """Matched terms of one text: ``category, term, clauses, weight, contribution,
        threshold, selected`` (``selected``: whether the category's total reaches its
        threshold, before the three-label cap)."""
        self._ready()
        table = self.extractor_.explain(text)
        thresholds = dict(zip(self.categories_, self.thresholds_, strict=True))
        totals = table.groupby("category")["contribution"].sum()
        table["threshold"] = table["category"].map(thresholds).astype(float)
        table["selected"] = table["category"].map(
            lambda category: bool(totals[category] >= thresholds[category]))
        return table
