"""The published tables: the ministry's workbook ``tabellen.xlsx`` and the open data release beside it.

Both come from :func:`release_tables`, one frame per table with German column labels and German values
(codes become labels: methods, findings, body types, partners, precisions; ``True`` becomes ``ja``). Numbers
stay numbers: the workbook stores them as numbers with number formats (years without a thousands separator,
rates with one decimal, p-values rounded to three significant digits), the CSV files write them with a
decimal point for analysts. Free text from the register (``notes``, the target as typed) is never published.
Small numbers follow the fact sheets' rule (:func:`praevention.render.fmt.publish_count`): a Gemeinde's count
of 1–2 is published as ``<3`` with its rate left empty.

The open data release (:func:`write_open_data`, folder ``offene-daten``) holds each table as UTF-8 CSV, the
Kreise and Gemeinden with their latest rates as a GeoPackage whose ``layer_styles`` table carries a QGIS
style (and the same style as ``.qml`` files beside it), a data dictionary (``datenbeschreibung.csv``) and
the licence (``LIZENZ.txt``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

import pandas as pd

from praevention.files import atomic_target, write_atomic
from praevention.privacy import neutralise_formula
from praevention.register.schema import ACCIDENT_GROUPS, MECHANISMS, TABLES
from praevention.render import fmt
from praevention.render.data import SOURCE_NAMES, ReportData
from praevention.render.verdict import finding_text
from praevention.stats.methods import label as method_label

#: German column labels; the register's come from its schema
HEADERS_DE = {
    "event": "Maßnahme oder Gremium",
    "measure_id": "Maßnahmen-ID",
    "body_id": "Gremium-ID",
    "unit_ags": "Gebietsschlüssel",
    "unit_level": "Ebene",
    "unit_name": "Gebiet",
    "indicator": "Kennzahl (Schlüssel)",
    "indicator_label": "Kennzahl",
    "method": "Verfahren",
    "estimate": "Ratenverhältnis",
    "ci_low": "95-%-Intervall unten",
    "ci_high": "95-%-Intervall oben",
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
    "mde_80": "kleinste erkennbare Wirkung (Ratenverhältnis, 80 % Power)",
    "finding": "Befund",
    "area_ags": "Gebiet der Maßnahme (Schlüssel)",
    "area_level": "Ebene des Gebiets der Maßnahme",
    "area_share_cases": "Anteil an den Fällen des gemessenen Gebiets",
    "area_share_population": "Anteil an den Einwohnern des gemessenen Gebiets",
    "area_share_territory": "Anteil an der Fläche des gemessenen Gebiets",
    "mde_80_area": "kleinste erkennbare Wirkung am Ort der Maßnahme (Ratenverhältnis)",
    "population_handling": "Einwohnerzahlen über den Zensus-2022-Bruch",
    "measure_type": "Art der Maßnahme (Schlüssel)",
    "measure_type_label": "Art der Maßnahme",
    "n_measures": "Maßnahmen",
    "n_designs": "Auswertungen",
    "pi_low": "Vorhersageintervall unten",
    "pi_high": "Vorhersageintervall oben",
    "i2": "Heterogenität I²",
    "tau2": "Streuung zwischen Maßnahmen τ²",
    "literature_estimate": "Forschung: Ratenverhältnis am Ort",
    "literature_source": "Forschung: Quelle",
    "literature_at_level": "Forschung: Ratenverhältnis auf der gemessenen Ebene",
    "mechanism": "Wirkmechanismus",
    "outcome": "Zielgröße (Schlüssel)",
    "outcome_label": "Zielgröße",
    "scope": "Geltungsbereich",
    "mean_share": "mittlerer Anteil des Gebiets der Maßnahme",
    "rules_version": "Version der Auswertungsregeln",
    "designs_for_15": "Auswertungen nötig für 15 %",
    "year": "Jahr",
    "month": "Monat",
    "count": "Anzahl",
    "population": "Einwohner",
    "rate_per_100k": "je 100.000 Einwohner",
    "rate_ci_low": "je 100.000 Einwohner: 95-%-Intervall unten",
    "rate_ci_high": "je 100.000 Einwohner: 95-%-Intervall oben",
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
    "target_accident_groups": "Ziel: Unfallarten",
    "area_wkt": "Gebiet (WKT, EPSG:25832)",
    "area_ortsteile": "Ortsteile",
    "not_evaluable_reason": "Grund: nicht auswertbar",
    "source_file": "Quelldatei",
    "source_row": "Zeile in der Quelldatei",
    "asset": "Quelle",
    "reason": "Grund",
    "rows": "Zeilen",
    **{f.name: f.header for fields in TABLES.values() for f in fields},
}
#: what each column means, for the data dictionary (columns not listed are described by their label)
MEANINGS = {
    "Gebietsschlüssel": "Amtlicher Gemeindeschlüssel (AGS): 2 Stellen Land, 5 Kreis, 8 Gemeinde",
    "Ebene": "Land, Kreis, Gemeinde oder Stadtteil",
    "Jahr": "Berichtsjahr",
    "Monat": "Berichtsmonat (1–12) bei Monatswerten; leer bei Jahreswerten",
    "Anzahl": "Fälle im Jahr oder Monat; '<3' = ein oder zwei Fälle in einer Gemeinde (nicht genau ausgewiesen)",
    "je 100.000 Einwohner": "Anzahl je 100.000 Einwohner; leer, wenn die Anzahl nicht ausgewiesen wird",
    "Ratenverhältnis": "Fälle nach dem Start geteilt durch die ohne Maßnahme erwarteten Fälle (unter 1 = weniger)",
    "p-Wert": "auf drei signifikante Stellen gerundet",
    "Befund": "Ergebnis in Worten, nach der Korrektur für die vielen Tests des Berichts",
    "Maßnahme oder Gremium": "Titel der Maßnahme oder 'Einrichtung: <Gremium>' für die Gründung eines Gremiums",
}
LICENCE = (
    "Diese Tabellen stehen unter der Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0, "
    "https://www.govdata.de/dl-de/by-2-0). Namensnennung: Präventionsmonitor Sachsen-Anhalt, mit den unten "
    "genannten Quellen."
)
PRECISIONS = {"day": "Tag", "month": "Monat", "year": "Jahr"}
PANEL_INDICATORS = [
    "pks:------",
    "pks:899000",
    "pks:435*00",
    "pks:892000",
    "acc:unfaelle_personenschaden",
    "acc:verunglueckte",
    "acc:points_all",
]
INTEGER = {"year", "count", "population", "rows", "source_row", "n_before", "n_after", "month"}
ONE_DECIMAL = {"rate_per_100k", "rate_ci_low", "rate_ci_high", "hz_published", "area_radius_m"}
TWO_DECIMALS = {
    "estimate",
    "ci_low",
    "ci_high",
    "mde_80",
    "budget_eur",
    "pi_low",
    "pi_high",
    "i2",
    "mde_80_area",
    "area_share_cases",
    "area_share_population",
    "area_share_territory",
    "literature_estimate",
    "literature_at_level",
    "mean_share",
}
P_VALUES = {"p_value", "p_adjusted", "p_holm"}
DATES = {"founded", "ended", "relaunched", "start", "end", "source_date"}
NOT_PUBLISHED = {"notes", "target", "diagnostics"}  # free text from the register; internal diagnostics


def _labels(values: object, labels: Mapping[str, str]) -> object:
    if values is None or isinstance(values, float):
        return values
    if isinstance(values, str):
        return labels.get(values, values)
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _register_labels(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Codes of the register's choice fields as their German labels; lists joined by commas."""
    out = frame.copy()
    for f in TABLES[kind]:
        if f.name in out and f.choices:
            out[f.name] = out[f.name].map(lambda v, c=f.choices: _labels(v, c))
    for col in out.columns:
        if col.endswith("_precision"):
            out[col] = out[col].map(lambda v: _labels(v, PRECISIONS))
    for col in ("target_pks_keys", "area_ortsteile"):
        if col in out:
            out[col] = out[col].map(lambda v: _labels(v, {}))
    if "target_accident_groups" in out:
        out["target_accident_groups"] = out["target_accident_groups"].map(lambda v: _labels(v, ACCIDENT_GROUPS))
    if "source_file" in out:  # the register's file by name only: where it lies is no reader's business
        out["source_file"] = out["source_file"].map(lambda p: PurePath(str(p)).name if isinstance(p, str) and p else p)
    return out


