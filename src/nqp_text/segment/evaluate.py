"""Word-segmentation accuracy: the standard word-span precision, recall and F1.

A word is the span of non-whitespace characters it covers, counted over the
whole test file (all lines concatenated, whitespace removed). A predicted word
is correct when a gold word has exactly the same span. Aligning on the whole
file's character stream rather than line by line matters for SIGHAN 2005 MSR:
in 16 lines of its raw test file an opening quotation mark sits on the next
line compared with the gold file, which line-by-line scoring would count as
errors of both lines (or fail on).

Example:
    >>> score_words([["我们", "在", "北京"]], [["我们", "在北", "京"]])["f1"]
    0.3333333333333333
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from nqp_text.errors import InputError

_SPACE = re.compile(r"\s+")
PathLike = str | os.PathLike[str]


def _spans(lines: Iterable[Sequence[str]]) -> tuple[set[tuple[int, int]], str]:
    spans: set[tuple[int, int]] = set()
    chars: list[str] = []
    position = 0
    for words in lines:
        for word in words:
            core = _SPACE.sub("", word)
            if not core:
                continue
            spans.add((position, position + len(core)))
            chars.append(core)
            position += len(core)
    return spans, "".join(chars)


def score_words(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]
                ) -> dict[str, float]:
    """Precision, recall and F1 of predicted words against gold words.

    ``gold`` and ``predicted`` are sequences of lines, each a list of words;
    whitespace inside or between words is ignored. Both must cover the same
    characters overall (``ValueError`` otherwise, with the first difference).
    """
    gold_spans, gold_chars = _spans(gold)
    pred_spans, pred_chars = _spans(predicted)
    if gold_chars != pred_chars:
        where = next((i for i, (a, b) in enumerate(zip(gold_chars, pred_chars, strict=False))
                      if a != b), min(len(gold_chars), len(pred_chars)))
        raise InputError(f"gold and predicted text differ at character {where}: "
                         f"{gold_chars[where:where + 10]!r} vs {pred_chars[where:where + 10]!r}")
    correct = len(gold_spans & pred_spans)
    precision = correct / len(pred_spans) if pred_spans else 0.0
    recall = correct / len(gold_spans) if gold_spans else 0.0
    f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "gold_words": float(len(gold_spans)), "predicted_words": float(len(pred_spans))}


def read_lines(path: PathLike) -> list[str]:
    """Lines of a UTF-8 text file, without line ends (a trailing empty line dropped)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def score_sighan(cut: Callable[[str], Sequence[str]], raw_path: PathLike,
                 gold_path: PathLike) -> dict[str, float]:
    """Score a cutting function on a SIGHAN-format test set (raw text + gold words).

    Example:
        >>> from nqp_text import Segmenter
        >>> score_sighan(Segmenter().cut, "sighan2005/pku_test.utf8",
        ...              "sighan2005/pku_test_gold.utf8")["f1"]  # doctest: +SKIP
        0.82...
    """
    raw = read_lines(raw_path)
    gold = [line.split() for line in read_lines(gold_path)]
    predicted = [cut(line) for line in raw]
    return score_words(gold, predicted)
