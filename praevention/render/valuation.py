"""Euro figures and the place of a site design in plain German (verdicts, fact sheets, report, decks)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from praevention.evaluation.sites import SITE_LEVEL
from praevention.render import fmt


def euro(value: object) -> str:
    """``1234567`` → ``"1,2 Mio. €"``, ``84512`` → ``"84.500 €"`` (three significant digits), negative with −."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    if abs(v) >= 1e6:
        return f"{fmt.number(v / 1e6, 1)} Mio. €"
    if abs(v) >= 1000:
        return f"{fmt.number(round(v, -math.floor(math.log10(abs(v))) + 2))} €"
    return f"{fmt.number(v)} €"


def diagnostics_of(row: Mapping) -> dict:
    d = row.get("diagnostics")
    return json.loads(d) if isinstance(d, str) and d else {}


def benefit_sentence(row: Mapping) -> str:
    """'Mit den Unfallkostensätzen der BASt … X € im Jahr (95-%-Intervall …)' for an evaluable accident
    estimate with a value, plus benefit–cost and net present value where the register holds the cost."""
    value = row.get("benefit_eur_per_year")
    if not row.get("evaluable") or value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    d = diagnostics_of(row)
    year = d.get("price_year", "")
    word = "verhinderten" if float(value) >= 0 else "zusätzlichen"
    text = (
        f" Mit den Unfallkostensätzen der BASt (Preisstand {year}) entspricht das {euro(abs(float(value)))} "
        f"{word} Unfallkosten im Jahr (95-%-Intervall {euro(row['benefit_ci_low'])} bis {euro(row['benefit_ci_high'])})."
    )
    if d.get("benefit_cost_ratio") is not None:
        lo, hi = d["benefit_cost_ci"]
        text += (
            f" Bei Kosten von {euro(d['cost_eur'])} und {d['service_life_years']} Jahren Nutzungsdauer: Nutzen-Kosten-"
            f"Verhältnis {fmt.number(d['benefit_cost_ratio'], 1)} (95-%-Intervall {fmt.number(lo, 1)} bis "
            f"{fmt.number(hi, 1)}), Kapitalwert {euro(d['npv_eur'])}."
        )
    return text


def site_phrase(unit_level: str, home_name: str) -> str | None:
    """Where a site design measured: ' am Ort der Maßnahme in Magdeburg'; ``None`` for other levels."""
    if unit_level != SITE_LEVEL:
        return None
    return f" am Ort der Maßnahme{f' in {home_name}' if home_name else ''}"
