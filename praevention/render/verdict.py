"""Plain-German sentences about the evaluation's results, in four plain cases.

A sentence never claims more than the design allows: "nach" (after), never "wegen" (because of). It says
what changed, compared with what, at which level, and how sure that is, in one of four cases (the findings
of :mod:`praevention.evaluation.evaluate`):

1. **An effect shown** (``effect``): it survives the adjustment for the many tests of the report.
2. **An effect larger than X % ruled out at the level measured** (``no_large_effect``): the bound and the
   level are always named ("eine größere Wirkung als eine Senkung um 22 % im Kreis lässt sich
   ausschließen"), and for a measure in part of the unit what the bound means in its own area.
3. **Not detectable with these data** (``undetectable``, and ``chance``: a difference the many tests can
   explain), and what data would make it detectable: the measure's own area in finer statistics (with the
   estimated minimum detectable effect there), more years, or pooling with measures of the same type.
4. **Not evaluable** (``not_evaluable``, ``inconclusive``), with the true reason.

Where the measure's area is smaller than the unit measured, the sentence says how much of the unit it is
(:mod:`praevention.evaluation.dilution`), and a design whose periods span the Zensus 2022 break says how its
population denominators were treated. The literature yardstick (:func:`literature_context`) is read on the
same scale: a review's effect where a measure acts is spread over the unit measured before it is compared.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import pandas as pd

from praevention.evaluation.dilution import area_reduction, is_diluted_row
from praevention.evaluation.inputs import POPULATION_HANDLING
from praevention.evaluation.literature import at_level, review_for
from praevention.evaluation.pooling import row_share, rules_label
from praevention.render.fmt import change_from_ratio, number, percent, shorten
from praevention.render.valuation import benefit_sentence, site_phrase
from praevention.stats.methods import NAIVE, SYNTH
from praevention.stats.methods import label as method_label
from praevention.stats.multiple import expected_false_positives

#: German names of the evaluation's findings (column ``finding`` of ``measure_effects``)
FINDING_LABELS = {
    "effect": "Wirkung gesichert",
    "chance": "Unterschied auch zufällig erklärbar",
    "no_large_effect": "größere Wirkung ausgeschlossen",
    "undetectable": "mit diesen Daten nicht nachweisbar",
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
    "Ort": "stärker als an vergleichbaren Orten zu erwarten",
}
#: where a level's change was measured, in a few words
LEVEL_IN = {
    "Kreis": "im Kreis",
    "Land": "im Land",
    "Gemeinde": "in der Gemeinde",
    "Stadtteil": "in den Stadtteilen",
    "Ort der Maßnahme": "am Ort der Maßnahme",
}
#: the unit measured, in the genitive ("etwa 11 % der Einwohner des Kreises")
LEVEL_OF = {"Kreis": "des Kreises", "Land": "des Landes", "Gemeinde": "der Gemeinde", "Stadtteil": "der Stadt"}


def finding_label(finding: object) -> str:
    return FINDING_LABELS.get(str(finding), "") if finding is not None and str(finding) not in ("", "nan") else ""


def finding_text(row: Mapping) -> str:
    """A headline row's finding in a few words with its bound and level: "keine größere Wirkung als 22 % im
    Kreis", "Wirkung gesichert: −18 % im Kreis", "mit diesen Daten nicht nachweisbar (Kreisdaten)"."""
    finding = row.get("finding")
    label = finding_label(finding)
    level = LEVEL_IN.get(str(row.get("unit_level")), "")
    if finding == "no_large_effect":
        bound = change_from_ratio(row["ci_low"]).lstrip("−")
        return f"keine größere Wirkung als {bound} {level}".strip()
    if finding == "effect":
        return f"{label}: {change_from_ratio(row['estimate'])} {level}".strip()
    if finding == "undetectable" and row.get("unit_level"):
        return f"{label} ({row['unit_level']}daten)"
    return label


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
    """'im Landkreis Harz'; a name that already says 'Kreis' keeps it: 'im Salzlandkreis', 'im Altmarkkreis
    Salzwedel'."""
    return f"im {name}" if "kreis" in name.lower() else f"im Landkreis {name}"


