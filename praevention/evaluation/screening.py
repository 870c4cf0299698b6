"""Where to act next: network screening of accident sites (HSM 2010, Part B, ch. 4; Hauer 1997 on EB).

For every Gemeinde with Unfallatlas points, over its latest :data:`SCREEN_YEARS` covered years:

1. **Windows.** Circles of :data:`SCREEN_RADIUS_M` centred on a :data:`SCREEN_STEP_M` lattice (a sliding
   window, so that a junction is not cut by a grid line), wherever at least :data:`MIN_OBSERVED` accidents
   lie inside.
2. **Expected accidents.** The safety performance function of equal circles
   (:class:`~praevention.evaluation.sites.SiteModel`, all accidents) predicts μ from the exposure proxies;
   the EB expected count N_EB = w·μ + (1 − w)·N (w = 1/(1 + k·μ)) discounts what chance alone piled up.
3. **Excess** = N_EB − μ: the accidents a site has beyond what similar places have, with the regression to
   the mean removed (the HSM's "excess expected average crash frequency with EB adjustment").
4. **Severity weighting.** The excess per year times the site's mean accident cost (BASt rates by category,
   :mod:`praevention.evaluation.costs`); the site's category mix is shrunk towards its Gemeinde's with the
   weight of :data:`COST_PRIOR` accidents, so that one fatal accident does not decide a rank alone.
5. **Sites** are the windows with the largest excess that do not overlap (greedy, no two centres closer
   than two radii), ranked by the severity-weighted excess.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from praevention.evaluation.costs import CostRates
from praevention.evaluation.design import span
from praevention.evaluation.sites import Places, SiteModels, spf_covariates
from praevention.stats.eb import eb_expected

SCREEN_RADIUS_M = 50.0
SCREEN_STEP_M = 25.0
SCREEN_YEARS = 5
MIN_OBSERVED = 3
COST_PRIOR = 10.0
INDICATOR = "acc:points_all"
COLUMNS = [
    "ags",
    "site_id",
    "rank",
    "x",
    "y",
    "lon",
    "lat",
    "radius_m",
    "years",
    "n_years",
    "observed",
    "predicted",
    "expected_eb",
    "excess",
    "excess_per_year",
    "severity_weighted_excess",
    "cost_per_accident_eur",
    "with_killed",
    "with_seriously_injured",
    "with_slightly_injured",
    "pedestrian",
    "bicycle",
    "motorcycle",
    "price_year",
]
_TO_WGS = Transformer.from_crs(25832, 4326, always_xy=True)


def _windows(xy: np.ndarray, radius: float, step: float) -> np.ndarray:
    """Lattice points of spacing ``step`` within ``radius`` of some point of ``xy``."""
    reach = math.ceil(radius / step)
    cells = np.unique(np.floor(xy / step).astype(np.int64), axis=0)
    offsets = np.array([(i, j) for i in range(-reach, reach + 2) for j in range(-reach, reach + 2)])
    centres = np.unique((cells[:, None, :] + offsets[None, :, :]).reshape(-1, 2), axis=0) * step
    near = cKDTree(xy).query(centres, distance_upper_bound=radius)[0]
    return centres[np.isfinite(near)].astype(float)


def _non_overlapping(centres: np.ndarray, order: np.ndarray, distance: float) -> list[int]:
    """Greedy selection in ``order``: each chosen centre removes those closer than ``distance``."""
    tree = cKDTree(centres)
    taken = np.zeros(len(centres), dtype=bool)
    chosen = []
    for i in order:
        if taken[i]:
            continue
        chosen.append(int(i))
        taken[tree.query_ball_point(centres[i], distance)] = True
    return chosen


def screen_gemeinde(places: Places, models: SiteModels, ags: str, rates: CostRates) -> pd.DataFrame:
    """The ranked accident sites of one Gemeinde (columns :data:`COLUMNS`)."""
    model = models.get(SCREEN_RADIUS_M, INDICATOR, ags)
    years = places.years.get(ags, ())[-SCREEN_YEARS:]
    p = places.points
    own = (p["ags"].to_numpy() == ags) & np.isin(places.year, years)
    if model is None or own.sum() < MIN_OBSERVED:
        return pd.DataFrame(columns=COLUMNS)
    xy = places.xy[own]
    pts = p[own].reset_index(drop=True)
    centres = _windows(xy, SCREEN_RADIUS_M, SCREEN_STEP_M)
    tree = cKDTree(xy)
    observed = tree.query_ball_point(centres, SCREEN_RADIUS_M, return_length=True).astype(float)
    keep = observed >= MIN_OBSERVED
    centres, observed = centres[keep], observed[keep]
    if not len(centres):
        return pd.DataFrame(columns=COLUMNS)
    g = int(np.flatnonzero(places.codes == ags)[0])
    surround = places.surroundings(centres, SCREEN_RADIUS_M, np.full(len(centres), g))
    per_year = model.spf.predict(_covariates_for(places, surround, g, years))
    predicted = per_year.reshape(len(years), len(centres)).sum(axis=0)
    expected, _ = eb_expected(observed, predicted, model.spf.k)
    excess = expected - predicted
    chosen = _non_overlapping(centres, np.argsort(-excess, kind="stable"), 2 * SCREEN_RADIUS_M)
    gemeinde_mix = pts["category"].value_counts().to_dict()
    gemeinde_cost = rates.mean_cost({int(c): float(n) for c, n in gemeinde_mix.items()})
    rows = []
    for i in chosen:
        members = pts.iloc[tree.query_ball_point(centres[i], SCREEN_RADIUS_M)]
        n = len(members)
        own_cost = rates.mean_cost({int(c): float(k) for c, k in members["category"].value_counts().items()})
        cost = (n * own_cost + COST_PRIOR * gemeinde_cost) / (n + COST_PRIOR)
        lon, lat = _TO_WGS.transform(centres[i, 0], centres[i, 1])
        rows.append(
            {
                "ags": ags,
                "x": round(float(centres[i, 0]), 1),
                "y": round(float(centres[i, 1]), 1),
                "lon": round(float(lon), 6),
                "lat": round(float(lat), 6),
                "radius_m": SCREEN_RADIUS_M,
                "years": span(years),
                "n_years": len(years),
                "observed": int(observed[i]),
                "predicted": float(predicted[i]),
                "expected_eb": float(expected[i]),
                "excess": float(excess[i]),
                "excess_per_year": float(excess[i]) / len(years),
                "severity_weighted_excess": float(excess[i]) / len(years) * cost,
                "cost_per_accident_eur": cost,
                "with_killed": int((members["category"] == 1).sum()),
                "with_seriously_injured": int((members["category"] == 2).sum()),
                "with_slightly_injured": int((members["category"] == 3).sum()),
                "pedestrian": int(members["is_pedestrian"].sum()),
                "bicycle": int(members["is_bicycle"].sum()),
                "motorcycle": int(members["is_motorcycle"].sum()),
                "price_year": rates.price_year,
            }
        )
    out = pd.DataFrame(rows).sort_values(["severity_weighted_excess", "observed"], ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    out["site_id"] = [f"{ags}-S{r:03d}" for r in out["rank"]]
    return out[COLUMNS].reset_index(drop=True)


def _covariates_for(places: Places, surround: np.ndarray, gemeinde: int, years: tuple[int, ...]) -> dict:
    """The SPF's covariates of every window in every year (years × windows, year-major)."""
    n = len(surround)
    return spf_covariates(
        places, np.tile(surround, (len(years), 1)), np.full(n * len(years), gemeinde), np.repeat(np.array(years), n)
    )


def screen(places: Places, models: SiteModels, rates: CostRates) -> pd.DataFrame:
    """``accident_screening``: the ranked sites of every Gemeinde with Unfallatlas points."""
    parts = [screen_gemeinde(places, models, str(a), rates) for a in places.codes]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
