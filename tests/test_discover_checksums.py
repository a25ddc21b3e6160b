"""A data folder's checksum list (``SHA256SUMS``, as ``../shared/corpora/provincial_reports``
has) is a note of the folder, not a document: before, it was a ``failed`` row, a warning
and a "1 failed" in the summary and report of every run on the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqp_text.io.discover import discover_files


@pytest.mark.parametrize("name", ["SHA256SUMS", "sha256sums.txt", "MD5SUMS", "SHA1SUMS",
                                  "SHA512SUMS", "checksums.txt"])
def test_checksum_lists_are_folder_notes(tmp_path: Path, name: str) -> None:
    (tmp_path / "2025_报告.txt").write_text("加快发展新质生产力。", encoding="utf-8")
    (tmp_path / name).write_text("0" * 64 + "  2025_报告.txt\n", encoding="utf-8")
    assert discover_files([tmp_path]) == [str(tmp_path / "2025_报告.txt")]
    assert discover_files([tmp_path / name]) == [str(tmp_path / name)]  # given explicitly


@pytest.mark.shared
def test_the_provincial_folder_reads_its_reports_only(shared: Path) -> None:
    folder = shared / "corpora" / "provincial_reports"
    found = discover_files([folder])
    assert not [path for path in found if Path(path).name in ("SHA256SUMS", "README.md")]
    assert sum(path.endswith(".docx") for path in found) == 16