def place_phrase(unit_level: str, unit_ags: str, unit_name: str, home_name: str, indicator: str = "") -> str:
    """Where the change was measured: 'im Landkreis Harz, in dem Quedlinburg liegt,' when that is larger than
    where the body works; the Stadtteile by number when a city's own statistics were used; a Gemeinde's own
    crime figures with the statistic they come from (the LKA's PKS by Tatortgemeinde); the site of a measure
    with a place."""
    if (site := site_phrase(unit_level, home_name)) is not None:
        return site
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
    return str(_diag(row).get("reason_de") or "unbekannter Grund")


def _diag(row: Mapping) -> dict:
    diag = row.get("diagnostics")
    return json.loads(diag) if isinstance(diag, str) and diag else {}


def share_phrase(row: Mapping, area_name: str) -> str:
    """'Quedlinburg hat etwa 11 % der Einwohner des Kreises' (cases where the statistics count them)."""
    unit = LEVEL_OF.get(str(row.get("unit_level")), "des gemessenen Gebiets")
    cases = row.get("area_share_cases")
    has = "haben" if area_name.startswith("Stadtteile") else "hat"
    if cases is not None and not pd.isna(cases) and float(cases) > 0:
        return f"{area_name} {has} etwa {percent(float(cases), 0)} der Fälle {unit}"
    return f"{area_name} {has} etwa {percent(row_share(row), 0)} der Einwohner {unit}"


def in_area(reduction: float | None, area_name: str) -> str:
    """What a reduction of the unit means in the measure's area: 'einer Senkung um 30 % in Quedlinburg',
    'mehr als einer Halbierung in Quedlinburg', 'mehr Fällen, als Quedlinburg überhaupt hat'."""
    where = in_place(area_name)
    if reduction is None:
        return f"mehr Fällen, als {area_name} überhaupt {'haben' if area_name.startswith('Stadtteile') else 'hat'}"
    if reduction > 0.5:
        return f"mehr als einer Halbierung {where}"
    return f"einer Senkung um {percent(reduction, 0)} {where}"


def in_place(area_name: str) -> str:
    """'in Quedlinburg', 'in den Stadtteilen 01, 04 von Magdeburg'."""
    return (
        f"in den {area_name.replace('Stadtteile', 'Stadtteilen', 1)}"
        if area_name.startswith("Stadtteile")
        else f"in {area_name}"
    )


def handling_note(row: Mapping) -> str:
    """How a design's population denominators were treated, when its periods span the Zensus 2022 break
    or it compares counts."""
    handling = row.get("population_handling")
    if handling in ("bridged", "census_break", "counts"):
        return f" {POPULATION_HANDLING[str(handling)]}."
    return ""


