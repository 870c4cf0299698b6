"""Fisher-Jenks and quantile breaks: hand-computed cases and mapclassify's results on simulated data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from praevention.render.classes import fisher_jenks, quantiles


def test_fisher_jenks_finds_the_obvious_groups() -> None:
    values = np.array([31, 1, 12, 2, 3, 30, 10, 11], dtype=float)
    assert list(fisher_jenks(values, 3)) == [3, 12, 31]
    assert list(fisher_jenks(values, 1)) == [31]
    # 1, 2 | 9 beats 1 | 2, 9: squared deviations 0.5 against 24.5
    assert list(fisher_jenks(np.array([1.0, 2.0, 9.0]), 2)) == [2, 9]
    with pytest.raises(ValueError, match="k <= n"):
        fisher_jenks(values, 9)


def test_quantiles_interpolate_and_collapse_ties() -> None:
    assert list(quantiles(np.arange(1000, dtype=float), 4)) == [249.75, 499.5, 749.25, 999.0]  # mapclassify's doc
    assert list(quantiles(np.array([1.0, 1, 1, 1, 5]), 4)) == [1.0, 5.0]
    assert np.isnan(quantiles(np.array([]), 1)).all()  # a map without values: one grey class


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_equal_mapclassify_on_simulated_rates(seed: int) -> None:
    import mapclassify  # a dev dependency, for this comparison only

    rates = np.random.default_rng(seed).lognormal(6, 0.6, size=150).round(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba is not installed
        expected_fj = mapclassify.FisherJenks(rates, k=5).bins
        expected_q = mapclassify.Quantiles(rates, k=5).bins
    np.testing.assert_allclose(fisher_jenks(rates, 5), expected_fj)
    np.testing.assert_allclose(quantiles(rates, 5), expected_q)
