"""Road safety for people: euro sentences, accident sites (Unfallschwerpunkte), site evaluations, the site
calibration and the yearly accidents of a place – shared by fact sheets, report, decks and maps.

Every count of accidents in a Gemeinde passes :func:`fmt.publish_count` (1–2 shown as ``<3``): the points are
counted here, not published so. Years are named as they are (``2020, 2022–2024``), never as a range over a
missing year.
"""

from __future__ import annotations

import pandas as pd

from praevention.evaluation.costs import cost_table, rates
from praevention.evaluation.design import span
from praevention.evaluation.sites import SITE_LEVEL
from praevention.render import fmt
from praevention.render.valuation import diagnostics_of, euro
from praevention.render.verdict import finding_label

#: hotspots shown per Gemeinde in fact sheets and the report
TOP_SITES = 5


def site_unit_name(gemeinde_name: str) -> str:
    """'Ort der Maßnahme in Magdeburg': the name of a site key (``15003000@M12``)."""
    return f"Ort der Maßnahme in {gemeinde_name}" if gemeinde_name else "Ort der Maßnahme"


def point_link(lat: float, lon: float) -> str:
    """An OpenStreetMap link to a place (opens the street map at the site)."""
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"


def hotspot_rows(screening: pd.DataFrame, ags: str, n: int = TOP_SITES) -> list[list[str]]:
    """The top sites of a Gemeinde for people: rank, where, accidents in the years, of them with killed or
    seriously injured and the participants, the excess a year and its euro weight."""
    own = screening[screening["ags"] == ags].sort_values("rank").head(n)
    return [_hotspot_row(r) for r in own.itertuples()]


def land_hotspot_rows(screening: pd.DataFrame, unit_name, n: int = 2 * TOP_SITES) -> list[list[str]]:
    """The Land's ``n`` sites with the highest severity-weighted excess, with their Gemeinde and its rank."""
    top = screening.sort_values(["severity_weighted_excess", "observed"], ascending=False, kind="stable").head(n)
    return [[unit_name(r.ags), *_hotspot_row(r)] for r in top.itertuples()]


def _hotspot_row(r) -> list[str]:
    ksi = int(r.with_killed) + int(r.with_seriously_injured)
    who = ", ".join(
        f"{label} {fmt.publish_count(v)}"
        for label, v in (("Fuß", r.pedestrian), ("Rad", r.bicycle), ("Krad", r.motorcycle))
        if v
    )
    return [
        str(int(r.rank)),
        f"{fmt.number(r.lat, 5)} N, {fmt.number(r.lon, 5)} O",
        f"{fmt.publish_count(r.observed)} ({r.years})",
        fmt.publish_count(ksi),
        who or "–",
        fmt.number(r.excess_per_year, 1),
        euro(r.severity_weighted_excess),
    ]


HOTSPOT_HEADER = [
    "Rang",
    "Ort (Mitte, Umkreis 50 m)",
    "Unfälle (Jahre)",
    "mit Getöteten/Schwerverletzten",
    "Beteiligte",
    "Mehr Unfälle als ähnliche Orte je Jahr",
    "Unfallkosten-Überschuss je Jahr",
]
HOTSPOT_NOTE = (
    "Unfallschwerpunkte: Orte mit mehr Unfällen, als an ähnlichen Orten zu erwarten ist (Empirical Bayes nach dem "
    "Highway Safety Manual, Teil B); Zufallshäufungen sind herausgerechnet. Rang nach dem Überschuss, gewichtet mit "
    "den Unfallkosten der BASt. Ein hoher Rang sagt, wo sich ein Blick vor Ort lohnt, nicht warum."
)


def accident_years(points: pd.DataFrame, ags: str) -> list[list[str]]:
    """The Gemeinde's Unfallatlas accidents per year (years as present): all, with killed or seriously injured,
    with pedestrians, with cyclists – counts of 1–2 as '<3'."""
    own = points[points["ags"] == ags]
    rows = []
    for year, g in own.groupby("year"):
        rows.append(
            [
                str(int(year)),
                fmt.publish_count(len(g)),
                fmt.publish_count(int((g["category"] <= 2).sum())),
                fmt.publish_count(int(g["is_pedestrian"].sum())) if "is_pedestrian" in g else "–",
                fmt.publish_count(int(g["is_bicycle"].sum())) if "is_bicycle" in g else "–",
            ]
        )
    return rows


