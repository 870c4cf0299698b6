"""Plain-German sentences about the evaluation's results.

A sentence never claims more than the design allows: "nach" (after), never "wegen" (because of). It says
what changed, compared with what, and how sure that is, in one of the evaluation's findings
(:mod:`praevention.evaluation.evaluate`): an effect shown (it survives the adjustment for the many tests of
the report), a difference chance could explain among those tests, no effect larger than the interval
allows, or an effect too small for the data to detect. A design whose checks failed is called "nicht
eindeutig auswertbar" with the failed checks named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from praevention.render.fmt import change_from_ratio, number, shorten
from praevention.stats.methods import NAIVE, SYNTH
from praevention.stats.methods import label as method_label
from praevention.stats.multiple import expected_false_positives

#: German names of the evaluation's findings (column ``finding`` of ``measure_effects``)
FINDING_LABELS = {
    "effect": "Wirkung gesichert",
    "chance": "Unterschied auch zufällig erklärbar",
    "no_large_effect": "keine größere Wirkung",
    "undetectable": "Wirkung zu klein für die Daten",
    "inconclusive": "nicht eindeutig auswertbar",
    "not_evaluable": "nicht auswertbar",
}
#: the events a body's own row stands for (``G07:gruendung`` …), by the suffix of the derived ID
EVENT_LABELS = {"gruendung": "Einrichtung", "neustart": "Neustart", "relaunch": "Neustart"}
#: the evaluated unit's comparison, by level
COMPARED_WITH = {
    "Kreis": "stärker als in vergleichbaren Kreisen",
    "Gemeinde": "stärker als in den übrigen Gemeinden des Landes",
    "Land": "stärker als in den anderen Ländern",
}
LITERATURE = Path(__file__).resolve().parents[2] / "data" / "literature.yaml"


def finding_label(finding: object) -> str:
    return FINDING_LABELS.get(str(finding), "") if finding is not None and str(finding) not in ("", "nan") else ""


def event_title(measure_id: str, titles: Mapping[str, str], body_names: Mapping[str, str]) -> str:
    """What people call an evaluated event, never its ID: the measure's title, or 'Einrichtung: <body>' /
    'Neustart: <body>' for a body's own founding or relaunch (``G07:gruendung``)."""
    if titles.get(measure_id):
        return str(titles[measure_id])
    body_id, _, kind = str(measure_id).partition(":")
    name = body_names.get(body_id) or "Gremium ohne Namen im Register"
    return f"{EVENT_LABELS.get(kind, 'Einrichtung')}: {name}" if kind else str(name)


def interval(lo: float, hi: float) -> str:
    return f"95-%-Intervall {change_from_ratio(lo)} bis {change_from_ratio(hi)}"


def chance_phrase(n_tests: int) -> str:
    """'etwa eine scheinbare Wirkung': how many 'effects' chance alone produces among ``n_tests`` tests, in words."""
    n = round(expected_false_positives(n_tests))
    if n == 0:
        return "meist keine scheinbare Wirkung"
    return "etwa eine scheinbare Wirkung" if n == 1 else f"etwa {number(n)} scheinbare Wirkungen"


def event_phrase(measure_id: str, title: str) -> str:
    """'der Einrichtung des Gremiums „…“' for a body's founding, 'dem Beginn der Maßnahme „…“' otherwise."""
    short = shorten(title, 70)
    if measure_id.endswith(":gruendung"):
        return f"der Einrichtung von „{short}“"
    if measure_id.endswith(":neustart"):
        return f"dem Neustart von „{short}“"
    return f"dem Beginn der Maßnahme „{short}“"


def kreis_phrase(name: str) -> str:
    """'im Landkreis Harz'; a name that already says 'Kreis' keeps it: 'im Salzlandkreis'."""
    return f"im {name}" if name.lower().endswith("kreis") else f"im Landkreis {name}"


