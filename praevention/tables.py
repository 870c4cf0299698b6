"""The warehouse's public tables: names, meanings, sources and every column.

This registry is the contract analysts query against. ``docs/data-dictionary.md`` is generated from it
(``uv run python -m praevention.tables > docs/data-dictionary.md``), and a test compares it with the
columns the pipeline actually writes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    source: str
    key: tuple[str, ...]
    columns: dict[str, str] = field(default_factory=dict)


_PROV = {
    "source_file": "raw file (and zip member) the row was read from",
    "source_line": "line (or row / feature number) in that file, 1-based as an editor shows it",
}

TABLES: list[Table] = [
    Table(
        "crime_cases",
        "Police-recorded crime per Kreis, offence key and year (PKS table T01 Kreise, all of Germany).",
        "Bundeskriminalamt, Polizeiliche Kriminalstatistik (dl-de/by-2-0)",
        ("year", "ags", "offence_key"),
        {
            "year": "reporting year",
            "ags": "Kreis key, 5 digits, zero-padded",
            "kreis_name": "Kreis name as published",
            "kreis_type": "Kreisart as published (KfS, LK, K, SK, RV; empty in 2014)",
            "offence_key": "offence key as published (`------` = all offences; `*` wildcards, e.g. `435*00`)",
            "offence_label": "offence label as published that year (changes between years: join on the key)",
            "cases": "recorded cases (erfasste Fälle)",
            "hz": "published Häufigkeitszahl (cases per 100,000 inhabitants)",
            "hz_basis": "the HZ column header, naming its population basis (e.g. 'HZ nach Zensus 2022')",
            "attempts": "attempts (Versuche)",
            "attempts_pct": "attempts as % of cases (empty where the source shows #DIV/0!)",
            "firearm_threatened": "cases with a firearm threatened",
            "firearm_shot": "cases with a firearm fired",
            "cleared": "cleared cases (aufgeklärte Fälle)",
            "clearance_rate": "clearance rate in %",
            "suspects": "suspects (Tatverdächtige insgesamt)",
            "suspects_male": "male suspects",
            "suspects_female": "female suspects",
            "suspects_non_german": "non-German suspects",
            "suspects_non_german_pct": "non-German suspects in %",
            "population_published": "population 31.12. of the previous year, only in the 2020 file's working columns",
            **_PROV,
        },
    ),
    Table(
        "crime_gemeinde_cases",
        "PKS cases by Tatortgemeinde, year and offence key (empty unless the LKA's figures are delivered).",
        "Landeskriminalamt Sachsen-Anhalt, PKS nach Tatortgemeinde (not published; import format of "
        "`praevention lka template`, docs/lka-import.md)",
        ("year", "ags", "offence_key"),
        {
            "year": "reporting year (Berichtsjahr)",
            "ags": "8-digit AGS of the Tatortgemeinde",
            "offence_key": "PKS offence key (`------` = all offences)",
            "cases": "recorded cases (erfasste Fälle)",
            "attempts": "attempts among them (empty if not delivered)",
            "cleared": "cleared cases among them (empty if not delivered)",
            "source": "publisher and statistic",
            **_PROV,
        },
    ),
    Table(
        "crime_city_stats",
        "Magdeburg's municipal crime statistics: per Stadtteil, Magdeburg vs Halle, Länder.",
        "Landeshauptstadt Magdeburg, KISS-MD chapter K11 (police PKS figures republished)",
        ("table_id", "year", "unit_ags", "measure"),
        {
            "table_id": "KISS-MD table (K11_T3, K11_T4, K11_T5)",
            "year": "reporting year",
            "unit_level": "Stadtteil, Gemeinde, Land or Bund",
            "unit_ags": "AGS; Stadtteile as '15003000-NN' (NN = Stadtteil number, 99 = not assignable)",
            "unit_label": "name or Stadtteil number as published",
            "measure": "straftaten, einwohner, hz, aufklaerungsquote, straftaten_summenzeile",
            "value": "value as published (typos are kept and flagged by a check)",
            "source": "publisher and table",
            **_PROV,
        },
    ),
    Table(
        "accident_points",
        "Road accidents with personal injury as points (Unfallatlas), every yearly layout.",
        "Statistische Ämter des Bundes und der Länder, Unfallatlas (dl-de/by-2-0)",
        ("accident_uid",),
        {
            "accident_uid": "UIDENTSTLAE where published, else year-Land-OBJECTID",
            "object_id": "OBJECTID / OID_ / FID",
            "year": "UJAHR",
            "month": "UMONAT",
            "hour": "USTUNDE",
            "weekday": "UWOCHENTAG (1 = Sunday)",
            "ags": "Gemeinde key, 8 digits (ULAND+UREGBEZ+UKREIS+UGEMEINDE)",
            "category": "UKATEGORIE: 1 killed, 2 seriously injured, 3 slightly injured",
            "type": "UTYP1 accident type (1–7)",
            "kind": "UART kind of accident (0–9)",
            "light": "ULICHTVERH / LICHT: 0 daylight, 1 twilight, 2 darkness",
            "road_condition": "STRZUSTAND / IstStrassenzustand: 0 dry, 1 wet, 2 slippery",
            "is_bicycle": "bicycle involved",
            "is_car": "car involved",
            "is_pedestrian": "pedestrian involved",
            "is_motorcycle": "motorcycle involved",
            "is_goods_vehicle": "goods vehicle involved (not in 2017)",
            "is_other": "other participant involved",
            "plausibility": "PLST plausibility level (2023+)",
            "x_25832": "easting, EPSG:25832 (LINREFX)",
            "y_25832": "northing, EPSG:25832 (LINREFY)",
            "lon": "longitude, EPSG:4326 (XGCSWGS84)",
            "lat": "latitude, EPSG:4326 (YGCSWGS84)",
            "source_file_no": "number of the file the row was read from in this load (official files by name, then the derived GeoJSON)",
            "source_line": _PROV["source_line"],
            "source": "Unfallatlas file or the derived Magdeburg extract (virtual column, from source_file_no)",
            "source_file": _PROV["source_file"] + " (virtual column, from source_file_no)",
            "geom_25832": "point geometry in EPSG:25832 (virtual column, computed from x_25832/y_25832 when read)",
            "geom_4326": "point geometry in EPSG:4326 (virtual column, computed from lon/lat when read)",
        },
    ),
    Table(
        "accident_counts",
        "Accident and casualty counts per unit, year, month and measure; definitions never mixed.",
        "Regionalstatistik 46241-01-03, GENESIS-Online 46241-0020…0024, INKAR 2023 (all dl-de/by-2-0)",
        ("source", "level", "ags", "year", "month", "measure", "breakdown"),
        {
            "source": "table the figure comes from",
            "level": "Bund, Land, Region, Kreis, Gemeindeverband or Gemeinde",
            "ags": "key of the unit (DG = Germany)",
            "year": "year",
            "month": "month (monthly GENESIS tables only)",
            "measure": "unfaelle_personenschaden, unfaelle_ohne_uebrige_sachschaden (Regionalstatistik 'insgesamt'), "
            "unfaelle_polizeilich_erfasst (GENESIS 'Insgesamt'), getoetete, verletzte, schwerverletzte, "
            "leichtverletzte, verunglueckte, verunglueckte_je_100000_ew, …",
            "breakdown": "sub-group, e.g. 'ortslage=innerorts' (empty = total)",
            "value": "the figure",
            "flag": "'-' published zero, '.' unknown/secret, 'derived' recovered from a rate",
            **_PROV,
            "unit_name": "the unit's name as the table gives it (Regionalstatistik; also dissolved Gemeinden, "
            "'Gernrode, Harz'); empty for GENESIS and INKAR",
        },
    ),
    Table(
        "boundaries",
        "Gemeinde and Kreis polygons with their Gebietsstand.",
        "© GeoBasis-DE / BKG (VG250 2016, VG5000 2021), dl-de/by-2-0",
        ("ags", "level", "valid_from"),
        {
            "ags": "AGS, 8 digits (Gemeinde) or 5 (Kreis)",
            "name": "GEN (short name)",
            "level": "Gemeinde or Kreis",
            "valid_from": "Gebietsstand",
            "kreis_type": "BEZ for Kreise (Kreisfreie Stadt, Landkreis, …)",
            "area_km2": "area of the polygon in km² (EPSG:25832)",
            "geometry": "polygon, EPSG:25832",
            "source": "VG250 or VG5000",
            **_PROV,
        },
    ),
    Table(
        "population",
        "Population and area per Gemeinde and reference date.",
        "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD and extracts",
        ("ags", "reference_date", "source"),
        {
            "ags": "Gemeinde key, 8 digits",
            "level": "Gemeinde",
            "name": "official name (GV100AD only)",
            "reference_date": "date the population refers to (lags the edition)",
            "population": "inhabitants",
            "population_male": "male inhabitants",
            "area_km2": "area in km²",
            "census_basis": "Zensus 2011 or Zensus 2022 (a break in the series)",
            "edition": "Gebietsstand of the GV100AD edition",
            "source": "file type and edition",
            **_PROV,
            "postcode": "the Gemeinde's postcode as the Gemeindeverzeichnis gives it (one per Gemeinde: a town "
            "with several gives its main one)",
        },
    ),
    Table(
        "quarantine",
        "Every row that was read but not loaded, with the reason; rows read = loaded + quarantined.",
        "this pipeline",
        (),
        {
            "asset": "asset that read the row",
            "source_file": "file",
            "line": "line or row number",
            "field": "column at fault, where one is",
            "raw": "the raw text (personal data masked)",
            "reason": "why it was not loaded",
        },
    ),
    Table(
        "ingest_log",
        "Per asset and file: rows read, loaded, quarantined, and notes (superseded files, ignored columns).",
        "this pipeline",
        (),
        {
            "asset": "asset",
            "source_file": "file",
            "rows_read": "rows read",
            "rows_loaded": "rows loaded",
            "rows_quarantined": "rows quarantined",
            "note": "what else happened; 'not loaded (unreadable): <reason>' for a file that could not be read, "
            "'not loaded (duplicate): …' for one whose figures another file supplies",
        },
    ),
]

BY_NAME = {t.name: t for t in TABLES}


PROJECT_ROOT_DOC = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


def register_table(table: Table) -> None:
    """Add a table documented by another module (register, evaluation)."""
    if table.name in BY_NAME:
        return
    TABLES.append(table)
    BY_NAME[table.name] = table


def contract(name: str) -> Table:
    """The contract of one table, also of those the register and evaluation modules document."""
    load_all()
    return BY_NAME[name]


def data_dictionary() -> str:
    """The Markdown data dictionary, generated from this registry."""
    load_all()
    out = [
        "# Data dictionary",
        "",
        "Generated from `praevention/tables.py` by `uv run python -m praevention.tables > docs/data-dictionary.md`.",
        "Do not edit by hand. Table and column names are a public interface.",
        "",
    ]
    for t in TABLES:
        out += [f"## `{t.name}`", "", t.description, "", f"Source: {t.source}."]
        if t.key:
            out += ["", "Key: " + ", ".join(f"`{k}`" for k in t.key) + "."]
        out += ["", "| column | meaning |", "|---|---|"]
        out += [f"| `{c}` | {m} |" for c, m in t.columns.items()]
        out.append("")
    return "\n".join(out)


def load_all() -> None:
    """Import the modules that register further tables."""
    import importlib

    for module in (
        "praevention.register.tables",
        "praevention.evaluation.tables",
        "praevention.evaluation.roadsafety_tables",
        "praevention.survey.tables",
    ):
        importlib.import_module(module)


if __name__ == "__main__":
    # run as a script this file is "__main__"; the modules that register further tables import
    # "praevention.tables", so the dictionary must come from that module
    from praevention.tables import data_dictionary as _dictionary

    sys.stdout.write(_dictionary())
