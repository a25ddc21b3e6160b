"""Keyword in context: every match of a term or regular expression, with its surroundings.

Matching runs over each document's cleaned text (so a match is never cut at a
passage boundary); each hit is attributed to the passage it starts in. The
``left`` and ``right`` context is up to ``window`` characters of the cleaned
text, with paragraph breaks shown as ``↵`` so that every hit fits on one line.
``start``/``end`` are offsets into the cleaned text: ``text[start:end] == match``.
A plain term is matched like :func:`~nqp_text.analysis.counting.count_term`
(every non-overlapping occurrence), so the number of rows equals the count.

Example:
    >>> import nqp_text
    >>> nqp_text.kwic(corpus, "新质生产力", window=10)  # doctest: +SKIP
       doc_id  year passage_id        left   match        right  start  end
"""

from __future__ import annotations

import bisect
import re

import pandas as pd

from nqp_text.analysis._inputs import document_layouts
from nqp_text.corpus import Corpus
from nqp_text.errors import OptionError
from nqp_text.preprocess.normalize import normalize_characters

KWIC_COLUMNS = ["doc_id", "year", "passage_id", "left", "match", "right", "start", "end"]
PARAGRAPH_MARK = "↵"


def kwic(corpus: Corpus, pattern: str | re.Pattern[str], window: int = 30, *,
         regex: bool = False) -> pd.DataFrame:
    """Every match of ``pattern`` with ``window`` characters of context on each side.

    ``pattern`` is a literal term unless ``regex=True`` (or it is a compiled
    pattern); a literal term is written as the readers write text (``５Ｇ`` finds
    ``5G``). Rows are sorted by year, document and position.

    Example:
        >>> kwic(corpus, r"数据(要素|资源)", regex=True)  # doctest: +SKIP
    """
    if window < 0:
        raise OptionError(f"window must be >= 0; got {window}")
    if isinstance(pattern, re.Pattern):
        compiled = pattern
    else:
        if not pattern:
            raise OptionError("kwic needs a non-empty pattern")
        try:
            compiled = re.compile(pattern if regex
                                  else re.escape(normalize_characters(pattern)))
        except re.error as error:
            raise OptionError(f"invalid regular expression {pattern!r}: {error}") from None
    years = corpus.documents.set_index("doc_id")["year"] if len(corpus.documents) else None
    rows = []
    for doc_id, layout in document_layouts(corpus).items():
        text = layout.text
        for match in compiled.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            slot = max(bisect.bisect_right(layout.starts, start) - 1, 0)
            left = text[max(0, start - window):start].replace("\n", PARAGRAPH_MARK)
            right = text[end:end + window].replace("\n", PARAGRAPH_MARK)
            year = years.get(doc_id) if years is not None else None
            rows.append((doc_id, year, layout.passage_ids[slot], left, match.group(),
                         right, start, end))
    frame = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    frame = frame.sort_values(["year", "doc_id", "start"], kind="stable", na_position="last")
    return frame.reset_index(drop=True)
