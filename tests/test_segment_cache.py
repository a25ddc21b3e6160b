"""Token cache (re-runs do no work; concurrent writers), segment_passages and the
``nqp-text segment`` command."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from nqp_text.cli import main
from nqp_text.corpus import Corpus
from nqp_text.segment.cache import DB_NAME, TokenCache, text_hash
from nqp_text.segment.run import segment_passages
from nqp_text.segment.segmenter import Segmenter

TEXTS = ["加快发展新质生产力，提高全要素生产率。", "培育数据要素市场，建设5G基站。",
         "加快发展新质生产力，提高全要素生产率。", "我们的目标是发展数字经济。"]


def _passages() -> pd.DataFrame:
    rows = [{"doc_id": f"d{i // 2}", "passage_id": f"d{i // 2}:{i % 2}", "seq": i % 2,
             "year": 2024, "text": text, "start": 0, "end": len(text)}
            for i, text in enumerate(TEXTS)]
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # shuffled on purpose


class CountingSegmenter(Segmenter):
    """A Segmenter that counts the texts it actually cuts."""

    calls = 0

    def cut(self, text: str) -> list[str]:
        CountingSegmenter.calls += 1
        return super().cut(text)


def test_cache_round_trip_and_keys(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "cache")
    key = text_hash("数据要素")
    assert cache.get_many([key], "cfg", "cut") == {}
    cache.put_many([(key, ["数据要素"])], "cfg", "cut")
    cache.put_many([(key, ["数据要素"])], "cfg", "cut")  # a second writer: harmless
    assert cache.get_many([key], "cfg", "cut") == {key: ["数据要素"]}
    assert cache.get_many([key], "other-config", "cut") == {}
    assert len(cache) == 1


def test_rerun_reads_the_cache_and_does_no_segmentation(tmp_path: Path) -> None:
    CountingSegmenter.calls = 0
    segmenter = CountingSegmenter()
    first = segment_passages(_passages(), segmenter, cache=tmp_path / "cache")
    assert CountingSegmenter.calls == 3  # the duplicate passage text is cut once
    second = segment_passages(_passages(), segmenter, cache=tmp_path / "cache")
    assert CountingSegmenter.calls == 3
    pd.testing.assert_frame_equal(first, second)
    assert first["passage_id"].tolist() == ["d0:0", "d0:1", "d1:0", "d1:1"]
    assert "新质生产力" in first["tokens"][0] and "的" not in first["tokens"][3]
    changed = CountingSegmenter(keep_numbers=True)
    segment_passages(_passages(), changed, cache=tmp_path / "cache")
    assert CountingSegmenter.calls == 6  # a new configuration is a new key


def test_pos_and_all_tokens_tables(tmp_path: Path) -> None:
    table = segment_passages(_passages(), Segmenter(), pos=True)
    assert list(table.columns) == ["passage_id", "tokens", "pos"]
    assert all(len(t) == len(p) for t, p in zip(table["tokens"], table["pos"], strict=True))
    everything = segment_passages(_passages(), Segmenter(), all_tokens=True)
    assert ["".join(tokens) for tokens in everything["tokens"]] == [
        TEXTS[0], TEXTS[1], TEXTS[2], TEXTS[3]]


@pytest.mark.parametrize("damage", ["other tokens", "garbage bytes"])
def test_damaged_rows_are_cut_again_with_a_warning(tmp_path: Path, damage: str) -> None:
    import sqlite3
    import zlib

    from nqp_text.diagnostics import collect

    CountingSegmenter.calls = 0
    segmenter = CountingSegmenter()
    first = segment_passages(_passages(), segmenter, cache=tmp_path / "cache")
    database = TokenCache(tmp_path / "cache").path
    forged = (zlib.compress('["伪造"]'.encode()) if damage == "other tokens"
              else b"\x78\x9c not zlib at all")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE tokens SET value = ? WHERE text_hash = ?",
                           (forged, text_hash(TEXTS[1])))
    with collect() as found:
        second = segment_passages(_passages(), segmenter, cache=tmp_path / "cache")
    pd.testing.assert_frame_equal(first, second)
    assert CountingSegmenter.calls == 4  # only the damaged passage was cut again
    [warning] = [item for item in found.items if item.kind == "cache_damaged"]
    assert str(database) in warning.message and "1 token cache row" in warning.message
    with collect() as again:
        segment_passages(_passages(), segmenter, cache=tmp_path / "cache")
    assert CountingSegmenter.calls == 4 and not again.items  # the row was replaced


def _writer(args: tuple[str, int]) -> int:
    directory, worker = args
    cache = TokenCache(directory)
    for round_ in range(20):
        items = [(text_hash(f"{round_}-{i}"), [f"{worker}", str(i)]) for i in range(50)]
        cache.put_many(items, "cfg", "cut")
        cache.get_many([key for key, _ in items], "cfg", "cut")
    return worker


def test_cache_is_safe_under_concurrent_processes(tmp_path: Path) -> None:
    directory = str(tmp_path / "cache")
    TokenCache(directory)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        assert sorted(pool.map(_writer, [(directory, w) for w in range(3)])) == [0, 1, 2]
    assert len(TokenCache(directory)) == 20 * 50


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    passages = _passages()
    Corpus(passages=passages).save(tmp_path / "out")
    return tmp_path / "out"


def test_cli_segment_writes_tokens_parquet_deterministically(corpus_dir: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    assert main(["segment", str(corpus_dir)]) == 0
    target = corpus_dir / "tokens.parquet"
    first = target.read_bytes()
    table = pd.read_parquet(target)
    assert list(table.columns) == ["passage_id", "tokens"]
    assert "新质生产力" in list(table["tokens"][0])
    assert (corpus_dir / ".cache" / "segment" / DB_NAME).exists()
    assert main(["segment", str(corpus_dir), "--workers", "2", "--no-cache"]) == 0
    assert target.read_bytes() == first
    assert main(["segment", str(corpus_dir), "--pos", "--cache", str(corpus_dir / "c2")]) == 0
    assert list(pd.read_parquet(target).columns) == ["passage_id", "tokens", "pos"]
    assert "wrote" in capsys.readouterr().out


def test_cli_segment_missing_passages_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["segment", str(tmp_path)])
    assert info.value.code == 2
