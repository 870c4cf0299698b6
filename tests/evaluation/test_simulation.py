"""What the simulation study establishes, on the first replications of its own seeded random streams.

Each replication runs the production path (pool rule, comparison-group design with its pre-trend test,
headline rule with the synthetic control as fallback) on a simulated system of about 200 Kreise in 16
Länder (:mod:`praevention.evaluation.simulate`); ``benchmarks/simulation_study.py`` prints the full study for
``docs/methods.md``.

Tolerances are set by the binomial Monte-Carlo error of the share of n replications: a calibrated 95 %
procedure has a false-positive rate of 0.05 with standard error √(0.05 · 0.95 / n), 0.0154 for n = 200.
"At most 0.08" and "coverage at least 0.92" are 1.95 standard errors away from the promise, so a calibrated
procedure fails them with probability of about 2.5 % per seed, and an interval that covers only 85 % passes
the coverage bound with probability below 0.5 %. The bias of the log
estimate has a standard deviation of about 0.12 with the real series' noise, so its mean over 100 replications
has a standard error of about 0.012 and the bound 0.03 is 2.5 of them.
"""

from __future__ import annotations

from functools import cache

import pytest

from praevention.evaluation import simulate

SEED = 20261202  # the seed of benchmarks/simulation_study.py: these are its first replications
EB_SEED = 20261127


@cache
def study(name: str, reps: int, true_rr: float) -> dict[str, object]:
    return simulate.kreis_study(name, reps=reps, true_rr=true_rr, seed=SEED)


def test_serially_correlated_series_keep_the_95_percent_promise() -> None:
    """AR(1) ρ = 0.6: the headline's false-positive rate without an effect and its coverage with one."""
    null = study("c_ar1_0.6", 200, 1.0)
    assert null["not_evaluable"] < 0.02, null
    assert null["excludes_1"] <= 0.08, null
    effect = study("c_ar1_0.6", 200, 0.8)
    assert effect["coverage"] >= 0.92, effect


def test_a_land_wide_shock_is_not_taken_for_an_effect() -> None:
    """Every Kreis of the treated Land falls by 20 % from the start year: differencing out the rest of the
    Land keeps the false-positive rate nominal, while the naive comparison reports a fall almost always."""
    r = study("e_land_shock", 200, 1.0)
    assert r["excludes_1"] <= 0.08, r
    assert abs(r["bias_log"]) < 0.03, r
    assert r["naive_excludes_1"] > 0.9 and r["naive_bias_log"] < -0.25, r


@pytest.mark.parametrize("name", ["a_independent", "b_ar1_0.3", "d_unit_trends"])
def test_headline_is_unbiased_when_the_treated_kreis_is_typical(name: str) -> None:
    r = study(name, 100, 0.8)
    assert abs(r["bias_log"]) < 0.03, r
    assert r["coverage"] >= 0.90, r  # 100 replications: 0.90 is 2.3 standard errors below 0.95


@pytest.mark.parametrize("name", ["f_bad_year", "h_rising_trend", "i_before_peak"])
def test_councils_founded_after_a_bad_year_or_on_a_rising_trend_get_no_false_successes(name: str) -> None:
    """Selection as councils are founded: after the Kreis's worst year (with independent or persistent noise)
    or on its steepest rise. The real series' persistence keeps a high level high, so the headline leans
    towards "more crime" (the study reports a bias of about +0.04 to +0.09 on the log scale), but it claims a
    reduction (interval below 1) no more often than chance; the naive comparison reads the national trend as
    a success in most replications."""
    r = study(name, 100, 1.0)
    assert r["below_1"] <= 0.05, r
    assert r["naive_excludes_1"] > 0.6 and r["naive_bias_log"] < 0, r


def test_the_simulated_noise_is_that_of_the_real_series() -> None:
    """The design-level spread of the simulated Kreise (the collapsed change 2020–2024 against 2014–2017,
    relative to the rest of the Land) is that of the real street-crime series, 0.112
    (benchmarks/simulation_study.py --describe-warehouse), not the 0.054 year-to-year noise alone gives."""
    import dataclasses

    assert simulate.design_spread(simulate.SCENARIOS["a_independent"], reps=10) == pytest.approx(0.112, abs=0.012)
    without_walk = dataclasses.replace(simulate.SCENARIOS["a_independent"], walk_sd=0.0)
    assert simulate.design_spread(without_walk, reps=10) < 0.07


def test_empirical_bayes_corrects_regression_to_the_mean_that_fools_the_naive_comparison() -> None:
    """Sites selected for the top 10 % of before counts, true ratio 0.8 (100 replications)."""
    result = simulate.eb_study(reps=100, seed=EB_SEED)
    eb, naive = result["empirical_bayes"], result["naive_before_after"]
    assert abs(eb["bias_log"]) < 0.03, eb
    assert 0.88 <= eb["coverage"] <= 0.995, eb
    assert naive["bias_log"] < -0.05, naive  # claims a larger effect than there is
    assert naive["coverage"] < 0.80, naive
