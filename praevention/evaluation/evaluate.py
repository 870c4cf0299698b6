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
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

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
    frame = pd.DataFrame(
        rows, columns=[c for c in EFFECT_COLUMNS if c not in ("indicator_label", "p_adjusted", "p_holm")]
    )
    frame["indicator_label"] = frame["indicator"].map(labels).fillna("")
    # typed also without designs (a register without measures in the Land): flags select rows, never columns
    return frame.astype({"headline": bool, "evaluable": bool})


def register_designs(data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame) -> list[Design]:
    """The designs of every body and measure of the register."""
    return register_designs_on(data.yearly[["unit_ags", "indicator", "year"]], bodies, measures, data.land)


def register_designs_on(
    available: pd.DataFrame, bodies: pd.DataFrame, measures: pd.DataFrame, land: str
) -> list[Design]:
    """The register's designs on the panel cells ``available`` (unit_ags, indicator, year with a count)."""
    interv = interventions(bodies, measures)
    return designs(interv, available, land) if len(interv) else []


def evaluate(
    data: EvaluationData, bodies: pd.DataFrame, measures: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[Design]]:
    """``measure_effects`` (without the verdict sentences, see :mod:`praevention.render.verdict`),
    ``effects_pooled`` and the designs, for every body and measure of the register."""
    interv = interventions(bodies, measures)
    all_designs = register_designs(data, bodies, measures)
    ev = Evaluator(data, treated_units(all_designs))
    labels = {d.indicator: data.label(d.indicator) for d in all_designs if d.indicator}
    frame = run_designs(ev, all_designs, labels)
    effects = adjust_and_classify(frame)[EFFECT_COLUMNS]
    effects = effects.sort_values(["measure_id", "indicator", "method"]).reset_index(drop=True)
    groups = interv.set_index("measure_id")["group"].to_dict() if len(interv) else {}
    return effects, pool_effects(effects, groups, all_designs), all_designs


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
