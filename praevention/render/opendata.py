"""The open data release (``ministerium/offene-daten``), for analysts and GIS users.

* Every table of :func:`~praevention.render.workbook.release_tables` as CSV with short machine column names
  (:mod:`praevention.render.columns`): long time series (one row per area, year and indicator), annual and
  monthly figures in separate files, whole numbers as integers, empty cells for missing values. The files
  open in German Excel by double-click: UTF-8 with BOM, ``;`` between fields, decimal comma
  (:data:`DIALECT`; pandas: ``read_csv(path, sep=";", decimal=",")``).
* ``datapackage.json``: a Frictionless Tabular Data Package (https://specs.frictionlessdata.io/) with each
  column's machine name, German title, type and description, the licence and the sources;
  ``datenbeschreibung.csv`` says the same as a table, ``kennzahlen_codes.csv`` explains the indicator codes.
* ``praeventionsmonitor.gpkg``: the Kreise (crime rate) and Gemeinden (casualty rate) with population and
  rate of one and the same year, the accident points of the Unfallatlas, the measures of the register and,
  where the warehouse holds them, the screened road sites; each layer with a QGIS style (``layer_styles``
  and as ``.qml``) whose classes and colours are those of the published maps.
* ``LIZENZ.txt``: licence, sources, data date and the disclosure rule.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from praevention.files import write_atomic
from praevention.privacy import neutralise_formula
from praevention.render import columns, disclosure, figures, fmt
from praevention.render.data import ReportData
from praevention.render.karten import latest_year
from praevention.render.verdict import finding_label
from praevention.render.workbook import monthly_period, published, release_tables, sources_rows

OPEN_DATA = "offene-daten"
#: file name and description of each table of the release
CSV_FILES = {
    "Kennzahlen": (
        "kennzahlen.csv",
        "Jahreswerte je Land, Kreis und Gemeinde: Anzahl, Einwohner, Rate je 100.000 "
        "Einwohner mit 95-%-Intervall, als lange Zeitreihe (eine Zeile je Gebiet, Jahr und Kennzahl).",
    ),
    "Monatswerte": (
        "kennzahlen_monate.csv",
        "Vorläufige Monatswerte der Unfallstatistik für das Land, getrennt von "
        "den Jahreswerten; sie reichen über den Datenstand der Jahreswerte hinaus (Zeitraum: siehe "
        "LIZENZ.txt).",
    ),
    "Wirkungen": (
        "wirkungen.csv",
        "Jede Auswertung einer Maßnahme oder Gremiumsgründung: Verfahren, "
        "Ratenverhältnis mit 95-%-Intervall, p-Werte, Befund und Bewertung in einem Satz.",
    ),
    "Was wirkt": (
        "was_wirkt.csv",
        "Gleichartige Maßnahmen gemeinsam ausgewertet (Random-Effects-Metaanalyse nach den vorab festgelegten "
        "Regeln): Wirkung mit 95-%- und Vorhersageintervall, Einordnung in die Forschung.",
    ),
    "Gremien": ("gremien.csv", "Die Präventionsgremien des Registers (ohne Freitext)."),
    "Maßnahmen": ("massnahmen.csv", "Die Maßnahmen des Registers (ohne Freitext)."),
    "Datenqualität": (
        "datenqualitaet.csv",
        "Zeilen der Quelldateien, die nicht übernommen wurden, je Quelle und Grund.",
    ),
    "Kennzahl-Codes": ("kennzahlen_codes.csv", "Codeliste: was jeder Kennzahl-Schlüssel bedeutet, Ebenen und Jahre."),
}
#: how the CSV files are written (and described in datapackage.json)
DIALECT = {"delimiter": ";", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
DECIMAL = ","
#: decimals of the CSV files' numbers (the rest keep four)
DECIMALS = {
    "rate_per_100k": 2,
    "rate_ci_low": 2,
    "rate_ci_high": 2,
    "hz_published": 1,
    "area_radius_m": 1,
    "budget_eur": 2,
}
GPKG = "praeventionsmonitor.gpkg"
#: the GeoPackage's choropleth layers: layer → (level, [(indicator, value field)]): the first indicator with a
#: published map
LAYERS = {
    "kreise": ("Kreis", [("pks:------", "straftaten_je_100000")]),
    "gemeinden": (
        "Gemeinde",
        [("acc:verunglueckte", "verunglueckte_je_100000"), ("acc:unfaelle_personenschaden", "unfaelle_je_100000")],
    ),
}
#: fields of the GeoPackage layers beyond the tables' (name → title, type, description)
LAYER_FIELDS = {
    "ags": ("Gebietsschlüssel", "string", "Amtlicher Gemeindeschlüssel (5 Stellen Kreis, 8 Gemeinde), als Text."),
    "name": ("Name", "string", "Name des Gebiets (VG250)."),
    "jahr": ("Jahr", "integer", "Jahr von Anzahl, Einwohnern und Rate – alle drei aus demselben Jahr."),
    "einwohner": ("Einwohner", "integer", "Bevölkerung am 31.12. des Vorjahres, auf der die Rate beruht."),
    "anzahl": ("Anzahl", "integer", "Fälle bzw. Verunglückte im Jahr; leer, wo nicht ausgewiesen (anzahl_hinweis)."),
    "straftaten_je_100000": (
        "Straftaten je 100.000 Einwohner",
        "number",
        "Straftaten je 100.000 Einwohner (Häufigkeitszahl) im Jahr 'jahr'; die Kreiskarte klassiert dieses Feld.",
    ),
    "verunglueckte_je_100000": (
        "Verunglückte je 100.000 Einwohner",
        "number",
        "Verunglückte je 100.000 Einwohner im Jahr 'jahr'; leer, wo die Anzahl nicht ausgewiesen wird.",
    ),
    "unfaelle_je_100000": (
        "Unfälle mit Personenschaden je 100.000 Einwohner",
        "number",
        "Unfälle mit Personenschaden je 100.000 Einwohner im Jahr 'jahr'; leer, wo die Anzahl nicht ausgewiesen wird.",
    ),
    "anzahl_hinweis": (
        "Hinweis zur Anzahl",
        "string",
        "'<3' oder 'ausgeblendet': nach der Kleinzahlregel nicht ausgewiesen.",
    ),
    "stabilisiert_je_100000": (
        "stabilisierte Rate je 100.000 Einwohner",
        "number",
        "Die Rate, die die Gemeindekarte färbt: für kleine Gemeinden zum Landesmittel hin stabilisiert "
        "(Empirische-Bayes-Schätzung nach Marshall 1991). Der QGIS-Stil klassiert dieses Feld.",
    ),
    "klasse": (
        "Klasse",
        "string",
        "Klasse der veröffentlichten Karte (sehr niedrig … sehr hoch) mit ihrem Wertebereich.",
    ),
    "unfall_id": ("Unfall-ID", "string", "Kennung des Unfalls im Unfallatlas."),
    "monat": ("Monat", "integer", "Monat des Unfalls."),
    "kategorie": (
        "Unfallkategorie",
        "string",
        "Schwerste Folge: mit Getöteten, Schwerverletzten oder Leichtverletzten.",
    ),
    "massnahme_id": ("Maßnahmen-ID", "string", "Kennung der Maßnahme im Register."),
    "titel": ("Titel", "string", "Titel der Maßnahme."),
    "gremium": ("Gremium", "string", "Gremium, das die Maßnahme trägt; leer, wo das Register keines nennt."),
    "beginn": ("Beginn", "date", "Beginn der Maßnahme."),
    "lage": (
        "Lage",
        "string",
        "Woher der Punkt stammt: Gebiet der Maßnahme im Register oder Mitte der Gemeinde bzw. des Kreises.",
    ),
    "befund": ("Befund", "string", "Befund der Hauptauswertung(en) in Worten."),
}


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A release table with machine column names and published values: integers as integers, hidden counts
    empty (their ``*_hinweis`` column says why), lists joined, booleans ja/nein."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        field = columns.FIELDS.get(col)
        values = frame[col]
        flags = frame.get(f"{col}_disclosure") if col in ("n_before", "n_after") else frame.get("disclosure")
        if col in ("count", "n_before", "n_after") and flags is not None:
            values = values.where(~flags.map(disclosure.hidden))
        if col in ("rate_per_100k", "rate_ci_low", "rate_ci_high", "hz_published") and "disclosure" in frame:
            values = values.where(~frame["disclosure"].map(disclosure.hidden))
        if col in ("disclosure", "n_before_disclosure", "n_after_disclosure"):
            values = values.map(lambda f: disclosure.TEXT.get(f, "") if isinstance(f, str) else "")
        values = values.map(published).map(lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
        if field is not None and field.type == "integer":
            values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif field is not None and field.type == "number":
            values = pd.to_numeric(values, errors="coerce")
            if col not in ("p_value", "p_adjusted", "p_holm"):  # rounded to three significant digits already
                values = values.round(DECIMALS.get(col, 4))
        elif field is not None and field.type == "date":
            values = values.map(
                lambda v: pd.Timestamp(v).date().isoformat() if v is not None and not pd.isna(v) else None
            )
        out[columns.machine(col)] = values
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` (machine names) as CSV in :data:`DIALECT` with decimal comma and a UTF-8 BOM, every text cell
    neutralised against formula injection (:func:`praevention.privacy.neutralise_formula`)."""
    cells = frame.copy()
    for col in cells.columns:
        if cells[col].dtype == object:  # text columns; numbers keep their type
            cells[col] = cells[col].map(neutralise_formula)
    text = cells.to_csv(
        index=False, sep=DIALECT["delimiter"], decimal=DECIMAL, lineterminator=DIALECT["lineTerminator"]
    )
    write_atomic(path, "\ufeff" + text)
    return path


