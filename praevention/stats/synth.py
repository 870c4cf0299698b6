"""Synthetic control (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010, JASA 105:493–505).

The treated unit's before-period path is reproduced by a convex combination of donor units, w ≥ 0,
Σw = 1, minimising the before-period squared prediction error (:func:`synth_weights`).

* **Donors.** The :data:`MAX_DONORS` comparison units whose before-period level is nearest to the treated
  unit's (Abadie 2021, JEL 59:391–425: a donor pool of similar units limits interpolation bias).
* **Effect.** The log ratio of the treated unit's mean to its synthetic twin's over the after years, minus
  the same log ratio over the before years ("demeaned" synthetic control, Ferman & Pinto 2021, Quantitative
  Economics 12:1197–1221), so that a level the donors cannot reach does not pass for an effect.
* **Fit.** The before-period RMSPE relative to the treated unit's mean; above :data:`MAX_RELATIVE_RMSPE`
  the fit is poor and the estimate is not used as a headline.
* **Inference.** Placebo-in-space (Abadie et al. 2010, §4): every donor in turn is fitted from the other
  donors (never from the treated unit) and its estimate computed the same way; the treated estimate is
  tested against these placebos and the interval is the inverted test
  (:func:`praevention.stats.placebo.placebo_inference`, standardised by the units' Poisson variances).

Assumptions: no anticipation, no spill-over to donors, the donors' weighted path would have continued to
track the treated unit without the measure.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from praevention.stats import methods
from praevention.stats.placebo import placebo_inference
from praevention.stats.types import Effect, not_evaluable

METHOD = methods.SYNTH
MAX_RELATIVE_RMSPE = 0.10
MIN_DONORS = 5
MIN_BEFORE = 4
MAX_DONORS = 30


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


def _fit_one(y: np.ndarray, donors: np.ndarray, n_before: int) -> tuple[np.ndarray, float, float]:
    """Weights, relative before-period RMSPE and the demeaned log effect of one unit."""
    w = synth_weights(y[:n_before], donors[:n_before])
    synth = donors @ w
    rel = float(np.sqrt(np.mean((y[:n_before] - synth[:n_before]) ** 2))) / float(np.mean(y[:n_before]))
    post = np.log(y[n_before:].mean() / synth[n_before:].mean())
    pre = np.log(y[:n_before].mean() / synth[:n_before].mean())
    return w, rel, float(post - pre)


def synthetic_control(
    rates: pd.DataFrame, treated: str, first_after: object, *, counts: pd.DataFrame | None = None
) -> Effect:
    """Synthetic-control rate ratio.

    ``rates``: a wide table, index = periods (sorted), columns = units, values = rates; periods before
    ``first_after`` are the before period. ``counts`` (same shape) gives the Poisson variances for the
    standardisation of the placebos; without it only the common variance is modelled.
    """
    rates = rates.sort_index().dropna(axis=1)
    rates = rates.loc[:, (rates > 0).all()]
    if treated not in rates.columns:
        return not_evaluable(METHOD, "no_data", "keine vollständige Reihe der Einheit")
    n_before = int((rates.index < first_after).sum())
    level = rates.iloc[:n_before].mean()
    donors = (level.drop(treated) - level[treated]).abs().nsmallest(MAX_DONORS).index.tolist()
    if n_before < MIN_BEFORE or len(donors) < MIN_DONORS or n_before == len(rates):
        return not_evaluable(
            METHOD,
            "too_short",
            f"zu kurze Vorher-Zeit oder zu wenige Spender ({n_before} Jahre, {len(donors)} Einheiten)",
        )
    y = rates[treated].to_numpy(float)
    d = rates[donors].to_numpy(float)
    w, rel, g_t = _fit_one(y, d, n_before)
    placebo = np.array([_fit_one(d[:, i], np.delete(d, i, axis=1), n_before)[2] for i in range(len(donors))])
    if counts is not None:
        c = counts.reindex(index=rates.index, columns=[treated, *donors]).to_numpy(float)
        v = 1 / (c[:n_before].sum(0) + 0.5) + 1 / (c[n_before:].sum(0) + 0.5)
    else:
        v = np.zeros(len(donors) + 1)
    inf = placebo_inference(g_t, 1.0, v[0], placebo, np.ones(len(donors)), v[1:])
    diag: dict[str, object] = {
        "rmspe_pre_relative": round(rel, 4),
        "pre_fit_ok": bool(rel <= MAX_RELATIVE_RMSPE),
        "donors": len(donors),
        "weights": {str(donors[i]): round(float(w[i]), 4) for i in np.argsort(-w)[:8] if w[i] > 0.005},
    }
    if inf is None:
        return not_evaluable(METHOD, "no_comparison", "zu wenige Spender für einen Placebo-Vergleich", **diag)
    own = (counts if counts is not None else rates)[treated].reindex(rates.index)
    return Effect(
        METHOD,
        math.exp(g_t),
        math.exp(inf.ci_low),
        math.exp(inf.ci_high),
        inf.p_value,
        float(own.iloc[:n_before].sum()),
        float(own.iloc[n_before:].sum()),
        {**diag, **inf.diagnostics()},
        reason=None if diag["pre_fit_ok"] else "poor_pre_fit",
        mde_80=math.exp(-inf.mde),
    )
