"""What the estimators read: the panel as units × years matrices per indicator and level, Kreis types,
accident points, the Land's Gemeinden and the places (population and territory of every
Gemeinde and Kreis).

:class:`EvaluationData` builds each :class:`~praevention.stats.did.CountPanel` once per indicator and
level, so that evaluating a design (a real measure or a placebo of the calibration) slices arrays instead
of filtering the panel again.

* **Exposure.** A unit-year's exposure is its population (Länder without one in the panel: the population
  implied by the PKS); a series with no population at all (Stadtteile) is compared on counts. Years without
  an exposure are not available to designs (:attr:`EvaluationData.available`), so a design's periods hold
  only years it can use.
* **The Zensus 2022 break** (:func:`bridge_census`). Rates from 2024 rest on populations updated from the
  Zensus 2022, the earlier years on the Zensus 2011 (as the BKA's HZ). The revision is a step of up to 6 %
  (Halle (Saale): its 2023→2024 rate fell 1.7 % while its cases fell 7.6 %), which a comparison across the
  break would read as a change in crime. Every unit's exposures on the new basis are therefore scaled by its
  own factor, the last population on the old basis over the first on the new one, so that its series
  continues on the old basis; this takes the unit's real population change in the year of the switch as
  zero (about ±0.5 % a year, against census revisions of up to 6 %). Each design records how its periods
  were treated (:meth:`EvaluationData.population_handling`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from praevention.evaluation.population import FIRST_ZENSUS_2022_YEAR
from praevention.readers.pks import ALL_OFFENCES
from praevention.register.schema import ACCIDENT_GROUPS
from praevention.stats.did import CountPanel

if TYPE_CHECKING:
    import duckdb

KREIS_TYPES = {
    "KfS": "Kreisfreie Stadt",
    "SK": "Kreisfreie Stadt",
    "LK": "Landkreis",
    "K": "Landkreis",
    "RV": "Landkreis",
    "Kreisfreie Stadt": "Kreisfreie Stadt",
    "Landkreis": "Landkreis",
}
ALL_OFFENCES_INDICATOR = f"pks:{ALL_OFFENCES}"
#: how a design's population denominators were treated (``measure_effects.population_handling``), in German
POPULATION_HANDLING = {
    "one_basis": "Einwohnerzahlen auf einer Zensusbasis",
    "bridged": "Einwohnerzahlen ab 2024 (Zensus 2022) an die Reihe auf Basis des Zensus 2011 angeschlossen",
    "counts": "Fallzahlen verglichen (keine Einwohnerzahlen)",
    "census_break": "Einwohnerzahlen über den Zensus-2022-Bruch nicht anschließbar: Bruch in der Reihe",
}


def kreis_types(crime: pd.DataFrame) -> dict[str, str]:
    """Kreis key → "Kreisfreie Stadt" / "Landkreis" (the latest PKS Kreisart)."""
    kinds = crime.dropna(subset=["kreis_type"]).sort_values("year").groupby("ags")["kreis_type"].last()
    return kinds.map(KREIS_TYPES).dropna().to_dict()


def read_kreis_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """:func:`kreis_types` from the warehouse's ``crime_cases`` (the all-offences rows name the Kreisart)."""
    sql = "SELECT DISTINCT year, ags, kreis_type FROM crime_cases WHERE offence_key = ?"
    return kreis_types(con.execute(sql, [ALL_OFFENCES]).df())


