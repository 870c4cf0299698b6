"""Comparison-group design for one treated unit: collapsed difference-in-differences with placebo inference.

* **Collapse to two periods** (Bertrand, Duflo & Mullainathan 2004, QJE 119:249–275): each unit's counts
  and exposures are summed over the before and the after years, and its change is the log rate ratio
  D_i = log((Y_a + ½)/E_a) − log((Y_b + ½)/E_b) (½: Haldane–Anscombe, so that a zero count stays
  finite). One number per unit removes the serial correlation within a unit from the inference.
* **Regional shocks.** Where units come from several Länder (Kreise across Germany), the change of the
  rest of the unit's Land is differenced out: D'_i = D_i − D_{L∖i}, computed from the sums over the other
  Kreise of the Land. A Land-wide reform, recording change or campaign then does not look like an effect
  of a local measure; the estimate is the change relative to the rest of the Land. Units whose Land has
  fewer than :data:`MIN_REGION` Kreise (Berlin, Hamburg, Bremen) have no such rest and are left out.
* **Estimate.** g_t = D'_t − mean(D'_pool): the treated unit's change beyond the comparison units'.
* **Inference.** Every comparison unit is treated in turn as if it had the measure,
  g_j = D'_j − mean(D'_{pool∖j}), and :func:`praevention.stats.placebo.placebo_inference` gives the p-value,
  the interval (test inversion, never of zero width) and the minimum detectable effect (Conley & Taber
  2011; Ferman & Pinto 2019). The variance model's common part carries 1 + 1/n for a rest of n Kreise.
* **Pre-trend check** (:func:`pretrend_window`): the same estimator on the before years alone, the first half
  against the second; a small p-value means the treated unit already drifted away before the measure.

Assumptions: without the measure the treated unit's standardised change relative to its Land would be
exchangeable with the comparison units'; no spill-over into comparison units; exposures (population)
measured consistently within a unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from praevention.stats import methods
from praevention.stats.placebo import PlaceboInference, placebo_inference
from praevention.stats.types import Effect, not_evaluable

METHOD = methods.DID
#: a region's trend is differenced out only when it has at least this many units
MIN_REGION = 3


@dataclass(frozen=True)
class CountPanel:
    """Counts and exposures of one indicator: units × years, with each unit's region (Land key, or ``""``
    when no regional trend is to be removed). Missing cells are NaN."""

    units: np.ndarray
    years: np.ndarray
    counts: np.ndarray
    exposure: np.ndarray
    region: np.ndarray

    def index(self, unit: str) -> int | None:
        hit = np.flatnonzero(self.units == unit)
        return int(hit[0]) if len(hit) else None


@dataclass(frozen=True)
class Changes:
    """Per unit: the (regionally differenced) log change, its Poisson variance, the multiplier of the
    common variance, and the counts before and after."""

    d: np.ndarray
    poisson: np.ndarray
    common: np.ndarray
    before: np.ndarray
    after: np.ndarray
    size: np.ndarray  # person-years over both periods (the population the variance model scales with)


def _sums(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    block = values[:, mask]
    return np.where(np.isnan(block).any(axis=1), np.nan, np.nansum(block, axis=1))


def changes(panel: CountPanel, before: tuple[int, ...], after: tuple[int, ...], *, regional: bool) -> Changes:
    """Collapsed log changes of every unit between ``before`` and ``after`` (NaN where a cell is missing)."""
    b, a = np.isin(panel.years, before), np.isin(panel.years, after)
    yb, ya = _sums(panel.counts, b), _sums(panel.counts, a)
    eb, ea = _sums(panel.exposure, b), _sums(panel.exposure, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.log((ya + 0.5) / ea) - np.log((yb + 0.5) / eb)
        v = 1 / (ya + 0.5) + 1 / (yb + 0.5)
    d[~(np.isfinite(d) & (ea > 0) & (eb > 0))] = np.nan
    common = np.ones_like(d)
    if regional:
        ok = ~np.isnan(d)
        regions, code = np.unique(panel.region, return_inverse=True)
        size = np.bincount(code, weights=ok, minlength=len(regions))
        usable = (size >= MIN_REGION) & (regions != "")
        total = [np.bincount(code, weights=np.where(ok, x, 0.0), minlength=len(regions)) for x in (yb, ya, eb, ea)]
        rb, ra, reb, rea = (t[code] - np.where(ok, x, 0.0) for t, x in zip(total, (yb, ya, eb, ea), strict=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            d = d - (np.log((ra + 0.5) / rea) - np.log((rb + 0.5) / reb))
            v = v + 1 / (ra + 0.5) + 1 / (rb + 0.5)
            common = 1 + 1 / (size[code] - 1)
        d[~usable[code]] = np.nan
    return Changes(d, v, common, yb, ya, eb + ea)


def placebo_estimates(ch: Changes, treated: int, pool: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(g_t, the pool's placebo estimates g_j, the usable pool indices)."""
    pool = pool[~np.isnan(ch.d[pool])]
    dp = ch.d[pool]
    n = len(dp)
    if n < 2:
        return math.nan, np.array([]), pool
    g = dp - (dp.sum() - dp) / (n - 1)
    return float(ch.d[treated] - dp.mean()), g, pool