def _schema_field(name: str, title: str, type_: str, description: str) -> dict:
    field = {"name": name, "title": title, "type": type_, "description": description}
    if type_ == "number":
        field |= {"decimalChar": DECIMAL, "groupChar": ""}
    if type_ == "boolean":
        field |= {"trueValues": ["ja"], "falseValues": ["nein"]}
    return field


def table_schema(frame: pd.DataFrame) -> dict:
    """The Frictionless Table Schema of one release table (machine names, titles, types, descriptions)."""
    fields = []
    for col in frame.columns:
        f = columns.FIELDS.get(col)
        if f is None:
            raise ValueError(f"published column {col!r} has no entry in praevention.render.columns.FIELDS")
        fields.append(_schema_field(f.name, f.title, f.type, f.description))
    return {"fields": fields, "missingValues": [""]}


def map_layers(data: ReportData) -> dict[str, gpd.GeoDataFrame]:
    """The GeoPackage's layers (EPSG:25832): Kreise and Gemeinden with count, population and rate of one year
    (the year of the published map) and the map's class; accident points; measures; screened sites."""
    out = {}
    for layer, (level, candidates) in LAYERS.items():
        shapes = data.kreise if level == "Kreis" else data.gemeinden
        found = [(ind, f, y) for ind, f in candidates if (y := latest_year(data, level, ind)) is not None]
        if not found:
            continue
        indicator, field, year = found[0]
        rows, shown, smoothed = figures.map_values(data, level, indicator, year)
        flags = rows["disclosure"].fillna("")
        hidden = flags.map(disclosure.hidden).to_numpy(dtype=bool)
        idx, _, _ = figures.classify(shown)
        labels = figures.class_labels(shown, idx, int(np.nanmax(idx)) + 1 if np.isfinite(idx).any() else 1)
        frame = {
            "ags": shapes["ags"].astype(str).to_numpy(),
            "name": shapes["name"].astype(str).to_numpy(),
            "jahr": np.full(len(shapes), year),
            "einwohner": pd.to_numeric(rows["population"], errors="coerce").round().astype("Int64").to_numpy(),
            "anzahl": pd.to_numeric(rows["count"], errors="coerce").where(~hidden).round().astype("Int64").to_numpy(),
            "anzahl_hinweis": [disclosure.TEXT.get(f, "") for f in flags],
            field: pd.to_numeric(rows["rate_per_100k"], errors="coerce").where(~hidden).to_numpy(),
        }
        if smoothed:
            frame["stabilisiert_je_100000"] = shown
        frame["klasse"] = [labels[int(i)] if np.isfinite(i) else "" for i in idx]
        out[layer] = gpd.GeoDataFrame(frame, geometry=shapes.geometry.to_numpy(), crs=shapes.crs)
    if len(data.points):
        p = data.points
        out["unfallorte"] = gpd.GeoDataFrame(
            {
                "unfall_id": p["accident_uid"].astype(str).to_numpy(),
                "ags": p["ags"].astype(str).to_numpy(),
                "jahr": p["year"].astype(int).to_numpy(),
                "monat": p["month"].astype("Int64").to_numpy(),
                "kategorie": p["category"].map(figures.CATEGORY_NAMES).fillna("").to_numpy(),
            },
            geometry=gpd.points_from_xy(p["x_25832"], p["y_25832"]),
            crs=25832,
        )
    measures = measure_points(data)
    if len(measures):
        out["massnahmen"] = measures
    if len(data.screening):
        sites = data.screening
        out["gepruefte_orte"] = gpd.GeoDataFrame(
            sites.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(sites["x"], sites["y"]), crs=25832
        )
    return out


