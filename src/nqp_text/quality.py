"""A corpus quality report: one row per document, and the documents that look wrong.

:func:`corpus_quality` (also :meth:`nqp_text.Corpus.quality`) gives, per
document: ``passages``, ``median_passage`` and ``longest_passage`` (characters),
``short_share`` (share of passages under :data:`SHORT_PASSAGE` = 20
characters), ``boilerplate_lines`` (lines removed by
:mod:`nqp_text.preprocess.boilerplate`), ``paragraphs_from`` (how paragraphs
were found, see :mod:`nqp_text.io._recover`), ``warnings`` (the reader's own
warnings plus the findings below, as sentences) and ``problems`` (the codes of
the findings: ``long``, ``one``, ``short``, ``recovered``, ``furniture``,
``status``). Checked on every ``ok`` document:

* a passage over :data:`LONG_PASSAGE` (5,000) characters (text read with
  ``max_passage=None`` or windows: classification sees one huge passage);
* one passage for a text of more than :data:`ONE_PASSAGE_CHARS` (3,000) characters;
* at least :data:`MIN_PASSAGES` (10) passages and more than :data:`SHORT_SHARE`
  (half) of them under 20 characters (page furniture, tables read as text);
* paragraphs not found from line breaks (``paragraphs_from`` is not ``lines``);
* lines that the boilerplate rules would remove, kept because of
  ``keep_boilerplate=True`` (``documents.boilerplate_kept``).

A document that is not ``ok`` carries its status and error as its warning.
:func:`quality_summary` turns the table into a few lines for stderr, one per
kind of problem, naming the documents ("3 documents have a passage over 5,000
characters: a.txt, b.csv#2, ..."); a clean corpus gives no line.

Example:
    >>> import nqp_text
    >>> corpus = nqp_text.read_corpus("corpora/sample")  # doctest: +SKIP
    >>> corpus.quality()[["passages", "longest_passage", "warnings"]]  # doctest: +SKIP
    >>> quality_summary(corpus.quality())  # doctest: +SKIP
    []
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["corpus_quality", "quality_summary", "quality_csv_frame", "QUALITY_COLUMNS",
           "LONG_PASSAGE", "SHORT_PASSAGE", "SHORT_SHARE", "MIN_PASSAGES", "ONE_PASSAGE_CHARS"]

#: A passage longer than this (characters) is reported.
LONG_PASSAGE = 5000
#: A passage shorter than this (characters) counts as short.
SHORT_PASSAGE = 20
#: A document with more than this share of short passages is reported...
SHORT_SHARE = 0.5
#: ... when it has at least this many passages.
MIN_PASSAGES = 10
#: A document with one passage and more characters than this is reported.
ONE_PASSAGE_CHARS = 3000
#: The columns of :func:`corpus_quality`.
QUALITY_COLUMNS = ["doc_id", "path", "row", "title", "status", "n_chars", "passages",
                   "median_passage", "longest_passage", "short_share", "boilerplate_lines",
                   "paragraphs_from", "warnings", "problems"]

_KINDS = {
    "long": f"a passage over {LONG_PASSAGE:,} characters",
    "one": f"one passage for more than {ONE_PASSAGE_CHARS:,} characters",
    "short": f"more than half of their passages under {SHORT_PASSAGE} characters",
    "recovered": "no usable line breaks (paragraphs recovered from indentation, the "
                 "boundary model or sentences)",
    "furniture": "lines that look like page furniture, kept (keep_boilerplate)",
    "status": "no text (status empty, no_text_layer or failed)",
}


def corpus_quality(documents: pd.DataFrame, passages: pd.DataFrame | Iterable[Any]
                   ) -> pd.DataFrame:
    """The quality table of a corpus (see the module notes).

    ``passages`` is the passages frame, or any frame with ``doc_id`` and ``text``.

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a"], "path": ["a.txt"], "status": ["ok"],
        ...                      "n_chars": [12000]})
        >>> table = corpus_quality(docs, pd.DataFrame({"doc_id": ["a"], "text": ["字" * 12000]}))
        >>> table.loc[0, "warnings"]
        ['a passage of 12,000 characters (over 5,000)', 'one passage for 12,000 characters']
    """
    frame = pd.DataFrame(passages)
    lengths = (frame["text"].astype(str).str.len() if len(frame)
               else pd.Series([], dtype="int64"))
    grouped = lengths.groupby(frame["doc_id"].astype(str).to_numpy() if len(frame) else [])
    stats = pd.DataFrame({
        "passages": grouped.size(), "median_passage": grouped.median(),
        "longest_passage": grouped.max(),
        "short_share": (lengths < SHORT_PASSAGE).groupby(
            frame["doc_id"].astype(str).to_numpy() if len(frame) else []).mean(),
    })
    rows = []
    for doc in documents.to_dict("records"):
        doc_id = str(doc["doc_id"])
        found = stats.loc[doc_id] if doc_id in stats.index else None
        row = {
            "doc_id": doc_id, "path": doc.get("path"), "row": _value(doc.get("row")),
            "title": _value(doc.get("title")), "status": doc.get("status"),
            "n_chars": _value(doc.get("n_chars")),
            "passages": int(found["passages"]) if found is not None else 0,
            "median_passage": float(found["median_passage"]) if found is not None else None,
            "longest_passage": int(found["longest_passage"]) if found is not None else None,
            "short_share": float(found["short_share"]) if found is not None else None,
            "boilerplate_lines": _value(doc.get("boilerplate_lines")),
            "paragraphs_from": _value(doc.get("paragraphs_from")),
        }
        row["warnings"], row["problems"] = _warnings(doc, row)
        rows.append(row)
    table = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    for name in ("row", "n_chars", "passages", "longest_passage", "boilerplate_lines"):
        table[name] = table[name].astype("Int64")
    for name in ("median_passage", "short_share"):
        table[name] = table[name].astype("Float64")
    return table


#: Problems that the readers' own diagnostics already name per document (a bad status,
#: a passage far longer than a paragraph, paragraphs recovered), left out of the
#: diagnostics of ``ingest``/``run``.
SAID_ELSEWHERE = ("status", "long", "recovered")


def quality_csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The :func:`corpus_quality` table as ``quality.csv`` holds it (lists joined into text).

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a"], "path": ["a.txt"], "status": ["ok"],
        ...                      "n_chars": [5]})
        >>> texts = pd.DataFrame({"doc_id": ["a"], "text": ["一段文字。"]})
        >>> quality_csv_frame(corpus_quality(docs, texts))["problems"].tolist()
        ['']
    """
    return table.assign(warnings=["; ".join(values) for values in table["warnings"]],
                        problems=[" ".join(values) for values in table["problems"]])


