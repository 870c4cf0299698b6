"""What works in the Land: the evaluations of measures of one type pooled across councils.

One council's data rarely show a 15 % reduction; several councils doing the same can. The rules of the
pooling are declared before results are seen, in the versioned file ``data/pooling_rules.yaml``
(:func:`rules`), and every output that shows a pooled result names its version:

* **Types.** The register's type of measure (Art der Maßnahme) and, for a council's founding, its body type
  map to a pooled type with a mechanism class (``mechanism``); a measure whose register row names another
  mechanism is pooled under that one.
* **Once per measure and outcome family.** Every indicator belongs to an outcome family (all offences
  contain street crime: nested indicators are never pooled as independent studies); each measure enters a
  family at most once, and identical designs (a body founded by its own measure) count once.
* **Level.** Land-wide measures are pooled apart from local ones. Local designs are pooled on the measures'
  own areas when every design measures its own area (a Gemeinde from the LKA's figures, named Stadtteile, a
  kreisfreie Stadt or a Kreis-wide measure on its Kreis); when some are measured only on a larger unit, all
  are pooled on their Kreise (a design measured on a finer unit is evaluated again on its Kreis), so that
  every pooled effect is on one scale. One design per unit and family.
* **Method.** Random-effects meta-analysis of the log rate ratios (REML; Viechtbauer 2005) with the modified
  Knapp–Hartung interval (Knapp & Hartung 2003; Röver, Knapp & Friede 2015), which is never narrower than
  the plain random-effects interval, a prediction interval for the effect of the next measure of the type
  (Higgins, Thompson & Spiegelhalter 2009) and the pooled minimum detectable effect
  (:func:`praevention.stats.meta.random_effects`). A design's standard error is its 95 % interval's
  half-width on the log scale divided by 1.96.
* **Literature on the same scale.** The review effect for the type (``data/literature.yaml``) applies where a
  measure acts; ``literature_at_level`` is the same effect spread over the unit measured, by the pooled
  designs' mean share (:mod:`praevention.evaluation.dilution`).
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from praevention.evaluation.design import Design
from praevention.evaluation.dilution import is_diluted
from praevention.evaluation.outcomes import design_key
from praevention.stats.meta import random_effects
from praevention.stats.types import Z95

RULES = Path(__file__).resolve().parents[2] / "data" / "pooling_rules.yaml"
COLUMNS = [
    "measure_type",
    "n_measures",
    "n_designs",
    "estimate",
    "ci_low",
    "ci_high",
    "pi_low",
    "pi_high",
    "i2",
    "mde_80",
    "literature_estimate",
    "literature_source",
    "measure_type_label",
    "mechanism",
    "outcome",
    "outcome_label",
    "scope",
    "unit_level",
    "method",
    "p_value",
    "tau2",
    "mean_share",
    "literature_at_level",
    "rules_version",
    "designs_for_15",
    "forest",
]
#: the reduction the planning figures are given for
PLANNING_REDUCTION = 0.15


@cache
def rules() -> dict:
    """The declared pooling rules (``data/pooling_rules.yaml``)."""
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def rules_label() -> str:
    """'Regeln Version 1 vom 03.12.2026': how the outputs name the rules."""
    r = rules()
    y, m, d = str(r["declared"]).split("-")
    return f"Regeln Version {r['version']} vom {d}.{m}.{y}, festgelegt vor der Auswertung (data/pooling_rules.yaml)"


def family_of(indicator: str) -> tuple[str, str]:
    """(family, German label) of an indicator; an indicator outside the declared families is its own."""
    for f in rules()["outcome_families"]:
        if indicator in f["indicators"]:
            return f["family"], f["label_de"]
    return indicator, indicator


def family_label(indicator: str, labels: dict[str, str]) -> str:
    """The German label of an indicator's family; an indicator outside the families by its own label."""
    family, label = family_of(indicator)
    return labels.get(indicator, indicator) if family == indicator else label


def pool_type(group: str, is_body: bool, mechanism: object = None) -> tuple[str, str, str] | None:
    """(type, German label, mechanism) of a measure type or body type, or None when no rule pools it."""
    key = "body_types" if is_body else "measure_types"
    for t in rules()["types"]:
        if group in t.get(key, []):
            mech = mechanism if isinstance(mechanism, str) and mechanism else t["mechanism"]
            return t["type"], t["label_de"], mech
    return None


