"""A corpus quality report: one row per document, and the documents that look wrong.

:func:`corpus_quality` (also :meth:`nqp_text.Corpus.quality`) gives, per
document: ``passages``, ``median_passage`` and ``longest_passage`` (characters),
``short_share`` (share of passages under :data:`SHORT_PASSAGE` = 20
characters), ``boilerplate_lines`` (lines removed by
:mod:`nqp_text.preprocess.boilerplate`), ``paragraphs_from`` (how paragraphs
were found, see :mod:`nqp_text.io._recover`), ``warnings`` (the reader's own
warnings plus the findings below, as sentences) and ``problems`` (the codes of
the findings: ``long``, ``one``, ``short``, ``recovered``, ``furniture``,
``near_duplicate``, ``contains``, ``status``). Checked on every ``ok`` document:

* a passage over :data:`LONG_PASSAGE` (5,000) characters (text read with
  ``max_passage=None`` or windows: classification sees one huge passage);
* one passage for a text of more than :data:`ONE_PASSAGE_CHARS` (3,000) characters;
* at least :data:`MIN_PASSAGES` (10) passages and more than :data:`SHORT_SHARE`
  (half) of them under 20 characters (page furniture, tables read as text);
* paragraphs not found from line breaks (``paragraphs_from`` is not ``lines``);
* lines that the boilerplate rules would remove, kept because of
  ``keep_boilerplate=True`` (``documents.boilerplate_kept``);
* most of its sentences also in another document (``near_duplicate``): the same
  report under two names or formats, found by :func:`nqp_text.duplicates.near_duplicates`
  (the pairs, as dicts, in ``table.attrs["near_duplicates"]``; nothing is removed);
* most of its sentences inside a longer document, or most of a shorter document's
  sentences inside it (``contains``): an excerpt or a summary next to the full text,
  found by the same function (pairs of ``kind`` ``contains``).

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

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

__all__ = ["corpus_quality", "quality_summary", "quality_diagnostics", "quality_csv_frame",
           "QUALITY_COLUMNS",
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
    "near_duplicate": "most of their sentences in another document (probably the same "
                      "report twice, counted twice in every table)",
    "contains": "most of their sentences inside a longer document, or most of a shorter "
                "one's inside them (an excerpt or a summary next to the full text, counted "
                "twice in every table)",
}


def corpus_quality(documents: pd.DataFrame, passages: pd.DataFrame | Iterable[Any], *,
                   near_duplicates: bool = True, overlap: float | None = None
                   ) -> pd.DataFrame:
    """The quality table of a corpus (see the module notes).

    ``passages`` is the passages frame, or any frame with ``doc_id`` and ``text``.
    ``near_duplicates=False`` skips the near-duplicate check; ``overlap`` is its
    threshold (share of sentences in both, default 0.5 from
    ``nqp_text/data/near_duplicates.yaml``). The pairs found are in
    ``table.attrs["near_duplicates"]``, one dict per pair with the keys
    :data:`nqp_text.duplicates.PAIR_COLUMNS`.

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
    pairs = _near_duplicates(documents, frame, rows, overlap) if near_duplicates else None
    table = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    for name in ("row", "n_chars", "passages", "longest_passage", "boilerplate_lines"):
        table[name] = table[name].astype("Int64")
    for name in ("median_passage", "short_share"):
        table[name] = table[name].astype("Float64")
    if pairs is not None:  # plain values: pyarrow keeps attrs in a Parquet file's metadata
        table.attrs["near_duplicates"] = [
            {name: value.item() if hasattr(value, "item") else value
             for name, value in pair.items()} for pair in pairs.to_dict("records")]
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
    lines = []
    for kind, text, hit, pair_line in _found_kinds(table, skip, shown):
        if pair_line is not None:
            lines.append(pair_line)
            continue
        more = f" and {len(hit) - shown} more" if len(hit) > shown else ""
        lines.append(f"{_count_phrase(kind, text, hit)}: {', '.join(hit[:shown])}{more}")
    return lines


def _found_kinds(table: pd.DataFrame, skip: tuple[str, ...],
                 shown: int) -> Iterator[tuple[str, str, list[str], str | None]]:
    """Per kind of problem present: its text, the documents, and the line naming the
    pairs for the pairwise kinds (near duplicates, containment), else ``None``."""
    records = table.to_dict("records")
    for kind, text in _KINDS.items():
        if kind in skip:
            continue
        hit = [_name(row) for row in records if kind in list(row["problems"])]
        if not hit:
            continue
        pairs = _pairs_of(table, kind)
        pair_line = None
        if pairs:
            pair_line = (_pair_line(pairs, shown) if kind == "near_duplicate"
                         else _contains_line(pairs, shown))
        yield kind, text, hit, pair_line


def _count_phrase(kind: str, text: str, hit: list[str]) -> str:
    verb, noun = ("has", "document") if len(hit) == 1 else ("have", "documents")
    if kind == "short" and len(hit) == 1:
        text = text.replace("their", "its")
    return f"{len(hit)} {noun} {verb} {text}"


