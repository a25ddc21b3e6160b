"""Paragraph starts in text with no marks at all: a small trained boundary model.

A report stored as one string with neither line breaks nor indentation (a
database export that dropped both) keeps only its sentences. Where its
paragraphs started is then a guess, made here in three steps:

1. **candidates**: every sentence end (a run of ``。！？；：…``, closing quotes
   allowed after it) and, inside a sentence that starts with an enumerated
   heading (``一、``, ``（二）``, ``第三章``), every position between the heading
   marker and the first comma, where a heading without final punctuation may
   end (``一、2024年工作回顾过去一年，…``);
2. **scores**: a logistic-regression model over sparse features of each
   candidate (the characters around it, the end punctuation, an enumeration
   or heading marker at the start of the next or the previous sentence, the
   lengths of both sentences, the lexical cohesion of the sentences before
   and after it, and the history: characters and sentences since the current
   paragraph started) gives the log-odds that a paragraph starts there;
3. **decoding**: left to right, a candidate starts a paragraph when its
   log-odds plus ``boundary_bias`` is positive (of the candidates of one
   heading only the best counts); the history features follow the decisions
   made so far (in training, the true paragraph starts). Paragraph length is
   bounded afterwards by the passage splitter (``max_passage``).

The model is data, not code: ``models/paragraphs/weights.tsv`` (feature,
weight), ``decoder.json`` (intercept and decision bias) and
``manifest.json`` (training corpora with their hashes, versions, seed,
cross-validated figures), written by :mod:`nqp_text.io.paragraph_training`
and reproducible byte for byte from it. The patterns are in
``data/paragraph_features.yaml``. Pure Python at prediction time (no numpy).

Example:
    >>> text = "一、总体要求做好今年工作，要坚持稳中求进。" * 3
    >>> cuts = model_breaks(text)
    >>> all(0 < cut < len(text) for cut in cuts)
    True
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["Candidate", "candidates", "features", "history_features", "training_rows",
           "BoundaryModel", "load_model", "decode", "model_breaks", "feature_spec"]

_MODEL_DIR = "models/paragraphs"


@dataclass(frozen=True)
class Candidate:
    """A position where a paragraph may start; ``heading`` groups the candidates of one heading."""

    position: int
    kind: str
    heading: int = -1


@functools.lru_cache(maxsize=1)
def feature_spec() -> dict[str, Any]:
    """The patterns of ``data/paragraph_features.yaml``, compiled."""
    import yaml

    text = resources.files("nqp_text.io").joinpath("data/paragraph_features.yaml") \
        .read_text("utf-8")
    raw = yaml.safe_load(text)
    ends = re.escape(raw["sentence_end"])
    closing = re.escape(raw["closing"])
    markers = {name: re.compile(pattern) for name, pattern in raw["markers"].items()}
    return {
        "end_run": re.compile(f"[{ends}]+[{closing}]*"),
        "markers": markers,
        "heading_markers": tuple(raw["heading_markers"]),
        "min_heading": int(raw["min_heading"]),
        "max_heading": int(raw["max_heading"]),
        "clause": re.compile(f"[，,{ends}]"),
        "clause_mark": re.compile(f"[{re.escape(raw['clause_marks'])}]"),
        "heading_stop": re.compile(f"[，,、{ends}{closing}“‘（(《]"),
        "cohesion_window": int(raw["cohesion"]["window"]),
        "cohesion_steps": int(raw["cohesion"]["steps"]),
        "cohesion_chars": re.compile(raw["cohesion"]["chars"]),
        "source": text,
    }


def candidates(text: str) -> list[Candidate]:
    """Candidate paragraph starts in ``text``, sorted (never 0 nor ``len(text)``).

    Example:
        >>> [c.position for c in candidates("第一句。第二句！第三句")]
        [4, 8]
    """
    spec = feature_spec()
    ends = [m.end() for m in spec["end_run"].finditer(text) if m.end() < len(text)]
    found = [Candidate(end, "sentence") for end in ends]
    for heading, start in enumerate([0, *ends]):
        found.extend(_heading_candidates(text, start, heading, spec))
    return sorted(found, key=lambda c: c.position)


def _heading_candidates(text: str, start: int, heading: int,
                        spec: dict[str, Any]) -> list[Candidate]:
    for name in spec["heading_markers"]:
        match = spec["markers"][name].match(text, start)
        if match:
            break
    else:
        return []
    body = match.end()
    stop = spec["heading_stop"].search(text, body, body + spec["max_heading"] + 1)
    last = stop.start() - 1 if stop else min(len(text) - 1, body + spec["max_heading"])
    return [Candidate(position, "heading", heading)
            for position in range(body + spec["min_heading"], last + 1)]


def features(text: str, found: list[Candidate]) -> list[list[str]]:
    """Sparse features (names) of each candidate of ``text``, in the order of ``found``.

    Example:
        >>> text = "各位代表：一、回顾。"
        >>> features(text, candidates(text))[0][:3]
        ['t:sentence', 'p:：', 'a1:表']
    """
    spec = feature_spec()
    ends = [c.position for c in found if c.kind == "sentence"]
    bounds = [0, *ends, len(text)]
    cohesion = _cohesion(text, bounds, spec)
    out = []
    index = 0
    for candidate in found:
        if candidate.kind == "sentence":
            index += 1
            out.append(_sentence_features(text, bounds, index, spec) + cohesion[index - 1])
        else:
            out.append(_heading_features(text, candidate, bounds[index], spec))
    return out


def _sentence_features(text: str, bounds: list[int], index: int,
                       spec: dict[str, Any]) -> list[str]:
    before = text[bounds[index - 1]:bounds[index]]
    after = text[bounds[index]:bounds[index + 1]]
    run = spec["end_run"].search(before)
    punct = run.group() if run else ""
    core = before[:len(before) - len(punct)] if punct else before
    tail = spec["end_run"].search(after)
    names = ["t:sentence", f"p:{punct[:3]}", f"a1:{core[-1:]}", f"a2:{core[-2:]}",
             f"a3:{core[-3:]}",
             f"b1:{after[:1]}", f"b2:{after[:2]}", f"b3:{after[:3]}",
             f"bm:{_marker(after, spec)}", f"am:{_marker(before, spec)}",
             f"al:{_bucket(len(before))}", f"bl:{_bucket(len(after))}",
             f"bp:{tail.group()[:1] if tail and tail.end() == len(after) else '-'}",
             f"pb:{punct[:1]}{_bucket(len(after))}"]
    if index >= 2:
        earlier = text[bounds[index - 2]:bounds[index - 1]]
        previous = spec["end_run"].search(earlier)
        names += [f"ap:{previous.group()[:1] if previous else '-'}",
                  f"ppl:{_bucket(len(earlier))}", f"ppm:{_marker(earlier, spec)}"]
    names.append(f"pb1:{punct[:1]}{after[:1]}")
    lead = spec["clause"].search(after)
    if lead and lead.start() <= 4:
        names.append(f"bc:{after[:lead.start()]}")
    marks = spec["clause_mark"]
    names += [f"bcm:{min(len(marks.findall(after)), 4)}",
              f"bfc:{_bucket(lead.start() if lead else len(after))}",
              f"acm:{min(len(marks.findall(before)), 4)}"]
    following = text[bounds[index + 1]:bounds[index + 2]] if index + 2 < len(bounds) else ""
    names += [f"nm:{_marker(following, spec)}", f"nl:{_bucket(len(following))}"]
    return names


def _cohesion(text: str, bounds: list[int], spec: dict[str, Any]) -> list[list[str]]:
    """Lexical-cohesion features of every sentence end (TextTiling-style, one list per end).

    The character bigrams (of the characters ``cohesion.chars`` keeps) of the
    ``window`` sentences before a sentence end and of the ``window`` after it
    are compared by cosine similarity: a paragraph boundary tends to fall where
    the vocabulary changes. ``cs`` is the similarity in ``steps`` buckets;
    ``cd`` its depth, how far it lies below the highest similarity of the two
    ends before and the two after (a valley between two more cohesive stretches).
    """
    keep, window, steps = spec["cohesion_chars"], spec["cohesion_window"], spec["cohesion_steps"]
    grams = []
    for start, end in itertools.pairwise(bounds):
        kept = "".join(keep.findall(text, start, end))
        grams.append(Counter(kept[i:i + 2] for i in range(len(kept) - 1)))
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for piece in grams[1:1 + window]:
        right.update(piece)
    sims = []
    for end in range(1, len(grams)):
        left.update(grams[end - 1])
        if end - 1 - window >= 0:
            _remove(left, grams[end - 1 - window])
        if end > 1:
            _remove(right, grams[end - 1])
            if end - 1 + window < len(grams):
                right.update(grams[end - 1 + window])
        sims.append(_cosine(left, right))
    out = []
    for index, sim in enumerate(sims):
        before = max(sims[max(0, index - 2):index], default=sim)
        after = max(sims[index + 1:index + 3], default=sim)
        depth = before + after - 2 * sim
        out.append([f"cs:{min(int(sim * steps), steps // 2)}",
                    f"cd:{max(min(int(depth * steps / 2), 6), -2)}"])
    return out


def _remove(window: Counter[str], piece: Counter[str]) -> None:
    """Take one sentence's bigrams out of a window (dropping emptied keys keeps it small)."""
    for gram, count in piece.items():
        left = window[gram] - count
        if left:
            window[gram] = left
        else:
            del window[gram]


