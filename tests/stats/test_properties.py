"""Property-based tests of the estimators: order invariance, scaling, no NaN from zero counts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.stats import simulate
from pipelines.stats.did import poisson_fe_did, staggered_did
from pipelines.stats.meta import random_effects
from pipelines.stats.naive import naive_before_after
from pipelines.stats.rates import poisson_rate_ci, rate_ratio_exact
from pipelines.stats.verdict import verdict_de

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
        assert not e.evaluable and "keine Fälle" in verdict_de(e, indicator="x", event="y")
    else:
        assert not math.isnan(e.estimate) and e.ci_low <= e.estimate <= e.ci_high


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_did_is_invariant_to_row_order_and_exposure_scale(seed):
    rng = np.random.default_rng(seed)
    data = simulate.did_panel(rng, n_units=15, n_periods=6, n_treated=3, start=3)
    base = poisson_fe_did(data, placebo=False)
    shuffled = poisson_fe_did(data.sample(frac=1.0, random_state=seed).reset_index(drop=True), placebo=False)
    scaled = poisson_fe_did(data.assign(exposure=data["exposure"] * 7.5), placebo=False)
    assert math.isclose(base.estimate, shuffled.estimate, rel_tol=1e-6)
    assert math.isclose(base.estimate, scaled.estimate, rel_tol=1e-6)
    overall, _ = staggered_did(data.assign(first_treated=np.where(data["treated_unit"] == 1, 3.0, np.nan)))
    again, _ = staggered_did(
        data.sample(frac=1.0, random_state=1).assign(
            first_treated=lambda d: np.where(d["treated_unit"] == 1, 3.0, np.nan)
        )
    )
    assert math.isclose(overall.estimate, again.estimate, rel_tol=1e-9)


@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0.05, 1.0)), min_size=2, max_size=12))
def test_meta_analysis_is_order_invariant(effects):
    y = [e[0] for e in effects]
    se = [e[1] for e in effects]
    a = random_effects(y, se)
    b = random_effects(y[::-1], se[::-1])
    assert math.isclose(a.log_estimate, b.log_estimate, rel_tol=1e-9, abs_tol=1e-12)
    assert a.tau2 >= 0 and 0 <= a.i2 <= 1