def quality_summary(table: pd.DataFrame, *, shown: int = 5,
                    skip: tuple[str, ...] = ()) -> list[str]:
    """One line per kind of problem in a :func:`corpus_quality` table, naming the documents.

    ``skip`` leaves out kinds of problem (e.g. :data:`SAID_ELSEWHERE`).

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "path": ["a.txt", "b.txt"],
        ...                      "status": ["ok", "ok"], "n_chars": [12000, 10]})
        >>> texts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["字" * 12000, "一段文字。"]})
        >>> quality_summary(corpus_quality(docs, texts))[0]
        '1 document has a passage over 5,000 characters: a.txt'
    """
    records = table.to_dict("records")
    lines = []
    for kind, text in _KINDS.items():
        if kind in skip:
            continue
        hit = [_name(row) for row in records if kind in list(row["problems"])]
        if not hit:
            continue
        more = f" and {len(hit) - shown} more" if len(hit) > shown else ""
        verb = "has" if len(hit) == 1 else "have"
        noun = "document" if len(hit) == 1 else "documents"
        if kind == "short":
            text = text.replace("their", "its") if len(hit) == 1 else text
        lines.append(f"{len(hit)} {noun} {verb} {text}: {', '.join(hit[:shown])}{more}")
    return lines


def _warnings(doc: dict[str, Any], row: dict[str, Any]) -> tuple[list[str], list[str]]:
    own = doc.get("warnings")
    warnings = [str(text) for text in own] if _is_list(own) else []
    kinds = []
    if doc.get("status") != "ok":
        kinds.append("status")
        warnings.append(f"status {doc.get('status')}: {_value(doc.get('error')) or 'no reason'}")
        return warnings, kinds
    longest, n = row["longest_passage"] or 0, row["passages"]
    if longest > LONG_PASSAGE:
        kinds.append("long")
        warnings.append(f"a passage of {longest:,} characters (over {LONG_PASSAGE:,})")
    n_chars = row["n_chars"] or 0
    if n == 1 and n_chars > ONE_PASSAGE_CHARS:
        kinds.append("one")
        warnings.append(f"one passage for {n_chars:,} characters")
    if n >= MIN_PASSAGES and (row["short_share"] or 0) > SHORT_SHARE:
        kinds.append("short")
        warnings.append(f"{row['short_share']:.0%} of {n} passages are under "
                        f"{SHORT_PASSAGE} characters")
    if row["paragraphs_from"] not in (None, "lines"):
        kinds.append("recovered")
    kept = _value(doc.get("boilerplate_kept")) or 0
    if kept:
        kinds.append("furniture")
        warnings.append(f"{kept} lines look like page furniture or source lines "
                        "(kept: keep_boilerplate)")
    return warnings, kinds


def _name(row: dict[str, Any]) -> str:
    where = str(row["path"])
    return where if row["row"] is None or pd.isna(row["row"]) else f"{where}#{row['row']}"


def _is_list(value: Any) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str)


def _value(value: Any) -> Any:
    if value is None or _is_list(value):
        return value
    return None if pd.isna(value) else value
