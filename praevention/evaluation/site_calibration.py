"""Calibration of the site evaluation on real data: invented measures at places where nothing was done.

Placebo sites are circles of :data:`RADII` metres at random places of the Gemeinden with Unfallatlas points
(a Gemeinde drawn by its accidents times their density: where accidents gather, as measures do),
on the accident kinds the register targets, with random start years, away from every registered measure's
site. Each is evaluated exactly as a registered site (:class:`~praevention.evaluation.sites.SiteEvaluator`
through :func:`~praevention.evaluation.rows.run_designs`). Since none has an effect, every interval that
excludes "no change" is a false positive. Two ways of choosing the places:

* ``zufällig``: a place with at least one accident of the kind before (a site worth a measure at all);
* ``Schwerpunkte``: one of the 5 % of places with the most such accidents before – as councils choose
  (the hardest case for regression to the mean).

The ``site_calibration`` table has one row per method, indicator and way of choosing (``indicator = '*'``
and ``selection = 'alle'`` pool them), with ``method = 'headline'`` for the published procedure (Empirical
Bayes). Beside the false-positive rate and its Monte-Carlo error: ``mean_ratio`` = Σλ / Σ(λ/θ), the
accidents after over those the method expected without a measure (1 = no bias; below 1 = the method
mistakes regression to the mean for an effect).
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import shapely

from praevention.evaluation.calibration import placebo_rates
from praevention.evaluation.design import Design, periods
from praevention.evaluation.rows import run_designs
from praevention.evaluation.sites import (
    BUILT_M,
    SITE_DOMAIN,
    SITE_LEVEL,
    Places,
    Site,
    SiteEvaluator,
    SiteModels,
    site_key,
)
from praevention.stats.methods import NONE

SEED = 20261209
#: placebo sites are drawn in batches until :data:`TARGET_EVALUABLE` are evaluable, at most :data:`MAX_BATCHES`
BATCH = 500
TARGET_EVALUABLE = 300
MAX_BATCHES = 6
RADII = (100.0, 150.0, 200.0)
INDICATORS = ("acc:points_all", "acc:points_pedestrian", "acc:points_bicycle")
#: share of placebo places chosen among the places with the most accidents before
HOTSPOT_SHARE = 0.5
HOTSPOT_QUANTILE = 0.95
#: fewest evaluable placebo designs for the blocking check, and the highest false-positive rate it allows
MIN_SITE_PLACEBOS = 200
MAX_FALSE_POSITIVE_RATE = 0.07
SELECTIONS = {"random": "zufällig", "hotspot": "Schwerpunkte"}
COLUMNS = [
    "method",
    "indicator",
    "indicator_label",
    "selection",
    "n_designs",
    "n_not_evaluable",
    "false_positive_rate",
    "mc_error",
    "coverage",
    "mde_80",
    "mean_ratio",
]


def placebo_sites(
    places: Places, excluded: list[tuple[float, float, float]], *, n: int = BATCH, seed: int = SEED, first: int = 0
) -> tuple[dict[str, Site], list[Design], dict[str, str]]:
    """Placebo sites, their designs and how each was chosen (measure_id → ``random``/``hotspot``), numbered
    from ``first``."""
    rng = np.random.default_rng(seed)
    sites, designs, chosen = {}, [], {}
    if places.empty:
        return sites, designs, chosen
    # Gemeinden by accidents × accident density: places of measures are where accidents gather (towns)
    area = np.array([s.area for s in places.shapes]) / 1e6
    weights = np.array([np.sum(places.points["ags"].to_numpy() == a) for a in places.codes], dtype=float)
    weights = weights**2 / np.maximum(area, 1e-3)
    starts = {a: [s for s in range(min(ys), max(ys) + 1) if all(periods(ys, s))] for a, ys in places.years.items()}
    gemeinden = [i for i, a in enumerate(places.codes) if starts[a] and weights[i] > 0]
    if not gemeinden:
        return sites, designs, chosen
    p = weights[gemeinden] / weights[gemeinden].sum()
    candidates: dict[tuple[float, int], np.ndarray] = {}
    counted: dict[tuple[float, int, str], np.ndarray] = {}
    for i in range(first, first + n):
        radius = float(rng.choice(RADII))
        indicator = str(rng.choice(INDICATORS))
        g = int(rng.choice(gemeinden, p=p))
        ags = str(places.codes[g])
        start = int(rng.choice(starts[ags]))
        before, after = periods(places.years[ags], start)
        key = (radius, g)
        if key not in candidates:
            candidates[key] = _candidates(places, g, radius, excluded, rng)
        centres = candidates[key]
        if not len(centres):
            continue
        if (*key, indicator) not in counted:
            counted[(*key, indicator)] = places.circle_counts(centres, radius, indicator)
        counts = counted[(*key, indicator)]
        cols = [places.all_years.index(y) for y in before]
        before_n = counts[:, cols].sum(axis=1)
        hotspot = rng.random() < HOTSPOT_SHARE
        pool = before_n >= max(1.0, np.quantile(before_n, HOTSPOT_QUANTILE)) if hotspot else before_n >= 1
        if not pool.any():
            continue
        x, y = centres[rng.choice(np.flatnonzero(pool))]
        mid = f"P-{i:04d}"
        day = dt.date(start, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
        sites[mid] = Site(mid, shapely.Point(x, y).buffer(radius, 32), radius, ags, f"Umkreis von {radius:.0f} m", True)
        chosen[mid] = "hotspot" if hotspot else "random"
        designs.append(
            Design(
                measure_id=mid,
                body_id="Placebo",
                label="Placebo-Maßnahme",
                group="Placebo",
                domain=SITE_DOMAIN,
                indicator=indicator,
                unit_ags=site_key(ags, mid),
                unit_level=SITE_LEVEL,
                start=day,
                end=None,
                before=before,
                after=after,
            )
        )
    return sites, designs, chosen


def _candidates(
    places: Places, gemeinde: int, radius: float, excluded: list[tuple[float, float, float]], rng
) -> np.ndarray:
    """Centres of possible places in one Gemeinde: a randomly shifted lattice of spacing ``radius`` on road
    space, away from registered sites."""
    shape = places.shapes[gemeinde]
    minx, miny, maxx, maxy = shape.bounds
    ox, oy = rng.uniform(0, radius, 2)
    gx, gy = np.meshgrid(np.arange(minx + ox, maxx, radius), np.arange(miny + oy, maxy, radius))
    centres = np.c_[gx.ravel(), gy.ravel()]
    keep = shapely.contains_xy(shape, centres[:, 0], centres[:, 1]) & (places.within(centres, BUILT_M) > 0)
    for x, y, r in excluded:
        keep &= np.hypot(centres[:, 0] - x, centres[:, 1] - y) > radius + r
    return centres[keep]


def _summary(rows: pd.DataFrame, method: str, indicator: str, label: str, selection: str) -> dict:
    """:func:`~praevention.evaluation.calibration.placebo_rates` with the mean ratio of accidents after to those
    the method expected without a measure (1 = unbiased)."""
    ok = rows[rows["evaluable"]]
    lam = ok["n_after"].astype(float)
    stated = [json.loads(d).get("expected_without_measure") for d in ok["diagnostics"]]
    expected = np.array([s if s is not None else np.nan for s in stated], dtype=float)
    expected = np.where(np.isnan(expected), lam / ok["estimate"].astype(float), expected)
    head = {"method": method, "indicator": indicator, "indicator_label": label, "selection": selection}
    ratio = float(lam.sum() / expected.sum()) if len(ok) and expected.sum() > 0 else float("nan")
    return {**head, **placebo_rates(rows), "mean_ratio": ratio}


def calibrate_sites(
    places: Places, models: SiteModels, labels: dict[str, str], *, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``site_calibration`` table, every placebo design's rows with its ``selection``)."""
    batches, chosen = [], {}
    for b in range(MAX_BATCHES):
        sites, designs, picked = placebo_sites(places, models.excluded, seed=seed + b, first=b * BATCH)
        if not designs:
            break
        batch = run_designs(SiteEvaluator(places, sites, models), designs, labels)
        batches.append(batch)
        chosen.update(picked)
        if (batch["headline"] & batch["evaluable"]).sum() + sum(
            (r["headline"] & r["evaluable"]).sum() for r in batches[:-1]
        ) >= TARGET_EVALUABLE:
            break
    if not batches:
        return pd.DataFrame(columns=COLUMNS), pd.DataFrame()
    rows = pd.concat(batches, ignore_index=True)
    rows["selection"] = rows["measure_id"].map(chosen).map(SELECTIONS)
    groups = [("headline", rows[rows["headline"]])]
    groups += [(m, g) for m, g in rows.groupby("method") if m != NONE]
    out = []
    for method, g in groups:
        for indicator, label in [*((i, labels.get(i, i)) for i in INDICATORS), ("*", "alle Zielgrößen")]:
            part = g if indicator == "*" else g[g["indicator"] == indicator]
            for selection in [*SELECTIONS.values(), "alle"]:
                chosen_rows = part if selection == "alle" else part[part["selection"] == selection]
                if len(chosen_rows):
                    out.append(_summary(chosen_rows, method, indicator, label, selection))
    return pd.DataFrame(out, columns=COLUMNS), rows
