"""One design's rows of ``measure_effects``: every method's estimate with exactly one headline row, as the
evaluation of the register (:mod:`praevention.evaluation.evaluate`), the calibrations on placebo measures and
the simulation study compute them, without the adjustment for the report's many tests and the pooling."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from praevention.evaluation.design import Design
from praevention.evaluation.dilution import area_mde
from praevention.evaluation.evaluator import Evaluator, choose_headline
from praevention.stats.methods import NONE
from praevention.stats.types import Effect, not_evaluable

EFFECT_COLUMNS = [
    "measure_id",
    "body_id",
    "unit_ags",
    "unit_level",
    "indicator",
    "indicator_label",
    "method",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "p_holm",
    "mde_80",
    "n_before",
    "n_after",
    "period_before",
    "period_after",
    "comparison",
    "diagnostics",
    "evaluable",
    "headline",
    "finding",
    "area_ags",
    "area_level",
    "area_share_cases",
    "area_share_population",
    "area_share_territory",
    "mde_80_area",
    "population_handling",
    "benefit_eur_per_year",
    "benefit_ci_low",
    "benefit_ci_high",
]


def to_json(value: object) -> str:
    def default(o: object) -> object:
        if isinstance(o, np.generic):
            return o.item()
        return str(o)

    return json.dumps(value, ensure_ascii=False, default=default, sort_keys=True)


def treated_units(all_designs: list[Design]) -> dict[str, set[str]]:
    """Indicator → units with an evaluable registered design on it (never comparison units)."""
    out: dict[str, set[str]] = {}
    for d in all_designs:
        if d.evaluable:
            out.setdefault(d.indicator, set()).add(d.unit_ags)
    return out


def design_rows(ev: Evaluator, d: Design, *, lazy: bool = False) -> list[dict]:
    """The rows of one design: every method's estimate, and exactly one headline row.

    ``lazy`` computes only what the headline rule reaches (the calibration's placebo designs)."""
    place = ev.place(d)
    if not d.evaluable:
        return [_row(d, not_evaluable(NONE, "design", d.reason or ""), "", place, headline=True)]
    few = ev.too_few_cases(d)
    if few is not None:
        return [_row(d, few, "", place, headline=True)]
    computed: dict[str, Effect | None] = {}

    def get(method: str) -> Effect | None:
        if method not in computed:
            computed[method] = ev.method(d, method)
        return computed[method]

    if not lazy:
        for method in ev.methods(d):
            get(method)
    head, failures = choose_headline(d.domain, get)
    if head is not None and not lazy:
        head = ev.with_design_checks(d, head)
        computed[head.method] = head
    rows = [_row(d, e, ev.comparison(d, m), place, headline=e is head) for m, e in computed.items() if e is not None]
    if head is None:
        reason = "; ".join(failures) or "kein Verfahren anwendbar"
        rows.append(
            _row(d, not_evaluable(NONE, "inconclusive", reason), "", place, headline=True, finding="inconclusive")
        )
    return rows


def _row(d: Design, e: Effect, comparison: str, place: dict, *, headline: bool, finding: str | None = None) -> dict:
    if finding is None and headline and not e.evaluable:
        finding = "not_evaluable"
    share = place["shares"].share
    return {
        "measure_id": d.measure_id,
        "body_id": d.body_id,
        "unit_ags": d.unit_ags,
        "unit_level": d.unit_level,
        "indicator": d.indicator,
        "method": e.method,
        "estimate": e.estimate if e.evaluable else None,
        "ci_low": e.ci_low if e.evaluable else None,
        "ci_high": e.ci_high if e.evaluable else None,
        "p_value": e.p_value if e.evaluable else None,
        "mde_80": e.mde_80 if e.evaluable else None,
        "n_before": e.n_before,
        "n_after": e.n_after,
        "period_before": d.period_before,
        "period_after": d.period_after,
        "comparison": comparison,
        "diagnostics": to_json({**e.diagnostics, **({"note_de": " ".join(d.notes)} if d.notes else {})}),
        "evaluable": bool(e.evaluable),
        "headline": headline,
        "finding": finding,
        "area_ags": d.area_ags,
        "area_level": d.area_level,
        "area_share_cases": place["shares"].cases,
        "area_share_population": place["shares"].population,
        "area_share_territory": place["shares"].territory,
        "mde_80_area": area_mde(e.mde_80, share) if e.evaluable else None,
        "population_handling": place["population_handling"] if e.evaluable else None,
    }


def run_designs(
    ev: Evaluator, all_designs: list[Design], labels: dict[str, str], *, lazy: bool = False
) -> pd.DataFrame:
    rows = [r for d in all_designs for r in design_rows(ev, d, lazy=lazy)]
    derived = ("indicator_label", "p_adjusted", "p_holm", "benefit_eur_per_year", "benefit_ci_low", "benefit_ci_high")
    frame = pd.DataFrame(rows, columns=[c for c in EFFECT_COLUMNS if c not in derived])
    frame["indicator_label"] = frame["indicator"].map(labels).fillna("")
    # typed also without designs (a register without measures in the Land): flags select rows, never columns
    return frame.astype({"headline": bool, "evaluable": bool})