def suppress_small_counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Every Gemeinde count of 1–2 becomes "<3" with its rate and interval left empty (with the population
    they would give the count away), as on the fact sheets; Kreis and Land counts stay exact. The rule is
    :func:`fmt.publish_count`."""
    out = panel.astype({"count": object, "rate_per_100k": object, "rate_ci_low": object, "rate_ci_high": object})
    hide = (out["unit_level"] == "Gemeinde") & out["count"].map(fmt.is_suppressed)
    out.loc[hide, "count"] = out.loc[hide, "count"].map(fmt.publish_count)
    out.loc[hide, ["rate_per_100k", "rate_ci_low", "rate_ci_high", "hz_published"]] = None
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


#: the quarantine's reasons (English, for analysts) in German, by pattern; anything else is summarised, never
#: printed: a rejected register row's reason could quote what the register keeper typed
QUALITY_REASONS = [
    (r"same unit as line", "Gebiet doppelt aufgeführt, zweite Zeile ohne Zahlen"),
    (r"duplicate of line", "Zeile doppelt für dasselbe Gebiet und Jahr"),
    (r"water-only part", "reine Wasserfläche, keine Gemeindefläche"),
    (r"implausible year", "unplausibles Jahr"),
    (r"line has \d+ fields", "Zeile mit falscher Spaltenzahl"),
    (r"unknown Land name", "unbekanntes Land"),
    (r"unknown category", "unbekannte Kategorie"),
]


def quality_reason(asset: str, reason: str) -> str:
    """The German category of one quarantine reason."""
    for pattern, label in QUALITY_REASONS:
        if re.search(pattern, str(reason)):
            return label
    if asset == "register":
        return "Registerzeile mit Fehlern (Einzelheiten in der Prüfdatei des Registers)"
    return "sonstiger Lesefehler (Einzelheiten in der Tabelle quarantine des Warehouse)"


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows per source and German reason (Quelle, Grund, Zeilen)."""
    q = pd.DataFrame(
        {
            "Quelle": [SOURCE_NAMES.get(a, a) for a in quality["asset"]],
            "Grund": [quality_reason(a, r) for a, r in zip(quality["asset"], quality["reason"], strict=True)],
            "Zeilen": quality["rows"].astype(int),
        }
    )
    return q.groupby(["Quelle", "Grund"], as_index=False)["Zeilen"].sum()


