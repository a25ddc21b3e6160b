"""Exact string counting: the two documented rules behind every term count.

Rule 1 — *terms asked for by name* (:func:`count_term`): every non-overlapping
occurrence of the string in the cleaned text, scanning left to right, exactly
what Python's ``str.count`` and an editor's "find all" report. Segmentation
plays no part: 数字经济 inside 数字经济核心产业 counts, and so does a term the
segmenter happened to cut in two. Only a string that overlaps itself can make
"non-overlapping" matter (``"AA"`` occurs once in ``"AAA"``, not twice); no
policy term we know of does.

Rule 2 — *tables over a whole vocabulary* (:class:`LongestMatchCounter`):
leftmost-longest matching without overlaps. Scanning left to right, at each
position the longest vocabulary term that starts there is taken and the scan
resumes after it; if none starts there the scan moves on by one character. So
数字经济核心产业 counts once, as itself, and its 数字经济 is *not* counted again:
categories built from such tables never double-count a stretch of text. As in
the Segmenter, a term that starts (ends) with an ASCII letter or digit only
matches where no ASCII letter or digit comes right before (after) it: ``AI`` is
not counted inside ``MAIL``, nor ``5G`` inside ``15G``.

Example:
    >>> count_term("数字经济核心产业和数字经济", "数字经济")
    2
    >>> LongestMatchCounter(["数字经济", "数字经济核心产业"]).count(
    ...     "数字经济核心产业和数字经济")
    Counter({'数字经济核心产业': 1, '数字经济': 1})
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from nqp_text.errors import OptionError


def count_term(text: str, term: str) -> int:
    """Occurrences of ``term`` in ``text`` (rule 1: every non-overlapping occurrence).

    Example:
        >>> count_term("新质生产力，发展新质生产力", "新质生产力")
        2
    """
    if not term:
        raise OptionError("cannot count an empty term")
    return text.count(term)


_ALNUM = "A-Za-z0-9"


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _trie_pattern(terms: list[str]) -> str:
    """A regex equivalent to the alternation of ``terms`` sorted longest first.

    The terms are arranged as a trie; each node tries its longer continuations
    before stopping (greedy optional group), so the regex engine returns the
    longest term at the leftmost position, like ``"|".join(sorted(terms,
    key=len, reverse=True))`` but without trying hundreds of branches at every
    character.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict, last: str) -> str:
        branches = [re.escape(char) + build(child, char)
                    for char, child in sorted(node.items()) if char != ""]
        stop = "" if "" not in node else f"(?![{_ALNUM}])" if _is_alnum(last) else ""
        if "" in node:
            branches.append(stop)
        if len(branches) == 1:
            return branches[0]
        if branches[-1] == "" and len(branches) == 2:
            return "(?:" + branches[0] + ")?"
        return "(?:" + "|".join(branches) + ")"

    roots = [(f"(?<![{_ALNUM}])" if _is_alnum(char) else "") + re.escape(char) + build(child, char)
             for char, child in sorted(trie.items())]
    return "|".join(roots)


def _first_char_guard(terms: list[str]) -> str:
    """A lookahead for the characters terms start with.

    It changes no match (a term can only start at such a character) but lets
    the regex engine skip every other position without entering the trie's
    alternation: 2-4x faster on real reports (``benchmarks/bench_measures.py``).
    With a single first character the engine already searches for it as a
    literal prefix, so no guard is added.
    """
    firsts = sorted({term[0] for term in terms})
    if len(firsts) < 2:
        return ""
    return "(?=[" + "".join(re.escape(char) for char in firsts) + "])"


class LongestMatchCounter:
    """Count a vocabulary in texts by leftmost-longest matching without overlaps (rule 2).

    Parameters are stored as given; the compiled matcher is built once.

    Example:
        >>> counter = LongestMatchCounter(["数据", "数据要素", "要素市场"])
        >>> counter.count("数据要素市场")  # 数据要素 wins at position 0; 市场 is left
        Counter({'数据要素': 1})
        >>> counter.matches("数据要素市场")
        [(0, 4, '数据要素')]
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted({term for term in terms if term})
        if not self.terms:
            raise OptionError("LongestMatchCounter needs at least one non-empty term")
        self._regex = re.compile(_first_char_guard(self.terms)
                                 + "(?:" + _trie_pattern(self.terms) + ")")

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` of every match, left to right."""
        return [(m.start(), m.end(), m.group()) for m in self._regex.finditer(text)]

    def count(self, text: str) -> Counter[str]:
        """Number of matches of each term in ``text`` (terms with none are absent)."""
        if self._regex.groups:  # never with the patterns built here; findall needs none
            return Counter(m.group() for m in self._regex.finditer(text))
        return Counter(self._regex.findall(text))


def longest_match_reference(text: str, terms: Iterable[str]) -> Counter[str]:
    """A slow, obviously correct implementation of rule 2, for tests and by-hand checks.

    Example:
        >>> longest_match_reference("数据要素市场", ["数据", "数据要素", "要素市场"])
        Counter({'数据要素': 1})
    """
    vocabulary = {term for term in terms if term}
    lengths = sorted({len(term) for term in vocabulary}, reverse=True)
    counts: Counter[str] = Counter()
    position = 0

    def free(index: int) -> bool:
        return not (0 <= index < len(text) and _is_alnum(text[index]))

    while position < len(text):
        for length in lengths:
            candidate = text[position:position + length]
            if (len(candidate) == length and candidate in vocabulary
                    and (not _is_alnum(candidate[0]) or free(position - 1))
                    and (not _is_alnum(candidate[-1]) or free(position + length))):
                counts[candidate] += 1
                position += length
                break
        else:
            position += 1
    return counts
