"""Population denominators on one basis, for every unit and year.

Rates for year *Y* use the population of 31.12. of *Y − 1*, as the BKA's Häufigkeitszahl does
(checked: Magdeburg 2017, 27,143 cases / 238,136 inhabitants of 31.12.2016 = HZ 11,398).

* Gemeinden (and the Kreise and Land built from them): the Destatis Gemeindeverzeichnis, one edition
  per reference date (latest edition first), interpolated linearly between reference dates
  (``interpolated``), carried to the nearest date outside them (``carried``).
* Kreise without Gemeinde population (the rest of Germany, for comparison pools): the population the
  BKA used, recovered as cases × 100,000 / HZ of "Straftaten insgesamt" (``pks_implied``).

One census basis per rate year (:func:`census_basis`), the one the BKA's HZ uses: the population
updated from the Zensus 2011 for the years up to 2023, from the Zensus 2022 from 2024 on ("HZ nach Zensus
2022" in the PKS 2024). A denominator is interpolated or carried only between editions of that basis, never
across the break (a 2024 rate between an old-basis 2022 and a new-basis 2024 edition missed the published HZ
by up to 2.9 %). Where the BKA's population of a Kreis is known (cases × 100,000 / HZ of all offences), the
Gemeinden's interpolated or carried figures are scaled to it (:func:`scale_to_kreis_totals`), so that a
recomputed Kreis rate equals the published HZ and the Gemeinden add up to their Kreis.

The Zensus 2022 revision is a break, never a silent jump: a denominator on the Zensus 2022 basis is
flagged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

SOURCE_PRIORITY = ("Destatis GV100AD", "Destatis Gemeindeverzeichnis-Auszug", "Destatis Gemeindeverzeichnis (GV-ISys")
ZENSUS_2022_BREAK = "Bevölkerung auf Basis Zensus 2022 (Bruch in der Reihe, kein Trend)"
#: the first rate year whose HZ the BKA computes on the Zensus 2022 population (PKS 2024, "HZ nach Zensus 2022")
FIRST_ZENSUS_2022_YEAR = 2024


def census_basis(year: int) -> str:
    """The census basis of the population a rate of ``year`` rests on, as in the BKA's HZ: the population
    of 31.12.(year − 1) updated from the Zensus 2011 up to the PKS 2023, from the Zensus 2022 from 2024 on."""
    return "Zensus 2022" if year >= FIRST_ZENSUS_2022_YEAR else "Zensus 2011"


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
    """Population of 31.12.(year − 1) per Gemeinde on the year's census basis (:func:`census_basis`).

    Columns ags, year, population, population_method (published, interpolated, carried), population_basis
    and zensus_2022. Only editions of the year's basis are used; a Gemeinde without any edition of that
    basis is carried from the nearest edition of the other, and its basis says so.
    """
    chosen = choose_editions(population)
    rows = []
    for ags, g in chosen.groupby("ags", sort=True):
        by_basis = {basis: part for basis, part in g.groupby("census_basis")}
        for year in years:
            wanted = census_basis(year)
            editions = by_basis.get(wanted, g)
            dates = np.array([pd.Timestamp(d).toordinal() for d in editions["reference_date"]], dtype=float)
            values = editions["population"].to_numpy(dtype=float)
            bases = editions["census_basis"].to_numpy()
            target = dt.date(year - 1, 12, 31).toordinal()
            if target in dates:
                i = int(np.flatnonzero(dates == target)[0])
                value, method, basis = values[i], "published", bases[i]
            elif target < dates.min() or target > dates.max():
                i = int(np.argmin(np.abs(dates - target)))
                value, method, basis = values[i], "carried", bases[i]
            else:
                hi = int(np.searchsorted(dates, target))
                lo = hi - 1
                w = (target - dates[lo]) / (dates[hi] - dates[lo])
                value, method, basis = values[lo] + w * (values[hi] - values[lo]), "interpolated", bases[lo]
            rows.append((ags, year, value, method, basis, basis == "Zensus 2022"))
    return pd.DataFrame(
        rows, columns=["ags", "year", "population", "population_method", "population_basis", "zensus_2022"]
    )


def scale_to_kreis_totals(gemeinden: pd.DataFrame, kreis_totals: pd.DataFrame) -> pd.DataFrame:
    """Gemeinde populations of a Kreis and year scaled so that they add up to the Kreis's known total.

    ``kreis_totals`` has ags (5 digits), year and population: the population the BKA's HZ rests on
    (cases × 100,000 / HZ of all offences: the official figure of 31.12.(year − 1) on the year's census
    basis). Only Kreis-years whose Gemeinde figures are not all published are scaled (proportional
    allocation of the official total to the interpolated or carried Gemeinde figures); their method becomes
    ``<method>_scaled``. Published figures and Kreis-years without a total stay as they are.
    """
    g = gemeinden.assign(kreis=gemeinden["ags"].str[:5])
    sums = g.groupby(["kreis", "year"], as_index=False).agg(
        own=("population", "sum"), all_published=("population_method", lambda s: bool((s == "published").all()))
    )
    totals = kreis_totals.rename(columns={"ags": "kreis", "population": "total"})[["kreis", "year", "total"]]
    factors = sums.merge(totals, on=["kreis", "year"])
    factors = factors[~factors["all_published"] & factors["total"].notna() & (factors["own"] > 0)]
    factors = factors.assign(factor=factors["total"] / factors["own"])[["kreis", "year", "factor"]]
    out = g.merge(factors, on=["kreis", "year"], how="left")
    scaled = out["factor"].notna()
    out.loc[scaled, "population"] = out.loc[scaled, "population"] * out.loc[scaled, "factor"]
    out.loc[scaled, "population_method"] = out.loc[scaled, "population_method"] + "_scaled"
    return out.drop(columns=["kreis", "factor"])


def _sum_method(methods: pd.Series) -> str:
    """The method of a sum: the Gemeinden's common method, else the least exact one."""
    kinds = set(methods)
    return (
        kinds.pop()
        if len(kinds) == 1
        else next(
            m for m in ("carried_scaled", "interpolated_scaled", "carried", "interpolated", "published") if m in kinds
        )
    )


def aggregate_population(gemeinden: pd.DataFrame, level: str) -> pd.DataFrame:
    """Kreis (first 5 digits) or Land (first 2) population as the sum of its Gemeinden."""
    width = {"Kreis": 5, "Land": 2}[level]
    g = gemeinden.assign(unit_ags=gemeinden["ags"].str[:width])
    out = g.groupby(["unit_ags", "year"], as_index=False).agg(
        population=("population", "sum"),
        population_method=("population_method", _sum_method),
        population_basis=("population_basis", lambda s: "/".join(sorted(set(s)))),
        zensus_2022=("zensus_2022", "any"),
    )
    return out
