"""Real datasets, downloaded once into a per-user data home and checked by SHA-256.

``fetch_gov_work_reports()``
    the State Council government work reports (政府工作报告) 1954–2025 as a
    :class:`~nqp_text.Corpus`: 52 documents, one per report, ``year`` from the
    record, ``title`` from the record, passages = paragraphs. The source file
    also holds 20 NPC resolutions on the reports (no year); they are excluded.
    The three paragraphs that close every record (the Wikisource licence
    notice, identical in all of them) are not passages: trailing paragraphs
    found verbatim in at least half of the reports are dropped, and
    ``documents.trailer_passages`` says how many per report. Offsets of the
    remaining passages still index the document's full cleaned text.

Data home
    ``data_home`` if given, else the ``NQP_TEXT_DATA`` environment variable,
    else the per-user cache folder (``$XDG_CACHE_HOME/nqp_text`` or
    ``~/.cache/nqp_text`` on Linux, ``~/Library/Caches/nqp_text`` on macOS,
    ``%LOCALAPPDATA%\\nqp_text\\Cache`` on Windows). Its layout is the same as
    the team's ``shared`` folder: ``corpora/gov_work_reports/government_work_reports.jsonl``.
    A missing file is downloaded from a pinned commit of its public source,
    its SHA-256 checked, and written atomically; a present file is checked too.

Example:
    >>> from nqp_text.datasets import fetch_gov_work_reports
    >>> corpus = fetch_gov_work_reports()  # doctest: +SKIP
    >>> len(corpus.documents), int(corpus.documents["year"].min())  # doctest: +SKIP
    (52, 1954)
"""

from __future__ import annotations

import hashlib
import os
import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text.corpus import Corpus
from nqp_text.diagnostics import collect, warn
from nqp_text.errors import InputError

__all__ = ["fetch_gov_work_reports", "get_data_home", "download", "DATA_HOME_ENV",
           "GOV_WORK_REPORTS"]

#: Environment variable naming the data home.
DATA_HOME_ENV = "NQP_TEXT_DATA"


@dataclass(frozen=True)
class _Remote:
    """A file in the data home, its public source and its checksum."""

    relative: str
    url: str
    sha256: str
    size: int


#: The government work reports JSONL (github.com/aldohemsn/chinese-political-corpora).
GOV_WORK_REPORTS = _Remote(
    relative="corpora/gov_work_reports/government_work_reports.jsonl",
    url=("https://raw.githubusercontent.com/aldohemsn/chinese-political-corpora/"
         "99bc4b01d11c2b884a83ecc8f966d97e17cd450e/government_work_reports.jsonl"),
    sha256="1d4eb8102366f5645e2b423b9659ff83f95aaa01377c62be6177860e71f18023",
    size=3_344_288,
)
_TRAILER_SHARE = 0.5
_CHUNK = 1 << 20