def _p3(v: object) -> object:
    """A p-value rounded to three significant digits (the number stays a number)."""
    if v is None or not isinstance(v, int | float) or not math.isfinite(v) or v == 0:
        return v
    return float(f"{v:.3g}")


def release_tables(data: ReportData) -> dict[str, pd.DataFrame]:
    """The published tables, by sheet name, with warehouse column names (labels: :data:`HEADERS_DE`)."""
    e = suppress_small_effect_counts(data.effects.drop(columns=["diagnostics"], errors="ignore"))
    e.insert(0, "event", [data.event_name(m) for m in e["measure_id"]])
    e["unit_name"] = [data.unit_name(u) for u in e["unit_ags"]]
    body, _, kind = zip(*(str(m).partition(":") for m in e["measure_id"]), strict=True) if len(e) else ((), (), ())
    e["body_id"] = [b if k else None for b, k in zip(body, kind, strict=True)]
    e["measure_id"] = [None if k else m for m, k in zip(e["measure_id"], kind, strict=True)]
    e["method"] = e["method"].map(method_label)
    e["finding"] = [finding_text(r) if isinstance(r["finding"], str) else r["finding"] for r in e.to_dict("records")]
    for col in P_VALUES & set(e.columns):
        e[col] = e[col].map(_p3)
    panel = data.panel[
        data.panel["unit_level"].isin(["Kreis", "Land", "Gemeinde"]) & data.panel["indicator"].isin(PANEL_INDICATORS)
    ]
    panel = panel[
        [
            "unit_ags",
            "unit_level",
            "unit_name",
            "year",
            "month",
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
        ]
    ].sort_values(["unit_level", "unit_ags", "indicator", "year", "month"], na_position="first")
    bodies = _register_labels(data.bodies.drop(columns=list(NOT_PUBLISHED), errors="ignore"), "bodies")
    measures = _register_labels(data.measures.drop(columns=list(NOT_PUBLISHED), errors="ignore"), "measures")
    types = data.types.drop(columns=["forest", "measure_type", "outcome"], errors="ignore")
    types["mechanism"] = types["mechanism"].map(lambda v: _labels(v, MECHANISMS))
    return {
        "Wirkungen": e,
        "Was wirkt": types,
        "Kennzahlen": suppress_small_counts(panel),
        "Gremien": bodies,
        "Maßnahmen": measures,
        "Datenqualität": quality_table(data.quality).rename(
            columns={"Quelle": "asset", "Grund": "reason", "Zeilen": "rows"}
        ),
    }