def _cosine(one: Counter[str], two: Counter[str]) -> float:
    if len(one) > len(two):
        one, two = two, one
    dot = sum(count * two.get(gram, 0) for gram, count in one.items())
    norms = sum(c * c for c in one.values()) * sum(c * c for c in two.values())
    return dot / math.sqrt(norms) if norms else 0.0


def _heading_features(text: str, candidate: Candidate, start: int,
                      spec: dict[str, Any]) -> list[str]:
    position = candidate.position
    marker = _marker(text[start:], spec)
    body = spec["markers"][marker].match(text, start).end() if marker != "-" else start
    stop = spec["heading_stop"].search(text, position)
    rest = (stop.start() if stop else len(text)) - position
    return ["t:heading", f"hk:{marker}", f"h1:{text[position - 1]}",
            f"h2:{text[position - 2:position]}", f"hn1:{text[position]}",
            f"hn2:{text[position:position + 2]}", f"hl:{_bucket(position - body)}",
            f"hr:{_bucket(rest)}", f"hs:{_script(text[position - 1])}{_script(text[position])}"]


def _marker(sentence: str, spec: dict[str, Any]) -> str:
    for name, pattern in spec["markers"].items():
        if pattern.match(sentence):
            return str(name)
    return "-"


def _bucket(length: int) -> int:
    return min(int(math.log2(length + 1)), 10)


