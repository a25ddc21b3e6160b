"""``--workers auto`` (the default of ``nqp-text run``): in-process below a size, else the cores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nqp_text._limits import AUTO_WORKERS_MIN_BYTES
from nqp_text.cli import build_parser
from nqp_text.cli.run import summary
from nqp_text.pipeline import RunOptions
from nqp_text.pipeline.workers import available_cores, choose_workers, input_bytes


def test_small_inputs_run_in_process_large_ones_on_every_core(tmp_path: Path) -> None:
    small = tmp_path / "small"
    (small / "sub").mkdir(parents=True)
    (small / "a.txt").write_text("发展数字经济。", encoding="utf-8")
    (small / "sub" / "b.txt").write_text("培育未来产业。", encoding="utf-8")
    (small / "link.txt").symlink_to(small / "a.txt")  # not counted twice
    assert input_bytes([small]) == len("发展数字经济。".encode()) + len("培育未来产业。".encode())
    chosen, record = choose_workers("auto", [small])
    assert chosen == 1 and record["requested"] == "auto" and "below 6 MB" in record["reason"]

    large = tmp_path / "large.jsonl"
    with open(large, "wb") as handle:  # sparse: the size counts, not the disk use
        handle.truncate(AUTO_WORKERS_MIN_BYTES)
    chosen, record = choose_workers("auto", [small, large])
    assert chosen == (available_cores() if available_cores() > 1 else 1)
    assert chosen <= len(os.sched_getaffinity(0))
    assert record["reason"].startswith("6.0 MB of input")
    assert choose_workers(3, [large]) == (3, {"requested": 3, "chosen": 3, "reason": "given"})
    assert choose_workers("auto", [small], scheduler="local-cluster")[0] == available_cores()


def test_auto_is_the_default_and_the_summary_says_what_was_chosen() -> None:
    parser = build_parser()
    assert parser.parse_args(["run", "in", "--out", "x"]).workers == "auto"
    assert parser.parse_args(["run", "in", "--out", "x", "--workers", "2"]).workers == 2
    for bad in ("0", "many", "-1"):
        with pytest.raises(SystemExit):
            parser.parse_args(["run", "in", "--out", "x", "--workers", bad])
    assert RunOptions().workers == "auto"
    manifest = {"documents": {"ok": 2}, "stages": {"segment": {"computed": 2, "cached": 0}},
                "seconds": 1.0, "workers": {"requested": "auto", "chosen": 1,
                                            "reason": "0.1 MB of input, below 6 MB"}}
    assert "; workers 1 (auto: 0.1 MB of input, below 6 MB);" in summary(manifest, "out")
    manifest["workers"] = {"requested": 2, "chosen": 2, "reason": "given"}
    assert "; workers 2; 1.0 s" in summary(manifest, "out")
