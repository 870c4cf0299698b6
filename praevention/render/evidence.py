"""Evidence by type of measure: the "Was wirkt?" page of the ministry report and the fact sheets' evidence
lines, in the order of the College of Policing's EMMIE framework (Johnson, Tilley & Bowers 2015, J. Exp.
Criminol. 11:459–473): Effect, Mechanism, Moderators, Implementation, Economic cost.

* **Effect**: the pooled local result per outcome (``measure_type_effects``) beside the review matched to the
  type (``data/literature.yaml``), both on the same scale: the review's effect where a measure acts, and the
  same effect spread over the units the evaluation measured (:func:`praevention.evaluation.literature.at_level`).
* **Mechanism, moderators, implementation, cost**: what the register records for the type's measures
  (``mechanism``, ``moderators``, ``intensity``, ``duration``, ``partners``, ``budget_eur``); where it records
  nothing, the card says so, which is what the register check asks the keeper to fill.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from praevention.evaluation.design import interventions
from praevention.evaluation.pooling import PLANNING_REDUCTION, measure_kinds, rules_label
from praevention.register.schema import MECHANISMS, PARTNERS
from praevention.render import fmt
from praevention.render.data import ReportData
from praevention.render.verdict import LEVEL_IN, interval, type_verdict_de

NOT_RECORDED = "im Register nicht angegeben"
HEADER = [
    "Art der Maßnahme: Zielgröße",
    "Maßnahmen (Auswertungen)",
    "Mittel (95-%-Intervall)",
    "nächste Maßnahme (Vorhersage)",
    f"Auswertungen nötig für {fmt.percent(PLANNING_REDUCTION, 0)}",
    "Forschung: am Ort / gemessen",
]


def short_source(source: str) -> str:
    """'Hinkle, Weisburd, Telep & Petersen 2020/2024' → 'Hinkle u. a. 2020/2024'."""
    names, _, year = source.rpartition(" ")
    first = names.split(",")[0].split(" & ")[0]
    return f"{first} u. a. {year}" if first != names else source


def _change(value: object) -> str:
    return fmt.change_from_ratio(value) if value is not None and not pd.isna(value) else "–"


def type_rows(types: pd.DataFrame) -> list[list[str]]:
    """One table row per pooled type and outcome."""
    rows = []
    for r in types.sort_values(["scope", "measure_type", "outcome"]).to_dict(orient="records"):
        level = LEVEL_IN.get(str(r["unit_level"]), "")
        source = short_source(str(r["literature_source"])) if r.get("literature_source") else ""
        if source and not pd.isna(r.get("literature_estimate")):
            literature = f"{_change(r['literature_estimate'])} / {_change(r['literature_at_level'])} ({source})"
        else:
            literature = f"{source}: ohne Prozentangabe" if source else "–"
        needed = r.get("designs_for_15")
        rows.append(
            [
                f"{r['measure_type_label']}"
                + (" (landesweit)" if r["scope"] == "Land" else "")
                + f": {r['outcome_label']}",
                f"{fmt.number(r['n_measures'])} ({fmt.number(r['n_designs'])})",
                f"{_change(r['estimate'])} {level} ({interval(r['ci_low'], r['ci_high']).removeprefix('95-%-Intervall ')})",
                f"{_change(r['pi_low'])} bis {_change(r['pi_high'])}" if not pd.isna(r.get("pi_low")) else "–",
                fmt.number(needed) if needed is not None and not pd.isna(needed) else "über 500",
                literature,
            ]
        )
    return rows


def _listed(values: object) -> list[str]:
    return [str(v).strip() for v in values if v is not None and not pd.isna(v) and str(v).strip()]


class Evidence:
    """The evidence of a report's measures by type, indexed once (the register's measures and their kinds)."""

    def __init__(self, data: ReportData):
        self.data = data
        self.kinds = measure_kinds(interventions(data.bodies, data.measures)) if len(data.measures) else {}
        self.measures = data.measures.set_index("measure_id") if len(data.measures) else pd.DataFrame()

    def effect(self, kind: str, mechanism: str) -> str:
        """The type's pooled local results beside the matched review, both on the level measured."""
        types = self.data.types
        parts = []
        for r in types[(types["measure_type"] == kind) & (types["mechanism"] == mechanism)].to_dict("records"):
            text = (
                f"{r['outcome_label']}: {_change(r['estimate'])} {LEVEL_IN.get(str(r['unit_level']), '')} "
                f"({fmt.plural(int(r['n_designs']), 'Auswertung', 'Auswertungen')})"
            )
            if r.get("literature_source") and not pd.isna(r.get("literature_estimate")):
                text += (
                    f"; Forschung ({r['literature_source']}): {_change(r['literature_estimate'])} am Ort, "
                    f"{_change(r['literature_at_level'])} auf dieser Ebene"
                )
            elif r.get("literature_source"):
                text += f"; Forschung ({r['literature_source']}): keine gesicherte Wirkung in Prozent veröffentlicht"
            parts.append(text)
        return ". ".join(parts) or "noch keine Auswertung"

    def card(self, kind: str, mechanism: str, measure_ids: list[str]) -> list[list[str]]:
        """The EMMIE lines of measures of one kind: [label, text] pairs."""
        m = self.measures.loc[[i for i in measure_ids if i in self.measures.index]] if len(self.measures) else None
        if m is None or m.empty:
            m = pd.DataFrame(columns=["mechanism", "moderators", "intensity", "duration", "partners", "budget_eur"])
        moderators = sorted(set(_listed(m["moderators"])))
        intensity, duration = _listed(m["intensity"]), _listed(m["duration"])
        partners = Counter(PARTNERS.get(p, p) for ps in m["partners"] if isinstance(ps, list | tuple) for p in ps)
        implementation = [f"Intensität: {'; '.join(intensity)}"] if intensity else []
        implementation += [f"Dauer: {'; '.join(duration)}"] if duration else []
        if partners:
            implementation.append("Partner: " + ", ".join(f"{p} ({n})" for p, n in partners.most_common()))
        budgets = [float(b) for b in m["budget_eur"] if b is not None and not pd.isna(b)]
        cost = (
            f"{fmt.number(sum(budgets))} € für {fmt.number(len(budgets))} von "
            f"{fmt.plural(len(m), 'Maßnahme', 'Maßnahmen')}"
            if budgets
            else NOT_RECORDED
        )
        own = _listed(m["mechanism"])
        return [
            ["Wirkung", self.effect(kind, mechanism)],
            ["Mechanismus", MECHANISMS.get(mechanism, mechanism) + ("" if own else " (Voreinstellung der Regeln)")],
            ["Für wen und wo", "; ".join(moderators) or NOT_RECORDED],
            ["Umsetzung", "; ".join(implementation) or NOT_RECORDED],
            ["Kosten", cost],
        ]

    def line(self, measure_id: str) -> str:
        """A fact sheet's evidence line for one register measure (empty for a type no rule pools)."""
        if measure_id not in self.kinds or ":" in measure_id:
            return ""
        lines = dict(self.card(*self.kinds[measure_id], [measure_id]))
        return (
            f"Evidenzkarte – Mechanismus: {lines['Mechanismus']}; für wen und wo: {lines['Für wen und wo']}; "
            f"Umsetzung: {lines['Umsetzung']}; Kosten: {lines['Kosten']}."
        )

    def cards(self) -> list[dict]:
        """One card per pooled type and mechanism of ``measure_type_effects``."""
        out = []
        for (kind, mechanism), g in self.data.types.groupby(["measure_type", "mechanism"], sort=True):
            ids = [m for m, k in self.kinds.items() if k == (kind, mechanism) and ":" not in m]
            title = f"{g['measure_type_label'].iloc[0]} – {MECHANISMS.get(mechanism, mechanism)}"
            out.append({"title": title, "lines": self.card(kind, mechanism, ids)})
        return out


