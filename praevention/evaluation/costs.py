"""Accidents prevented in euros: the BASt cost rates, price-adjusted, and benefit–cost over a service life.

The rates live in ``data/accident_costs.yaml`` (versioned, each block with its source):

* **Per casualty** (BASt, Unfallkosten 2021, price level 2021): killed €1,284,160, seriously injured €128,878,
  slightly injured €5,652.
* **Per accident by category.** The Unfallatlas gives each accident its category (1 with killed, 2 with
  seriously, 3 with slightly injured), not its casualties. A category-c accident is valued at the casualties
  of severity c per accident of category c (Destatis 46241-0005, Germany 2021) times the rate of severity c:
  cat. 1: 2,562/2,435 killed × €1,284,160; cat. 2: 55,137/48,397 × €128,878; cat. 3: 267,992/208,155 × €5,652.
  Summed over all accidents this gives exactly the BASt's cost of all casualties; it leaves out the
  property damage of these accidents (a lower bound) and assigns a fatal accident's seriously injured to
  category 2.
* **Price level.** Rates are moved from their price year to the report year (the latest accident year) with
  the consumer price index (Destatis 61111-0001); a report year beyond the index uses its latest year.

For a design with rate ratio θ (95 % interval θ_lo–θ_hi) and λ accidents in n after-years, the accidents
prevented per year are λ(1/θ − 1)/n (interval λ(1/θ_hi − 1)/n to λ(1/θ_lo − 1)/n), valued at the design's
mean cost per accident: the category mix of the indicator's accidents in the evaluated place (at least
:data:`MIN_MIX` of them, else the Land's, else Germany's). Where the register holds the measure's cost
(``budget_eur``): the present value of the benefits over the measure's service life, discounted, the
benefit–cost ratio and the net present value (HSM 2010, Part B, ch. 7), with their intervals.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from praevention.config import PROJECT_ROOT

COSTS_FILE = PROJECT_ROOT / "data" / "accident_costs.yaml"
SEVERITY = {1: "killed", 2: "seriously_injured", 3: "slightly_injured"}
#: accidents of an indicator in a place below which its category mix comes from the Land (then Germany)
MIN_MIX = 30
#: indicators counted from Unfallatlas points: which accidents they count
POINT_FILTERS = {
    "acc:points_all": None,
    "acc:points_ksi": "category <= 2",
    "acc:points_pedestrian": "is_pedestrian == 1",
    "acc:points_bicycle": "is_bicycle == 1",
    "acc:points_motorcycle": "is_motorcycle == 1",
}
#: official counts of accidents with personal injury (valued with Germany's category mix)
COUNT_INDICATORS = {"acc:unfaelle_personenschaden"}


@cache
def cost_table(path: Path = COSTS_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class CostRates:
    """Euros per accident of category 1, 2, 3 at ``price_year`` (the report year, or the index's latest)."""

    per_category: dict[int, float]
    price_year: int
    national_mix: dict[int, float]
    version: int

    def mean_cost(self, mix: dict[int, float]) -> float:
        """Cost of an average accident with the category shares (or counts) ``mix``."""
        total = sum(mix.values())
        return sum(self.per_category[c] * n for c, n in mix.items()) / total if total else math.nan

    def source_de(self) -> str:
        doc = cost_table()
        return (
            f"Unfallkostensätze der BASt (Preisstand {doc['per_casualty']['price_year']}, auf {self.price_year} "
            f"angepasst mit dem Verbraucherpreisindex), je Unfall nach Unfallkategorie aus den Verunglückten je "
            f"Unfall in Deutschland {doc['casualties_per_accident']['year']}; ohne Sachschäden"
        )


def rates(report_year: int, doc: dict | None = None) -> CostRates:
    """The per-accident rates of ``data/accident_costs.yaml`` at the prices of ``report_year``."""
    doc = doc or cost_table()
    per_casualty = doc["per_casualty"]["eur"]
    counts = doc["casualties_per_accident"]
    index = {int(y): float(v) for y, v in doc["price_index"]["values"].items()}
    year = min(int(report_year), max(index))
    factor = index[year] / index[int(doc["per_casualty"]["price_year"])]
    per_category = {
        c: counts["casualties"][name] / counts["accidents"][c] * per_casualty[name] * factor
        for c, name in SEVERITY.items()
    }
    total = sum(counts["accidents"].values())
    national = {c: counts["accidents"][c] / total for c in SEVERITY}
    return CostRates(per_category, year, national, int(doc["version"]))


def category_mix(points: pd.DataFrame, indicator: str) -> dict[int, float]:
    """Accidents of ``indicator`` among ``points`` by category (empty for an indicator not counted from points)."""
    if indicator not in POINT_FILTERS or points.empty:
        return {}
    condition = POINT_FILTERS[indicator]
    chosen = points.query(condition) if condition else points
    counts = chosen["category"].value_counts()
    return {int(c): float(n) for c, n in counts.items() if int(c) in SEVERITY}


def place_mix(place: pd.DataFrame, land: pd.DataFrame, indicator: str) -> dict[int, float]:
    """The category mix of ``indicator`` in a place, or the Land's when the place has fewer than
    :data:`MIN_MIX` such accidents (empty: Germany's, see :func:`add_benefits`)."""
    for points in (place, land):
        mix = category_mix(points, indicator)
        if sum(mix.values()) >= MIN_MIX:
            return mix
    return {}


def prevented_per_year(
    n_after: float, estimate: float, low: float, high: float, years_after: int
) -> tuple[float, float, float]:
    """Accidents prevented per year λ(1/θ − 1)/n and its interval (from θ's upper and lower bound)."""

    def at(theta: float) -> float:
        return n_after * (1 / theta - 1) / years_after

    return at(estimate), at(high), at(low)


def present_value_factor(years: int, rate: float) -> float:
    """Σ_{t=1..n} (1 + i)^−t: the present value of one euro a year over ``years`` (annuity factor)."""
    return float(years) if rate == 0 else (1 - (1 + rate) ** -years) / rate


def investment(
    benefit: tuple[float, float, float], cost: float, measure_type: str, doc: dict | None = None
) -> dict[str, object]:
    """Benefit–cost ratio and net present value of a measure over its service life, with intervals."""
    doc = doc or cost_table()
    inv = doc["investment"]
    lives = inv["service_life_years"]
    life = int(lives.get(measure_type, lives["default"]))
    rate = float(inv["discount_rate"])
    factor = present_value_factor(life, rate)
    mid, lo, hi = (b * factor for b in benefit)
    return {
        "service_life_years": life,
        "discount_rate": rate,
        "cost_eur": round(cost, 2),
        "benefit_present_value_eur": round(mid, 0),
        "benefit_cost_ratio": round(mid / cost, 3) if cost > 0 else None,
        "benefit_cost_ci": [round(lo / cost, 3), round(hi / cost, 3)] if cost > 0 else None,
        "npv_eur": round(mid - cost, 0),
        "npv_ci": [round(lo - cost, 0), round(hi - cost, 0)],
    }


def add_benefits(
    effects: pd.DataFrame,
    after_years: dict[tuple[str, str, str], int],
    mixes: dict[tuple[str, str], dict[int, float]],
    measures: pd.DataFrame,
    report_year: int,
) -> pd.DataFrame:
    """``effects`` with ``benefit_eur_per_year``, ``benefit_ci_low``, ``benefit_ci_high`` for every evaluable
    accident estimate, and the valuation (and, with the measure's cost, benefit–cost and NPV) in its diagnostics.

    ``after_years``: (measure_id, indicator, unit_ags) → number of after-years; ``mixes``: (unit_ags,
    indicator) → accidents by category in the evaluated place (see :func:`category_mix`)."""
    r = rates(report_year)
    budgets = measures.set_index("measure_id")["budget_eur"].to_dict() if "budget_eur" in measures else {}
    types = measures.set_index("measure_id")["measure_type"].to_dict() if len(measures) else {}
    mid, low, high, diags = [], [], [], []
    for row in effects.to_dict("records"):
        diag = json.loads(row["diagnostics"]) if isinstance(row["diagnostics"], str) and row["diagnostics"] else {}
        key = (str(row["measure_id"]), str(row["indicator"]), str(row["unit_ags"]))
        n = after_years.get(key, 0)
        indicator = str(row["indicator"])
        valued = (indicator in POINT_FILTERS or indicator in COUNT_INDICATORS) and bool(row["evaluable"])
        mix = mixes.get((str(row["unit_ags"]), indicator)) or r.national_mix
        if not valued or n <= 0 or not _positive(row.get("n_after")) or not _positive(row.get("estimate")):
            mid.append(None), low.append(None), high.append(None), diags.append(row["diagnostics"])
            continue
        cost = r.mean_cost(mix)
        per_year = prevented_per_year(float(row["n_after"]), row["estimate"], row["ci_low"], row["ci_high"], n)
        euros = tuple(v * cost for v in per_year)
        diag.update(
            {
                "prevented_per_year": [round(v, 3) for v in per_year],
                "cost_per_accident_eur": round(cost, 0),
                "price_year": r.price_year,
                "cost_rates_version": r.version,
            }
        )
        budget = budgets.get(row["measure_id"])
        if budget is not None and not (isinstance(budget, float) and math.isnan(budget)) and budget > 0:
            diag.update(investment(euros, float(budget), str(types.get(row["measure_id"]) or "")))
        mid.append(euros[0]), low.append(euros[1]), high.append(euros[2])
        diags.append(json.dumps(diag, ensure_ascii=False, sort_keys=True, default=_plain))
    return effects.assign(
        benefit_eur_per_year=np.array(mid, dtype=float),
        benefit_ci_low=np.array(low, dtype=float),
        benefit_ci_high=np.array(high, dtype=float),
        diagnostics=diags,
    )


def _positive(value: object) -> bool:
    try:
        return float(value) > 0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _plain(o: object) -> object:
    return o.item() if isinstance(o, np.generic) else str(o)
