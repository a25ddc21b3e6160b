"""A :class:`Measure`: a named dictionary of dimensions and terms, with its source.

A measure is what a text study counts: dimensions (人工智能技术, 大数据技术 ...)
each with a list of terms, plus where the list comes from (``citation``,
``source``), a ``version`` and the counting rule. The only rule is
``"leftmost_longest"`` (rule 2 of :mod:`nqp_text.analysis.counting`): scanning
left to right, the longest term starting at a position is taken and the scan
resumes after it, so 数字化 inside 数字化转型 is never counted twice.
``context`` terms take part in that matching without being counted (the
framework measures use the segmentation lexicon as context, which is what
:func:`nqp_text.category_frequencies` has always done).

A term may belong to several dimensions (it then counts in each); the
measure's ``total`` counts every matched stretch of text once. ``weights``
(term -> weight per dimension) give a weighted sum besides the count.

Example:
    >>> m = Measure("digital", {"ai": ["人工智能", "机器学习"], "data": ["大数据"]})
    >>> m.terms
    ['人工智能', '机器学习', '大数据']
    >>> m.dimension_of("大数据")
    ['data']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nqp_text.errors import InputError
from nqp_text.preprocess.normalize import normalize_characters

RULES = ("leftmost_longest",)
#: The dimension name the tables use for the whole measure.
TOTAL = "total"
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class MeasureError(InputError):
    """A measure definition is invalid; the message names the file (and line) when known."""


@dataclass(frozen=True)
class Measure:
    """A named dictionary: ``dimensions`` (name -> terms), its source and counting rule.

    Parameters are stored as given (terms as tuples); :meth:`validated` checks
    them. ``labels`` maps a dimension to a display name (Chinese for Stata
    variable labels); ``prefix`` is the short ASCII stem of panel variable names.
    """

    name: str
    dimensions: Mapping[str, Sequence[str]]
    title: str | None = None
    citation: str | None = None
    source: str | None = None
    version: str | None = None
    rule: str = "leftmost_longest"
    labels: Mapping[str, str] = field(default_factory=dict)
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    context: Sequence[str] = ()
    prefix: str | None = None
    verification: str | None = None
    origin: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions",
                           {str(k): tuple(v) for k, v in dict(self.dimensions).items()})
        object.__setattr__(self, "labels", dict(self.labels))
        object.__setattr__(self, "weights", {str(k): dict(v) for k, v in
                                             dict(self.weights).items()})
        object.__setattr__(self, "context", tuple(self.context))

    @property
    def terms(self) -> list[str]:
        """Every term once, in dimension then listing order."""
        return list(dict.fromkeys(term for terms in self.dimensions.values() for term in terms))

    @property
    def n_terms(self) -> int:
        """Number of distinct terms."""
        return len(self.terms)

    def dimension_of(self, term: str) -> list[str]:
        """The dimensions listing ``term``."""
        return [name for name, terms in self.dimensions.items() if term in terms]

    def weight(self, dimension: str, term: str) -> float:
        """The weight of ``term`` in ``dimension`` (1 unless given)."""
        return float(self.weights.get(dimension, {}).get(term, 1.0))

    @property
    def weighted(self) -> bool:
        """Whether any term has a weight other than 1."""
        return any(w != 1.0 for per in self.weights.values() for w in per.values())

    def label(self, dimension: str) -> str:
        """Display name of a dimension (its label, else its name)."""
        if dimension == TOTAL:
            return self.labels.get(TOTAL, "合计")
        return self.labels.get(dimension, dimension)

    @property
    def stem(self) -> str:
        """ASCII prefix of panel variables: ``prefix`` or a cleaned ``name`` (≤ 12 chars)."""
        if self.prefix:
            return self.prefix
        cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", self.name).strip("_").lower()
        if not cleaned or not cleaned[0].isalpha():
            cleaned = f"m_{cleaned}".rstrip("_")
        return cleaned[:12].rstrip("_")

    def validated(self) -> Measure:
        """``self`` after checking it; :class:`MeasureError` says what is wrong and where."""
        where = f"{self.origin}: " if self.origin else ""
        if not str(self.name).strip():
            raise MeasureError(f"{where}a measure needs a name")
        if self.rule not in RULES:
            raise MeasureError(f"{where}measure {self.name!r}: unknown counting rule "
                               f"{self.rule!r}; supported: {', '.join(RULES)}")
        if not self.dimensions:
            raise MeasureError(f"{where}measure {self.name!r} has no dimension")
        for dimension, terms in self.dimensions.items():
            if not dimension.strip():
                raise MeasureError(f"{where}measure {self.name!r}: empty dimension name")
            if dimension == TOTAL:
                raise MeasureError(f"{where}measure {self.name!r}: '{TOTAL}' is reserved for "
                                   "the sum over dimensions; rename that dimension")
            if not terms:
                raise MeasureError(f"{where}measure {self.name!r}: dimension {dimension!r} "
                                   "has no term")
            for term in terms:
                if not isinstance(term, str) or not term.strip():
                    raise MeasureError(f"{where}measure {self.name!r}: dimension "
                                       f"{dimension!r} has an empty term")
                if term != term.strip():
                    raise MeasureError(f"{where}measure {self.name!r}: term {term!r} starts or "
                                       "ends with whitespace")
                written = normalize_characters(term)
                if written != term:
                    raise MeasureError(
                        f"{where}measure {self.name!r}: term {term!r} holds full-width, "
                        f"zero-width or radical characters that no text holds after reading "
                        f"(the readers write {written!r}), so it would never match; write it "
                        f"as {written!r}")
        for dimension, per in self.weights.items():
            if dimension not in self.dimensions:
                raise MeasureError(f"{where}measure {self.name!r}: weights for unknown "
                                   f"dimension {dimension!r}")
            unknown = set(per) - set(self.dimensions[dimension])
            if unknown:
                raise MeasureError(f"{where}measure {self.name!r}: weights for terms not in "
                                   f"dimension {dimension!r}: {sorted(unknown)}")
        if self.prefix is not None and not (_STATA_NAME.match(self.prefix)
                                            and len(self.prefix) <= 12):
            raise MeasureError(f"{where}measure {self.name!r}: prefix {self.prefix!r} must be "
                               "an ASCII identifier of at most 12 characters")
        return self

    def describe(self) -> dict[str, Any]:
        """A one-line summary: name, title, dimensions with term counts, citation."""
        return {"name": self.name, "title": self.title or "",
                "dimensions": {name: len(terms) for name, terms in self.dimensions.items()},
                "n_terms": self.n_terms, "citation": self.citation or "",
                "version": self.version or ""}
