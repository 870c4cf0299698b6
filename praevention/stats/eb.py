"""Empirical Bayes before/after evaluation for accidents (Hauer 1997, *Observational Before-After
Studies in Road Safety*; Hauer, Harwood, Council & Griffith 2002, TRR 1784:126–131; AASHTO Highway
Safety Manual 2010, Part C and Appendix A).

A safety performance function (SPF), a negative-binomial regression fitted on a reference group of
comparable untreated units, predicts each unit's expected count μ from its exposure (population) and
the year. The EB estimate combines that prediction with the unit's own count, weighting by how much
the units scatter around the SPF, and so corrects for regression to the mean:

* weight (HSM Eq. A-5, the convention pinned here): w = 1 / (1 + k · Σμ_before), with k the NB2
  overdispersion of the SPF and Σμ over the before years of the site;
* EB expected before: N_EB = w · Σμ_before + (1 − w) · N_before;
* expected after without the measure: π = N_EB · Σμ_after / Σμ_before, with Var(π) = π · (Σμ_after/Σμ_before) · (1 − w);
* index of effectiveness (Hauer 1997, ch. 6): θ = (λ/π) / (1 + Var(π)/π²), λ = observed after;
  Var(θ) = θ² (1/λ + Var(π)/π²) / (1 + Var(π)/π²)².

Several sites (or years) are combined by summing λ, π and Var(π) before forming θ (HSM 2010, Eq. 9A.1-7 to
9A.1-11, where k may differ between sites). The regression to the mean is shown separately: the naive
expectation N_before · Σμ_after/Σμ_before minus π.

For single sites with a handful of accidents the log-normal interval from Var(θ) is too narrow; with
``exact=True`` the interval and p-value come from the distribution of λ itself. Given the data before, the
expected count without the measure is gamma distributed with mean π and variance Var(π) (for one site
exactly: shape 1/k + N_before, the EB posterior), so λ is negative binomial with size π²/Var(π) and mean
θ·π; the 95 % interval is the set of θ whose two one-sided tail probabilities at λ both exceed 2.5 %
(the Clopper–Pearson construction, applied to the gamma–Poisson distribution; Hauer 1997, ch. 8 on the
posterior of the expected count). Sums of sites are matched to one gamma by their mean and variance.

The 2002 tutorial writes the weight for one site-year as w = 1 / (1 + μ·Y/φ) with φ = 1/k the
"overdispersion parameter" per unit length and Y the years: for one site this is the same weight, a
different parameterisation (checked in the tests).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from praevention.stats.methods import EB
from praevention.stats.placebo import mde_from_se
from praevention.stats.types import Z95, Effect, not_evaluable, two_sided_p

#: one-sided tail of a two-sided 95 % interval
Z_TAIL = 0.025


@dataclass(frozen=True)
class SPF:
    """log μ = β₀ + β₁ log(exposure) + year effects; ``k`` the NB2 overdispersion."""

    params: dict[str, float]
    k: float
    n: int

    def predict(self, exposure: np.ndarray, year: np.ndarray) -> np.ndarray:
        eff = np.array([self.params.get(f"year_{int(y)}", 0.0) for y in year])
        return np.exp(self.params["const"] + self.params["log_exposure"] * np.log(exposure) + eff)


def fit_spf(reference: pd.DataFrame) -> SPF:
    """Fit the SPF by maximum likelihood (NB2) on ``reference`` columns ``count``, ``exposure``, ``year``."""
    # statsmodels takes 2 s to import; only the fit needs it, not every process that loads the assets
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    ref = reference[(reference["exposure"] > 0) & reference["count"].notna()]
    years = sorted(ref["year"].unique())
    x = pd.DataFrame({"const": 1.0, "log_exposure": np.log(ref["exposure"].to_numpy(float))}, index=ref.index)
    for y in years[1:]:
        x[f"year_{int(y)}"] = (ref["year"] == y).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, RuntimeWarning))
        model = sm.NegativeBinomial(ref["count"].to_numpy(float), x, loglike_method="nb2")
        res = model.fit(disp=0, maxiter=200, method="bfgs")
    params = {k: float(v) for k, v in res.params.items() if k != "alpha"}
    return SPF(params, float(res.params["alpha"]), len(ref))


def eb_before_after(
    observed_before: float,
    predicted_before: float,
    observed_after: float,
    predicted_after: float,
    k: float,
    *,
    exact: bool = False,
) -> Effect:
    """EB index of effectiveness for one site (or several, with the μ and counts summed)."""
    if predicted_before <= 0 or predicted_after <= 0:
        return not_evaluable(EB, "no_prediction", "keine Vorhersage der Unfallzahl")
    w = 1.0 / (1.0 + k * predicted_before)
    n_eb = w * predicted_before + (1 - w) * observed_before
    ratio = predicted_after / predicted_before
    pi = n_eb * ratio
    var_pi = pi * ratio * (1 - w)
    return _theta(observed_before, observed_after, pi, var_pi, ratio, w, exact=exact)


def eb_expected(observed: np.ndarray, predicted: np.ndarray, k: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EB expected count and its weight (HSM 2010, Part C, Eq. A-4/A-5): w = 1/(1 + k·μ), N_EB = w·μ + (1 − w)·N."""
    w = 1.0 / (1.0 + np.asarray(k, dtype=float) * np.asarray(predicted, dtype=float))
    return w * predicted + (1 - w) * np.asarray(observed, dtype=float), w