ACCIDENT_YEAR_HEADER = ["Jahr", "Unfälle", "mit Getöteten/Schwerverletzten", "mit Fußgängern", "mit Radfahrenden"]


def years_note(points: pd.DataFrame, ags: str) -> str:
    """'Unfallatlas: 2020, 2022–2024 (2021 fehlt)' for a Gemeinde."""
    years = sorted({int(y) for y in points.loc[points["ags"] == ags, "year"]})
    if not years:
        return ""
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years]
    gap = f" ({span(missing)} {'fehlt' if len(missing) == 1 else 'fehlen'}: eine Lücke, keine Null)" if missing else ""
    return f"Unfallatlas-Jahre: {span(years)}{gap}"


def site_rows(effects: pd.DataFrame, event_name, unit_name) -> list[list[str]]:
    """The report's table of site evaluations: measure and place, target, accidents before and after, expected
    without the measure, the CMF with its interval, the finding and the euro value."""
    head = effects[(effects["unit_level"] == SITE_LEVEL) & effects["headline"]]
    rows = []
    for r in head.sort_values(["measure_id", "indicator"]).to_dict("records"):
        d = diagnostics_of(r)
        if r["evaluable"]:
            cmf = f"{fmt.number(r['estimate'], 2)} ({fmt.number(r['ci_low'], 2)}–{fmt.number(r['ci_high'], 2)})"
            value = (
                f"{euro(r['benefit_eur_per_year'])} ({euro(r['benefit_ci_low'])} bis {euro(r['benefit_ci_high'])})"
                if pd.notna(r.get("benefit_eur_per_year"))
                else "–"
            )
            if d.get("benefit_cost_ratio") is not None:
                value += f"; Nutzen/Kosten {fmt.number(d['benefit_cost_ratio'], 1)}, Kapitalwert {euro(d['npv_eur'])}"
            result = finding_label(r["finding"])
        else:
            cmf, value, result = "–", "–", f"nicht auswertbar: {d.get('reason_de', '')}"
        rows.append(
            [
                f"{event_name(r['measure_id'], 60)} ({unit_name(r['unit_ags'])})",
                str(r["indicator_label"] or "–"),
                f"{fmt.number(r['n_before'])} ({r['period_before']}) → {fmt.number(r['n_after'])} ({r['period_after']})"
                if pd.notna(r.get("n_before")) and pd.notna(r.get("n_after"))
                else "–",
                fmt.number(d.get("expected_without_measure"), 1),
                cmf,
                result,
                value,
            ]
        )
    return rows


SITE_HEADER = [
    "Maßnahme (Ort)",
    "Zielgröße",
    "Unfälle vorher → nachher",
    "nachher erwartet ohne Maßnahme",
    "Faktor nachher/erwartet (95-%-Intervall)",
    "Ergebnis",
    "Wert je Jahr (95-%-Intervall)",
]


def site_calibration_box(calibration: pd.DataFrame) -> str:
    """The calibration of the site evaluation in one plain sentence."""
    if calibration.empty:
        return "Für Auswertungen am Ort liegt keine Prüfung mit Scheinmaßnahmen vor (keine Unfallorte geladen)."
    head = calibration[(calibration["method"] == "headline") & (calibration["indicator"] == "*")]
    overall = head[head["selection"] == "alle"]
    hot = head[head["selection"] == "Schwerpunkte"]
    if overall.empty:
        return "Für Auswertungen am Ort liegt keine Prüfung mit Scheinmaßnahmen vor."
    r = overall.iloc[0]
    n, rate = int(r["n_designs"]), float(r["false_positive_rate"])
    text = (
        f"Von {fmt.number(n)} Scheinmaßnahmen an Orten ohne Maßnahme – zufällig gewählt oder unter den Orten mit den "
        f"meisten Unfällen vor dem erfundenen Start, ausgewertet wie echte – hätte die Auswertung am Ort "
        f"{fmt.number(round(rate * n))} "
        f"({fmt.percent(rate, 1)}) fälschlich als wirksam eingestuft; zulässig sind höchstens 7 %."
    )
    if len(hot) and pd.notna(hot.iloc[0]["mean_ratio"]):
        ratio = float(hot.iloc[0]["mean_ratio"])
        text += (
            f" An den unfallreichsten Orten kamen nachher {fmt.percent(ratio, 0)} der Unfälle, die das Verfahren ohne "
            "Maßnahme erwartet hatte"
            + (
                ": ein Rest der Regression zur Mitte, der kleine Wirkungen überzeichnen kann."
                if ratio < 0.95
                else ": das Verfahren rechnet dort eher zu viel Zufallshäufung heraus und unterschätzt Wirkungen eher."
                if ratio > 1.05
                else " (100 % = ohne Verzerrung)."
            )
        )
    return text


