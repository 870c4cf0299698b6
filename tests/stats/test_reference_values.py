"""Estimators against published worked examples and values computed by hand (sources in each test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from praevention.stats.eb import eb_before_after
from praevention.stats.meta import random_effects
from praevention.stats.multiple import benjamini_hochberg, holm
from praevention.stats.naive import naive_before_after
from praevention.stats.rates import poisson_rate_ci, rate_ratio_exact
from praevention.stats.synth import synth_weights, synthetic_control
from praevention.stats.wdq import displacement, wdd, wdd_common_control, wdq

# BCG vaccine trials, Colditz et al. (1994), JAMA 271:698–702, as `dat.bcg` in R metafor (tpos, tneg, cpos, cneg)
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def bcg_log_rr():
    t = np.array(BCG, dtype=float)
    yi = np.log((t[:, 0] / (t[:, 0] + t[:, 1])) / (t[:, 2] / (t[:, 2] + t[:, 3])))
    vi = 1 / t[:, 0] - 1 / (t[:, 0] + t[:, 1]) + 1 / t[:, 2] - 1 / (t[:, 2] + t[:, 3])
    return yi, np.sqrt(vi)


def test_dersimonian_laird_on_bcg():
    """metafor: rma(yi, vi, data=dat.bcg, method='DL') → estimate −0.7141, tau² 0.3088, I² 92.12 %."""
    yi, se = bcg_log_rr()
    res = random_effects(yi, se, method="DL")
    assert res.log_estimate == pytest.approx(-0.7141, abs=5e-4)
    assert res.tau2 == pytest.approx(0.3088, abs=5e-4)
    assert res.estimate == pytest.approx(0.4896, abs=5e-4)
    assert res.i2 == pytest.approx(0.9212, abs=5e-3)
    assert res.forest["weight"].sum() == pytest.approx(1.0)


def test_reml_on_bcg_and_statsmodels():
    """metafor REML: estimate −0.7145, tau² 0.3132; statsmodels' combine_effects agrees for DL."""
    yi, se = bcg_log_rr()
    res = random_effects(yi, se, method="REML")
    assert res.log_estimate == pytest.approx(-0.7145, abs=5e-4)
    assert res.tau2 == pytest.approx(0.3132, abs=5e-4)
    from statsmodels.stats.meta_analysis import combine_effects

    sm = combine_effects(yi, se**2, method_re="dl")
    assert float(sm.tau2) == pytest.approx(random_effects(yi, se, method="DL").tau2, rel=1e-6)


def test_hartung_knapp_on_bcg():
    """metafor's README: rma(yi, vi, data=dat, test="knha") (REML) → estimate −0.7145, se 0.1808, df 12,
    p 0.0019, interval −1.1084 to −0.3206."""
    yi, se = bcg_log_rr()
    res = random_effects(yi, se, method="REML", hksj=True)
    assert res.log_estimate == pytest.approx(-0.7145, abs=5e-4)
    assert res.se == pytest.approx(0.1808, abs=5e-4)
    assert res.p_value == pytest.approx(0.0019, abs=2e-4)
    assert math.log(res.ci_low) == pytest.approx(-1.1084, abs=1e-3)
    assert math.log(res.ci_high) == pytest.approx(-0.3206, abs=1e-3)


def test_modified_knapp_hartung_and_prediction_interval_on_bcg():
    """BCG is heterogeneous (q > 1): the modified interval (max(1, q); Röver, Knapp & Friede 2015) equals the
    Hartung–Knapp one above. The prediction interval (Higgins, Thompson & Spiegelhalter 2009) by hand from the
    published components: μ ± t_{11, 0.975} √(τ² + SE²) = −0.7145 ± 2.2010 · √(0.3132 + 0.1808²)."""
    from scipy import stats

    yi, se = bcg_log_rr()
    res = random_effects(yi, se, method="REML", hksj=True, modified=True)
    assert res.se == pytest.approx(0.1808, abs=5e-4)
    half = stats.t.ppf(0.975, 11) * math.sqrt(0.3132 + 0.1808**2)
    assert math.log(res.pi_low) == pytest.approx(-0.7145 - half, abs=2e-3)
    assert math.log(res.pi_high) == pytest.approx(-0.7145 + half, abs=2e-3)
    # minimum detectable pooled effect: (t_{12, .975} + t_{12, .8}) · SE
    assert -math.log(res.mde_80) == pytest.approx((stats.t.ppf(0.975, 12) + stats.t.ppf(0.8, 12)) * 0.1808, abs=2e-3)


def test_modified_knapp_hartung_is_never_narrower_than_the_plain_interval():
    """Three nearly equal estimates: q < 1, so Hartung–Knapp alone would narrow the interval below the plain
    random-effects one; the modified version keeps SE² = 1 / Σw (τ² = 0)."""
    y, se = np.array([-0.20, -0.21, -0.19]), np.array([0.1, 0.1, 0.1])
    hk = random_effects(y, se, method="REML", hksj=True)
    mod = random_effects(y, se, method="REML", hksj=True, modified=True)
    assert hk.se < mod.se == pytest.approx(math.sqrt(1 / np.sum(1 / se**2)))
    assert mod.ci_low < hk.ci_low and mod.ci_high > hk.ci_high


