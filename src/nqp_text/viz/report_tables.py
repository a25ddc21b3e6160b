"""The tables ``report.html`` draws: read back from ``nqp-text run``, else computed.

Besides ``documents.parquet``, the report needs the number of passages and
content tokens, ``category_trends``, ``trends_lexicon``, the trends of the
focus terms (``viz/data/report_terms.txt``), keyness of the last period
against the one before (:func:`report_periods`) and the topic tables.
Computed from the corpus, these need every passage and token in memory.
``nqp-text run`` therefore builds them while it streams the documents (the
trends stage writes ``trends_lexicon``/``category_trends``; the
``report_tables`` stage feeds :class:`ReportTablesReducer` one document at a
time) and :class:`ReportTables` reads them back:

* ``document_lengths``: ``doc_id, year, n_passages, n_tokens`` of every
  document with passages, in output order;
* ``trends_focus_terms``: the table of ``term_frequencies(corpus,
  focus_terms(), by="year", normalize="per_10k_tokens")``;
* ``keyness_last_periods``: ``target, reference`` (``"2021-2025"``), then the
  columns of ``keyness(corpus, target, reference)`` for :func:`report_periods`
  (written only when both periods have documents with text).

The trends tables hold lexicon terms only (longest-match counts) while keyness
compares every content token, so keyness cannot be derived from
``trends_lexicon``; it has its own table.

A precomputed table is used only when (1) the corpus files the report would
otherwise read (``documents``, ``passages``, ``tokens``, ``labels``) and the
table itself are byte for byte those ``nqp-text run`` last wrote into the
folder (SHA-256 against its records in ``DIR/.cache/outputs``), and (2) the
table agrees with the corpus: ``document_lengths`` lists exactly the ``ok``
documents of ``documents.parquet`` with their years and as many passages as
``passages.parquet`` holds; each trends table has, per year, the documents and
tokens of ``document_lengths``; the focus table counts today's focus terms;
the keyness table compares today's periods; ``category_trends`` has passage
shares exactly when ``labels.parquet`` exists. Anything else (a folder of
``nqp-text ingest``/``segment``, one changed by a stage command since the run)
is computed from the corpus, as before; both ways give the same tables
(tested).

Example:
    >>> tables = ReportTables("results")  # doctest: +SKIP
    >>> tables.lexicon.head()  # doctest: +SKIP
    >>> tables.computed  # what had to be computed from the corpus  # doctest: +SKIP
    []
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.corpus import Corpus
from nqp_text.errors import InputError, MissingInputError

#: Years in each of the two periods keyness compares.
PERIOD_YEARS = 5
#: Keyness drops terms rarer than this in both periods together (``keyness``'s default).
MIN_COUNT = 5
LENGTHS = "document_lengths"
FOCUS = "trends_focus_terms"
KEYNESS = "keyness_last_periods"
LENGTH_COLUMNS = ["doc_id", "year", "n_passages", "n_tokens"]
_CORPUS_FILES = ("documents.parquet", "passages.parquet", "tokens.parquet", "labels.parquet")

Periods = tuple[tuple[int, int], tuple[int, int]]


def focus_terms() -> list[str]:
    """The focus terms charted in the report (``viz/data/report_terms.txt``), in order."""
    text = resources.files("nqp_text.viz").joinpath("data/report_terms.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def report_periods(years: Iterable[Any]) -> Periods | None:
    """The last :data:`PERIOD_YEARS` calendar years up to the latest year, and the span before.

    ``None`` when no document has a year in the earlier span. Missing years are ignored.

    Example:
        >>> report_periods([2016, 2019, 2025, None])
        ((2021, 2025), (2016, 2020))
        >>> report_periods([2024, 2025]) is None
        True
    """
    present = [int(year) for year in years if not pd.isna(year)]
    if not present:
        return None
    last = max(present)
    target = (last - PERIOD_YEARS + 1, last)
    reference = (target[0] - PERIOD_YEARS, target[0] - 1)
    if not any(reference[0] <= year <= reference[1] for year in present):
        return None
    return target, reference


def period_label(period: tuple[int, int], dash: str = "-") -> str:
    """``(2021, 2025)`` -> ``"2021-2025"``."""
    return f"{period[0]}{dash}{period[1]}"


def _side(year: Any, periods: Periods | None) -> str | None:
    if periods is None or pd.isna(year):
        return None
    for name, (low, high) in zip(("target", "reference"), periods, strict=True):
        if low <= int(year) <= high:
            return name
    return None


def report_table_names(years: Iterable[Any], periods: Periods | None) -> list[str]:
    """The tables :class:`ReportTablesReducer` writes for documents with text of these years."""
    sides = {_side(year, periods) for year in years}
    return [LENGTHS, FOCUS] + ([KEYNESS] if {"target", "reference"} <= sides else [])


def _keyness_table(target: Counter[str], reference: Counter[str],
                   min_count: int) -> pd.DataFrame:
    """The table of :func:`nqp_text.analysis.keyness.keyness` from the two periods' counts
    (place names left out, as ``keyness`` does by default)."""
    from nqp_text.analysis.keyness import KEYNESS_COLUMNS, keyness_scores
    from nqp_text.analysis.places import place_terms

    terms = sorted(set(target) | set(reference))
    a = np.array([target[term] for term in terms], dtype=np.int64)
    b = np.array([reference[term] for term in terms], dtype=np.int64)
    n1, n2 = a.sum(), b.sum()
    table = pd.DataFrame({"term": terms, "target_count": a, "reference_count": b,
                          "target_per_10k": a / n1 * 10_000, "reference_per_10k": b / n2 * 10_000})
    table = pd.concat([table, keyness_scores(a, b, n1, n2)], axis=1)
    table = table[(table["target_count"] + table["reference_count"]) >= min_count]
    table = table[~table["term"].isin(place_terms(table["term"]))]
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)[KEYNESS_COLUMNS]


class ReportTablesReducer:
    """Build ``document_lengths``, ``trends_focus_terms`` and ``keyness_last_periods`` by streaming.

    Add each document with passages once, in output order; memory grows with
    the documents (one row each), years × focus terms, and the vocabulary of
    the two periods compared — not with the text.

    Example:
        >>> reducer = ReportTablesReducer(["数据要素"], ((2021, 2025), (2016, 2020)))
        >>> passages = pd.DataFrame({"doc_id": ["d"], "passage_id": ["d:0"], "seq": [0],
        ...                          "text": ["培育数据要素市场"], "start": [0], "end": [8]})
        >>> reducer.add("d", 2024, passages, [["培育", "数据要素", "市场"]])
        >>> reducer.tables()[FOCUS]["count"].tolist()
        [1]
    """

    def __init__(self, focus: Sequence[str], periods: Periods | None,
                 min_count: int = MIN_COUNT) -> None:
        from nqp_text.analysis.trends_reducer import TrendsReducer

        self.focus = list(focus)
        self.periods = periods
        self.min_count = min_count
        self._lengths: list[tuple[str, Any, int, int]] = []
        self._trends = TrendsReducer(self.focus, {})
        self._sides: dict[str, Counter[str]] = {"target": Counter(), "reference": Counter()}
        self._seen: set[str] = set()

    def add(self, doc_id: str, year: Any, passages: pd.DataFrame,
            token_lists: Sequence[Sequence[str]]) -> None:
        """One document: its year (or missing), passages (with ``text``/``start``) and tokens."""
        from nqp_text.analysis._inputs import document_texts
        from nqp_text.analysis.counting import count_term

        year = None if pd.isna(year) else int(year)
        n_tokens = sum(len(tokens) for tokens in token_lists)
        self._lengths.append((doc_id, year, len(passages), n_tokens))
        if year is None:
            return
        text = document_texts(Corpus(pd.DataFrame({"doc_id": [doc_id]}), passages)).iloc[0]
        self._trends.add(year, {term: count_term(text, term) for term in self.focus},
                         n_tokens, len(passages))
        side = _side(year, self.periods)
        if side is not None:
            self._seen.add(side)
            for tokens in token_lists:
                self._sides[side].update(tokens)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name; keyness only when both periods had documents."""
        lengths = pd.DataFrame(self._lengths, columns=LENGTH_COLUMNS)
        lengths = lengths.astype({"doc_id": "string", "year": "Int64", "n_passages": "int64",
                                  "n_tokens": "int64"})
        focus = self._trends.term_table()
        focus["value"] = focus["per_10k_tokens"].astype(float)
        tables = {LENGTHS: lengths, FOCUS: focus}
        if self.periods is not None and self._seen == {"target", "reference"}:
            table = _keyness_table(self._sides["target"], self._sides["reference"],
                                   self.min_count)
            table.insert(0, "reference", period_label(self.periods[1]))
            table.insert(0, "target", period_label(self.periods[0]))
            tables[KEYNESS] = table
        return tables


