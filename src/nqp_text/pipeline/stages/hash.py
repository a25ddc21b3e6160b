"""Stage ``hash``: the SHA-256 of every input file and the cache key of its ingest entry.

Inputs: the files and folders given to the run. Key of a file's entry: its
SHA-256 and path, the read options (the PDF engine and OCR for PDFs only), the
metadata table's SHA-256 and the versions of the cache and of nqp_text.

Example:
    >>> from nqp_text.pipeline.stages.hash import hash_inputs
    >>> hashed = hash_inputs(context, ["corpora/sample"])  # doctest: +SKIP
    >>> hashed.items[0].sha256  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nqp_text._version import __version__
from nqp_text.pipeline.cache import Cache, hash_config, sha256_file, verify_entry
from nqp_text.pipeline.context import RunContext
from nqp_text.pipeline.ingest import (
    ENTRY_VERSION,
    IngestItem,
    read_entry,
    reader_rules_digest,
)
from nqp_text.pipeline.records import CACHE_VERSION

#: Read options only PDFs depend on.
_PDF_OPTIONS = ("pdf_engine", "ocr")


@dataclass(frozen=True)
class Hashed:
    """The inputs to ingest, in order, and the configuration hashes for the manifest."""

    items: list[IngestItem]
    hashes: dict[str, str]


def hash_inputs(context: RunContext, inputs: Sequence[str | os.PathLike[str]]) -> Hashed:
    """Hash every input file. Links out of the inputs and unlistable folders are refused;
    a file its reader refuses from its first MiB is not hashed (ingest makes its failed
    row, as ``read_corpus`` does)."""
    from nqp_text.io._extract import file_kind, head_refusal, unreadable_reason
    from nqp_text.io.links import input_roots, outside_reason
    from nqp_text.io.reader import discover_files

    options = context.options
    exclude = {os.path.abspath(options.metadata)} if options.metadata else set()
    out = os.path.abspath(context.out) + os.sep
    files = [path for path in discover_files(inputs, exclude=exclude)
             if not os.path.abspath(path).startswith(out)]
    metadata_sha = sha256_file(options.metadata) if options.metadata else None
    common = {"cache": CACHE_VERSION, "entry": ENTRY_VERSION, "nqp_text": __version__,
              "rules": reader_rules_digest(), "metadata": metadata_sha}
    read = options.read_options()
    # Only PDFs depend on the PDF engine and OCR: switching them re-reads the PDFs only.
    other = {name: value for name, value in read.items() if name not in _PDF_OPTIONS}
    configs = {True: hash_config({**common, "read": read, "ocr": _ocr_config(options.ocr)}),
               False: hash_config({**common, "read": other})}
    # A PDF read without OCR that had no page needing it reads the same with ocr="auto".
    without_ocr = hash_config({**common, "read": {**read, "ocr": "never"},
                               "ocr": _ocr_config("never")})
    hashes = {"ingest_config": configs[False], "ingest_config_pdf": configs[True]}
    if metadata_sha:
        hashes["metadata"] = metadata_sha
    items = []
    roots = input_roots(inputs)
    with context.stage("hash") as record:
        for path in files:
            refused = None if options.follow_links else outside_reason(path, roots)
            if refused is None and os.path.isdir(path):  # a folder that could not be listed
                refused = unreadable_reason(path)
            if refused:
                sha = "unreadable:link"
                items.append(IngestItem(path, sha, Cache.key("ingest", f"{sha}\0{path}", "refused"),
                                        refused))
                continue
            head_refused = head_refusal(path)
            if head_refused:  # a 2 GB file of NUL bytes: the reader refuses it, never hashed
                sha = f"unreadable:{head_refused}"
            else:
                try:
                    sha = sha256_file(path)
                except OSError as error:  # unreadable: ingest reports it as a failed row
                    sha = "unreadable:" + (error.strerror or type(error).__name__)
            is_pdf = file_kind(path) == "pdf"
            key = Cache.key("ingest", f"{sha}\0{path}", configs[is_pdf])
            if is_pdf and options.ocr == "auto":
                key = _reuse_without_ocr(context.cache, key,
                                         Cache.key("ingest", f"{sha}\0{path}", without_ocr))
            items.append(IngestItem(path, sha, key))
        record.items = record.computed = len(items)
    return Hashed(items, hashes)


def _ocr_config(mode: str) -> dict[str, Any] | None:
    """What an OCR reading depends on (engine, library versions, models, resolution)."""
    if mode == "never":
        return None
    from nqp_text.io.pdf._ocr import RapidOcrEngine

    return {"mode": mode, **RapidOcrEngine().describe()}


def _reuse_without_ocr(cache: Cache, key: str, plain_key: str) -> str:
    """``plain_key`` when its entry (read without OCR) has no page OCR would read, else ``key``.

    So turning ``ocr="auto"`` on re-reads only the PDFs with scanned or unreadable pages.
    """
    entry = cache.path("ingest", plain_key)
    if cache.path("ingest", key).exists() or verify_entry(entry) is not None:
        return key
    try:
        documents = read_entry(entry)
    except Exception:  # a damaged entry: read the file again
        return key
    columns = ("scanned_pages", "unreadable_pages")
    if not all(name in documents.columns for name in columns):
        return key
    needs = any(value is not None and len(value) > 0
                for name in columns for value in documents[name])
    return key if needs else plain_key
