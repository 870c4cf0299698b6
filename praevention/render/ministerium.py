"""The report for the Ministry of the Interior and Sport: HTML, PDF (typst) and an XLSX workbook.

Contents: an overview map of all bodies and measures, a forest plot of the effects with the pooled
estimates, "Was wirkt?" (measures pooled by type with their evidence cards, :mod:`praevention.render.evidence`),
the comparison of methods for each measure (the naive one labelled), data quality (quarantined rows, breaks,
missing years) and the caveats on method and data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from praevention.evaluation.calibration import ALL
from praevention.evaluation.change import CHANGE_YEARS
from praevention.evaluation.design import FOUNDED_WITH_MEASURE, founding_reason
from praevention.register.targets import aims_at_safety
from praevention.render import disclosure, fmt, safety
from praevention.render.cache import write_if_changed
from praevention.render.data import SOURCE_NAMES, SYNTHETIC_LABEL, ReportData, is_placeholder
from praevention.render.evidence import what_works
from praevention.render.figures import alt_texts
from praevention.render.opendata import OPEN_DATA, write_open_data
from praevention.render.roadsafety import report_section
from praevention.render.steckbrief import TEMPLATES
from praevention.render.verdict import chance_phrase, finding_text
from praevention.render.workbook import quality_table, write_workbook
from praevention.stats.methods import NAIVE
from praevention.stats.methods import label as method_label

CAVEATS = [
    "Ein einfacher Vorher-Nachher-Vergleich („naiv“) zeigt nur, wie sich die Zahlen veränderten – nicht, ob die "
    "Maßnahme wirkte. Kriminalität ging in Deutschland 2015–2021 allgemein zurück; deshalb wird immer mit "
    "Vergleichsgruppen gerechnet.",
    "Regression zur Mitte: Gremien entstehen oft nach einem schlechten Jahr; danach sinken die Zahlen auch ohne "
    "Maßnahme. Die Empirical-Bayes-Schätzung für Unfälle rechnet diesen Effekt heraus und weist ihn getrennt aus.",
    "Kriminalitätsdaten (PKS) liegen nur auf Kreisebene vor. Maßnahmen einer Gemeinde werden am ganzen Kreis "
    "gemessen; kleine Wirkungen in einer Stadt gehen darin unter. Jedes Ergebnis nennt den Anteil der Gemeinde am "
    "Kreis und die Senkung, die am Ort der Maßnahme nötig wäre, damit die Kreisdaten sie zeigen.",
    "Ausgewertet werden alle Straftaten ohne Verstöße gegen das Aufenthalts- und Asylrecht: diese werden dort "
    "erfasst, wo Ausländerbehörden und Aufnahmeeinrichtungen sind (im Landkreis Harz 2016 ein Drittel aller Fälle), "
    "nicht dort, wo örtliche Kriminalität entsteht.",
    "Kleine Zahlen schwanken stark. Zahlen von 1 bis 2 werden je Gemeinde nicht ausgewiesen („<3“), "
    "Auswertungen mit weniger als 20 Fällen gelten als nicht auswertbar.",
    "Bevölkerungszahlen ab dem Stichtag 31.12.2022 beruhen auf dem Zensus 2022; der Sprung ist ein Bruch, kein Trend.",
    "Das Register ist nicht vollständig: Es enthält nur öffentlich belegte Gremien und Maßnahmen. Viele Maßnahmen "
    "haben kein genaues Startdatum oder keine messbare Zielgröße und sind deshalb nicht auswertbar.",
    "Alle Aussagen beschreiben zeitliche Zusammenhänge gegenüber Vergleichsgruppen. Ein ursächlicher Nachweis ist "
    "mit öffentlichen Statistiken nicht möglich; andere gleichzeitige Veränderungen können das Ergebnis erklären.",
]


#: how every product states a change (praevention/evaluation/change.py)
CHANGE_NOTE = (
    f"Veränderung: das neueste Jahr gegenüber {CHANGE_YEARS} Jahren davor (oder dem ersten Jahr der Reihe), in allen "
    "Produkten gleich. Spannt sie den Bruch durch den Zensus 2022 (Raten ab 2024), ist sie an den Fallzahlen "
    "gemessen („Fälle“); unter 20 Fällen stehen die Zahlen selbst."
)
#: the crime and accident indicators of the overview per Kreis
OVERVIEW_INDICATORS = ("pks:------", "acc:verunglueckte")
#: terms the report's appendix explains; the main text uses none of them
GLOSSARY = [
    (
        "Ratenverhältnis",
        "Fälle je Einwohner nach dem Start geteilt durch die erwarteten Fälle ohne Maßnahme; unter 1 "
        "heißt weniger Fälle als erwartet (0,80 = −20 %).",
    ),
    (
        "95-%-Intervall",
        "Bereich, in dem die wahre Veränderung mit 95 % Sicherheit liegt; schließt es 0 % ein, ist "
        "keine Veränderung nachgewiesen.",
    ),
    (
        "kleinste erkennbare Wirkung",
        "die Senkung, die das Verfahren mit 80 % Wahrscheinlichkeit erkennen würde "
        "(englisch minimum detectable effect, MDE).",
    ),
    (
        "Vergleich mit ähnlichen Einheiten",
        "Differenz-von-Differenzen: die Veränderung im Gebiet der Maßnahme minus "
        "die Veränderung in ähnlichen Kreisen ohne Maßnahme; die Unsicherheit aus Scheinmaßnahmen (Placebo) in diesen "
        "Kreisen.",
    ),
    (
        "gestaffelte Starts",
        "Maßnahmen, die in verschiedenen Jahren begannen, werden je Startjahr mit den noch nicht "
        "behandelten Gebieten verglichen.",
    ),
    (
        "synthetische Vergleichsregion",
        "synthetische Kontrolle: eine gewichtete Mischung anderer Kreise, die die Jahre "
        "vor dem Start möglichst genau nachbildet.",
    ),
    (
        "Empirical Bayes",
        "Vorhersage der Unfälle eines Gebiets aus vergleichbaren Gebieten; rechnet die Regression zur Mitte heraus.",
    ),
    ("Regression zur Mitte", "nach einem ungewöhnlich schlechten Jahr sinken die Zahlen meist auch ohne Maßnahme."),
    (
        "Korrektur für viele Tests",
        "Benjamini-Hochberg und Holm: unter vielen geprüften Ergebnissen sind einige "
        "zufällig auffällig; gesichert ist nur, was nach der Korrektur besteht.",
    ),
    (
        "Meta-Analyse",
        "gemeinsame Auswertung gleichartiger Maßnahmen mit zufälligen Effekten (τ² = Streuung zwischen "
        "den Maßnahmen, I² = ihr Anteil an der Gesamtstreuung).",
    ),
]


#: longest name the one-page overview shows uncut (longer ones are cut at a word boundary)
OVERVIEW_NAME = 150
#: the evaluation's reasons, in the overview's few words (the full reason stands in the fact sheets)
SHORT_REASONS = [
    (
        r"Beginn (\d{4}) liegt vor oder am Anfang der Datenreihe \((\d{4})–(\d{4})\): kein Vorher-Zeitraum",
        r"Beginn \1, Daten erst ab \2: kein Vorher",
    ),
    (r"Nachher-Zeitraum fehlt \(Beginn (\d{4}), Daten bis (\d{4})\)", r"Beginn \1, Daten bis \2: kein Nachher"),
    (
        r"Vergleich mit ähnlichen Einheiten: [^;]*; Vorhersage aus vergleichbaren Einheiten \(Empirical Bayes\): (.*)",
        r"keine Vergleichsreihe: \1",
    ),
]


OVERVIEW_NOTE = (
    "Ergebnis: Befund der Hauptauswertung je Zielgröße (Anzahl in Klammern), „erkennbar ab“: die kleinste Wirkung, "
    "die die Daten sicher zeigen könnten. Maßnahmen ohne eigenes Gremium im Register stehen nur als Maßnahme da. "
    "Einzelheiten: Abschnitt Wirkungen und die Steckbriefe."
)


def short_reason(reason: str) -> str:
    for pattern, short in SHORT_REASONS:
        reason = re.sub(pattern, short, reason)
    return reason


def overview_rows(data: ReportData) -> dict[str, list[list[str]]]:
    """Every body (placeholders left out: their measure stands for them) and every measure of the register:
    where it was measured, its result in words with the smallest effect the data could detect, and why it
    could not be evaluated where it could not; by kind (Gremien, Maßnahmen)."""
    head = data.effects[data.effects["headline"]]
    out: dict[str, list[list[str]]] = {"Gremien": [], "Maßnahmen": []}
    keys = [*(f"{b}:" for b in data.real_bodies["body_id"]), *data.measures["measure_id"]]
    for key in keys:
        own = head[head["measure_id"].str.startswith(key)] if key.endswith(":") else head[head["measure_id"] == key]
        name = data.event_name(key[:-1] if key.endswith(":") else key, OVERVIEW_NAME)
        where = ", ".join(dict.fromkeys(data.unit_name(u) for u in own["unit_ags"] if isinstance(u, str) and u)) or "–"
        evaluable = own[own["evaluable"]]
        if len(evaluable):
            found = pd.Series([finding_text(r) for r in evaluable.to_dict(orient="records")]).value_counts()
            verdict = "; ".join(f"{label} ({n})" if n > 1 else label for label, n in found.items() if label)
            mde_text = overview_mde(evaluable)
            if mde_text.startswith("am Ort"):
                verdict += f"; {mde_text}"
            elif mde_text != "–":
                verdict += f"; erkennbar ab {mde_text}"
            why = ""
        else:
            why = _why_not(data, key, own)
            # a founding that is the start of one of the body's measures is that measure's evaluation
            verdict = "als Maßnahme ausgewertet" if why.endswith(FOUNDED_WITH_MEASURE) else "nicht auswertbar"
            why = short_reason(why)
        out["Gremien" if key.endswith(":") else "Maßnahmen"].append([name, where, verdict or "–", why])
    return out


def overview_mde(evaluable: pd.DataFrame) -> str:
    """The smallest detectable reduction of a body's or measure's evaluations, in its own area: the largest
    over its evaluations; 'am Ort nicht erkennbar (25 % im Kreis)' where the unit's data cannot show an
    effect in the measure's area at all."""
    area, unit = evaluable["mde_80_area"], evaluable["mde_80"].dropna()
    if not len(unit):
        return "–"
    if area.isna().any():
        return f"am Ort nicht erkennbar ({fmt.change_from_ratio(unit.max()).lstrip('−')} im Kreis)"
    return fmt.change_from_ratio(area.max()).lstrip("−")