def measure_points(data: ReportData) -> gpd.GeoDataFrame:
    """One point per measure with a place: its area from the register, else the middle of its Gemeinde or
    Kreis; measures of the whole Land have no place on the map and are left out."""
    shapes = {str(a): g for a, g in zip(data.gemeinden["ags"], data.gemeinden.geometry, strict=True)}
    shapes |= {str(a): g for a, g in zip(data.kreise["ags"], data.kreise.geometry, strict=True)}
    head = data.effects[data.effects["headline"]]
    findings = head.groupby("measure_id")["finding"].agg(lambda f: "; ".join(sorted({finding_label(x) for x in f})))
    names = dict(zip(data.real_bodies["body_id"], data.real_bodies["name"], strict=True))
    rows, geoms = [], []
    for m in data.measures.to_dict("records"):
        wkt, ags = m.get("area_wkt"), str(m.get("ags") or "")
        if isinstance(wkt, str) and wkt:
            geom, where = shapely.point_on_surface(shapely.from_wkt(wkt)), "Gebiet der Maßnahme im Register"
        elif ags in shapes:
            geom, where = shapely.point_on_surface(shapes[ags]), f"Mitte von {data.unit_name(ags)}"
        else:
            continue
        rows.append(
            {
                "massnahme_id": str(m["measure_id"]),
                "titel": str(m["title"]),
                "gremium": names.get(m["body_id"], ""),
                "ags": ags,
                "beginn": pd.Timestamp(m["start"]).date().isoformat() if pd.notna(m.get("start")) else None,
                "lage": where,
                "befund": findings.get(m["measure_id"], ""),
            }
        )
        geoms.append(geom)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=25832) if rows else gpd.GeoDataFrame()


