"""Exact intervals for Poisson rates and rate ratios.

* Rates: the exact (Garwood 1936) interval, lower = χ²(α/2; 2x)/2, upper = χ²(1−α/2; 2x+2)/2, divided by
  the exposure (Garwood, Biometrika 28:437–442; Breslow & Day 1987, vol. II, §2.2). Zero counts give a
  lower bound of 0, never NaN.
* Rate ratios: conditional on the total, the first count is binomial with
  π = e₁·RR / (e₁·RR + e₀); the Clopper–Pearson interval for π maps to RR = π/(1−π) · e₀/e₁, and the
  p-value is the exact binomial test of RR = 1 (Breslow & Day 1987, vol. II, §2.3; Rothman, Greenland &
  Lash, Modern Epidemiology, ch. 14).
* Smoothed rates for maps of small areas: Marshall's global empirical Bayes estimator (R. J. Marshall,
  "Mapping disease and mortality rates using empirical Bayes estimators", Applied Statistics 40 (1991)
  283–294), which pulls the rate of an area with few inhabitants toward the mean of all areas.
"""

from __future__ import annotations

import math

import numpy as np


def poisson_rate_ci(count, exposure, *, per: float = 1.0, alpha: float = 0.05):
    """(rate, lower, upper) per ``per`` units of exposure; vectorised over arrays.

    χ²(q; 2x)/2 is the q-quantile of Gamma(x, 1), computed as ``gammaincinv(x, q)`` (``scipy.special``
    only: ``scipy.stats`` costs another second on every process that renders rates)."""
    from scipy.special import gammaincinv  # imported here: SciPy costs time on every CLI start

    x = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    lower = np.where(x > 0, gammaincinv(np.maximum(x, 1e-300), alpha / 2), 0.0)
    upper = gammaincinv(x + 1, 1 - alpha / 2)
    return x / e * per, lower / e * per, upper / e * per


def rate_ratio_exact(
    count_1: float, exposure_1: float, count_0: float, exposure_0: float, *, alpha: float = 0.05
) -> tuple[float, float, float, float]:
    """Rate ratio (1 over 0) with its exact conditional-binomial interval and two-sided p-value."""
    from scipy import stats

    x1, x0 = round(count_1), round(count_0)
    n = x1 + x0
    if n == 0:
        return math.nan, 0.0, math.inf, 1.0
    scale = exposure_0 / exposure_1
    lo_pi = stats.beta.ppf(alpha / 2, x1, n - x1 + 1) if x1 > 0 else 0.0
    hi_pi = stats.beta.ppf(1 - alpha / 2, x1 + 1, n - x1) if x1 < n else 1.0
    rr = (x1 / exposure_1) / (x0 / exposure_0) if x0 > 0 else math.inf

    def to_rr(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    p = stats.binomtest(x1, n, exposure_1 / (exposure_1 + exposure_0)).pvalue
    return rr, to_rr(lo_pi), to_rr(hi_pi), float(p)


def eb_smoothed_rates(count, population, *, per: float = 1.0) -> np.ndarray:
    """Marshall's (1991) global empirical Bayes rates per ``per`` inhabitants; vectorised, NaN where the
    count is missing or the population not positive.

    With the pooled mean m = Σy/Σn, the population-weighted variance of the raw rates
    s² = Σ nᵢ(rᵢ − m)² / Σn and the mean population n̄, the between-area variance is estimated by the
    method of moments as A = max(0, s² − m/n̄). Each raw rate rᵢ = yᵢ/nᵢ is shrunk toward m with the
    weight Cᵢ = A / (A + m/nᵢ): θᵢ = m + Cᵢ (rᵢ − m). An area with few inhabitants (large Poisson
    variance m/nᵢ) moves far toward the mean; a large one keeps nearly its own rate. With A = 0 (no
    variation beyond chance) every area gets the mean (Marshall 1991, eq. 6–8; Bailey & Gatrell,
    *Interactive Spatial Data Analysis*, 1995, §8.3.3)."""
    y = np.asarray(count, dtype=float)
    n = np.asarray(population, dtype=float)
    valid = np.isfinite(y) & np.isfinite(n) & (n > 0)
    out = np.full(y.shape, np.nan)
    if not valid.any():
        return out
    yv, nv = y[valid], n[valid]
    m = yv.sum() / nv.sum()
    r = yv / nv
    if m <= 0:
        out[valid] = r * per
        return out
    s2 = float((nv * (r - m) ** 2).sum() / nv.sum())
    a = max(0.0, s2 - m / nv.mean())
    weight = a / (a + m / nv)
    out[valid] = (m + weight * (r - m)) * per
    return out