def _why_not(data: ReportData, key: str, own: pd.DataFrame) -> str:
    """Why a body or measure could not be evaluated: the measure's reason, the evaluation's, or, for a
    body the evaluation has no rows for, what the register says about its founding."""
    if not key.endswith(":"):
        m = data.measures.loc[data.measures["measure_id"] == key, "not_evaluable_reason"]
        if len(m) and isinstance(m.iloc[0], str) and m.iloc[0]:
            return m.iloc[0]
    reasons = [json.loads(d).get("reason_de", "") for d in own["diagnostics"] if isinstance(d, str) and d]
    reasons = [r for r in dict.fromkeys(reasons) if r]
    if reasons or not key.endswith(":"):
        return "; ".join(reasons) or "–"
    body = data.bodies[data.bodies["body_id"] == key[:-1]]
    return (founding_reason(body.iloc[0], data.measures) if len(body) else "") or "–"


def kreis_rows(data: ReportData) -> list[list[str]]:
    """Per Kreis and for the Land: crimes and injured road users per 100.000 inhabitants in the latest year,
    and their change on the products' one base (:func:`disclosure.series_change_text`: the latest year
    against five years before, on counts across the census break)."""
    yearly = data.panel[data.panel["month"].isna() & data.panel["count"].notna()]
    out = []
    for k in [*data.kreise.sort_values("name").itertuples(), None]:
        ags = data.land if k is None else str(k.ags)
        cells = [data.unit_name(ags)]
        for indicator in OVERVIEW_INDICATORS:
            s = yearly[(yearly["unit_ags"] == ags) & (yearly["indicator"] == indicator)].sort_values("year")
            if s.empty:
                cells += ["–", "–"]
                continue
            last = s.iloc[-1]
            shown = (
                "nicht ausgewiesen" if disclosure.hidden(last["disclosure"]) else fmt.number(last["rate_per_100k"], 0)
            )
            cells += [f"{shown} ({int(last['year'])})", disclosure.series_change_text(s)[0]]
        out.append(cells)
    return out


