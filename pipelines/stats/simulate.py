"""Seeded simulators with known truth, for testing the estimators (bias, coverage, regression to the mean).

* :func:`did_panel`: units × periods of negative-binomial counts with unit effects, common period shocks,
  a true rate ratio after the start, optionally staggered starts.
* :func:`eb_sites`: sites whose true means scatter around a safety performance function (gamma
  heterogeneity, NB2 with overdispersion k); the treated sites are selected after a bad before-period
  (the top share of before counts), which is exactly when regression to the mean misleads naive
  before/after comparisons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _nb(rng: np.random.Generator, mu: np.ndarray, alpha: float) -> np.ndarray:
    if alpha <= 0:
        return rng.poisson(mu)
    return rng.poisson(rng.gamma(1 / alpha, mu * alpha))


def did_panel(
    rng: np.random.Generator,
    *,
    n_units: int = 40,
    n_periods: int = 10,
    n_treated: int = 8,
    start: int = 6,
    true_rr: float = 0.8,
    alpha: float = 0.02,
    mean_count: float = 150.0,
    period_sd: float = 0.05,
    staggered: bool = False,
) -> pd.DataFrame:
    units = np.arange(n_units)
    exposure = rng.uniform(50_000, 300_000, n_units)
    level = np.log(mean_count / exposure.mean()) + rng.normal(0, 0.3, n_units)
    shocks = rng.normal(0, period_sd, n_periods) - 0.02 * np.arange(n_periods)
    treated_units = rng.choice(units, n_treated, replace=False)
    first = np.full(n_units, np.nan)
    first[treated_units] = rng.choice([start - 1, start, start + 1], n_treated) if staggered else start
    u, t = np.meshgrid(units, np.arange(n_periods), indexing="ij")
    treated = (~np.isnan(first[u])) & (t >= first[u])
    mu = np.exp(level[u] + shocks[t] + np.log(exposure[u]) + np.log(true_rr) * treated)
    counts = _nb(rng, mu, alpha)
    return pd.DataFrame(
        {
            "unit": u.ravel(),
            "period": t.ravel(),
            "count": counts.ravel().astype(float),
            "exposure": exposure[u].ravel(),
            "treated": treated.ravel().astype(int),
            "treated_unit": (~np.isnan(first[u])).ravel().astype(int),
            "first_treated": first[u].ravel(),
        }
    )


def eb_sites(
    rng: np.random.Generator,
    *,
    n_sites: int = 400,
    n_reference: int = 400,
    k: float = 0.4,
    years_before: int = 3,
    years_after: int = 3,
    true_theta: float = 0.8,
    treated_share: float = 0.1,
    beta: tuple[float, float] = (-6.0, 0.8),
) -> tuple[pd.DataFrame, np.ndarray]:
    """Site-year counts (site, year, count, exposure, period, reference) and the indices of treated sites.

    The first ``n_sites`` are candidates: those with the highest before counts (``treated_share``) get the
    measure. The last ``n_reference`` sites form the reference group for the SPF: same population of
    sites, never selected, never treated.
    """
    total = n_sites + n_reference
    exposure = rng.lognormal(9.0, 0.8, total)
    years = np.arange(years_before + years_after)
    year_effect = -0.03 * years
    mu = np.exp(beta[0] + beta[1] * np.log(exposure))[:, None] * np.exp(year_effect)[None, :]
    g = rng.gamma(1 / k, k, total)  # site heterogeneity around the SPF, constant over the years
    counts = rng.poisson(mu * g[:, None])
    before = counts[:n_sites, :years_before].sum(1)
    order = np.argsort(-before, kind="stable")
    treated = np.sort(order[: max(1, int(treated_share * n_sites))])
    after_mu = mu[treated][:, years_before:] * g[treated][:, None] * true_theta
    counts[np.ix_(treated, years[years_before:])] = rng.poisson(after_mu)
    s, y = np.meshgrid(np.arange(total), years, indexing="ij")
    frame = pd.DataFrame(
        {
            "site": s.ravel(),
            "year": y.ravel(),
            "count": counts.ravel().astype(float),
            "exposure": exposure[s].ravel(),
            "period": np.where(y.ravel() < years_before, "before", "after"),
            "reference": (s.ravel() >= n_sites),
        }
    )
    return frame, treated


# --------------------------------------------------------------------------- the simulation study
SCENARIOS = ("empirical_bayes", "naive_before_after")


def replicate(scenario: str, rng: np.random.Generator, true_rr: float) -> tuple[float, float, float]:
    """One replication of a scenario: (estimate, ci_low, ci_high) on the rate-ratio scale.

    ``empirical_bayes`` and ``naive_before_after`` run on the same :func:`eb_sites` draw (sites selected
    after a bad before-period), so the naive estimator meets regression to the mean exactly where Empirical
    Bayes corrects for it.
    """
    from pipelines.stats.eb import eb_sites as eb_estimate
    from pipelines.stats.eb import fit_spf
    from pipelines.stats.naive import naive_before_after

    frame, treated = eb_sites(rng, true_theta=true_rr)
    spf = fit_spf(frame[frame["reference"]])
    frame["predicted"] = spf.predict(frame["exposure"].to_numpy(), frame["year"].to_numpy())
    g = (
        frame[frame["site"].isin(treated)]
        .groupby(["site", "period"])
        .agg(o=("count", "sum"), p=("predicted", "sum"))
        .unstack()
    )
    if scenario == "naive_before_after":
        e = naive_before_after(g[("o", "before")].sum(), 3.0, g[("o", "after")].sum(), 3.0)
    else:
        sites = pd.DataFrame(
            {
                "observed_before": g[("o", "before")],
                "predicted_before": g[("p", "before")],
                "observed_after": g[("o", "after")],
                "predicted_after": g[("p", "after")],
            }
        )
        e = eb_estimate(sites, spf.k)
    return e.estimate, e.ci_low, e.ci_high


def study(scenario: str, *, reps: int = 200, true_rr: float = 0.8, seed: int = 20261125) -> dict[str, float]:
    """Mean bias of log RR and 95 % interval coverage over ``reps`` seeded replications."""
    rng = np.random.default_rng(seed)
    draws = np.array([replicate(scenario, rng, true_rr) for _ in range(reps)])
    logs = np.log(draws[:, 0])
    covered = (draws[:, 1] <= true_rr) & (true_rr <= draws[:, 2])
    return {
        "scenario": scenario,
        "reps": reps,
        "true_rr": true_rr,
        "mean_estimate": float(np.exp(logs.mean())),
        "bias_log": float(logs.mean() - np.log(true_rr)),
        "coverage": float(covered.mean()),
    }
