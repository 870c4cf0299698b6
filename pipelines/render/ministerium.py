"""The report for the Ministry of the Interior and Sport: HTML, PDF (typst) and an XLSX workbook.

Contents: an overview map of all bodies and measures, a forest plot of the effects with the pooled
estimates, the comparison of methods for each measure (the naive one labelled), data quality
(quarantined rows, breaks, missing years) and the caveats on method and data.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.files import atomic_target
from pipelines.register.schema import TABLES
from pipelines.render import fmt
from pipelines.render.cache import write_if_changed
from pipelines.render.data import SYNTHETIC_LABEL, ReportData
from pipelines.render.figures import alt_texts
from pipelines.render.steckbrief import TEMPLATES
from pipelines.stats.methods import NAIVE
from pipelines.stats.methods import label as method_label
from pipelines.stats.multiple import expected_false_positives

CAVEATS = [
    "Ein einfacher Vorher-Nachher-Vergleich („naiv“) zeigt nur, wie sich die Zahlen veränderten – nicht, ob die "
    "Maßnahme wirkte. Kriminalität ging in Deutschland 2015–2021 allgemein zurück; deshalb wird immer mit "
    "Vergleichsgruppen gerechnet.",
    "Regression zur Mitte: Gremien entstehen oft nach einem schlechten Jahr; danach sinken die Zahlen auch ohne "
    "Maßnahme. Die Empirical-Bayes-Schätzung für Unfälle rechnet diesen Effekt heraus und weist ihn getrennt aus.",
    "Kriminalitätsdaten (PKS) liegen nur auf Kreisebene vor. Maßnahmen einer Gemeinde werden am ganzen Kreis "
    "gemessen; kleine Wirkungen in einer Stadt gehen darin unter.",
    "Kleine Zahlen schwanken stark. Zahlen von 1 bis 2 werden je Gemeinde nicht ausgewiesen („<3“), "
    "Auswertungen mit weniger als 20 Fällen gelten als nicht auswertbar.",
    "Bevölkerungszahlen ab dem Stichtag 31.12.2022 beruhen auf dem Zensus 2022; der Sprung ist ein Bruch, kein Trend.",
    "Das Register ist nicht vollständig: Es enthält nur öffentlich belegte Gremien und Maßnahmen. Viele Maßnahmen "
    "haben kein genaues Startdatum oder keine messbare Zielgröße und sind deshalb nicht auswertbar.",
    "Alle Aussagen beschreiben zeitliche Zusammenhänge gegenüber Vergleichsgruppen. Ein ursächlicher Nachweis ist "
    "mit öffentlichen Statistiken nicht möglich; andere gleichzeitige Veränderungen können das Ergebnis erklären.",
]
QUALITY_NAMES = {
    "boundaries": "Gebietsgrenzen",
    "accident_counts": "Unfallstatistik",
    "accident_points": "Unfallatlas",
    "crime_cases": "PKS",
    "population": "Bevölkerung",
    "register": "Register",
    "crime_city_stats": "KISS-MD",
    "crime_gemeinde_cases": "PKS nach Tatortgemeinde (LKA)",
}


def _ci(e: pd.Series) -> str:
    if not e["evaluable"]:
        return "nicht auswertbar"
    return (
        f"{fmt.number(e['estimate'], 2)} ({fmt.number(e['ci_low'], 2)}–{fmt.number(e['ci_high'], 2)}); "
        f"{fmt.change_from_ratio(e['estimate'])}"
    )


def context(data: ReportData, images: dict[str, str]) -> dict:
    e = data.effects
    head = e[e["headline"]]
    evaluable = head[head["evaluable"]]
    n_units = head["measure_id"].nunique()
    n_eval = evaluable["measure_id"].nunique()
    found = evaluable["finding"].value_counts()
    n_tests = int(evaluable["p_adjusted"].notna().sum())
    naive = e[(e["method"] == NAIVE) & e["evaluable"]]
    naive_lower = naive[naive["ci_high"] < 1]
    summary = [
        f"Das Register umfasst {len(data.bodies)} Gremien und {len(data.measures)} Maßnahmen. Ausgewertet werden "
        f"{n_units} Maßnahmen und Gründungen von Gremien: für {n_eval} ließ sich mindestens eine Zielgröße auswerten, "
        f"für {n_units - n_eval} keine (Gründe im Abschnitt Datenqualität und in den Steckbriefen).",
        f"Von {len(evaluable)} ausgewerteten Zielgrößen zeigen {found.get('effect', 0)} eine Veränderung, die auch "
        f"unter allen {n_tests} Tests des Berichts gesichert bleibt; bei {found.get('chance', 0)} wäre der Unterschied "
        f"auch durch Zufall erklärbar. Allein der Zufall erzeugt unter {n_tests} Tests etwa "
        f"{fmt.number(expected_false_positives(n_tests), 1)} scheinbare Wirkungen. Bei "
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
        [r.measure_id, r.indicator_label or "–", _ci(pd.Series(r._asdict())), r.verdict_de]
        for r in head.sort_values(["measure_id", "indicator"]).itertuples()
    ]
    methods = []
    for r in e[e["evaluable"]].sort_values(["measure_id", "indicator", "method"]).itertuples():
        label = method_label(r.method) + (" (ohne Vergleichsgruppe)" if r.method == NAIVE else "")
        methods.append(
            [
                r.measure_id,
                r.indicator_label,
                label + (" ★" if r.headline else ""),
                _ci(pd.Series(r._asdict())),
                fmt.number(r.p_value, 3) if pd.notna(r.p_value) else "–",
            ]
        )
    quality = [
        [QUALITY_NAMES.get(r.asset, r.asset), r.reason[:140], fmt.number(r.rows)] for r in data.quality.itertuples()
    ]
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
        "calibration": calibration_box(data.calibration),
        "pooled": pooled
        or [
            "Für eine gemeinsame Auswertung gleichartiger Maßnahmen (Meta-Analyse) gibt es noch zu wenige ausgewertete Maßnahmen."
        ],
        "effects": effects,
        "methods": methods,
        "methods_intro": "★ = die Schätzung, die in Steckbriefen und Folien verwendet wird. Der naive Vergleich steht nur "
        "zum Vergleich da: er rechnet allgemeine Trends und die Regression zur Mitte nicht heraus.",
        "quality": quality,
        "breaks": [f"{reason}: {fmt.number(n)} Einheiten" for reason, n in breaks.items()],
        "missing": missing_years(data),
        "caveats": CAVEATS,
        "sources": data.attributions(),
        "images": images,
        "image_alt": alt_texts(data, QUALITY_NAMES),
    }


def calibration_box(calibration: pd.DataFrame) -> str:
    """The calibration in one plain sentence: how often the procedure claims an effect that is not there."""
    row = calibration[(calibration["method"] == "headline") & (calibration["indicator"] == "*")]
    if row.empty:
        return "Die Prüfung mit Scheinmaßnahmen liegt nicht vor."
    r = row.iloc[0]
    n, rate = int(r["n_designs"]), float(r["false_positive_rate"])
    return (
        f"Von {fmt.number(n)} Scheinmaßnahmen in Kreisen ohne Maßnahme – erfundenen Starts zu zufälligen Zeitpunkten, "
        f"ausgewertet wie echte Maßnahmen – hätte das Verfahren {fmt.number(round(rate * n))} "
        f"({fmt.percent(rate, 1)}) fälschlich als wirksam eingestuft; zulässig sind höchstens 7 %. Wirkungen unter "
        f"etwa {fmt.change_from_ratio(r['mde_80']).lstrip('−')} kann das Verfahren auf Kreisebene nicht sicher erkennen."
    )


def missing_years(data: ReportData) -> list[str]:
    out = []
    y = data.data_years
    if "pks" in y:
        out.append(
            f"PKS-Kreistabellen liegen für {y['pks'][0]}–{y['pks'][1]} vor; ältere Jahre nur in anderen "
            "Tabellenformaten (.xls), hier nicht geladen."
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
    out.append("Kriminalität unterhalb der Kreise: nur Magdeburgs Stadtteile 2017–2021 (KISS-MD).")
    return out


#: German column headers of the workbook; the register's come from its schema. The warehouse column
#: name stays available as the header cell's comment, so an analyst can find it in the data dictionary.
HEADERS_DE = {
    "measure_id": "Maßnahmen-ID",
    "body_id": "Gremium-ID",
    "unit_ags": "Gebietsschlüssel",
    "unit_level": "Ebene",
    "unit_name": "Gebiet",
    "indicator": "Kennzahl (Schlüssel)",
    "indicator_label": "Kennzahl",
    "method": "Methode",
    "estimate": "Ratenverhältnis",
    "ci_low": "95 %-KI unten",
    "ci_high": "95 %-KI oben",
    "p_value": "p-Wert",
    "n_before": "Fälle vorher",
    "n_after": "Fälle nachher",
    "period_before": "Zeitraum vorher",
    "period_after": "Zeitraum nachher",
    "comparison": "Vergleichsgruppe",
    "evaluable": "auswertbar",
    "headline": "Hauptergebnis",
    "verdict_de": "Bewertung",
    "context_de": "Einordnung in die Forschung",
    "p_adjusted": "p-Wert (korrigiert, Benjamini-Hochberg)",
    "p_holm": "p-Wert (korrigiert, Holm)",
    "mde_80": "kleinste erkennbare Wirkung (80 % Power)",
    "finding": "Befund",
    "year": "Jahr",
    "count": "Anzahl",
    "population": "Einwohner",
    "rate_per_100k": "je 100.000 Einwohner",
    "rate_ci_low": "je 100.000: 95 %-KI unten",
    "rate_ci_high": "je 100.000: 95 %-KI oben",
    "hz_published": "Häufigkeitszahl (veröffentlicht)",
    "break_flag": "Bruch in der Reihe",
    "break_reason": "Grund des Bruchs",
    "small_count": "Kleinzahl (1–2)",
    "founded_precision": "Gegründet: Genauigkeit",
    "ended_precision": "Aufgelöst: Genauigkeit",
    "relaunched_precision": "Neustart: Genauigkeit",
    "start_precision": "Beginn: Genauigkeit",
    "end_precision": "Ende: Genauigkeit",
    "target_pks_keys": "Ziel: PKS-Schlüssel",
    "target_accident_groups": "Ziel: Unfallgruppen",
    "area_wkt": "Gebiet (WKT)",
    "area_ortsteile": "Ortsteile",
    "not_evaluable_reason": "Grund: nicht auswertbar",
    "source_file": "Quelldatei",
    "source_row": "Zeile in der Quelldatei",
    "asset": "Quelle",
    "reason": "Grund",
    "rows": "Zeilen",
    **{f.name: f.header for fields in TABLES.values() for f in fields},
}


def suppress_small_counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Counts of 1–2 that we aggregate ourselves (Unfallatlas points per Gemeinde) become "<3", and their
    rate and interval are left empty (with the population they would give the count away); counts the
    source publishes itself stay, flagged in ``small_count``. The rule is :func:`fmt.publish_count`."""
    out = panel.astype({"count": object, "rate_per_100k": object, "rate_ci_low": object, "rate_ci_high": object})
    own = out["indicator"].str.startswith("acc:points_") & (out["unit_level"] == "Gemeinde")
    hide = own & out["count"].map(fmt.is_suppressed)
    out.loc[hide, "count"] = out.loc[hide, "count"].map(fmt.publish_count)
    out.loc[hide, ["rate_per_100k", "rate_ci_low", "rate_ci_high"]] = None
    return out