def recommendations(data: ReportData) -> list[str]:
    """What would make more measures evaluable, counted from the register."""
    m = data.measures
    out = []
    no_start = int(m["start"].isna().sum()) if "start" in m else 0
    if no_start:
        out.append(
            f"{fmt.number(no_start)} von {fmt.plural(len(m), 'Maßnahme', 'Maßnahmen')} haben kein Startdatum: mit dem "
            "Monat des Beginns im Register werden sie auswertbar, sobald Daten für die Jahre danach vorliegen."
        )
    no_target = int(
        (
            m["target_pks_keys"].map(_empty)
            & m["target_accident_groups"].map(_empty)
            & ~m["target"].map(aims_at_safety).astype(bool)
        ).sum()
    )
    if no_target:
        out.append(
            f"{fmt.plural(no_target, 'Maßnahme hat', 'Maßnahmen haben')} keine messbare Zielgröße (Straftatengruppe oder "
            "Unfallart): die Zielgröße im Register angeben, wenn die Maßnahme auf Fallzahlen zielt."
        )
    b = data.real_bodies
    no_founded = int(b["founded"].isna().sum()) if "founded" in b else 0
    if no_founded:
        out.append(
            f"{fmt.plural(no_founded, 'Gremium hat', 'Gremien haben')} kein Gründungsdatum: ohne es lässt sich die "
            "Entwicklung vor und nach der Einrichtung nicht vergleichen."
        )
    unsurveyed = len(safety.without_survey(data.safety, m))
    if unsurveyed:
        out.append(
            f"{fmt.plural(unsurveyed, 'Maßnahme zielt', 'Maßnahmen zielen')} auf das Sicherheitsgefühl, ohne dass eine "
            "Befragung vorliegt: eine Befragung vor und eine nach dem Beginn (Standardfragebogen) macht sie auswertbar."
        )
    gemeinde = int((m["ags"].astype(str).str.len() == 8).sum())
    if gemeinde:
        out.append(
            f"{fmt.plural(gemeinde, 'Maßnahme wirkt', 'Maßnahmen wirken')} in einer einzelnen Gemeinde, die "
            "Kriminalitätsstatistik gibt es aber nur je Kreis: Ortsteile oder ein Gebiet im Register und örtliche "
            "Fallzahlen der Polizei würden eine Auswertung am Ort erlauben."
        )
    return out


