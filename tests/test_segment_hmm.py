"""The fast HMM pass (``_jieba_fast.hmm_cut``) cuts exactly as ``jieba.finalseg.cut``."""

from __future__ import annotations

import random

from jieba import finalseg

from nqp_text.segment._jieba_fast import hmm_cut


def _strings(seed: int, n: int) -> list[str]:
    """Random runs of Han characters jieba's HMM knows, with letters, digits and marks."""
    rng = random.Random(seed)
    han = sorted(finalseg.emit_P["S"])[:3000]
    other = list("ABCxyz0123456789.%-，。 ")
    out = []
    for _ in range(n):
        length = rng.randint(1, 40)
        out.append("".join(rng.choice(other) if rng.random() < 0.1 else rng.choice(han)
                           for _ in range(length)))
    return out


def test_hmm_cut_equals_jieba_finalseg_on_random_text():
    texts = _strings(3, 3000) + ["韩冰在读书", "新质生产力", "A股和5G", "", "。"]
    assert [hmm_cut(text) for text in texts] == [list(finalseg.cut(text)) for text in texts]


def test_hmm_cut_splits_forced_words_like_jieba(monkeypatch):
    text = "韩冰在读书"
    word = list(finalseg.cut(text))[0]
    monkeypatch.setattr(finalseg, "Force_Split_Words", {word})
    assert hmm_cut(text) == list(finalseg.cut(text))
    assert hmm_cut(text)[:len(word)] == list(word)
