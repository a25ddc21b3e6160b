"""The self-training screen (benchmarks/bench_classify_selftrain.py) compares like with like.

Its baseline row is the plain FrameworkClassifier and every variant differs from it
only by the pseudo-labelled pool rows, so a pool with no confident passage must give
exactly the baseline's regressions, and pool rows must change them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_classify_selftrain import SelfTrained, pseudo_labels  # noqa: E402
from nqp_text.classify import FrameworkClassifier  # noqa: E402
from nqp_text.classify.labels import labels_checked  # noqa: E402
from nqp_text.segment import Segmenter  # noqa: E402

TEXTS = ["培养高技能人才。", "建设全国统一大市场。", "召开会议。", "加强职业技能培训。",
         "推进要素市场化配置改革。", "听取工作报告。"] * 3
LABELS = [["labor_force"], ["factor_allocation"], [], ["labor_force"],
          ["factor_allocation"], []] * 3
POOL = ["大力培养技能人才。", "完善要素市场制度。", "会议讨论了报告。"]


def _fit(model: FrameworkClassifier) -> FrameworkClassifier:
    with labels_checked():
        return model.fit(TEXTS, LABELS)


def _pool_model(targets: np.ndarray, mask: np.ndarray) -> SelfTrained:
    cuts = [Segmenter().cut(text) for text in POOL]
    return SelfTrained(min_df=1, calibration_folds=2).set_pool(POOL, cuts, targets, mask, 0.3)


def test_pseudo_labels_keep_only_confident_cells():
    probability = np.array([[0.95, 0.5, 0.01], [0.2, 0.03, 0.04]])
    targets, mask = pseudo_labels(probability, 0.9, 0.05, every=False)
    assert mask.tolist() == [[True, False, True], [False, True, True]]
    assert (targets * mask).tolist() == [[1, 0, 0], [0, 0, 0]]
    targets, mask = pseudo_labels(probability, 0.9, 0.05, every=True)
    assert mask.tolist() == [[False] * 3, [False] * 3]


def test_an_empty_pool_gives_the_baseline_exactly():
    k = 6
    baseline = _fit(FrameworkClassifier(min_df=1, calibration_folds=2))
    empty = _fit(_pool_model(np.zeros((len(POOL), k), dtype=np.int64),
                             np.zeros((len(POOL), k), dtype=bool)))
    assert np.array_equal(baseline.coef_, empty.coef_)
    assert np.array_equal(baseline.intercept_, empty.intercept_)
    assert np.array_equal(baseline.calibration_, empty.calibration_)


def test_pool_rows_change_the_regressions_they_enter():
    k = 6
    baseline = _fit(FrameworkClassifier(min_df=1, calibration_folds=2))
    force = baseline.categories_.index("labor_force")
    targets = np.zeros((len(POOL), k), dtype=np.int64)
    targets[0, force] = 1
    mask = np.zeros((len(POOL), k), dtype=bool)
    mask[:, force] = True
    trained = _fit(_pool_model(targets, mask))
    others = [j for j in range(k) if j != force]
    assert not np.array_equal(baseline.coef_[force], trained.coef_[force])
    assert np.array_equal(baseline.coef_[others], trained.coef_[others])


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([__file__, "-q"]))
