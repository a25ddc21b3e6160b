"""The topic model's e-step (FastLdaModel) gives gensim's results bit for bit."""

from __future__ import annotations

import numpy as np
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from nqp_text.topics._inference import FastLdaModel


def _corpus(seed: int) -> tuple[Dictionary, list[list[tuple[int, int]]]]:
    """Documents of our own: words drawn from three overlapping vocabularies."""
    rng = np.random.default_rng(seed)
    themes = [["数据", "算力", "模型", "平台", "芯片", "网络"],
              ["粮食", "耕地", "农业", "种业", "农村", "数据"],
              ["绿色", "低碳", "能源", "电力", "储能", "平台"]]
    documents = []
    for _ in range(120):
        theme = themes[int(rng.integers(3))]
        documents.append([theme[int(i)] for i in rng.integers(len(theme), size=30)]
                         + ["发展"] * int(rng.integers(1, 4)))
    dictionary = Dictionary(documents)
    return dictionary, [dictionary.doc2bow(doc) for doc in documents]


def test_fast_e_step_trains_and_infers_exactly_as_gensim():
    dictionary, bow = _corpus(7)
    eta = np.full((4, len(dictionary)), 0.25)
    eta[0, dictionary.token2id["数据"]] = 5.0
    common = dict(corpus=bow, id2word=dictionary, num_topics=4, passes=3, iterations=50,
                  chunksize=40, eta=eta, alpha="symmetric", update_every=1, eval_every=None,
                  dtype=np.float64)
    reference = LdaModel(random_state=np.random.RandomState(3), **common)
    fast = FastLdaModel(random_state=np.random.RandomState(3), **common)
    assert fast.expElogbeta.tobytes() == reference.expElogbeta.tobytes()
    for model in (reference, fast):
        model.random_state = np.random.RandomState(11)
    with_stats = [model.inference(bow, collect_sstats=True) for model in (reference, fast)]
    assert with_stats[0][0].tobytes() == with_stats[1][0].tobytes()
    assert with_stats[0][1].tobytes() == with_stats[1][1].tobytes()
    assert fast.inference([[]])[0].shape == (1, 4)


def test_count_rows_are_read_as_the_bag_of_words_lists():
    import scipy.sparse as sp

    from nqp_text.analysis.dtm import BowCorpus
    from nqp_text.topics._inference import CountRows

    dictionary, bow = _corpus(5)
    matrix = sp.csr_matrix(([count for doc in bow for _, count in doc],
                            [term for doc in bow for term, _ in doc],
                            np.cumsum([0, *map(len, bow)])), shape=(len(bow), len(dictionary)))
    rows = CountRows(matrix)
    assert [list(zip(r.ids.tolist(), r.counts.astype(int).tolist(), strict=True))
            for r in rows] == list(BowCorpus(matrix)) == bow
    assert len(rows[10:20]) == 10 and rows[-1].ids.tolist() == rows[len(rows) - 1].ids.tolist()
    common = dict(id2word=dictionary, num_topics=3, passes=2, iterations=40, chunksize=50,
                  alpha="symmetric", update_every=1, eval_every=None, dtype=np.float64)
    one = FastLdaModel(corpus=bow, random_state=np.random.RandomState(1), **common)
    other = FastLdaModel(corpus=rows, random_state=np.random.RandomState(1), **common)
    assert one.expElogbeta.tobytes() == other.expElogbeta.tobytes()
