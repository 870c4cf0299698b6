"""Site-level crash modification factors: the HSM's worked example, the NB2 safety performance function
against statsmodels, and seeded simulations with a known truth (regression to the mean included)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from praevention.stats.comparison import comparison_group
from praevention.stats.eb import eb_before_after, eb_expected, eb_sites
from praevention.stats.nb import fit_nb2

# Highway Safety Manual (AASHTO 2010), Section 9.10, sample problem of the EB before/after evaluation:
# 13 rural two-lane segments, 5 years before and 2 after. Segment length (mi), AADT before and after, crashes.
# Data as in the R package cn838/HSM (data/X9_10_seg.RData, commit 24a611eb), whose tests state the HSM's
# results (observed 122 before and 30 after; predicted before 96.19; ΣVar 11.161; standard error of the
# safety effectiveness 13.882 %, test statistic 2.194).
HSM_9_10 = pd.DataFrame(
    {
        "length_mi": [1.114, 0.88, 0.479, 1.0, 0.459, 0.5, 0.987, 0.71, 0.88, 0.72, 0.78, 1.11, 0.92],
        "aadt_before": [8858, 11190, 11190, 6408, 6402, 6268, 6268, 5503, 5523, 5523, 5523, 5523, 5523],
        "aadt_after": [8832, 11156, 11156, 6388, 6382, 6250, 6250, 5061, 5024, 5024, 5024, 5024, 5024],
        "observed_before": [16, 6, 4, 16, 1, 5, 17, 12, 8, 3, 9, 9, 16],
        "observed_after": [2, 2, 2, 1, 1, 1, 9, 0, 0, 0, 5, 6, 1],
    }
)


def hsm_sites() -> tuple[pd.DataFrame, pd.Series]:
    """Predicted crashes from the HSM's rural two-lane SPF (N = AADT·L·365·10⁻⁶·e^−0.312 per year) and its
    overdispersion k = 0.236/L."""
    d = HSM_9_10
    per_year = 365e-6 * math.exp(-0.312) * d["length_mi"]
    sites = d.assign(predicted_before=5 * d["aadt_before"] * per_year, predicted_after=2 * d["aadt_after"] * per_year)
    return sites, 0.236 / d["length_mi"]


def test_hsm_sample_problem_9_10() -> None:
    """The pooled EB estimate of the HSM's sample problem: Σ predicted before 96.19, ΣVar 11.161, the
    unbiased odds ratio 0.695 (safety effectiveness 30.5 %) and, in the HSM's own variance convention
    (OR'² (1/N_obs + c/(1 + c)), c = ΣVar/ΣN_exp²), the published standard error 13.88 % and test statistic
    2.19. Our interval uses Hauer's (1997) variance θ²(1/λ + c)/(1 + c)², the convention pinned here."""
    sites, k = hsm_sites()
    assert sites["observed_before"].sum() == 122 and sites["observed_after"].sum() == 30
    assert sites["predicted_before"].sum() == pytest.approx(96.19, abs=0.005)
    e = eb_sites(sites, k)
    d = e.diagnostics
    assert d["var_expected"] == pytest.approx(11.161, abs=0.002)
    assert e.estimate == pytest.approx(0.6954, abs=5e-4)
    expected_after = d["expected_without_measure"]
    odds = 30 / expected_after  # OR' of HSM Eq. 9A.1-5
    c = d["var_expected"] / expected_after**2
    hsm_se = 100 * math.sqrt(odds**2 * (1 / 30 + c / (1 + c)))
    assert hsm_se == pytest.approx(13.882, abs=0.005)
    assert 100 * (1 - e.estimate) / hsm_se == pytest.approx(2.194, abs=0.002)
    hauer = e.estimate**2 * (1 / 30 + c) / (1 + c) ** 2
    assert d["var_theta"] == pytest.approx(hauer, rel=1e-4)
    assert e.ci_low < e.estimate < e.ci_high


def test_eb_expected_is_the_hsm_weighting() -> None:
    """N_EB = w·μ + (1 − w)·N with w = 1/(1 + k·μ): μ = 4, k = 0.5 → w = 1/3; N = 10 → 8."""
    expected, w = eb_expected(np.array([10.0]), np.array([4.0]), 0.5)
    assert w[0] == pytest.approx(1 / 3) and expected[0] == pytest.approx(8.0)


def test_exact_interval_covers_with_few_accidents() -> None:
    """Single sites with one to ten accidents a year and no effect: the exact gamma–Poisson interval
    contains θ = 1 in at least 95 % of 2,000 seeded draws (binomial error of that share: 0.5 points), and
    contains Hauer's θ whenever the site had an accident after."""
    rng = np.random.default_rng(20261208)
    k = 0.8
    inside, n = 0, 0
    for _ in range(2000):
        mu_b, mu_a = rng.uniform(0.5, 6), rng.uniform(0.5, 6)
        m = rng.gamma(1 / k, k)  # the site's own level relative to the SPF
        nb, na = rng.poisson(m * mu_b), rng.poisson(m * mu_a)
        e = eb_before_after(nb, mu_b, na, mu_a, k, exact=True)
        if not e.evaluable:
            continue
        n += 1
        inside += e.ci_low <= 1 <= e.ci_high
        assert e.ci_low <= e.estimate <= e.ci_high
    assert n > 1500 and inside / n >= 0.95


def test_regression_to_the_mean_is_removed_at_selected_sites() -> None:
    """Seeded simulation of the HSM's setting: sites with gamma-distributed levels around an SPF
    (log μ = −1 + 0.8·log volume, k = 0.6), three years before and after. Of 3,000 candidate sites the 5 %
    with the most accidents before get a measure with true θ = 0.6; the SPF is fitted on 3,000 reference
    sites of the same kind, chosen without looking at their accidents (NB2). Pooled by EB, the treated sites'
    interval contains 0.6 and the estimate is close to it, while the naive before/after ratio mistakes the
    regression to the mean for a larger effect. (A reference group that leaves out the sites with the most
    accidents underestimates k and μ: EB then corrects too little; the reference must not be chosen by its
    accidents.)"""
    rng = np.random.default_rng(7)

    def sites(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        volume = rng.lognormal(2.0, 0.6, n)
        level = np.exp(-1 + 0.8 * np.log(volume)) * rng.gamma(1 / 0.6, 0.6, n)
        return volume, level, rng.poisson(3 * level)

    ref_volume, ref_level, ref_before = sites(3000)
    ref_after = rng.poisson(3 * ref_level)
    volume, level, before = sites(3000)
    treated = before >= np.quantile(before, 0.95)
    after = rng.poisson(3 * level[treated] * 0.6)
    spf = fit_nb2(np.r_[ref_before, ref_after], {"log_volume": np.log(np.r_[ref_volume, ref_volume])})
    assert spf.k == pytest.approx(0.6, rel=0.2)
    predicted = spf.predict({"log_volume": np.log(volume[treated])})
    frame = pd.DataFrame(
        {
            "observed_before": before[treated],
            "predicted_before": predicted,
            "observed_after": after,
            "predicted_after": predicted,
        }
    )
    e = eb_sites(frame, spf.k)
    assert e.ci_low <= 0.6 <= e.ci_high
    naive = after.sum() / before[treated].sum()
    assert naive < 0.6 * 0.92
    assert abs(math.log(e.estimate / 0.6)) < 0.05 < abs(math.log(naive / 0.6))


def test_nb2_fit_matches_statsmodels_and_frequency_weights_match_expanded_data() -> None:
    """The weighted NB2 fit equals statsmodels' NegativeBinomial (nb2) on the same rows, and weights equal
    repeating rows."""
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, 800)
    mu = np.exp(0.3 + 0.5 * x)
    y = rng.poisson(mu * rng.gamma(2.0, 0.5, len(x)))
    ours = fit_nb2(y, {"x": x})
    ref = sm.NegativeBinomial(y, sm.add_constant(x), loglike_method="nb2").fit(disp=0)
    assert ours.params["const"] == pytest.approx(ref.params[0], abs=1e-3)
    assert ours.params["x"] == pytest.approx(ref.params[1], abs=1e-3)
    assert ours.k == pytest.approx(ref.params[2], abs=1e-3)
    small = fit_nb2(y[:50], {"x": x[:50]}, weights=np.full(50, 3.0))
    expanded = fit_nb2(np.tile(y[:50], 3), {"x": np.tile(x[:50], 3)})
    assert small.params["x"] == pytest.approx(expanded.params["x"], abs=1e-4)
    assert small.k == pytest.approx(expanded.k, abs=1e-4)
    constant = fit_nb2(y, {"x": x, "flat": np.ones_like(x)})
    assert "flat" not in constant.params  # a covariate without variation is carried by the intercept


def test_comparison_group_by_hand() -> None:
    """K = 20, L = 10 at the site; M = 400, N = 360 in the group: r_C = 0.9/(1 + 1/400) = 0.8978;
    π = 17.955, Var(π) = π²(1/20 + 1/400 + 1/360); θ = (10/π)/(1 + Var(π)/π²)."""
    e = comparison_group(20, 10, 400, 360)
    r = 0.9 / (1 + 1 / 400)
    pi = 20 * r
    c = 1 / 20 + 1 / 400 + 1 / 360
    assert e.diagnostics["expected_without_measure"] == pytest.approx(pi, abs=1e-3)
    assert e.estimate == pytest.approx((10 / pi) / (1 + c))
    assert e.ci_low < e.estimate < e.ci_high
    assert not comparison_group(0, 3, 100, 90).evaluable