def what_works(data: ReportData) -> dict:
    """The context of the "Was wirkt?" page."""
    types = data.types
    ordered = types.sort_values(["scope", "measure_type", "outcome"]) if len(types) else types
    intro = (
        "Die Daten eines einzelnen Gremiums zeigen eine Senkung um 15 % nur selten. Gleichartige Maßnahmen "
        "mehrerer Gremien gemeinsam ausgewertet können es: je Art der Maßnahme und Zielgröße fasst eine "
        "Meta-Analyse mit zufälligen Effekten die Ergebnisse zusammen, jede Maßnahme zählt je Zielgröße einmal, "
        "alle auf derselben Ebene gemessen. Das Vorhersageintervall sagt, was die nächste Maßnahme dieser Art "
        "erwarten lässt; die Spalte „nötig“, wie viele Auswertungen dieser Art gemeinsam eine Senkung um 15 % "
        "zeigen würden. Die Forschung steht daneben: ihre Wirkung am Ort der Maßnahme und dieselbe Wirkung auf "
        f"die gemessene Ebene umgerechnet. {rules_label()}."
    )
    if types.empty:
        intro = "Es gibt noch keine ausgewerteten Maßnahmen, die sich nach ihrer Art zusammenfassen lassen."
    return {
        "intro": intro,
        "header": HEADER,
        "rows": type_rows(types) if len(types) else [],
        "sentences": [type_verdict_de(r, rules=False) for r in ordered.to_dict("records") if r["n_designs"] >= 2],
        "cards": Evidence(data).cards() if len(types) else [],
    }
