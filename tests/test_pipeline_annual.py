"""``nqp-text run`` on annual reports: one report per firm-year, ``--sections mda``."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from nqp_text.io.reader import read_corpus
from nqp_text.pipeline import run_pipeline

BODY = "公司持续推进数字化转型和智能制造，研发投入强度稳步提升，经营质量进一步提高。" * 8


def _report(mda: str) -> str:
    return "\n".join(["第一节 重要提示", BODY, "第二节 管理层讨论与分析", mda, BODY,
                      "第三节 重要事项", BODY]) + "\n"


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True)
    files = {
        "000001_2023_星河_2023年年度报告.txt": _report("原版的讨论。"),
        "000001_2023_星河_2023年年度报告（更正后）.txt": _report("更正后的讨论。"),
        "000002_2023_云岭_2023年年度报告.txt": _report("云岭的讨论。"),
        "2024年政府工作报告.txt": "一、工作回顾\n过去一年，经济运行稳中向好。\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_run_selects_reports_and_sections_like_read_corpus(tmp_path: Path) -> None:
    inputs = _write(tmp_path / "in")
    out = tmp_path / "out"
    manifest = run_pipeline([inputs], out, progress=False, sections=("mda",), k=2,
                            prune_cache=True)
    said = [w for w in manifest["warnings"] if w["kind"] in ("no_section", "superseded")]
    assert [w["kind"] for w in said] == ["no_section", "superseded"]
    assert "no chapter titled 管理层讨论与分析" in said[0]["message"]
    assert manifest["documents"] == {"ok": 2, "empty": 0, "no_text_layer": 0, "failed": 0,
                                     "superseded": 1, "no_section": 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = read_corpus([inputs], timeout=None, sections=["mda"])
    documents = pd.read_parquet(out / "documents.parquet")
    columns = list(expected.documents.columns)
    pd.testing.assert_frame_equal(documents[columns], expected.documents, check_dtype=False)
    passages = pd.read_parquet(out / "passages.parquet")
    pd.testing.assert_frame_equal(passages, expected.passages, check_dtype=False)
    assert "原版的讨论。" not in set(passages["text"])  # the superseded report is not used
    assert "更正后的讨论。" in set(passages["text"])
    assert set(passages["section"]) == {"第二节 管理层讨论与分析"}
    labels = pd.read_parquet(out / "labels.parquet")
    assert labels["passage_id"].tolist() == passages["passage_id"].tolist()
    # without the corrected report, the original is used again (its cached passages kept)
    (inputs / "000001_2023_星河_2023年年度报告（更正后）.txt").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = run_pipeline([inputs], out, progress=False, sections=("mda",), k=2)
    assert again["documents"]["ok"] == 2 and "superseded" not in again["documents"]
    assert "原版的讨论。" in set(pd.read_parquet(out / "passages.parquet")["text"])