def _cell(v: object) -> object:
    """A value as published: ``None`` for missing, ``ja``/``nein`` for booleans, numbers as numbers."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "ja" if v else "nein"
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return _cell(v.item())
    return v


def sources_rows(data: ReportData) -> list[list[str]]:
    """The licence of the tables, every source with its licence, and the data date."""
    return [
        ["Lizenz", LICENCE],
        *[["Quelle", line] for line in data.attributions()],
        ["Datenstand", data.data_as_of()],
        ["Kleine Zahlen", "Anzahlen von 1 bis 2 je Gemeinde werden als '<3' ausgewiesen, ihre Raten nicht."],
    ]


def write_workbook(data: ReportData, path: Path) -> Path:
    """One sheet per table with German bold headers, frozen panes, filters, widths and number formats, and
    a sheet with the licence and the sources."""
    import xlsxwriter

    sheets = release_tables(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True, "remove_timezone": True})
        stamp = pd.Timestamp(data.data_date).to_pydatetime()
        wb.set_properties({"title": "Präventionsmonitor: Tabellen", "author": "Präventionsmonitor", "created": stamp})
        head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "valign": "top"})
        formats = {
            "int": wb.add_format({"num_format": "#,##0"}),
            "year": wb.add_format({"num_format": "0"}),
            "one": wb.add_format({"num_format": "#,##0.0"}),
            "two": wb.add_format({"num_format": "#,##0.00"}),
            "p": wb.add_format({"num_format": "General"}),
            "date": wb.add_format({"num_format": "dd.mm.yyyy"}),
            "float": wb.add_format({"num_format": "#,##0.00"}),
        }
        for name, frame in sheets.items():
            _write_sheet(wb.add_worksheet(name), frame.reset_index(drop=True), head, formats)
        ws = wb.add_worksheet("Lizenz und Quellen")
        ws.write_row(0, 0, ["Art", "Angabe"], head)
        for i, row in enumerate(sources_rows(data), start=1):
            ws.write_row(i, 0, [neutralise_formula(v) for v in row])
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 120)
        wb.close()
    return path


def _format_of(col: str) -> str:
    if col in ("year", "month", "source_row"):
        return "year"
    if col in INTEGER:
        return "int"
    if col in ONE_DECIMAL:
        return "one"
    if col in TWO_DECIMALS:
        return "two"
    if col in P_VALUES:
        return "p"
    return "float"


def _write_sheet(ws, frame: pd.DataFrame, head, formats: dict) -> None:
    for j, col in enumerate(frame.columns):
        ws.write(0, j, HEADERS_DE.get(col, col), head)
        width = max(10, min(40, len(HEADERS_DE.get(col, col)) + 2))
        fmt_name = _format_of(col)
        for i, raw in enumerate(frame[col], start=1):
            v = raw if isinstance(raw, list | tuple) else _cell(raw)
            if v is None:
                continue
            if col in DATES and hasattr(v, "year"):
                ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), formats["date"])
            elif isinstance(v, int | float):
                ws.write_number(i, j, float(v), formats[fmt_name])
            else:
                text = neutralise_formula(str(v))
                ws.write_string(i, j, text)
                width = max(width, min(60, len(text) + 2))
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(frame)), max(0, len(frame.columns) - 1))


# ---------------------------------------------------------------------- open data release
OPEN_DATA = "offene-daten"
#: file name of each table in the release
CSV_NAMES = {
    "Wirkungen": "wirkungen.csv",
    "Was wirkt": "was_wirkt.csv",
    "Kennzahlen": "kennzahlen.csv",
    "Gremien": "gremien.csv",
    "Maßnahmen": "massnahmen.csv",
    "Datenqualität": "datenqualitaet.csv",
}
#: the map layers: layer → (level, indicator, field, German label of the field)
LAYERS = {
    "kreise": ("Kreis", "pks:------", "straftaten_je_100000", "Straftaten je 100.000 Einwohner"),
    "gemeinden": (
        "Gemeinde",
        "acc:unfaelle_personenschaden",
        "unfaelle_je_100000",
        "Unfälle mit Personenschaden je 100.000 Einwohner",
    ),
}
COLOURS = ["255,255,204", "161,218,180", "65,182,196", "44,127,184", "37,52,148"]


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.rename(columns=HEADERS_DE)
    for col in out.columns:
        out[col] = out[col].map(lambda v: v if isinstance(v, list | tuple) else _cell(v))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """A published CSV file's text: UTF-8 lines, every text cell neutralised against formula injection."""
    return frame.map(neutralise_formula).to_csv(index=False, lineterminator="\n")


