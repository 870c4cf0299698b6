"""Placebo-in-space inference for one treated unit, with intervals from inverting the test.

With one treated unit, model-based standard errors are wrong whenever the units' series are serially
correlated or trend apart, and clustering cannot repair that (Bertrand, Duflo & Mullainathan 2004, QJE
119:249–275). Instead the estimate ``g_t`` of the treated unit is compared with the same estimate ``g_j``
computed for every comparison unit as if it had been treated, with the same periods (Conley & Taber 2011,
REStat 93:113–125: the comparison units' placebo estimates are the null distribution). Because small units
scatter more than large ones, each placebo is standardised by a variance model fitted to the placebos
(Ferman & Pinto 2019, REStat 101:452–467: heteroskedasticity by group size),

    Var(g_j) = c_j · (σ² + τ · M̃ / M_j) + φ · v_j,    σ², τ ≥ 0, φ ≥ 1,

with ``v_j`` the Poisson variance of the unit's log change (1/count before + 1/count after), ``c_j`` a
known multiplier of the common, non-Poisson component (1, or 1 + 1/n when a regional trend of n units was
differenced out) and ``M_j`` the unit's population (M̃ their median). The term in 1/M is Ferman & Pinto's
A + B/M: the non-Poisson noise of a Kreis series grows as its population shrinks (its standard deviation
falls with population to a power of about −0.35 in the real series, −0.5 for violent crime), so a constant
σ² alone would understate the uncertainty of small Kreise and overstate that of large ones. σ², τ and φ are
fitted by non-negative least squares of g_j² − v_j on (c_j, c_j M̃/M_j, v_j); without populations the
τ term is left out.

* **Test.** z_j = g_j / s_j with s_j = √(σ² c_j + φ v_j). With at least :data:`MIN_PERMUTATION` placebos
  the p-value is the rank p = (1 + #{|z_j| ≥ |z_t|}) / (1 + J) (exact under exchangeability of the
  standardised estimates). With fewer (5 ≤ J < 19, e.g. the 15 other Länder) the placebos' scale is
  estimated and z_t is referred to a t distribution with J − 1 degrees of freedom (Donald & Lang 2007,
  REStat 89:221–233).
* **Beyond the placebos.** The rank p-value cannot fall below 1/(1 + J), however far the treated unit lies
  outside every placebo; the many tests of a report (Benjamini–Hochberg) need finer p-values than that.
  When |z_t| exceeds every |z_j|, the p-value is the smaller of 1/(1 + J) and the tail of a t distribution
  with J − 1 degrees of freedom scaled to the placebos (as in the few-placebos case): an extrapolation of the
  placebo distribution's tail, used only where the placebos themselves cannot resolve the p-value.
* **Floor.** The standardised placebos cannot be less variable than the variance model says (its Poisson
  part is the least any count has): the critical value is never below the normal one, z_{1−α/2}, and the
  p-value is the larger of the placebo p-value and the normal p-value of z_t. With a degenerate placebo
  distribution (all placebos equal) the test is therefore the model's normal test, never a test of width 0.
* **Interval.** The set of effects δ not rejected at level α: {δ : p(g_t − δ) > α}. For the permutation
  test this is g_t ± max(a_m, z_{1−α/2}) · s_t with a_m the m-th largest |z_j|, m = ⌊α (1 + J)⌋; for the
  t test g_t ± t_{J−1, 1−α/2} · max(ŝ, 1) · s_t. The interval therefore never has zero width and excludes
  0 exactly when p ≤ α.
* **Minimum detectable effect** at 80 % power (two-sided test at α, reduction): the true log effect Δ at
  which P(z < −a_m) = 0.8, i.e. Δ = s_t · (a_m + q_0.8), q_0.8 the 80 % quantile of the standardised
  placebos (Bloom 1995, Evaluation Review 19:547–556, for the MDE; its quantiles taken from the placebo
  distribution instead of the normal).

Assumptions: the treated unit's standardised estimate would, without the measure, be exchangeable with
the comparison units' (same periods, same variance model); the measure does not affect the comparison units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

ALPHA = 0.05
POWER = 0.80
#: the smallest number of placebos for which the rank test can reject at 5 % (1 / (1 + 19) = 0.05)
MIN_PERMUTATION = 19
#: fewer placebos than this give no usable reference distribution at all
MIN_PLACEBOS = 5
#: parameters of the variance model fitted to the placebos (σ², τ, φ): they cost the t test degrees of freedom
VARIANCE_PARAMETERS = 3


@dataclass(frozen=True)
class PlaceboInference:
    """Test, interval and minimum detectable effect on the log scale (exp() gives rate ratios)."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    scale: float  # s_t, the treated estimate's standard deviation under the variance model
    mde: float  # log-scale reduction detectable with 80 % power (positive number)
    n_placebos: int
    kind: str  # "permutation" or "t"
    sigma2: float
    tau: float
    phi: float

    size_median: float = math.nan  # M̃, the placebos' median person-years (the variance model's reference)

    def diagnostics(self) -> dict[str, object]:
        return {
            "placebos": self.n_placebos,
            "inference": self.kind,
            "sigma_common": round(math.sqrt(self.sigma2), 5),
            "tau_size": round(self.tau, 5),
            "phi_poisson": round(self.phi, 4),
            "scale": round(self.scale, 5),
            "size_median": None if math.isnan(self.size_median) else round(self.size_median, 1),
            "mde_factor": round(self.mde / self.scale, 4) if self.scale > 0 else None,
        }


