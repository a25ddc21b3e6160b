"""A run folder written by an older table writer is rewritten by the next run, not kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nqp_text._atomic import atomic_path
from nqp_text._records import record_path
from nqp_text._tables import write_csv, write_json
from nqp_text._version import __version__
from nqp_text.pipeline.cache import hash_config, sha256_file
from nqp_text.pipeline.records import CACHE_VERSION, OutputRecords

KEY = "quality-of-these-documents"


def test_an_output_of_an_older_writer_is_rewritten(tmp_path: Path) -> None:
    frame = pd.DataFrame({"doc_id": ["a"], "share": [1 / 3]})
    target = tmp_path / "quality.csv"
    with atomic_path(target) as path:       # the bytes of a writer with another float format
        Path(path).write_bytes(b"doc_id,share\na,0.333333333333333314829616256247\n")
    old_key = hash_config({"key": KEY, "cache": CACHE_VERSION, "nqp_text": __version__})
    write_json({"key": old_key, "sha256": sha256_file(target)}, record_path(tmp_path, target.name))

    records = OutputRecords(tmp_path)
    assert records.produce(target.name, KEY, lambda out: write_csv(frame, out)) is True
    fresh = tmp_path / "fresh.csv"
    write_csv(frame, fresh)
    assert target.read_bytes() == fresh.read_bytes()
    assert OutputRecords(tmp_path).produce(target.name, KEY,
                                           lambda out: write_csv(frame, out)) is False

