"""Survey estimators against worked examples, closed forms, another library's output and seeded simulations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from praevention.demo.surveys import AGE_SHARES, GENDER_SHARES, respondents, true_share
from praevention.survey.estimate import (
    aggregate_share,
    compare,
    interval,
    kish_n_effective,
    rake,
    sample_size_for,
    weighted_share,
)


def test_raking_reproduces_the_fitted_table_of_a_published_two_by_two_example() -> None:
    """Klemens, "Modeling with Data" (raking a survey table [[7, 9], [12, 7]] to the census margins rows 5/15,
    columns 10/10). Iterative proportional fitting keeps the table's cross-product ratio 49/108 (Mosteller 1968),
    so the fitted cell a solves a(5 + a)·108 = 49(5 − a)(10 − a), i.e. 59a² + 1275a − 2450 = 0."""
    cells = {(1, 1): 7, (1, 2): 9, (2, 1): 12, (2, 2): 7}
    rows = np.concatenate([[r] * n for (r, _), n in cells.items()])
    cols = np.concatenate([[c] * n for (_, c), n in cells.items()])
    result = rake(np.ones(35), {"row": rows, "col": cols}, {"row": {1: 5 / 20, 2: 15 / 20}, "col": {1: 0.5, 2: 0.5}})
    assert result.converged
    a = (-1275 + math.sqrt(1275**2 + 4 * 59 * 2450)) / (2 * 59)
    expected = {(1, 1): a, (1, 2): 5 - a, (2, 1): 10 - a, (2, 2): 5 + a}
    scale = 35 / 20  # the raked weights keep the sample's total
    for (r, c), value in expected.items():
        got = result.weights[(rows == r) & (cols == c)].sum() / scale
        assert got == pytest.approx(value, abs=1e-6)
    assert a == pytest.approx(1.7757, abs=1e-4)


def test_raking_on_one_margin_is_post_stratification_with_its_closed_form_variance() -> None:
    """One margin: the raked estimator is the post-stratified mean, whose linearised variance (with replacement)
    is n/(n−1) Σ_h (W_h/W)² Σ_{i∈h} (y_i − ȳ_h)² / n_h² (Lohr 2019, *Sampling*, §4.4; Särndal, Swensson &
    Wretman 1992, §7.6)."""
    rng = np.random.default_rng(11)
    strata = rng.choice([1, 2, 3], size=240, p=[0.5, 0.3, 0.2])
    y = (rng.random(240) < np.array([0.2, 0.45, 0.6])[strata - 1]).astype(float)
    shares = {1: 0.3, 2: 0.3, 3: 0.4}
    raked = rake(np.ones(240), {"h": strata}, {"h": shares})
    est = weighted_share(y, raked.weights, categories={"h": strata}, targets={"h": shares})
    means = {h: y[strata == h].mean() for h in shares}
    assert est.share == pytest.approx(sum(shares[h] * means[h] for h in shares))
    n = len(y)
    var = (
        n
        / (n - 1)
        * sum(shares[h] ** 2 * ((y[strata == h] - means[h]) ** 2).sum() / (strata == h).sum() ** 2 for h in shares)
    )
    assert est.se == pytest.approx(math.sqrt(var), rel=1e-9)


def test_equal_weights_give_the_binomial_variance_and_kish_n_is_n() -> None:
    y = np.array([1] * 30 + [0] * 70, dtype=float)
    est = weighted_share(y)
    assert est.share == 0.3 and est.se == pytest.approx(math.sqrt(0.3 * 0.7 / 99))
    assert est.n_effective == 100 and est.design_effect == 1
    assert kish_n_effective(np.array([1, 1, 2, 2])) == pytest.approx(36 / 10)


def test_estimates_agree_with_another_survey_library() -> None:
    """The same seeded sample through svy 0.35.0 (the maintained successor of samplics; ``Sample.weighting.rake``
    then ``estimation.prop`` with Taylor linearisation), run offline: unweighted share 0.3 with SE 0.022942;
    raked to sex 51:49 and age 30:35:35 share 0.274043 with SE 0.022719."""
    rng = np.random.default_rng(3)
    n = 400
    sex = rng.choice([1, 2], n, p=[0.65, 0.35])
    age = rng.choice([1, 2, 3], n, p=[0.2, 0.3, 0.5])
    y = (rng.random(n) < (0.2 + 0.15 * (sex == 1) + 0.1 * (age == 3))).astype(float)
    plain = weighted_share(y)
    assert plain.share == pytest.approx(0.3) and plain.se == pytest.approx(0.022942, abs=1e-6)
    cats, targets = {"sex": sex, "age": age}, {"sex": {1: 0.51, 2: 0.49}, "age": {1: 0.3, 2: 0.35, 3: 0.35}}
    raked = weighted_share(y, rake(np.ones(n), cats, targets).weights, categories=cats, targets=targets)
    assert raked.share == pytest.approx(0.274043, abs=1e-6)
    assert raked.se == pytest.approx(0.022719, rel=0.005)


def test_raking_recovers_the_population_share_with_honest_intervals_where_raw_shares_are_biased() -> None:
    """Seeded simulation: women and older people answer more often and feel less safe. Raked to the true age
    and gender margins, the share is unbiased and its 95 % interval covers the truth in about 95 % of samples;
    the unweighted share is biased upwards."""
    rng = np.random.default_rng(20261130)
    truth = true_share()
    hits, errors, raw = 0, [], []
    reps = 300
    for _ in range(reps):
        people = respondents(rng, 400, 0.0)
        y = people["SG01"].isin([3, 4]).to_numpy(dtype=float)
        cats = {"ALTER": people["ALTER"].to_numpy(), "GESCHLECHT": people["GESCHLECHT"].to_numpy()}
        targets = {"ALTER": AGE_SHARES, "GESCHLECHT": GENDER_SHARES}
        est = weighted_share(y, rake(np.ones(len(y)), cats, targets).weights, categories=cats, targets=targets)
        hits += est.ci_low <= truth <= est.ci_high
        errors.append(est.share - truth)
        raw.append(y.mean() - truth)
    assert 0.92 <= hits / reps <= 0.98
    assert abs(np.mean(errors)) < 0.005
    assert np.mean(raw) > 0.015


def test_intervals_at_the_edges_and_for_published_shares() -> None:
    lo, hi = interval(0.0, 0.0, 50)
    assert lo == 0 and hi == pytest.approx(1 - 0.025 ** (1 / 50))
    pub = aggregate_share(0.4, 400)
    assert pub.se == pytest.approx(math.sqrt(0.24 / 400)) and pub.ci_low < 0.4 < pub.ci_high
    assert aggregate_share(0.4, 400, 250).se == pytest.approx(math.sqrt(0.24 / 250))


def test_two_waves_compare_with_the_interval_of_the_difference() -> None:
    before, after = aggregate_share(0.30, 500), aggregate_share(0.22, 500)
    c = compare(before, after)
    se = math.sqrt(before.se**2 + after.se**2)
    assert c.difference == pytest.approx(-0.08)
    assert (c.diff_low, c.diff_high) == pytest.approx((-0.08 - 1.959964 * se, -0.08 + 1.959964 * se), abs=1e-6)
    assert c.ratio == pytest.approx(0.22 / 0.30) and c.ratio_low < c.ratio < c.ratio_high < 1
    assert 0 < c.p_value < 0.01 and 0 < c.mde_ratio < 1
    # answers per wave to detect a drop from 30 % to 20 %: (1.96 + 0.84)² · (0.21 + 0.16) / 0.1² ≈ 291
    assert sample_size_for(aggregate_share(0.30, 500), -0.10) == 291


def test_a_margin_no_respondent_falls_into_is_refused() -> None:
    with pytest.raises(ValueError, match="no respondent"):
        rake(np.ones(4), {"a": np.array([1, 1, 2, 2])}, {"a": {1: 0.3, 2: 0.3, 3: 0.4}})
