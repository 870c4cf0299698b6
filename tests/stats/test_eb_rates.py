"""Marshall's global empirical Bayes rates: small areas with extreme raw rates move toward the mean,
large areas keep their own rate."""

from __future__ import annotations

import numpy as np

from praevention.stats.rates import eb_smoothed_rates


def test_small_extreme_area_is_shrunk_and_large_area_kept() -> None:
    rng = np.random.default_rng(1991)
    population = np.r_[rng.integers(5_000, 40_000, 200), 1_000, 500_000]
    true_rate = rng.gamma(20, 0.0005 / 20, len(population))  # mean 0,0005 with real variation between areas
    true_rate[-2], true_rate[-1] = 0.0005, 0.0008
    count = rng.poisson(true_rate * population).astype(float)
    count[-2] = 6  # a village of 1.000 with six cases: raw rate 600 per 100.000, over ten times the mean
    raw = count / population * 1e5
    smooth = eb_smoothed_rates(count, population, per=1e5)
    mean = count.sum() / population.sum() * 1e5
    assert raw[-2] > 10 * mean
    # the small area moves most of the way to the mean
    assert abs(smooth[-2] - mean) < 0.35 * abs(raw[-2] - mean)
    assert smooth[-2] < raw[-2]
    # the large area keeps its rate within 2 %
    assert abs(smooth[-1] - raw[-1]) < 0.02 * raw[-1]
    # every smoothed rate lies between its raw rate and the mean
    lo, hi = np.minimum(raw, mean), np.maximum(raw, mean)
    assert np.all((smooth >= lo - 1e-9) & (smooth <= hi + 1e-9))


def test_no_variation_beyond_chance_gives_the_mean_and_missing_stays_missing() -> None:
    population = np.array([10_000.0, 10_000.0, 10_000.0, 0.0, 5_000.0])
    count = np.array([5.0, 5.0, 5.0, 1.0, np.nan])
    smooth = eb_smoothed_rates(count, population, per=1e5)
    np.testing.assert_allclose(smooth[:3], 50.0)
    assert np.isnan(smooth[3]) and np.isnan(smooth[4])
