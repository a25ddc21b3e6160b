"""Shared fixtures: the real data folder (``../shared``), skipped cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqp_text._shared import shared_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared real-data folder; tests that use it skip when it is absent."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is absent (set NQP_TEXT_SHARED to point at it)")
    return path


@pytest.fixture(scope="session")
def gov_reports_jsonl(shared: Path) -> Path:
    path = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path