@dataclass
class EvaluationData:
    """The panel's yearly rows with a count, plus what the designs' estimators need beside it."""

    panel: pd.DataFrame
    kinds: dict[str, str]
    land: str
    points: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the Land's Gemeinden: ags, area_km2, wkb (EPSG:25832), for the places of measures
    gemeinden: pd.DataFrame = field(default_factory=pd.DataFrame)
    neighbours: dict[str, list[str]] = field(default_factory=dict)
    #: Gemeinden and Kreise of the Land: ``ags``, ``level``, ``name``, ``population``, ``area_km2`` (latest)
    places: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        yearly = self.panel[self.panel["month"].isna() & self.panel["count"].notna()]
        pop = yearly[(yearly["unit_level"] == "Land") & (yearly["indicator"] == ALL_OFFENCES_INDICATOR)]
        # Land populations from the PKS sums (all Länder): the exposure of Land-level accident designs
        self.land_population = pop.set_index(["unit_ags", "year"])["population"]
        exposure = yearly["population"].astype(float)
        land = yearly["unit_level"].eq("Land").to_numpy()
        if land.any():
            filled = self.land_population.reindex(
                list(zip(yearly["unit_ags"][land], yearly["year"][land], strict=True))
            )
            exposure[land] = exposure[land].fillna(pd.Series(filled.to_numpy(), index=exposure.index[land]))
        # a series without any population (Stadtteile) is compared on counts
        series = [yearly["indicator"], yearly["unit_level"]]
        counts_only = ~exposure.notna().groupby(series).transform("any").astype(bool)
        self.counts_only = set(zip(yearly["indicator"][counts_only], yearly["unit_level"][counts_only], strict=True))
        self.yearly = yearly.assign(exposure=exposure.where(~counts_only, 1.0))
        self.by_indicator = {ind: g for ind, g in self.yearly.groupby("indicator", sort=False)}
        self._panels: dict[tuple[str, str], tuple[CountPanel, np.ndarray]] = {}
        self.bridges: dict[tuple[str, str], dict[str, float]] = {}

    @property
    def available(self) -> pd.DataFrame:
        """The (unit_ags, indicator, year) cells a design can use: a count and an exposure."""
        return self.yearly.loc[self.yearly["exposure"].notna(), ["unit_ags", "indicator", "year"]]

    def population_handling(self, indicator: str, level: str, unit: str, years: tuple[int, ...]) -> str:
        """How a design's denominators were treated (a key of :data:`POPULATION_HANDLING`)."""
        if (indicator, level) in self.counts_only:
            return "counts"
        if not (any(y >= FIRST_ZENSUS_2022_YEAR for y in years) and any(y < FIRST_ZENSUS_2022_YEAR for y in years)):
            return "one_basis"
        self.count_panel(indicator, level)
        return "bridged" if unit in self.bridges.get((indicator, level), {}) else "census_break"

    def rows(self, indicator: str) -> pd.DataFrame:
        return self.by_indicator.get(indicator, self.yearly.iloc[:0])

    def label(self, indicator: str) -> str:
        """The indicator's German label; for an accident group without data its register label
        (``acc:children`` → ``Unfälle: Kinder``), never the code."""
        hit = self.rows(indicator)["indicator_label"]
        if len(hit):
            return str(hit.iloc[0])
        code = indicator.split(":", 1)[-1]
        return f"Unfälle: {ACCIDENT_GROUPS[code]}" if indicator.startswith("acc:") and code in ACCIDENT_GROUPS else code

    def years(self, unit: str, indicator: str) -> tuple[int, ...]:
        rows = self.rows(indicator)
        return tuple(sorted(rows.loc[rows["unit_ags"] == unit, "year"].astype(int).unique().tolist()))

    def neighbour_rows(self, panel: CountPanel) -> list[np.ndarray]:
        """Per row of ``panel``: the row indices of the unit's neighbours (:func:`kreis_neighbours`)."""
        row = {u: i for i, u in enumerate(panel.units)}
        return [np.array([row[n] for n in self.neighbours.get(u, []) if n in row], dtype=int) for u in panel.units]

    def count_panel(self, indicator: str, level: str) -> tuple[CountPanel, np.ndarray]:
        """Units × years of one indicator and level, and which units may serve in comparison pools."""
        key = (indicator, level)
        if key not in self._panels:
            rows = self.rows(indicator)
            frame = rows[rows["unit_level"] == level]
            counts = frame.pivot(index="unit_ags", columns="year", values="count")
            expo = frame.pivot(index="unit_ags", columns="year", values="exposure")
            eligible = frame.groupby("unit_ags")["comparison_eligible"].all().reindex(counts.index, fill_value=False)
            units = counts.index.to_numpy(dtype=str)
            region = np.array([u[:2] for u in units]) if level == "Kreis" else np.full(len(units), "")
            years = counts.columns.to_numpy(dtype=int)
            exposure = expo.to_numpy(dtype=float)
            if key not in self.counts_only:
                exposure, self.bridges[key] = bridge_census(units, years, exposure)
            panel = CountPanel(
                units=units,
                years=years,
                counts=counts.to_numpy(dtype=float),
                exposure=exposure,
                region=region,
            )
            self._panels[key] = (panel, eligible.to_numpy(dtype=bool))
        return self._panels[key]


def bridge_census(units: np.ndarray, years: np.ndarray, exposure: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """Exposures (units × years) with each unit's years on the Zensus 2022 basis scaled by its own factor
    P(last year on the Zensus 2011 basis) / P(first year on the Zensus 2022 basis), and those factors by
    unit (units without both years keep their figures and get no factor)."""
    old = np.flatnonzero(years == FIRST_ZENSUS_2022_YEAR - 1)
    new = np.flatnonzero(years == FIRST_ZENSUS_2022_YEAR)
    if not len(old) or not len(new):
        return exposure, {}
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = exposure[:, old[0]] / exposure[:, new[0]]
    ok = np.isfinite(factor) & (factor > 0)
    out = exposure.copy()
    out[np.ix_(ok, years >= FIRST_ZENSUS_2022_YEAR)] *= factor[ok, None]
    return out, {str(u): float(f) for u, f in zip(units[ok], factor[ok], strict=True)}


def kreis_neighbours(kreise: pd.DataFrame) -> dict[str, list[str]]:
    """Kreis key → the keys of the Kreise whose boundaries touch it. ``kreise``: columns ``ags`` and
    ``wkb`` (the boundary as WKB; one Gebietsstand)."""
    import shapely

    geoms = shapely.from_wkb([bytes(w) for w in kreise["wkb"]])
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keys = kreise["ags"].to_numpy(dtype=str)
    out: dict[str, list[str]] = {k: [] for k in keys}
    for a, b in zip(left, right, strict=True):
        if a != b:
            out[keys[a]].append(keys[b])
    return {k: sorted(v) for k, v in out.items()}