def _infer(ch: Changes, treated: int, pool: np.ndarray) -> tuple[PlaceboInference | None, int]:
    g_t, g, used = placebo_estimates(ch, treated, pool)
    if not math.isfinite(g_t):
        return None, len(used)
    inf = placebo_inference(
        g_t,
        ch.common[treated],
        ch.poisson[treated],
        g,
        ch.common[used],
        ch.poisson[used],
        size_t=ch.size[treated],
        size=ch.size[used],
    )
    return inf, len(used)


def pretrend_window(before: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The placebo start in the middle of the before years: (first half, second half), None with < 2 years."""
    if len(before) < 2:
        return None
    half = len(before) // 2
    return before[:half], before[half:]


def did_from_changes(ch: Changes, pre: Changes | None, treated: int, pool: np.ndarray, *, regional: bool) -> Effect:
    """The design's estimate from the changes of the design periods (``ch``) and of the pre-trend
    window (``pre``, see :func:`pretrend_window`); ``treated`` and ``pool`` are row indices."""
    if math.isnan(ch.d[treated]):
        why = "keine vollständige Reihe der Einheit" + (" oder ihres Landes" if regional else "")
        return not_evaluable(METHOD, "no_data", why)
    inf, n_pool = _infer(ch, treated, pool)
    if inf is None:
        return not_evaluable(
            METHOD, "no_comparison", f"zu wenige Vergleichseinheiten ({n_pool}) für einen Placebo-Vergleich"
        )
    pre_inf = _infer(pre, treated, pool)[0] if pre is not None else None
    diag: dict[str, object] = {
        **inf.diagnostics(),
        "pool": n_pool,
        "regional_trend": regional,
        "pretrend_p": None if pre_inf is None else round(pre_inf.p_value, 4),
    }
    return Effect(
        METHOD,
        math.exp(inf.estimate),
        math.exp(inf.ci_low),
        math.exp(inf.ci_high),
        inf.p_value,
        float(ch.before[treated]),
        float(ch.after[treated]),
        diag,
        mde_80=math.exp(-inf.mde),
    )


def did_placebo(
    panel: CountPanel,
    treated: int,
    pool: np.ndarray,
    before: tuple[int, ...],
    after: tuple[int, ...],
    *,
    regional: bool,
) -> Effect:
    """Rate ratio of a measure in unit ``treated`` (row index) against the units ``pool`` (row indices)."""
    window = pretrend_window(before)
    pre = changes(panel, *window, regional=regional) if window else None
    return did_from_changes(changes(panel, before, after, regional=regional), pre, treated, pool, regional=regional)


NEIGHBOURS = methods.NEIGHBOURS


def neighbour_displacement(ch: Changes, treated: int, neighbours: list[np.ndarray], pool: np.ndarray) -> Effect:
    """Displacement check of a Kreis measure: did the neighbouring Kreise change unusually?

    For every unit, h = the mean change (relative to its Land, as in :func:`changes`) of its neighbouring
    Kreise; the treated unit's h is tested against the comparison units' h with the same placebo inference
    as the design itself. A ratio above 1 means crime in the neighbourhood rose more than around comparable
    Kreise (a hint of displacement), below 1 that it fell (a hint that benefits spread). ``neighbours[i]``
    lists the row indices of unit i's neighbours."""

    def h(i: int) -> tuple[float, ...]:
        k = neighbours[i][np.isfinite(ch.d[neighbours[i]])] if len(neighbours[i]) else neighbours[i]
        if not len(k):
            return math.nan, math.nan, math.nan, 0.0, 0.0, math.nan
        n = len(k)
        return (
            ch.d[k].mean(),
            ch.common[k].mean() / n,
            ch.poisson[k].mean() / n,
            ch.before[k].sum(),
            ch.after[k].sum(),
            ch.size[k].sum(),
        )

    stats = np.array([h(int(i)) for i in pool]).reshape(-1, 6)
    own = h(treated)
    ok = np.isfinite(stats[:, 0])
    stats = stats[ok]
    if not math.isfinite(own[0]) or len(stats) < 2:
        return not_evaluable(NEIGHBOURS, "no_neighbours", "keine Nachbarkreise mit vollständigen Reihen")
    hp = stats[:, 0]
    g = hp - (hp.sum() - hp) / (len(hp) - 1)
    inf = placebo_inference(
        own[0] - hp.mean(), own[1], own[2], g, stats[:, 1], stats[:, 2], size_t=own[5], size=stats[:, 5]
    )
    if inf is None:
        return not_evaluable(NEIGHBOURS, "no_comparison", "zu wenige Vergleichseinheiten")
    return Effect(
        NEIGHBOURS,
        math.exp(inf.estimate),
        math.exp(inf.ci_low),
        math.exp(inf.ci_high),
        inf.p_value,
        own[3],
        own[4],
        {**inf.diagnostics(), "neighbours": len(neighbours[treated])},
        mde_80=math.exp(-inf.mde),
    )
