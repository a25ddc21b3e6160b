"""fetch_gov_work_reports: the real dataset from the data home; download checks offline."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nqp_text import datasets
from nqp_text.datasets import download, fetch_gov_work_reports, get_data_home

RELATIVE = datasets.GOV_WORK_REPORTS.relative


def test_reports_from_the_shared_data_home(shared: Path, gov_reports_jsonl: Path) -> None:
    corpus = fetch_gov_work_reports(shared)
    docs = corpus.documents
    assert len(docs) == 52
    assert docs["year"].notna().all()
    assert (int(docs["year"].min()), int(docs["year"].max())) == (1954, 2025)
    assert docs["year"].is_unique
    assert set(docs["status"]) == {"ok"}
    assert not docs["title"].str.contains("决议").any()  # the NPC resolutions are excluded
    assert docs["doc_id"].is_unique
    passages = corpus.passages
    assert set(passages["doc_id"]) == set(docs["doc_id"])
    assert not passages["text"].str.contains("\n").any()
    assert (passages["text"] == passages["text"].str.strip()).all()
    assert len(passages) > 52 * 30  # paragraphs, not whole reports
    years = docs.set_index("doc_id")["year"]
    assert (passages["year"] == passages["doc_id"].map(years)).all()
    # the licence notice that closes every record is gone: each report ends its own way
    assert (docs["trailer_passages"] == 3).all()
    assert passages.groupby("doc_id")["text"].last().is_unique
    for _, group in passages.groupby("doc_id"):
        assert group["seq"].tolist() == list(range(len(group)))
        assert (group["start"].diff().dropna() > 0).all()


def test_data_home_from_the_environment(monkeypatch: pytest.MonkeyPatch, shared: Path,
                                        gov_reports_jsonl: Path) -> None:
    monkeypatch.setenv(datasets.DATA_HOME_ENV, str(shared))
    assert get_data_home() == shared
    assert len(fetch_gov_work_reports().documents) == 52


def test_default_data_home_is_a_per_user_cache(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.delenv(datasets.DATA_HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    home = get_data_home()
    assert home.name == "nqp_text"
    assert home.is_relative_to(Path.home()) or home.is_relative_to(tmp_path)
    assert get_data_home("~/x") == Path.home() / "x"


def test_download_checks_the_checksum_and_caches(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path, gov_reports_jsonl: Path) -> None:
    """The real download code over a file:// URL of the real file (no network needed)."""
    monkeypatch.setattr(datasets, "GOV_WORK_REPORTS", datasets._Remote(
        RELATIVE, gov_reports_jsonl.as_uri(), datasets.GOV_WORK_REPORTS.sha256,
        datasets.GOV_WORK_REPORTS.size))
    home = tmp_path / "home"
    corpus = fetch_gov_work_reports(home)
    cached = home / RELATIVE
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == datasets.GOV_WORK_REPORTS.sha256
    assert len(corpus.documents) == 52
    # the second call reads the cache: the source is no longer reachable
    monkeypatch.setattr(datasets, "GOV_WORK_REPORTS", datasets._Remote(
        RELATIVE, (tmp_path / "nowhere.jsonl").as_uri(), datasets.GOV_WORK_REPORTS.sha256, 0))
    assert len(fetch_gov_work_reports(home).documents) == 52


def test_wrong_checksum_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "source.jsonl"
    source.write_text('{"content": "x"}\n', encoding="utf-8")
    target = tmp_path / "out" / "file.jsonl"
    with pytest.raises(ValueError, match="does not match the expected 0000"):
        download(source.as_uri(), target, "0" * 64)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_unreachable_source_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="could not download .*set NQP_TEXT_DATA"):
        download((tmp_path / "missing.jsonl").as_uri(), tmp_path / "t.jsonl", "0" * 64)


def test_a_modified_cached_file_is_refused(tmp_path: Path) -> None:
    cached = tmp_path / RELATIVE
    cached.parent.mkdir(parents=True)
    cached.write_text('{"content": "changed", "year": 2024}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="does not match the expected .*delete the file"):
        fetch_gov_work_reports(tmp_path)