# ---------------------------------------------------------------------- QGIS styles
def _rgb(colour: str) -> str:
    """'rgb(8, 29, 88)' or '#081d58' → '8,29,88'."""
    if colour.startswith("#"):
        return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return ",".join(part.strip() for part in colour[colour.index("(") + 1 : colour.index(")")].split(","))


def _fill_symbol(name: str, colour: str) -> str:
    return (
        f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" '
        'enabled="1" pass="0" locked="0"><Option type="Map">'
        f'<Option name="color" type="QString" value="{_rgb(colour)},255"/>'
        '<Option name="outline_color" type="QString" value="255,255,255,255"/>'
        '<Option name="outline_width" type="QString" value="0.2"/>'
        '<Option name="style" type="QString" value="solid"/></Option></layer></symbol>'
    )


def _marker_symbol(name: str, colour: str, size: float) -> str:
    return (
        f'<symbol type="marker" name="{name}" alpha="0.85" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" '
        'enabled="1" pass="0" locked="0"><Option type="Map">'
        f'<Option name="color" type="QString" value="{_rgb(colour)},255"/>'
        '<Option name="outline_color" type="QString" value="255,255,255,255"/>'
        '<Option name="name" type="QString" value="circle"/>'
        f'<Option name="size" type="QString" value="{size}"/></Option></layer></symbol>'
    )


def _qml(renderer: str, aliases: dict[str, str], label_field: str | None = None) -> str:
    alias = "".join(f'<alias field="{f}" index="{i}" name="{t}"/>' for i, (f, t) in enumerate(aliases.items()))
    labeling = (
        f' <labeling type="simple"><settings calloutType="simple"><text-style fieldName="{label_field}" fontSize="8" '
        'textColor="0,0,0,255"/><text-buffer bufferDraw="1" bufferSize="0.8" bufferColor="255,255,255,255"/>'
        "</settings></labeling>\n"
        if label_field
        else ""
    )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28" styleCategories="Symbology|Labeling|Fields">\n'
        f"{renderer}\n <aliases>{alias}</aliases>\n{labeling}</qgis>\n"
    )


