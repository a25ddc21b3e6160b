"""Word vectors for the FrameworkClassifier: trained with gensim, stored without pickle.

:func:`train_word_vectors` trains word2vec (skip-gram) on tokenised, unlabelled
text with one worker thread and a fixed seed, so the same corpus gives the same
vectors. :class:`WordVectors` holds the result as plain data -- a vocabulary (a
list of words with their corpus counts) and a ``float32`` matrix -- saved as
``word_vectors.npy`` + ``word_vectors.tsv`` (+ ``word_vectors.json``: how they
were trained, on what corpus) and loaded with ``numpy.load(allow_pickle=False)``.
:meth:`WordVectors.mean` gives the averaged-vector features of passages (unit
vectors of the known tokens, averaged, L2-normalised).

Example:
    >>> import numpy as np
    >>> vectors = WordVectors(["算力", "网络"], np.array([[1, 0], [0, 1]], np.float32), [5, 3])
    >>> vectors.mean([["算力", "网络", "未知"], []]).round(3).tolist()
    [[0.707, 0.707], [0.0, 0.0]]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

PathLike = str | os.PathLike[str]
VECTORS_FILE = "word_vectors.npy"
VOCABULARY_FILE = "word_vectors.tsv"
INFO_FILE = "word_vectors.json"


class WordVectors:
    """A vocabulary and one vector per word (``float32``, rows in vocabulary order).

    ``counts`` are the words' frequencies in the training corpus (kept for the
    record; not used by :meth:`mean`); ``info`` is a JSON-able record of how the
    vectors were trained (command, corpus files and their sha256, parameters).
    """

    def __init__(self, words: Sequence[str], vectors: np.ndarray,
                 counts: Sequence[int] | None = None, info: dict | None = None) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but a vector matrix of shape {vectors.shape}")
        if len(set(words)) != len(words):
            raise ValueError("word vectors: the vocabulary repeats a word")
        self.words = list(words)
        self.vectors = vectors
        self.counts = [int(c) for c in counts] if counts is not None else [0] * len(words)
        self.info = dict(info or {})
        self._index = {word: i for i, word in enumerate(self.words)}
        norms = np.linalg.norm(vectors.astype(np.float64), axis=1, keepdims=True)
        self._unit = vectors.astype(np.float64) / np.where(norms > 0, norms, 1.0)

    @property
    def dim(self) -> int:
        """Length of each vector."""
        return int(self.vectors.shape[1])

    def mean(self, token_lists: Iterable[Sequence[str]]) -> np.ndarray:
        """``(n, dim)``: per document the L2-normalised mean of its known tokens' unit
        vectors (all zeros when none is known)."""
        rows = []
        for tokens in token_lists:
            found = [self._index[t] for t in tokens if t in self._index]
            if not found:
                rows.append(np.zeros(self.dim))
                continue
            row = self._unit[found].mean(axis=0)
            norm = float(np.linalg.norm(row))
            rows.append(row / norm if norm > 0 else row)
        return np.array(rows, dtype=np.float64).reshape(-1, self.dim)

    def save(self, directory: PathLike) -> list[Path]:
        """Write ``word_vectors.npy``, ``.tsv`` and ``.json`` into ``directory``."""
        from nqp_text._atomic import atomic_write_bytes

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = [directory / VECTORS_FILE, directory / VOCABULARY_FILE, directory / INFO_FILE]
        for path, data in zip(paths, (self.npy_bytes(), self.tsv_bytes(), self.info_bytes()),
                              strict=True):
            atomic_write_bytes(path, data)
        return paths

    def info_bytes(self) -> bytes:
        """The ``word_vectors.json`` record (sorted keys: byte-identical for equal info)."""
        import json

        text = json.dumps(self.info, ensure_ascii=False, sort_keys=True, indent=1)
        return (text + "\n").encode("utf-8")

    def npy_bytes(self) -> bytes:
        """The ``.npy`` file of the matrix (depends only on the values)."""
        import io

        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(self.vectors, dtype="<f4"), allow_pickle=False)
        return buffer.getvalue()

    def tsv_bytes(self) -> bytes:
        """The vocabulary file: a ``word<TAB>count`` header, then one word per line."""
        lines = ["word\tcount"] + [f"{w}\t{c}" for w, c in zip(self.words, self.counts,
                                                                 strict=True)]
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, npy: bytes, tsv: bytes, info: bytes | None = None,
                   where: str = "word vectors") -> WordVectors:
        """Rebuild from the files' contents; ``ValueError`` naming ``where`` if broken."""
        import io
        import json

        try:
            vectors = np.load(io.BytesIO(npy), allow_pickle=False)
            lines = tsv.decode("utf-8").rstrip("\n").split("\n")
            record = json.loads(info) if info is not None else {}
        except (ValueError, UnicodeDecodeError) as error:
            raise ValueError(f"{where}: unreadable word vectors ({error})") from None
        if not isinstance(record, dict):
            raise ValueError(f"{where}: {INFO_FILE} must hold a JSON object")
        if not lines or lines[0] != "word\tcount":
            raise ValueError(f"{where}: {VOCABULARY_FILE} must start with 'word<TAB>count'")
        words, counts = [], []
        for number, line in enumerate(lines[1:], start=2):
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0] or not parts[1].isdigit():
                raise ValueError(f"{where}: {VOCABULARY_FILE} line {number}: expected "
                                 f"'word<TAB>count', got {line!r}")
            words.append(parts[0])
            counts.append(int(parts[1]))
        try:
            return cls(words, vectors, counts, record)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None

    @classmethod
    def load(cls, directory: PathLike) -> WordVectors:
        """Read ``word_vectors.npy`` + ``.tsv`` (+ ``.json`` if present) from ``directory``."""
        directory = Path(directory)
        for name in (VECTORS_FILE, VOCABULARY_FILE):
            if not (directory / name).is_file():
                raise FileNotFoundError(f"{directory / name}: missing; not a word-vector folder")
        info = directory / INFO_FILE
        return cls.from_bytes((directory / VECTORS_FILE).read_bytes(),
                              (directory / VOCABULARY_FILE).read_bytes(),
                              info.read_bytes() if info.is_file() else None, str(directory))


def train_word_vectors(token_lists: Sequence[Sequence[str]], dim: int = 64, window: int = 5,
                       min_count: int = 5, epochs: int = 10, max_vocab: int = 20000,
                       seed: int = 0) -> WordVectors:
    """Skip-gram word2vec (gensim) on tokenised documents, reproducibly.

    One worker thread and ``seed`` make the vectors identical from run to run;
    the vocabulary keeps words seen ``min_count`` times, at most the ``max_vocab``
    most frequent (ties in corpus order), which bounds the stored size
    (``max_vocab * dim * 4`` bytes).

    Example:
        >>> docs = [["算力", "网络", "建设"], ["数据", "要素", "市场"]] * 50
        >>> train_word_vectors(docs, dim=8, min_count=1, epochs=1).vectors.shape
        (6, 8)
    """
    from gensim.models import Word2Vec

    sentences = [list(tokens) for tokens in token_lists if tokens]
    if not sentences:
        raise ValueError("train_word_vectors: no tokens to train on")
    model = Word2Vec(sentences=sentences, vector_size=int(dim), window=int(window),
                     min_count=int(min_count), max_final_vocab=int(max_vocab), sg=1,
                     epochs=int(epochs), workers=1, seed=int(seed))
    words = list(model.wv.index_to_key)
    counts = [int(model.wv.get_vecattr(w, "count")) for w in words]
    return WordVectors(words, model.wv.vectors, counts)
