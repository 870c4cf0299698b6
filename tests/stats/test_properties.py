"""Property-based tests of the estimators: order invariance, scaling, no NaN from zero counts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from praevention.stats.did import CountPanel, did_placebo
from praevention.stats.meta import random_effects
from praevention.stats.naive import naive_before_after
from praevention.stats.rates import poisson_rate_ci, rate_ratio_exact

counts = st.integers(min_value=0, max_value=5000)
exposures = st.floats(min_value=1.0, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(counts, exposures)
def test_rate_intervals_never_nan(x, e):
    r, lo, hi = poisson_rate_ci(x, e, per=100_000)
    assert not any(math.isnan(v) for v in (float(r), float(lo), float(hi)))
    assert 0 <= lo <= r <= hi


@given(counts, counts, exposures, exposures, st.floats(min_value=0.01, max_value=1000))
def test_rate_ratio_scales_with_exposure(a, b, e1, e0, factor):
    rr, lo, hi, p = rate_ratio_exact(a, e1, b, e0)
    rr2, lo2, hi2, p2 = rate_ratio_exact(a, e1 * factor, b, e0 * factor)
    assert not math.isnan(p) and math.isclose(p, p2, rel_tol=1e-6, abs_tol=1e-12)
    if b > 0:
        assert math.isclose(rr, rr2, rel_tol=1e-9) and math.isclose(lo, lo2, rel_tol=1e-6)
        assert math.isclose(hi, hi2, rel_tol=1e-6) or (math.isinf(hi) and math.isinf(hi2))
        assert lo <= rr <= hi


@given(counts, counts)
def test_naive_with_zero_counts_is_marked_not_nan(before, after):
    e = naive_before_after(before, 1.0, after, 1.0)
    if before == 0:
        assert not e.evaluable and "keine Fälle" in e.diagnostics["reason_de"]
    else:
        assert not math.isnan(e.estimate) and e.ci_low <= e.estimate <= e.ci_high


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_did_is_invariant_to_unit_order_and_exposure_scale(seed):
    rng = np.random.default_rng(seed)
    n, years = 40, np.arange(2014, 2022)
    pop = rng.uniform(5e4, 5e5, n)
    counts = rng.poisson(0.05 * pop[:, None] * np.exp(rng.normal(0, 0.1, (n, len(years))))).astype(float)
    region = np.array([f"R{i % 4}" for i in range(n)])
    p = CountPanel(np.array([f"U{i}" for i in range(n)]), years, counts, np.repeat(pop[:, None], len(years), 1), region)
    before, after = (2014, 2015, 2016, 2017), (2019, 2020, 2021)
    base = did_placebo(p, 0, np.arange(1, n), before, after, regional=True)
    order = np.r_[0, rng.permutation(np.arange(1, n))]
    shuffled = CountPanel(p.units[order], years, counts[order], p.exposure[order], region[order])
    again = did_placebo(shuffled, 0, np.arange(1, n), before, after, regional=True)
    scaled = did_placebo(
        CountPanel(p.units, years, counts, p.exposure * 7.5, region), 0, np.arange(1, n), before, after, regional=True
    )
    for other in (again, scaled):
        assert math.isclose(base.estimate, other.estimate, rel_tol=1e-9)
        assert math.isclose(base.ci_low, other.ci_low, rel_tol=1e-9)
        assert math.isclose(base.p_value, other.p_value, rel_tol=1e-9)


@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0.05, 1.0)), min_size=2, max_size=12))
def test_meta_analysis_is_order_invariant(effects):
    y = [e[0] for e in effects]
    se = [e[1] for e in effects]
    a = random_effects(y, se)
    b = random_effects(y[::-1], se[::-1])
    assert math.isclose(a.log_estimate, b.log_estimate, rel_tol=1e-9, abs_tol=1e-12)
    assert a.tau2 >= 0 and 0 <= a.i2 <= 1
