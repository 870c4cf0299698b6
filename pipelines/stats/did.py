"""Comparison-group designs: difference-in-differences for counts.

* :func:`poisson_fe_did`: a negative-binomial GLM (log link, log-exposure offset) with unit and period
  fixed effects and a treatment dummy (treated unit × after); exp(β) is the rate ratio. The NB2
  dispersion α is estimated by the method of moments from a Poisson fit of the same model and then held
  fixed (Cameron & Trivedi 2013, *Regression Analysis of Count Data*, §3.2–3.3; Wooldridge 1999, J.
  Econometrics 90:77–97 for Poisson fixed effects). A placebo test moves the start into the before period
  (pre-trend check); a small p-value there means the parallel-trends assumption is doubtful.
* :func:`staggered_did`: group-time effects in the spirit of Callaway & Sant'Anna (2021, J. Econometrics
  225:200–230) for staggered starts: each cohort (units starting in the same period) is compared with the
  never-treated units only, on the log-rate scale, as the change from the cohort's before periods to its
  after periods minus the same change among the never-treated. Cohort effects are averaged with weights
  proportional to their after-period counts. This avoids the "forbidden comparisons" of two-way fixed
  effects with staggered starts (Goodman-Bacon 2021). Variance by the delta method with NB2 variance
  Var(Y) = μ + αμ².
* :func:`select_comparison_pool`: the comparison pool is chosen by rule, not by hand.

Assumptions: parallel trends of the log rates in the absence of the measure; no spill-over into the
comparison units; exposures (population) measured without error.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from pipelines.stats.types import Effect, not_evaluable, two_sided_p

Z95 = 1.959963984540054


def _design(data: pd.DataFrame, extra: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    units = pd.get_dummies(data["unit"], drop_first=True, dtype=float)
    periods = pd.get_dummies(data["period"], drop_first=True, dtype=float)
    x = np.column_stack([np.ones(len(data)), units.to_numpy(), periods.to_numpy(), data[extra].to_numpy(dtype=float)])
    return x, data["count"].to_numpy(dtype=float), np.log(data["exposure"].to_numpy(dtype=float))


def _fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray, alpha: float | None):
    # statsmodels takes 2 s to import; only the fits need it, not every process that loads the assets
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    family = sm.families.Poisson() if alpha is None else sm.families.NegativeBinomial(alpha=max(alpha, 1e-8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, PerfectSeparationWarning, RuntimeWarning))
        return sm.GLM(y, x, family=family, offset=offset).fit(maxiter=100)


def nb2_alpha(y: np.ndarray, mu: np.ndarray) -> float:
    """Method-of-moments NB2 dispersion: α = Σ[(y−μ)² − μ] / Σμ², floored at 0."""
    return float(max(0.0, np.sum((y - mu) ** 2 - mu) / np.sum(mu**2)))


def twoway_poisson_mu(data: pd.DataFrame, *, iterations: int = 200, tol: float = 1e-10) -> np.ndarray:
    """Fitted means of a Poisson model with unit and period effects and a log-exposure offset.

    The maximum-likelihood fit of this model matches the unit and period margins, so it is found by
    iterative proportional fitting instead of IRLS over hundreds of dummy columns.
    """
    u = pd.factorize(data["unit"])[0]
    t = pd.factorize(data["period"])[0]
    y = data["count"].to_numpy(float)
    e = data["exposure"].to_numpy(float)
    a = np.ones(u.max() + 1)
    b = np.ones(t.max() + 1)
    y_u = np.bincount(u, y, len(a))
    y_t = np.bincount(t, y, len(b))
    for _ in range(iterations):
        a_new = y_u / np.maximum(np.bincount(u, b[t] * e, len(a)), 1e-300)
        b_new = y_t / np.maximum(np.bincount(t, a_new[u] * e, len(b)), 1e-300)
        done = np.allclose(a_new, a, rtol=tol) and np.allclose(b_new, b, rtol=tol)
        a, b = a_new, b_new
        if done:
            break
    return a[u] * b[t] * e


def _fe_beta(data: pd.DataFrame, column: str) -> tuple[float, float, float]:
    x, y, off = _design(data, [column])
    alpha = nb2_alpha(y, _fit(x, y, off, None).mu)
    res = _fit(x, y, off, alpha)
    return float(res.params[-1]), float(res.bse[-1]), alpha


def poisson_fe_did(data: pd.DataFrame, *, placebo: bool = True) -> Effect:
    """Rate ratio of a measure from a unit × period panel.

    ``data`` columns: ``unit``, ``period``, ``count``, ``exposure``, ``treated`` (1 in the treated unit's
    after periods), ``treated_unit`` (1 for every period of treated units).
    """
    data = data[data["exposure"] > 0].reset_index(drop=True)
    if data["treated"].sum() == 0 or data.loc[data["treated_unit"] == 0, "unit"].nunique() < 2:
        return not_evaluable("did_poisson_fe", "no_comparison", "keine Vergleichsgruppe")
    beta, se, alpha = _fe_beta(data, "treated")
    if not math.isfinite(se) or se <= 0:
        return not_evaluable("did_poisson_fe", "not_identified", "Modell nicht schätzbar")
    diag: dict[str, object] = {
        "overdispersion_alpha": round(alpha, 5),
        "units": int(data["unit"].nunique()),
        "periods": int(data["period"].nunique()),
    }
    if placebo:
        diag.update(placebo_test(data))
    treated = data["treated_unit"] == 1
    n_before = float(data.loc[treated & (data["treated"] == 0), "count"].sum())
    n_after = float(data.loc[data["treated"] == 1, "count"].sum())
    p = two_sided_p(beta / se)
    return Effect(
        "did_poisson_fe",
        math.exp(beta),
        math.exp(beta - Z95 * se),
        math.exp(beta + Z95 * se),
        p,
        n_before,
        n_after,
        diag,
    )


def placebo_test(data: pd.DataFrame) -> dict[str, object]:
    """Pre-trend check: a fake start in the middle of the before period should show no effect."""
    first_after = data.loc[data["treated"] == 1, "period"].min()
    pre = data[data["period"] < first_after].copy()
    periods = sorted(pre["period"].unique())
    if len(periods) < 3:
        return {"pretrend_p": None, "pretrend_note": "zu wenige Vorher-Jahre für einen Vortrend-Test"}
    fake = periods[len(periods) // 2]
    pre["placebo"] = ((pre["treated_unit"] == 1) & (pre["period"] >= fake)).astype(float)
    beta, se, _ = _fe_beta(pre, "placebo")
    p = two_sided_p(beta / se) if se > 0 and math.isfinite(se) else None
    return {
        "pretrend_p": None if p is None else round(p, 4),
        "pretrend_placebo_rr": round(math.exp(beta), 4),
        "pretrend_placebo_start": int(fake) if isinstance(fake, int | np.integer) else str(fake),
    }


def _log_rate_change(g: pd.DataFrame, cohort: object, alpha: float) -> tuple[float, float, float, float]:
    pre, post = g[g["period"] < cohort], g[g["period"] >= cohort]
    y0, e0, y1, e1 = pre["count"].sum(), pre["exposure"].sum(), post["count"].sum(), post["exposure"].sum()
    if min(y0, y1) <= 0:
        return math.nan, math.inf, y0, y1
    # Var(log ΣY) ≈ (Σμ + α Σμ²) / (Σμ)² for independent NB2 cells
    var = (y0 + alpha * (pre["count"] ** 2).sum()) / y0**2 + (y1 + alpha * (post["count"] ** 2).sum()) / y1**2
    return math.log(y1 / e1) - math.log(y0 / e0), var, y0, y1


def staggered_did(data: pd.DataFrame) -> tuple[Effect, dict[object, Effect]]:
    """Overall and per-cohort rate ratios for staggered starts, against never-treated units.

    ``data`` columns: ``unit``, ``period``, ``count``, ``exposure``, ``first_treated`` (the first after
    period; NaN for never-treated units). Transition periods should be removed by the caller.
    """
    data = data[data["exposure"] > 0]
    never = data[data["first_treated"].isna()]
    if never["unit"].nunique() < 2:
        e = not_evaluable("did_staggered", "no_comparison", "keine nie behandelten Vergleichseinheiten")
        return e, {}
    alpha = nb2_alpha(never["count"].to_numpy(float), twoway_poisson_mu(never))
    cohorts: dict[object, Effect] = {}
    logs, variances, weights = [], [], []
    for g, treated in data[data["first_treated"].notna()].groupby("first_treated"):
        periods = treated["period"].unique()
        controls = never[never["period"].isin(periods)]
        lt, vt, y0, y1 = _log_rate_change(treated, g, alpha)
        lc, vc, _, _ = _log_rate_change(controls, g, alpha)
        if not (math.isfinite(lt) and math.isfinite(lc)):
            cohorts[g] = not_evaluable("did_staggered", "zero_counts", "zu wenige Fälle vorher oder nachher")
            continue
        est, var = lt - lc, vt + vc
        se = math.sqrt(var)
        pre_p = _cohort_pretrend(treated, controls, g, alpha)
        cohorts[g] = Effect(
            "did_staggered",
            math.exp(est),
            math.exp(est - Z95 * se),
            math.exp(est + Z95 * se),
            two_sided_p(est / se),
            float(y0),
            float(y1),
            {
                "cohort": _plain(g),
                "units": int(treated["unit"].nunique()),
                "controls": int(controls["unit"].nunique()),
                "overdispersion_alpha": round(alpha, 5),
                "pretrend_p": pre_p,
            },
        )
        logs.append(est)
        variances.append(var)
        weights.append(float(y1))
    if not logs:
        return not_evaluable("did_staggered", "zero_counts", "zu wenige Fälle"), cohorts
    w = np.asarray(weights) / np.sum(weights)
    est = float(np.dot(w, logs))
    se = math.sqrt(float(np.dot(w**2, variances)))
    overall = Effect(
        "did_staggered",
        math.exp(est),
        math.exp(est - Z95 * se),
        math.exp(est + Z95 * se),
        two_sided_p(est / se),
        None,
        None,
        {"cohorts": len(logs), "overdispersion_alpha": round(alpha, 5)},
    )
    return overall, cohorts


def _cohort_pretrend(treated: pd.DataFrame, controls: pd.DataFrame, g: object, alpha: float) -> float | None:
    """Placebo for one cohort: the second half of its before periods against the first half."""
    periods = sorted(p for p in treated["period"].unique() if p < g)
    if len(periods) < 3:
        return None
    fake = periods[len(periods) // 2]
    t = treated[treated["period"] < g]
    c = controls[controls["period"] < g]
    lt, vt, _, _ = _log_rate_change(t, fake, alpha)
    lc, vc, _, _ = _log_rate_change(c, fake, alpha)
    if not (math.isfinite(lt) and math.isfinite(lc)):
        return None
    return round(two_sided_p((lt - lc) / math.sqrt(vt + vc)), 4)


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def select_comparison_pool(
    candidates: pd.DataFrame, treated: str, *, k: int = 30, min_size: int = 8
) -> tuple[list[str], str]:
    """The ``k`` units most like the treated one, by rule.

    ``candidates`` columns: ``unit``, ``kreis_type`` ("Kreisfreie Stadt" / "Landkreis"), ``log_density``
    (log inhabitants per km²) and ``pre_trend`` (slope of the log rate over the before years). Only units of
    the same type qualify; among them the distance is |Δ log density| / sd + |Δ pre-trend| / sd.
    """
    c = candidates.dropna(subset=["log_density", "pre_trend"])
    me = c[c["unit"] == treated]
    if me.empty:
        return [], "keine Vergleichsgruppe (Merkmale der Einheit fehlen)"
    me = me.iloc[0]
    same = c[(c["unit"] != treated) & (c["kreis_type"] == me["kreis_type"])]
    if len(same) < min_size:
        return [], f"keine Vergleichsgruppe (nur {len(same)} Einheiten gleichen Typs)"
    sd_d = same["log_density"].std() or 1.0
    sd_t = same["pre_trend"].std() or 1.0
    dist = (same["log_density"] - me["log_density"]).abs() / sd_d + (same["pre_trend"] - me["pre_trend"]).abs() / sd_t
    chosen = same.assign(dist=dist).nsmallest(k, "dist")
    kind = {"Kreisfreie Stadt": "kreisfreie Städte", "Landkreis": "Landkreise"}.get(str(me["kreis_type"]), "Einheiten")
    text = (
        f"{len(chosen)} {kind} in Deutschland mit der ähnlichsten Bevölkerungsdichte und dem ähnlichsten "
        f"Vortrend (Dichte {math.exp(chosen['log_density'].min()):.0f}–{math.exp(chosen['log_density'].max()):.0f} EW/km²)"
    )
    return sorted(chosen["unit"].tolist()), text
