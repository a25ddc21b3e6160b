"""A cache that cannot lie: every entry is sealed and verified; a damaged one is computed again.

The end-to-end test runs the pipeline over ``corpora/sample`` (seven documents, two
with tables, so every entry kind exists), damages one entry of every kind in a copy
of the output folder (one byte flipped in the middle, or the file cut in half) and
re-runs: the outputs are byte-identical to the first run's, each damaged entry is
named by a ``cache_damaged`` warning, counted in the manifest, and the exit code is 0.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from _pipeline_corpus import digests
from nqp_text.cli import main
from nqp_text.diagnostics import collect
from nqp_text.pipeline import run_pipeline
from nqp_text.pipeline.cache import (
    DAMAGED,
    MISSING,
    STALE,
    Cache,
    report_rejected,
    seal_path,
    sealed_entry,
    verify_entry,
    write_entry,
)

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"
#: Entry kinds and the stage whose warning names them (passages and tables are parts of
#: their file's ingest entry, a document's full cuts of its tokens entry: the warning
#: names the entry and the damaged part).
KINDS = {"ingest": "ingest", "passages": "ingest", "tables": "ingest", "tokens": "segment",
         "cuts": "segment", "counts": "count", "labels": "classify"}
PARTS = ("passages", "tables", "cuts")


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / kind).glob("*/*.parquet"))


def _pick(cache: Path) -> dict[str, Path]:
    """One entry of each kind; ingest, passages and tables entries of three different files.

    (Re-reading a file rewrites its passages and tables entries, so damage to the
    ingest entry of the same file would hide theirs.)
    """
    parts = {path: json.loads(seal_path(path).read_text("utf-8"))["parts"]
             for path in _entries(cache, "ingest")}
    owner = {cache / part: path for path, names in parts.items() for part in names}
    tables = _entries(cache, "tables")[0]
    passages = next(p for p in _entries(cache, "passages") if owner[p] != owner[tables])
    ingest = next(p for p in parts if p not in (owner[tables], owner[passages]))
    picked = {"ingest": ingest, "passages": passages, "tables": tables}
    for kind in ("tokens", "counts", "labels"):
        picked[kind] = _entries(cache, kind)[0]
    picked["cuts"] = next(p for p in _entries(cache, "cuts") if p.name != picked["tokens"].name)
    return picked


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("first") / "results"
    run_pipeline([SAMPLE], out, workers=1, progress=False)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_flip, _truncate], ids=["flip", "truncate"])
def test_damaged_entries_of_every_kind_are_recomputed(first_run: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      damage) -> None:
    out = tmp_path / "results"  # same folder name as the first run: the report shows it
    shutil.copytree(first_run, out)
    picked = _pick(out / ".cache")
    assert set(picked) == set(KINDS)
    for path in picked.values():
        damage(path)
        assert verify_entry(path)[0] == DAMAGED
    record = out / ".cache" / "outputs" / "tokens.parquet.json"  # a run record too
    damage(record)

    code = main(["run", str(SAMPLE), "--out", str(out), "--workers", "1", "--quiet"])
    assert code == 0
    stderr = capsys.readouterr().err

    expected = digests(first_run)
    found = digests(out)
    assert found.keys() == expected.keys()
    differ = [name for name in expected if found[name] != expected[name]]
    assert differ == ["report.html"]  # its warnings section lists the damaged entries
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    warnings = [w for w in manifest["warnings"] if w["kind"] == "cache_damaged"]
    for kind, path in picked.items():
        stage = KINDS[kind]
        named = (f"its part {kind}/{path.parent.name}/{path.name}" if kind in PARTS
                 else f"{kind}/{path.stem}")
        hits = [w for w in warnings if w["stage"] == stage and named in w["message"]]
        assert hits, f"no warning names the damaged {kind} entry {named}: {warnings}"
        if kind not in PARTS:
            assert str(path) in hits[0]["files"]
        assert named in stderr
        assert verify_entry(path) is None, f"{kind} entry not rewritten"
    stages = manifest["stages"]
    assert stages["ingest"]["cache_damaged"] == 3
    assert stages["segment"]["cache_damaged"] == stages["segment"]["computed"] == 2
    for stage in ("count", "classify"):
        assert stages[stage]["cache_damaged"] == 1
        assert stages[stage]["computed"] == 1


def test_verify_entry_reasons(tmp_path: Path) -> None:
    import pyarrow as pa

    cache = Cache(tmp_path / ".cache")
    table = pa.table({"term": ["数据要素", "算力"], "count": [3, 1]})
    part = write_entry(table, cache.path("passages", "a" * 64))
    entry = write_entry(table, cache.path("ingest", "b" * 64),
                        parts=["passages/aa/" + "a" * 64 + ".parquet"])
    assert verify_entry(entry) is None and verify_entry(part) is None
    assert verify_entry(cache.path("tokens", "c" * 64)) == (MISSING, "no entry")

    _flip(part)  # a damaged part makes the entry that points at it damaged
    kind, reason = verify_entry(entry)
    assert kind == DAMAGED and "passages/aa/" in reason and "SHA-256" in reason

    seal = json.loads(seal_path(entry).read_text("utf-8"))
    seal_path(entry).write_text(json.dumps({**seal, "nqp_text": "0.0.1"}), "utf-8")
    assert verify_entry(entry)[0] == STALE
    seal_path(entry).write_text(json.dumps({**seal, "parts": ["../../etc/passwd"]}), "utf-8")
    assert verify_entry(entry) == (DAMAGED, "its seal names parts outside the cache")
    seal_path(entry).write_text(json.dumps({**seal, "entry": "other.parquet"}), "utf-8")
    assert "that of 'other.parquet'" in verify_entry(entry)[1]
    seal_path(entry).write_text("{", "utf-8")
    assert verify_entry(entry) == (DAMAGED, "its seal cannot be read")
    seal_path(entry).unlink()
    assert verify_entry(entry) == (DAMAGED, "no seal (no recorded SHA-256)")


def test_report_rejected_deletes_and_warns_once_per_stage(tmp_path: Path) -> None:
    import pyarrow as pa

    cache = Cache(tmp_path / ".cache")
    paths = [write_entry(pa.table({"x": [i]}), cache.path("tokens", f"{i:064x}"))
             for i in range(3)]
    _truncate(paths[0])
    _flip(paths[1])
    with collect() as found:
        counts = report_rejected("segment", [(p, verify_entry(p)) for p in paths[:2]])
    assert counts == {"cache_damaged": 2}
    assert [d.kind for d in found] == ["cache_damaged"]
    assert set(found.items[0].files) == {str(p) for p in paths[:2]}
    assert not paths[0].exists() and not seal_path(paths[0]).exists()
    assert verify_entry(paths[2]) is None


def test_a_failed_write_commits_neither_entry_nor_seal(tmp_path: Path) -> None:
    target = Cache(tmp_path / ".cache").path("counts", "d" * 64)
    with pytest.raises(OSError, match="No space"), sealed_entry(target) as tmp:
        tmp.write_bytes(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
    assert list(target.parent.iterdir()) == []
    with pytest.raises(ValueError, match="not a cache entry path"):
        write_entry(None, target, parts=["../../etc/passwd"])
    assert list(target.parent.iterdir()) == []


def test_prune_removes_seals_with_their_entries(tmp_path: Path) -> None:
    import pyarrow as pa

    writer = Cache(tmp_path / ".cache")
    kept = write_entry(pa.table({"x": [1]}), writer.path("tokens", "e" * 64))
    gone = write_entry(pa.table({"x": [2]}), writer.path("tokens", "f" * 64))
    orphan = seal_path(writer.path("tokens", "0" * 64))
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_text("{}", "utf-8")
    pruner = Cache(tmp_path / ".cache")
    pruner.mark_used([kept])
    files, _ = pruner.prune()
    assert files == 3
    assert kept.exists() and seal_path(kept).exists()
    assert not gone.exists() and not seal_path(gone).exists() and not orphan.exists()


def test_cache_verify_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa

    out = tmp_path / "results"
    cache = Cache(out / ".cache")
    good = write_entry(pa.table({"x": [1]}), cache.path("labels", "1" * 64))
    bad = write_entry(pa.table({"x": [2]}), cache.path("labels", "2" * 64))
    stale = write_entry(pa.table({"x": [3]}), cache.path("counts", "3" * 64))
    _flip(bad)
    seal = json.loads(seal_path(stale).read_text("utf-8"))
    seal_path(stale).write_text(json.dumps({**seal, "nqp_text": "0.0.1"}), "utf-8")
    (out / ".cache" / "outputs").mkdir()
    (out / ".cache" / "outputs" / "tokens.parquet.json").write_text("{}", "utf-8")

    assert main(["cache", "verify", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"stale: {stale}: written by nqp_text 0.0.1 (this is {seal['nqp_text']})"
    assert lines[1].startswith(f"damaged: {bad}: its SHA-256 differs")
    assert lines[-1].endswith("3 entries checked: 1 damaged, 1 stale")
    assert main(["cache", "verify", str(out / ".cache"), "--delete"]) == 0
    assert "(deleted)" in capsys.readouterr().out
    assert not bad.exists() and not stale.exists() and good.exists()
    assert main(["cache", "verify", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 entry checked: all good")
    with pytest.raises(SystemExit) as info:
        main(["cache", "verify", str(tmp_path / "nowhere")])
    assert info.value.code == 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="needs POSIX resource limits")
def test_an_entry_the_disk_cannot_hold_is_never_committed(tmp_path: Path) -> None:
    """A real write failure (the file-size limit, as a full disk) leaves no entry or seal."""
    import subprocess
    import sys

    entry = Cache(tmp_path / ".cache").path("tokens", "9" * 64)
    code = (
        "import resource, signal, sys\n"
        "import pyarrow as pa\n"
        "from nqp_text.pipeline.cache import write_entry\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "table = pa.table({'x': [str(i) * 7 for i in range(20000)]})\n"
        "try:\n"
        "    write_entry(table, sys.argv[1])\n"
        "except OSError as error:\n"
        "    print('failed', error.errno)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(entry)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("failed"), done.stdout
    assert not entry.exists() and not seal_path(entry).exists()
    assert [p.name for p in entry.parent.iterdir()] == []
