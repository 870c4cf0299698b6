"""Road safety at a place on a small seeded town: the site evaluation counts years as present (a missing
year is a gap), the screening finds a planted hotspot, and the BASt cost rates and their price adjustment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import shapely

from praevention.evaluation.costs import investment, prevented_per_year, rates
from praevention.evaluation.design import Design, periods
from praevention.evaluation.screening import screen
from praevention.evaluation.sites import (
    SITE_DOMAIN,
    SITE_LEVEL,
    Places,
    Site,
    SiteEvaluator,
    SiteModels,
    exclusions,
    site_key,
)
from praevention.stats.methods import EB

AGS = "99001000"
YEARS = (2018, 2019, 2020, 2022, 2023, 2024)  # 2021 missing, as Magdeburg's
SITE = (5_000.0, 5_000.0)
HOTSPOT = (2_000.0, 8_000.0)


def _town(seed: int = 3) -> Places:
    """A 10 km × 10 km Gemeinde: accidents at 400 junctions with gamma levels, a hotspot of 20 a year, and a
    site of 6 a year whose accidents halve after 2021."""
    rng = np.random.default_rng(seed)
    junctions = rng.uniform(300, 9_700, (400, 2))
    levels = rng.gamma(1.0, 0.5, 400)
    rows = []
    for year in YEARS:
        for (x, y), rate in [*zip(map(tuple, junctions), levels, strict=True), (HOTSPOT, 20.0), (SITE, 6.0)]:
            if (x, y) == SITE and year > 2021:
                rate *= 0.5
            n = rng.poisson(rate)
            for _ in range(n):
                rows.append(
                    {
                        "ags": AGS,
                        "year": year,
                        "category": int(rng.choice([1, 2, 3], p=[0.02, 0.2, 0.78])),
                        "x_25832": x + rng.normal(0, 8),
                        "y_25832": y + rng.normal(0, 8),
                        "is_pedestrian": int(rng.random() < 0.2),
                        "is_bicycle": int(rng.random() < 0.3),
                        "is_motorcycle": int(rng.random() < 0.05),
                    }
                )
    points = pd.DataFrame(rows)
    square = shapely.box(0, 0, 10_000, 10_000)
    gemeinden = pd.DataFrame({"ags": [AGS], "area_km2": [100.0], "wkb": [shapely.to_wkb(square)]})
    return Places(points, gemeinden, {AGS: YEARS}, {AGS: 50_000})


@pytest.fixture(scope="module")
def town() -> Places:
    return _town()


def _site_design(start: dt.date) -> Design:
    before, after = periods(YEARS, start.year)
    return Design(
        measure_id="M1",
        body_id="B1",
        label="Querungshilfe",
        group="Verkehr",
        domain=SITE_DOMAIN,
        indicator="acc:points_all",
        unit_ags=site_key(AGS, "M1"),
        unit_level=SITE_LEVEL,
        start=start,
        end=None,
        before=before,
        after=after,
    )


def test_a_missing_year_is_a_gap_not_a_zero(town: Places) -> None:
    site = Site("M1", shapely.Point(*SITE).buffer(100, 32), 100.0, AGS, "Umkreis von 100 m", True)
    ev = SiteEvaluator(town, {"M1": site}, SiteModels(town, exclusions({"M1": site})))
    d = _site_design(dt.date(2021, 5, 1))
    assert d.before == (2018, 2019) and d.after == (2022, 2023, 2024)
    counts = ev.site_counts(d)
    assert 2021 not in counts.years and len(counts.counts) == len(YEARS)
    e = ev.eb(d)
    assert e.evaluable and e.method == EB
    # the true halving lies in the interval, and the estimate is a reduction
    assert e.ci_low <= 0.5 <= e.ci_high and e.estimate < 1
    assert e.diagnostics["accidents"]["before"]["category_3"] >= 1


def test_screening_puts_the_planted_hotspot_first(town: Places) -> None:
    table = screen(town, SiteModels(town), rates(2024))
    assert set(table["ags"]) == {AGS} and len(table) >= 10
    top = table.iloc[0]
    assert top["rank"] == 1 and np.hypot(top["x"] - HOTSPOT[0], top["y"] - HOTSPOT[1]) <= 50
    assert top["years"] == "2019–2020, 2022–2024"  # the last five covered years, the gap named
    assert (table["rank"].to_numpy() == np.arange(1, len(table) + 1)).all()
    assert (table["severity_weighted_excess"].diff().dropna() <= 1e-9).all()


def test_bast_rates_per_accident_and_price_adjustment() -> None:
    r2021, r2024 = rates(2021), rates(2024)
    # 2,562 killed in 2,435 fatal accidents × €1,284,160, and so on (Destatis 46241-0005, BASt 2021)
    assert r2021.per_category[1] == pytest.approx(2562 / 2435 * 1_284_160)
    assert r2021.per_category[2] == pytest.approx(55137 / 48397 * 128_878)
    assert r2021.per_category[3] == pytest.approx(267992 / 208155 * 5_652)
    # all accidents of 2021 at these rates cost exactly the BASt's casualty costs
    total = sum(r2021.per_category[c] * n for c, n in {1: 2435, 2: 48397, 3: 208155}.items())
    assert total == pytest.approx(2562 * 1_284_160 + 55137 * 128_878 + 267992 * 5_652)
    assert r2024.per_category[1] / r2021.per_category[1] == pytest.approx(119.3 / 103.1)
    assert rates(2031).price_year == 2024  # beyond the index: its latest year


def test_prevented_accidents_and_benefit_cost() -> None:
    # 10 accidents in 2 years after, θ = 0.5 (0.25–1.0): 5 prevented a year (0 to 15)
    mid, low, high = prevented_per_year(10, 0.5, 0.25, 1.0, 2)
    assert (mid, low, high) == pytest.approx((5.0, 0.0, 15.0))
    out = investment((1000.0, 0.0, 3000.0), 10_000.0, "Querungshilfe")
    factor = (1 - 1.03**-25) / 0.03
    assert out["service_life_years"] == 25
    assert out["benefit_cost_ratio"] == pytest.approx(1000 * factor / 10_000, abs=1e-3)
    assert out["npv_eur"] == pytest.approx(round(1000 * factor - 10_000), abs=1)
    assert out["npv_ci"][0] == -10_000
