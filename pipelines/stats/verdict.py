"""Plain-German verdict sentences for councils. They never claim more than the design allows:
"nach" (after), never "wegen" (because of); naive comparisons are said to be no evidence of an effect;
an interval that spans 1 means that no effect can be shown, with the reason."""

from __future__ import annotations

import math

from pipelines.render.fmt import change_from_ratio, number
from pipelines.stats.types import Effect

COMPARISON = {
    "did_poisson_fe": "stärker als in vergleichbaren Kreisen",
    "did_staggered": "stärker als in vergleichbaren Kreisen ohne solche Maßnahme",
    "synthetic_control": "stärker als in einer aus ähnlichen Kreisen gebildeten Vergleichsregion",
    "empirical_bayes": "stärker als ohne Maßnahme zu erwarten gewesen wäre (bereinigt um die Regression zur Mitte)",
    "wdq": "stärker als im Kontrollgebiet",
}
METHOD_DE = {
    "naive_before_after": "naiver Vorher-Nachher-Vergleich",
    "did_poisson_fe": "Vergleichsgruppe (Differenz-von-Differenzen)",
    "did_staggered": "Vergleichsgruppe mit gestaffelten Starts",
    "synthetic_control": "synthetische Kontrolle",
    "empirical_bayes": "Empirical-Bayes-Vorher-Nachher",
    "wdq": "Verdrängungsanalyse (WDQ)",
}


def _interval(e: Effect) -> str:
    return f"95 %-KI: {change_from_ratio(e.ci_low)} bis {change_from_ratio(e.ci_high)}"


def _why_not(e: Effect, after_years: int) -> str:
    n = min(x for x in (e.n_before, e.n_after) if x is not None) if (e.n_before or e.n_after) else None
    if n is not None and n < 30:
        return "dafür sind es zu wenige Fälle"
    if after_years < 2:
        return "dafür ist der Nachher-Zeitraum zu kurz"
    return "das Intervall ist zu breit"


def verdict_de(e: Effect, *, indicator: str, event: str, after_years: int = 2) -> str:
    """One sentence, e.g. 'Nach Einrichtung des Präventionsrats sank die Zahl der Wohnungseinbrüche um 18 %
    (95 %-KI: −31 % bis −3 %), stärker als in vergleichbaren Kreisen.'"""
    if not e.evaluable or e.estimate is None or not math.isfinite(e.estimate):
        return f"Nicht auswertbar: {e.diagnostics.get('reason_de') or e.reason or 'unbekannter Grund'}."
    change = abs(e.estimate - 1)
    direction = "sank" if e.estimate < 1 else "stieg"
    amount = change_from_ratio(e.estimate).lstrip("+−")
    if e.method == "naive_before_after":
        return (
            f"Naiver Vorher-Nachher-Vergleich ohne Vergleichsgruppe: {indicator} {direction} nach {event} um {amount} "
            f"({_interval(e)}); das ist kein Nachweis einer Wirkung, weil allgemeine Trends und Zufallsschwankungen "
            "nicht herausgerechnet sind."
        )
    if e.method == "synthetic_control" and not e.diagnostics.get("pre_fit_ok", True):
        rel = e.diagnostics.get("rmspe_pre_relative")
        return (
            f"Synthetische Kontrolle nicht belastbar: Die Vergleichsregion bildet die Jahre vor {event} nur ungenau nach "
            f"(Abweichung {number((rel or 0) * 100, 1)} %); daher keine Aussage."
        )
    if e.ci_low <= 1 <= e.ci_high:
        return (
            f"Eine Wirkung lässt sich nicht nachweisen: Nach {event} änderte sich {indicator} um "
            f"{change_from_ratio(e.estimate)} ({_interval(e)}, {METHOD_DE.get(e.method, e.method)}); "
            f"{_why_not(e, after_years)}."
        )
    compare = COMPARISON.get(e.method, "")
    if change < 0.005:
        return f"Nach {event} blieb {indicator} praktisch unverändert ({_interval(e)})."
    return f"Nach {event} {direction} {indicator} um {amount} ({_interval(e)}), {compare}."
