"""Ground truth recovered from simulated data (fixed seeds, 200 replications per scenario).

The thresholds are the ones the methods must meet to be trusted: |mean bias of log RR| < 0.02 and
95 % interval coverage between 90 % and 99 %. The naive comparison must fail them under selection on a
bad year, which shows that these tests can fail. ``benchmarks/simulation_study.py`` prints the same
figures for ``docs/methods.md``.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.stats import simulate
from pipelines.stats.did import poisson_fe_did


@pytest.mark.parametrize(
    ("scenario", "seed"),
    [("did_poisson_fe", 20261125), ("did_staggered", 20261126), ("empirical_bayes", 20261127)],
)
def test_estimator_is_unbiased_with_nominal_coverage(scenario: str, seed: int) -> None:
    result = simulate.study(scenario, reps=200, seed=seed)
    assert abs(result["bias_log"]) < 0.02, result
    assert 0.90 <= result["coverage"] <= 0.99, result


def test_naive_before_after_falls_for_regression_to_the_mean() -> None:
    result = simulate.study("naive_before_after", reps=200, seed=20261127)
    assert result["bias_log"] < -0.05, result  # claims a larger effect than there is
    assert result["coverage"] < 0.90, result


@pytest.mark.parametrize("rr", [0.6, 1.0, 1.3])
def test_did_tracks_the_truth_across_effect_sizes(rr):
    rng = np.random.default_rng(int(rr * 100))
    estimates = [
        poisson_fe_did(simulate.did_panel(rng, true_rr=rr, n_treated=12), placebo=False).estimate for _ in range(30)
    ]
    assert float(np.exp(np.mean(np.log(estimates)))) == pytest.approx(rr, abs=0.03)