def quality_diagnostics(table: pd.DataFrame, *, skip: tuple[str, ...] = ()) -> list[Any]:
    """One ``quality`` :class:`~nqp_text.diagnostics.Diagnostic` (stage ``ingest``) per kind
    of problem in a :func:`corpus_quality` table, with every document it concerns in
    ``files``: what ``nqp-text ingest`` and ``nqp-text run`` say (on stderr, in the
    manifest and in the report's warnings table, whose files column lists them).

    The message counts the documents and points at ``quality.csv`` (its ``problems`` and
    ``warnings`` columns) instead of naming them, as ``files`` does; near-duplicate pairs
    are still named in it, since which document repeats which is the finding.

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "path": ["a.txt", "b.txt"],
        ...                      "status": ["ok", "ok"], "n_chars": [12000, 10]})
        >>> texts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["字" * 12000, "一段文字。"]})
        >>> found = quality_diagnostics(corpus_quality(docs, texts))
        >>> found[0].files, found[0].message
        (('a.txt',), '1 document has a passage over 5,000 characters (see quality.csv, \
columns problems and warnings)')
    """
    from nqp_text.diagnostics import Diagnostic

    see = "see quality.csv, columns problems and warnings"
    found = []
    for kind, text, hit, pair_line in _found_kinds(table, skip, 5):
        line = pair_line if pair_line is not None else _count_phrase(kind, text, hit)
        message = f"{line} ({see})"
        found.append(Diagnostic("quality", "ingest", message, tuple(hit)))
    return found


def _near_duplicates(documents: pd.DataFrame, passages: pd.DataFrame, rows: list[dict[str, Any]],
                     overlap: float | None) -> pd.DataFrame:
    """Find the near-duplicate pairs and add each to both documents' warnings and problems."""
    from nqp_text.duplicates import near_duplicates

    pairs = near_duplicates(documents, passages, overlap=overlap)
    by_id = {row["doc_id"]: row for row in rows}
    for pair in pairs.to_dict("records"):
        kind = pair.get("kind", "near_duplicate")
        big, small = _larger_first(pair)
        for own, other in (("a", "b"), ("b", "a")):
            row = by_id.get(pair[f"doc_{own}"])
            if row is None:
                continue
            if kind not in row["problems"]:
                row["problems"].append(kind)
            if kind == "near_duplicate":
                row["warnings"].append(
                    f"shares {_share(pair['overlap'])} of its sentences with "
                    f"{pair[f'name_{other}']} ({pair['shared']:,} of {_union(pair):,}): "
                    "probably the same report, counted twice in every table")
            elif own == big:
                row["warnings"].append(
                    f"contains {_share(pair['containment'])} of the sentences of "
                    f"{pair[f'name_{small}']} ({pair['shared']:,} of "
                    f"{pair[f'sentences_{small}']:,}): that document is probably an excerpt "
                    "or a summary of this one, its text counted twice in every table")
            else:
                row["warnings"].append(
                    f"{_share(pair['containment'])} of its sentences ({pair['shared']:,} of "
                    f"{pair[f'sentences_{small}']:,}) are in {pair[f'name_{big}']}: probably "
                    "an excerpt or a summary of it, its text counted twice in every table")
    return pairs


def _larger_first(pair: dict[str, Any]) -> tuple[str, str]:
    """``("a", "b")`` when document a has at least as many sentences as b, else ``("b", "a")``."""
    return ("a", "b") if pair["sentences_a"] >= pair["sentences_b"] else ("b", "a")


def _pairs_of(table: pd.DataFrame, kind: str) -> list[dict[str, Any]]:
    """The pairs of ``table.attrs["near_duplicates"]`` of one kind (a table saved before
    the ``kind`` column holds near duplicates only)."""
    if kind not in ("near_duplicate", "contains"):
        return []
    return [pair for pair in table.attrs.get("near_duplicates") or []
            if pair.get("kind", "near_duplicate") == kind]


def _contains_line(records: list[dict[str, Any]], shown: int) -> str:
    """The summary line of the pairs where one document holds most of the other."""
    tail = ("every table (trends, category shares, topics, panels) counts that text twice; "
            "nothing was removed: leave the excerpt out (by doc_id) unless you mean to count "
            "it")
    if len(records) == 1:
        pair = records[0]
        big, small = _larger_first(pair)
        return (f"document {pair[f'name_{big}']} contains {_share(pair['containment'])} of "
                f"the sentences of {pair[f'name_{small}']} ({pair['shared']:,} of "
                f"{pair[f'sentences_{small}']:,}): probably an excerpt or a summary of it; "
                f"{tail}")
    listed = []
    for pair in records[:shown]:
        big, small = _larger_first(pair)
        listed.append(f"{pair[f'name_{small}']} inside {pair[f'name_{big}']} "
                      f"({_share(pair['containment'])})")
    more = f" and {len(records) - shown} more" if len(records) > shown else ""
    return (f"{len(records)} documents lie mostly inside a longer one, probably excerpts or "
            f"summaries: {', '.join(listed)}{more}; {tail}")


def _union(pair: dict[str, Any]) -> int:
    return int(pair["sentences_a"] + pair["sentences_b"] - pair["shared"])


def _share(value: float) -> str:
    """A share as a whole percentage, never rounded up to 100% unless it is 1."""
    return "100%" if value >= 1 else f"{min(int(value * 100 + 0.5), 99)}%"


def _pair_line(records: list[dict[str, Any]], shown: int) -> str:
    """The summary line of the near-duplicate pairs."""
    tail = ("every table (trends, category shares, topics, panels) counts such a report "
            "twice; nothing was removed: leave one copy out (by doc_id)")
    if len(records) == 1:
        pair = records[0]
        return (f"documents {pair['name_a']} and {pair['name_b']} share "
                f"{_share(pair['overlap'])} of their sentences ({pair['shared']:,} of "
                f"{_union(pair):,}): probably the same report; {tail}")
    listed = ", ".join(f"{pair['name_a']} and {pair['name_b']} ({_share(pair['overlap'])})"
                       for pair in records[:shown])
    more = f" and {len(records) - shown} more" if len(records) > shown else ""
    return (f"{len(records)} pairs of documents share most of their sentences, probably "
            f"the same report twice: {listed}{more}; {tail}")


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