def verdict_de(row: Mapping, *, event: str, place: str = "", n_tests: int = 0, area_name: str = "") -> str:
    """The sentence for one row of ``measure_effects`` (headline rows by their ``finding``, in four cases;
    ``area_name``: the measure's own area, named where it is smaller than the unit measured)."""
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
    level = LEVEL_IN.get(str(row.get("unit_level")), "im gemessenen Gebiet")
    diluted = bool(area_name) and is_diluted_row(row)
    share = row_share(row)
    measured = (
        f" Gemessen wurde {'der ganze Kreis' if row.get('unit_level') == 'Kreis' else 'das ganze Gebiet'}: "
        f"{share_phrase(row, area_name)}; ob und wie viel die Arbeit in {area_name} dazu beitrug, zeigen diese "
        "Daten nicht."
        if diluted
        else ""
    )
    note = handling_note(row)
    if finding == "effect":
        return (
            f"Nach {event} {direction} {indicator}{place} um {amount} ({ci}), {compared}; das Ergebnis bleibt "
            f"auch unter allen {n_tests} geprüften Ergebnissen gesichert.{measured}{note}"
        )
    if finding == "chance":
        return (
            f"Nach {event} {direction} {indicator}{place} um {amount} ({ci}), {compared}. Unter {n_tests} "
            "geprüften Ergebnissen entsteht ein Unterschied dieser Größe aber auch zufällig: kein gesicherter "
            f"Erfolg.{measured}{note}"
        )
    change = f"Nach {event} änderte sich {indicator}{place} um {change_from_ratio(est)} ({ci})"
    if finding == "no_large_effect":
        bound = 1 - lo
        sentence = (
            f"{change}: eine größere Wirkung als eine Senkung um {percent(bound, 0)} {level} lässt sich damit "
            "ausschließen."
        )
        if diluted:
            sentence += (
                f" {share_phrase(row, area_name)}; dort entspräche das {in_area(area_reduction(lo, share), area_name)}."
            )
        return sentence + note
    if finding == "undetectable":
        mde = 1 - float(row["mde_80"])
        if diluted:
            detail = (
                f"{share_phrase(row, area_name)}; erkennbar wären erst Senkungen um {percent(mde, 0)} {level}, "
                f"das entspräche {in_area(area_reduction(float(row['mde_80']), share), area_name)}."
            )
            projected, finer = _diag(row).get("area_mde_projected"), _diag(row).get("finer_data")
            if projected is not None and finer:
                detail += (
                    f" Mit der {finer} läge die nachweisbare Senkung {in_place(area_name)} bei etwa "
                    f"{percent(1 - float(projected), 0)} (geschätzt)."
                )
        else:
            detail = (
                f"erkennbar wären erst Senkungen um {percent(mde, 0)} {level}. Mehr Jahre nach dem Start oder die "
                "gemeinsame Auswertung gleichartiger Maßnahmen (Abschnitt „Was wirkt?“) machen kleinere Wirkungen "
                "erkennbar."
            )
        return f"{change}. Mit diesen Daten ist eine Wirkung nicht nachweisbar: {detail}{note}"
    if method == SYNTH and not _diag(row).get("pre_fit_ok", True):
        rel = float(_diag(row).get("rmspe_pre_relative") or 0)
        return (
            f"Synthetische Vergleichsregion: Sie bildet die Jahre vor {event} nur ungenau nach (Abweichung "
            f"{number(rel * 100, 1)} %); daher keine Aussage."
        )
    label = method_label(method)
    return f"{label[:1].upper()}{label[1:]}: {change_from_ratio(est)} ({ci})."


def literature_context(review: dict | None, row: Mapping) -> str:
    """What the review matched to the measure found, and how the local result relates to it on the same
    scale: the review's effect where a measure acts, spread over the unit measured by the area's share."""
    if review is None:
        return "Für Maßnahmen dieser Art und mit diesem Ziel liegt keine passende Übersichtsarbeit vor."
    text = " ".join(str(review["sentence_de"]).split())
    pct = review.get("reduction_percent")
    if pct is None or not row.get("evaluable") or not row.get("headline"):
        return text
    share = row_share(row)
    expected = at_level(1 - float(pct) / 100, share)
    lo, hi, mde = (float(row[c]) for c in ("ci_low", "ci_high", "mde_80"))
    if share < 1:
        text += (
            f" Das gilt am Ort der Maßnahme; auf das gemessene Gebiet umgerechnet (Anteil etwa {percent(share, 0)}) "
            f"entspräche es {change_from_ratio(expected)}."
        )
    if math.isfinite(mde) and expected > mde and lo <= expected <= hi:
        return f"{text} Eine Wirkung dieser Größe liegt unter dem, was die Daten hier erkennen können; das örtliche Ergebnis widerspricht ihr nicht."
    if lo <= expected <= hi:
        return f"{text} Das örtliche Ergebnis liegt im Rahmen dessen, was Studien erwarten lassen."
    return f"{text} Auf derselben Ebene verglichen liegt das örtliche Ergebnis außerhalb dessen, was Studien erwarten lassen."


def pooled_verdict_de(row: Mapping) -> str:
    """The sentence for one row of ``effects_pooled``."""
    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    k = int(row["k"])
    head = f"Über {k} Auswertungen der Art „{row['group']}“ hinweg"
    if lo <= 1 <= hi:
        return f"{head} lässt sich keine mittlere Wirkung nachweisen ({interval(lo, hi)})."
    direction = "sank" if float(row["estimate"]) < 1 else "stieg"
    return f"{head} {direction} die Zielgröße im Mittel um {change_from_ratio(row['estimate']).lstrip('+−')} ({interval(lo, hi)})."


