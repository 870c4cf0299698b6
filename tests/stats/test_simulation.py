"""Ground truth recovered from simulated data (fixed seeds, 200 replications per scenario).

The thresholds are the ones the methods must meet to be trusted: |mean bias of log RR| < 0.02 and
95 % interval coverage between 90 % and 99 %. The naive comparison must fail them under selection on a
bad year, which shows that these tests can fail.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pipelines.stats import simulate
from pipelines.stats.did import poisson_fe_did, staggered_did
from pipelines.stats.eb import eb_sites, fit_spf
from pipelines.stats.naive import naive_before_after

REPS = 200
TRUE_RR = 0.8


def check(logs: list[float], covered: list[bool]) -> tuple[float, float]:
    bias = float(np.mean(logs) - math.log(TRUE_RR))
    coverage = float(np.mean(covered))
    return bias, coverage


def test_poisson_fe_did_is_unbiased_with_nominal_coverage():
    rng = np.random.default_rng(20261125)
    logs, covered = [], []
    for _ in range(REPS):
        e = poisson_fe_did(simulate.did_panel(rng, true_rr=TRUE_RR), placebo=False)
        logs.append(math.log(e.estimate))
        covered.append(e.ci_low <= TRUE_RR <= e.ci_high)
    bias, coverage = check(logs, covered)
    assert abs(bias) < 0.02, bias
    assert 0.90 <= coverage <= 0.99, coverage


def test_staggered_did_is_unbiased_with_nominal_coverage():
    rng = np.random.default_rng(20261126)
    logs, covered = [], []
    for _ in range(REPS):
        e, cohorts = staggered_did(simulate.did_panel(rng, true_rr=TRUE_RR, staggered=True))
        assert len(cohorts) >= 1
        logs.append(math.log(e.estimate))
        covered.append(e.ci_low <= TRUE_RR <= e.ci_high)
    bias, coverage = check(logs, covered)
    assert abs(bias) < 0.02, bias
    assert 0.90 <= coverage <= 0.99, coverage


def eb_replication(rng: np.random.Generator) -> tuple[object, object]:
    frame, treated = simulate.eb_sites(rng, true_theta=TRUE_RR)
    spf = fit_spf(frame[frame["reference"]])
    frame["predicted"] = spf.predict(frame["exposure"].to_numpy(), frame["year"].to_numpy())
    g = (
        frame[frame["site"].isin(treated)]
        .groupby(["site", "period"])
        .agg(o=("count", "sum"), p=("predicted", "sum"))
        .unstack()
    )
    sites = pd.DataFrame(
        {
            "observed_before": g[("o", "before")],
            "predicted_before": g[("p", "before")],
            "observed_after": g[("o", "after")],
            "predicted_after": g[("p", "after")],
        }
    )
    eb = eb_sites(sites, spf.k)
    naive = naive_before_after(sites["observed_before"].sum(), 3.0, sites["observed_after"].sum(), 3.0)
    return eb, naive


def test_empirical_bayes_corrects_regression_to_the_mean_and_naive_does_not():
    rng = np.random.default_rng(20261127)
    eb_logs, eb_cov, naive_logs, naive_cov = [], [], [], []
    for _ in range(REPS):
        eb, naive = eb_replication(rng)
        eb_logs.append(math.log(eb.estimate))
        eb_cov.append(eb.ci_low <= TRUE_RR <= eb.ci_high)
        naive_logs.append(math.log(naive.estimate))
        naive_cov.append(naive.ci_low <= TRUE_RR <= naive.ci_high)
        assert eb.diagnostics["regression_to_mean"] > 0  # sites chosen after a bad period
    bias, coverage = check(eb_logs, eb_cov)
    assert abs(bias) < 0.02, bias
    assert 0.90 <= coverage <= 0.99, coverage
    naive_bias, naive_coverage = check(naive_logs, naive_cov)
    assert naive_bias < -0.05, naive_bias  # the naive comparison claims a larger effect than there is
    assert naive_coverage < 0.90, naive_coverage


@pytest.mark.parametrize("rr", [0.6, 1.0, 1.3])
def test_did_tracks_the_truth_across_effect_sizes(rr):
    rng = np.random.default_rng(int(rr * 100))
    estimates = [
        poisson_fe_did(simulate.did_panel(rng, true_rr=rr, n_treated=12), placebo=False).estimate for _ in range(30)
    ]
    assert float(np.exp(np.mean(np.log(estimates)))) == pytest.approx(rr, abs=0.03)
