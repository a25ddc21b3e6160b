"""Paragraph-structure features: what kind of paragraph a passage is, not only its words.

Guideline v1.3 labels whole paragraphs: a year-in-review or problem paragraph,
a long enumeration of fields and an investment list are ``none`` even when
single words qualify, and Chinese report paragraphs state their topic in the
lead sentence (``（三）加快发展…。``). A bag of words cannot see that, so
:class:`StructureFeatures` adds a small dense block:

* per cue group of ``classify/data/structure_cues.yaml`` (review, problem, plan,
  investment, governance, heading, number): ``log1p`` of the cue count in the
  whole passage and, separately, in its lead sentence;
* per category, the keyword evidence of the **lead sentence** alone (the first
  clause up to 。；！？), ``log1p`` of the summed weights;
* list-ness: the share of categories with any keyword evidence, one minus the
  largest category's share of the evidence, enumeration commas (、) per clause;
* size: ``log1p`` of the clause count and of the length, and whether the passage
  is a single clause (a heading).

Every column is roughly in ``[0, 1]``; the FrameworkClassifier multiplies the
block by ``structure_weight`` (``0`` = off, the default). The cue lists are data,
validated on load; a saved model keeps its own copy.

Example:
    >>> from nqp_text.classify.evidence import EvidenceExtractor
    >>> ex = EvidenceExtractor()
    >>> block = StructureFeatures()
    >>> texts = ["过去一年，科技创新取得成效。", "（一）培养高技能人才。加强职业教育。"]
    >>> cuts = [ex.segmenter.cut(t) for t in texts]
    >>> x = block.transform(texts, [ex.hits_from_tokens(c) for c in cuts], ex.categories)
    >>> x.shape == (2, block.n_columns(6))
    True
    >>> names = block.column_names(ex.categories)
    >>> float(x[0, names.index("review")]) > 0, float(x[1, names.index("lead_heading")]) > 0
    (True, True)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from nqp_text.classify.evidence import Hit
from nqp_text.errors import InputError, MissingInputError

PathLike = str | os.PathLike[str]

#: Characters that end the lead sentence (as :data:`~nqp_text.classify.evidence.CLAUSE_ENDS`).
_LEAD_END = re.compile(r"[。；！？;!?\n]")
#: Clause boundaries for the clause count.
_CLAUSE_END = re.compile(r"[。；！？;!?\n]+")
#: Names of the fixed (non-cue) columns after the cue and lead-evidence columns.
_SHAPE_COLUMNS = ("categories_with_evidence", "evidence_spread", "enumeration_commas",
                  "clauses", "length", "single_clause")


def structure_cues_path() -> Path:
    """The shipped cue file (``nqp_text/classify/data/structure_cues.yaml``)."""
    return Path(str(resources.files("nqp_text.classify").joinpath("data",
                                                                  "structure_cues.yaml")))


def _checked_groups(groups: Any, source: str) -> dict[str, dict[str, Any]]:
    if not isinstance(groups, Mapping) or not groups:
        raise InputError(f"{source}: needs a non-empty mapping 'groups'")
    out: dict[str, dict[str, Any]] = {}
    for name, entry in groups.items():
        where = f"{source}: group {name!r}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z_]+", name):
            raise InputError(f"{where}: the name must be lower-case letters and _")
        if not isinstance(entry, Mapping):
            raise InputError(f"{where}: must be a mapping with note and words/patterns")
        unknown = set(entry) - {"note", "words", "patterns"}
        if unknown:
            raise InputError(f"{where}: unknown keys {sorted(unknown)}")
        if not isinstance(entry.get("note"), str) or not entry["note"].strip():
            raise InputError(f"{where}: needs a non-empty note")
        words = entry.get("words", [])
        patterns = entry.get("patterns", [])
        if not words and not patterns:
            raise InputError(f"{where}: needs words or patterns")
        for word in words:
            if not isinstance(word, str) or not word.strip():
                raise InputError(f"{where}: a word must be a non-empty string, got {word!r}")
        if len(set(words)) != len(words):
            raise InputError(f"{where}: a word is listed twice")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as error:
                raise InputError(f"{where}: bad pattern {pattern!r}: {error}") from None
        out[name] = {"note": entry["note"], "words": list(words), "patterns": list(patterns)}
    # Columns follow the group names in sorted order, as a saved model's (sorted) JSON has them.
    return dict(sorted(out.items()))


def load_structure_cues(path: PathLike | None = None) -> dict[str, dict[str, Any]]:
    """Read and validate a cue file (default: the shipped one); ``{group: {note, words,
    patterns}}`` sorted by group name. Errors name the file and the group."""
    import yaml

    source = Path(path) if path is not None else structure_cues_path()
    if not source.is_file():
        raise MissingInputError(f"{source}: structure cue file not found")
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(data, Mapping):
        raise InputError(f"{source}: needs a mapping with 'groups'")
    return _checked_groups(data.get("groups"), str(source))


def _lead(text: str) -> str:
    match = _LEAD_END.search(text)
    return text[:match.start()] if match else text


class StructureFeatures:
    """The paragraph-structure block (stateless apart from its cue lists).

    ``cues``: ``None`` (the shipped file), a path, or a ``{group: {note, words,
    patterns}}`` mapping (as saved in a model).
    """

    def __init__(self, cues: Any = None) -> None:
        if cues is None or isinstance(cues, (str, os.PathLike)):
            self.cues = load_structure_cues(cues)
        else:
            self.cues = _checked_groups(cues, "structure cues")
        self._compiled = {name: (tuple(entry["words"]),
                                 tuple(re.compile(p) for p in entry["patterns"]))
                          for name, entry in self.cues.items()}

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The cue lists, as saved in a model's ``model.json``."""
        return {name: dict(entry) for name, entry in self.cues.items()}

    def n_columns(self, n_categories: int) -> int:
        """Width of the block for ``n_categories`` categories."""
        return 2 * len(self.cues) + n_categories + len(_SHAPE_COLUMNS)

    def column_names(self, categories: Sequence[str]) -> list[str]:
        """One name per column, in order: cue groups, ``lead_<group>``,
        ``lead_<category>``, then the list-ness and size columns."""
        return ([*self.cues] + [f"lead_{g}" for g in self.cues]
                + [f"lead_{c}" for c in categories] + list(_SHAPE_COLUMNS))

    def _count(self, group: str, text: str) -> int:
        words, patterns = self._compiled[group]
        return (sum(text.count(word) for word in words)
                + sum(len(pattern.findall(text)) for pattern in patterns))

    def transform(self, texts: Sequence[str], hits: Sequence[Sequence[Hit]],
                  categories: Sequence[str]) -> np.ndarray:
        """``(n, n_columns)`` features of ``texts`` given each text's keyword ``hits``
        (:meth:`EvidenceExtractor.hits_from_tokens
        <nqp_text.classify.evidence.EvidenceExtractor.hits_from_tokens>`)."""
        k = len(categories)
        column = {category: j for j, category in enumerate(categories)}
        groups = list(self.cues)
        g = len(groups)
        out = np.zeros((len(texts), self.n_columns(k)), dtype=np.float64)
        for i, (text, found) in enumerate(zip(texts, hits, strict=True)):
            lead = _lead(text)
            for j, group in enumerate(groups):
                out[i, j] = math.log1p(self._count(group, text)) / 2.0
                out[i, g + j] = math.log1p(self._count(group, lead)) / 2.0
            total = np.zeros(k)
            for hit in found:
                total[column[hit.category]] += hit.weight
                if hit.clause == 0:
                    out[i, 2 * g + column[hit.category]] += hit.weight
            base = 2 * g + k
            out[i, 2 * g:base] = np.log1p(out[i, 2 * g:base]) / 2.0
            clauses = max(1, len([c for c in _CLAUSE_END.split(text) if c.strip()]))
            mass = float(total.sum())
            out[i, base] = float((total > 0).sum()) / k
            out[i, base + 1] = 1.0 - float(total.max()) / mass if mass else 0.0
            out[i, base + 2] = math.log1p(text.count("、") / clauses) / 2.0
            out[i, base + 3] = math.log1p(clauses) / 3.0
            out[i, base + 4] = math.log1p(len(text)) / 7.0
            out[i, base + 5] = 1.0 if clauses == 1 else 0.0
        return out
