"""Segmenter.pipe's worker processes: compact result transport, workers kept
between calls, replaced when the configuration changes, ended by close()."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from nqp_text.segment._transport import decode_batch, encode_batch
from nqp_text.segment.segmenter import Segmenter

TEXTS = [f"第{i}条：发展新质生产力，建设{i % 7}G网络与数据要素市场。" for i in range(60)]


@pytest.fixture()
def seg() -> Iterator[Segmenter]:
    with Segmenter() as segmenter:
        yield segmenter


def _worker_pids() -> set[int]:
    return {child.pid for child in multiprocessing.active_children() if child.pid}


@pytest.mark.parametrize("method", ["cut", "tokens", "cut_with_pos"])
def test_transport_round_trips_every_result(method: str) -> None:
    seg = Segmenter()
    texts = ["加快发展新质生产力。", "", " \t\n", "算力"]
    results = seg._apply(method, texts)
    payload = encode_batch(method, texts, results)
    assert isinstance(payload, str)
    assert decode_batch(method, payload) == results


def test_texts_holding_separator_characters_survive_the_workers(seg: Segmenter) -> None:
    texts = ["数据\x1f要素", "算力\x1e网络", "新质生产力", ""]
    assert not isinstance(encode_batch("cut", texts, seg._apply("cut", texts)), str)
    for method in ("cut", "tokens", "cut_with_pos"):
        expected = seg._apply(method, texts)
        assert list(seg.pipe(texts, workers=2, batch_size=2, method=method)) == expected


def test_workers_are_kept_between_calls_and_closed(seg: Segmenter) -> None:
    before = _worker_pids()
    assert list(seg.pipe(TEXTS, workers=2, batch_size=8)) == seg._apply("cut", TEXTS)
    started = _worker_pids() - before
    assert len(started) == 2
    assert list(seg.pipe(TEXTS, workers=2, batch_size=8, method="tokens")) == [
        seg.tokens(text) for text in TEXTS]
    assert _worker_pids() - before == started  # the same processes did the second call
    seg.close()
    assert not started & _worker_pids()
    assert list(seg.pipe(TEXTS[:3], workers=2)) == seg._apply("cut", TEXTS[:3])


def test_added_words_reach_new_workers(seg: Segmenter) -> None:
    text = "星链计划和新质生产力"
    assert "星链计划" not in list(seg.pipe([text], workers=2))[0]
    old = _worker_pids()
    seg.add_words(["星链计划"])
    assert list(seg.pipe([text], workers=2))[0][0] == "星链计划"
    assert not old & _worker_pids()  # the stale workers were ended


def test_stopping_early_leaves_the_workers_usable(seg: Segmenter) -> None:
    stream = seg.pipe(TEXTS * 5, workers=2, batch_size=4)
    assert next(stream) == seg.cut(TEXTS[0])
    stream.close()
    assert list(seg.pipe(TEXTS, workers=2, batch_size=4)) == seg._apply("cut", TEXTS)


def test_a_killed_worker_raises_and_the_next_call_starts_afresh(seg: Segmenter) -> None:
    list(seg.pipe(TEXTS[:4], workers=2))
    for pid in _worker_pids():
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        list(seg.pipe(TEXTS * 20, workers=2, batch_size=4))
    assert list(seg.pipe(TEXTS, workers=2)) == seg._apply("cut", TEXTS)


def test_garbage_collection_ends_the_workers() -> None:
    before = _worker_pids()
    seg = Segmenter()
    list(seg.pipe(TEXTS, workers=2))
    started = _worker_pids() - before
    assert started
    del seg
    gc.collect()
    assert not started & _worker_pids()


def test_a_segmenter_with_workers_pickles_without_them(seg: Segmenter) -> None:
    import pickle

    list(seg.pipe(TEXTS[:2], workers=2))
    clone = pickle.loads(pickle.dumps(seg))
    assert clone.config_hash == seg.config_hash
    assert list(clone.pipe(TEXTS[:5], workers=2)) == seg._apply("cut", TEXTS[:5])
    clone.close()