def _empty(v: object) -> bool:
    return v is None or (not isinstance(v, str) and len(v) == 0)  # type: ignore[arg-type]


def _ci(e: pd.Series) -> str:
    if not e["evaluable"]:
        return "nicht auswertbar"
    return (
        f"{fmt.number(e['estimate'], 2)} ({fmt.number(e['ci_low'], 2)}–{fmt.number(e['ci_high'], 2)}); "
        f"{fmt.change_from_ratio(e['estimate'])}"
    )


def context(data: ReportData, images: dict[str, str]) -> dict:
    e = data.effects[~data.effects["measure_id"].str.split(":").str[0].map(is_placeholder)]
    head = e[e["headline"]]
    evaluable = head[head["evaluable"]]
    n_units = head["measure_id"].nunique()
    n_eval = evaluable["measure_id"].nunique()
    found = evaluable["finding"].value_counts()
    n_tests = int(evaluable["p_adjusted"].notna().sum())
    naive = e[(e["method"] == NAIVE) & e["evaluable"]]
    naive_lower = naive[naive["ci_high"] < 1]
    summary = [
        f"Das Register umfasst {fmt.plural(len(data.real_bodies), 'Gremium', 'Gremien')} und "
        f"{fmt.plural(len(data.measures), 'Maßnahme', 'Maßnahmen')}"
        + (
            f" ({fmt.plural(placeholders, 'Maßnahme', 'Maßnahmen')} ohne eigenes Gremium im Register)"
            if (placeholders := int(data.measures["body_id"].map(is_placeholder).sum()))
            else ""
        )
        + ". Ausgewertet werden Maßnahmen und Gründungen von "
        f"Gremien, zusammen {fmt.number(n_units)}: für {n_eval} ließ sich mindestens eine Zielgröße auswerten, "
        f"für {n_units - n_eval} keine (Gründe im Abschnitt Datenqualität und in den Steckbriefen).",
        f"Ausgewertete Zielgrößen: {fmt.number(len(evaluable))}. Davon zeigen {found.get('effect', 0)} eine Veränderung, die auch "
        f"unter allen {n_tests} Tests des Berichts gesichert bleibt; bei {found.get('chance', 0)} wäre der Unterschied "
        f"auch durch Zufall erklärbar. Allein der Zufall erzeugt unter {n_tests} Tests "
        f"{chance_phrase(n_tests)}. Bei "
        f"{found.get('no_large_effect', 0)} schließt das Intervall eine größere Wirkung aus, bei "
        f"{found.get('undetectable', 0)} sind die Daten für kleinere Wirkungen zu ungenau.",
    ]
    if len(naive_lower) > found.get("effect", 0):
        summary.append(
            f"Der naive Vorher-Nachher-Vergleich hätte bei {len(naive_lower)} von {len(naive)} Zielgrößen einen "
            "deutlichen Rückgang gezeigt: er spiegelt den allgemeinen Trend und die Regression zur Mitte, nicht die "
            "Wirkung der Maßnahme."
        )
    pooled = [
        f"{r.group} ({'Kriminalität' if r.indicator_domain == 'crime' else 'Verkehr'}, k = {r.k}): "
        f"{r.verdict_de} τ² = {fmt.number(r.tau2, 4)}, I² = {fmt.percent(r.i2, 0)}."
        for r in data.pooled.itertuples()
    ]
    effects = [
        [data.event_name(r.measure_id), r.indicator_label or "–", data.unit_name(r.unit_ags), r.verdict_de]
        for r in head.sort_values(["measure_id", "indicator"]).itertuples()
    ]
    methods = []
    for r in e[e["evaluable"]].sort_values(["measure_id", "indicator", "method"]).itertuples():
        label = method_label(r.method) + (" (ohne Vergleichsgruppe)" if r.method == NAIVE else "")
        methods.append(
            [
                data.event_name(r.measure_id),
                r.indicator_label,
                label + (" ★" if r.headline else ""),
                _ci(pd.Series(r._asdict())),
                fmt.significant(r.p_value, 3) if pd.notna(r.p_value) else "–",
            ]
        )
    quality = [[r.Quelle, r.Grund, fmt.number(r.Zeilen)] for r in quality_table(data.quality).itertuples()]
    breaks = (
        data.panel[data.panel["break_flag"]].groupby("break_reason")["unit_ags"].nunique().sort_values(ascending=False)
    )
    return {
        "title": "Präventionsmonitor: Bericht für das Ministerium für Inneres und Sport",
        "subtitle": f"{data.land_name} · {data.data_as_of()}",
        "synthetic": data.synthetic,
        "synthetic_label": SYNTHETIC_LABEL,
        "as_of": data.data_as_of(),
        "data_date": fmt.date_de(data.data_date),
        "summary": summary,
        "overview": overview_rows(data),
        "overview_note": OVERVIEW_NOTE,
        "kreise": kreis_rows(data),
        "kreise_note": CHANGE_NOTE,
        "recommendations": recommendations(data),
        "safety_intro": safety.overview_intro(data.safety, data.measures),
        "safety": safety.overview(data.safety, e, data.bodies, data.measures, data.unit_name),
        "glossary": [list(g) for g in GLOSSARY],
        "calibration": calibration_box(data.calibration),
        "roadsafety": report_section(data),
        "pooled": pooled
        or [
            "Für eine gemeinsame Auswertung gleichartiger Maßnahmen (Meta-Analyse) gibt es noch zu wenige ausgewertete Maßnahmen."
        ],
        "effects": effects,
        "what_works": what_works(data),
        "methods": methods,
        "methods_intro": "★ = die Schätzung, die in Steckbriefen und Folien verwendet wird. Der naive Vergleich steht nur "
        "zum Vergleich da: er rechnet allgemeine Trends und die Regression zur Mitte nicht heraus.",
        "quality": quality,
        "breaks": [f"{reason}: {fmt.number(n)} Einheiten" for reason, n in breaks.items()],
        "missing": missing_years(data),
        "caveats": CAVEATS,
        "sources": data.attributions(),
        "images": images,
        "image_alt": alt_texts(data, SOURCE_NAMES),
    }


