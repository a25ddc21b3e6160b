"""New-phrase discovery: candidate terms missing from the lexicon, ranked for review.

A string is a good term candidate when its parts stick together (high
pointwise mutual information) and it is used in varied contexts (high left and
right branching entropy), the statistics of unsupervised Chinese word discovery:

* ``count``: occurrences of the n-gram (characters, or tokens from
  :meth:`nqp_text.Segmenter.cut`) inside runs of text between punctuation;
* ``pmi``: the *weakest* split, ``min_i log(p(w) / (p(w[:i]) p(w[i:])))``, with
  ``p(x) = count(x) / N`` and ``N`` the number of units (characters or tokens);
* ``left_entropy`` / ``right_entropy``: Shannon entropy (nats) of the unit just
  before / after each occurrence; an occurrence at the start / end of a run
  counts as a neighbour of its own (a boundary is maximally "free");
* ``score = pmi * min(left_entropy, right_entropy)``.

Candidates with ``count >= min_count``, ``pmi >= min_pmi`` and both entropies
``>= min_entropy`` are returned, best first, except lexicon terms and (with
``exclude_common=True``, the default) words of jieba's general dictionary:
what is left are strings no dictionary of ours holds as a word, the ones a
researcher may want to add to the lexicon.

Example:
    >>> texts = ["推进链长制落地。实行链长制，完善链长制。链长制见效。"] * 3
    >>> discover_phrases(texts, min_count=3, min_pmi=0, min_entropy=0, lexicon=[]).iloc[0, :3]
    candidate    链长制
    n              3
    count         12
    Name: 0, dtype: object
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.corpus import Corpus
from nqp_text.errors import OptionError

PHRASE_COLUMNS = ["candidate", "n", "count", "pmi", "left_entropy", "right_entropy", "score"]
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"\w")


def _char_runs(texts: Iterable[str]) -> Iterable[tuple[str, ...]]:
    for text in texts:
        for run in _CJK_RUN.findall(text):
            yield tuple(run)


def _token_runs(texts: Iterable[str], segmenter: Any) -> Iterable[tuple[str, ...]]:
    for text in texts:
        run: list[str] = []
        for token in segmenter.cut(text):
            if _WORD.search(token) and not token.isspace():
                run.append(token)
            elif run:
                yield tuple(run)
                run = []
        if run:
            yield tuple(run)


def _entropy(counts: Iterable[int]) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    return -sum(c / total * math.log(c / total) for c in values) + 0.0 if total else 0.0  # no -0.0


@functools.lru_cache(maxsize=1)
def _general_dictionary() -> frozenset[str]:
    import jieba

    with jieba.get_dict_file() as handle:
        text = handle.read().decode("utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line.strip())


def phrase_statistics(runs: Iterable[Sequence[str]], n_range: tuple[int, int] = (2, 4),
                      min_count: int = 5) -> pd.DataFrame:
    """Count, PMI and branching entropies of each n-gram (unit tuple) seen ``min_count`` times."""
    low, high = n_range
    if not 2 <= low <= high:
        raise OptionError(f"n_range must satisfy 2 <= low <= high; got {n_range}")
    grams: Counter[tuple[str, ...]] = Counter()
    left_boundary: Counter[tuple[str, ...]] = Counter()
    right_boundary: Counter[tuple[str, ...]] = Counter()
    total = 0
    for run in runs:
        run = tuple(run)
        total += len(run)
        for n in range(1, high + 2):
            for start in range(len(run) - n + 1):
                gram = run[start:start + n]
                grams[gram] += 1
                if n >= low and n <= high:
                    if start == 0:
                        left_boundary[gram] += 1
                    if start + n == len(run):
                        right_boundary[gram] += 1
    left: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    right: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    candidates = {g for g, c in grams.items() if low <= len(g) <= high and c >= min_count}
    for gram, count in grams.items():
        if len(gram) < low + 1:
            continue
        if gram[1:] in candidates:
            left[gram[1:]].append(count)
        if gram[:-1] in candidates:
            right[gram[:-1]].append(count)
    rows = []
    for gram in candidates:
        count = grams[gram]
        pmi = min(math.log(count * total / (grams[gram[:i]] * grams[gram[i:]]))
                  for i in range(1, len(gram)))
        left_h = _entropy([*left[gram], *([1] * left_boundary[gram])])
        right_h = _entropy([*right[gram], *([1] * right_boundary[gram])])
        rows.append((gram, len(gram), count, pmi, left_h, right_h))
    return pd.DataFrame(rows, columns=["gram", "n", "count", "pmi", "left_entropy",
                                       "right_entropy"])


def discover_phrases(source: Corpus | Sequence[str], *, unit: str = "char",
                     n_range: tuple[int, int] = (2, 4), min_count: int = 5,
                     min_pmi: float = 1.0, min_entropy: float = 1.0, top: int | None = 200,
                     lexicon: Iterable[str] | str | None = None,
                     exclude_common: bool = True, segmenter: Any = None) -> pd.DataFrame:
    """Rank candidate terms that the lexicon lacks (see the module docstring for the measures).

    ``source`` is a Corpus (its passages) or a list of texts. ``unit="char"``
    finds character n-grams independent of any segmentation; ``unit="token"``
    joins tokens of :meth:`Segmenter.cut` (``segmenter`` or the default one).
    ``lexicon``: terms to leave out (default: the segmentation lexicon; a TSV
    path; or an iterable of terms). ``exclude_common``: also leave out words of
    jieba's general dictionary. ``top``: how many rows to keep.

    Example:
        >>> discover_phrases(corpus, min_count=10).head()  # doctest: +SKIP
    """
    texts = ([str(t) for t in source.passages["text"].dropna()] if isinstance(source, Corpus)
             else [str(t) for t in source])
    if unit == "char":
        runs: Iterable[Sequence[str]] = _char_runs(texts)
    elif unit == "token":
        from nqp_text.analysis._inputs import make_segmenter

        runs = _token_runs(texts, make_segmenter(segmenter))
    else:
        raise OptionError(f"unit must be 'char' or 'token'; got {unit!r}")
    if lexicon is None or isinstance(lexicon, str):
        from nqp_text.analysis.vocabulary import lexicon_table

        known = set(lexicon_table(lexicon)["term"].astype(str))
    else:
        known = {str(term) for term in lexicon}
    common = _general_dictionary() if exclude_common else frozenset()
    stats = phrase_statistics(runs, n_range, min_count)
    stats["candidate"] = ["".join(gram) for gram in stats["gram"]]
    stats["score"] = stats["pmi"] * stats[["left_entropy", "right_entropy"]].min(axis=1)
    new = [c not in known and c not in common for c in stats["candidate"]]
    keep = ((stats["pmi"] >= min_pmi) & (stats["left_entropy"] >= min_entropy)
            & (stats["right_entropy"] >= min_entropy) & np.asarray(new, dtype=bool))
    stats = stats[keep].drop_duplicates("candidate")
    stats = stats.sort_values(["score", "count", "candidate"], ascending=[False, False, True],
                              kind="stable")
    if top is not None:
        stats = stats.head(top)
    return stats[PHRASE_COLUMNS].reset_index(drop=True)