def measure_kinds(interv: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """measure_id → (pooled type, mechanism) of every intervention a rule pools."""
    out = {}
    for m in interv.to_dict(orient="records"):
        kind = pool_type(str(m["group"]), ":" in str(m["measure_id"]), m.get("mechanism"))
        if kind is not None:
            out[str(m["measure_id"])] = (kind[0], kind[2])
    return out


def measure_texts(interv: pd.DataFrame) -> dict[str, str]:
    """measure_id → its title and "Für wen und wo": what a review's populations are matched on."""
    return {
        str(m["measure_id"]): " ".join(str(m.get(c)) for c in ("label", "moderators") if isinstance(m.get(c), str))
        for m in interv.to_dict(orient="records")
    }


@dataclasses.dataclass(frozen=True)
class Entry:
    """One design entering a pool, with the measures it stands for."""

    design: Design
    measures: tuple[str, ...]
    estimate: float
    ci_low: float
    ci_high: float
    share: float


def entries(
    headline: pd.DataFrame, all_designs: list[Design], interv: pd.DataFrame, kreis_estimate
) -> dict[tuple[str, str, str, str], list[Entry]]:
    """The designs of each pool (type, mechanism, family, scope) by the declared rules. ``headline``: the
    evaluable headline rows of ``measure_effects``; ``kreis_estimate(design)`` evaluates a design moved to
    its Kreis and returns its :class:`Entry`, or None when it is not evaluable there."""
    kinds = measure_kinds(interv)
    rows = headline.set_index(["measure_id", "indicator"])
    found: dict[tuple, list[tuple[Design, pd.Series]]] = {}
    for d in all_designs:
        if (d.measure_id, d.indicator) not in rows.index or d.measure_id not in kinds:
            continue
        kind, mechanism = kinds[d.measure_id]
        family, _ = family_of(d.indicator)
        scope = "Land" if d.unit_level == "Land" else "lokal"
        found.setdefault((kind, mechanism, family, scope), []).append((d, rows.loc[(d.measure_id, d.indicator)]))
    out = {}
    for key, items in found.items():
        once: dict[str, tuple[Design, pd.Series]] = {}
        for d, r in items:  # each measure once per family: its first registered indicator of the family
            once.setdefault(d.measure_id, (d, r))
        # on the measures' own areas when every design measures its area, else all on their Kreis
        own_areas = not any(is_diluted(d) for d, _ in once.values())
        pooled: dict[tuple, Entry] = {}
        for d, r in once.values():
            entry = Entry(
                d, (d.measure_id,), float(r["estimate"]), float(r["ci_low"]), float(r["ci_high"]), row_share(r)
            )
            if not own_areas and d.unit_level not in ("Kreis", "Land"):
                entry = kreis_estimate(_on_kreis(d))
                if entry is None:
                    continue
            d = entry.design
            same = (d.unit_ags, d.indicator, d.before, d.after)
            if same in pooled:  # identical designs: one estimate, several measures
                pooled[same] = dataclasses.replace(pooled[same], measures=(*pooled[same].measures, d.measure_id))
            elif (d.unit_ags, d.indicator) not in {(e.design.unit_ags, e.design.indicator) for e in pooled.values()}:
                pooled[same] = entry
        if pooled:
            out[key] = list(pooled.values())
    return out


def _on_kreis(d: Design) -> Design:
    """The design of a measure measured on a finer unit, on its Kreis instead."""
    key = d.indicator.removeprefix("pks:")
    indicator = f"pks:{design_key(key, 'Kreis')}" if d.indicator.startswith("pks:") else d.indicator
    return dataclasses.replace(d, unit_ags=d.unit_ags.split("-")[0][:5], unit_level="Kreis", indicator=indicator)


#: the level of a pool whose designs each measure the measure's own area on different levels
OWN_AREA = "Ort der Maßnahme"


def _level(items: list[Entry]) -> str:
    """The level the pool's designs measure: one level, or the measures' own areas."""
    levels = {e.design.unit_level for e in items}
    return levels.pop() if len(levels) == 1 else OWN_AREA


def row_share(row: pd.Series | dict) -> float:
    """The dilution of a ``measure_effects`` row: its area's share of cases, else of population, else 1."""
    for c in ("area_share_cases", "area_share_population"):
        v = row.get(c)
        if v is not None and not pd.isna(v) and float(v) > 0:
            return min(float(v), 1.0)
    return 1.0


def designs_needed(variance: float, reduction: float = PLANNING_REDUCTION, limit: int = 500) -> int | None:
    """The number k of designs whose pooled estimate detects ``reduction`` with 80 % power, when each
    design's log estimate has ``variance`` (its own plus the between-design τ²): the smallest k ≥ 2 with
    (t_{k−1, 0.975} + t_{k−1, 0.80}) · √(variance / k) ≤ −log(1 − reduction); None beyond ``limit``."""
    from scipy import stats

    target = -math.log(1 - reduction)
    for k in range(2, limit + 1):
        if (stats.t.ppf(0.975, k - 1) + stats.t.ppf(0.8, k - 1)) * math.sqrt(variance / k) <= target:
            return k
    return None


def measure_type_effects(
    pools: dict[tuple[str, str, str, str], list[Entry]], labels: dict[str, str], texts: dict[str, str]
) -> pd.DataFrame:
    """One row per pool (:data:`COLUMNS`): the pooled effect, or the single design's where only one exists."""
    from praevention.evaluation.literature import review_for

    r = rules()
    out = []
    for (kind, mechanism, family, scope), items in sorted(pools.items()):
        log = np.log([e.estimate for e in items])
        se = (np.log([e.ci_high for e in items]) - np.log([e.ci_low for e in items])) / (2 * Z95)
        k = len(items)
        if k >= int(r["min_designs"]):
            res = random_effects(log, se, method="REML", hksj=True, modified=True)
            est, lo, hi, p = res.estimate, res.ci_low, res.ci_high, res.p_value
            pi_low, pi_high, i2, tau2, mde = res.pi_low, res.pi_high, res.i2, res.tau2, res.mde_80
            method = str(r["method_de"])
            variance = k * res.se**2  # one design's share: its own variance and τ²
        else:
            est, lo, hi = items[0].estimate, items[0].ci_low, items[0].ci_high
            p, pi_low, pi_high, i2, tau2, mde = (math.nan,) * 6
            method = "eine Auswertung (nicht gepoolt)"
            variance = float(se[0]) ** 2 + float(r["planning_tau"]) ** 2
        type_label = next(t["label_de"] for t in r["types"] if t["type"] == kind)
        indicators = sorted({e.design.indicator for e in items})
        review = review_for(kind, mechanism, indicators, [texts.get(m, "") for e in items for m in e.measures])
        share = float(np.mean([e.share for e in items]))
        lit = (
            None if review is None or review.get("reduction_percent") is None else 1 - review["reduction_percent"] / 100
        )
        forest = pd.DataFrame(
            {
                "measure_id": [", ".join(e.measures) for e in items],
                "unit_ags": [e.design.unit_ags for e in items],
                "indicator_label": [labels.get(e.design.indicator, e.design.indicator) for e in items],
                "estimate": [e.estimate for e in items],
                "ci_low": [e.ci_low for e in items],
                "ci_high": [e.ci_high for e in items],
            }
        )
        out.append(
            {
                "measure_type": kind,
                "n_measures": sum(len(e.measures) for e in items),
                "n_designs": k,
                "estimate": est,
                "ci_low": lo,
                "ci_high": hi,
                "pi_low": pi_low,
                "pi_high": pi_high,
                "i2": i2,
                "mde_80": mde,
                "literature_estimate": lit,
                "literature_source": None if review is None else review["short"],
                "measure_type_label": type_label,
                "mechanism": mechanism,
                "outcome": family,
                "outcome_label": family_label(indicators[0], labels),
                "scope": scope,
                "unit_level": _level(items),
                "method": method,
                "p_value": p,
                "tau2": tau2,
                "mean_share": share,
                "literature_at_level": None if lit is None else 1 - share * (1 - lit),
                "rules_version": int(r["version"]),
                "designs_for_15": designs_needed(variance),
                "forest": forest.to_json(orient="records", force_ascii=False),
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)
