"""One exception tree, exit codes by kind, options checked before any work, Dask time limits."""

from __future__ import annotations

import errno
import os
import pickle
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import nqp_text
from nqp_text.cli import main
from nqp_text.cli.errors import classify
from nqp_text.errors import (
    CacheError,
    DependencyError,
    InputError,
    MissingInputError,
    ModelError,
    ModelNotFoundError,
    NqpTextError,
    OptionError,
    OutputError,
    SchedulerError,
)

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


# -- the tree -----------------------------------------------------------------------------

@pytest.mark.parametrize("cls,builtin", [
    (InputError, ValueError), (OptionError, ValueError), (MissingInputError, FileNotFoundError),
    (ModelError, ValueError), (ModelNotFoundError, FileNotFoundError), (OutputError, OSError),
    (CacheError, OSError), (SchedulerError, ConnectionError), (DependencyError, ImportError),
])
def test_every_kind_is_an_nqp_text_error_and_its_builtin(cls: type, builtin: type) -> None:
    error = cls("notes.tsv: something is wrong", path="notes.tsv")
    assert isinstance(error, NqpTextError) and isinstance(error, builtin)
    assert str(error) == "notes.tsv: something is wrong"  # not OSError's "[Errno None] …"
    again = pickle.loads(pickle.dumps(error))  # crosses worker processes with its path
    assert type(again) is cls and again.path == "notes.tsv" and str(again) == str(error)


def test_top_level_names() -> None:
    assert nqp_text.NqpTextError is NqpTextError and nqp_text.InputError is InputError
    from nqp_text.classify import ModelError as classify_model_error
    from nqp_text.framework import FrameworkError
    from nqp_text.io.errors import ReaderError
    from nqp_text.measures.model import MeasureError
    from nqp_text.viz.fonts import CJKFontNotFoundError

    assert classify_model_error is ModelError
    for cls in (FrameworkError, MeasureError, ReaderError):
        assert issubclass(cls, InputError)
    assert issubclass(CJKFontNotFoundError, DependencyError)
    assert issubclass(CJKFontNotFoundError, RuntimeError)  # what callers caught before


