"""The constraints file pins what the shipped model was trained with, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

from nqp_text.classify.persist import default_model_dir

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"constraints.txt: not a name==version pin: {line!r}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def test_constraints_pin_the_versions_the_shipped_model_was_trained_with():
    manifest = json.loads((default_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    trained = {name.lower(): version for name, version in manifest["versions"].items()
               if name not in ("python", "nqp_text")}
    assert _pins() == trained, (
        "constraints.txt differs from the shipped model's manifest 'versions': after "
        "re-training, copy the manifest's versions into constraints.txt")


def test_ci_installs_with_the_constraints():
    """README's test command equals .ci/run's last line (tests/test_docs.py checks that)."""
    assert "-c constraints.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
