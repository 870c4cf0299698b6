"""Synthetic control (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010, JASA 105:493–505).

The treated unit's before-period outcome path (here: the rate per 100,000) is reproduced by a convex
combination of donor units, w ≥ 0, Σw = 1, minimising the before-period mean squared prediction error.
The effect is the after-period rate of the treated unit over that of its synthetic twin (a rate ratio).

* Fit: the before-period RMSPE, also relative to the treated unit's mean rate. Above
  :data:`MAX_RELATIVE_RMSPE` the fit is poor: the result says so and is not headlined.
* Inference: placebo-in-space (Abadie et al. 2010, §4): every donor in turn is treated as if it had the
  measure; the p-value is the rank of the treated unit's after/before RMSPE ratio among all units. The
  95 % interval inverts the placebo distribution of log rate ratios of donors whose own pre-fit is not
  much worse (at most 5 × the treated RMSPE), so it reflects how large "effects" arise by chance.

Assumptions: no anticipation, no spill-over to donors, the donors' weighted path would have continued
to track the treated unit without the measure (convex hull).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipelines.stats.types import Effect, not_evaluable

MAX_RELATIVE_RMSPE = 0.10
MIN_DONORS = 5
MIN_BEFORE = 4


def synth_weights(treated: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Convex weights (w ≥ 0, Σw = 1) minimising ‖treated − donors·w‖² over the before periods.

    ``treated``: shape (T,); ``donors``: shape (T, J). Solved as non-negative least squares with the
    sum-to-one constraint as a heavily weighted extra row (Lawson & Hanson 1974), then renormalised.
    """
    scale = float(np.abs(treated).mean()) or 1.0
    a, b = donors / scale, treated / scale
    penalty = 1e3 * max(1.0, float(np.sqrt(len(b))))
    from scipy.optimize import nnls  # imported here: SciPy costs a second on every CLI start

    w, _ = nnls(np.vstack([a, np.full((1, a.shape[1]), penalty)]), np.append(b, penalty), maxiter=50 * a.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(a.shape[1], 1.0 / a.shape[1])


def _fit_one(y: np.ndarray, donors: np.ndarray, n_before: int) -> tuple[np.ndarray, float, float, float]:
    w = synth_weights(y[:n_before], donors[:n_before])
    synth = donors @ w
    rmspe_pre = float(np.sqrt(np.mean((y[:n_before] - synth[:n_before]) ** 2)))
    rmspe_post = float(np.sqrt(np.mean((y[n_before:] - synth[n_before:]) ** 2)))
    log_rr = float(np.log(y[n_before:].mean() / synth[n_before:].mean()))
    return w, rmspe_pre, rmspe_post, log_rr


def synthetic_control(rates: pd.DataFrame, treated: str, first_after: object, *, placebos: bool = True) -> Effect:
    """Synthetic-control rate ratio.

    ``rates``: a wide table, index = periods (sorted), columns = units, values = rates; no gaps. Periods
    before ``first_after`` are the before period.
    """
    rates = rates.sort_index().dropna(axis=1)
    if treated not in rates.columns:
        return not_evaluable("synthetic_control", "no_data", "keine vollständige Reihe der Einheit")
    n_before = int((rates.index < first_after).sum())
    donors = [c for c in rates.columns if c != treated]
    if n_before < MIN_BEFORE or len(donors) < MIN_DONORS or n_before == len(rates):
        return not_evaluable(
            "synthetic_control",
            "too_short",
            f"zu kurze Vorher-Zeit oder zu wenige Spender ({n_before} Jahre, {len(donors)} Einheiten)",
        )
    y = rates[treated].to_numpy(float)
    d = rates[donors].to_numpy(float)
    w, pre, post, log_rr = _fit_one(y, d, n_before)
    rel = pre / float(np.mean(y[:n_before]))
    diag: dict[str, object] = {
        "rmspe_pre": round(pre, 4),
        "rmspe_pre_relative": round(rel, 4),
        "rmspe_ratio": round(post / pre, 3) if pre > 0 else None,
        "pre_fit_ok": bool(rel <= MAX_RELATIVE_RMSPE),
        "donors": len(donors),
        "weights": {str(donors[i]): round(float(w[i]), 4) for i in np.argsort(-w)[:8] if w[i] > 0.005},
    }
    p = None
    lo = hi = log_rr
    if placebos:
        ratios, placebo_logs = [], []
        all_units = [treated, *donors]
        matrix = rates[all_units].to_numpy(float)
        for i in range(1, len(all_units)):
            others = np.delete(matrix, i, axis=1)
            _, pre_i, post_i, lr_i = _fit_one(matrix[:, i], others, n_before)
            ratios.append(post_i / pre_i if pre_i > 0 else math.inf)
            if pre_i <= 5 * max(pre, 1e-12):
                placebo_logs.append(lr_i)
        mine = post / pre if pre > 0 else math.inf
        p = (1 + sum(r >= mine for r in ratios)) / (1 + len(ratios))
        if len(placebo_logs) >= 5:
            q_lo, q_hi = np.quantile(placebo_logs, [0.025, 0.975])
            lo, hi = min(log_rr, log_rr - q_hi), max(log_rr, log_rr - q_lo)
        diag["placebos"] = len(ratios)
        diag["placebos_in_interval"] = len(placebo_logs)
    t = rates[treated]
    return Effect(
        "synthetic_control",
        math.exp(log_rr),
        math.exp(lo),
        math.exp(hi),
        p,
        float(t.iloc[:n_before].sum()),
        float(t.iloc[n_before:].sum()),
        diag,
        reason=None if diag["pre_fit_ok"] else "poor_pre_fit",
    )