def _script(char: str) -> str:
    if char.isdigit():
        return "d"
    if "\u4e00" <= char <= "\u9fff":
        return "h"
    return "o"


def history_features(position: int, last: int, sentences: int) -> list[str]:
    """Features of the paragraph so far: characters and sentences since its start (bucketed).

    Example:
        >>> history_features(120, 20, 3)
        ['d:6', 'ns:3']
    """
    return [f"d:{_bucket(position - last)}", f"ns:{min(sentences, 8)}"]


def training_rows(found: list[Candidate], rows: list[list[str]],
                  labels: list[int]) -> list[list[str]]:
    """``rows`` with the history features, taking the true paragraph starts as the history."""
    out, last, sentences = [], 0, 0
    for candidate, row, label in zip(found, rows, labels, strict=True):
        sentences += candidate.kind == "sentence"
        out.append(row + history_features(candidate.position, last, sentences))
        if label:
            last, sentences = candidate.position, 0
    return out


@dataclass(frozen=True)
class BoundaryModel:
    """Weights, intercept and decision bias of a trained boundary model (see the module doc)."""

    weights: dict[str, float]
    intercept: float
    boundary_bias: float

    def score(self, row: list[str]) -> float:
        """Log-odds of a paragraph start for one candidate's feature names."""
        weights = self.weights
        return self.intercept + sum(weights.get(name, 0.0) for name in row)

    def predict(self, text: str) -> list[int]:
        """Positions in ``text`` where a paragraph starts (sorted, never 0)."""
        found = candidates(text)
        return decode(found, features(text, found), self) if found else []


def decode(found: list[Candidate], rows: list[list[str]], model: BoundaryModel) -> list[int]:
    """Paragraph starts chosen left to right: a candidate whose log-odds plus bias is positive.

    The log-odds of each candidate use the history features of the paragraph
    found so far; of the candidates of one heading only the best one counts.

    Example:
        >>> found = [Candidate(10, "sentence"), Candidate(20, "sentence")]
        >>> decode(found, [["x"], ["y"]], BoundaryModel({"x": 2.0, "y": -2.0}, 0.0, 0.0))
        [10]
    """
    chosen: list[int] = []
    last, sentences, index = 0, 0, 0
    while index < len(found):
        candidate = found[index]
        group = index + 1
        if candidate.kind == "sentence":
            sentences += 1
        else:
            while group < len(found) and found[group].kind == "heading" \
                    and found[group].heading == candidate.heading:
                group += 1
        best, where = max((model.score(rows[i] + history_features(found[i].position, last,
                                                                  sentences)),
                           -found[i].position) for i in range(index, group))
        if best + model.boundary_bias > 0:
            chosen.append(-where)
            last, sentences = -where, 0
        index = group
    return chosen


def load_model(path: Any = None) -> BoundaryModel:
    """The boundary model in folder ``path`` (default: the one shipped in the package)."""
    if path is None:
        return _shipped()
    from pathlib import Path

    folder = Path(path)
    return _parse((folder / "weights.tsv").read_text("utf-8"),
                  (folder / "decoder.json").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def _shipped() -> BoundaryModel:
    folder = resources.files("nqp_text.io").joinpath(_MODEL_DIR)
    return _parse(folder.joinpath("weights.tsv").read_text("utf-8"),
                  folder.joinpath("decoder.json").read_text("utf-8"))


def _parse(weights_text: str, decoder_text: str) -> BoundaryModel:
    weights = {}
    for line in weights_text.splitlines()[1:]:
        name, value = line.rsplit("\t", 1)
        weights[name] = float(value)
    decoder = json.loads(decoder_text)
    return BoundaryModel(weights=weights, intercept=float(decoder["intercept"]),
                         boundary_bias=float(decoder["boundary_bias"]))


def model_breaks(text: str) -> list[int]:
    """Paragraph starts in ``text`` found by the shipped model (sorted, never 0)."""
    return _shipped().predict(text)
