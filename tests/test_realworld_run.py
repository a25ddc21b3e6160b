"""``nqp-text run`` on the 2026 scrapes gives the category shares of the same texts cleaned by hand.

The hand-cleaned copy is built here (lines removed by the hand-written list of
``test_boilerplate``, independent of the boilerplate rules); the control run
with ``--keep-boilerplate`` shows that the furniture does move the shares, so
the comparison can fail. The dictionary model keeps the three runs short.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from _scraped import by_hand
from nqp_text.cli import main

pytestmark = pytest.mark.slow  # every test here takes > 5 s on 2 cores (shared fixtures)

_RUN = ["--model", "dictionary", "--quiet", "--passes", "1", "--k", "7"]


@pytest.fixture(scope="module")
def runs(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    scraped = shared / "corpora" / "provincial_reports" / "2026_scraped_csv"
    if not scraped.is_dir():
        pytest.skip(f"{scraped} is absent")
    root = tmp_path_factory.mktemp("realworld")
    hand = root / "hand"
    hand.mkdir()
    csv.field_size_limit(1 << 30)
    for path in sorted(scraped.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            row["full_text"] = by_hand(row["full_text"])
        with (hand / path.name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    outs = {name: root / f"out_{name}" for name in ("scraped", "hand", "kept")}
    assert main(["run", str(scraped), "--out", str(outs["scraped"]), *_RUN]) == 0
    assert main(["run", str(hand), "--out", str(outs["hand"]), *_RUN]) == 0
    assert main(["run", str(scraped), "--out", str(outs["kept"]), "--keep-boilerplate",
                 *_RUN]) == 0
    return outs


def _shares(out: Path) -> pd.Series:
    trends = pd.read_csv(out / "category_trends.csv")
    assert trends["group"].nunique() == 1  # every report is of 2026
    return trends.set_index("category")["passage_share"] * 100


def test_category_shares_match_the_hand_cleaned_texts(runs: dict[str, Path]) -> None:
    scraped, hand = _shares(runs["scraped"]), _shares(runs["hand"])
    assert len(scraped) == 6
    assert (scraped - hand).abs().max() <= 0.5, pd.DataFrame({"scraped": scraped, "hand": hand})
    kept = _shares(runs["kept"])
    assert (kept - hand).abs().max() > 0.5  # the furniture would have moved them


def test_the_run_reports_quality_in_manifest_report_and_csv(runs: dict[str, Path]) -> None:
    clean = json.loads((runs["scraped"] / "manifest.json").read_text(encoding="utf-8"))
    assert clean["quality"] == {"documents_with_problems": 0, "summary": []}
    quality = pd.read_csv(runs["scraped"] / "quality.csv")
    assert len(quality) == 16 and (quality["boilerplate_lines"] >= 12).all()
    kept = json.loads((runs["kept"] / "manifest.json").read_text(encoding="utf-8"))
    assert kept["quality"]["documents_with_problems"] == 16
    assert "page furniture" in kept["quality"]["summary"][0]
    furniture = [w for w in kept["warnings"] if "page furniture" in w["message"]]
    assert len(furniture) == 1 and len(furniture[0]["files"]) == 16  # every document named
    report = runs["kept"] / "report.html"
    if report.exists():  # written when a CJK font is installed
        assert "16 个文件可能有问题" in report.read_text(encoding="utf-8")