def suppress_small_effect_counts(effects: pd.DataFrame) -> pd.DataFrame:
    """The case counts before and after a measure in a Gemeinde are sums we form ourselves over the
    before and after periods, so 1–2 become "<3" there (:func:`fmt.publish_count`); Kreis and Land sums
    stay exact."""
    out = effects.astype({"n_before": object, "n_after": object})
    gemeinde = out["unit_ags"].astype(str).str.len() == 8
    for col in ("n_before", "n_after"):
        hide = gemeinde & out[col].map(fmt.is_suppressed)
        out.loc[hide, col] = out.loc[hide, col].map(fmt.publish_count)
    return out


def _midnight(day):
    import datetime as dt

    return dt.datetime(day.year, day.month, day.day)


def write_workbook(data: ReportData, path: Path) -> Path:
    """One sheet per table with German bold headers, frozen panes, filters, widths and number formats."""
    import xlsxwriter

    e = suppress_small_effect_counts(data.effects.drop(columns=["diagnostics"]))
    panel = data.panel[
        data.panel["unit_level"].isin(["Kreis", "Land", "Gemeinde"])
        & data.panel["indicator"].isin(
            [
                "pks:------",
                "pks:899000",
                "pks:435*00",
                "pks:892000",
                "acc:unfaelle_personenschaden",
                "acc:verunglueckte",
                "acc:points_all",
            ]
        )
    ]
    panel = panel[
        [
            "unit_ags",
            "unit_level",
            "unit_name",
            "year",
            "indicator",
            "indicator_label",
            "count",
            "population",
            "rate_per_100k",
            "rate_ci_low",
            "rate_ci_high",
            "hz_published",
            "break_flag",
            "break_reason",
            "small_count",
        ]
    ]
    panel = suppress_small_counts(panel)
    bodies = data.bodies.assign(partners=data.bodies["partners"].map(lambda p: ", ".join(p) if p is not None else ""))
    measures = data.measures.assign(
        target_pks_keys=data.measures["target_pks_keys"].map(lambda p: ", ".join(p) if p is not None else ""),
        target_accident_groups=data.measures["target_accident_groups"].map(
            lambda p: ", ".join(p) if p is not None else ""
        ),
        area_ortsteile=data.measures["area_ortsteile"].map(lambda p: ", ".join(p) if p is not None else ""),
    )
    # the register's file by name only: where it lies on the ministry's drive is no reader's business
    bodies, measures = (
        f.assign(source_file=f["source_file"].map(_file_name)) if "source_file" in f else f for f in (bodies, measures)
    )
    quality = data.quality
    sheets = {
        "Wirkungen": e,
        "Kennzahlen": panel,
        "Gremien": bodies,
        "Maßnahmen": measures,
        "Datenqualität": quality,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True, "remove_timezone": True})
        # the data date, not the clock: re-runs give identical files
        wb.set_properties({"title": "Präventionsmonitor: Tabellen", "created": _midnight(data.data_date)})
        head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "valign": "top"})
        number = wb.add_format({"num_format": "#,##0"})
        decimal = wb.add_format({"num_format": "#,##0.00"})
        date = wb.add_format({"num_format": "dd.mm.yyyy"})
        for name, frame in sheets.items():
            ws = wb.add_worksheet(name)
            frame = frame.reset_index(drop=True)
            for j, col in enumerate(frame.columns):
                ws.write(0, j, HEADERS_DE.get(col, col), head)
                ws.write_comment(0, j, f"Spalte im Warehouse: {col}")
                values = frame[col]
                kind = "text"
                if pd.api.types.is_bool_dtype(values):
                    kind = "bool"
                elif pd.api.types.is_integer_dtype(values) or col in (
                    "count",
                    "population",
                    "rows",
                    "year",
                    "source_row",
                ):
                    kind = "int"
                elif pd.api.types.is_float_dtype(values):
                    kind = "float"
                elif col in ("founded", "ended", "relaunched", "start", "end"):
                    kind = "date"
                width = 12
                for i, v in enumerate(values, start=1):
                    if v is None or (not isinstance(v, list | tuple) and pd.isna(v) is True):
                        continue
                    if isinstance(v, str) and kind != "text":  # "<3": a suppressed small count
                        ws.write_string(i, j, v)
                    elif kind == "int":
                        ws.write_number(i, j, float(v), number)
                    elif kind == "float":
                        ws.write_number(i, j, float(v), decimal)
                    elif kind == "bool":
                        ws.write_boolean(i, j, bool(v))
                    elif kind == "date" and hasattr(v, "year"):
                        ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), date)
                    else:
                        text = str(v)
                        ws.write_string(i, j, text)
                        width = max(width, min(60, len(text) + 2))
                ws.set_column(j, j, width if kind == "text" else 14)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(1, len(frame)), max(0, len(frame.columns) - 1))
        wb.close()
    return path


def _file_name(path: object) -> object:
    return PurePath(str(path)).name if isinstance(path, str) and path else path


def render_ministry_report(data: ReportData, out_dir: Path, images: dict[str, Path]) -> list[Path]:
    """``bericht.html``, ``bericht.pdf`` and ``tabellen.xlsx`` in ``out_dir``; ``images`` are PNG files."""
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
    return [html, pdf, xlsx]
