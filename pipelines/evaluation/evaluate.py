"""Run every design through the estimators that fit it and collect ``measure_effects`` and ``effects_pooled``.

* Crime (PKS, per Kreis or per Land): naive, comparison-group DiD (pool chosen by rule), staggered DiD
  (all measures on the same indicator at once, against never-treated Kreise), synthetic control.
* Traffic (accident counts and Unfallatlas points): naive, DiD against the other units of the same level,
  Empirical Bayes with an SPF fitted on those units, and, for measures with a point or polygon area and
  point data, the weighted displacement quotient.
* One estimate per measure and indicator is the headline (:meth:`Evaluator.headline`): DiD when its
  pre-trend test passes, else a well-fitting synthetic control, else Empirical Bayes or the staggered
  estimate. The naive comparison is never the headline.
* Too few cases (fewer than :data:`MIN_CASES` before and after together) make a design not evaluable.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.evaluation.design import Design, designs, interventions
from pipelines.lineage import content_key, source_key
from pipelines.stats.did import poisson_fe_did, select_comparison_pool, staggered_did
from pipelines.stats.eb import eb_before_after, fit_spf
from pipelines.stats.meta import random_effects
from pipelines.stats.naive import naive_before_after
from pipelines.stats.synth import synthetic_control
from pipelines.stats.types import Effect, not_evaluable
from pipelines.stats.verdict import verdict_de
from pipelines.stats.wdq import displacement

MIN_CASES = 20
KREIS_TYPES = {
    "KfS": "Kreisfreie Stadt",
    "SK": "Kreisfreie Stadt",
    "LK": "Landkreis",
    "K": "Landkreis",
    "RV": "Landkreis",
    "Kreisfreie Stadt": "Kreisfreie Stadt",
    "Landkreis": "Landkreis",
}
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
    "n_before",
    "n_after",
    "period_before",
    "period_after",
    "comparison",
    "diagnostics",
    "evaluable",
    "headline",
    "verdict_de",
]
POOLED_COLUMNS = [
    "group",
    "indicator_domain",
    "method",
    "k",
    "estimate",
    "ci_low",
    "ci_high",
    "tau2",
    "i2",
    "verdict_de",
    "forest",
]


def _series(panel: pd.DataFrame, unit: str, indicator: str) -> pd.DataFrame:
    s = panel[(panel["unit_ags"] == unit) & (panel["indicator"] == indicator) & panel["month"].isna()]
    return s.sort_values("year")


def _json(value: object) -> str:
    def default(o: object) -> object:
        if isinstance(o, np.generic):
            return o.item()
        return str(o)

    return json.dumps(value, ensure_ascii=False, default=default, sort_keys=True)


Estimates = list[tuple[Effect, str]] | Effect
ESTIMATOR_CODE = [*sorted((Path(__file__).parents[1] / "stats").glob("*.py")), Path(__file__)]


def frame_key(*frames: pd.DataFrame) -> str:
    """Content key of data frames: columns, dtypes and every value (pandas' stable row hashes)."""
    parts: list[str | bytes] = []
    for f in frames:
        parts += [repr(list(zip(f.columns, map(str, f.dtypes), strict=True))), f"{len(f)}"]
        if len(f):
            parts.append(pd.util.hash_pandas_object(f, index=False).to_numpy().tobytes())
    return content_key(*parts)


class EstimateStore:
    """Estimates of earlier runs by design key (table ``estimate_cache``): an estimate is reused when the
    estimator code, the data and everything the design's estimators read are unchanged, so an edit
    to a measure's text re-estimates nothing. ``used`` holds the entries of this run (what is stored
    next), ``computed`` counts the designs estimated afresh."""

    def __init__(self, entries: Mapping[str, str] | None = None, data_key: str = ""):
        self.old = dict(entries or {})
        self.base = content_key(source_key(*ESTIMATOR_CODE), data_key)
        self.used: dict[str, str] = {}
        self.computed = 0

    def get(self, parts: tuple, compute: Callable[[], Estimates]) -> Estimates:
        key = content_key(self.base, repr(parts))
        if key in self.old:
            self.used[key] = self.old[key]
            return _decode(json.loads(self.old[key]))
        result = compute()
        self.computed += 1
        self.used[key] = _json(_encode(result))
        return result

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(sorted(self.used.items()), columns=["key", "estimates"])


def _encode(result: Estimates) -> dict:
    if isinstance(result, Effect):
        return {"effect": dataclasses.asdict(result)}
    return {"list": [[dataclasses.asdict(e), text] for e, text in result]}


def _decode(payload: dict) -> Estimates:
    if "effect" in payload:
        return Effect(**payload["effect"])
    return [(Effect(**e), text) for e, text in payload["list"]]


class Evaluator:
    def __init__(
        self,
        panel: pd.DataFrame,
        kreise: pd.DataFrame,
        points: pd.DataFrame,
        measures: pd.DataFrame,
        land: str,
        store: EstimateStore | None = None,
    ):
        self.panel = panel[panel["count"].notna()]
        self.kreise = kreise
        self.points = points
        self.measures = measures.set_index("measure_id") if len(measures) else measures
        self.land = land
        yearly = self.panel[self.panel["month"].isna()]
        self.by_indicator = {ind: g for ind, g in yearly.groupby("indicator", sort=False)}
        self.cells = yearly[["unit_ags", "indicator", "year"]]
        # Land populations from the PKS sums (all Länder), the exposure for Land-level accident designs
        pop = yearly[(yearly["unit_level"] == "Land") & (yearly["indicator"] == "pks:------")]
        self.land_population = {(r.unit_ags, r.year): r.population for r in pop.itertuples()}
        self._cache: dict[tuple, Estimates] = {}
        self.store = store or EstimateStore()

    # ------------------------------------------------------------------ data slices
    def ind(self, indicator: str) -> pd.DataFrame:
        """Yearly panel rows of one indicator (empty if the panel has none)."""
        return self.by_indicator.get(indicator, self.panel.iloc[:0])

    def exposure(self, rows: pd.DataFrame) -> pd.Series:
        pop = rows["population"].astype(float)
        missing = pop.isna()
        if missing.any():
            filled = [
                self.land_population.get((u, y), np.nan)
                for u, y in zip(rows.loc[missing, "unit_ags"], rows.loc[missing, "year"], strict=True)
            ]
            pop[missing] = np.asarray(filled, dtype=float)
        return pop

    def unit_panel(self, d: Design, units: list[str]) -> pd.DataFrame:
        rows = self.ind(d.indicator)
        rows = rows[rows["unit_ags"].isin(units) & rows["comparison_eligible"]]
        rows = rows[rows["unit_level"] == d.unit_level]
        out = pd.DataFrame(
            {"unit": rows["unit_ags"], "period": rows["year"], "count": rows["count"], "exposure": self.exposure(rows)}
        )
        keep = set(d.before) | set(d.after)
        out = out[out["period"].isin(keep) & out["exposure"].notna()]
        out["treated_unit"] = (out["unit"] == d.unit_ags).astype(int)
        out["treated"] = ((out["treated_unit"] == 1) & out["period"].isin(d.after)).astype(int)
        return out.reset_index(drop=True)

    # ------------------------------------------------------------------ estimators per design
    def naive(self, d: Design) -> Effect:
        s = _series(self.panel, d.unit_ags, d.indicator)
        s = s.assign(exposure=self.exposure(s))
        b, a = s[s["year"].isin(d.before)], s[s["year"].isin(d.after)]
        if b["exposure"].notna().all() and a["exposure"].notna().all():
            return naive_before_after(b["count"].sum(), b["exposure"].sum(), a["count"].sum(), a["exposure"].sum())
        # without a population for every year the exposure is the number of years, for both periods
        return naive_before_after(b["count"].sum(), float(len(b)), a["count"].sum(), float(len(a)))

    def candidates(self, d: Design, excluded: set[str]) -> pd.DataFrame:
        """Kreise (or Länder) with type, density and pre-trend, for the pool rule."""
        rows = self.ind(d.indicator)
        rows = rows[
            (rows["unit_level"] == d.unit_level)
            & rows["comparison_eligible"]
            & rows["year"].isin(d.before)
            & rows["population"].gt(0)
            & rows["count"].gt(0)
        ]
        rows = rows[~rows["unit_ags"].isin(excluded - {d.unit_ags})]
        # least-squares slope of the log rate over the before years, per unit, vectorised
        y = np.log(rows["count"] / rows["population"])
        t = rows["year"].astype(float)
        g = pd.DataFrame({"unit": rows["unit_ags"], "t": t, "y": y, "ty": t * y, "tt": t * t}).groupby("unit")
        sums, n = g.sum(), g.size()
        var = sums["tt"] - sums["t"] ** 2 / n
        slope = ((sums["ty"] - sums["t"] * sums["y"] / n) / var.where(var > 0)).fillna(0.0)
        info = self.kreise.set_index("unit")
        cand = pd.DataFrame({"unit": slope.index, "pre_trend": slope.to_numpy()})
        if d.unit_level == "Land":
            cand["kreis_type"] = "Land"
            cand["log_density"] = 0.0
        else:
            cand["kreis_type"] = cand["unit"].map(info["kreis_type"])
            cand["log_density"] = cand["unit"].map(info["log_density"])
        return cand

    def did(self, d: Design, excluded: set[str]) -> tuple[Effect, list[str], str]:
        if d.unit_level == "Land":
            rows = self.ind(d.indicator)
            others = sorted(set(rows.loc[rows["unit_level"] == "Land", "unit_ags"]) - {d.unit_ags})
            pool, text = others, f"die {len(others)} anderen Länder"
        elif d.unit_level == "Kreis" and d.domain == "crime":
            pool, text = select_comparison_pool(self.candidates(d, excluded), d.unit_ags)
        else:
            rows = self.ind(d.indicator)
            level_units = rows.loc[
                (rows["unit_level"] == d.unit_level) & (rows["unit_ags"].str[:2] == self.land), "unit_ags"
            ]
            pool = sorted(set(level_units) - excluded - {d.unit_ags})
            text = f"{len(pool)} weitere {'Gemeinden' if d.unit_level == 'Gemeinde' else 'Kreise'} des Landes"
        if not pool:
            return not_evaluable("did_poisson_fe", "no_comparison", text or "keine Vergleichsgruppe"), [], text
        data = self.unit_panel(d, [d.unit_ags, *pool])
        return poisson_fe_did(data), pool, text

    def synth(self, d: Design, pool: list[str]) -> Effect:
        data = self.unit_panel(d, [d.unit_ags, *pool])
        if data.empty:
            return not_evaluable("synthetic_control", "no_data", "keine Daten")
        data["rate"] = data["count"] / data["exposure"] * 1e5
        wide = data.pivot(index="period", columns="unit", values="rate")
        return synthetic_control(wide, d.unit_ags, min(d.after))

    def eb(self, d: Design, excluded: set[str]) -> tuple[Effect, str]:
        level_rows = self.ind(d.indicator)
        level_rows = level_rows[
            (level_rows["unit_level"] == d.unit_level) & level_rows["year"].isin(d.before + d.after)
        ]
        if d.unit_level != "Land":
            level_rows = level_rows[level_rows["unit_ags"].str[:2] == self.land]
        level_rows = level_rows.assign(exposure=self.exposure(level_rows))
        level_rows = level_rows[level_rows["exposure"].notna() & (level_rows["exposure"] > 0)]
        reference = level_rows[~level_rows["unit_ags"].isin(excluded | {d.unit_ags})]
        if reference["unit_ags"].nunique() < 5:
            return not_evaluable("empirical_bayes", "no_reference", "keine Referenzgruppe für die Vorhersage"), ""
        spf = fit_spf(reference[["count", "exposure", "year"]])
        mine = level_rows[level_rows["unit_ags"] == d.unit_ags]
        if mine.empty:
            return not_evaluable("empirical_bayes", "no_exposure", "keine Bevölkerungszahl für die Einheit"), ""
        pred = spf.predict(mine["exposure"].to_numpy(), mine["year"].to_numpy())
        before, after = mine["year"].isin(d.before).to_numpy(), mine["year"].isin(d.after).to_numpy()
        e = eb_before_after(
            float(mine.loc[before, "count"].sum()),
            float(pred[before].sum()),
            float(mine.loc[after, "count"].sum()),
            float(pred[after].sum()),
            spf.k,
        )
        text = (
            f"Vorhersagemodell (NB-Regression) aus {reference['unit_ags'].nunique()} Referenzeinheiten "
            f"gleicher Ebene, k = {spf.k:.3f}"
        )
        return e.with_(diagnostics={**e.diagnostics, "spf_k": round(spf.k, 4), "spf_n": spf.n}), text

    def wdq(self, d: Design) -> Effect | None:
        if d.measure_id not in self.measures.index or self.points.empty:
            return None
        m = self.measures.loc[d.measure_id]
        if not isinstance(m.get("area_wkt"), str):
            return None
        import shapely
        from pyproj import Transformer

        area = shapely.from_wkt(m["area_wkt"])
        to_utm = Transformer.from_crs(4326, 25832, always_xy=True)
        area = shapely.transform(area, lambda xy: np.c_[to_utm.transform(xy[:, 0], xy[:, 1])])
        if area.geom_type == "Point":
            radius = float(m.get("area_radius_m") or 0)
            if radius <= 0:
                return None
            target = area.buffer(radius)
            buffer = area.buffer(2 * radius).difference(target)
        else:
            target = area
            buffer = area.buffer(max(300.0, math.sqrt(area.area) / 2)).difference(area)
        pts = self.points[self.points["ags"].str[:5] == d.unit_ags[:5]]
        if d.indicator in ("acc:points_ksi",):
            pts = pts[pts["category"] <= 2]
        xy = pts[["x_25832", "y_25832"]].to_numpy()
        in_t = shapely.contains_xy(target, xy[:, 0], xy[:, 1])
        in_b = shapely.contains_xy(buffer, xy[:, 0], xy[:, 1])
        zone = np.where(in_t, "A", np.where(in_b, "B", "C"))
        counts = pd.crosstab(
            zone, np.where(pts["year"].isin(d.before), "b", np.where(pts["year"].isin(d.after), "a", "x"))
        )
        get = lambda z, p: float(counts.loc[z, p]) if z in counts.index and p in counts.columns else 0.0  # noqa: E731
        return displacement(get("A", "b"), get("A", "a"), get("B", "b"), get("B", "a"), get("C", "b"), get("C", "a"))

    # ------------------------------------------------------------------ orchestration
    def run(self, all_designs: list[Design]) -> pd.DataFrame:
        treated_by_indicator: dict[str, set[str]] = {}
        for d in all_designs:
            if d.evaluable:
                treated_by_indicator.setdefault(d.indicator, set()).add(d.unit_ags)
        staggered = self.staggered(all_designs, treated_by_indicator)
        rows = []
        for d in all_designs:
            rows.extend(self.evaluate_design(d, treated_by_indicator.get(d.indicator, set()), staggered))
        frame = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
        return frame.sort_values(["measure_id", "indicator", "method"]).reset_index(drop=True)

    def staggered(
        self, all_designs: list[Design], treated: dict[str, set[str]]
    ) -> dict[tuple[str, str], tuple[Effect, str]]:
        """Cohort effects per (indicator, unit) for Kreis-level crime designs."""
        out: dict[tuple[str, str], tuple[Effect, str]] = {}
        by_indicator: dict[str, list[Design]] = {}
        for d in all_designs:
            if d.evaluable and d.domain == "crime" and d.unit_level == "Kreis":
                by_indicator.setdefault(d.indicator, []).append(d)
        for indicator, ds in by_indicator.items():
            first = {}
            for d in sorted(ds, key=lambda x: min(x.after)):
                first.setdefault(d.unit_ags, (min(d.after), d.start.year))
            rows = self.ind(indicator)
            rows = rows[(rows["unit_level"] == "Kreis") & rows["comparison_eligible"] & rows["population"].gt(0)]
            data = pd.DataFrame(
                {
                    "unit": rows["unit_ags"],
                    "period": rows["year"],
                    "count": rows["count"],
                    "exposure": rows["population"],
                }
            )
            data["first_treated"] = data["unit"].map({u: f for u, (f, _) in first.items()})
            transition = data["unit"].map({u: s for u, (_, s) in first.items()})
            data = data[~(data["period"] == transition)]  # the start year belongs to neither period
            data = data[data["first_treated"].notna() | ~data["unit"].isin(treated.get(indicator, set()))]
            _, cohorts = staggered_did(data)
            for unit, (f, _) in first.items():
                if f in cohorts:
                    members = sorted(u for u, (g, _) in first.items() if g == f)
                    never = data.loc[data["first_treated"].isna(), "unit"].nunique()
                    out[(indicator, unit)] = (
                        cohorts[f],
                        f"Kohorte Start {f}: {len(members)} Kreis(e) ({', '.join(members)}) "
                        f"gegen {never} Kreise ohne Maßnahme (ganz Deutschland)",
                    )
        return out

    def evaluate_design(self, d: Design, treated: set[str], staggered: dict) -> list[dict]:
        label = self.label(d)
        base = {
            "measure_id": d.measure_id,
            "body_id": d.body_id,
            "unit_ags": d.unit_ags,
            "unit_level": d.unit_level,
            "indicator": d.indicator,
            "indicator_label": label,
            "period_before": d.period_before,
            "period_after": d.period_after,
        }
        event = self.event(d)
        if not d.evaluable:
            e = not_evaluable("none", "design", d.reason or "")
            return [self.row(base, e, "", event, headline=True)]
        results = self.estimates(d, treated, staggered)
        if isinstance(results, Effect):
            return [self.row(base, results, "", event, headline=True)]
        head = self.headline([e for e, _ in results])
        return [self.row(base, e, text, event, headline=(e is head)) for e, text in results]

    def _estimates(self, d: Design, treated: set[str], staggered: dict) -> list[tuple[Effect, str]] | Effect:
        naive = self.naive(d)
        n_total = (naive.n_before or 0) + (naive.n_after or 0)
        if n_total < MIN_CASES:
            return not_evaluable(
                "none", "too_few_cases", f"zu wenige Fälle ({int(n_total)} vorher und nachher zusammen)"
            )
        results: list[tuple[Effect, str]] = [(naive, "keine (gleiche Einheit vorher und nachher)")]
        did, pool, pool_text = self.did(d, treated)
        results.append((did, pool_text))
        if d.domain == "crime":
            if (d.indicator, d.unit_ags) in staggered:
                results.append(staggered[(d.indicator, d.unit_ags)])
            if pool:
                results.append((self.synth(d, pool), f"synthetische Vergleichsregion aus {len(pool)} Einheiten"))
        else:
            results.append(self.eb(d, treated))
            w = self.wdq(d)
            if w is not None:
                results.append((w, "Zielgebiet, Umfeld (Puffer) und übriges Gebiet"))
        return results

    def estimates(self, d: Design, treated: set[str], staggered: dict) -> Estimates:
        """All estimates for a design; identical designs (same unit, indicator and periods) share them, and
        the :class:`EstimateStore` keeps them across runs while everything they read is unchanged."""
        key = (
            d.unit_ags,
            d.unit_level,
            d.indicator,
            d.before,
            d.after,
            d.domain,
            d.measure_id if d.domain != "crime" else "",
        )
        if key not in self._cache:
            area = ()
            if d.domain != "crime" and d.measure_id in self.measures.index:
                m = self.measures.loc[d.measure_id]
                area = (m.get("area_wkt"), m.get("area_radius_m"))  # what the WDQ reads of the measure
            parts = (key, sorted(treated), repr(staggered.get((d.indicator, d.unit_ags))), area)
            self._cache[key] = self.store.get(parts, lambda: self._estimates(d, treated, staggered))
        return self._cache[key]

    @staticmethod
    def headline(effects: list[Effect]) -> Effect | None:
        """The estimate fact sheets and slides show: the comparison-group DiD when its pre-trend test
        passes, else a well-fitting synthetic control, else Empirical Bayes or the staggered estimate.
        Never the naive comparison. (Empirical Bayes is not preferred for traffic: on Demoland, whose
        population shrinks across the GV100AD editions while accidents do not, the SPF's exposure
        elasticity below 1 biased it towards 0.88 where DiD recovered the true effects.)"""
        by = {e.method: e for e in effects if e.evaluable}
        did = by.get("did_poisson_fe")
        if did is not None and (did.diagnostics.get("pretrend_p") is None or did.diagnostics["pretrend_p"] >= 0.05):
            return did
        sc = by.get("synthetic_control")
        if sc is not None and sc.diagnostics.get("pre_fit_ok"):
            return sc
        for method in ("empirical_bayes", "did_staggered", "did_poisson_fe", "wdq"):
            if method in by:
                return by[method]
        return None

    def row(self, base: dict, e: Effect, comparison: str, event: str, headline: bool) -> dict:
        after_years = len(base["period_after"].split("–")) if base["period_after"] else 0
        if "–" in base["period_after"]:
            a, b = base["period_after"].split("–")
            after_years = int(b) - int(a) + 1
        phrase = indicator_phrase(base["indicator_label"])
        return {
            **base,
            "method": e.method,
            "estimate": None if not e.evaluable else e.estimate,
            "ci_low": None if not e.evaluable else e.ci_low,
            "ci_high": None if not e.evaluable else e.ci_high,
            "p_value": e.p_value,
            "n_before": e.n_before,
            "n_after": e.n_after,
            "comparison": comparison,
            "diagnostics": _json(e.diagnostics),
            "evaluable": bool(e.evaluable),
            "headline": headline,
            "verdict_de": verdict_de(e, indicator=phrase, event=event, after_years=after_years),
        }

    def label(self, d: Design) -> str:
        if not d.indicator:
            return ""
        hit = self.ind(d.indicator)["indicator_label"]
        if len(hit):
            return str(hit.iloc[0])
        return d.indicator.split(":", 1)[-1]

    @staticmethod
    def event(d: Design) -> str:
        title = d.label if len(d.label) <= 70 else d.label[:67].rstrip() + "…"
        if d.measure_id.endswith(":gruendung"):
            return f"der Einrichtung ({title.split(': ', 1)[-1]})"
        if d.measure_id.endswith(":neustart"):
            return f"dem Neustart ({title.split(': ', 1)[-1]})"
        return f"dem Beginn der Maßnahme „{title}“"


def indicator_phrase(label: str) -> str:
    return f"die Zahl der Fälle „{label}“" if label else "die Zielgröße"


def evaluate(
    panel: pd.DataFrame,
    bodies: pd.DataFrame,
    measures: pd.DataFrame,
    kreise: pd.DataFrame,
    points: pd.DataFrame,
    land: str,
    store: EstimateStore | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``measure_effects`` and ``effects_pooled`` for every body and measure of the register; estimates
    of designs whose inputs are unchanged come from ``store`` (see :class:`EstimateStore`)."""
    interv = interventions(bodies, measures)
    available = panel[panel["count"].notna() & panel["month"].isna()][["unit_ags", "indicator", "year"]]
    all_designs = designs(interv, available, land) if len(interv) else []
    evaluator = Evaluator(panel, kreise, points, measures, land, store)
    effects = evaluator.run(all_designs) if all_designs else pd.DataFrame(columns=EFFECT_COLUMNS)
    return effects, pool_effects(effects, measure_groups(bodies, measures))


def measure_groups(bodies: pd.DataFrame, measures: pd.DataFrame) -> dict[str, str]:
    """measure_id → the type of measure it is pooled with."""
    interv = interventions(bodies, measures)
    return interv.set_index("measure_id")["group"].to_dict() if len(interv) else {}


def pool_effects(effects: pd.DataFrame, groups: dict[str, str]) -> pd.DataFrame:
    """Random-effects pooling of the headline estimates per type of measure and domain."""
    head = effects[effects["headline"] & effects["evaluable"]].copy()
    head = head[head["ci_low"].astype(float) > 0]
    # a body's founding and its own measure can be the same design on the same data: count it once
    head = head.drop_duplicates(["unit_ags", "indicator", "method", "period_before", "period_after"])
    head["group"] = head["measure_id"].map(groups).fillna("Maßnahme")
    head["domain"] = np.where(head["indicator"].str.startswith("pks:"), "crime", "traffic")
    rows = []
    for (group, domain), g in head.groupby(["group", "domain"]):
        if len(g) < 2:
            continue
        log = np.log(g["estimate"].astype(float).to_numpy())
        se = (np.log(g["ci_high"].astype(float)) - np.log(g["ci_low"].astype(float))).to_numpy() / (
            2 * 1.959963984540054
        )
        labels = [f"{m} · {i}" for m, i in zip(g["measure_id"], g["indicator_label"], strict=True)]
        for method in ("DL", "REML"):
            res = random_effects(log, se, labels, method=method)
            pooled = Effect("meta_random_effects", res.estimate, res.ci_low, res.ci_high, res.p_value)
            rows.append(
                {
                    "group": group,
                    "indicator_domain": domain,
                    "method": "DerSimonian-Laird" if method == "DL" else "REML",
                    "k": res.k,
                    "estimate": res.estimate,
                    "ci_low": res.ci_low,
                    "ci_high": res.ci_high,
                    "tau2": res.tau2,
                    "i2": res.i2,
                    "verdict_de": verdict_de(
                        pooled,
                        indicator="die Zielgröße (Mittel über die Maßnahmen)",
                        event=f"Maßnahmen der Art „{group}“",
                    ),
                    "forest": _json(res.forest.to_dict(orient="records")),
                }
            )
    return pd.DataFrame(rows, columns=POOLED_COLUMNS)


def kreis_info(crime: pd.DataFrame, areas: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Kreis type (from the PKS Kreisart) and log population density (latest PKS population / area)."""
    kinds = crime.dropna(subset=["kreis_type"]).sort_values("year").groupby("ags")["kreis_type"].last().map(KREIS_TYPES)
    pop = (
        panel[(panel["unit_level"] == "Kreis") & (panel["indicator"] == "pks:------")]
        .sort_values("year")
        .groupby("unit_ags")["population"]
        .last()
    )
    area = areas.set_index("ags")["area_km2"]
    info = pd.DataFrame({"unit": pop.index, "population": pop.to_numpy()})
    info["kreis_type"] = info["unit"].map(kinds)
    info["log_density"] = np.log(info["population"] / info["unit"].map(area))
    return info