def type_verdict_de(row: Mapping, *, rules: bool = True) -> str:
    """The sentence for one row of ``measure_type_effects``: the pooled effect with its bound and level,
    what the next measure of the type may expect (prediction interval), and the rules' version."""
    level = LEVEL_IN.get(str(row["unit_level"]), "")
    lo, hi, est = float(row["ci_low"]), float(row["ci_high"]), float(row["estimate"])
    k, n = int(row["n_designs"]), int(row["n_measures"])
    what = f"„{row['measure_type_label']}“, Zielgröße „{row['outcome_label']}“"
    if k < 2:
        return (
            f"{what}: nur eine Auswertung ({change_from_ratio(est)} {level}, {interval(lo, hi)}); gemeinsam "
            "ausgewertet wird ab zwei."
        )
    head = f"{what}: {n} {'Maßnahme' if n == 1 else 'Maßnahmen'} in {k} Auswertungen, gemessen {level}"
    if hi < 1:
        found = f"im Mittel {change_from_ratio(est)} ({interval(lo, hi)}): eine Senkung ist gezeigt"
    elif lo > 1:
        found = f"im Mittel {change_from_ratio(est)} ({interval(lo, hi)}): ein Anstieg"
    else:
        found = (
            f"im Mittel {change_from_ratio(est)} ({interval(lo, hi)}); eine größere mittlere Wirkung als eine "
            f"Senkung um {percent(1 - lo, 0)} {level} lässt sich ausschließen"
        )
    pred = ""
    if row.get("pi_low") is not None and not pd.isna(row.get("pi_low")):
        pred = (
            f" Für die nächste Maßnahme dieser Art ist {change_from_ratio(row['pi_low'])} bis "
            f"{change_from_ratio(row['pi_high'])} zu erwarten (Vorhersageintervall)."
        )
    return f"{head}: {found}.{pred}" + (f" {rules_label()}." if rules else "")


def add_verdicts(
    effects: pd.DataFrame,
    types: pd.DataFrame,
    bodies: pd.DataFrame,
    measures: pd.DataFrame,
    names: Mapping[str, str],
    kinds: Mapping[str, tuple[str, str]],
    texts: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``measure_effects`` with ``verdict_de`` and ``context_de`` (the literature's yardstick, on evaluable
    headline rows), and ``measure_type_effects`` with ``verdict_de``. ``names``: AGS → name; ``kinds``:
    measure_id → (pooled type, mechanism) (:func:`praevention.evaluation.pooling.measure_kinds`); ``texts``:
    measure_id → title and "Für wen und wo" (:func:`praevention.evaluation.pooling.measure_texts`)."""
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
        area = area_name(str(row.get("area_ags") or ""), names) or names.get(home, "")
        sentence = verdict_de(row, event=event_phrase(mid, str(title)), place=place, n_tests=n_tests, area_name=area)
        if row["headline"]:
            sentence += benefit_sentence(row)
        sentences.append(sentence)
        kind = kinds.get(mid)
        review = review_for(kind[0], kind[1], [str(row["indicator"])], [texts.get(mid, "")]) if kind else None
        contexts.append(literature_context(review, row) if row["headline"] and row["evaluable"] else "")
    out = effects.assign(verdict_de=sentences, context_de=contexts)
    types_out = types.assign(verdict_de=[type_verdict_de(r) for r in types.to_dict(orient="records")])
    return out, types_out


def area_name(area_ags: str, names: Mapping[str, str]) -> str:
    """The measure's area by name: a Gemeinde's name, or 'Stadtteile 01, 04 von Magdeburg'."""
    if "-" in area_ags:
        city, _, numbers = area_ags.partition("-")
        return f"Stadtteile {numbers.replace('+', ', ')} von {names.get(city, 'der Stadt')}"
    return names.get(area_ags, "")