def calibration_box(calibration: pd.DataFrame) -> str:
    """The calibration in plain sentences: how often the procedure claims an effect that is not there, overall
    and in its worst stratum (level, Kreis size, Kreisart, starts chosen as councils are founded)."""
    head = calibration[(calibration["method"] == "headline") & (calibration["indicator"] == "*")]
    row = head[head["stratum"] == ALL]
    if row.empty:
        return "Die Prüfung mit Scheinmaßnahmen liegt nicht vor."
    r = row.iloc[0]
    n, rate = int(r["n_designs"]), float(r["false_positive_rate"])
    strata = head[(head["stratum"] != ALL) & (head["n_designs"] >= 100)]
    worst = strata.loc[strata["false_positive_rate"].idxmax()] if len(strata) else None
    kreis = head[head["stratum"] == "Ebene: Kreis"]
    mde = float((kreis if len(kreis) else row).iloc[0]["mde_80"])
    text = (
        f"Von {fmt.number(n)} Scheinmaßnahmen in Kreisen, Ländern und Stadtteilen ohne Maßnahme – erfundenen Starts "
        f"zu zufälligen Zeitpunkten, ausgewertet wie echte Maßnahmen – hätte das Verfahren {fmt.number(round(rate * n))} "
        f"({fmt.percent(rate, 1)}) fälschlich als wirksam eingestuft; zulässig sind höchstens 7 %."
    )
    if worst is not None:
        text += (
            f" Getrennt nach Ebene, Kreisgröße und Kreisart und bei Starts nach dem schlechtesten Jahr oder auf "
            f"steigendem Trend sind es höchstens {fmt.percent(float(worst['false_positive_rate']), 1)} "
            f"({worst['stratum']})."
        )
    return text + (
        f" Wirkungen unter etwa {fmt.change_from_ratio(mde).lstrip('−')} kann das Verfahren auf Kreisebene nicht "
        "sicher erkennen."
    )


