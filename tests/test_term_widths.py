"""Terms typed with a Chinese input method (full-width ５Ｇ, ＡＩ, ＋) or pasted with a zero-width
space: the readers write every text half-width, so such a term never matched and counted 0."""

from __future__ import annotations

import pandas as pd
import pytest

import nqp_text
from nqp_text.corpus import Corpus
from nqp_text.measures.model import Measure, MeasureError


def _corpus() -> Corpus:
    text = "加快5G网络建设，发展AI产业，推进人工智能+行动。"
    documents = pd.DataFrame({"doc_id": ["a"], "year": [2024], "status": ["ok"]})
    passages = pd.DataFrame({"doc_id": ["a"], "passage_id": ["a:0"], "seq": [0], "year": [2024],
                             "text": [text], "start": [0], "end": [len(text)]})
    return Corpus(documents, passages)


def test_named_terms_are_counted_as_the_texts_are_written() -> None:
    table = nqp_text.term_frequencies(_corpus(), ["５Ｇ", "ＡＩ", "人工智能＋", "网\u200b络", "5G"])
    assert table["term"].tolist() == ["５Ｇ", "ＡＩ", "人工智能＋", "网\u200b络", "5G"]  # as asked
    assert table["count"].tolist() == [1, 1, 1, 1, 1]
    assert nqp_text.kwic(_corpus(), "ＡＩ", window=2)["match"].tolist() == ["AI"]


def test_a_dictionary_term_that_can_never_match_is_an_error() -> None:
    with pytest.raises(MeasureError, match=r"term 'ＡＩ' holds full-width.*write it as 'AI'"):
        Measure("mine", {"ai": ["人工智能", "ＡＩ"]}).validated()
    assert Measure("mine", {"ai": ["人工智能", "AI"]}).validated().n_terms == 2
