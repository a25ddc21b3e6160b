"""Segment once (issue 16): the classifier reads given cuts; one jieba dictionary per process.

The shipped model given the cuts of a segmenter with its ``cut_hash`` must label,
score and explain exactly as when it cuts the texts itself; ``nqp-text run``
hands the segment stage's cuts to the classify stage only then (jieba with the
shipped lexicon), and its labels are those of the model's own segmentation
whatever the backend.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jieba
import numpy as np
import pandas as pd
import pytest

from _pipeline_corpus import write_corpus
from nqp_text import Segmenter, load_model
from nqp_text.classify import DictionaryClassifier
from nqp_text.classify.run import classify_passages
from nqp_text.pipeline import run_pipeline
from nqp_text.segment.backends import jieba_prefix_dict


@pytest.fixture(scope="module")
def model():
    return load_model("default")


@pytest.mark.shared
def test_given_cuts_give_the_models_own_labels_on_gov_reports(model, gov_reports_jsonl: Path
                                                              ) -> None:
    passages = []
    with open(gov_reports_jsonl, encoding="utf-8") as handle:
        for line in handle:
            passages.extend(block.strip() for block in
                            re.split(r"\n\s*\n", json.loads(line)["content"]) if block.strip())
    texts = passages[::15]  # every 15th paragraph of all reports: about 400
    segmenter = Segmenter(stopwords=None, backend="jieba")
    assert segmenter.cut_hash == model.tokens_config
    own = model.classify(texts)
    given = model.classify(texts, tokens=[segmenter.cut(text) for text in texts])
    assert np.array_equal(own[0], given[0]) and own[0].sum() > 50  # labels were given
    assert np.array_equal(own[1], given[1])  # probabilities bit for bit
    assert own[2] == given[2]


def test_a_cut_that_does_not_join_to_its_text_is_refused(model) -> None:
    texts = ["加快发展新质生产力，培育未来产业。", "召开会议。"]
    segmenter = Segmenter()
    with pytest.raises(ValueError, match="do not join to text 0"):
        model.classify(texts, tokens=[segmenter.tokens(texts[0]), segmenter.cut(texts[1])])
    with pytest.raises(ValueError, match="2 texts but 1 token lists"):
        model.classify(texts, tokens=[segmenter.cut(texts[0])])
    mixed = model.classify(texts, tokens=[None, segmenter.cut(texts[1])])  # None: cut here
    own = model.classify(texts)
    assert np.array_equal(mixed[1], own[1]) and mixed[2] == own[2]
    assert model.predict(texts, tokens=[segmenter.cut(t) for t in texts]) == model.predict(texts)
    frame = pd.DataFrame({"passage_id": ["a", "b"], "text": texts})
    with pytest.raises(ValueError, match="2 passages but 1 token lists"):
        classify_passages(frame, model, tokens=[None])


def test_cut_hash_covers_what_cuts_and_nothing_else() -> None:
    base = Segmenter()
    assert base.cut_hash == Segmenter(stopwords=None, keep_numbers=True).cut_hash
    assert base.config_hash != Segmenter(stopwords=None).config_hash
    assert base.cut_hash != Segmenter(hmm=False).cut_hash
    assert base.cut_hash != Segmenter().add_words(["全新测试术语乙"]).cut_hash
    assert DictionaryClassifier().tokens_config == base.cut_hash


def test_segmenters_share_one_read_only_prefix_dictionary() -> None:
    first, second = Segmenter(), Segmenter(lexicon=None)
    assert first.cut("发展数字经济") and second.cut("发展数字经济")
    one, two = first._backend, second._backend
    assert one.tokenizer is not two.tokenizer and one.tokenizer is not jieba.dt
    assert one._fast._freq is two._fast._freq is jieba_prefix_dict()[0]
    with pytest.raises(TypeError):
        one.tokenizer.add_word("全新测试术语丙")  # would change every backend's dictionary
    assert "全新测试术语丙" not in jieba_prefix_dict()[0]


def _count_cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count Segmenter.cut calls in this process (the real method still runs)."""
    calls = [0]
    original = Segmenter.cut

    def counted(self: Segmenter, text: str) -> list[str]:
        calls[0] += 1
        return original(self, text)

    monkeypatch.setattr(Segmenter, "cut", counted)
    return calls


@pytest.mark.slow
def test_run_cuts_each_passage_once_and_labels_as_the_model_alone(
        model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "in", broken=False)
    calls = _count_cuts(monkeypatch)
    out = tmp_path / "jieba"
    manifest = run_pipeline([corpus], out, progress=False, workers=1)
    passages = pd.read_parquet(out / "passages.parquet")
    assert manifest["stages"]["classify"]["tokens"]["from"] == "segment stage"
    assert 0 < calls[0] <= len(passages)  # before issue 16: twice as many
    assert len(list((out / ".cache" / "cuts").glob("??/*.parquet"))) == \
        len(list((out / ".cache" / "tokens").glob("??/*.parquet")))
    labels = pd.read_parquet(out / "labels.parquet")
    alone = classify_passages(passages, model, check_units=False)
    pd.testing.assert_frame_equal(labels, alone, check_dtype=False)

    calls[0] = 0
    other = tmp_path / "rjieba"
    pytest.importorskip("rjieba")
    manifest = run_pipeline([corpus], other, progress=False, workers=1, backend="rjieba")
    source = manifest["stages"]["classify"]["tokens"]
    assert (source["from"], source["backend"], source["segment_backend"]) == (
        "own segmentation", "jieba", "rjieba")
    assert calls[0] >= 2 * len(passages)  # rjieba tokens, then the model's jieba cuts
    assert (other / "labels.parquet").read_bytes() == (out / "labels.parquet").read_bytes()
