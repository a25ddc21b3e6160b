"""Feature spaces of the FrameworkClassifier: TF-IDF over words or characters, keyword evidence.

:class:`TfidfSpace` is a small, fully deterministic TF-IDF (sublinear term
frequency, smoothed idf, L2-normalised rows) whose fitted state is just a
sorted vocabulary and an idf array -- plain data that is saved without pickle
and gives the same matrix in every process and on every machine.

Example:
    >>> space = TfidfSpace(min_df=1).fit([["算力", "网络"], ["算力"]])
    >>> space.vocabulary_
    ['算力', '网络']
    >>> space.transform([["网络", "网络"]]).toarray().round(3).tolist()
    [[0.0, 1.0]]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from nqp_text.classify.evidence import EvidenceExtractor, Hit

#: Keyword weights at or above this are "core" evidence; below it "supporting" evidence.
CORE_WEIGHT = 1.0


def char_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of ``text`` with whitespace removed and ASCII lower-cased.

    Example:
        >>> char_ngrams("数据 要素", (1, 2))
        ['数', '据', '要', '素', '数据', '据要', '要素']
    """
    chars = "".join(text.lower().split())
    low, high = ngram_range
    grams: list[str] = []
    for size in range(low, high + 1):
        grams.extend(list(chars) if size == 1 else
                     [chars[i:i + size] for i in range(len(chars) - size + 1)])
    return grams


class TfidfSpace:
    """TF-IDF over pre-analysed documents (each a sequence of features, e.g. tokens).

    ``min_df``: keep features in at least this many training documents. Learned:
    ``vocabulary_`` (sorted list) and ``idf_`` (``log((1 + n) / (1 + df)) + 1``).
    """

    def __init__(self, min_df: int = 1) -> None:
        self.min_df = min_df

    def fit(self, documents: Iterable[Sequence[str]]) -> TfidfSpace:
        """Learn the vocabulary and idf from analysed training documents; returns self."""
        frequency: Counter[str] = Counter()
        n_documents = 0
        for features in documents:
            frequency.update(set(features))
            n_documents += 1
        vocabulary = sorted(term for term, df in frequency.items() if df >= self.min_df)
        self.vocabulary_ = vocabulary
        self.idf_ = np.array([math.log((1 + n_documents) / (1 + frequency[term])) + 1.0
                              for term in vocabulary], dtype=np.float64)
        return self.set_state(vocabulary, self.idf_)

    def set_state(self, vocabulary: list[str], idf: np.ndarray) -> TfidfSpace:
        """Restore a fitted state (from a saved model); returns self."""
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary has {len(vocabulary)} terms but idf has {len(idf)}")
        self.vocabulary_ = list(vocabulary)
        self.idf_ = np.asarray(idf, dtype=np.float64)
        self._index = {term: j for j, term in enumerate(self.vocabulary_)}
        return self

    def transform(self, documents: Iterable[Sequence[str]]) -> sparse.csr_matrix:
        """``(n, len(vocabulary_))`` CSR matrix; rows without known features are all zero.

        Counts every document's known features at once (one sort over the batch);
        each row's values are then exactly those of the row-by-row definition:
        ``(1 + log(count)) * idf``, divided by the row's L2 norm.
        """
        get = self._index.get
        columns: list[int] = []
        lengths: list[int] = []
        for features in documents:
            known = [j for j in map(get, features) if j is not None]
            columns.extend(known)
            lengths.append(len(known))
        n_rows, width = len(lengths), len(self.vocabulary_)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        keys, counts = np.unique(rows * width + np.asarray(columns, dtype=np.int64),
                                 return_counts=True)
        row_of, indices = np.divmod(keys, width) if width else (keys, keys)
        tf = np.array([0.0, *(1.0 + math.log(c) for c in range(1, int(counts.max(initial=0)) + 1))])
        values = tf[counts] * self.idf_[indices]
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n_rows), out=indptr[1:])
        for start, end in zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True):
            if end > start:
                row = values[start:end].copy()
                norm = float(np.sqrt(np.dot(row, row)))
                if norm > 0:
                    values[start:end] = row / norm
        return sparse.csr_matrix((values, indices, indptr), shape=(n_rows, width))


def evidence_features(extractor: EvidenceExtractor, cuts: Sequence[Sequence[str]],
                      hits: Sequence[Sequence[Hit]] | None = None) -> np.ndarray:
    """``(n, 2k)`` keyword evidence: per category, ``log1p`` of the summed weights of core
    keywords (weight >= 1) and of supporting keywords (weight < 1), each halved.

    Two tiers let the model trust the curated core terms and the broader lexicon
    terms differently (measured: better micro-F1 than one summed score).
    ``hits``: the extractor's ``hits_from_tokens`` of each cut, when already computed.
    """
    if hits is None:
        hits = [extractor.hits_from_tokens(tokens) for tokens in cuts]
    k = len(extractor.categories)
    column = {category: j for j, category in enumerate(extractor.categories)}
    out = np.zeros((len(cuts), 2 * k), dtype=np.float64)
    for i, found in enumerate(hits):
        for hit in found:
            tier = 0 if hit.weight >= CORE_WEIGHT else k
            out[i, tier + column[hit.category]] += hit.weight
    return np.log1p(out) / 2.0


def sentence_examples(extractor: EvidenceExtractor, texts: Sequence[str], truth: np.ndarray
                      ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentence-level training examples derived from labelled passages (weak labels).

    Every passage of two or more sentences (split as ``--unit sentence`` does) gives
    its sentences: a sentence of a passage labelled none is none; a sentence of a
    labelled passage gets the passage's categories for which it has keyword
    evidence itself, and is left out when it has none (it may be the heading or a
    clause about something else). Returns ``(sentences, labels 0/1, parent row)``.

    Example:
        >>> ex = EvidenceExtractor()
        >>> rows, labels, parent = sentence_examples(
        ...     ex, ["培养高技能人才。召开会议。"], np.array([[0, 0, 1, 0, 0, 0]]))
        >>> rows, labels.tolist(), parent.tolist()
        (['培养高技能人才。'], [[0, 0, 1, 0, 0, 0]], [0])
    """
    from nqp_text.preprocess.passages import split_spans

    column = {category: j for j, category in enumerate(extractor.categories)}
    rows: list[str] = []
    labels: list[np.ndarray] = []
    parents: list[int] = []
    for i, text in enumerate(texts):
        spans = split_spans(text, unit="sentence")
        if len(spans) < 2:
            continue
        for start, end in spans:
            sentence = text[start:end]
            if not truth[i].any():
                rows.append(sentence)
                labels.append(np.zeros_like(truth[i]))
                parents.append(i)
                continue
            found = np.zeros_like(truth[i])
            for hit in extractor.hits(sentence):
                found[column[hit.category]] = 1
            label = found * truth[i]
            if label.any():
                rows.append(sentence)
                labels.append(label)
                parents.append(i)
    k = truth.shape[1]
    return (rows, np.array(labels, dtype=truth.dtype).reshape(-1, k),
            np.array(parents, dtype=np.int64))