def eb_sites(sites: pd.DataFrame, k: float | pd.Series, *, exact: bool = False) -> Effect:
    """Combine sites: columns ``observed_before``, ``predicted_before``, ``observed_after``, ``predicted_after``;
    ``k`` one overdispersion for all sites or one per site (HSM's k/L for segments of different length)."""
    w = 1.0 / (1.0 + k * sites["predicted_before"])
    n_eb = w * sites["predicted_before"] + (1 - w) * sites["observed_before"]
    ratio = sites["predicted_after"] / sites["predicted_before"]
    pi = n_eb * ratio
    var_pi = pi * ratio * (1 - w)
    naive_ratio = (
        float((sites["observed_before"] * ratio).sum() / sites["observed_before"].sum())
        if sites["observed_before"].sum()
        else ratio.mean()
    )
    return _theta(
        float(sites["observed_before"].sum()),
        float(sites["observed_after"].sum()),
        float(pi.sum()),
        float(var_pi.sum()),
        naive_ratio,
        float(w.mean()),
        exact=exact,
    )


def hauer_theta(lam: float, pi: float, var_pi: float) -> tuple[float, float]:
    """Hauer's (1997, ch. 6) index of effectiveness θ = (λ/π)/(1 + Var(π)/π²), corrected for the bias of a
    ratio, and its variance θ²(1/λ + Var(π)/π²)/(1 + Var(π)/π²)² (λ Poisson: Var(λ) = λ)."""
    c = var_pi / pi**2
    theta = (lam / pi) / (1 + c)
    return theta, theta**2 * (1 / lam + c) / (1 + c) ** 2


def gamma_poisson_interval(lam: int, size: float, mean: float) -> tuple[float, float, float]:
    """Exact 95 % interval of θ and the two-sided p-value of θ = 1, for λ ~ NB(size, mean θ·``mean``)."""
    from scipy import optimize, stats

    def p_of(theta: float) -> float:
        return size / (size + theta * mean)

    def root(f) -> float:
        hi = 1.0
        while f(hi) < 0:
            hi *= 4
        lo = 1.0
        while f(lo) > 0:
            lo /= 4
        return optimize.brentq(f, lo, hi, xtol=1e-10)

    low = root(lambda t: stats.nbinom.sf(lam - 1, size, p_of(t)) - Z_TAIL)
    high = root(lambda t: Z_TAIL - stats.nbinom.cdf(lam, size, p_of(t)))
    tails = stats.nbinom.cdf(lam, size, p_of(1.0)), stats.nbinom.sf(lam - 1, size, p_of(1.0))
    return low, high, float(min(1.0, 2 * min(tails)))


def _theta(
    n_before: float, lam: float, pi: float, var_pi: float, ratio: float, w: float, *, exact: bool = False
) -> Effect:
    if pi <= 0 or lam <= 0:
        reason_de = (
            f"nach Beginn kein Unfall am Ort (ohne Maßnahme erwartet: {pi:.1f}); ein Verhältnis lässt sich daraus "
            "nicht schätzen".replace(".", ",")
            if exact and pi > 0
            else "zu wenige Unfälle für eine Schätzung"
        )
        return not_evaluable(EB, "zero_counts", reason_de, expected_without_measure=round(pi, 3))
    c = var_pi / pi**2
    theta, var_theta = hauer_theta(lam, pi, var_pi)
    se_log = math.sqrt(var_theta) / theta
    naive_expected = n_before * ratio
    diag = {
        "expected_without_measure": round(pi, 3),
        "var_expected": round(var_pi, 3),
        "eb_weight": round(w, 4),
        "theta": round(theta, 4),
        "var_theta": round(var_theta, 6),
        "naive_expected": round(naive_expected, 3),
        "regression_to_mean": round(naive_expected - pi, 3),
        "regression_to_mean_share": round((naive_expected - pi) / naive_expected, 4) if naive_expected else None,
    }
    if exact:
        low, high, p = gamma_poisson_interval(round(lam), pi**2 / var_pi if var_pi > 0 else 1e9, pi)
        diag["interval"] = "exakt (Gamma-Poisson)"
        # at θ = 1 the standard error of log θ is about √(1/π + Var(π)/π²): the power of the design
        mde = math.exp(-mde_from_se(math.sqrt(1 / pi + c)))
    else:
        low, high = theta * math.exp(-Z95 * se_log), theta * math.exp(Z95 * se_log)
        p = two_sided_p(math.log(theta) / se_log)
        mde = math.exp(-mde_from_se(se_log))
    return Effect(EB, theta, low, high, p, n_before, lam, diag, mde_80=mde)