def variance_model(
    g: np.ndarray, common: np.ndarray, poisson: np.ndarray, small: np.ndarray
) -> tuple[float, float, float]:
    """(σ², τ, φ) of Var(g_j) = c_j (σ² + τ s_j) + φ v_j from the placebo estimates, with s_j = M̃/M_j
    (zeros without populations), φ ≥ 1 (Poisson is the least)."""
    from scipy.optimize import nnls  # imported here: SciPy costs a second on every CLI start

    coef, _ = nnls(np.column_stack([common, common * small, poisson]), g**2 - poisson)
    return float(coef[0]), float(coef[1]), 1.0 + float(coef[2])


def placebo_inference(
    g_t: float,
    common_t: float,
    poisson_t: float,
    g: np.ndarray,
    common: np.ndarray,
    poisson: np.ndarray,
    *,
    size_t: float | None = None,
    size: np.ndarray | None = None,
    alpha: float = ALPHA,
    power: float = POWER,
) -> PlaceboInference | None:
    """Inference for the treated estimate ``g_t`` from the placebo estimates ``g`` (see the module).

    ``common``/``poisson`` are the variance regressors c and v of the placebos, ``common_t``/``poisson_t``
    those of the treated unit; ``size``/``size_t`` their populations (person-years), if known. Returns
    ``None`` with fewer than :data:`MIN_PLACEBOS` usable placebos.
    """
    size = np.ones_like(g) if size is None else np.asarray(size, dtype=float)
    keep = np.isfinite(g) & np.isfinite(common) & np.isfinite(poisson) & np.isfinite(size) & (size > 0)
    g, common, poisson, size = g[keep], common[keep], poisson[keep], size[keep]
    n = len(g)
    if n < MIN_PLACEBOS or not math.isfinite(g_t):
        return None
    median = math.nan
    if size_t is None or not size_t > 0:
        small, small_t = np.zeros_like(g), 0.0
    else:
        median = float(np.median(size))
        small, small_t = median / size, median / size_t
    sigma2, tau, phi = variance_model(g, common, poisson, small)
    s_t = math.sqrt(common_t * (sigma2 + tau * small_t) + phi * poisson_t)
    z = g / np.sqrt(common * (sigma2 + tau * small) + phi * poisson)
    z_t = g_t / s_t
    normal = NormalDist()
    if n >= MIN_PERMUTATION:
        a = np.sort(np.abs(z))[::-1]
        m = math.floor(alpha * (1 + n))
        crit = max(float(a[m - 1]), normal.inv_cdf(1 - alpha / 2))
        p_rank = (1 + int(np.sum(np.abs(z) >= abs(z_t)))) / (1 + n)
        if abs(z_t) > a[0]:
            p_rank = min(p_rank, _t_tail(z_t, z))
        p = max(p_rank, 2 * (1 - normal.cdf(abs(z_t))))
        q_power = max(float(np.quantile(z, power)), normal.inv_cdf(power))
        kind = "permutation"
    else:
        from scipy import stats

        scale = _scale(z)
        crit = scale * float(stats.t.ppf(1 - alpha / 2, _df(z)))
        p = _t_tail(z_t, z)
        q_power = scale * float(stats.t.ppf(power, _df(z)))
        kind = "t"
    half = crit * s_t
    return PlaceboInference(
        estimate=g_t,
        ci_low=g_t - half,
        ci_high=g_t + half,
        p_value=p,
        scale=s_t,
        mde=s_t * (crit + q_power),
        n_placebos=n,
        kind=kind,
        sigma2=sigma2,
        tau=tau,
        phi=phi,
        size_median=median,
    )


def _df(z: np.ndarray) -> int:
    """Degrees of freedom of the placebos' scale: J placebos less the variance model's fitted parameters."""
    return max(len(z) - VARIANCE_PARAMETERS, 1)


def _scale(z: np.ndarray) -> float:
    """The placebos' scale, √(Σ z_j² / (J − 3)), never below the variance model's 1."""
    return max(float(np.sqrt(np.sum(z**2) / _df(z))), 1.0)


def _t_tail(z_t: float, z: np.ndarray) -> float:
    """Two-sided p-value of z_t on a t distribution (J − 3 df) scaled to the placebos (Donald & Lang 2007)."""
    from scipy import stats

    return float(2 * stats.t.sf(abs(z_t) / _scale(z), _df(z)))


def projected_scale(diagnostics: dict, poisson: float, size: float) -> float | None:
    """The standard deviation s = √(σ² + τ M̃/M + φ v) that the variance model of a placebo inference
    (its :meth:`PlaceboInference.diagnostics`) gives a unit with Poisson variance ``poisson`` and ``size``
    person-years, without a regional trend (c = 1); ``None`` without a fitted model."""
    try:
        sigma, tau, phi = (float(diagnostics[k]) for k in ("sigma_common", "tau_size", "phi_poisson"))
    except (KeyError, TypeError):
        return None
    median = diagnostics.get("size_median")
    small = float(median) / size if median and size > 0 else 0.0
    return math.sqrt(sigma**2 + tau * small + phi * poisson)


def mde_from_se(se_log: float, *, alpha: float = ALPHA, power: float = POWER) -> float:
    """Log-scale minimum detectable reduction of a normal test with standard error ``se_log``
    (Bloom 1995: (z_{1−α/2} + z_{power}) · SE)."""
    nd = NormalDist()
    return se_log * (nd.inv_cdf(1 - alpha / 2) + nd.inv_cdf(power))
