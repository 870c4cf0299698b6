"""Details of the comparison-group estimators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.stats import simulate
from pipelines.stats.did import _design, _fit, poisson_fe_did, select_comparison_pool, twoway_poisson_mu


def test_proportional_fitting_equals_the_poisson_glm():
    data = simulate.did_panel(np.random.default_rng(3), n_units=12, n_periods=7)
    x, y, off = _design(data, [])
    assert twoway_poisson_mu(data) == pytest.approx(_fit(x, y, off, None).mu, rel=1e-6)


def test_placebo_flags_a_pre_trend():
    rng = np.random.default_rng(11)
    data = simulate.did_panel(rng, n_units=30, n_periods=10, n_treated=6, start=7, true_rr=1.0, alpha=0.0)
    clean = poisson_fe_did(data)
    assert clean.diagnostics["pretrend_p"] > 0.01
    # treated units drift upwards by 8 % a year before the start: the placebo test must notice
    drift = data["treated_unit"] * np.exp(0.08 * data["period"])
    trended = data.assign(
        count=rng.poisson(data["count"] * np.where(data["treated_unit"] == 1, drift, 1.0)).astype(float)
    )
    assert poisson_fe_did(trended).diagnostics["pretrend_p"] < 0.01


def test_pool_rule_takes_same_type_and_nearest_density():
    cand = pd.DataFrame(
        {
            "unit": ["T", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J"],
            "kreis_type": ["Landkreis"] * 10 + ["Kreisfreie Stadt"],
            "log_density": [5.0, 5.1, 4.9, 6.5, 5.05, 3.0, 5.2, 4.8, 5.0, 7.0, 5.0],
            "pre_trend": [0.0] * 11,
        }
    )
    units, text = select_comparison_pool(cand, "T", k=4)
    assert units == sorted(["A", "B", "D", "H"])
    assert "Landkreise" in text and "J" not in units
