"""Every estimator a design admits, and the rule that picks the headline estimate.

* Crime (PKS, per Kreis or per Land): naive before/after (shown, never the headline), the comparison-group
  design with placebo inference (:mod:`praevention.stats.did`) and the synthetic control.
* Traffic (accident counts and Unfallatlas points): naive, the comparison-group design against the
  other units of the same level in the Land, and Empirical Bayes with an SPF fitted on those units.
  Measures with a place (point, line or area) are evaluated at that place instead
  (:mod:`praevention.evaluation.sites`: Empirical Bayes at the site, headline of the domain ``site``).
* The headline (:func:`choose_headline`) is the first candidate of :data:`HEADLINE_ORDER` that passes its
  checks: the comparison-group design only if its pre-trend test passes, the synthetic control only if
  it reproduces the before years closely. When none passes, the design is "nicht eindeutig auswertbar",
  with every failed check named; a check that failed is never hidden behind a published estimate.
* Too few cases (fewer than :data:`MIN_CASES` before and after together) make a design not evaluable.
* **Checks beside the headline** (:meth:`Evaluator.with_design_checks`): in-time placebos, the same estimator
  with invented start years inside the before period, where nothing was started yet (their intervals should
  include 1, as 95 % of placebo intervals do); and, for a measure whose area is smaller than the unit
  measured, the minimum detectable effect a design on the area itself would have with its own statistics
  (:func:`praevention.evaluation.dilution.projected_mde`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from praevention.evaluation.design import Design, periods
from praevention.evaluation.dilution import Shares, area_shares, is_diluted, projected_mde
from praevention.evaluation.inputs import EvaluationData
from praevention.evaluation.pool import Pool, comparison_pool
from praevention.stats.did import Changes, changes, did_from_changes, neighbour_displacement, pretrend_window
from praevention.stats.eb import eb_before_after, fit_spf
from praevention.stats.methods import DID, EB, LABELS, NAIVE, NEIGHBOURS, NONE, SYNTH
from praevention.stats.naive import naive_before_after
from praevention.stats.synth import synthetic_control
from praevention.stats.types import Effect, not_evaluable

MIN_CASES = 20
PRETREND_ALPHA = 0.05
HEADLINE_ORDER = {
    "crime": (DID, SYNTH),
    "traffic": (DID, EB),
    "site": (EB,),
}
COMPARISON_TEXT = {
    NAIVE: "keine (gleiche Einheit vorher und nachher)",
    SYNTH: "synthetische Vergleichsregion aus den ähnlichsten Einheiten der Vergleichsgruppe",
    NEIGHBOURS: "die Nachbarkreise, verglichen mit den Nachbarn der Vergleichskreise",
}
#: the finer statistics that would measure a measure's area itself, by the area's level
FINER_DATA = {
    "Gemeinde": "LKA-Tatortgemeindestatistik (PKS nach Tatortgemeinde)",
    "Stadtteil": "Kriminalitätsstatistik der Stadt nach Stadtteilen",
    "Fläche": "Fallzahlen für das Gebiet der Maßnahme",
}


def headline_failure(e: Effect) -> str | None:
    """Why an estimate may not be the headline (German), or ``None`` when it may."""
    if not e.evaluable:
        return e.diagnostics.get("reason_de") or e.reason or "nicht schätzbar"
    if e.method == DID:
        p = e.diagnostics.get("pretrend_p")
        if p is not None and p < PRETREND_ALPHA:
            return f"Vortrend-Test nicht bestanden (die Reihe entwickelte sich schon vorher anders, p = {p:.3f})"
    if e.method == SYNTH and not e.diagnostics.get("pre_fit_ok"):
        rel = float(e.diagnostics.get("rmspe_pre_relative") or 0)
        return f"synthetische Vergleichsregion bildet die Vorjahre nicht genau genug nach (Abweichung {rel:.0%})"
    return None


def choose_headline(domain: str, get: Callable[[str], Effect | None]) -> tuple[Effect | None, list[str]]:
    """The first candidate of :data:`HEADLINE_ORDER` that passes its checks, and the failures met on the way.

    ``get`` returns a method's estimate for the design (computed on demand, so that the calibration's
    placebo designs compute the synthetic control only where the rule reaches it)."""
    failures = []
    for method in HEADLINE_ORDER[domain]:
        e = get(method)
        if e is None:
            continue
        why = headline_failure(e)
        if why is None:
            return e, failures
        failures.append(f"{LABELS[method]}: {why}")
    return None, failures


class Evaluator:
    """Estimates for designs. ``treated`` maps an indicator to the units with a registered measure on it
    (they never serve as comparisons)."""

    def __init__(self, data: EvaluationData, treated: dict[str, set[str]]):
        self.data = data
        self.treated = treated
        self._pools: dict[tuple, Pool] = {}
        self._changes: dict[tuple, Changes] = {}
        self._neighbours: dict[int, list[np.ndarray]] = {}
        self._places: dict[tuple, dict] = {}

    def pool(self, d: Design) -> Pool:
        key = (d.indicator, d.unit_level, d.unit_ags, d.domain)
        if key not in self._pools:
            self._pools[key] = comparison_pool(self.data, d, self.treated.get(d.indicator, set()))
        return self._pools[key]

    # ------------------------------------------------------------------ estimators
    def naive(self, d: Design) -> Effect:
        p = self.pool(d)
        if p.treated is None:
            return not_evaluable(NAIVE, "no_data", "keine Daten der Einheit")
        i = p.treated
        b, a = np.isin(p.panel.years, d.before), np.isin(p.panel.years, d.after)
        cb, ca = p.panel.counts[i, b].sum(), p.panel.counts[i, a].sum()
        eb, ea = p.panel.exposure[i, b], p.panel.exposure[i, a]
        if np.isfinite(eb).all() and np.isfinite(ea).all():
            return naive_before_after(cb, eb.sum(), ca, ea.sum())
        # without a population for every year the exposure is the number of years, for both periods
        return naive_before_after(cb, float(b.sum()), ca, float(a.sum()))

    def changes(self, d: Design, pool: Pool, before: tuple[int, ...], after: tuple[int, ...]) -> Changes:
        """Every unit's collapsed change for one window, shared by all designs on the same indicator (a
        Stadtteil design's panel carries its own summed Stadtteile: its changes are its own)."""
        own = d.unit_ags if d.unit_level == "Stadtteil" else ""
        key = (d.indicator, d.unit_level, before, after, pool.regional, own)
        if key not in self._changes:
            self._changes[key] = changes(pool.panel, before, after, regional=pool.regional)
        return self._changes[key]

    def did(self, d: Design) -> Effect:
        p = self.pool(d)
        if p.treated is None:
            return not_evaluable(DID, "no_data", "keine Daten der Einheit")
        window = pretrend_window(d.before)
        pre = self.changes(d, p, *window) if window else None
        return did_from_changes(self.changes(d, p, d.before, d.after), pre, p.treated, p.members, regional=p.regional)

    def displacement(self, d: Design) -> Effect | None:
        """For Kreis crime designs: the neighbouring Kreise's change, tested like the design itself."""
        p = self.pool(d)
        if not (p.regional and self.data.neighbours) or p.treated is None:
            return None
        rows = self._neighbours.setdefault(id(p.panel), self.data.neighbour_rows(p.panel))
        return neighbour_displacement(self.changes(d, p, d.before, d.after), p.treated, rows, p.members)

    def synth(self, d: Design) -> Effect:
        p = self.pool(d)
        if p.treated is None:
            return not_evaluable(SYNTH, "no_data", "keine Daten der Einheit")
        years = np.isin(p.panel.years, d.before + d.after)
        idx = np.r_[p.treated, p.members]
        counts = p.panel.counts[np.ix_(idx, years)]
        rates = counts / p.panel.exposure[np.ix_(idx, years)]
        if p.regional:
            rates = rates / _region_rest_rates(p.panel, idx, years)
        periods = p.panel.years[years]
        names = p.panel.units[idx]
        wide = pd.DataFrame(rates.T * 1e5, index=periods, columns=names)
        return synthetic_control(
            wide, d.unit_ags, min(d.after), counts=pd.DataFrame(counts.T, index=periods, columns=names)
        )

    def eb(self, d: Design) -> Effect:
        p = self.pool(d)
        if p.treated is None:
            return not_evaluable(EB, "no_data", "keine Daten der Einheit")
        years = np.isin(p.panel.years, d.before + d.after)
        ref = p.members
        long = pd.DataFrame(
            {
                "count": p.panel.counts[np.ix_(ref, years)].ravel(),
                "exposure": p.panel.exposure[np.ix_(ref, years)].ravel(),
                "year": np.tile(p.panel.years[years], len(ref)),
            }
        ).dropna()
        long = long[long["exposure"] > 0]
        if len(ref) < 5 or long.empty:
            return not_evaluable(EB, "no_reference", "keine Referenzgruppe für die Vorhersage")
        own_exposure = p.panel.exposure[p.treated, years]
        if not (np.isfinite(own_exposure).all() and (own_exposure > 0).all()):
            return not_evaluable(EB, "no_exposure", "keine Bevölkerungszahl für die Einheit")
        spf = fit_spf(long)
        pred = spf.predict(own_exposure, p.panel.years[years])
        own = p.panel.counts[p.treated, years]
        before = np.isin(p.panel.years[years], d.before)
        e = eb_before_after(
            float(own[before].sum()),
            float(pred[before].sum()),
            float(own[~before].sum()),
            float(pred[~before].sum()),
            spf.k,
        )
        return e.with_(
            diagnostics={**e.diagnostics, "spf_k": round(spf.k, 4), "spf_n": spf.n, "reference_units": len(ref)}
        )

    # ------------------------------------------------------------------ per design
    def place(self, d: Design) -> dict:
        """The design's area shares (:class:`~praevention.evaluation.dilution.Shares`) and how its population
        denominators were treated across the Zensus 2022 break."""
        key = (d.unit_ags, d.unit_level, d.indicator, d.area_ags, d.area_level, d.before, d.after)
        if key not in self._places:
            handling = (
                self.data.population_handling(d.indicator, d.unit_level, d.unit_ags, d.before + d.after)
                if d.evaluable
                else None
            )
            self._places[key] = {"shares": area_shares(self.data, d), "population_handling": handling}
        return self._places[key]

    def in_time_placebos(self, d: Design) -> list[dict[str, float]]:
        """The comparison-group design at invented start years inside the before period (at least two before
        years and one after year each, all before the real start): nothing had started yet."""
        out = []
        for start in d.before:
            before, after = periods(d.before, start)
            if len(before) < 2 or not after:
                continue
            e = self.did(dataclasses.replace(d, before=before, after=after, start=dt.date(start, 7, 1)))
            if e.evaluable:
                out.append(
                    {
                        "start": start,
                        "estimate": round(e.estimate, 4),
                        "ci_low": round(e.ci_low, 4),
                        "ci_high": round(e.ci_high, 4),
                    }
                )
        return out

    def with_design_checks(self, d: Design, e: Effect) -> Effect:
        """The headline estimate with the design's in-time placebos and, for a measure in part of the unit,
        the estimated minimum detectable effect with the area's own statistics, in its diagnostics."""
        diag = dict(e.diagnostics)
        if e.method == DID:
            placebos = self.in_time_placebos(d)
            diag["in_time_placebos"] = placebos
            diag["in_time_excluding_1"] = sum(p["ci_high"] < 1 or p["ci_low"] > 1 for p in placebos)
        shares: Shares = self.place(d)["shares"]
        if is_diluted(d) and e.method == DID and d.area_level in FINER_DATA:
            p = self.pool(d)
            size = float(self.changes(d, p, d.before, d.after).size[p.treated])
            people = shares.population if math.isfinite(shares.population) else shares.share
            projected = projected_mde(
                diag, (e.n_before or 0) * shares.share, (e.n_after or 0) * shares.share, size * people
            )
            if projected is not None:
                diag["area_mde_projected"] = round(projected, 4)
                diag["finer_data"] = FINER_DATA[d.area_level]
        return e.with_(diagnostics=diag)

    def method(self, d: Design, name: str) -> Effect | None:
        return {
            NAIVE: self.naive,
            DID: self.did,
            SYNTH: self.synth,
            EB: self.eb,
            NEIGHBOURS: self.displacement,
        }[name](d)

    def too_few_cases(self, d: Design) -> Effect | None:
        p = self.pool(d)
        years = np.isin(p.panel.years, d.before + d.after)
        n_total = float(np.nansum(p.panel.counts[p.treated, years])) if p.treated is not None else 0.0
        if n_total < MIN_CASES:
            return not_evaluable(NONE, "too_few_cases", f"zu wenige Fälle ({int(n_total)} vorher und nachher zusammen)")
        return None

    def methods(self, d: Design) -> tuple[str, ...]:
        if d.domain == "crime":
            return (NAIVE, DID, SYNTH, NEIGHBOURS)
        return (NAIVE, DID, EB)

    def comparison(self, d: Design, method: str) -> str:
        if method in (DID, EB):
            return self.pool(d).text
        return COMPARISON_TEXT.get(method, "")


def _region_rest_rates(panel, idx: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Rate of the rest of each unit's Land (the other Kreise of the Land), units × selected years."""
    counts, expo = np.nan_to_num(panel.counts[:, years]), np.nan_to_num(panel.exposure[:, years])
    regions, code = np.unique(panel.region, return_inverse=True)
    count_sum = np.zeros((len(regions), counts.shape[1]))
    expo_sum = np.zeros_like(count_sum)
    np.add.at(count_sum, code, counts)
    np.add.at(expo_sum, code, expo)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (count_sum[code[idx]] - counts[idx]) / (expo_sum[code[idx]] - expo[idx])