def place_phrase(unit_level: str, unit_ags: str, unit_name: str, home_name: str, indicator: str = "") -> str:
    """Where the change was measured: 'im Landkreis Harz, in dem Quedlinburg liegt,' when that is larger than
    where the body works; the Stadtteile by number when a city's own statistics were used; a Gemeinde's own
    crime figures with the statistic they come from (the LKA's PKS by Tatortgemeinde)."""
    if unit_level == "Gemeinde" and indicator.startswith("pks:"):
        return f" in der Gemeinde {unit_name or home_name} (gemessen an den Fällen der LKA-Tatortgemeindestatistik)"
    if unit_level == "Stadtteil":
        numbers = unit_ags.partition("-")[2].split("+")
        what = "im Stadtteil" if len(numbers) == 1 else "in den Stadtteilen"
        return f" {what} {', '.join(numbers)} von {home_name or 'der Stadt'} (Kriminalitätsstatistik der Stadt)"
    if unit_level == "Kreis" and home_name and home_name != unit_name:
        return f" {kreis_phrase(unit_name)}, in dem {home_name} liegt,"
    return f" in {unit_name}" if unit_name else ""


def _reason(row: Mapping) -> str:
    diag = row.get("diagnostics")
    data = json.loads(diag) if isinstance(diag, str) and diag else {}
    return str(data.get("reason_de") or "unbekannter Grund")


def verdict_de(row: Mapping, *, event: str, place: str = "", n_tests: int = 0) -> str:
    """The sentence for one row of ``measure_effects`` (headline rows by their ``finding``)."""
    indicator = f"die Zahl der Fälle „{row['indicator_label']}“" if row.get("indicator_label") else "die Zielgröße"
    method = str(row["method"])
    if not row["evaluable"]:
        if row.get("finding") == "inconclusive":
            return f"Nicht eindeutig auswertbar: {_reason(row)}."
        return f"Nicht auswertbar: {_reason(row)}."
    est, lo, hi = float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])
    amount = change_from_ratio(est).lstrip("+−")
    direction = "sank" if est < 1 else "stieg"
    ci = interval(lo, hi)
    if method == NAIVE:
        return (
            f"Einfacher Vorher-Nachher-Vergleich: {indicator} {direction}{place} nach {event} um {amount} ({ci}); "
            "das ist kein Nachweis einer Wirkung, weil allgemeine Entwicklungen und Zufallsschwankungen nicht "
            "herausgerechnet sind."
        )
    finding = row.get("finding") if row.get("headline") else None
    compared = COMPARED_WITH.get(str(row.get("unit_level")), "stärker als in der Vergleichsgruppe")
    if finding == "effect":
        return (
            f"Nach {event} {direction} {indicator}{place} um {amount} ({ci}), {compared}; das Ergebnis bleibt "
            f"auch unter allen {n_tests} geprüften Ergebnissen gesichert."
        )
    if finding == "chance":
        return (
            f"Nach {event} {direction} {indicator}{place} um {amount} ({ci}), {compared}. Unter {n_tests} "
            "geprüften Ergebnissen entsteht ein Unterschied dieser Größe aber auch zufällig: kein gesicherter Erfolg."
        )
    if finding == "no_large_effect":
        return (
            f"Nach {event} änderte sich {indicator}{place} um {change_from_ratio(est)} ({ci}); "
            f"eine Senkung um mehr als {change_from_ratio(lo).lstrip('−')} lässt sich damit ausschließen."
        )
    if finding == "undetectable":
        mde = float(row["mde_80"])
        return (
            f"Nach {event} änderte sich {indicator}{place} um {change_from_ratio(est)} ({ci}); Wirkungen unter "
            f"{change_from_ratio(mde).lstrip('−')} können diese Daten nicht sicher erkennen."
        )
    if method == SYNTH and not _diag(row).get("pre_fit_ok", True):
        rel = float(_diag(row).get("rmspe_pre_relative") or 0)
        return (
            f"Synthetische Vergleichsregion: Sie bildet die Jahre vor {event} nur ungenau nach (Abweichung "
            f"{number(rel * 100, 1)} %); daher keine Aussage."
        )
    label = method_label(method)
    return f"{label[:1].upper()}{label[1:]}: {change_from_ratio(est)} ({ci})."


def _diag(row: Mapping) -> dict:
    diag = row.get("diagnostics")
    return json.loads(diag) if isinstance(diag, str) and diag else {}


