"""What the estimators read: the panel as units × years matrices per indicator and level, Kreis types,
accident points and the Land's Gemeinden.

:class:`EvaluationData` builds each :class:`~praevention.stats.did.CountPanel` once per indicator and
level, so that evaluating a design (a real measure or a placebo of the calibration) slices arrays instead
of filtering the panel again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

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

    def __post_init__(self) -> None:
        yearly = self.panel[self.panel["month"].isna() & self.panel["count"].notna()]
        self.yearly = yearly
        self.by_indicator = {ind: g for ind, g in yearly.groupby("indicator", sort=False)}
        pop = yearly[(yearly["unit_level"] == "Land") & (yearly["indicator"] == ALL_OFFENCES_INDICATOR)]
        # Land populations from the PKS sums (all Länder): the exposure of Land-level accident designs
        self.land_population = pop.set_index(["unit_ags", "year"])["population"]
        self._panels: dict[tuple[str, str], tuple[CountPanel, np.ndarray]] = {}

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
            rows = rows[rows["unit_level"] == level]
            exposure = rows["population"].astype(float)
            if level == "Land":
                filled = self.land_population.reindex(list(zip(rows["unit_ags"], rows["year"], strict=True)))
                exposure = exposure.fillna(pd.Series(filled.to_numpy(), index=rows.index))
            if exposure.isna().all():
                exposure = pd.Series(1.0, index=rows.index)  # counts only (Stadtteile): compared as counts
            frame = rows.assign(exposure=exposure)
            counts = frame.pivot(index="unit_ags", columns="year", values="count")
            expo = frame.pivot(index="unit_ags", columns="year", values="exposure")
            eligible = frame.groupby("unit_ags")["comparison_eligible"].all().reindex(counts.index, fill_value=False)
            units = counts.index.to_numpy(dtype=str)
            region = np.array([u[:2] for u in units]) if level == "Kreis" else np.full(len(units), "")
            panel = CountPanel(
                units=units,
                years=counts.columns.to_numpy(dtype=int),
                counts=counts.to_numpy(dtype=float),
                exposure=expo.to_numpy(dtype=float),
                region=region,
            )
            self._panels[key] = (panel, eligible.to_numpy(dtype=bool))
        return self._panels[key]


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