def test_real_raises_carry_the_kind_and_the_path(tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("term\tweight\tpos\tcategory\tnote\n新质\tx\tn\ttech\there\n",
                       encoding="utf-8")
    with pytest.raises(InputError, match=r"mine\.tsv:2: weight 'x' is not a number"):
        nqp_text.load_lexicon(lexicon)
    with pytest.raises(MissingInputError) as missing:
        nqp_text.read_corpus([tmp_path / "absent"])
    assert missing.value.path == str(tmp_path / "absent")
    assert isinstance(missing.value, FileNotFoundError)  # callers' except FileNotFoundError
    with pytest.raises(ModelNotFoundError) as model:
        nqp_text.load_model(tmp_path / "no_model")
    assert isinstance(model.value, ModelError) and model.value.path == str(tmp_path / "no_model")
    with pytest.raises(OptionError, match="unit must be one of"):
        nqp_text.read_corpus([SAMPLE], unit="chapter")
    meta = tmp_path / "meta.csv"
    meta.write_text("name,year\nx,2020\n", encoding="utf-8")
    from nqp_text.io.metadata import Metadata

    with pytest.raises(InputError) as bad:
        Metadata.load(meta)
    assert bad.value.path == str(meta)


def test_classify_maps_kinds_and_real_os_errors(tmp_path: Path) -> None:
    assert classify(OptionError("k must be >= 1"))[0] == 2
    assert classify(MissingInputError("a.csv: no such file", path="a.csv"))[0] == 2
    assert classify(SchedulerError("scheduler x: no answer"))[0] == 2
    assert classify(InputError("bad record", path="a.jsonl")) == (4, "a.jsonl: bad record")
    assert classify(ModelError("m: corrupt", path="m"))[0] == 4
    assert classify(CacheError("c: unreadable", path="c"))[0] == 5
    # a real ENOSPC: /dev/full is always full
    with pytest.raises(OSError) as full, open("/dev/full", "w", encoding="utf-8") as stream:
        stream.write("x" * 100_000)
        stream.flush()
    assert full.value.errno == errno.ENOSPC
    code, message = classify(full.value, out=str(tmp_path))
    assert code == 5 and "disk full" in message and str(tmp_path) in message
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    with pytest.raises(OSError) as not_dir:
        (tmp_path / "a_file" / "sub").mkdir(parents=True)
    code, message = classify(not_dir.value, out=str(tmp_path / "a_file" / "sub"))
    assert code == 5 and message.startswith("cannot write ") and "a_file" in message
    with pytest.raises(FileNotFoundError) as vanished:
        (tmp_path / ".cache" / "gone.parquet").read_bytes()
    code, message = classify(vanished.value, out=str(tmp_path))
    assert code == 5 and message.startswith(f"cannot use {tmp_path / '.cache' / 'gone.parquet'}")
    with pytest.raises(FileNotFoundError) as elsewhere:  # outside --out: an input
        (tmp_path.parent / "no-such-input.txt").read_bytes()
    assert classify(elsewhere.value, out=str(tmp_path))[0] == 4
    assert classify(ZeroDivisionError("division by zero"))[0] == 70
    assert classify(ValueError("an unexpected value"))[0] == 70  # a bug, not a usage error


# -- the command line ---------------------------------------------------------------------

def test_bad_model_is_refused_before_any_stage(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    with pytest.raises(SystemExit) as info:
        main(["run", str(SAMPLE), "--out", str(out), "--model", str(tmp_path / "nonexistent"),
              "--quiet"])
    assert info.value.code == 2
    assert "nonexistent: no such model" in capsys.readouterr().err
    assert not out.exists()  # no folder, no cache, no stage ran


@pytest.mark.parametrize("extra,message", [
    (["--k", "0"], "k must be an integer >= 1; got 0"),
    (["--max-df", "1.5"], "max_df must be a number >= 0 and <= 1"),
    (["--lexicon", "no-such.tsv"], "no-such.tsv: lexicon file not found"),
    (["--framework", "no-such.yaml"], "no-such.yaml: no such framework file"),
    (["--scheduler", "tcp://127.0.0.1:99999"], "port 99999 is not in 1..65535"),
    (["--scheduler", "10.0.0.5"], "not an address; use tcp://HOST:PORT"),
    (["--connect-timeout", "0"], "connect_timeout must be a number > 0"),
])
def test_every_option_is_checked_before_any_work(extra: list[str], message: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    with pytest.raises(SystemExit) as info:
        main(["run", str(SAMPLE), "--out", str(out), "--quiet", *extra])
    assert info.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_malformed_input_file_exits_4_naming_it(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text("term\tweight\tpos\tcategory\tnote\n新质\t-1\tn\ttech\there\n",
                       encoding="utf-8")
    out = tmp_path / "o"
    assert main(["run", str(SAMPLE), "--out", str(out), "--lexicon", str(lexicon),
                 "--quiet"]) == 4
    err = capsys.readouterr().err
    assert f"nqp-text run: error: {lexicon}:2: weight must be positive" in err
    assert "usage:" not in err and not out.exists()


def test_unwritable_output_exits_5_naming_the_path(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "taken"
    out.write_text("a file where the output folder must go", encoding="utf-8")
    assert main(["run", str(SAMPLE), "--out", str(out / "sub"), "--quiet"]) == 5
    err = capsys.readouterr().err
    assert re.search(rf"error: cannot write {re.escape(str(out))}\S*: Not a directory", err), err
    assert "usage:" not in err


def test_a_bug_is_an_internal_error_not_a_usage_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import nqp_text.cli.kwic as kwic_command

    def broken(args: object) -> int:
        return 1 // 0

    monkeypatch.setattr(kwic_command, "run", broken)  # a handler with a bug in it
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert main(["kwic", str(tmp_path), "新质"]) == 70
    err = capsys.readouterr().err
    assert "nqp-text kwic: internal error: ZeroDivisionError: integer division or modulo by " \
           "zero (at test_errors.py:" in err
    assert "please report it" in err and "usage:" not in err
    saved = re.search(r"saved in (\S+?\.txt)", err)
    assert saved and "ZeroDivisionError" in Path(saved.group(1)).read_text(encoding="utf-8")
    assert Path(saved.group(1)).parent == tmp_path


def test_missing_input_is_still_a_usage_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", str(tmp_path / "absent"), "--out", str(tmp_path / "o"), "--quiet"])
    assert info.value.code == 2
    assert "absent: no such file or folder" in capsys.readouterr().err


# -- Dask: a scheduler that does not answer ----------------------------------------------

@pytest.fixture()
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never says anything (not Dask)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_server_that_is_not_dask_fails_within_the_timeout(silent_server: str) -> None:
    pytest.importorskip("distributed")
    from nqp_text.pipeline.executors import check_scheduler

    with pytest.raises(SchedulerError, match="no Dask scheduler answered within 1 s"):
        check_scheduler(silent_server, timeout=1.0)


def test_nothing_listening_fails_at_once() -> None:
    pytest.importorskip("distributed")
    from nqp_text.pipeline.executors import check_scheduler

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # a port nobody listens on
    with pytest.raises(SchedulerError, match=r"cannot connect \(Connection refused\)"):
        check_scheduler(f"tcp://127.0.0.1:{port}", timeout=30.0)


def test_run_with_a_silent_scheduler_exits_2_before_any_stage(
        silent_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "o"
    assert main(["run", str(SAMPLE), "--out", str(out), "--scheduler", silent_server,
                 "--connect-timeout", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"scheduler {silent_server}: no Dask scheduler answered within 1 s" in err
    assert not out.exists()


def test_a_real_scheduler_passes_the_check() -> None:
    distributed = pytest.importorskip("distributed")
    from nqp_text.pipeline.executors import check_scheduler

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) \
            as cluster:
        check_scheduler(cluster.scheduler_address, timeout=10.0)


def test_traceback_env_prints_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from nqp_text.cli.errors import TRACEBACK_ENV, report

    monkeypatch.setenv(TRACEBACK_ENV, "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    try:
        {}["missing"]
    except KeyError as error:
        assert report("run", error) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KeyError: 'missing'" in err
    assert os.listdir(tmp_path)  # the saved copy


def test_permission_denied_on_the_output_folder_is_an_output_error() -> None:
    """EACCES creating ``--out`` is exit 5 naming the path (as ``nobody`` when run as root)."""
    import json
    import shutil
    import subprocess
    import sys
    import tempfile

    parent = Path(tempfile.mkdtemp())
    try:
        parent.chmod(0o555)  # nobody (and, unless root, we) may list it but not write in it
        script = ("import json, os, sys; from pathlib import Path; "
                  "from nqp_text.cli.errors import classify\n"
                  "if os.geteuid() == 0:\n"
                  "    os.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
                  "target = Path(sys.argv[1]) / 'results'\n"
                  "try:\n"
                  "    target.mkdir()\n"
                  "except OSError as error:\n"
                  "    print(json.dumps([error.errno, *classify(error, out=str(target))]))\n")
        result = subprocess.run([sys.executable, "-c", script, str(parent)],
                                capture_output=True, text=True, check=True, timeout=120)
    finally:
        parent.chmod(0o755)
        shutil.rmtree(parent, ignore_errors=True)
    number, code, message = json.loads(result.stdout)
    assert number == errno.EACCES and code == 5
    assert message == f"cannot write {parent / 'results'}: Permission denied"


def test_a_tampered_model_is_refused_before_any_stage(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from nqp_text.classify.persist import default_model_dir

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    arrays = model / "arrays.npz"
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    out = tmp_path / "o"
    assert main(["run", str(SAMPLE), "--out", str(out), "--model", str(model), "--quiet"]) == 4
    err = capsys.readouterr().err
    assert f"nqp-text run: error: {arrays}: sha256 " in err and "refusing to load" in err
    assert not out.exists()
