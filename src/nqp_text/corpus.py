"""The corpus model: three pandas DataFrames keyed by stable ids.

``documents``
    one row per input (file or JSONL/CSV record), whatever happened to it:
    ``doc_id, path, title, year, source, status, error, n_pages, n_chars, sha256``
    plus any metadata columns (encoding, share of unreadable characters, ...).
``passages``
    ``doc_id, passage_id, seq, year, text, start, end, section, ocr``; ``start``/``end``
    are character offsets into the document's cleaned text (paragraphs joined by
    ``"\\n"``), so ``cleaned[start:end] == text``; ``section`` is the heading of
    the chapter the passage is in (``第三节 管理层讨论与分析``), missing before the
    first chapter heading and in texts without chapters;
    ``ocr`` is True for a passage that overlaps text read by OCR (a scanned PDF page).
``tables``
    ``doc_id, page, table_index, rows`` with ``rows`` a list of cell lists,
    kept apart from the body text.

Example:
    >>> import nqp_text
    >>> corpus = nqp_text.read_corpus(["corpora/sample"])  # doctest: +SKIP
    >>> corpus.save("out"); nqp_text.Corpus.load("out")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text.errors import MissingInputError

DOCUMENT_COLUMNS = [
    "doc_id", "path", "title", "year", "source", "status", "error", "n_pages", "n_chars", "sha256",
]
PASSAGE_COLUMNS = ["doc_id", "passage_id", "seq", "year", "text", "start", "end", "section",
                   "ocr"]
TABLE_COLUMNS = ["doc_id", "page", "table_index", "rows"]

#: Every status a document can have. ``ok`` documents have passages; the others
#: say why not (``error`` names the reason).
STATUSES = ("ok", "empty", "no_text_layer", "failed")
#: Statuses of documents that were read but are not used: ``superseded`` (another
#: report of the same firm and fiscal year is used, ``superseded_by`` names it)
#: and ``no_section`` (the sections asked for, e.g. the MD&A, were not found).
#: ``error`` says why; :meth:`Corpus.status_counts` lists them only when they occur.
SELECTION_STATUSES = ("superseded", "no_section")

_FILES = {"documents": "documents.parquet", "passages": "passages.parquet",
          "tables": "tables.parquet"}


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with the given columns and the corpus dtypes."""
    return _with_dtypes(pd.DataFrame({name: [] for name in columns}))


def _with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name in ("year", "n_pages", "page", "table_index", "seq", "start", "end", "n_chars"):
        if name in frame.columns:
            frame[name] = frame[name].astype("Int64")
    for name in ("doc_id", "passage_id", "path", "title", "source", "status", "error",
                 "sha256", "text", "section"):
        if name in frame.columns:
            frame[name] = frame[name].astype("string")
    if "ocr" in frame.columns:
        frame["ocr"] = frame["ocr"].astype("boolean")
    return frame


@dataclass
class Corpus:
    """Documents, passages and tables of a collection of texts.

    Build one with :func:`nqp_text.read_corpus`; persist it with :meth:`save`
    and :meth:`load` (Parquet, written atomically).
    """

    documents: pd.DataFrame = field(default_factory=lambda: empty_frame(DOCUMENT_COLUMNS))
    passages: pd.DataFrame = field(default_factory=lambda: empty_frame(PASSAGE_COLUMNS))
    tables: pd.DataFrame = field(default_factory=lambda: empty_frame(TABLE_COLUMNS))

    def __post_init__(self) -> None:
        self.documents = _with_dtypes(self.documents)
        self.passages = _with_dtypes(self.passages)
        self.tables = _with_dtypes(self.tables)

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        counts = self.documents["status"].value_counts().to_dict() if len(self) else {}
        return (f"Corpus({len(self.documents)} documents {counts}, "
                f"{len(self.passages)} passages, {len(self.tables)} tables)")

    def status_counts(self) -> dict[str, int]:
        """Number of documents per status, in the order of :data:`STATUSES`.

        Then :data:`SELECTION_STATUSES` that occur (``superseded``, ``no_section``).
        """
        counts = self.documents["status"].value_counts()
        found = {status: int(counts.get(status, 0)) for status in STATUSES}
        found.update({status: int(counts[status]) for status in SELECTION_STATUSES
                      if counts.get(status, 0)})
        return found

    def quality(self, *, near_duplicates: bool = True,
                overlap: float | None = None) -> pd.DataFrame:
        """One row per document: passages, their lengths, boilerplate removed, warnings.

        See :func:`nqp_text.quality.corpus_quality` (``near_duplicates``/``overlap``: the
        check for the same report read twice, pairs in ``table.attrs["near_duplicates"]``);
        :func:`nqp_text.quality.quality_summary` names the documents that look wrong.

        Example:
            >>> Corpus().quality().columns[:3].tolist()
            ['doc_id', 'path', 'row']
        """
        from nqp_text.quality import corpus_quality

        return corpus_quality(self.documents, self.passages, near_duplicates=near_duplicates,
                              overlap=overlap)

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``documents``, ``passages`` and ``tables`` Parquet files to ``directory``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for attribute, filename in _FILES.items():
            frame: pd.DataFrame = getattr(self, attribute)
            with atomic_path(directory / filename) as tmp:
                frame.reset_index(drop=True).to_parquet(tmp, index=False)
        return directory

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> Corpus:
        """Read a corpus written by :meth:`save`; ``tables`` is optional."""
        directory = Path(directory)
        frames = {}
        for attribute, filename in _FILES.items():
            path = directory / filename
            if path.exists():
                frames[attribute] = pd.read_parquet(path)
            elif attribute == "tables":
                frames[attribute] = empty_frame(TABLE_COLUMNS)
            else:
                raise MissingInputError(f"{path}: missing; is {directory} an ingest output?",
                                        path=path)
        tables = frames["tables"]
        if len(tables):
            tables = tables.assign(rows=[[list(row) for row in rows] for rows in tables["rows"]])
        return cls(frames["documents"], frames["passages"], tables)