def _latest(data: ReportData, level: str, indicator: str) -> pd.DataFrame:
    p = data.panel[
        (data.panel["unit_level"] == level) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    p = p.sort_values("year").drop_duplicates("unit_ags", keep="last")
    p = suppress_small_counts(p) if level == "Gemeinde" else p
    return p.set_index("unit_ags")[["year", "count", "rate_per_100k"]]


def map_layers(data: ReportData) -> dict[str, pd.DataFrame]:
    """Kreise and Gemeinden with their latest rate (EPSG:25832); small Gemeinde counts as on the sheets."""
    import geopandas as gpd

    out = {}
    for layer, (level, indicator, field, _) in LAYERS.items():
        shapes = data.kreise if level == "Kreis" else data.gemeinden
        latest = _latest(data, level, indicator).reindex(shapes["ags"].astype(str))
        counts = latest["count"].to_numpy()
        out[layer] = gpd.GeoDataFrame(
            {
                "ags": shapes["ags"].astype(str).to_numpy(),
                "name": shapes["name"].astype(str).to_numpy(),
                "einwohner": pd.to_numeric(shapes["population"], errors="coerce").to_numpy(),
                "jahr": pd.to_numeric(latest["year"], errors="coerce").to_numpy(),
                "anzahl": [None if isinstance(c, str) else c for c in counts],
                "anzahl_text": [fmt.publish_count(c) if isinstance(c, int | float) else c for c in counts],
                field: pd.to_numeric(latest["rate_per_100k"], errors="coerce").to_numpy(),
            },
            geometry=shapes.geometry.to_numpy(),
            crs=shapes.crs,
        )
    return out


def qgis_style(field: str, label: str, values: pd.Series) -> str:
    """A QGIS style (QML) colouring ``field`` in five quantile classes, labelled with the unit names."""
    finite = values.dropna().astype(float)
    edges = sorted(set(finite.quantile([0, 0.2, 0.4, 0.6, 0.8, 1]).round(1))) if len(finite) else [0.0, 1.0]
    ranges, symbols = [], []
    for i, (lo, hi) in enumerate(itertools.pairwise(edges)):
        ranges.append(
            f'<range lower="{lo}" upper="{hi}" symbol="{i}" label="{fmt.number(lo, 1)} – {fmt.number(hi, 1)}" render="true"/>'
        )
        symbols.append(
            f'<symbol type="fill" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" '
            'enabled="1" pass="0" locked="0"><Option type="Map">'
            f'<Option name="color" type="QString" value="{COLOURS[min(i, len(COLOURS) - 1)]},255"/>'
            '<Option name="outline_color" type="QString" value="110,110,110,255"/>'
            '<Option name="outline_width" type="QString" value="0.2"/>'
            '<Option name="style" type="QString" value="solid"/></Option></layer></symbol>'
        )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28" styleCategories="Symbology|Labeling|Fields">\n'
        f' <renderer-v2 type="graduatedSymbol" attr="{field}" graduatedMethod="GraduatedColor" symbollevels="0" '
        'enableorderby="0" forceraster="0">\n'
        f"  <ranges>{''.join(ranges)}</ranges>\n  <symbols>{''.join(symbols)}</symbols>\n </renderer-v2>\n"
        f' <aliases><alias field="{field}" index="0" name="{label}"/></aliases>\n'
        ' <labeling type="simple"><settings calloutType="simple"><text-style fieldName="name" fontSize="8" '
        'textColor="0,0,0,255"/><text-buffer bufferDraw="1" bufferSize="0.8" bufferColor="255,255,255,255"/>'
        "</settings></labeling>\n</qgis>\n"
    )


