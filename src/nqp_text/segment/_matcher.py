"""Find lexicon terms in text: leftmost-longest, non-overlapping.

The rule: scanning left to right, at the first position where any term
starts, the longest term starting there is taken, and the scan resumes after
it. When two terms overlap (``产业数字化`` and ``数字化转型`` in ``产业数字化转型``)
the one starting first wins; nested shorter terms (``数字经济`` inside
``数字经济核心产业``) are part of the longer match.

*Guards* (:func:`nqp_text.segment.lexicon.load_guards`) take part in the
selection like terms but are not reported: a guard such as ``提高`` wins
leftmost in ``提高质量``, so ``高质量`` is not matched there and the text goes to
the backend unprotected. A guard that is also a term is a term.

Two refinements make the rule fit real text:

* A term containing ASCII characters also matches with *all* of them in
  full-width form (``互联网+`` matches ``互联网＋``; ``5G`` matches ``５Ｇ``).
* A term that begins (ends) with a letter or digit matches only where the
  text has no letter or digit (ASCII or full-width) just before (after) it,
  so ``AI`` is not found inside ``MAIL`` and ``5G`` not inside ``15G``.

Two engines give the same spans (tested on the government work reports):

``"ahocorasick"``
    a pyahocorasick automaton reports every occurrence in one C pass; the
    leftmost-longest selection is then made in Python over those few hits.
    Used when ``pyahocorasick`` is installed (it comes with the ``fast`` extra).
``"regex"``
    the terms as a character trie written out as one nested regular
    expression (each node an alternation tried longest-first), scanned with
    ``re.finditer``; no dependency, about 3x slower.

Example:
    >>> matcher = TermMatcher(["数字经济", "数字经济核心产业", "5G"])
    >>> matcher.spans("数字经济核心产业和5G")
    [(0, 8), (9, 11)]
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable

from nqp_text.errors import OptionError

#: Full-width forms U+FF01..U+FF5E and the ideographic space, folded to ASCII.
_FOLD = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "}
_FOLD_TABLE = str.maketrans(_FOLD)
_WIDE_TABLE = str.maketrans({ascii_char: wide for wide, ascii_char in _FOLD.items()})
_ALNUM = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_ALNUM_CHARS = frozenset(
    [chr(c) for c in range(128) if chr(c).isalnum()]
    + [chr(c) for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
       for c in range(lo, hi + 1)])
_NOT_ALNUM_AFTER = f"(?![{_ALNUM}])"
ENGINES: tuple[str, ...] = ("ahocorasick", "regex")


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms (and the ideographic space) to ASCII; length is unchanged."""
    return text.translate(_FOLD_TABLE)


def surface_forms(term: str) -> list[str]:
    """The strings a term matches: as written, and with all ASCII characters full-width."""
    wide = term.translate(_WIDE_TABLE)
    narrow = fold_width(term)
    return sorted({term, wide, narrow} if wide != narrow else {term})


def default_engine() -> str:
    """``"ahocorasick"`` when pyahocorasick is installed, else ``"regex"``."""
    return "ahocorasick" if importlib.util.find_spec("ahocorasick") else "regex"


class _Node:
    __slots__ = ("children", "terminal")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.terminal = False


def _node_pattern(node: _Node, last_char: str) -> str:
    alternatives = [re.escape(char) + _node_pattern(child, char)
                    for char, child in sorted(node.children.items())]
    if node.terminal:
        alternatives.append(_NOT_ALNUM_AFTER if last_char in _ALNUM_CHARS else "")
    if len(alternatives) == 1:
        return alternatives[0]
    if node.terminal and len(alternatives) == 2:
        body = alternatives[0]
        return f"(?:{body})?" if not alternatives[1] else f"(?:{body}|{alternatives[1]})"
    return "(?:" + "|".join(alternatives) + ")"


def _trie_pattern(forms: Iterable[str]) -> str:
    root = _Node()
    for form in forms:
        node = root
        for char in form:
            node = node.children.setdefault(char, _Node())
        node.terminal = True
    # Top-level alternatives start with a plain literal, so that ``re`` can skip
    # quickly over positions where no term starts.
    alternatives = []
    for char, child in sorted(root.children.items()):
        rest = _node_pattern(child, char)
        if char in _ALNUM_CHARS:
            rest = f"(?<![{_ALNUM}].)" + rest
        alternatives.append(re.escape(char) + rest)
    return "|".join(alternatives)


class TermMatcher:
    """Leftmost-longest, non-overlapping occurrences of a fixed set of terms.

    Example:
        >>> TermMatcher(["产业数字化", "数字化转型"]).find("产业数字化转型")
        ['产业数字化']
        >>> TermMatcher(["高质量"], guards=["提高"]).find("提高质量和高质量发展")
        ['高质量']
    """

    def __init__(self, terms: Iterable[str], engine: str | None = None,
                 guards: Iterable[str] = ()) -> None:
        self.terms = sorted({term for term in terms if term})
        self.guards = sorted({guard for guard in guards if guard} - set(self.terms))
        self.engine = engine or default_engine()
        if self.engine not in ENGINES:
            raise OptionError(f"unknown matcher engine {self.engine!r}; choose {ENGINES}")
        forms = sorted({form for term in self.terms for form in surface_forms(term)})
        self._guard_forms = frozenset(
            form for guard in self.guards for form in surface_forms(guard)) - set(forms)
        self._regex = None
        self._automaton = None
        if not forms:
            return
        if self.engine == "regex":
            self._regex = re.compile(_trie_pattern([*forms, *self._guard_forms]))
            return
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for form in [*forms, *self._guard_forms]:
            automaton.add_word(form, (len(form), form[0] in _ALNUM_CHARS,
                                      form[-1] in _ALNUM_CHARS, form in self._guard_forms))
        automaton.make_automaton()
        self._automaton = automaton

    def __len__(self) -> int:
        return len(self.terms)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every match, left to right."""
        guards = self._guard_forms
        if self._regex is not None:
            return [match.span() for match in self._regex.finditer(text)
                    if not guards or match.group() not in guards]
        if self._automaton is None:
            return []
        hits = []
        alnum = _ALNUM_CHARS
        size = len(text)
        for last, (length, alnum_start, alnum_end, guard) in self._automaton.iter(text):
            start = last - length + 1
            if alnum_start and start > 0 and text[start - 1] in alnum:
                continue
            if alnum_end and last + 1 < size and text[last + 1] in alnum:
                continue
            hits.append((start, -length, guard))
        if not hits:
            return []
        hits.sort()
        spans = []
        reached = 0
        for start, negative_length, guard in hits:
            if start >= reached:
                reached = start - negative_length
                if not guard:
                    spans.append((start, reached))
        return spans

    def find(self, text: str) -> list[str]:
        """The matched substrings of ``text``, left to right."""
        return [text[start:end] for start, end in self.spans(text)]

    def split(self, text: str) -> list[tuple[str, bool]]:
        """``text`` cut into consecutive ``(piece, is_term)`` pairs that join back to ``text``."""
        pieces: list[tuple[str, bool]] = []
        position = 0
        for start, end in self.spans(text):
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
        if position < len(text):
            pieces.append((text[position:], False))
        return pieces
