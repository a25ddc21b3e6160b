"""Find lexicon terms in text: leftmost-longest, non-overlapping, one compiled regex.

The terms are arranged in a character trie which is written out as one nested
regular expression (each trie node an alternation tried longest-first), so a
single ``re.finditer`` scan finds, left to right, the longest term starting at
the first position where any term starts; the scan then resumes after it.
That is the *leftmost-longest* rule: when two terms overlap (``产业数字化`` and
``数字化转型`` in ``产业数字化转型``) the one starting first wins, and among
terms starting at the same position the longest wins; nested shorter terms
(``数字经济`` inside ``数字经济核心产业``) are part of the longer match.

Two refinements make the rule fit real text:

* ASCII letters, digits and symbols in a term also match their full-width
  forms (``互联网+`` matches ``互联网＋``; ``5G`` matches ``５Ｇ``).
* A term that begins (ends) with an ASCII letter or digit matches only where
  the text has no letter or digit just before (after) it, so ``AI`` is not
  found inside ``MAIL`` and ``5G`` not inside ``15G``.

Example:
    >>> matcher = TermMatcher(["数字经济", "数字经济核心产业", "5G"])
    >>> matcher.spans("数字经济核心产业和5G")
    [(0, 8), (9, 11)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Full-width forms U+FF01..U+FF5E and the ideographic space, folded to ASCII.
_FOLD = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "}
_FOLD_TABLE = str.maketrans(_FOLD)
_WIDE = {ascii_char: wide for wide, ascii_char in _FOLD.items()}
_ALNUM = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_NOT_ALNUM_AFTER = f"(?![{_ALNUM}])"


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms (and the ideographic space) to ASCII; length is unchanged."""
    return text.translate(_FOLD_TABLE)


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _char_pattern(char: str) -> str:
    wide = _WIDE.get(char)
    if wide is None:
        return re.escape(char)
    return f"[{re.escape(char)}{re.escape(wide)}]"


class _Node:
    __slots__ = ("children", "terminal")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.terminal = False


def _node_pattern(node: _Node, last_char: str) -> str:
    alternatives = [_char_pattern(char) + _node_pattern(child, char)
                    for char, child in sorted(node.children.items())]
    if node.terminal:
        alternatives.append(_NOT_ALNUM_AFTER if _is_ascii_alnum(last_char) else "")
    if len(alternatives) == 1:
        return alternatives[0]
    if node.terminal and len(alternatives) == 2:
        body = alternatives[0]
        return f"(?:{body})?" if not alternatives[1] else f"(?:{body}|{alternatives[1]})"
    return "(?:" + "|".join(alternatives) + ")"


def _trie_pattern(terms: Iterable[str]) -> str:
    root = _Node()
    for term in terms:
        node = root
        for char in fold_width(term):
            node = node.children.setdefault(char, _Node())
        node.terminal = True
    # Top-level alternatives start with a plain literal (the full-width form of an
    # ASCII first character is an alternative of its own): then ``re`` can skip
    # quickly over positions where no term starts.
    alternatives = []
    for char, child in sorted(root.children.items()):
        rest = _node_pattern(child, char)
        if _is_ascii_alnum(char):
            rest = f"(?<![{_ALNUM}].)" + rest
        for form in (char, _WIDE.get(char)):
            if form is not None:
                alternatives.append(re.escape(form) + rest)
    return "|".join(alternatives)


class TermMatcher:
    """Leftmost-longest, non-overlapping occurrences of a fixed set of terms.

    Example:
        >>> TermMatcher(["产业数字化", "数字化转型"]).find("产业数字化转型")
        ['产业数字化']
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted({term for term in terms if term})
        pattern = _trie_pattern(self.terms)
        self._regex = re.compile(pattern) if pattern else None

    def __len__(self) -> int:
        return len(self.terms)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every match, left to right."""
        if self._regex is None:
            return []
        return [match.span() for match in self._regex.finditer(text)]

    def find(self, text: str) -> list[str]:
        """The matched substrings of ``text``, left to right."""
        if self._regex is None:
            return []
        return self._regex.findall(text)

    def split(self, text: str) -> list[tuple[str, bool]]:
        """``text`` cut into consecutive ``(piece, is_term)`` pairs that join back to ``text``."""
        pieces: list[tuple[str, bool]] = []
        if self._regex is None:
            return [(text, False)] if text else []
        position = 0
        for match in self._regex.finditer(text):
            start, end = match.span()
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
        if position < len(text):
            pieces.append((text[position:], False))
        return pieces
