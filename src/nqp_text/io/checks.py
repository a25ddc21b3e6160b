"""Checks that say when what was read would mislead: long passages, traditional characters,
fields that match nothing, documents without a year.

Per document (run wherever a document is read, also in worker processes):
:func:`document_warnings` returns sentences for the document's ``warnings``
list (a ``documents`` column), which :func:`nqp_text.diagnostics.document_diagnostics`
turns into stderr lines, manifest entries and report rows.

Per corpus (on the client, after every file is read): :func:`corpus_diagnostics`
looks at the ``documents`` table as a whole: a ``--year-field``/``--title-field``/
``--text-field`` that matches no record (and the existing field the user may have
meant), a record field kept under a ``field_`` name because nqp_text has a
column of that name, documents without a year (left out of every by-year table), and
documents that repeat another one (counted again in every table).

Example:
    >>> document_warnings("經濟發展" * 20, [(0, 80)], to_simplified=False)[0][:32]
    'written in traditional character'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from nqp_text.diagnostics import Diagnostic, similar_names

#: A passage longer than this (characters) is far longer than a paragraph.
LONG_PASSAGE = 5_000
#: Share of a document's CJK characters in traditional-only forms that marks it traditional.
TRADITIONAL_SHARE = 0.02
#: ... and at least this many of them (a few quoted names are not a traditional document).
TRADITIONAL_MIN = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A document whose tables hold at least this many characters ...
TABLE_MIN_CHARS = 1_000
#: ... and this many times the characters of its body text is mostly tables: its table
#: text is in no passage, so counts, labels and topics see only the rest.
TABLE_RATIO = 2.0
#: Characters of a document looked at for the traditional-character check.
_SAMPLE = 200_000
#: Columns of ``documents`` that are not JSONL/CSV record fields.
_NOT_FIELDS = {"doc_id", "path", "title", "year", "source", "status", "error", "n_pages",
               "n_chars", "sha256", "row", "year_source", "duplicate_of", "encoding",
               "warnings", "base_id", "paragraphs_from", "boilerplate_lines",
               "boilerplate_removed", "boilerplate_kept", "rejoined_breaks",
               "converted_to_simplified"}


@functools.lru_cache(maxsize=1)
def traditional_only() -> frozenset[str]:
    """Common traditional-only characters (``io/data/traditional_only.txt``)."""
    text = resources.files("nqp_text.io").joinpath("data/traditional_only.txt").read_text("utf-8")
    return frozenset(char for line in text.splitlines() if not line.startswith("#")
                     for char in line.strip())


def traditional_share(text: str) -> tuple[int, float]:
    """``(n, share)``: traditional-only characters and their share of the CJK ones, in the first
    200,000 characters of ``text``.

    Example:
        >>> traditional_share("经济发展"), traditional_share("經濟發展")
        ((0, 0.0), (3, 0.75))
    """
    cjk = _CJK.findall(text[:_SAMPLE])  # a sample: a 20 MB text is judged by its start
    if not cjk:
        return 0, 0.0
    table = traditional_only()
    n = sum(char in table for char in cjk)
    return n, n / len(cjk)


def is_traditional(text: str) -> tuple[bool, float]:
    """``(flagged, share)``: whether ``text`` is written in traditional characters (at
    least :data:`TRADITIONAL_MIN` traditional-only characters making at least
    :data:`TRADITIONAL_SHARE` of its Chinese ones), and that share. What the
    ``traditional`` warning and ``to_simplified="auto"`` go by.

    Example:
        >>> is_traditional("經濟發展" * 20)[0], is_traditional("经济發展" * 2)[0]
        (True, False)
    """
    n, share = traditional_share(text)
    return n >= TRADITIONAL_MIN and share >= TRADITIONAL_SHARE, share


def document_warnings(text: str, spans: Sequence[tuple[int, int]], *,
                      to_simplified: bool | str, table_chars: int = 0, n_tables: int = 0,
                      script_text: str | None = None) -> list[str]:
    """Sentences about one document's text and passages (``spans``: ``(start, end)`` each;
    ``table_chars``: the characters in the cells of its ``n_tables`` tables). With
    ``to_simplified`` true (``True`` or ``"auto"``) the caller has converted the text
    and says so itself, so the script is not checked here; ``script_text`` is what the
    script check judges (default ``text``; the readers pass the body and the table cells)."""
    found = []
    if table_chars >= TABLE_MIN_CHARS and table_chars >= TABLE_RATIO * len(text):
        found.append(f"most of its text is in tables ({table_chars:,} characters in "
                     f"{n_tables} table(s), {len(text):,} in the body): tables are kept out "
                     "of the passages, so term counts, labels and topics see only the body; "
                     "the cells are in tables.parquet")
    long = [end - start for start, end in spans if end - start > LONG_PASSAGE]
    if long:
        found.append(f"{len(long)} passage(s) longer than {LONG_PASSAGE:,} characters "
                     f"(longest {max(long):,}): the text has no paragraph breaks, so a passage "
                     "is far longer than a paragraph and is classified and counted as one "
                     "unit; keep --max-passage on (default 1,500) or read it with --unit "
                     "sentence or --unit window --size N")
    if not to_simplified:
        flagged, share = is_traditional(text if script_text is None else script_text)
        if flagged:
            found.append(f"written in traditional characters ({share:.0%} of its Chinese "
                         "characters are traditional-only forms such as 經/發/國): simplified "
                         "terms (经济, 发展) are not counted in it; read it with "
                         "to_simplified='auto' (the default; drop --no-to-simplified) to "
                         "convert such documents, or --to-simplified to convert all")
    return found


def corpus_diagnostics(documents: Any, *,
                       text_field: str | Sequence[str] | None = None,
                       year_field: str | None = None, title_field: str | None = None,
                       metadata_columns: Sequence[str] = ()) -> list[Diagnostic]:
    """What the ``documents`` table as a whole says the user should know (see the module)."""
    import pandas as pd

    found: list[Diagnostic] = []
    if not len(documents):
        return found
    records = documents[documents["row"].notna()] if "row" in documents.columns \
        else documents.iloc[0:0]
    fields = _record_fields(records, metadata_columns)
    files = sorted(dict.fromkeys(str(p) for p in records["path"]))
    if len(records):
        found += _field_checks(records, fields, files, text_field, year_field, title_field)
    found += _short_stock_codes(documents)
    found += duplicate_documents(documents)
    ok = documents[documents["status"] == "ok"]
    undated = ok[ok["year"].isna()]
    if len(ok) and len(undated):
        where = [str(path) if pd.isna(row) else f"{path}#{int(row)}" for path, row in zip(
            undated["path"], undated["row"] if "row" in undated else [None] * len(undated),
            strict=True)]
        everything = len(undated) == len(ok)
        found.append(Diagnostic(
            "no_year", "ingest",
            ("no document has a year, so every by-year table (trends, topic prevalence) is "
             "empty; give years in the file names, a year field (--year-field) or --metadata"
             if everything else
             f"{len(undated)} of {len(ok)} documents have no year and are left out of every "
             "by-year table; give them a year in the file name, the year field or --metadata"),
            () if everything else tuple(where)))
    return found


def duplicate_documents(documents: Any) -> list[Diagnostic]:
    """A warning: documents read twice, which every table then counts twice.

    Three cases among the ``ok`` documents: a file identical to another
    (``duplicate_of``, e.g. the same PDF in two folders; not when the first copy
    is itself left out, e.g. superseded, since the text is then counted once),
    JSONL/CSV records with the same cleaned text (their ``sha256``), and files of
    one folder with the same name in two formats (``报告.pdf`` and ``报告.docx``:
    most often the same report; said as "probably"). Nothing is removed: which
    copy to keep is the user's choice.

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["a", "a-2"], "path": ["x/r.pdf", "y/r.pdf"],
        ...                      "status": ["ok", "ok"], "row": [None, None],
        ...                      "sha256": ["s", "s"], "duplicate_of": [None, "a"]})
        >>> [d.files for d in duplicate_documents(docs)]
        [('x/r.pdf', 'y/r.pdf')]
    """
    import pandas as pd

    if not len(documents) or "path" not in documents.columns:
        return []
    ok = documents[documents["status"] == "ok"]
    rows = ok["row"] if "row" in ok.columns else pd.Series(pd.NA, index=ok.index)
    shown = pd.Series([str(path) if pd.isna(row) else f"{path}#{int(row)}"
                       for path, row in zip(ok["path"], rows, strict=True)], index=ok.index)
    groups: list[list[str]] = []
    if "duplicate_of" in ok.columns:
        first_of = dict(zip(documents["doc_id"].astype(str), documents["path"].astype(str),
                            strict=True))
        counted = set(ok["doc_id"].astype(str))
        copies = ok[ok["duplicate_of"].notna()
                    & ok["duplicate_of"].astype(str).isin(counted)]
        for first, part in copies.groupby(copies["duplicate_of"].astype(str), sort=False):
            groups.append([first_of.get(first, first), *shown[part.index]])
    records = ok[rows.notna()]
    if "sha256" in records.columns and len(records):
        for _, part in records.groupby(records["sha256"].astype(str), sort=False):
            if len(part) > 1:
                groups.append(list(shown[part.index]))
    found = []
    if groups:
        n = sum(len(group) - 1 for group in groups)
        example = " = ".join(groups[0])
        found.append(Diagnostic(
            "duplicate_documents", "ingest",
            f"{n} document(s) repeat another one with the same text (e.g. {example}): every "
            "copy is counted again in every table (trends, measures, topics, panels, "
            "category shares); remove the copies, or leave them out by doc_id "
            "(documents.duplicate_of names the first copy of an identical file)",
            tuple(dict.fromkeys(name for group in groups for name in group))))
    found += _same_name_formats(ok[rows.isna()])
    return found


def _same_name_formats(files: Any) -> list[Diagnostic]:
    """A warning: files of one folder with the same name in two or more formats."""
    from pathlib import PurePath

    by_name: dict[tuple[str, str], list[str]] = {}
    for path in files["path"].astype(str):
        pure = PurePath(path)
        by_name.setdefault((str(pure.parent), pure.stem), []).append(path)
    groups = [sorted(paths) for paths in by_name.values() if len(paths) > 1]
    if not groups:
        return []
    n = sum(len(group) - 1 for group in groups)
    return [Diagnostic(
        "duplicate_documents", "ingest",
        f"{n} file(s) have the name of another file of their folder in another format "
        f"(e.g. {', '.join(groups[0])}): if they hold the same report, it is counted twice "
        "in every table; keep one format of each", tuple(name for g in groups for name in g))]


def _short_stock_codes(documents: Any) -> list[Diagnostic]:
    """A warning: ``stkcd`` values of 1-5 digits (``1`` for 000001), what a metadata CSV
    saved by Excel holds; such codes do not merge with CSMAR/Wind data (``000001``)."""
    if "stkcd" not in documents.columns:
        return []
    codes = documents["stkcd"]
    short = documents[codes.map(lambda code: isinstance(code, str) and code.isascii()
                                and code.isdigit() and len(code) < 6)]
    if not len(short):
        return []
    first = short.iloc[0]
    where = [str(path) for path in short["path"]]
    return [Diagnostic(
        "short_stock_code", "ingest",
        f"{len(short)} document(s) have a stkcd of fewer than 6 digits (first: "
        f"{first['stkcd']!r} for {first['path']}): A-share codes have 6 digits, and Excel "
        f"drops the leading zeros of a metadata CSV it saved; write the codes with their zeros "
        f"({first['stkcd'].zfill(6)}), or the panel will not merge with CSMAR/Wind codes",
        tuple(dict.fromkeys(where)))]


def _longest_text_field(records: Any, fields: list[str]) -> str | None:
    """The record field whose string values are longest in total (the likely text field)."""
    best, best_length = None, 0
    for name in fields:
        column = name if name in records.columns else f"field_{name}"
        if column not in records.columns:
            continue
        values = records[column]
        length = int(sum(len(value) for value in values if isinstance(value, str)))
        if length > best_length:
            best, best_length = name, length
    return best


def _record_fields(records: Any, metadata_columns: Sequence[str]) -> list[str]:
    """Field names of JSONL/CSV records seen as ``documents`` columns (``field_`` prefix off)."""
    names = []
    for column in records.columns:
        if column in _NOT_FIELDS or column in metadata_columns or column.startswith("_"):
            continue
        if records[column].notna().any():
            names.append(column[len("field_"):] if column.startswith("field_") else column)
    return names


def _field_checks(records: Any, fields: list[str], files: list[str],
                  text_field: str | Sequence[str] | None, year_field: str | None,
                  title_field: str | None) -> list[Diagnostic]:
    found = []
    shown = ", ".join(repr(name) for name in fields) or "none besides those used"
    for option, name, default, missing in (
            ("--year-field", year_field, "year",
             bool((records.get("year_source") != "field").all())
             if "year_source" in records else True),
            ("--title-field", title_field, "title", bool(records["title"].isna().all())),
    ):
        if name is None or not missing:
            continue
        guesses = similar_names(name, fields, default=default)
        hint = f"; did you mean {option} {guesses[0]}?" if guesses else ""
        found.append(Diagnostic(
            "field_unmatched", "ingest",
            f"{option} {name!r} matches no record (or holds no value) in {len(records)} "
            f"record(s); the records' other fields: {shown}{hint}", tuple(files)))
    from nqp_text.io.tabular import DEFAULT_TEXT_FIELDS, text_field_names

    names = text_field_names(text_field) or DEFAULT_TEXT_FIELDS
    listed = " / ".join(repr(name) for name in names)
    lacking = records[(records["status"] == "failed")
                      & records["error"].astype(str).str.contains(f"no field {listed}",
                                                                  regex=False)]
    if len(lacking) == len(records) and text_field is not None:
        guesses = similar_names(names[0], fields, default="text") or \
            [name for name in ("content", "text") if name in fields]
        hint = f"; did you mean --text-field {guesses[0]}?" if guesses else ""
        found.append(Diagnostic(
            "field_unmatched", "ingest",
            f"--text-field {','.join(names)!r} matches no record: every record failed; "
            f"the records' fields: {shown}{hint}", tuple(files)))
    elif len(lacking) == len(records):
        longest = _longest_text_field(records, fields)
        hint = (f"; if {longest!r} holds the text, read with --text-field {longest} "
                f"(text_field={longest!r})" if longest else
                "; name the text field with --text-field (text_field=)")
        found.append(Diagnostic(
            "field_unmatched", "ingest",
            f"no record has a text field of the default names {listed}: every record "
            f"failed; the records' fields: {shown}{hint}", tuple(files)))
    renamed = [column for column in records.columns
               if column.startswith("field_") and records[column].notna().any()]
    for column in renamed:
        original = column[len("field_"):]
        found.append(Diagnostic(
            "field_renamed", "ingest",
            f"the records' own field {original!r} is kept as column {column!r} because "
            f"{original!r} is a column nqp_text fills itself"
            + (" (from --year-field/--title-field or the file name); pass "
               f"--{original}-field {original} to use it" if original in ("year", "title")
               else ""), tuple(files)))
    return found
