"""Before a measure starts: how large a change could its area's data detect, after how many years?

For the planned area and each larger unit that has data for the indicator (Gemeinde, Kreis, Land), the
most recent years are treated as if a measure had started just before them: ``years_before`` years before,
then 1, 2, 3 or 5 years after. The comparison-group design of the evaluation runs on that window, with its
pool and its placebo inference, and returns its minimum detectable effect at 80 % power
(:mod:`praevention.stats.placebo`). The figure describes the data, not the measure: the size of a reduction
that the evaluation would show with probability 0.8 if it happened.

* **At both levels** (:func:`plan`). For a Gemeinde in a Landkreis without its own crime figures, each
  Kreis row says what its minimum detectable effect means in the Gemeinde (the dilution of
  :mod:`praevention.evaluation.dilution`: a Gemeinde with a tenth of the Kreis's cases would have to more
  than halve its crime for the Kreis to show 25 %), and a Gemeinde row gives the estimated minimum
  detectable effect with the LKA's PKS by Tatortgemeinde (:func:`~praevention.evaluation.dilution.projected_mde`).
* **Several councils** (:func:`councils_needed`): how many councils doing measures of one type at one level
  for N years a pooled evaluation (:mod:`praevention.evaluation.pooling`) needs to detect a reduction of
  15 %: the units of that level in the Land are each planned as above, their median variance plus the
  between-measure variance τ² of the pooling rules gives one design's share, and
  :func:`~praevention.evaluation.pooling.designs_needed` the number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from praevention.evaluation.design import ACCIDENT_GROUPS, Design, is_kreisfreie_stadt, periods
from praevention.evaluation.dilution import Shares, area_mde, area_shares, projected_mde
from praevention.evaluation.evaluator import Evaluator
from praevention.evaluation.inputs import EvaluationData
from praevention.evaluation.outcomes import design_key
from praevention.evaluation.pooling import PLANNING_REDUCTION, designs_needed, rules
from praevention.stats.types import Z95

AFTER_YEARS = (1, 2, 3, 5)
LEVELS = {8: "Gemeinde", 5: "Kreis", 2: "Land"}
#: the normal quantiles of a two-sided 5 % test with 80 % power (Bloom 1995): MDE = (1.96 + 0.84) · SE
MDE_FACTOR = Z95 + NormalDist().inv_cdf(0.8)


def indicator_keys(text: str) -> tuple[str, ...]:
    """'------', 'pks:------' or '890000' → ('pks:890000',) (all offences are evaluated without violations of
    residence and asylum law); an accident group ('all', 'cyclists') → its panel indicators by preference
    (as the evaluation's designs use them)."""
    if text.startswith("acc:"):
        return (text,)
    if text in ACCIDENT_GROUPS:
        return ACCIDENT_GROUPS[text]
    return (f"pks:{design_key(text.removeprefix('pks:'), 'Kreis')}",)


@dataclass(frozen=True)
class PlanRow:
    unit_ags: str
    unit_level: str
    indicator: str
    after_years: int
    before: tuple[int, ...]
    after: tuple[int, ...]
    mde_80: float | None  # rate ratio; None where the design cannot be evaluated
    pool: int
    reason: str
    #: for a planned Gemeinde measured on its Kreis: its shares and the Kreis MDE in the Gemeinde (None: not
    #: detectable there at all)
    shares: Shares | None = None
    mde_80_area: float | None = None
    #: a Gemeinde row estimated from its Kreis design's variance model (no Gemeinde figures in the data)
    projected: bool = False
    #: the standard error of the design's log estimate (its interval's half-width / 1.96, as pooled)
    se: float | None = None


def units_for(ags: str, indicators: tuple[str, ...], data: EvaluationData) -> list[tuple[str, str, str]]:
    """The planned area and the larger units above it, each with the first indicator that has its data."""
    out = []
    for n in (8, 5, 2):
        if len(ags) < n:
            continue
        unit, level = ags[:n], LEVELS[n]
        for indicator in indicators:
            rows = data.rows(indicator)
            if (rows.loc[rows["unit_ags"] == unit, "unit_level"] == level).any():
                out.append((unit, level, indicator))
                break
    return out


def _design(
    unit: str, level: str, indicator: str, before: tuple[int, ...], after: tuple[int, ...], area: str
) -> Design:
    return Design(
        measure_id="Planung",
        body_id="",
        label="",
        group="",
        domain="crime" if indicator.startswith("pks:") else "traffic",
        indicator=indicator,
        unit_ags=unit,
        unit_level=level,
        start=dt.date(after[0] - 1, 7, 1),
        end=None,
        before=before,
        after=after,
        area_ags=area,
        area_level="Gemeinde" if len(area) == 8 and area != unit else level,
    )


def window(years: tuple[int, ...], n_after: int, years_before: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The latest window: ``n_after`` after years and up to ``years_before`` before years."""
    after = years[-n_after:]
    start = after[0] - 1
    before = tuple(y for y in periods(years, start)[0] if y >= start - 1 - years_before)
    return before, after


def plan(
    data: EvaluationData,
    treated: dict[str, set[str]],
    ags: str,
    indicators: tuple[str, ...],
    *,
    years_before: int = 5,
    after_years: tuple[int, ...] = AFTER_YEARS,
    ev: Evaluator | None = None,
) -> list[PlanRow]:
    ev = ev or Evaluator(data, treated)
    rows = []
    found = units_for(ags, indicators, data)
    gemeinde = len(ags) == 8 and not is_kreisfreie_stadt(ags)
    own = any(level == "Gemeinde" for _, level, _ in found)
    for unit, level, indicator in found:
        years = data.years(unit, indicator)
        for n_after in after_years:
            before, after = window(years, n_after, years_before)
            if len(after) < n_after or len(before) < 2:
                rows.append(PlanRow(unit, level, indicator, n_after, before, after, None, 0, "Datenreihe zu kurz"))
                continue
            d = _design(unit, level, indicator, before, after, ags if gemeinde and not own else unit)
            e = ev.did(d)
            pool = int(e.diagnostics.get("pool") or 0)
            reason = "" if e.evaluable else str(e.diagnostics.get("reason_de") or "")
            mde = e.mde_80 if e.evaluable else None
            se = (math.log(e.ci_high) - math.log(e.ci_low)) / (2 * Z95) if e.evaluable else None
            row = PlanRow(unit, level, indicator, n_after, before, after, mde, pool, reason, se=se)
            if d.area_level == "Gemeinde" and level != "Gemeinde" and indicator.startswith("pks:"):
                shares = area_shares(data, d)
                row = dataclasses.replace(row, shares=shares, mde_80_area=area_mde(mde, shares.share))
                if level == "Kreis" and e.evaluable:
                    rows.append(_projected(ev, d, e, shares, n_after))
            rows.append(row)
    # the Gemeinde rows first (projected ones are appended while the Kreis is planned)
    order = {"Gemeinde": 0, "Kreis": 1, "Land": 2}
    return sorted(rows, key=lambda r: (order[r.unit_level], r.after_years))


def _projected(ev: Evaluator, d: Design, e, shares: Shares, n_after: int) -> PlanRow:
    """The Gemeinde row of a Gemeinde without its own figures: the Kreis design's variance model applied to
    the Gemeinde's expected cases and person-years (an estimate)."""
    p = ev.pool(d)
    size = float(ev.changes(d, p, d.before, d.after).size[p.treated])
    people = shares.population if math.isfinite(shares.population) else shares.share
    mde = projected_mde(e.diagnostics, (e.n_before or 0) * shares.share, (e.n_after or 0) * shares.share, size * people)
    reason = "" if mde is not None else "nicht schätzbar"
    se = None if mde is None else -math.log(mde) / MDE_FACTOR
    return PlanRow(
        d.area_ags, "Gemeinde", d.indicator, n_after, d.before, d.after, mde, 0, reason, projected=True, se=se
    )


@dataclass(frozen=True)
class CouncilsPlan:
    """How many designs of one level a pooled evaluation needs to detect ``reduction``."""

    level: str
    indicator: str
    after_years: int
    units: int  # units of the level in the Land that were planned
    median_mde: float | None  # one design's minimum detectable effect (rate ratio), median over the units
    tau: float
    needed: int | None  # None: more than 500
    projected: bool  # Gemeinde designs estimated from their Kreis (no Gemeinde figures in the data)
    diluted_needed: int | None = None  # Gemeinde measures measured on their Kreis: designs needed


def councils_needed(
    data: EvaluationData,
    treated: dict[str, set[str]],
    level: str,
    indicators: tuple[str, ...],
    *,
    after_years: int,
    years_before: int = 5,
    reduction: float = PLANNING_REDUCTION,
) -> CouncilsPlan:
    """How many councils doing measures of one type on ``level`` (Gemeinde or Kreis) for ``after_years``
    years a pooled evaluation needs to detect ``reduction`` with 80 % power (see the module)."""
    places = data.places
    if level == "Kreis":
        units = sorted({a[:5] for a in places["ags"]}) if len(places) else []
    else:
        units = sorted(a for a in places["ags"] if not is_kreisfreie_stadt(a)) if len(places) else []
    tau = float(rules()["planning_tau"])
    ev = Evaluator(data, treated)
    variances, diluted, projected, indicator = [], [], False, indicators[0]
    for unit in units:
        rows = plan(data, treated, unit, indicators, years_before=years_before, after_years=(after_years,), ev=ev)
        for r in rows:
            if r.se is None:
                continue
            if r.unit_level == level:
                variances.append(r.se**2)
                projected |= r.projected
                indicator = r.indicator
            elif level == "Gemeinde" and r.unit_level == "Kreis" and r.shares is not None:
                diluted.append((r.se / r.shares.share) ** 2)
    if not variances:
        return CouncilsPlan(level, indicator, after_years, len(units), None, tau, None, projected)
    median = float(np.median(variances))
    return CouncilsPlan(
        level=level,
        indicator=indicator,
        after_years=after_years,
        units=len(units),
        median_mde=math.exp(-math.sqrt(median) * MDE_FACTOR),
        tau=tau,
        needed=designs_needed(median + tau**2, reduction),
        projected=projected,
        diluted_needed=designs_needed(float(np.median(diluted)) + tau**2, reduction) if diluted else None,
    )
