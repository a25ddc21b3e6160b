"""The documentation: the site builds with ``mkdocs build --strict`` and its examples run.

Every fenced ``python`` or ``bash`` block in ``README.md`` and ``docs/**/*.md`` carries a
marker on the line just before its opening fence (an HTML comment, invisible on GitHub and
on the site; the convention is described in ``docs/writing-docs.md``):

* ``<!-- docs-test: run -->``: executed here, in page order, in a fresh copy of a
  workspace that holds ``corpora/sample`` and the ``results`` folder of
  ``nqp-text run corpora/sample --out results``. Python blocks of one page share one
  namespace (run in this process, the working directory set to the copy); bash blocks
  run in ``bash -euo pipefail`` there.
* ``<!-- docs-test: run needs-shared -->``: the same, for examples that read the team's
  real data as ``../shared`` (a link to ``nqp_text._shared.shared_dir()`` beside the
  copy); without it they are left out and the page's test reports a skip.
* ``<!-- docs-test: skip REASON -->``: not executed; the reason is required (a download,
  the team's real data, a Dask cluster, an install command...).

A block without a marker fails :func:`test_every_example_is_marked`, so no example can
silently drop out of the tests.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from nqp_text._shared import shared_dir

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"python", "bash"}
NEEDS_SHARED = "needs-shared"
_MARKER = re.compile(r"^<!--\s*docs-test:\s*(run|skip)\b\s*(.*?)\s*-->\s*$")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page, with the marker before it (if any)."""

    page: str
    line: int
    lang: str
    code: str
    action: str | None
    reason: str


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def parse_blocks(path: Path, root: Path = ROOT) -> list[Block]:
    """The fenced blocks of a Markdown file, in order (``page`` relative to ``root``)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    page = str(path.relative_to(root))
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        marker = _MARKER.match(lines[index - 1].strip()) if index else None
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            line = lines[end]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            end += 1
        blocks.append(Block(page, index + 1, opening["lang"].lower(), "\n".join(body) + "\n",
                            marker[1] if marker else None, marker[2] if marker else ""))
        index = end + 1
    return blocks


def _all_blocks() -> list[Block]:
    return [block for page in _pages() for block in parse_blocks(page)]


def _runnable_pages() -> list[str]:
    pages = {b.page for b in _all_blocks() if b.lang in LANGUAGES and b.action == "run"}
    return sorted(pages)


def test_every_example_is_marked() -> None:
    unmarked = [f"{b.page}:{b.line} ({b.lang})" for b in _all_blocks()
                if b.lang in LANGUAGES and b.action is None]
    no_reason = [f"{b.page}:{b.line}" for b in _all_blocks()
                 if b.action == "skip" and not b.reason]
    unknown = [f"{b.page}:{b.line}" for b in _all_blocks()
               if b.action == "run" and b.reason not in ("", NEEDS_SHARED)]
    assert not unknown, f"'run' takes no option but {NEEDS_SHARED!r}: " + ", ".join(unknown)
    assert not unmarked, (
        "put '<!-- docs-test: run -->' (or '<!-- docs-test: skip REASON -->') on the line "
        "before each of these code blocks (see docs/writing-docs.md): " + ", ".join(unmarked))
    assert not no_reason, "a skipped example needs its reason: " + ", ".join(no_reason)


def test_marker_parser_reads_the_convention(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("text\n<!-- docs-test: run -->\n```python\nx = 1\n```\n\n"
                    "<!-- docs-test: skip needs a download -->\n```bash\ncurl x\n```\n"
                    "```python\ny = 2\n```\n  ```text\n  indented\n  ```\n", encoding="utf-8")
    got = [(b.lang, b.code, b.action, b.reason) for b in parse_blocks(page, tmp_path)]
    assert got == [("python", "x = 1\n", "run", ""),
                   ("bash", "curl x\n", "skip", "needs a download"),
                   ("python", "y = 2\n", None, ""), ("text", "indented\n", None, "")]


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("```bash\n", 1)[1].split("```", 1)[0].strip().split("\n")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().split("\n")
    assert len(setup) == 2
    assert setup[0].endswith("nqp-text run corpora/sample --out results")
    assert setup[1] == ci_lines[-1], "README's test command and .ci/run differ"


def test_readme_links_exist() -> None:
    """The README is not part of the site, so its relative links are checked here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if "://" not in t]
    assert local, "the README links to the guide"
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README links to missing files: {missing}"


def test_api_reference_covers_the_public_api() -> None:
    """Every public module has a ``::: module`` entry and every top-level name is listed."""
    import nqp_text

    reference = ROOT / "docs" / "reference"
    documented = {line.split(":::", 1)[1].strip()
                  for page in reference.glob("*.md")
                  for line in page.read_text(encoding="utf-8").split("\n")
                  if line.startswith(":::")}
    package = ROOT / "src" / "nqp_text"
    modules = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            continue
        if any(part.startswith("_") for part in parts) or parts[1] == "cli":
            continue
        modules.add(".".join(parts))
    undocumented = sorted(modules - documented)
    assert not undocumented, f"add '::: module' lines to docs/reference/*.md for {undocumented}"
    index = (reference / "index.md").read_text(encoding="utf-8")
    unlisted = [name for name in nqp_text._EXPORTS if f"`{name}`" not in index]
    assert not unlisted, f"list these top-level names in docs/reference/index.md: {unlisted}"


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip('mkdocs is not installed (pip install -e ".[docs]")')
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "reference" / "segment" / "index.html").exists()


@pytest.fixture(scope="session")
def docs_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``corpora/sample`` and the ``results`` of ``nqp-text run`` on it, made once."""
    base = tmp_path_factory.mktemp("docs-workspace")
    shutil.copytree(ROOT / "corpora" / "sample", base / "corpora" / "sample")
    _bash("nqp-text run corpora/sample --out results --quiet", base)
    return base


def _bash(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"exit {result.returncode}\n--- code\n{code}--- stdout\n{result.stdout}"
        f"--- stderr\n{result.stderr}")
    return result


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("page", _runnable_pages())
def test_examples_run(page: str, docs_workspace: Path, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    shutil.copytree(docs_workspace, work, symlinks=True)
    shared = shared_dir()
    if shared is not None:
        (tmp_path / "shared").symlink_to(shared, target_is_directory=True)
    monkeypatch.chdir(work)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    left_out = []
    for block in parse_blocks(ROOT / page):
        if block.action != "run" or block.lang not in LANGUAGES:
            continue
        if block.reason == NEEDS_SHARED and shared is None:
            left_out.append(block.line)
            continue
        if block.lang == "bash":
            _bash(block.code, work)
        else:
            exec(compile(block.code, f"{page}:{block.line}", "exec"), namespace)  # noqa: S102
    if left_out:
        pytest.skip(f"the other examples ran; those at lines {left_out} need ../shared "
                    "(set NQP_TEXT_SHARED)")
