"""Survey estimates with honest uncertainty: raking, weighted shares with design-based intervals, effective
sample sizes and the comparison of two waves.

* **Raking** (:func:`rake`): iterative proportional fitting of the weights to population margins (Deming &
  Stephan 1940, *Ann. Math. Statist.* 11:427–444). Respondents without a category of a margin (no answer,
  or 'divers' where the statistics know two genders) keep their weighted total; the others are fitted to
  the margin's shares of the rest. The fitted table keeps the cross-product ratios of the sample
  (Mosteller 1968), which the tests use as a worked example.
* **Variance** (:func:`weighted_share`): Taylor linearisation of the ratio estimator Σwy/Σw for one stage
  with replacement (Wolter 2007, *Introduction to Variance Estimation*, ch. 6). For raked weights the
  linearised values are replaced by their residuals from the weighted regression on the margins' category
  indicators: the calibration estimator has the variance of the generalised regression estimator (Deville &
  Särndal 1992, *JASA* 87:376–382; Lumley 2010, *Complex Surveys*, §7.4). Without raking this is the usual
  with-replacement variance of a weighted mean; with equal weights it is p(1−p)/(n−1).
* **Interval**: the logit interval of the share (as R survey's ``svyciprop(method = "logit")``); a share of
  0 or 1 gets the Clopper–Pearson interval on the effective sample size (Korn & Graubard 1998,
  *Survey Methodology* 24:193–201).
* **Effective sample size** (Kish 1965, *Survey Sampling*): n_eff = (Σw)² / Σw².
* **Published shares** (:func:`aggregate_share`): a report's share with its n (or its effective n) has the
  binomial variance p(1−p)/n_eff — for a weighted survey without a stated design effect this understates the
  uncertainty, which the outputs say.
* **Two waves** (:func:`compare`): independent samples, so the variance of the difference is the sum of the
  variances; the ratio of the shares (0.80 = a fifth fewer) has its interval on the log scale (delta
  method), its minimum detectable ratio at 80 % power, and the sample size per wave that would detect a
  given change (:func:`sample_size_for`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))
Z80 = float(stats.norm.ppf(0.80))
#: no share on fewer answers is published as a figure
MIN_ANSWERS = 30


@dataclass(frozen=True)
class RakeResult:
    weights: np.ndarray
    converged: bool
    iterations: int


def rake(
    weights: np.ndarray,
    categories: dict[str, np.ndarray],
    targets: dict[str, dict[int, float]],
    *,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> RakeResult:
    """Weights fitted to the population shares ``targets[margin][category]`` by iterative proportional fitting.

    ``categories[margin]`` holds each respondent's category (a negative value: none). A category of the
    margin without any respondent makes the margin unattainable: :class:`ValueError` names it.
    """
    w = np.asarray(weights, dtype=float).copy()
    for margin, shares in targets.items():
        cats = categories[margin]
        empty = [c for c, s in shares.items() if s > 0 and not np.any(cats == c)]
        if empty:
            raise ValueError(f"margin {margin}: no respondent in categor{'y' if len(empty) == 1 else 'ies'} {empty}")
    for iteration in range(1, max_iter + 1):
        worst = 0.0
        for margin, shares in targets.items():
            cats = categories[margin]
            known = np.isin(cats, list(shares))
            base = w[known].sum()
            total = sum(shares.values())
            for c, s in shares.items():
                mask = cats == c
                current = w[mask].sum()
                if current <= 0:
                    continue
                goal = base * s / total
                worst = max(worst, abs(current - goal) / base)
                w[mask] *= goal / current
        if worst < tol:
            return RakeResult(w, True, iteration)
    return RakeResult(w, False, max_iter)


@dataclass(frozen=True)
class ShareEstimate:
    """A share with its linearised standard error, 95 % interval, answers n and Kish's effective n."""

    share: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_effective: float

    @property
    def publishable(self) -> bool:
        return self.n >= MIN_ANSWERS

    @property
    def design_effect(self) -> float:
        return self.n / self.n_effective if self.n_effective > 0 else float("nan")


