"""What a unit's data can show about a measure that acts in only part of it.

A measure acts in its area (a Gemeinde, named Stadtteile, a point or polygon); the evaluation measures the
finest unit with data for both periods (:mod:`praevention.evaluation.design`). When the area is smaller than
that unit, an effect in the area is diluted: a reduction r where the area holds the share s of the unit's
cases is a reduction of s · r in the unit. The unit's minimum detectable effect m (a reduction) therefore
corresponds to m / s in the area (:func:`area_reduction`), and when m / s reaches 100 % the unit's data cannot
show the measure's effect at all. Reviews expect reductions of 13–34 % where a measure acts
(``data/literature.yaml``); spread over a Kreis of which the town is a tenth, that is 1–3 %, far below the
20–35 % a Kreis can detect.

**Shares** (:func:`area_shares`), each of the unit measured:

* ``cases``: the area's cases of the design's indicator (or, for Stadtteile, of all offences) in the
  years of the design where both have data, from the finer statistics where they exist (the LKA's PKS by
  Tatortgemeinde, a city's Stadtteil statistics, accident counts per Gemeinde);
* ``population`` and ``territory``: the latest population and area of the Gemeinde against its Kreis
  (Gemeindeverzeichnis).

The dilution (:attr:`Shares.share`) uses the share of cases where it is known, else the share of population.
Crime per inhabitant is higher in towns than in the villages around them, so the population share of a town
understates its share of cases, and the dilution-aware minimum detectable effect derived from it is an upper
bound of the true one (the statement "not testable with Kreis data" holds a fortiori).

**What finer data would show** (:func:`projected_mde`): the design's placebo variance model
(:mod:`praevention.stats.placebo`, Var = c (σ² + τ M̃/M) + φ v) applied to the area's own expected counts and
person-years gives the minimum detectable effect of a design on the area itself, the figure the outputs
quote for "with the LKA's PKS by Tatortgemeinde". It extrapolates the noise of whole Kreise to a smaller
unit through the model's population term (noise that grows as the population shrinks) and is an estimate,
said so wherever it is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from praevention.evaluation.design import Design, stadtteil_parts
from praevention.evaluation.inputs import EvaluationData
from praevention.stats.placebo import projected_scale

#: a reduction in the measure's area beyond which no review finds effects: more than halving
MAX_PLAUSIBLE_REDUCTION = 0.5


@dataclass(frozen=True)
class Shares:
    """The area's shares of the unit measured (NaN where unknown)."""

    cases: float = math.nan
    population: float = math.nan
    territory: float = math.nan

    @property
    def share(self) -> float:
        """The dilution: the share of cases, else the share of population, else 1 (the area is the unit)."""
        for value in (self.cases, self.population):
            if math.isfinite(value) and value > 0:
                return min(value, 1.0)
        return 1.0

    @property
    def basis(self) -> str:
        """What the dilution rests on: 'cases', 'population' or '' (no dilution)."""
        if math.isfinite(self.cases) and self.cases > 0:
            return "cases"
        return "population" if math.isfinite(self.population) and self.population > 0 else ""


WHOLE = Shares(1.0, 1.0, 1.0)


def is_diluted(d: Design) -> bool:
    """Whether the measure's area is smaller than the unit measured."""
    return smaller(d.area_ags, d.area_level, d.unit_ags, d.unit_level)


def is_diluted_row(row) -> bool:
    """:func:`is_diluted` for a row of ``measure_effects``."""
    return smaller(*(str(row.get(c) or "") for c in ("area_ags", "area_level", "unit_ags", "unit_level")))


def smaller(area_ags: str, area_level: str, unit_ags: str, unit_level: str) -> bool:
    return bool(area_ags) and area_ags != unit_ags and area_level not in ("", unit_level)


def area_shares(data: EvaluationData, d: Design) -> Shares:
    """The shares of the measure's area in the unit of design ``d`` (:data:`WHOLE` when they are the same)."""
    if not d.unit_level:
        return Shares()
    if not is_diluted(d):
        return WHOLE
    years = d.before + d.after
    return Shares(
        cases=_case_share(data, d, years),
        population=_place_share(data, d, "population"),
        territory=_place_share(data, d, "area_km2"),
    )


def _case_share(data: EvaluationData, d: Design, years: tuple[int, ...]) -> float:
    if d.area_level == "Stadtteil":
        # a city's Stadtteile count all offences only: the named ones' share of all the city's Stadtteile
        rows = data.rows("pks:------")
        parts = stadtteil_parts(d.area_ags)
        total = rows[rows["unit_ags"].str.startswith(d.area_ags.split("-")[0] + "-")].groupby("year")["count"].sum()
    else:
        rows = data.rows(d.indicator)
        parts = [d.area_ags]
        unit = rows[(rows["unit_ags"] == d.unit_ags) & (rows["unit_level"] == d.unit_level)]
        total = unit.set_index("year")["count"]
    own = rows[rows["unit_ags"].isin(parts)].groupby("year")["count"].sum()
    common = [y for y in years if y in own.index and y in total.index] or sorted(set(own.index) & set(total.index))
    if not common or not float(total.loc[common].sum()) > 0:
        return math.nan
    return float(own.loc[common].sum() / total.loc[common].sum())


def _place_share(data: EvaluationData, d: Design, column: str) -> float:
    places = data.places
    if places.empty or d.area_level not in ("Gemeinde", "Fläche") or len(d.area_ags) != 8:
        return math.nan
    values = places.set_index("ags")[column].astype(float)
    own = values.get(d.area_ags, math.nan)
    total = values[values.index.str.startswith(d.unit_ags)].sum() if len(d.unit_ags) in (2, 5) else math.nan
    return float(own / total) if math.isfinite(own) and total > 0 else math.nan


def area_reduction(unit_ratio: float | None, share: float) -> float | None:
    """The reduction in the area (a fraction, 0.3 = 30 %) that a rate ratio ``unit_ratio`` of the whole unit
    corresponds to when the area holds ``share`` of its cases; ``None`` when that would be 100 % or more (the
    unit's change cannot come from the area alone)."""
    if unit_ratio is None or not math.isfinite(unit_ratio) or not share > 0:
        return None
    r = (1 - unit_ratio) / share
    return r if r < 1 else None


def area_mde(mde_80: float | None, share: float) -> float | None:
    """The dilution-aware minimum detectable effect as a rate ratio in the area (``None``: not detectable
    even if the area's cases disappeared)."""
    r = area_reduction(mde_80, share)
    return None if r is None else 1 - r


def detectable(mde_80_area: float | None) -> bool:
    """Whether the design could detect a plausible effect in the measure's area (at most
    :data:`MAX_PLAUSIBLE_REDUCTION`)."""
    return mde_80_area is not None and math.isfinite(mde_80_area) and 1 - mde_80_area <= MAX_PLAUSIBLE_REDUCTION


def projected_mde(diagnostics: dict, before: float, after: float, size: float) -> float | None:
    """The minimum detectable effect (rate ratio) of a design on a unit with ``before`` / ``after`` expected
    cases and ``size`` person-years, under the variance model of a design's placebo inference
    (``diagnostics`` of its estimate); ``None`` without a model."""
    scale = projected_scale(diagnostics, 1 / (after + 0.5) + 1 / (before + 0.5), size)
    factor = diagnostics.get("mde_factor")
    if scale is None or factor is None:
        return None
    return float(np.exp(-scale * float(factor)))
