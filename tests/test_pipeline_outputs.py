"""Deterministic writers and the content-addressed cache."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from nqp_text._atomic import TEMP_PREFIX
from nqp_text.pipeline.cache import Cache, hash_config, sha256_file
from nqp_text.pipeline.outputs import ParquetStream, write_csv, write_json, write_parquet


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "passage_id": [f"d:{i}" for i in range(n)],
        "score": [i / 7 for i in range(n)],
        "tokens": [["数据", "要素"][: i % 3] for i in range(n)],
    })


def test_parquet_bytes_do_not_depend_on_how_rows_were_chunked(tmp_path: Path) -> None:
    frame = _frame(1000)
    with ParquetStream(tmp_path / "a.parquet", row_group_rows=128) as stream:
        for start in range(0, 1000, 7):
            stream.write(frame.iloc[start:start + 7])
    with ParquetStream(tmp_path / "b.parquet", row_group_rows=128) as stream:
        for start in range(0, 1000, 333):
            stream.write(frame.iloc[start:start + 333])
    assert _digest(tmp_path / "a.parquet") == _digest(tmp_path / "b.parquet")
    back = pd.read_parquet(tmp_path / "a.parquet")
    assert back["passage_id"].tolist() == frame["passage_id"].tolist()
    assert [list(t) for t in back["tokens"]] == frame["tokens"].tolist()


def test_write_parquet_twice_gives_identical_bytes(tmp_path: Path) -> None:
    write_parquet(_frame(50), tmp_path / "one.parquet")
    write_parquet(_frame(50).copy(), tmp_path / "two.parquet")
    assert _digest(tmp_path / "one.parquet") == _digest(tmp_path / "two.parquet")


def test_a_failed_stream_leaves_neither_output_nor_temporary(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), ParquetStream(tmp_path / "x.parquet",
                                                    row_group_rows=10) as stream:
        stream.write(_frame(25))
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_a_stream_whose_final_flush_fails_commits_nothing(tmp_path: Path) -> None:
    """Disk full at the last flush: the partial temporary is removed, never renamed."""
    path = tmp_path / "documents.parquet"
    path.write_bytes(b"the previous complete file")
    stream = ParquetStream(path, row_group_rows=2)
    with pytest.raises(OSError, match="No space left"), stream:
        stream.write(pd.DataFrame({"a": [1, 2, 3]}))

        def disk_full(final: bool) -> None:
            raise OSError(28, "No space left on device")

        stream._flush = disk_full  # the final flush of __exit__ fails
    assert path.read_bytes() == b"the previous complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["documents.parquet"]


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(tmp_path: Path) -> None:
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x","点击")', "+1", "@SUM(A1)",
                                    "\tx", "-3.5", "数据要素"],
                          "count": [1, -2, 3, 4, 5, 6]})
    write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype={"title": str})
    assert back["title"].tolist() == ["'=HYPERLINK(\"http://x\",\"点击\")", "+1", "'@SUM(A1)",
                                      "'\tx", "-3.5", "数据要素"]
    assert back["count"].tolist() == [1, -2, 3, 4, 5, 6]


def test_csv_list_cells_are_the_same_after_a_parquet_round_trip(tmp_path: Path) -> None:
    # A fresh run holds lists; a re-run from the cache holds the arrays Parquet gives back.
    # Both must write the same CSV bytes (they differed: ['a', 'b'] against ['a' 'b']).
    fresh = pd.DataFrame({"doc_id": ["a", "b", "c"],
                          "removed": [["下载", "打印"], None, []],
                          "pages": [[1, 2], [], None]})
    write_parquet(fresh, tmp_path / "t.parquet")
    cached = pd.read_parquet(tmp_path / "t.parquet")
    assert not isinstance(cached["removed"].iloc[0], list)
    write_csv(fresh, tmp_path / "fresh.csv")
    write_csv(cached, tmp_path / "cached.csv")
    assert (tmp_path / "fresh.csv").read_bytes() == (tmp_path / "cached.csv").read_bytes()
    back = pd.read_csv(tmp_path / "fresh.csv", encoding="utf-8-sig", dtype=str)
    assert back["removed"].tolist()[0] == "['下载', '打印']"
    assert back["pages"].tolist()[0] == "[1, 2]"


def test_csv_has_bom_and_stable_floats(tmp_path: Path) -> None:
    path = write_csv(pd.DataFrame({"term": ["算力"], "share": [0.1 + 0.2]}), tmp_path / "t.csv")
    assert path.read_bytes() == "\ufeffterm,share\n算力,0.3\n".encode()


def test_json_is_sorted_and_atomic(tmp_path: Path) -> None:
    path = write_json({"b": 1, "a": "数"}, tmp_path / "m.json")
    assert path.read_text(encoding="utf-8") == '{\n  "a": "数",\n  "b": 1\n}\n'


def test_cache_keys_separate_stage_content_and_configuration(tmp_path: Path) -> None:
    cache = Cache(tmp_path / ".cache")
    config = hash_config({"lexicon": "default", "hmm": True})
    assert config == hash_config({"hmm": True, "lexicon": "default"})
    keys = {cache.key("segment", "abc", config), cache.key("ingest", "abc", config),
            cache.key("segment", "abd", config),
            cache.key("segment", "abc", hash_config({"lexicon": "user"}))}
    assert len(keys) == 4
    key = cache.key("segment", "abc", config)
    assert cache.path("segment", key) == tmp_path / ".cache" / "segment" / key[:2] / (
        key + ".parquet")


def test_cache_clean_removes_only_temporaries(tmp_path: Path) -> None:
    cache = Cache(tmp_path / ".cache")
    entry = cache.path("segment", "ab" * 32)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"kept")
    (entry.parent / f"{TEMP_PREFIX}half.parquet").write_bytes(b"half")
    assert cache.clean() == 1
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]
    assert sha256_file(entry) == hashlib.sha256(b"kept").hexdigest()