def price_year(data) -> int:
    """The price level of the euro values: the data's latest year (or the price index's latest, when earlier)."""
    return rates(data.data_date.year if data.data_date else 9999).price_year


def cost_note(price_year: object) -> str:
    """Where the euro values come from, in one sentence."""
    doc = cost_table()
    rates = doc["per_casualty"]["eur"]
    return (
        f"Unfallkosten: Kostensätze der Bundesanstalt für Straßenwesen (BASt), Preisstand "
        f"{doc['per_casualty']['price_year']} (Getötete {euro(rates['killed'])}, Schwerverletzte "
        f"{euro(rates['seriously_injured'])}, Leichtverletzte {euro(rates['slightly_injured'])} je Person), je Unfall nach "
        f"Unfallkategorie umgerechnet und mit dem Verbraucherpreisindex auf {price_year} angepasst; ohne Sachschäden."
    )


def short_cost_note(price_year: object) -> str:
    """The cost sentence of a fact sheet: where the euros come from, in a line."""
    year = cost_table()["per_casualty"]["price_year"]
    return f"Unfallkosten: Kostensätze der BASt (Preisstand {year}, auf {price_year} angepasst), ohne Sachschäden."


def accident_section(data, ags: str) -> dict[str, object]:
    """A Gemeinde sheet's accidents per year and its Unfallschwerpunkte, for every Gemeinde with points (empty
    lists otherwise: the sheet leaves the section out)."""
    has = bool(len(data.points)) and bool((data.points["ags"] == ags).any())
    return {
        "accident_years": accident_years(data.points, ags) if has else [],
        "accident_year_header": ACCIDENT_YEAR_HEADER,
        "accident_note": years_note(data.points, ags) if has else "",
        "hotspots": hotspot_rows(data.screening, ags) if has and len(data.screening) else [],
        "hotspot_header": HOTSPOT_HEADER,
        "hotspot_note": f"{HOTSPOT_NOTE} {short_cost_note(price_year(data))}",
    }


def report_section(data) -> dict[str, object]:
    """The ministry report's road-safety section: the site evaluations with their euro value, the calibration
    of the site evaluation, the Land's top accident sites and the cost rates."""
    sites = site_rows(data.effects, data.event_name, data.unit_name)
    gemeinden = data.screening["ags"].nunique() if len(data.screening) else 0
    intro = (
        f"Maßnahmen mit einem Ort im Register werden an diesem Ort ausgewertet: {fmt.plural(len(sites), 'Auswertung', 'Auswertungen')} "
        "(Unfälle im Umkreis vorher und nachher, verglichen mit dem, was ohne Maßnahme zu erwarten war; Empirical Bayes "
        "nach dem Highway Safety Manual). Der Wert je Jahr sind die vermiedenen Unfallkosten."
        if sites
        else "Im Register steht noch keine Maßnahme mit einem Ort (Koordinaten, Straße oder Fläche) und einem "
        "Unfallziel; Auswertungen am Ort sind daher noch nicht möglich."
    )
    return {
        "intro": intro,
        "sites": sites,
        "site_header": SITE_HEADER,
        "calibration": site_calibration_box(data.site_calibration),
        "hotspots": land_hotspot_rows(data.screening, data.unit_name) if gemeinden else [],
        "hotspot_header": ["Gemeinde", *HOTSPOT_HEADER],
        "hotspot_intro": (
            f"Unfallschwerpunkte in {fmt.plural(gemeinden, 'Gemeinde', 'Gemeinden')} mit Unfallorten; hier die "
            f"{min(len(data.screening), 2 * TOP_SITES)} mit dem höchsten Unfallkosten-Überschuss im Land, die ersten "
            f"{TOP_SITES} jeder Gemeinde im Steckbrief. {HOTSPOT_NOTE}"
            if gemeinden
            else "Keine Unfallorte geladen: keine Unfallschwerpunkte."
        ),
        "cost_note": cost_note(price_year(data)),
    }
