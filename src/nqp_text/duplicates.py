"""Near-duplicate documents: the same report read twice under two names or formats.

A researcher who downloads a province's report as a Word file and also scrapes
it from a web page, or keeps an annual report and its corrected re-issue, has
the same text twice in the corpus; every table (trends, category shares,
topics, panels) then counts it twice. The files differ (format, page
furniture, line breaks, a few corrected sentences), so neither the file hash
nor the text hash of :func:`nqp_text.io.checks.duplicate_documents` sees it.

:func:`near_duplicates` compares the documents' *sentences*: each ``ok``
document becomes the set of its distinct normalised sentences (passages joined,
cut at ``。！？；：!?;``, everything but letters and digits dropped, so spaces,
punctuation and line breaks do not matter; sentences under 8 characters left
out), and two documents are reported when at least half of their sentences
(``shared / in either``, the Jaccard index) are in both. Different reports of
one genre share very little (at most 3% between any two reports of the shared
corpora, consecutive years of one province included), the same report in two
forms 95-100%. One document inside another (an excerpt: a web page with half a
report, a report and its summary) is reported too, as ``kind`` ``contains``: at
least 60% of the smaller document's sentences are in the larger, which has at
least 4/3 as many (different reports of the shared corpora: at most 5.5% of the
smaller one's).

Pairs are found with MinHash signatures and locality-sensitive hashing (in
numpy, see the guide for why not ``datasketch``): only documents whose
signatures agree on one of 42 bands are compared, so the work grows with the
number of documents, not its square; each candidate's overlap is then
computed exactly from the two sentence sets. Containment candidates come from
a sample of each document's sentences looked up in the others (the LSH, made
for the Jaccard index, misses a small document inside a large one).
Exact copies already said by ``duplicate_documents`` (the same file, records
with the same text) are compared once. Thresholds and LSH parameters are data:
``nqp_text/data/near_duplicates.yaml``. Nothing is removed: which copy to keep
is the user's choice.

Example:
    >>> import pandas as pd
    >>> report = [f"第{n}条措施是推动产业升级和科技创新。" for n in range(1, 13)]
    >>> passages = pd.DataFrame({"doc_id": ["a"] * 12 + ["b"] * 12,
    ...                          "text": report + report[:11] + ["另外一个完全不同的句子。"]})
    >>> near_duplicates(None, passages)[["doc_a", "doc_b", "shared", "overlap"]]
      doc_a doc_b  shared   overlap
    0     a     b      11  0.846154
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["near_duplicates", "near_duplicate_settings", "sentence_hashes",
           "NearDuplicateSettings", "PAIR_COLUMNS"]

#: The columns of :func:`near_duplicates`: the two documents (ids and names as the
#: quality report shows them: ``path`` or ``path#row``), their distinct sentences, the
#: sentences in both, ``overlap`` = shared / (sentences_a + sentences_b - shared),
#: ``containment`` = shared / the smaller document's sentences and ``kind``:
#: ``near_duplicate`` (overlap at least the threshold: the same report twice) or
#: ``contains`` (the larger document holds most of the smaller one's sentences).
PAIR_COLUMNS = ["doc_a", "doc_b", "name_a", "name_b", "sentences_a", "sentences_b",
                "shared", "overlap", "containment", "kind"]

_END = re.compile(r"[。！？；：!?;]")
#: Runs of letters and digits, and sentence ends: all that is kept of a text.
_KEEP = re.compile(r"[^\W_]+|[。！？；：!?;]")
#: An odd 64-bit constant that mixes a band's values into one bucket key.
_MIX = 0x9E3779B97F4A7C15
#: Sentences hashed per numpy step (bounds the memory of one document's signature).
_CHUNK = 4096
#: Documents whose passage texts are taken out of the frame at once.
_BATCH = 512
#: Sentence look-ups of the containment candidates per numpy step (bounds its memory).
_LOOKUPS = 1 << 22


@dataclass(frozen=True)
class NearDuplicateSettings:
    """The thresholds and LSH parameters of ``data/near_duplicates.yaml`` (see its comments)."""

    min_sentence_chars: int
    min_sentences: int
    overlap: float
    containment: float
    containment_max_size: float
    containment_sample: int
    containment_hits: int
    containment_max_documents: int
    num_perm: int
    bands: int
    rows: int
    seed: int


@functools.lru_cache(maxsize=1)
def near_duplicate_settings() -> NearDuplicateSettings:
    """The defaults, read from ``nqp_text/data/near_duplicates.yaml``.

    Example:
        >>> near_duplicate_settings().overlap
        0.5
    """
    import yaml

    text = resources.files("nqp_text").joinpath("data/near_duplicates.yaml").read_text("utf-8")
    values = yaml.safe_load(text)
    found = NearDuplicateSettings(**{name: values[name] for name in (
        "min_sentence_chars", "min_sentences", "overlap", "containment", "containment_max_size",
        "containment_sample",
        "containment_hits", "containment_max_documents", "num_perm", "bands", "rows", "seed")})
    if found.bands * found.rows > found.num_perm:
        raise ValueError("near_duplicates.yaml: bands * rows must not exceed num_perm")
    return found


def sentence_hashes(texts: Iterable[str], *, min_chars: int | None = None) -> frozenset[int]:
    """The distinct normalised sentences of one document's passages, as 64-bit hashes.

    The passages (already normalised by the readers: full-width letters and digits
    are half-width) are joined without a separator (a sentence cut by a line break in a
    scrape is whole again) and cut at sentence ends; each piece keeps its letters and
    digits only, lower-cased, and counts when it has at least ``min_chars`` of them
    (default from the settings, 8).

    Example:
        >>> a = sentence_hashes(["推动人工智能与实体经济深度融合。", "加快发展新质生产力。"])
        >>> b = sentence_hashes(["推动人工智能与实体经济", "深度融合！", "加快发展 新质生产力；"])
        >>> a == b, len(a)
        (True, 2)
    """
    shortest = near_duplicate_settings().min_sentence_chars if min_chars is None else min_chars
    text = "".join(_KEEP.findall("".join(texts))).lower()
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return frozenset(from_bytes(blake2b(sentence.encode("utf-8"), digest_size=8).digest(),
                                "little")
                     for sentence in _END.split(text) if len(sentence) >= shortest)


def near_duplicates(documents: pd.DataFrame | None, passages: pd.DataFrame | Iterable[Any], *,
                    overlap: float | None = None, containment: float | None = None
                    ) -> pd.DataFrame:
    """Pairs of documents that share at least ``overlap`` of their sentences (``kind``
    ``near_duplicate``), or of which one holds at least ``containment`` of the other's
    sentences (``kind`` ``contains``: an excerpt or a summary inside the full text).

    ``passages`` is the passages frame (or any frame with ``doc_id`` and ``text``, in
    reading order). ``documents`` (optional) gives the names (``path`` or ``path#row``),
    leaves out documents whose ``status`` is not ``ok``, and groups exact copies
    (``duplicate_of``, records with the same ``sha256``), which are compared as one
    document: ``duplicate_documents`` already says them. ``overlap`` and
    ``containment`` default to the settings' (0.5 and 0.6). One row per pair
    (:data:`PAIR_COLUMNS`), highest overlap first; the same input gives the same rows
    in the same order.

    Example:
        >>> near_duplicates(None, pd.DataFrame({"doc_id": [], "text": []})).columns.tolist()[:4]
        ['doc_a', 'doc_b', 'name_a', 'name_b']
        >>> report = [f"第{n}条措施是推动产业升级和科技创新。" for n in range(1, 41)]
        >>> passages = pd.DataFrame({"doc_id": ["full"] * 40 + ["part"] * 12,
        ...                          "text": report + report[5:17]})
        >>> near_duplicates(None, passages)[["doc_a", "doc_b", "containment", "kind"]]
          doc_a doc_b  containment      kind
        0  full  part          1.0  contains
    """
    settings = near_duplicate_settings()
    threshold = settings.overlap if overlap is None else float(overlap)
    if not 0 < threshold <= 1:
        raise ValueError(f"overlap must be in (0, 1], got {overlap!r}")
    inside = settings.containment if containment is None else float(containment)
    if not 0 < inside <= 1:
        raise ValueError(f"containment must be in (0, 1], got {containment!r}")
    frame = pd.DataFrame(passages)
    if not len(frame):
        return pd.DataFrame({name: [] for name in PAIR_COLUMNS})
    names, skip = _names_and_copies(documents)
    sets: dict[str, Any] = {}
    for doc_id, texts in _documents_texts(frame, skip):
        found = sentence_hashes(texts, min_chars=settings.min_sentence_chars)
        if len(found) >= settings.min_sentences:  # sorted uint64: 8 bytes a sentence
            sets[doc_id] = np.sort(np.fromiter(found, dtype=np.uint64, count=len(found)))
    members: dict[bytes, list[str]] = {}
    distinct = []
    for doc_id, found in sets.items():
        key = hashlib.blake2b(found.tobytes(), digest_size=16).digest()
        if key not in members:
            members[key] = []
            distinct.append((key, found))
        members[key].append(doc_id)
    rows = []
    for group in members.values():  # identical sentence sets: overlap 1
        rows += [_row(a, b, names, len(sets[a]), len(sets[a]), len(sets[a]))
                 for index, a in enumerate(group) for b in group[index + 1:]]
    found_sets = [found for _, found in distinct]
    candidates = sorted(set(_candidates(found_sets, settings))
                        | set(_containment_candidates(found_sets, settings)))
    for i, j in candidates:
        (key_a, first), (key_b, second) = distinct[i], distinct[j]
        shared = len(np.intersect1d(first, second, assume_unique=True))
        if shared / (len(first) + len(second) - shared) >= threshold:
            kind = "near_duplicate"
        elif (shared / min(len(first), len(second)) >= inside
              and min(len(first), len(second)) <= settings.containment_max_size
              * max(len(first), len(second))):
            kind = "contains"
        else:
            continue
        rows += [_row(a, b, names, len(first), len(second), shared, kind)
                 for a in members[key_a] for b in members[key_b]]
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    table["overlap"] = table["overlap"].astype("float64")
    table["containment"] = table["containment"].astype("float64")
    return table.sort_values(["overlap", "name_a", "name_b"], ascending=[False, True, True],
                             kind="stable", ignore_index=True)


def _documents_texts(frame: pd.DataFrame, skip: set[str]) -> Iterator[tuple[str, list[str]]]:
    """Each document's passage texts, in the frame's order, ``_BATCH`` documents at a time
    (only one batch of texts is held as Python strings)."""
    codes, ids = pd.factorize(frame["doc_id"].astype(str), sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1))
    texts = frame["text"].astype(str)
    for first in range(0, len(ids), _BATCH):
        last = min(first + _BATCH, len(ids))
        batch = texts.take(order[bounds[first]:bounds[last]]).tolist()
        offset = bounds[first]
        for code in range(first, last):
            if ids[code] not in skip:
                yield ids[code], batch[bounds[code] - offset:bounds[code + 1] - offset]


def _row(a: str, b: str, names: dict[str, str], size_a: int, size_b: int,
         shared: int, kind: str = "near_duplicate") -> list[Any]:
    if names.get(a, a) > names.get(b, b):
        a, b, size_a, size_b = b, a, size_b, size_a
    return [a, b, names.get(a, a), names.get(b, b), size_a, size_b, shared,
            shared / (size_a + size_b - shared), shared / min(size_a, size_b), kind]


def _candidates(sets: Sequence[Any], settings: NearDuplicateSettings
                ) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, whose MinHash signatures agree on all ``rows``
    values of at least one band (sorted)."""
    if len(sets) < 2:
        return []
    signatures = np.stack([_signature(found, settings) for found in sets])
    pairs: set[tuple[int, int]] = set()
    for band in range(settings.bands):
        values = signatures[:, band * settings.rows:(band + 1) * settings.rows]
        keys = np.zeros(len(sets), dtype=np.uint64)
        for column in range(settings.rows):  # the band's values mixed into one 64-bit key
            keys = (keys ^ values[:, column]) * np.uint64(_MIX)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        for start, stop in zip(starts, np.r_[starts[1:], len(ordered)], strict=True):
            if stop - start > 1:
                bucket = sorted(order[start:stop].tolist())
                pairs.update((a, b) for index, a in enumerate(bucket) for b in bucket[index + 1:])
    return sorted(pairs)


def _containment_candidates(sets: Sequence[Any], settings: NearDuplicateSettings
                            ) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, where one document's sample of sentences is
    found at least ``containment_hits`` times in the other (sorted).

    A document's sample is its ``containment_sample`` sentences with the smallest
    hashes among those in 2 to ``containment_max_documents`` documents: a sentence in
    one document cannot make a pair, one in very many is a formula of the genre. The
    same sentences are chosen in every document (by hash), so a document mostly inside
    another has most of its sample there, whatever the other's size.
    """
    if len(sets) < 2:
        return []
    n = len(sets)
    sizes = np.array([len(found) for found in sets], dtype=np.int64)
    values = np.concatenate([np.asarray(found, dtype=np.uint64) for found in sets])
    owners = np.repeat(np.arange(n, dtype=np.int64), sizes)
    order = np.argsort(values, kind="stable")
    values, owners = values[order], owners[order]
    _, counts = np.unique(values, return_counts=True)
    documents = np.repeat(counts, counts)  # how many documents hold each entry's sentence
    eligible = (documents >= 2) & (documents <= settings.containment_max_documents)
    sample_values, sample_owners = values[eligible], owners[eligible]
    by_owner = np.lexsort((sample_values, sample_owners))
    sample_values, sample_owners = sample_values[by_owner], sample_owners[by_owner]
    rank = np.arange(len(sample_owners)) - np.searchsorted(sample_owners, sample_owners)
    keep = rank < settings.containment_sample
    sample_values, sample_owners = sample_values[keep], sample_owners[keep]
    left = np.searchsorted(values, sample_values, side="left")
    lengths = np.searchsorted(values, sample_values, side="right") - left
    ends = np.cumsum(lengths)
    found: list[Any] = []
    first = 0
    while first < len(sample_owners):  # whole documents at a time, about _LOOKUPS lookups
        last = int(np.searchsorted(ends, ends[first] - lengths[first] + _LOOKUPS, "right"))
        last = max(last, first + 1)
        if last < len(sample_owners):  # end at a document's boundary: its hits are complete
            last = int(np.searchsorted(sample_owners, sample_owners[last - 1], "right"))
        part = slice(first, last)
        counts = lengths[part]
        query = np.repeat(sample_owners[part], counts)
        offsets = np.cumsum(counts) - counts  # where each look-up's documents start
        other = owners[np.repeat(left[part] - offsets, counts) + np.arange(len(query))]
        mask = other != query
        keys, hits = np.unique(query[mask] * n + other[mask], return_counts=True)
        found.append(keys[hits >= settings.containment_hits])
        first = last
    good = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    pairs = {(int(min(a, b)), int(max(a, b))) for a, b in zip(good // n, good % n, strict=True)}
    return sorted(pairs)


def _signature(found: Any, settings: NearDuplicateSettings) -> Any:
    """The MinHash signature of one sentence set: for each of ``num_perm`` hash functions
    ``x -> (a * x + b) mod 2**64 >> 32`` (multiply-shift, ``a`` odd), the smallest value."""
    a, b = _permutations(settings.num_perm, settings.seed)
    values = np.asarray(found, dtype=np.uint64) if isinstance(found, np.ndarray) else \
        np.fromiter(found, dtype=np.uint64, count=len(found))
    smallest = np.full(settings.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK, None]
        smallest = np.minimum(smallest, ((chunk * a + b) >> np.uint64(32)).min(axis=0))
    return smallest


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[Any, Any]:
    """The hash functions' ``a`` (odd) and ``b``, derived from ``seed`` with BLAKE2b: the
    same on every machine and every numpy version."""
    def draw(name: str, k: int) -> int:
        digest = hashlib.blake2b(f"{seed}:{name}:{k}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little")

    return (np.array([draw("a", k) | 1 for k in range(num_perm)], dtype=np.uint64),
            np.array([draw("b", k) for k in range(num_perm)], dtype=np.uint64))


def _names_and_copies(documents: pd.DataFrame | None) -> tuple[dict[str, str], set[str]]:
    """Each document's shown name, and the ids to leave out: documents not ``ok`` and every
    exact copy but the first (``duplicate_of``; records with the same ``sha256``)."""
    if documents is None or not len(documents) or "doc_id" not in documents.columns:
        return {}, set()
    ids = documents["doc_id"].astype(str).tolist()
    paths = documents["path"].astype(str).tolist() if "path" in documents.columns else ids
    rows = documents["row"].tolist() if "row" in documents.columns else [None] * len(ids)
    names = {doc_id: path if row is None or pd.isna(row) else f"{path}#{int(row)}"
             for doc_id, path, row in zip(ids, paths, rows, strict=True)}
    skip: set[str] = set()
    if "status" in documents.columns:
        skip.update(doc_id for doc_id, status in zip(ids, documents["status"], strict=True)
                    if status != "ok")
    if "duplicate_of" in documents.columns:
        skip.update(doc_id for doc_id, first in zip(ids, documents["duplicate_of"], strict=True)
                    if isinstance(first, str) and first)
    if "sha256" in documents.columns:
        seen: set[str] = set()
        for doc_id, digest, row in zip(ids, documents["sha256"], rows, strict=True):
            if row is None or pd.isna(row) or not isinstance(digest, str):
                continue  # a file's sha256 is its bytes'; copies are in duplicate_of
            if digest in seen:
                skip.add(doc_id)
            seen.add(digest)
    return names, skip