def test_multiple_testing_adjustments_match_hand_values_and_statsmodels():
    """p = (0.01, 0.04, 0.03, 0.005): BH by hand 0.02, 0.04, 0.04, 0.02; Holm 0.03, 0.06, 0.06, 0.02
    (Benjamini & Hochberg 1995; Holm 1979); statsmodels' multipletests agrees; NaN stays NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    rng = np.random.default_rng(1)
    q = rng.uniform(0, 0.2, 25)
    assert benjamini_hochberg(q) == pytest.approx(multipletests(q, method="fdr_bh")[1])
    assert holm(q) == pytest.approx(multipletests(q, method="holm")[1])
    with_nan = benjamini_hochberg([0.01, np.nan, 0.04])
    assert math.isnan(with_nan[1]) and with_nan[[0, 2]] == pytest.approx([0.02, 0.04])


def test_wdd_wheeler_ratcliffe_examples():
    """ptools' documentation of wdd() (Wheeler & Ratcliffe 2018): control 20→20, treated 20→10 gives
    WDD −10 with SE √70; with displacement 30→20 against its control 30→30 the total is −20 with SE √180;
    with no before counts (0→20 vs 0→10) the two-sided p is about 0.068."""
    d = wdd((20, 10), (20, 20))
    assert d.estimate == pytest.approx(-10) and d.se == pytest.approx(math.sqrt(70))
    d = wdd((20, 10), (20, 20), (30, 20), (30, 30))
    assert (d.local, d.displacement, d.estimate) == (-10, -10, -20) and d.se == pytest.approx(math.sqrt(180))
    assert wdd((0, 10), (0, 20)).p_value == pytest.approx(0.068, abs=1e-3)


def test_wdd_with_one_large_control_gives_each_area_its_own_scaled_control():
    """The issue's numbers: target 20→10, buffer 30→20, control 500→400. Passing the raw control twice gives
    (10 − 20) − (400 − 500) + (20 − 30) − (400 − 500) = +180; each area against its own control scaled to its
    before count (r = 0.8): (10 − 0.8 · 20) + (20 − 0.8 · 30) = −6 − 4 = −10, variance by hand
    10 + 20 + 0.64 · 50 + 50² · 0.64 · (1/400 + 1/500) = 69.2."""
    assert wdd((20, 10), (500, 400), (30, 20), (500, 400)).estimate == 180  # the old, wrong way
    d = wdd_common_control((20, 10), (30, 20), (500, 400))
    assert (d.local, d.displacement, d.estimate) == pytest.approx((-6, -4, -10))
    assert d.se == pytest.approx(math.sqrt(69.2))
    # with a control as small as the areas the scaled controls are the published definition's own controls
    e = wdd_common_control((20, 10), (30, 20), (50, 50))
    assert e.estimate == pytest.approx(wdd((20, 10), (20, 20), (30, 20), (30, 30)).estimate)
    assert displacement(20, 10, 30, 20, 500, 400).diagnostics["wdd"] == pytest.approx(-10)


def test_wdq_bowers_johnson_examples():
    """Bowers & Johnson (2003): A 100→50, B 100→150, C 100→100: WDQ = −1; B 100→75: WDQ = 0.5."""
    assert wdq(100, 50, 100, 150, 100, 100) == pytest.approx(-1.0)
    assert wdq(100, 50, 100, 75, 100, 100) == pytest.approx(0.5)
    e = displacement(100, 50, 100, 75, 100, 100)
    assert e.estimate == pytest.approx(0.5) and e.diagnostics["wdq"] == pytest.approx(0.5)
    assert "Ausstrahlung" in e.diagnostics["reading"]
    assert "vollständige Verdrängung" in displacement(100, 50, 100, 150, 100, 100).diagnostics["reading"]


def test_garwood_intervals():
    """Exact Poisson limits (Garwood 1936; tables in Breslow & Day 1987, vol. II, appendix): 0 → [0, 3.689],
    1 → [0.0253, 5.572], 10 → [4.795, 18.39]."""
    rate, lo, hi = poisson_rate_ci([0, 1, 10], [1, 1, 1])
    assert list(rate) == [0, 1, 10]
    assert lo == pytest.approx([0.0, 0.0253, 4.795], abs=1e-3)
    assert hi == pytest.approx([3.689, 5.572, 18.39], abs=2e-3)
    r, lo100k, _ = poisson_rate_ci(10, 50_000, per=100_000)
    assert r == 20 and lo100k == pytest.approx(9.59, abs=0.01)


def test_rate_ratio_exact_by_hand():
    """Equal exposures: 30 vs 60 events → conditional binomial n=90, π̂ = 1/3; Clopper–Pearson interval
    of π by hand from the beta quantiles, RR = π/(1−π)."""
    from scipy import stats

    rr, lo, hi, p = rate_ratio_exact(30, 1.0, 60, 1.0)
    pi_lo, pi_hi = stats.beta.ppf(0.025, 30, 61), stats.beta.ppf(0.975, 31, 60)
    assert rr == pytest.approx(0.5)
    assert lo == pytest.approx(pi_lo / (1 - pi_lo)) and hi == pytest.approx(pi_hi / (1 - pi_hi))
    assert p == pytest.approx(stats.binomtest(30, 90, 0.5).pvalue)
    assert lo < rr < hi
    naive = naive_before_after(60, 1.0, 30, 1.0)
    assert naive.estimate == pytest.approx(0.5) and naive.method == "naive_before_after"
    assert not naive_before_after(0, 1.0, 5, 1.0).evaluable


def test_eb_hand_computed_and_the_tutorial_parameterisation():
    """HSM Eq. A-5 convention: w = 1/(1 + k·Σμ). By hand: μ_b = 4 (2 years × 2), k = 0.5 → w = 1/3;
    N_EB = 4/3 + 2/3·10 = 8; π = 8 · (μ_a/μ_b = 1) = 8; Var(π) = 8 · 1 · 2/3 = 16/3; λ = 5 →
    θ = (5/8)/(1 + (16/3)/64) = 0.5769…
    Hauer et al. (2002) write the same weight as 1/(1 + μ·Y/φ) with φ = 1/k: μ·Y = 4, φ = 2 → 1/3."""
    e = eb_before_after(10, 4.0, 5, 4.0, k=0.5)
    assert e.diagnostics["eb_weight"] == pytest.approx(1 / 3, abs=1e-4)
    assert e.diagnostics["expected_without_measure"] == pytest.approx(8.0)
    theta = (5 / 8) / (1 + (16 / 3) / 64)
    assert e.estimate == pytest.approx(theta)
    var = theta**2 * (1 / 5 + (16 / 3) / 64) / (1 + (16 / 3) / 64) ** 2
    assert e.diagnostics["var_theta"] == pytest.approx(var, abs=1e-6)
    # regression to the mean, shown separately: naive expectation 10 minus the EB expectation 8
    assert e.diagnostics["regression_to_mean"] == pytest.approx(2.0)
    mu_y, phi = 4.0, 1 / 0.5
    assert 1 / (1 + mu_y / phi) == pytest.approx(e.diagnostics["eb_weight"], abs=1e-4)


def test_synthetic_control_recovers_known_weights_and_effect():
    """The treated path is an exact convex combination of donors before the start (0.6·A + 0.4·B), then
    drops by 20 %: the weights and the effect are recovered; Prop 99 data cannot be bundled offline."""
    rng = np.random.default_rng(7)
    periods = np.arange(2010, 2024)
    donors = pd.DataFrame(
        {f"D{i}": 1000 + 30 * i + rng.normal(0, 25, len(periods)).cumsum() for i in range(12)}, index=periods
    )
    treated = 0.6 * donors["D3"] + 0.4 * donors["D8"]
    treated[periods >= 2018] *= 0.8
    w = synth_weights(treated[periods < 2018].to_numpy(), donors[periods < 2018].to_numpy())
    assert w[3] == pytest.approx(0.6, abs=1e-3) and w[8] == pytest.approx(0.4, abs=1e-3)
    rates = donors.assign(T=treated)
    e = synthetic_control(rates, "T", 2018)
    assert e.estimate == pytest.approx(0.8, abs=1e-3)
    assert e.diagnostics["pre_fit_ok"] and e.diagnostics["rmspe_pre_relative"] < 1e-4
    assert e.ci_low < e.estimate < e.ci_high
    # 12 donors: too few for the rank test, the placebos' t test on 11 degrees of freedom applies
    assert e.diagnostics["inference"] == "t" and e.diagnostics["placebos"] == 12


def test_synthetic_control_poor_fit_is_flagged():
    periods = np.arange(2014, 2025)
    donors = pd.DataFrame({f"D{i}": np.full(len(periods), 100.0 + i) for i in range(8)}, index=periods)
    rates = donors.assign(T=np.where(periods % 2 == 0, 300.0, 50.0))  # far outside the donors' hull
    e = synthetic_control(rates, "T", 2020)
    assert e.diagnostics["pre_fit_ok"] is False and e.reason == "poor_pre_fit"
    assert math.isfinite(e.estimate)


def test_two_sided_normal_p_value() -> None:
    """2·(1 − Φ(|z|)): 1.96 gives 0.05, 2.5758 gives 0.01 (standard normal table)."""
    from praevention.stats.types import two_sided_p

    assert two_sided_p(1.959963984540054) == pytest.approx(0.05, abs=1e-12)
    assert two_sided_p(-2.5758293035489) == pytest.approx(0.01, abs=1e-12)
    assert two_sided_p(0.0) == 1.0
