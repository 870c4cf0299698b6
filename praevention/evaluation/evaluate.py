"""From the register and the panel to ``measure_effects``, ``measure_type_effects`` and ``effects_pooled``.

* Every design (:mod:`praevention.evaluation.design`) runs through every estimator it admits
  (:class:`~praevention.evaluation.evaluator.Evaluator`); one estimate per design is the headline
  (:func:`~praevention.evaluation.evaluator.choose_headline`), or a row "nicht eindeutig auswertbar" names
  the checks that failed. Every row records the level measured, the measure's own area and its shares of the
  unit (:mod:`praevention.evaluation.dilution`), the dilution-aware minimum detectable effect in the area
  (``mde_80_area``) and how the population denominators were treated across the Zensus 2022 break.
* **Multiple testing.** The headline p-values of the report are adjusted together, Benjamini–Hochberg
  (``p_adjusted``) and Holm (``p_holm``) beside it; identical designs (a body founded by one of its own
  measures) count once. Only a headline whose adjusted p-value is at most 5 % is a shown effect.
* **Finding** of a headline row, the classification the verdicts, fact sheets, report and decks use, in four
  plain cases (:mod:`praevention.render.verdict`):

  1. ``effect``: the interval excludes no change and the adjusted p-value is at most 0.05;
  2. ``no_large_effect``: the interval rules out a reduction as large as the minimum detectable effect, and
     that bound means something for the measure's area (its dilution-aware minimum detectable effect is at
     most :data:`~praevention.evaluation.dilution.MAX_PLAUSIBLE_REDUCTION`);
  3. ``undetectable`` (the data cannot detect a plausible effect in the measure's area: measured on a unit
     much larger than the area, or too noisy) and ``chance`` (the interval excludes no change, but not after
     the adjustment for the report's many tests);
  4. ``inconclusive`` (estimates exist but failed their checks) and ``not_evaluable``.
* **Pooling** (:mod:`praevention.evaluation.pooling`): measures of one type pooled across councils by the
  declared rules of ``data/pooling_rules.yaml`` into ``measure_type_effects``; ``effects_pooled`` keeps its
  pooled rows in the table's earlier shape (:func:`effects_pooled`).
* **Measures with a place** (a point, line or area and an accident target) are evaluated at that place
  (:mod:`praevention.evaluation.sites`, ``unit_level = 'Ort'``), not on their Gemeinde; their rows join the
  adjustment for the report's many tests like every other design.
* **Euros** (:func:`~praevention.evaluation.costs.add_benefits`): every accident estimate gets the accidents
  prevented per year valued with the BASt cost rates, and with the measure's cost benefit–cost and NPV.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from praevention.evaluation import sites
from praevention.evaluation.costs import add_benefits, place_mix
from praevention.evaluation.design import Design, designs, interventions
from praevention.evaluation.dilution import detectable
from praevention.evaluation.evaluator import Evaluator
from praevention.evaluation.inputs import EvaluationData
from praevention.evaluation.pooling import Entry, entries, measure_texts, measure_type_effects, row_share
from praevention.evaluation.rows import EFFECT_COLUMNS, design_rows, run_designs, treated_units
from praevention.stats.multiple import benjamini_hochberg, holm

ALPHA = 0.05
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
    plausible = out["mde_80_area"].map(lambda v: detectable(None if pd.isna(v) else float(v)))
    finding = np.select(
        [excludes_one & (out["p_adjusted"] <= alpha), excludes_one, (lo >= mde) & plausible],
        ["effect", "chance", "no_large_effect"],
        "undetectable",
    )
    out.loc[tested, "finding"] = finding[tested.to_numpy()]
    return out


def register_designs(data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame) -> list[Design]:
    """The designs of every body and measure of the register."""
    return register_designs_on(data.available, bodies, measures, data.land)


def register_designs_on(
    available: pd.DataFrame, bodies: pd.DataFrame, measures: pd.DataFrame, land: str
) -> list[Design]:
    """The register's designs on the panel cells ``available`` (unit_ags, indicator, year a design can use)."""
    interv = interventions(bodies, measures)
    return designs(interv, available, land) if len(interv) else []


def evaluate(
    data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[Design]]:
    """``measure_effects`` (without the verdict sentences, see :mod:`praevention.render.verdict`),
    ``measure_type_effects`` (:mod:`praevention.evaluation.pooling`) and the designs, for every body and
    measure of the register."""
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
    head = effects[effects["headline"] & effects["evaluable"]]

    def on_kreis(d: Design) -> Entry | None:
        row = next(r for r in design_rows(ev, d, lazy=True) if r["headline"])
        if not row["evaluable"]:
            return None
        labels.setdefault(d.indicator, data.label(d.indicator))
        return Entry(
            d, (d.measure_id,), float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"]), row_share(row)
        )

    # measures of one type pooled on their areas or Kreise; the site designs are crash modification factors
    # of single places (:mod:`praevention.evaluation.sites`) and stay out of these pools
    pools = entries(head, area_designs, interv, on_kreis) if len(interv) else {}
    texts = measure_texts(interv) if len(interv) else {}
    return effects, measure_type_effects(pools, labels, texts), all_designs


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


def effects_pooled(types: pd.DataFrame) -> pd.DataFrame:
    """``effects_pooled``: the pooled rows of ``measure_type_effects`` (at least two designs) in the table's
    older shape, one per type, outcome and scope."""
    pooled = types[types["n_designs"] >= 2]
    group = [
        f"{label}: {outcome}" + (" (landesweit)" if scope == "Land" else "")
        for label, outcome, scope in zip(
            pooled["measure_type_label"], pooled["outcome_label"], pooled["scope"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "group": group,
            "indicator_domain": ["traffic" if o.startswith("unfaelle") else "crime" for o in pooled["outcome"]],
            "method": pooled["method"],
            "k": pooled["n_designs"],
            "estimate": pooled["estimate"],
            "ci_low": pooled["ci_low"],
            "ci_high": pooled["ci_high"],
            "p_value": pooled["p_value"],
            "tau2": pooled["tau2"],
            "i2": pooled["i2"],
            "forest": pooled["forest"],
        },
        columns=POOLED_COLUMNS,
    )
