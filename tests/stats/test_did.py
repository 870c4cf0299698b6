"""The comparison-group design for one treated unit: collapsed changes, regional differencing, placebo
inference whose interval is the inverted test (so it agrees with the p-value and never has zero width)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praevention.stats.did import CountPanel, changes, did_placebo
from praevention.stats.placebo import MIN_PERMUTATION, placebo_inference


def panel(
    rng: np.random.Generator,
    *,
    n_units: int = 120,
    years: int = 11,
    n_regions: int = 8,
    effect: float = 1.0,
    start: int = 6,
    rho: float = 0.5,
    sd: float = 0.06,
    region_shock: float = 0.0,
) -> CountPanel:
    """Units with AR(1) log-rate noise, regional year shocks, unit 0 treated from ``start`` on; an optional
    extra shock hits every unit of unit 0's region from ``start`` on (a Land-wide reform)."""
    region = np.array([f"R{i % n_regions}" for i in range(n_units)])
    pop = rng.uniform(80_000, 600_000, n_units)
    level = np.log(0.07) + rng.normal(0, 0.25, n_units)
    shocks = {r: rng.normal(0, 0.03, years) for r in np.unique(region)}
    noise = np.zeros((n_units, years))
    noise[:, 0] = rng.normal(0, sd, n_units)
    for t in range(1, years):
        noise[:, t] = rho * noise[:, t - 1] + rng.normal(0, sd * math.sqrt(1 - rho**2), n_units)
    log_rate = level[:, None] + noise + np.array([shocks[r] for r in region])
    t = np.arange(years)
    log_rate[region == region[0]] += region_shock * (t >= start)
    log_rate[0] += math.log(effect) * (t >= start)
    counts = rng.poisson(np.exp(log_rate) * pop[:, None]).astype(float)
    return CountPanel(
        units=np.array([f"U{i:03d}" for i in range(n_units)]),
        years=2014 + t,
        counts=counts,
        exposure=np.repeat(pop[:, None], years, axis=1),
        region=region,
    )


BEFORE, AFTER = tuple(range(2014, 2019)), tuple(range(2021, 2025))


def test_recovers_a_known_effect_and_shows_it():
    rng = np.random.default_rng(20261201)
    estimates = []
    for _ in range(40):
        p = panel(rng, effect=0.7, start=6)
        e = did_placebo(p, 0, np.arange(1, len(p.units)), BEFORE, AFTER, regional=True)
        estimates.append(e.estimate)
        assert e.ci_low < e.estimate < e.ci_high
    assert float(np.exp(np.mean(np.log(estimates)))) == pytest.approx(0.7, abs=0.03)
    shown = np.mean([est < 0.82 for est in estimates])  # far beyond the noise of sd 0.06
    assert shown > 0.9


def test_no_effect_gives_calibrated_intervals_under_serial_correlation():
    """AR(1) ρ = 0.6 and one treated unit: the model-based intervals covered 72 % here; placebo inference
    must keep the 95 % promise (binomial tolerance for 300 replications)."""
    rng = np.random.default_rng(7)
    covered = []
    for _ in range(300):
        p = panel(rng, rho=0.6, n_units=60)
        treated = int(rng.integers(0, len(p.units)))
        pool = np.setdiff1d(np.arange(len(p.units)), [treated])
        e = did_placebo(p, treated, pool, BEFORE, AFTER, regional=True)
        covered.append(e.ci_low <= 1 <= e.ci_high)
    assert np.mean(covered) >= 0.92


def test_a_land_wide_shock_is_not_an_effect():
    rng = np.random.default_rng(3)
    hits, logs = 0, []
    for _ in range(40):
        p = panel(rng, region_shock=0.25, start=6)
        e = did_placebo(p, 0, np.arange(1, len(p.units)), BEFORE, AFTER, regional=True)
        hits += e.ci_high < 1 or e.ci_low > 1
        logs.append(math.log(e.estimate))
    assert abs(np.mean(logs)) < 0.03
    assert hits <= 6
    # without removing the Land's own change the same shock looks like a 28 % rise
    p = panel(np.random.default_rng(3), region_shock=0.25, start=6)
    naive_pool = did_placebo(p, 0, np.arange(1, len(p.units)), BEFORE, AFTER, regional=False)
    assert naive_pool.estimate > 1.15


def test_pretrend_check_flags_a_unit_drifting_before_the_start():
    rng = np.random.default_rng(11)
    p = panel(rng)
    drift = np.exp(0.12 * np.arange(len(p.years)))
    counts = p.counts.copy()
    counts[0] = rng.poisson(counts[0] * drift)
    drifting = CountPanel(p.units, p.years, counts, p.exposure, p.region)
    e = did_placebo(drifting, 0, np.arange(1, len(p.units)), BEFORE, AFTER, regional=True)
    assert e.diagnostics["pretrend_p"] <= 0.05


def test_missing_cells_leave_a_unit_out_and_zero_counts_stay_finite():
    p = panel(np.random.default_rng(5), n_units=40)
    counts = p.counts.copy()
    counts[3, 2] = np.nan
    counts[4] = 0.0
    ch = changes(CountPanel(p.units, p.years, counts, p.exposure, p.region), BEFORE, AFTER, regional=False)
    assert math.isnan(ch.d[3]) and math.isfinite(ch.d[4])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1, 1, allow_nan=False), min_size=5, max_size=60),
    st.floats(-1.5, 1.5, allow_nan=False),
    st.floats(0.0005, 0.05),
)
def test_interval_is_the_inverted_test(placebos, g_t, v_t):
    g = np.asarray(placebos)
    n = len(g)
    inf = placebo_inference(g_t, 1.0, v_t, g, np.ones(n), np.full(n, 0.01))
    assert inf is not None
    assert inf.ci_high - inf.ci_low > 0
    assert inf.kind == ("permutation" if n >= MIN_PERMUTATION else "t")
    excludes_zero = inf.ci_low > 0 or inf.ci_high < 0
    if abs(abs(g_t) - max(abs(g_t - inf.ci_low), abs(inf.ci_high - g_t))) > 1e-9:  # not exactly on the boundary
        assert excludes_zero == (inf.p_value <= 0.05)
    assert inf.mde > 0


def test_stadtteile_are_named_by_their_official_numbers():
    from praevention.evaluation.design import stadtteil_parts, stadtteil_unit

    assert stadtteil_unit("15003000", ["01 Altstadt", "4", "Stadtteil 12"]) == "15003000-01+04+12"
    assert stadtteil_unit("15003000", ["Altstadt"]) is None
    assert stadtteil_unit("15003", ["01"]) is None
    assert stadtteil_parts("15003000-01+04") == ["15003000-01", "15003000-04"]