class ReportTables:
    """Every table the report draws, read from ``directory`` when valid, else computed.

    ``computed`` lists, in order, what had to be computed from the corpus
    (``tokens``, ``category_trends``, ``trends_lexicon``, ``trends_focus_terms``,
    ``keyness_last_periods``); empty for the output folder of ``nqp-text run``.
    ``recompute=True`` ignores the precomputed tables.
    """

    def __init__(self, directory: str | os.PathLike[str], workers: int = 1,
                 recompute: bool = False) -> None:
        from nqp_text.analysis.workspace import Workspace

        self.workspace = Workspace(directory)
        self.directory = self.workspace.directory
        self.workers = workers
        self.recompute = recompute
        self.computed: list[str] = []
        path = self.directory / "documents.parquet"
        if not path.exists():
            raise MissingInputError(f"{path}: missing; is {self.directory} an ingest output?",
                                    path=path)
        self.documents = Corpus(pd.read_parquet(path)).documents
        ok = self.documents[self.documents["status"] == "ok"]
        #: Years of the documents read successfully (a failed file's year has no text).
        self.years = sorted({int(year) for year in ok["year"].dropna()})
        self.periods = report_periods(self.years)

    # -- the corpus, loaded only for what must be computed ------------------------------

    @property
    def corpus(self) -> Corpus:
        return self.workspace.corpus

    def tokens(self) -> pd.Series:
        """Content tokens per passage (``tokens.parquet``, else segmented now)."""
        self._computing("tokens")
        return self.workspace.tokens(self.workers)

    def _computing(self, name: str) -> None:
        if name not in self.computed:
            self.computed.append(name)

    # -- precomputed tables ---------------------------------------------------------------

    @functools.cached_property
    def _trusted(self) -> bool:
        """Whether the corpus files are exactly those ``nqp-text run`` last wrote here."""
        from nqp_text._records import unchanged_since_run

        if self.recompute:
            return False
        present = [name for name in _CORPUS_FILES if (self.directory / name).exists()]
        return all(unchanged_since_run(self.directory, name) for name in present)

    def _read(self, name: str) -> pd.DataFrame | None:
        from nqp_text._records import unchanged_since_run

        if not (self._trusted and unchanged_since_run(self.directory, f"{name}.parquet")):
            return None
        return pd.read_parquet(self.directory / f"{name}.parquet")

    @functools.cached_property
    def _lengths(self) -> pd.DataFrame | None:
        """``document_lengths`` when it matches ``documents.parquet`` and ``passages.parquet``."""
        lengths = self._read(LENGTHS)
        if lengths is None:
            return None
        ok = self.documents[self.documents["status"] == "ok"]
        if _years_by_id(ok) != _years_by_id(lengths) \
                or int(lengths["n_passages"].sum()) != self.n_passages:
            return None
        return lengths

    @functools.cached_property
    def _year_totals(self) -> list[tuple[int, int, int]] | None:
        """``(year, n_docs, n_tokens)`` of the dated documents of ``document_lengths``."""
        if self._lengths is None:
            return None
        dated = self._lengths.dropna(subset=["year"])
        grouped = dated.groupby("year", sort=True)["n_tokens"].agg(["size", "sum"])
        return [(int(year), int(n), int(tokens))
                for year, n, tokens in grouped.itertuples(name=None)]

    def _trends_table(self, name: str) -> pd.DataFrame | None:
        """A precomputed trends table whose per-year documents and tokens agree."""
        if self._year_totals is None:
            return None
        table = self._read(name)
        if table is None:
            return None
        groups = table.drop_duplicates("group")[["group", "n_docs", "n_tokens"]]
        try:
            totals = [(int(g), int(n), int(t)) for g, n, t in groups.itertuples(index=False)]
        except (TypeError, ValueError):
            return None
        return table if totals == self._year_totals else None

    # -- what the report draws ------------------------------------------------------------

    @functools.cached_property
    def n_passages(self) -> int:
        """Passages in ``passages.parquet`` (read from its footer, not its rows)."""
        import pyarrow.parquet as pq

        path = self.directory / "passages.parquet"
        if not path.exists():
            return len(self.corpus.passages)  # raises the corpus's own "missing" error
        return int(pq.ParquetFile(path).metadata.num_rows)

    @functools.cached_property
    def n_tokens(self) -> int:
        """Content tokens in all passages."""
        if self._lengths is not None:
            return int(self._lengths["n_tokens"].sum())
        return int(self.tokens().map(len).sum())

    def status_counts(self) -> dict[str, int]:
        """Documents per status (:meth:`nqp_text.Corpus.status_counts`)."""
        return Corpus(self.documents).status_counts()

    @property
    def labelled(self) -> bool:
        """Whether the folder has passage labels (``labels.parquet``)."""
        return self.workspace.labels_path is not None

    @functools.cached_property
    def categories(self) -> pd.DataFrame:
        """``category_frequencies(corpus, by="year", labels=..., tokens=...)``."""
        table = self._trends_table("category_trends")
        if table is not None and (table.empty or bool(table["passage_share"].notna().any())
                                  == self.labelled):
            return table
        from nqp_text.analysis.frequencies import category_frequencies

        self._computing("category_trends")
        return category_frequencies(self.corpus, by="year", labels=self.workspace.labels,
                                    tokens=self.tokens())

    @functools.cached_property
    def lexicon(self) -> pd.DataFrame:
        """``term_frequencies(corpus, None, by="year", tokens=...)``: every lexicon term."""
        table = self._trends_table("trends_lexicon")
        if table is not None:
            return table
        from nqp_text.analysis.frequencies import term_frequencies

        self._computing("trends_lexicon")
        return term_frequencies(self.corpus, None, by="year", tokens=self.tokens())

    @functools.cached_property
    def focus(self) -> pd.DataFrame:
        """``term_frequencies(corpus, focus_terms(), by="year", normalize="per_10k_tokens")``."""
        terms = focus_terms()
        table = self._trends_table(FOCUS)
        if table is not None and (table.empty or list(dict.fromkeys(table["term"])) == terms):
            return table
        from nqp_text.analysis.frequencies import term_frequencies

        self._computing(FOCUS)
        return term_frequencies(self.corpus, terms, by="year", normalize="per_10k_tokens",
                                tokens=self.tokens())

    @functools.cached_property
    def keyness(self) -> pd.DataFrame:
        """``keyness(corpus, target, reference)`` for :attr:`periods` (which must exist)."""
        if self.periods is None:
            raise InputError("fewer than two periods with documents: no keyness")
        target, reference = self.periods
        table = self._read(KEYNESS) if self._lengths is not None else None
        if table is not None and len(table) \
                and set(table["target"]) == {period_label(target)} \
                and set(table["reference"]) == {period_label(reference)}:
            return table.drop(columns=["target", "reference"])
        from nqp_text.analysis.keyness import keyness

        self._computing(KEYNESS)
        return keyness(self.corpus, target, reference, min_count=MIN_COUNT,
                       tokens=self.tokens())


def _years_by_id(frame: pd.DataFrame) -> dict[str, int | None]:
    return {str(doc_id): None if pd.isna(year) else int(year)
            for doc_id, year in zip(frame["doc_id"], frame["year"], strict=True)}
