"""Keyword evidence: which framework keywords a passage mentions, clause by clause.

A passage is cut by the Segmenter (lexicon terms stay whole) and split into
clauses at sentence-level punctuation (。；！？ and their ASCII forms). In each
token the framework keywords are found leftmost-longest, so a token that *is* a
keyword counts as that keyword (``新能源汽车`` is not ``新能源``), and a longer
lexicon term that contains keywords counts as them (``数据要素市场化配置``).
A keyword counts once per clause; a category's clause score is the sum of the
weights of its keywords in the clause, and the passage evidence is the sum over
clauses. Policy paragraphs are several clauses, each about one thing, so a
term repeated in many clauses is stronger evidence than one repeated within a list.

Example:
    >>> from nqp_text.classify.evidence import EvidenceExtractor
    >>> ex = EvidenceExtractor()
    >>> hits = ex.hits("加快发展人工智能。培养高技能人才。")
    >>> sorted({(h.category, h.term) for h in hits})
    [('labor_force', '高技能人才'), ('tech_innovation', '人工智能')]
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.classify.contexts import KeywordContexts, as_contexts
from nqp_text.classify.contexts_rulings import Rulings, as_rulings
from nqp_text.framework import Framework, load_framework

#: Tokens that end a clause.
CLAUSE_ENDS = frozenset({"。", "；", "！", "？", ";", "!", "?", "\n"})
#: Characters that separate the parts of a clause (the ``keeps`` exception counts them).
_COMMAS = ("，", ",")
#: Distinct tokens whose keywords an extractor remembers (then it starts afresh).
_FIND_MEMO = 200_000


@dataclass(frozen=True)
class Hit:
    """One keyword found in one clause, with its weight for one category."""

    clause: int
    term: str
    category: str
    weight: float


def split_clauses(tokens: Sequence[str]) -> list[list[str]]:
    """Group a token stream into clauses at :data:`CLAUSE_ENDS` (the end token is dropped).

    Example:
        >>> split_clauses(["发展", "算力", "。", "培养", "人才"])
        [['发展', '算力'], ['培养', '人才']]
    """
    clauses: list[list[str]] = [[]]
    for token in tokens:
        if token in CLAUSE_ENDS:
            if clauses[-1]:
                clauses.append([])
        else:
            clauses[-1].append(token)
    if not clauses[-1] and len(clauses) > 1:
        clauses.pop()
    return clauses


class EvidenceExtractor:
    """Finds a framework's weighted keywords in texts (no learning; immutable once built).

    ``framework`` is a :class:`~nqp_text.framework.Framework` (default: the shipped
    one); ``segmenter`` a :class:`~nqp_text.segment.Segmenter` (default: the shipped
    lexicon). Keywords that the segmenter does not know are added to a copy of it,
    so a user's own keywords are kept whole too. ``contexts``: keyword rules with
    context (:mod:`nqp_text.classify.contexts`); ``rulings``: the guideline's
    passage, span and named-action rules (:mod:`nqp_text.classify.contexts_rulings`);
    each ``"default"``, ``None`` or a path.
    """

    def __init__(self, framework: Framework | None = None, segmenter: Any = None,
                 contexts: Any = "default", rulings: Any = "default") -> None:
        from nqp_text.segment import Segmenter

        self.framework = framework if framework is not None else load_framework()
        self.categories: tuple[str, ...] = self.framework.category_ids
        base = segmenter if segmenter is not None else Segmenter()
        known = base.terms
        missing = sorted({term for category in self.framework.categories
                          for term in category.keywords} - set(known))
        if missing:
            base = copy.deepcopy(base).add_words(missing)
        self.segmenter = base
        self._weights: dict[str, dict[str, float]] = {}
        for category in self.framework.categories:
            for term, weight in category.keywords.items():
                self._weights.setdefault(term, {})[category.id] = weight
        self._max_len = max((len(term) for term in self._weights), default=0)
        self.contexts: KeywordContexts = as_contexts(contexts)
        self.rulings: Rulings = as_rulings(rulings, self.categories)

    def _find(self, token: str) -> tuple[tuple[str, int], ...]:
        """``(keyword, offset)`` inside ``token``, leftmost-longest and without overlaps.

        Remembered per token (a corpus repeats its tokens; the keywords never change).
        """
        memo = self.__dict__.setdefault("_found", {})
        found = memo.get(token)
        if found is None:
            if len(memo) >= _FIND_MEMO:
                memo.clear()
            found = memo[token] = tuple(self._search(token))
        return found

    def _search(self, token: str) -> list[tuple[str, int]]:
        weights = self._weights
        if token in weights:
            return [(token, 0)]
        found: list[tuple[str, int]] = []
        position, size = 0, len(token)
        while position < size:
            for length in range(min(self._max_len, size - position), 0, -1):
                piece = token[position:position + length]
                if piece in weights:
                    found.append((piece, position))
                    position += length
                    break
            else:
                position += 1
        return found

    def hits_from_tokens(self, tokens: Sequence[str]) -> list[Hit]:
        """Every (clause, keyword, category) of an already cut token stream.

        An occurrence that a context rule blocks (``self.contexts``) or that lies in a
        blocked span (``self.rulings``) is skipped; a passage a ``passage`` ruling
        matches has none, except in a clause a ``keeps`` ruling matches, for a category
        whose keywords occur in at least two of the clause's comma-separated parts; in
        a long enumeration (an ``enumeration`` ruling), a category that only one item
        gives does not count; inside a ``counts_as`` ruling's match (a list of industry
        names) a keyword counts only for the rule's category; a clause an ``adds``
        ruling matches gets that category
        (term = the matched text, weight 1) unless a keyword already gave it.
        """
        contexts, rulings = self.contexts, self.rulings
        summary = rulings.blocks_passage("".join(tokens))
        if summary and not rulings.has_keeps:
            return []
        hits: list[Hit] = []
        for number, clause in enumerate(split_clauses(tokens)):
            text = "".join(clause) if len(contexts) or len(rulings) else ""
            if summary and not rulings.keeps(text):
                continue
            spans = rulings.blocked_spans(text) if text else []
            found: list[tuple[str, int]] = []
            start = 0
            for token in clause:
                for term, offset in self._find(token):
                    at = start + offset
                    if term in contexts and contexts.blocks(term, text, at):
                        continue
                    if spans and any(a <= at and at + len(term) <= b for a, b in spans):
                        continue
                    found.append((term, at))
                start += len(token)
            limits = rulings.category_spans(text) if text and found else []
            seen = self._counted(found, text, summary, limits)
            given: set[str] = set()
            for term, categories in seen.items():
                for category, weight in self._weights[term].items():
                    if category in categories:
                        hits.append(Hit(number, term, category, weight))
                        given.add(category)
            if summary:
                continue
            for matched, category in rulings.added(text) if text else ():
                if category not in given:
                    hits.append(Hit(number, matched, category, 1.0))
                    given.add(category)
        return hits

    def _counted(self, found: Sequence[tuple[str, int]], text: str, summary: bool,
                 limits: Sequence[tuple[int, int, str]] = ()) -> dict[str, set[str]]:
        """Per keyword of one clause (first occurrence order), the categories it counts for.

        ``found``: ``(keyword, offset in text)``. In an ``enumeration`` ruling's match, a
        category given by one item only does not count from that item; in a ``summary``
        passage (the exception to a ``passage`` ruling), a category counts only when
        its keywords occur in two or more comma-separated parts of the clause.
        ``limits``: ``(start, end, category)`` of the ``counts_as`` matches; an
        occurrence inside one counts only for that category.
        """
        weights = self._weights
        allowed: dict[str, set[str]] = {}
        lists = self.rulings.enumerations(text) if text and found else []
        for term, at in found:
            categories = set(weights[term])
            for items in lists:
                item = next((n for n, (a, b) in enumerate(items)
                             if a <= at and at + len(term) <= b), None)
                if item is None:
                    continue
                for category in list(categories):
                    givers = {n for other, where in found if category in weights[other]
                              for n, (a, b) in enumerate(items)
                              if a <= where and where + len(other) <= b}
                    if len(givers) < 2:
                        categories.discard(category)
            for a, b, only in limits:
                if a <= at and at + len(term) <= b:
                    categories &= {only}
            allowed.setdefault(term, set()).update(categories)
        if summary:
            parts: dict[str, set[int]] = {}
            for term, at in found:
                part = sum(text[:at].count(comma) for comma in _COMMAS)
                for category in allowed.get(term, ()):
                    parts.setdefault(category, set()).add(part)
            developed = {category for category, where in parts.items() if len(where) >= 2}
            allowed = {term: categories & developed for term, categories in allowed.items()}
        return {term: categories for term, categories in allowed.items() if categories}

    def hits(self, text: str) -> list[Hit]:
        """Every (clause, keyword, category) of ``text``."""
        return self.hits_from_tokens(self.segmenter.cut(text))

    def clause_scores(self, tokens: Sequence[str],
                      hits: Sequence[Hit] | None = None) -> np.ndarray:
        """``(n_clauses, n_categories)`` keyword scores of a cut token stream.

        ``hits``: :meth:`hits_from_tokens` of ``tokens`` when already computed.
        """
        clauses = split_clauses(tokens)
        scores = np.zeros((max(len(clauses), 1), len(self.categories)))
        column = {category: j for j, category in enumerate(self.categories)}
        for hit in self.hits_from_tokens(tokens) if hits is None else hits:
            scores[hit.clause, column[hit.category]] += hit.weight
        return scores

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """``(n_texts, n_categories)`` passage evidence: clause scores summed."""
        cuts = [self.segmenter.cut(text) for text in texts]
        return self.scores_from_analysis(cuts, [self.hits_from_tokens(c) for c in cuts])

    def scores_from_analysis(self, cuts: Sequence[Sequence[str]],
                             hits: Sequence[Sequence[Hit]]) -> np.ndarray:
        """:meth:`scores` from already cut texts and their :meth:`hits_from_tokens`."""
        out = np.zeros((len(cuts), len(self.categories)))
        for i, (tokens, found) in enumerate(zip(cuts, hits, strict=True)):
            out[i] = self.clause_scores(tokens, found).sum(axis=0)
        return out

    def text_support(self, cuts: Sequence[Sequence[str]],
                     hits: Sequence[Sequence[Hit]]) -> np.ndarray:
        """``(n_texts, n_categories)``: how much text supports each category, for the
        guideline's three-label cap ("keep the three with the most text").

        The guideline (v1.3, "The three-label cap") measures it as the characters of
        each category's qualifying clauses; a tie for the last slot goes to the category
        whose first qualifying clause comes earlier. Here a qualifying clause is a clause
        with a hit of the category; the value is its characters plus a fraction below
        one that is larger the earlier the category's first clause, so sorting by it
        applies both rules. ``0`` where a category has no hit.

        Example:
            >>> ex = EvidenceExtractor()
            >>> text = "培养人才。加快发展人工智能和量子科技，建设国家实验室。"
            >>> cut = ex.segmenter.cut(text)
            >>> support = ex.text_support([cut], [ex.hits_from_tokens(cut)])[0]
            >>> int(support[2]), int(support[3])    # labor_force, tech_innovation
            (4, 21)
        """
        out = np.zeros((len(cuts), len(self.categories)))
        column = {category: j for j, category in enumerate(self.categories)}
        for i, (tokens, found) in enumerate(zip(cuts, hits, strict=True)):
            sizes = [sum(len(token) for token in clause) for clause in split_clauses(tokens)]
            clauses: dict[str, set[int]] = {}
            for hit in found:
                clauses.setdefault(hit.category, set()).add(hit.clause)
            for category, numbers in clauses.items():
                out[i, column[category]] = (sum(sizes[n] for n in numbers)
                                            + 0.5 / (1 + min(numbers)))
        return out

    def evidence_string(self, hits: Sequence[Hit], top: int = 3) -> str:
        """``category: term, term; ...``: per category (in category order) the ``top``
        terms with the largest contribution (clauses x weight), ties by term.

        Example:
            >>> ex = EvidenceExtractor()
            >>> ex.evidence_string(ex.hits("培养高技能人才。"))
            'labor_force: 高技能人才'
        """
        order = {category: j for j, category in enumerate(self.categories)}
        totals: dict[str, dict[str, float]] = {}
        for hit in hits:
            terms = totals.setdefault(hit.category, {})
            terms[hit.term] = terms.get(hit.term, 0.0) + hit.weight
        parts = []
        for category in sorted(totals, key=order.__getitem__):
            ranked = sorted(totals[category].items(), key=lambda item: (-item[1], item[0]))
            parts.append(f"{category}: {', '.join(term for term, _ in ranked[:top])}")
        return "; ".join(parts)

    def explain(self, text: str) -> pd.DataFrame:
        """``category, term, clauses, weight, contribution`` for every keyword found.

        ``clauses`` is how many clauses mention the term; ``contribution`` is
        ``clauses * weight``, and a category's evidence is the sum of its rows.
        Rows are in category order, then by decreasing contribution, then term.
        """
        counts: dict[tuple[str, str], list[Any]] = {}
        for hit in self.hits(text):
            entry = counts.setdefault((hit.category, hit.term), [0, hit.weight])
            entry[0] += 1
        order = {category: j for j, category in enumerate(self.categories)}
        rows = [(category, term, n, weight, n * weight)
                for (category, term), (n, weight) in counts.items()]
        rows.sort(key=lambda row: (order[row[0]], -row[4], row[1]))
        return pd.DataFrame(rows, columns=["category", "term", "clauses", "weight",
                                           "contribution"])
