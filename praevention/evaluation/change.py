"""Comparable changes over time: one base period for every product, and no change across the census break
computed on rates.

**The base.** Every product that states how a figure changed compares the latest year of a series with the
year :data:`CHANGE_YEARS` years before it (crime 2024 against 2019), or with the first year of the series
where it starts later; :func:`base_year` is the one place that chooses it, and every product names both
years ("2019 → 2024").

**The census break.** Population figures from 31.12.2022 on rest on the Zensus 2022 (the BKA's HZ from the
PKS 2024 on: :func:`praevention.evaluation.population.census_basis`); a rate on the new basis is not
comparable with one on the old (Halle (Saale) 2023 → 2024: −1.7 % on rates, −7.6 % on cases). A change whose
two years rest on different bases is therefore given on the case counts, with :data:`BREAK_NOTE`: the
population of a Kreis changes by well under 1 % a year, the census revision by up to 6 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from praevention.evaluation.population import census_basis

#: the base of every change: the latest year against the year this many years before it
CHANGE_YEARS = 5
BREAK_NOTE = (
    "Veränderung der Fallzahlen: Die Raten ab 2024 beruhen auf der Bevölkerung nach dem Zensus 2022 und sind mit "
    "den Raten davor nicht vergleichbar."
)


@dataclass(frozen=True)
class Change:
    """A change between two years of one series: ``ratio`` = after / before on ``basis`` (``"rate"`` or
    ``"count"``); ``note`` says why counts were compared (empty on rates)."""

    year_before: int
    year_after: int
    count_before: float
    count_after: float
    ratio: float | None
    basis: str
    note: str = ""

    @property
    def period(self) -> str:
        return f"{self.year_before} → {self.year_after}"


def base_year(latest: int, years: list[int] | pd.Series) -> int | None:
    """The year a change to ``latest`` is measured from: :data:`CHANGE_YEARS` before it, or the first year of
    the series (``years``) after that; ``None`` when the series has no earlier year."""
    earlier = sorted(int(y) for y in years if int(y) >= latest - CHANGE_YEARS and int(y) < latest)
    return earlier[0] if earlier else None


def _basis(row: pd.Series | dict) -> str:
    basis = row.get("population_basis")
    return str(basis) if isinstance(basis, str) and basis else census_basis(int(row["year"]))


def comparable_change(before: pd.Series | dict, after: pd.Series | dict) -> Change:
    """The change from ``before`` to ``after`` (rows with year, count, rate_per_100k and, where known,
    population_basis): the ratio of the rates when both rest on one census basis and have rates, else the
    ratio of the counts (across the break with :data:`BREAK_NOTE`)."""
    c0, c1 = float(before["count"]), float(after["count"])
    r0, r1 = (
        float(r) if r is not None else math.nan for r in (before.get("rate_per_100k"), after.get("rate_per_100k"))
    )
    y0, y1 = int(before["year"]), int(after["year"])
    if _basis(before) != _basis(after):
        return Change(y0, y1, c0, c1, c1 / c0 if c0 > 0 else None, "count", BREAK_NOTE)
    if math.isfinite(r0) and math.isfinite(r1) and r0 > 0:
        return Change(y0, y1, c0, c1, r1 / r0, "rate")
    return Change(y0, y1, c0, c1, c1 / c0 if c0 > 0 else None, "count")


def series_change(rows: pd.DataFrame, latest: int | None = None) -> Change | None:
    """The change of one yearly series (rows of one unit and indicator, one per year) from its
    :func:`base_year` to ``latest`` (default: its last year with a count); ``None`` without two years."""
    s = rows[rows["count"].notna()]
    if "month" in s:
        s = s[s["month"].isna()]
    if s.empty:
        return None
    latest = int(s["year"].max()) if latest is None else latest
    first = base_year(latest, s["year"])
    if first is None or latest not in set(s["year"].astype(int)):
        return None
    by_year = s.drop_duplicates("year").set_index(s.drop_duplicates("year")["year"].astype(int))
    return comparable_change(by_year.loc[first].to_dict(), by_year.loc[latest].to_dict())
