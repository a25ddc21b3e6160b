"""Atomic writes: complete file or nothing, normal permissions, no temporaries left."""

from __future__ import annotations

import os
import stat

import pytest

from nqp_text._atomic import TEMP_PREFIX, atomic_path, atomic_write_text, remove_stale_temporaries


def test_atomic_write_creates_file_with_umask_permissions(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "新质生产力")
    assert target.read_text(encoding="utf-8") == "新质生产力"
    mode = stat.S_IMODE(target.stat().st_mode)
    current = os.umask(0)
    os.umask(current)
    assert mode == 0o666 & ~current


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_remove_stale_temporaries(tmp_path):
    (tmp_path / f"{TEMP_PREFIX}abc.parquet").write_bytes(b"x")
    (tmp_path / "keep.parquet").write_bytes(b"y")
    assert remove_stale_temporaries(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.parquet"]


def test_without_fsync_skips_the_flush_only_inside_the_block(tmp_path, monkeypatch):
    from nqp_text._atomic import without_fsync

    flushed = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real(fd)))
    with without_fsync():
        atomic_write_text(tmp_path / "entry.txt", "数据")
    assert flushed == []
    atomic_write_text(tmp_path / "output.txt", "算力")
    assert len(flushed) == 1
    assert (tmp_path / "entry.txt").read_text(encoding="utf-8") == "数据"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.txt", "output.txt"]