@cache
def reviews() -> list[dict]:
    """The systematic reviews of :data:`LITERATURE` (``data/literature.yaml``)."""
    return yaml.safe_load(LITERATURE.read_text(encoding="utf-8"))["reviews"]


def literature_context(group: str, row: Mapping) -> str:
    """The review's finding for the measure's type, and how the local result relates to it."""
    review = next((r for r in reviews() if group in r["applies_to"]), None)
    if review is None:
        return ""
    text = " ".join(str(review["sentence_de"]).split())
    pct = review.get("reduction_percent")
    if pct is None or not row.get("evaluable") or not row.get("headline"):
        return text
    expected = 1 - float(pct) / 100
    lo, hi, mde = (float(row[c]) for c in ("ci_low", "ci_high", "mde_80"))
    if math.isfinite(mde) and expected > mde and lo <= expected <= hi:
        return (
            f"{text} Eine Wirkung dieser Größe liegt unter dem, was die Daten hier erkennen können; "
            "das örtliche Ergebnis widerspricht ihr nicht."
        )
    if lo <= expected <= hi:
        return f"{text} Das örtliche Ergebnis liegt im Rahmen dessen, was Studien erwarten lassen."
    return f"{text} Das örtliche Ergebnis weicht davon ab."


def pooled_verdict_de(row: Mapping) -> str:
    """The sentence for one row of ``effects_pooled``."""
    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    k = int(row["k"])
    head = f"Über {k} Maßnahmen der Art „{row['group']}“ hinweg"
    if lo <= 1 <= hi:
        return f"{head} lässt sich keine mittlere Wirkung nachweisen ({interval(lo, hi)})."
    direction = "sank" if float(row["estimate"]) < 1 else "stieg"
    return f"{head} {direction} die Zielgröße im Mittel um {change_from_ratio(row['estimate']).lstrip('+−')} ({interval(lo, hi)})."


def add_verdicts(
    effects: pd.DataFrame,
    pooled: pd.DataFrame,
    bodies: pd.DataFrame,
    measures: pd.DataFrame,
    names: Mapping[str, str],
    groups: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``measure_effects`` with ``verdict_de`` and ``context_de`` (the literature's yardstick), and
    ``effects_pooled`` with ``verdict_de``. ``names``: AGS → name; ``groups``: measure_id → type of measure."""
    titles = dict(zip(measures["measure_id"], measures["title"], strict=False)) if len(measures) else {}
    body_names = dict(zip(bodies["body_id"], bodies["name"], strict=False)) if len(bodies) else {}
    homes = dict(zip(measures["measure_id"], measures["ags"], strict=False)) if len(measures) else {}
    body_homes = dict(zip(bodies["body_id"], bodies["ags"], strict=False)) if len(bodies) else {}
    n_tests = int(effects.loc[effects["headline"] & effects["evaluable"], "p_adjusted"].notna().sum())
    sentences, contexts = [], []
    for row in effects.to_dict(orient="records"):
        mid = str(row["measure_id"])
        body = mid.split(":", 1)[0]
        title = titles.get(mid) or body_names.get(body) or ""
        home = str(homes.get(mid) or body_homes.get(body) or "")
        unit = str(row["unit_ags"])
        place = place_phrase(
            str(row["unit_level"]), unit, names.get(unit, ""), names.get(home, ""), str(row["indicator"])
        )
        sentence = verdict_de(row, event=event_phrase(mid, str(title)), place=place, n_tests=n_tests)
        if ", in dem " in place and row["evaluable"]:
            sentence += (
                f" Gemessen wurde der ganze Kreis: Ob und wie viel die Arbeit in {names.get(home, '')} dazu "
                "beitrug, zeigen diese Daten nicht."
            )
        sentences.append(sentence)
        contexts.append(literature_context(groups.get(mid, ""), row) if row["headline"] else "")
    out = effects.assign(verdict_de=sentences, context_de=contexts)
    pooled_out = pooled.assign(verdict_de=[pooled_verdict_de(r) for r in pooled.to_dict(orient="records")])
    return out, pooled_out
