"""Shared fixtures: the real data folder (``../shared``), skipped cleanly when absent.

On a laptop without ``../shared`` the tests that need it skip. In CI, ``.ci/run`` sets
``NQP_TEXT_REQUIRE_SHARED=1``: then a missing ``../shared`` fails the session, and any
test that would skip fails instead, so CI never passes while testing less than it claims.
Doctests whose example is marked ``+SKIP`` (they need data or a network) are exempt.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nqp_text._shared import shared_dir

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SHARED = os.environ.get("NQP_TEXT_REQUIRE_SHARED", "") not in ("", "0")
_DOCTEST_SKIP = "all tests skipped by +SKIP option"


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SHARED and shared_dir() is None:
        raise pytest.UsageError("NQP_TEXT_REQUIRE_SHARED=1 but ../shared is absent "
                                "(set NQP_TEXT_SHARED to point at it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``shared`` every test that reads ``../shared`` through the fixture below.

    ``pytest -m "not shared"`` then runs what a laptop without the data can run, and
    ``pytest -m "not slow"`` the fast loop (``slow`` is set by hand on tests over ~5 s).
    """
    for item in items:
        if "shared" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under ``NQP_TEXT_REQUIRE_SHARED=1`` a skipped test is a failed one."""
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_SHARED and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if _DOCTEST_SKIP in reason:
        return
    report.outcome = "failed"
    report.longrepr = f"skipped under NQP_TEXT_REQUIRE_SHARED=1, which forbids skips: {reason}"


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


@pytest.fixture
def without_opencc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``import opencc`` fails while the test runs, as on a machine without the
    ``[opencc]`` extra; the cached converter is dropped before and after."""
    import builtins
    import importlib

    from nqp_text.preprocess import normalize as normalize_module

    real_import = builtins.__import__

    def no_opencc(name: str, *args: object, **kwargs: object) -> object:
        if name == "opencc":
            raise ImportError("No module named 'opencc'")
        return real_import(name, *args, **kwargs)

    normalize_module._opencc_t2s.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_opencc)
    yield
    monkeypatch.undo()
    normalize_module._opencc_t2s.cache_clear()
    importlib.import_module("opencc")
