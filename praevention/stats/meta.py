"""Random-effects meta-analysis of log rate ratios: what measures of one type do on average.

* DerSimonian & Laird (1986, Controlled Clinical Trials 7:177–188): method-of-moments τ².
* REML (Viechtbauer 2005, J. Educ. Behav. Stat. 30:261–293): Fisher scoring on the restricted likelihood.
* Heterogeneity: Cochran's Q and I² = max(0, (Q − (k − 1)) / Q) (Higgins & Thompson 2002).
* Small k: the Hartung–Knapp–Sidik–Jonkman interval (Hartung & Knapp 2001, Stat. Med. 20:3875–3889;
  Sidik & Jonkman 2002, Stat. Med. 21:3153–3159): SE² = q / Σ w* with q = Σ w*(y − μ)² / (k − 1), and the
  t distribution on k − 1 degrees of freedom instead of the normal (``hksj=True``). With few and similar
  estimates q can fall below 1 and the interval below the plain random-effects one; the modified
  Knapp–Hartung interval (Knapp & Hartung 2003; Röver, Knapp & Friede 2015, BMC Med. Res. Methodol. 15:99)
  uses max(1, q), so that it is never narrower (``modified=True``).
* Prediction interval (Higgins, Thompson & Spiegelhalter 2009, J. R. Stat. Soc. A 172:137–159; IntHout,
  Ioannidis, Rovers & Goeman 2016, BMJ Open 6:e010247): where the true effect of a new measure of the same
  kind is expected to lie, μ ± t_{k−2, 0.975} √(τ² + SE²); it needs k ≥ 3 (NaN otherwise).
* Minimum detectable pooled effect at 80 % power: (t_{k−1, 0.975} + t_{k−1, 0.80}) · SE (Bloom 1995, with
  the t quantiles of the interval).

Checked against the BCG vaccine trials (Colditz et al. 1994; `dat.bcg` in R metafor): DL gives
μ = −0.7141 (RR 0.4896) and τ² = 0.3088; REML μ = −0.7145 and τ² = 0.3132; REML with the
Knapp–Hartung adjustment SE 0.1808 and the interval −1.1084 to −0.3206 (metafor's README,
``rma(yi, vi, data=dat, test="knha")``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from praevention.stats.types import Z95, two_sided_p


@dataclass(frozen=True)
class MetaResult:
    method: str
    k: int
    estimate: float  # pooled rate ratio
    ci_low: float
    ci_high: float
    log_estimate: float
    se: float
    tau2: float
    i2: float
    q: float
    p_value: float
    forest: pd.DataFrame
    pi_low: float = math.nan  # prediction interval (rate ratios)
    pi_high: float = math.nan
    mde_80: float = math.nan  # minimum detectable pooled effect (rate ratio: 0.85 = a 15 % reduction)


def random_effects(
    log_rr, se, labels=None, *, method: str = "DL", hksj: bool = False, modified: bool = False, max_iter: int = 200
) -> MetaResult:
    y = np.asarray(log_rr, dtype=float)
    v = np.asarray(se, dtype=float) ** 2
    k = len(y)
    w = 1 / v
    mu_fe = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - mu_fe) ** 2))
    if method == "DL":
        c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
        tau2 = max(0.0, (q - (k - 1)) / c) if k > 1 else 0.0
    elif method == "REML":
        tau2 = max(0.0, (q - (k - 1)) / float(np.sum(w) - np.sum(w**2) / np.sum(w))) if k > 1 else 0.0
        for _ in range(max_iter):
            ws = 1 / (v + tau2)
            mu = np.sum(ws * y) / np.sum(ws)
            new = max(0.0, float(np.sum(ws**2 * ((y - mu) ** 2 - v)) / np.sum(ws**2) + 1 / np.sum(ws)))
            if abs(new - tau2) < 1e-10:
                tau2 = new
                break
            tau2 = new
    else:
        raise ValueError(f"unknown method {method!r}: DL or REML")
    ws = 1 / (v + tau2)
    mu = float(np.sum(ws * y) / np.sum(ws))
    se_mu = math.sqrt(1 / float(np.sum(ws)))
    crit, p = Z95, two_sided_p(mu / se_mu)
    power = NormalDist().inv_cdf(0.8)
    from scipy import stats

    if hksj and k > 1:
        q_hk = float(np.sum(ws * (y - mu) ** 2)) / (k - 1)
        se_mu = math.sqrt((max(1.0, q_hk) if modified else q_hk) / float(np.sum(ws)))
        crit = float(stats.t.ppf(0.975, k - 1))
        power = float(stats.t.ppf(0.8, k - 1))
        p = float(2 * stats.t.sf(abs(mu / se_mu), k - 1)) if se_mu > 0 else 1.0
    pi_low = pi_high = math.nan
    if k >= 3:
        half = float(stats.t.ppf(0.975, k - 2)) * math.sqrt(tau2 + se_mu**2)
        pi_low, pi_high = math.exp(mu - half), math.exp(mu + half)
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    forest = pd.DataFrame(
        {
            "label": list(labels) if labels is not None else [str(i + 1) for i in range(k)],
            "estimate": np.exp(y),
            "ci_low": np.exp(y - Z95 * np.sqrt(v)),
            "ci_high": np.exp(y + Z95 * np.sqrt(v)),
            "weight": ws / ws.sum(),
        }
    )
    return MetaResult(
        method,
        k,
        math.exp(mu),
        math.exp(mu - crit * se_mu),
        math.exp(mu + crit * se_mu),
        mu,
        se_mu,
        tau2,
        i2,
        q,
        p,
        forest,
        pi_low,
        pi_high,
        math.exp(-(crit + power) * se_mu),
    )