def missing_years(data: ReportData) -> list[str]:
    out = []
    y = data.data_years
    if "pks" in y:
        out.append(
            f"PKS-Kreistabellen liegen für {y['pks'][0]}–{y['pks'][1]} vor; ältere Jahrgänge (Excel-97-Tabellen "
            "bis 2013) werden gelesen, wenn sie im Rohdatenordner liegen."
        )
    points = data.points.groupby("ags")["year"].apply(lambda s: sorted(set(s)))
    if len(points):
        covered = ", ".join(
            f"{data.gemeinden.set_index('ags')['name'].get(a, a)} ({', '.join(map(str, ys))})"
            for a, ys in points.items()
        )
        out.append(f"Unfallatlas-Punkte des Landes liegen nur vor für: {covered}.")
    else:
        out.append("Keine Unfallatlas-Punkte für das Land geladen.")
    out.append(
        "Unfallzahlen je Kreis fehlen für 2016–2022 (Regionalstatistik 46241-01-04 nicht geladen); je Gemeinde "
        "gibt es nur 2015 und 2023."
    )
    pks = data.panel[data.panel["indicator"].str.startswith("pks:")]
    below = []
    if (pks["unit_level"] == "Stadtteil").any():
        below.append("Magdeburgs Stadtteile 2017–2021 (KISS-MD)")
    if (pks["unit_level"] == "Gemeinde").any():
        below.append("Gemeinden aus der LKA-Tatortgemeindestatistik")
    out.append(f"Kriminalität unterhalb der Kreise: {' und '.join(below) if below else 'keine Daten geladen'}.")
    return out


def render_ministry_report(data: ReportData, out_dir: Path, images: dict[str, Path]) -> list[Path]:
    """``bericht.html``, ``bericht.pdf``, ``tabellen.xlsx`` and the open data release (``offene-daten/``) in
    ``out_dir``; ``images`` are PNG files."""
    import typst

    out_dir.mkdir(parents=True, exist_ok=True)
    rel = {k: Path(v).relative_to(out_dir.parent).as_posix() for k, v in images.items()}
    ctx = context(data, {k: "../" + v for k, v in rel.items()})
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    html = out_dir / "bericht.html"
    write_if_changed(html, env.get_template("ministerium.html.j2").render(d=ctx))
    pdf = out_dir / "bericht.pdf"
    pdf_ctx = {**ctx, "images": {k: "/" + v for k, v in rel.items()}}
    # the template is passed as bytes so that the output folder can be typst's root (for the images)
    write_if_changed(
        pdf,
        typst.compile(
            (TEMPLATES / "ministerium.typ").read_bytes(),
            root=str(out_dir.parent),
            sys_inputs={"data": json.dumps(pdf_ctx, ensure_ascii=False, default=str)},
        ),
    )
    xlsx = write_workbook(data, out_dir / "tabellen.xlsx")
    return [html, pdf, xlsx, *write_open_data(data, out_dir / OPEN_DATA)]
