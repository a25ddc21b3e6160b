"""The per-file unit of ingest work, cached: one input file → its documents, passages, tables.

:class:`IngestTask` runs on a worker. It reads one file with the public
:func:`nqp_text.io.reader.read_document` (the rows ``read_corpus`` gives that
file, so the cleaning, passage and metadata rules are exactly those of
``nqp-text ingest``), splits the result by document and writes one cache
entry per document (``passages`` and, when there are any, ``tables``) and
finally the file's ``ingest`` entry: its ``documents`` rows plus private
columns that point at the per-document entries. The ingest entry is written
last, sealed with the list of those entries (its *parts*), so its presence
means the whole file is done and verifying it verifies them all
(:func:`nqp_text.pipeline.cache.verify_entry`).

``read_corpus`` makes ``doc_id`` unique across *all* inputs (identical files
and repeated record ids get ``-2``, ``-3``... in path order). Reading file by
file, the client applies the same rule, :func:`nqp_text.io.reader.assign_doc_ids`,
to the documents' ``base_id`` (:func:`with_final_ids`) and renames the few
affected ids when it assembles the outputs.

Every file, whatever its format, is read in a killable child process with the
per-file ``timeout`` and the address-space cap ``memory_limit`` (bytes; ``None``:
none), so a hostile PDF, docx or text file costs one ``failed`` row, never the
run's memory (``read_document``'s fresh-interpreter workers also start from
Dask's daemon worker processes).

Example:
    >>> from nqp_text.pipeline.ingest import with_final_ids
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "a"], "base_id": ["a", "a"],
    ...                      "path": ["x/1.txt", "y/1.txt"], "row": [None, None],
    ...                      "sha256": ["s", "s"], "duplicate_of": [None, None]})
    >>> with_final_ids(docs)[["doc_id", "duplicate_of", "_file_id"]].values.tolist()
    [['a', <NA>, 'a'], ['a-2', 'a', 'a']]
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from nqp_text.pipeline.cache import Cache, entry_part, read_frame, sha256_text, write_entry

#: Version of the layout of ingest entries (part of their key): 2 added ``base_id``;
#: 3: documents' ``warnings`` name long passages and traditional characters;
#: 4: ``paragraphs_from`` and the boilerplate columns;
#: 5: the passages' ``section`` and the annual-report columns;
#: 6: paragraphs of text without any mark found by the boundary model (``model``);
#: 7: each document's short lines (:data:`SHORT_LINES`), for a folder's recurring lines;
#: 8: OCR spans moved with removed boilerplate lines; more furniture rules (site
#: metadata rows, footers, attachment lists, signature blocks);
#: 9: an annual report's form furniture (tick boxes, unit captions, template questions);
#: 10: a Word file's footnotes and endnotes (``documents.footnotes`` / ``endnotes``);
#: 11: documents' ``warnings`` name a document whose text is mostly in tables;
#: 12: lines of any length closing half the records of a JSONL/CSV file (a licence notice);
#: 13: a PDF's footnote markers as superscript digits (``superscript_markers``), a book's
#: running headers with page numbers as furniture; licence notices, head copies, captions.
#: 14: the script check judges the body and the table cells; ``to_simplified="auto"`` and
#: the ``converted_to_simplified`` column.
ENTRY_VERSION = 14
#: The package folders the readers' cleaning rules and models come from: the names and
#: bytes of every file in them are part of every ingest entry's key
#: (:func:`reader_rules_digest`), so an edited rule re-reads the files instead of serving
#: entries made under the old rules.
READER_RULE_FOLDERS = ("io/data", "io/models", "preprocess/data")
#: Private columns of an ingest entry (dropped from ``documents.parquet``).
PASSAGES_ENTRY = "_passages_entry"
TABLES_ENTRY = "_tables_entry"
TEXT_KEY = "_text_key"
#: The document's short stand-alone lines (:func:`nqp_text.preprocess.boilerplate.short_lines`).
SHORT_LINES = "_short_lines"
PRIVATE_COLUMNS = [PASSAGES_ENTRY, TABLES_ENTRY, TEXT_KEY, SHORT_LINES]
#: The id a document has in its own file (its cache entries' id), kept by :func:`with_final_ids`.
FILE_ID = "_file_id"


@dataclass(frozen=True)
class IngestItem:
    """One input file: its path as given, the SHA-256 of its bytes and its entry key.

    ``refused``: why the file is not read at all (a link out of the input), else ``None``;
    ``folder_lines``: recurring lines of its folder to remove (the second reading of
    such a file, see :mod:`nqp_text.io.folders`).
    """

    path: str
    sha256: str
    key: str
    refused: str | None = None
    folder_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestTask:
    """Read one file and write its cache entries (picklable; runs on any executor)."""

    cache_root: str
    metadata: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    memory_limit: int | None = None

    def entry(self, item: IngestItem) -> Path:
        return Cache(self.cache_root).path("ingest", item.key)

    def __call__(self, item: IngestItem) -> pd.DataFrame:
        from nqp_text.io.reader import read_document_lines

        corpus, lines = read_document_lines(item.path, self.metadata, timeout=self.timeout,
                                            memory_limit=self.memory_limit,
                                            folder_lines=item.folder_lines, **self.options)
        cache = Cache(self.cache_root)
        documents = corpus.documents.reset_index(drop=True)
        passages_by_doc = dict(iter(corpus.passages.groupby("doc_id", sort=False)))
        tables_by_doc = dict(iter(corpus.tables.groupby("doc_id", sort=False)))
        pointers: dict[str, list[Any]] = {name: [] for name in (PASSAGES_ENTRY, TABLES_ENTRY,
                                                                 TEXT_KEY)}
        parts: list[str] = []
        for doc_id in documents["doc_id"].astype(str):
            passages = passages_by_doc.get(doc_id)
            tables = tables_by_doc.get(doc_id)
            passages_key = Cache.key("passages", item.key, doc_id)
            tables_key = Cache.key("tables", item.key, doc_id)
            if passages is not None and len(passages):
                parts.append(entry_part(write_entry(passages.reset_index(drop=True),
                                                    cache.path("passages", passages_key))))
                pointers[PASSAGES_ENTRY].append(passages_key)
                pointers[TEXT_KEY].append(text_key(passages))
            else:
                pointers[PASSAGES_ENTRY].append(None)
                pointers[TEXT_KEY].append(None)
            if tables is not None and len(tables):
                parts.append(entry_part(write_entry(tables.reset_index(drop=True),
                                                    cache.path("tables", tables_key))))
                pointers[TABLES_ENTRY].append(tables_key)
            else:
                pointers[TABLES_ENTRY].append(None)
        for name, values in pointers.items():
            documents[name] = pd.array(values, dtype="string")
        documents[SHORT_LINES] = pd.Series(
            [None if found is None else sorted(found) for found in lines], dtype=object)
        write_entry(documents, self.entry(item), parts)
        return documents


def text_key(passages: pd.DataFrame) -> str:
    """SHA-256 of a document's ``(passage_id, text)`` pairs: what segmenting depends on."""
    parts = [f"{pid}\x1f{text}" for pid, text in zip(passages["passage_id"].astype(str),
                                                     passages["text"].astype(str), strict=True)]
    return sha256_text("\x1e".join(parts))


