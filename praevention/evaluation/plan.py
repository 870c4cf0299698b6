"""Before a measure starts: how large a change could its area's data detect, after how many years?

For the planned area and each larger unit that has data for the indicator (Gemeinde, Kreis, Land), the
most recent years are treated as if a measure had started just before them: ``years_before`` years before,
then 1, 2, 3 or 5 years after. The comparison-group design of the evaluation runs on that window, with its
pool and its placebo inference, and returns its minimum detectable effect at 80 % power
(:mod:`praevention.stats.placebo`). The figure describes the data, not the measure: the size of a reduction
that the evaluation would show with probability 0.8 if it happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from praevention.evaluation.design import ACCIDENT_GROUPS, Design, periods
from praevention.evaluation.evaluator import Evaluator
from praevention.evaluation.inputs import EvaluationData

AFTER_YEARS = (1, 2, 3, 5)
LEVELS = {8: "Gemeinde", 5: "Kreis", 2: "Land"}


def indicator_keys(text: str) -> tuple[str, ...]:
    """'------' or 'pks:------' → ('pks:------',); an accident group ('all', 'cyclists') → its panel
    indicators by preference (as the evaluation's designs use them)."""
    if text.startswith(("pks:", "acc:")):
        return (text,)
    if text in ACCIDENT_GROUPS:
        return ACCIDENT_GROUPS[text]
    return (f"pks:{text}",)


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


def plan(
    data: EvaluationData,
    treated: dict[str, set[str]],
    ags: str,
    indicators: tuple[str, ...],
    *,
    years_before: int = 5,
    after_years: tuple[int, ...] = AFTER_YEARS,
) -> list[PlanRow]:
    ev = Evaluator(data, treated)
    rows = []
    for unit, level, indicator in units_for(ags, indicators, data):
        domain = "crime" if indicator.startswith("pks:") else "traffic"
        years = data.years(unit, indicator)
        for n_after in after_years:
            after = years[-n_after:]
            start = after[0] - 1
            before = tuple(y for y in periods(years, start)[0] if y >= start - 1 - years_before)
            if len(after) < n_after or len(before) < 2:
                rows.append(PlanRow(unit, level, indicator, n_after, before, after, None, 0, "Datenreihe zu kurz"))
                continue
            d = Design(
                measure_id="Planung",
                body_id="",
                label="",
                group="",
                domain=domain,
                indicator=indicator,
                unit_ags=unit,
                unit_level=level,
                start=dt.date(start, 7, 1),
                end=None,
                before=before,
                after=after,
            )
            e = ev.did(d)
            pool = int(e.diagnostics.get("pool") or 0)
            reason = "" if e.evaluable else str(e.diagnostics.get("reason_de") or "")
            mde = e.mde_80 if e.evaluable else None
            rows.append(PlanRow(unit, level, indicator, n_after, before, after, mde, pool, reason))
    return rows
