"""Population denominators on one basis, for every unit and year.

Rates for year *Y* use the population of 31.12. of *Y − 1*, as the BKA's Häufigkeitszahl does
(checked: Magdeburg 2017, 27,143 cases / 238,136 inhabitants of 31.12.2016 = HZ 11,398).

* Gemeinden (and the Kreise and Land built from them): the Destatis Gemeindeverzeichnis, one edition
  per reference date (latest edition first), interpolated linearly between reference dates
  (``interpolated``), carried to the nearest date outside them (``carried``).
* Kreise without Gemeinde population (the rest of Germany, for comparison pools): the population the
  BKA used, recovered as cases × 100,000 / HZ of "Straftaten insgesamt" (``pks_implied``).

The Zensus 2022 revision is a break, never a silent jump: a denominator that rests on, or is
interpolated towards, a Zensus-2022-based figure is flagged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

SOURCE_PRIORITY = ("Destatis GV100AD", "Destatis Gemeindeverzeichnis-Auszug", "Destatis Gemeindeverzeichnis (GV-ISys")
ZENSUS_2022_BREAK = "Bevölkerung auf Basis Zensus 2022 (Bruch in der Reihe, kein Trend)"


def _priority(source: str) -> int:
    for i, prefix in enumerate(SOURCE_PRIORITY):
        if source.startswith(prefix):
            return i
    return len(SOURCE_PRIORITY)


def choose_editions(population: pd.DataFrame) -> pd.DataFrame:
    """One figure per Gemeinde and reference date: GV100AD first, then the latest edition."""
    p = population.copy()
    p["priority"] = p["source"].map(_priority)
    p["edition_key"] = pd.to_datetime(p["edition"]).fillna(pd.Timestamp("1900-01-01"))
    p = p.sort_values(["ags", "reference_date", "priority", "edition_key"], ascending=[True, True, True, False])
    return p.drop_duplicates(["ags", "reference_date"], keep="first")[
        ["ags", "reference_date", "population", "area_km2", "census_basis", "source"]
    ]


def yearly_population(population: pd.DataFrame, years: range) -> pd.DataFrame:
    """Population of 31.12.(year − 1) per Gemeinde: columns ags, year, population, population_method, zensus_2022."""
    chosen = choose_editions(population)
    rows = []
    for ags, g in chosen.groupby("ags", sort=True):
        dates = np.array([pd.Timestamp(d).toordinal() for d in g["reference_date"]], dtype=float)
        values = g["population"].to_numpy(dtype=float)
        z22 = (g["census_basis"] == "Zensus 2022").to_numpy()
        for year in years:
            target = dt.date(year - 1, 12, 31).toordinal()
            if target in dates:
                i = int(np.flatnonzero(dates == target)[0])
                value, method, zensus = values[i], "published", bool(z22[i])
            elif target < dates.min() or target > dates.max():
                i = int(np.argmin(np.abs(dates - target)))
                value, method, zensus = values[i], "carried", bool(z22[i])
            else:
                hi = int(np.searchsorted(dates, target))
                lo = hi - 1
                w = (target - dates[lo]) / (dates[hi] - dates[lo])
                value = values[lo] + w * (values[hi] - values[lo])
                method, zensus = "interpolated", bool(z22[lo] or z22[hi])
            rows.append((ags, year, value, method, zensus))
    return pd.DataFrame(rows, columns=["ags", "year", "population", "population_method", "zensus_2022"])


def aggregate_population(gemeinden: pd.DataFrame, level: str) -> pd.DataFrame:
    """Kreis (first 5 digits) or Land (first 2) population as the sum of its Gemeinden."""
    width = {"Kreis": 5, "Land": 2}[level]
    g = gemeinden.assign(unit_ags=gemeinden["ags"].str[:width])
    out = g.groupby(["unit_ags", "year"], as_index=False).agg(
        population=("population", "sum"),
        population_method=("population_method", lambda s: "published" if (s == "published").all() else "interpolated"),
        zensus_2022=("zensus_2022", "any"),
    )
    return out
