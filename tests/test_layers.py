"""The import layers of nqp_text hold: ``lint-imports`` with the contract in pyproject.toml.

The contract (``[tool.importlinter]``) puts each subpackage in a layer, from the
foundation (private helpers, corpus tables, diagnostics, the framework) through
preprocess, io, segment, the analyses (classify, analysis, topics, measures,
datasets) and viz up to pipeline and cli; a module never imports from a layer
above its own, not even inside a function. A second run with the layers
reversed must fail, so the check cannot pass by checking nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    found = Path(sys.executable).with_name("lint-imports")
    program = str(found) if found.exists() else shutil.which("lint-imports")
    if program is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    return subprocess.run([program, "--no-cache", "--no-logo", str(config)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_the_layer_contract_is_kept(tmp_path: Path) -> None:
    result = _lint_imports(ROOT / "pyproject.toml", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    config = tmp_path / "reversed.toml"
    config.write_text('[tool.importlinter]\nroot_package = "nqp_text"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "io above cli (wrong)"\n'
                      'type = "layers"\ncontainers = ["nqp_text"]\nlayers = ["io", "cli"]\n',
                      encoding="utf-8")
    result = _lint_imports(config, tmp_path)
    assert result.returncode != 0
    assert "nqp_text.cli" in result.stdout and "BROKEN" in result.stdout


def test_output_records_live_in_the_cache_folder() -> None:
    from nqp_text._records import record_path
    from nqp_text.pipeline.cache import CACHE_DIRNAME

    assert record_path("out", "a.csv") == Path("out", CACHE_DIRNAME, "outputs", "a.csv.json")