def get_data_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """The data home folder (see the module docstring); not created here.

    Example:
        >>> get_data_home("/data/nqp").as_posix()
        '/data/nqp'
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    configured = os.environ.get(DATA_HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "nqp_text" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "nqp_text"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nqp_text"


def fetch_gov_work_reports(data_home: str | os.PathLike[str] | None = None, *,
                           to_simplified: bool = False) -> Corpus:
    """The 52 government work reports 1954–2025 as a corpus (downloaded on first use).

    Years are missing in between (2020 has no report; see the ``missing_years``
    warning of the trends). The 1954 report is in traditional characters: with
    ``to_simplified=True`` (needs OpenCC) it is converted, so that simplified terms
    (经济) are counted in it; otherwise its documents row carries a warning.

    Raises ``ValueError`` when a present or downloaded file fails its SHA-256
    check and ``OSError`` when it must be downloaded and cannot be.

    Example:
        >>> corpus = fetch_gov_work_reports("../shared")  # doctest: +SKIP
        >>> corpus.documents.loc[0, ["year", "title"]].tolist()  # doctest: +SKIP
        [2025, '2025年中华人民共和国国务院政府工作报告']
    """
    from nqp_text.io.reader import read_corpus

    path = _ensure(GOV_WORK_REPORTS, get_data_home(data_home))
    # keep_boilerplate: the trailer rule below removes the whole licence notice itself;
    # the undated records (NPC resolutions) are dropped on purpose: no "no_year" warning
    with collect(propagate=False) as found:
        corpus = read_corpus(path, text_field="content", year_field="year",
                             title_field="title", timeout=None, to_simplified=to_simplified,
                             keep_boilerplate=True)
    for diagnostic in found:  # traditional-character reports: one line from _warn_reports
        if diagnostic.kind != "no_year" and not (diagnostic.kind == "document"
                                                 and "traditional" in diagnostic.message):
            warn(diagnostic.kind, diagnostic.message, stage=diagnostic.stage,
                 files=diagnostic.files, severity=diagnostic.severity)
    documents = corpus.documents[corpus.documents["year"].notna()].reset_index(drop=True)
    _warn_reports(documents)
    passages = corpus.passages[corpus.passages["doc_id"].isin(documents["doc_id"])]
    passages, removed = _drop_repeated_trailer(passages, len(documents))
    documents["trailer_passages"] = pd.array(
        [removed.get(doc_id, 0) for doc_id in documents["doc_id"]], dtype="Int64")
    return Corpus(documents, passages.reset_index(drop=True), corpus.tables.iloc[0:0])


def _warn_reports(documents: pd.DataFrame) -> None:
    """Say which years have no report and which reports are in traditional characters."""
    from nqp_text._checks import year_gaps

    for gap in year_gaps(documents["year"]):
        warn("missing_years", "government work reports: " + gap.message, stage="ingest")
    if "warnings" not in documents.columns:
        return
    traditional = [int(year) for year, sentences in zip(documents["year"],
                                                        documents["warnings"], strict=True)
                   if sentences is not None and any("traditional characters" in str(text)
                                                    for text in sentences)]
    if traditional:
        warn("traditional", f"the report(s) of {', '.join(map(str, traditional))} are in "
             "traditional characters: simplified terms (经济) are not counted in them; "
             "pass to_simplified=True (needs OpenCC)", stage="ingest")


def _drop_repeated_trailer(passages: pd.DataFrame, n_documents: int
                           ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Drop each document's trailing passages that recur verbatim in >= half the documents."""
    per_doc = passages.groupby("doc_id", sort=False)["text"]
    counts = Counter(text for _, texts in per_doc for text in set(texts))
    common = {text for text, n in counts.items() if n >= _TRAILER_SHARE * n_documents}
    keep = pd.Series(True, index=passages.index)
    removed: dict[str, int] = {}
    for doc_id, texts in per_doc:
        for index in reversed(texts.index):
            if texts[index] not in common:
                break
            keep[index] = False
            removed[doc_id] = removed.get(doc_id, 0) + 1
    return passages[keep], removed


def _ensure(remote: _Remote, home: Path) -> Path:
    path = home / remote.relative
    if path.exists():
        actual = _sha256_file(path)
        if actual != remote.sha256:
            raise InputError(f"{path}: sha256 {actual} does not match the expected "
                             f"{remote.sha256}; delete the file to download it again", path=path)
        return path
    download(remote.url, path, remote.sha256)
    return path


def download(url: str, destination: str | os.PathLike[str], sha256: str,
             *, timeout: float = 60.0) -> Path:
    """Download ``url`` to ``destination`` atomically, refusing a wrong SHA-256.

    Nothing is left at ``destination`` (or beside it) when the download fails
    or the checksum does not match.

    Example:
        >>> remote = GOV_WORK_REPORTS
        >>> download(remote.url, "/tmp/g.jsonl", remote.sha256)  # doctest: +SKIP
    """
    destination = Path(destination)
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, \
                atomic_path(destination) as tmp, open(tmp, "wb") as out:
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            if digest.hexdigest() != sha256:
                raise InputError(f"{url}: downloaded sha256 {digest.hexdigest()} does not "
                                 f"match the expected {sha256}; nothing was saved")
    except OSError as exc:
        raise OSError(f"could not download {url} to {destination}: {exc}; without network, "
                      f"copy the file there or set {DATA_HOME_ENV} to a folder that has it"
                      ) from exc
    return destination


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