def choropleth_style(field: str, values: np.ndarray, label: str) -> str:
    """A graduated QGIS style on ``field`` with the classes (Fisher-Jenks, :func:`figures.classify`), class
    words and colours (:func:`figures.palette`) of the published map."""
    values = np.asarray(values, dtype=float)
    idx, bins, _ = figures.classify(values)
    k = len(bins)
    colours = figures.palette(k)
    words = figures.class_labels(values, idx, k)
    finite = values[np.isfinite(values)]
    lower = [float(finite.min()) if len(finite) else 0.0, *bins[:-1]]
    ranges = "".join(
        f'<range lower="{lo:.4f}" upper="{hi:.4f}" symbol="{i}" label="{words[i]}" render="true"/>'
        for i, (lo, hi) in enumerate(zip(lower, bins, strict=True))
    )
    symbols = "".join(_fill_symbol(str(i), c) for i, c in enumerate(colours))
    renderer = (
        f' <renderer-v2 type="graduatedSymbol" attr="{field}" graduatedMethod="GraduatedColor" symbollevels="0" '
        f'enableorderby="0" forceraster="0">\n  <ranges>{ranges}</ranges>\n  <symbols>{symbols}</symbols>\n </renderer-v2>'
    )
    return _qml(renderer, {field: label}, "name")


def category_style(field: str, colours: dict[str, str], size: float) -> str:
    """A categorised QGIS point style on ``field`` (``colours``: value → colour)."""
    cats = "".join(
        f'<category value="{value}" symbol="{i}" label="{value}" render="true"/>' for i, value in enumerate(colours)
    )
    symbols = "".join(_marker_symbol(str(i), c, size) for i, c in enumerate(colours.values()))
    renderer = (
        f' <renderer-v2 type="categorizedSymbol" attr="{field}" symbollevels="0" enableorderby="0" forceraster="0">\n'
        f"  <categories>{cats}</categories>\n  <symbols>{symbols}</symbols>\n </renderer-v2>"
    )
    return _qml(renderer, {field: LAYER_FIELDS.get(field, (field,))[0]})


def point_style(colour: str, size: float) -> str:
    """One QGIS point symbol for every feature of a layer."""
    renderer = (
        ' <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">\n'
        f"  <symbols>{_marker_symbol('0', colour, size)}</symbols>\n </renderer-v2>"
    )
    return _qml(renderer, {})


def layer_styles(layers: dict[str, gpd.GeoDataFrame]) -> dict[str, str]:
    """The QGIS style of each layer: the maps' classes and colours for the choropleths, the accident map's
    category colours for the points, one colour for the measures."""
    styles = {}
    for layer, (_, candidates) in LAYERS.items():
        if layer in layers:
            frame = layers[layer]
            field = next(f for _, f in candidates if f in frame)
            coloured = "stabilisiert_je_100000" if "stabilisiert_je_100000" in frame else field
            styles[layer] = choropleth_style(coloured, frame[coloured].to_numpy(dtype=float), LAYER_FIELDS[field][0])
    if "unfallorte" in layers:
        colours = {figures.CATEGORY_NAMES[c]: figures.CATEGORY_COLORS[c] for c in (1, 2, 3)}
        styles["unfallorte"] = category_style("kategorie", colours, 1.6)
    for layer, colour in (("massnahmen", "#c0392b"), ("gepruefte_orte", "#e67e22")):
        if layer in layers:
            styles[layer] = point_style(colour, 3.0)
    return styles


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


# ---------------------------------------------------------------------- description
def layer_fields(frame: gpd.GeoDataFrame) -> list[dict]:
    fields = []
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        if col in LAYER_FIELDS:
            title, type_, description = LAYER_FIELDS[col]
        else:
            title, type_, description = (
                col,
                "string",
                "Merkmal des geprüften Ortes, wie es die Straßenverkehrsprüfung liefert.",
            )
        fields.append(_schema_field(col, title, type_, description))
    return fields


