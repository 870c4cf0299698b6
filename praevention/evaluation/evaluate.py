"""From the register and the panel to ``measure_effects`` and ``effects_pooled``.

* Every design (:mod:`praevention.evaluation.design`) runs through every estimator it admits
  (:class:`~praevention.evaluation.evaluator.Evaluator`); one estimate per design is the headline
  (:func:`~praevention.evaluation.evaluator.choose_headline`), or a row "nicht eindeutig auswertbar" names
  the checks that failed.
* **Multiple testing.** The headline p-values of the report are adjusted together, Benjamini–Hochberg
  (``p_adjusted``) and Holm (``p_holm``) beside it; identical designs (a body founded by one of its own
  measures) count once. Only a headline whose adjusted p-value is at most 5 % is a shown effect.
* **Finding** of a headline row, the classification the verdicts, fact sheets, report and decks use:
  ``effect`` (interval excludes no change and the adjusted p-value ≤ 0.05), ``chance`` (the interval
  excludes no change but the adjustment does not keep it), ``no_large_effect`` (the interval rules out a
  reduction as large as the minimum detectable effect), ``undetectable`` (the data could not detect
  effects below ``mde_80``), ``inconclusive`` (estimates exist but failed their checks), ``not_evaluable``.
* **Pooling** (:func:`pool_effects`): random-effects meta-analysis per type of measure, one estimate per
  measure and outcome family (the first registered target that was evaluable: all offences contain street
  crime, so nested indicators are never pooled as independent studies) and one per unit (designs on the
  same Kreis share its data), with the Hartung–Knapp–Sidik–Jonkman interval for small k.
* **Measures with a place** (a point, line or area and an accident target) are evaluated at that place
  (:mod:`praevention.evaluation.sites`, ``unit_level = 'Ort'``), not on their Gemeinde; their rows join the
  adjustment for the report's many tests like every other design.
* **Euros** (:func:`~praevention.evaluation.costs.add_benefits`): every accident estimate gets the accidents
  prevented per year valued with the BASt cost rates, and with the measure's cost benefit–cost and NPV.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from praevention.evaluation import sites
from praevention.evaluation.costs import add_benefits, place_mix
from praevention.evaluation.design import Design, designs, interventions
from praevention.evaluation.evaluator import Evaluator, choose_headline
from praevention.evaluation.inputs import EvaluationData
from praevention.stats.meta import random_effects
from praevention.stats.methods import NONE
from praevention.stats.multiple import benjamini_hochberg, holm
from praevention.stats.types import Z95, Effect, not_evaluable

ALPHA = 0.05
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
    "benefit_eur_per_year",
    "benefit_ci_low",
    "benefit_ci_high",
]
POOLED_COLUMNS = [
    "group",
    "indicator_domain",
    "method",
    "k",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "tau2",
    "i2",
    "forest",
]
DESIGN_KEY = ["unit_ags", "unit_level", "indicator", "period_before", "period_after", "method"]


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
    if not d.evaluable:
        return [_row(d, not_evaluable(NONE, "design", d.reason or ""), "", headline=True)]
    few = ev.too_few_cases(d)
    if few is not None:
        return [_row(d, few, "", headline=True)]
    computed: dict[str, Effect | None] = {}

    def get(method: str) -> Effect | None:
        if method not in computed:
            computed[method] = ev.method(d, method)
        return computed[method]

    if not lazy:
        for method in ev.methods(d):
            get(method)
    head, failures = choose_headline(d.domain, get)
    rows = [_row(d, e, ev.comparison(d, m), headline=e is head) for m, e in computed.items() if e is not None]
    if head is None:
        reason = "; ".join(failures) or "kein Verfahren anwendbar"
        rows.append(_row(d, not_evaluable(NONE, "inconclusive", reason), "", headline=True, finding="inconclusive"))
    return rows


def _row(d: Design, e: Effect, comparison: str, *, headline: bool, finding: str | None = None) -> dict:
    if finding is None and headline and not e.evaluable:
        finding = "not_evaluable"
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
    }


def adjust_and_classify(effects: pd.DataFrame, *, alpha: float = ALPHA) -> pd.DataFrame:
    """Adjusted p-values over the evaluable headline rows (identical designs once) and each headline's
    finding (see the module docstring)."""
    out = effects.copy()
    tested = out["headline"] & out["evaluable"]
    designs_tested = out.loc[tested, [*DESIGN_KEY, "p_value"]].drop_duplicates(DESIGN_KEY)
    designs_tested["p_adjusted"] = benjamini_hochberg(designs_tested["p_value"].astype(float))
    designs_tested["p_holm"] = holm(designs_tested["p_value"].astype(float))
    adjusted = out.loc[tested, DESIGN_KEY].merge(designs_tested, on=DESIGN_KEY, how="left")
    out["p_adjusted"], out["p_holm"] = np.nan, np.nan
    out.loc[tested, "p_adjusted"] = adjusted["p_adjusted"].to_numpy()
    out.loc[tested, "p_holm"] = adjusted["p_holm"].to_numpy()
    lo, hi, mde = (out[c].astype(float) for c in ("ci_low", "ci_high", "mde_80"))
    excludes_one = (hi < 1) | (lo > 1)
    finding = np.select(
        [excludes_one & (out["p_adjusted"] <= alpha), excludes_one, lo >= mde],
        ["effect", "chance", "no_large_effect"],
        "undetectable",
    )
    out.loc[tested, "finding"] = finding[tested.to_numpy()]
    return out


def run_designs(
    ev: Evaluator, all_designs: list[Design], labels: dict[str, str], *, lazy: bool = False
) -> pd.DataFrame:
    rows = [r for d in all_designs for r in design_rows(ev, d, lazy=lazy)]
    derived = ("indicator_label", "p_adjusted", "p_holm", "benefit_eur_per_year", "benefit_ci_low", "benefit_ci_high")
    frame = pd.DataFrame(rows, columns=[c for c in EFFECT_COLUMNS if c not in derived])
    frame["indicator_label"] = frame["indicator"].map(labels).fillna("")
    return frame


def register_designs(data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame) -> list[Design]:
    """The designs of every body and measure of the register."""
    interv = interventions(bodies, measures)
    return designs(interv, data.yearly[["unit_ags", "indicator", "year"]], data.land) if len(interv) else []


def evaluate(
    data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[Design]]:
    """``measure_effects`` (without the verdict sentences, see :mod:`praevention.render.verdict`),
    ``effects_pooled`` and the designs, for every body and measure of the register."""
    interv = interventions(bodies, measures)
    places = sites.places_of(data)
    site_map = sites.register_sites(measures, places)
    at_site = set(sites.located(measures)["measure_id"]) if len(measures) else set()
    area_designs = [
        d for d in register_designs(data, bodies, measures) if not (d.domain == "traffic" and d.measure_id in at_site)
    ]
    site_designs = sites.site_designs(measures, site_map, places)
    all_designs = area_designs + site_designs
    ev = Evaluator(data, treated_units(area_designs))
    labels = {d.indicator: data.label(d.indicator) for d in all_designs if d.indicator}
    models = sites.SiteModels(places, sites.exclusions(site_map))
    parts = [
        run_designs(ev, area_designs, labels),
        run_designs(sites.SiteEvaluator(places, site_map, models), site_designs, labels),
    ]
    frame = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    effects = adjust_and_classify(frame)
    effects = add_benefits(effects, *valuation_inputs(data, all_designs), measures, report_year(data))
    effects = effects[EFFECT_COLUMNS].sort_values(["measure_id", "indicator", "method"]).reset_index(drop=True)
    groups = interv.set_index("measure_id")["group"].to_dict() if len(interv) else {}
    return effects, pool_effects(effects, groups, all_designs), all_designs


def report_year(data: EvaluationData) -> int:
    """The latest accident year: the price level of every euro figure."""
    if len(data.points):
        return int(data.points["year"].max())
    acc = data.yearly[data.yearly["indicator"].str.startswith("acc:")]
    return int(acc["year"].max()) if len(acc) else int(data.yearly["year"].max())


def valuation_inputs(
    data: EvaluationData, all_designs: list[Design]
) -> tuple[dict[tuple[str, str, str], int], dict[tuple[str, str], dict[int, float]]]:
    """For :func:`~praevention.evaluation.costs.add_benefits`: every design's number of after-years, and the
    accidents by category of its indicator in the evaluated place (a site: its Gemeinde; a Kreis or the Land:
    the points inside)."""
    after = {(d.measure_id, d.indicator, d.unit_ags): len(d.after) for d in all_designs}
    points = data.points
    mixes = {}
    for d in all_designs:
        place = d.unit_ags.split(sites.SITE_SEPARATOR)[0]
        key = (d.unit_ags, d.indicator)
        if key in mixes or not d.indicator.startswith("acc:") or points.empty:
            continue
        inside = points[points["ags"].str.startswith(place)] if len(place) >= 5 else points
        mixes[key] = place_mix(inside, points, d.indicator)
    return after, mixes


def pool_effects(effects: pd.DataFrame, groups: dict[str, str], all_designs: list[Design]) -> pd.DataFrame:
    """Random-effects pooling of the headline estimates per type of measure and domain (REML, HKSJ)."""
    order = {(d.measure_id, d.indicator): i for i, d in enumerate(all_designs)}
    head = effects[effects["headline"] & effects["evaluable"]].copy()
    head["domain"] = np.where(head["indicator"].str.startswith("pks:"), "crime", "traffic")
    head["order"] = [order.get(k, 0) for k in zip(head["measure_id"], head["indicator"], strict=True)]
    # one outcome per measure and domain (its first registered target), one design per unit and domain
    head = head.sort_values(["order"]).drop_duplicates(["measure_id", "domain"]).drop_duplicates(["unit_ags", "domain"])
    head["group"] = head["measure_id"].map(groups).fillna("Maßnahme")
    rows = []
    for (group, domain), g in head.groupby(["group", "domain"]):
        if len(g) < 2:
            continue
        log = np.log(g["estimate"].astype(float).to_numpy())
        se = (np.log(g["ci_high"].astype(float)) - np.log(g["ci_low"].astype(float))).to_numpy() / (2 * Z95)
        res = random_effects(log, se, method="REML", hksj=True)
        forest = res.forest.drop(columns="label").assign(
            measure_id=g["measure_id"].to_numpy(), indicator_label=g["indicator_label"].to_numpy()
        )
        rows.append(
            {
                "group": group,
                "indicator_domain": domain,
                "method": "REML mit Hartung-Knapp-Sidik-Jonkman-Intervall",
                "k": res.k,
                "estimate": res.estimate,
                "ci_low": res.ci_low,
                "ci_high": res.ci_high,
                "p_value": res.p_value,
                "tau2": res.tau2,
                "i2": res.i2,
                "forest": to_json(forest.to_dict(orient="records")),
            }
        )
    return pd.DataFrame(rows, columns=POOLED_COLUMNS)
