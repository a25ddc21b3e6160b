"""TfidfSpace.transform counts a whole batch at once; its values must be those of the
row-by-row definition, bit for bit (the shipped model's labels depend on them)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from nqp_text.classify.features import TfidfSpace, char_ngrams

TRAIN = [["算力", "网络", "算力"], ["数据", "要素"], ["算力", "数据", "人才", "人才"], ["网络"]]
BATCH = [["算力"] * 7 + ["网络", "数据", "未知"], [], ["未知", "词"], ["人才", "要素", "要素"],
         ["网络"], ["数据"] * 30 + ["人才"] * 2]


def _row_by_row(space: TfidfSpace, documents: list[list[str]]) -> list[list[tuple[int, float]]]:
    index = {term: j for j, term in enumerate(space.vocabulary_)}
    rows = []
    for features in documents:
        counts = Counter(index[f] for f in features if f in index)
        columns = sorted(counts)
        row = np.array([(1.0 + math.log(counts[j])) * space.idf_[j] for j in columns])
        norm = float(np.sqrt(np.dot(row, row))) if len(row) else 0.0
        values = (row / norm).tolist() if norm > 0 else row.tolist()
        rows.append(list(zip(columns, values, strict=True)))
    return rows


def test_batch_transform_equals_row_by_row_definition_bit_for_bit() -> None:
    space = TfidfSpace(min_df=1).fit(TRAIN)
    matrix = space.transform(BATCH)
    assert matrix.shape == (len(BATCH), len(space.vocabulary_))
    expected = _row_by_row(space, BATCH)
    for i, row in enumerate(expected):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        found = list(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(),
                         strict=True))
        assert found == row  # float equality: the same bits
    assert space.transform([]).shape == (0, len(space.vocabulary_))


def test_character_ngrams_of_every_size() -> None:
    text = "数据 要素AB"
    chars = "数据要素ab"
    for low, high in ((1, 1), (1, 3), (2, 4), (3, 3)):
        expected = [chars[i:i + n] for n in range(low, high + 1)
                    for i in range(len(chars) - n + 1)]
        assert char_ngrams(text, (low, high)) == expected