def datapackage(data: ReportData, tables: dict[str, pd.DataFrame], layers: dict[str, gpd.GeoDataFrame]) -> dict:
    """The Frictionless Tabular Data Package describing the release."""
    resources = []
    for sheet, frame in tables.items():
        path, description = CSV_FILES[sheet]
        if sheet == "Monatswerte" and monthly_period(data):
            description += f" Zeitraum: {monthly_period(data)}."
        resources.append(
            {
                "name": Path(path).stem.replace("_", "-"),
                "path": path,
                "profile": "tabular-data-resource",
                "title": sheet,
                "description": description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": DIALECT,
                "schema": table_schema(frame),
            }
        )
    resources.append(
        {
            "name": "geodaten",
            "path": GPKG,
            "title": "Geodaten (GeoPackage, EPSG:25832)",
            "description": "Ebenen: "
            + "; ".join(
                f"{layer} ({', '.join(f['name'] + ': ' + f['title'] for f in layer_fields(frame))})"
                for layer, frame in layers.items()
            )
            + ". Jede Ebene mit QGIS-Stil (Klassen und Farben der veröffentlichten Karten) in layer_styles und als .qml.",
            "format": "gpkg",
            "mediatype": "application/geopackage+sqlite3",
        }
    )
    return {
        "profile": "tabular-data-package",
        "name": "praeventionsmonitor-" + fmt.shorten(data.land_name, 40).lower().replace(" ", "-"),
        "title": f"Präventionsmonitor {data.land_name}: offene Daten",
        "description": (
            "Kriminalität (PKS) und Straßenverkehrsunfälle je Land, Kreis und Gemeinde, die Gremien und Maßnahmen "
            "der kommunalen Prävention und die Auswertung ihrer Wirkung. CSV: UTF-8 mit BOM, Trennzeichen Semikolon, "
            "Dezimalkomma (öffnet in deutschem Excel per Doppelklick; pandas: read_csv(pfad, sep=';', decimal=','))."
            f" {disclosure.RULE}"
        ),
        "licenses": [
            {
                "name": "dl-de-by-2.0",
                "path": "https://www.govdata.de/dl-de/by-2-0",
                "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            }
        ],
        "sources": [{"title": line} for line in data.attributions()],
        "created": pd.Timestamp(data.data_date).isoformat(),
        "version": fmt.date_de(data.data_date),
        "keywords": ["Kriminalprävention", "Verkehrssicherheit", "PKS", "Unfallstatistik", data.land_name],
        "resources": resources,
    }


def dictionary(package: dict) -> pd.DataFrame:
    """``datenbeschreibung.csv``: every published column of every file with its title, type and meaning."""
    rows = []
    for res in package["resources"]:
        for f in res.get("schema", {}).get("fields", []):
            rows.append(
                {
                    "datei": res["path"],
                    "spalte": f["name"],
                    "bezeichnung": f["title"],
                    "typ": f["type"],
                    "bedeutung": f["description"],
                }
            )
    return pd.DataFrame(rows, columns=["datei", "spalte", "bezeichnung", "typ", "bedeutung"])


def write_open_data(data: ReportData, folder: Path) -> list[Path]:
    """The open data release in ``folder``: CSV files, datapackage.json, the data dictionary, the
    GeoPackage with QGIS styles (also as .qml) and the licence."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = release_tables(data)
    files = [write_csv(_csv_frame(frame), folder / CSV_FILES[sheet][0]) for sheet, frame in tables.items()]
    layers = map_layers(data)
    styles = layer_styles(layers)
    gpkg = folder / GPKG
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        staged = Path(tmp) / GPKG
        for layer, frame in layers.items():
            frame.to_file(staged, layer=layer, driver="GPKG")
        _store_styles(staged, styles, pd.Timestamp(data.data_date).isoformat())
        staged.replace(gpkg)
    files.append(gpkg)
    for layer, qml in styles.items():
        write_atomic(folder / f"{layer}.qml", qml)
        files.append(folder / f"{layer}.qml")
    package = datapackage(data, tables, layers)
    write_atomic(folder / "datapackage.json", json.dumps(package, ensure_ascii=False, indent=1))
    files.append(folder / "datapackage.json")
    files.append(write_csv(dictionary(package), folder / "datenbeschreibung.csv"))
    licence = "\n".join([*(row[1] for row in sources_rows(data)), CSV_NOTE, ""])
    write_atomic(folder / "LIZENZ.txt", licence)
    files.append(folder / "LIZENZ.txt")
    return files


CSV_NOTE = (
    "Die CSV-Dateien sind UTF-8 mit BOM, Trennzeichen Semikolon, Dezimalkomma: Sie öffnen sich in deutschem Excel per "
    "Doppelklick. Spaltennamen, Bezeichnungen, Typen und Bedeutungen stehen in datapackage.json (Frictionless Data "
    "Package) und datenbeschreibung.csv."
)
