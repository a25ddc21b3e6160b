"""Every data file in the source tree ships in the wheel.

An editable install reads data files from ``src/``, so a file type missing from
``[tool.setuptools.package-data]`` goes unnoticed in the tests and breaks a plain
``pip install nqp_text`` (the shipped model's ``word_vectors.npy`` was left out of the
wheel this way, so the default model could not load). This test checks every file
under ``src/nqp_text`` that is not Python source against the globs in ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_PACKAGE = _ROOT / "src" / "nqp_text"
_NOT_DATA = {".py", ".pyc"}


def _globs() -> list[str]:
    """The ``"*" = [...]`` list of ``[tool.setuptools.package-data]`` (no tomllib on 3.10)."""
    text = (_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^"\*"\s*=\s*(\[.*?\])', section, re.MULTILINE | re.DOTALL)
    assert found, "pyproject.toml: no \"*\" = [...] under [tool.setuptools.package-data]"
    return list(ast.literal_eval(found.group(1)))


def test_every_data_file_matches_a_package_data_glob() -> None:
    globs = _globs()
    data = [path for path in _PACKAGE.rglob("*")
            if path.is_file() and path.suffix not in _NOT_DATA
            and "__pycache__" not in path.parts]
    assert any(path.name == "word_vectors.npy" for path in data)
    left_out = sorted(str(path.relative_to(_PACKAGE)) for path in data
                      if not any(fnmatch.fnmatch(path.name, glob) for glob in globs))
    assert not left_out, f"not in the wheel (add to package-data in pyproject.toml): {left_out}"
