"""Ground truth recovered from simulated data (fixed seeds, 200 replications per scenario).

The thresholds are the ones the methods must meet to be trusted: |mean bias of log RR| < 0.02 and
95 % interval coverage between 90 % and 99 %. The naive comparison must fail them under selection on a
bad year, which shows that these tests can fail. ``benchmarks/simulation_study.py`` prints the same
figures for ``docs/methods.md``.
"""

from __future__ import annotations

import pytest

from pipelines.stats import simulate


@pytest.mark.parametrize(("scenario", "seed"), [("empirical_bayes", 20261127)])
def test_estimator_is_unbiased_with_nominal_coverage(scenario: str, seed: int) -> None:
    result = simulate.study(scenario, reps=200, seed=seed)
    assert abs(result["bias_log"]) < 0.02, result
    assert 0.90 <= result["coverage"] <= 0.99, result


def test_naive_before_after_falls_for_regression_to_the_mean() -> None:
    result = simulate.study("naive_before_after", reps=200, seed=20261127)
    assert result["bias_log"] < -0.05, result  # claims a larger effect than there is
    assert result["coverage"] < 0.90, result