def kish_n_effective(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0


def _indicators(categories: dict[str, np.ndarray], targets: dict[str, dict[int, float]]) -> np.ndarray:
    """Columns: one indicator per category of every margin plus one for 'no category' in it."""
    cols = []
    for margin, shares in targets.items():
        cats = categories[margin]
        known = np.isin(cats, list(shares))
        cols += [(cats == c).astype(float) for c in shares]
        if not known.all():
            cols.append((~known).astype(float))
    return np.column_stack(cols) if cols else np.ones((0, 0))


def weighted_share(
    y: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    categories: dict[str, np.ndarray] | None = None,
    targets: dict[str, dict[int, float]] | None = None,
) -> ShareEstimate:
    """The weighted share of ``y`` (0/1) with its linearised variance; with ``categories`` and ``targets`` the
    weights are taken as raked to those margins (their variance accounts for the calibration)."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if n == 0:
        return ShareEstimate(float("nan"), float("nan"), float("nan"), float("nan"), 0, 0.0)
    total = w.sum()
    p = float((w * y).sum() / total)
    z = (y - p) / total
    if targets:
        x = _indicators(categories or {}, targets)
        sw = np.sqrt(w)
        beta, *_ = np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)
        z = z - x @ beta
    var = n / (n - 1) * float(((w * z) ** 2).sum()) if n > 1 else float("nan")
    se = math.sqrt(var) if var == var else float("nan")
    n_eff = kish_n_effective(w)
    lo, hi = interval(p, se, n_eff)
    return ShareEstimate(p, se, lo, hi, n, n_eff)


def interval(p: float, se: float, n_effective: float) -> tuple[float, float]:
    """95 % interval of a share: logit interval, Clopper–Pearson on the effective n at 0 and 1."""
    if not (math.isfinite(p) and n_effective > 0):
        return float("nan"), float("nan")
    if 0 < p < 1 and se > 0:
        logit = math.log(p / (1 - p))
        half = Z95 * se / (p * (1 - p))
        return _expit(logit - half), _expit(logit + half)
    x = p * n_effective
    lo = 0.0 if x <= 0 else float(stats.beta.ppf(0.025, x, n_effective - x + 1))
    hi = 1.0 if x >= n_effective else float(stats.beta.ppf(0.975, x + 1, n_effective - x))
    return lo, hi


def _expit(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def aggregate_share(share: float, n: int, n_effective: float | None = None) -> ShareEstimate:
    """A published share with its n: binomial variance on the effective n (n where none is stated)."""
    n_eff = float(n_effective) if n_effective else float(n)
    se = math.sqrt(share * (1 - share) / n_eff) if n_eff > 0 else float("nan")
    lo, hi = interval(share, se, n_eff)
    return ShareEstimate(float(share), se, lo, hi, int(n), n_eff)


@dataclass(frozen=True)
class Comparison:
    """Two waves of one share: the difference (percentage points as a fraction) and the ratio after/before,
    each with its 95 % interval; p-value of no change; minimum detectable ratio at 80 % power."""

    before: ShareEstimate
    after: ShareEstimate
    difference: float
    diff_low: float
    diff_high: float
    ratio: float
    ratio_low: float
    ratio_high: float
    p_value: float
    mde_ratio: float


def compare(before: ShareEstimate, after: ShareEstimate) -> Comparison:
    """Compare two independent waves (the variances add)."""
    d = after.share - before.share
    se_d = math.sqrt(before.se**2 + after.se**2)
    p_value = float(2 * stats.norm.sf(abs(d) / se_d)) if se_d > 0 else float("nan")
    if before.share > 0 and after.share > 0:
        ratio = after.share / before.share
        se_log = math.sqrt((before.se / before.share) ** 2 + (after.se / after.share) ** 2)
        r_lo, r_hi = ratio * math.exp(-Z95 * se_log), ratio * math.exp(Z95 * se_log)
        mde = math.exp(-(Z95 + Z80) * se_log)
    else:
        ratio = r_lo = r_hi = mde = float("nan")
    return Comparison(before, after, d, d - Z95 * se_d, d + Z95 * se_d, ratio, r_lo, r_hi, p_value, mde)


def sample_size_for(before: ShareEstimate, change: float) -> int:
    """Answers per wave that detect a change of the share by ``change`` (a fraction, e.g. −0.10) with 80 %
    power at the 5 % level, with the design effect of the ``before`` wave."""
    p1 = before.share
    p2 = min(max(p1 + change, 0.0), 1.0)
    deff = before.design_effect if math.isfinite(before.design_effect) else 1.0
    n = (Z95 + Z80) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / change**2 * max(deff, 1.0)
    return math.ceil(n)