def _store_styles(gpkg: Path, styles: dict[str, str], stamp: str) -> None:
    """Write ``styles`` (layer → QML) into the GeoPackage's ``layer_styles`` table, where QGIS finds them."""
    import sqlite3

    con = sqlite3.connect(gpkg)
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
            "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
            "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME)"
        )
        geometry = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
        for layer, qml in styles.items():
            con.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                "VALUES ('', '', ?, ?, ?, ?, '', 1, 'Präventionsmonitor', '', '', ?)",
                [layer, geometry.get(layer, "geom"), layer, qml, stamp],
            )
        con.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS-Stile', ?)",
            [stamp],
        )
        con.commit()
    finally:
        con.close()


def dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The data dictionary: every published column of every file with its meaning."""
    rows = []
    for sheet, frame in tables.items():
        for col in frame.columns:
            label = HEADERS_DE.get(col, col)
            rows.append(
                {
                    "Datei": CSV_NAMES[sheet],
                    "Spalte": label,
                    "Bedeutung": MEANINGS.get(label, label),
                    "Spalte im Warehouse": col,
                }
            )
    for layer, (level, _, field, label) in LAYERS.items():
        for col, meaning in (
            ("ags", "Amtlicher Gemeindeschlüssel"),
            ("name", f"Name der {level}s" if level == "Kreis" else "Name der Gemeinde"),
            ("einwohner", "Einwohner (letzter Stichtag)"),
            ("jahr", "Jahr der Anzahl und Rate"),
            ("anzahl", "Fälle; leer bei 1–2 Fällen in einer Gemeinde (siehe anzahl_text)"),
            ("anzahl_text", "Fälle als Text, '<3' für ein oder zwei Fälle"),
            (field, label),
        ):
            rows.append(
                {
                    "Datei": f"praeventionsmonitor.gpkg, Ebene {layer}",
                    "Spalte": col,
                    "Bedeutung": meaning,
                    "Spalte im Warehouse": "",
                }
            )
    return pd.DataFrame(rows)


def write_open_data(data: ReportData, folder: Path) -> list[Path]:
    """The open data release in ``folder``: CSV files, the GeoPackage with QGIS styles, the data
    dictionary and the licence."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    tables = release_tables(data)
    files = []
    for sheet, frame in tables.items():
        path = folder / CSV_NAMES[sheet]
        write_atomic(path, csv_text(_csv_frame(frame)))
        files.append(path)
    path = folder / "datenbeschreibung.csv"
    write_atomic(path, csv_text(dictionary(tables)))
    files.append(path)
    licence = "\n".join(row[1] for row in sources_rows(data)) + "\n"
    write_atomic(folder / "LIZENZ.txt", licence)
    files.append(folder / "LIZENZ.txt")
    layers = map_layers(data)
    styles = {
        layer: qgis_style(LAYERS[layer][2], LAYERS[layer][3], frame[LAYERS[layer][2]])
        for layer, frame in layers.items()
    }
    gpkg = folder / "praeventionsmonitor.gpkg"
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        staged = Path(tmp) / gpkg.name
        for layer, frame in layers.items():
            frame.to_file(staged, layer=layer, driver="GPKG")
        _store_styles(staged, styles, pd.Timestamp(data.data_date).isoformat())
        staged.replace(gpkg)
    files.append(gpkg)
    for layer, qml in styles.items():
        write_atomic(folder / f"{layer}.qml", qml)
        files.append(folder / f"{layer}.qml")
    return files