def read_entry(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The documents rows of an ingest entry."""
    return read_frame(path)


def with_final_ids(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` rows of several files with the ids one ``read_corpus`` call gives them.

    Applies :func:`nqp_text.io.reader.assign_doc_ids` to ``base_id``, ``path``,
    ``row`` and ``sha256``; sets ``doc_id`` and ``duplicate_of``, keeps each
    document's id in its own file in ``_file_id`` and drops ``base_id``.
    """
    from nqp_text.io.reader import assign_doc_ids

    documents = documents.reset_index(drop=True).copy()
    final = assign_doc_ids(documents)
    documents[FILE_ID] = documents["doc_id"].astype(str).tolist()
    documents["doc_id"] = final["doc_id"]
    documents["duplicate_of"] = final["duplicate_of"]
    return documents.drop(columns="base_id")


@cache
def reader_rules_digest() -> str:
    """SHA-256 over the relative names and bytes of every file in :data:`READER_RULE_FOLDERS`.

    Example:
        >>> len(reader_rules_digest())
        64
    """
    digest = hashlib.sha256()
    for name, data in _rule_files():
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _rule_files() -> list[tuple[str, bytes]]:
    root = resources.files("nqp_text")
    found = []
    for folder in READER_RULE_FOLDERS:
        stack = [(folder, root.joinpath(folder))]
        while stack:
            name, entry = stack.pop()
            if entry.is_dir():
                stack.extend((f"{name}/{child.name}", child) for child in entry.iterdir()
                             if child.name != "__pycache__")
            elif entry.is_file():
                found.append((name, entry.read_bytes()))
    return sorted(found)
