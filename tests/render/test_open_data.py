"""The open data release beside the workbook: CSV, GeoPackage with a QGIS style, dictionary, licence."""

from __future__ import annotations

import csv
import sqlite3

import pyogrio

from tests.render.conftest import Rendered


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_release_has_csv_geopackage_dictionary_and_licence(rendered: Rendered) -> None:
    folder = rendered.out / "ministerium" / "offene-daten"
    names = {p.name for p in folder.iterdir()}
    assert {
        "kennzahlen.csv",
        "wirkungen.csv",
        "was_wirkt.csv",
        "datenbeschreibung.csv",
        "LIZENZ.txt",
        "praeventionsmonitor.gpkg",
    } <= names
    rows = _rows(folder / "kennzahlen.csv")
    assert rows and {"Gebietsschlüssel", "Jahr", "Anzahl", "je 100.000 Einwohner"} <= set(rows[0])
    small = [r for r in rows if r["Ebene"] == "Gemeinde" and r["Anzahl"] in ("1", "2", "1.0", "2.0")]
    assert not small  # the small-number rule, as in the workbook
    documented = {r["Spalte"] for r in _rows(folder / "datenbeschreibung.csv")}
    assert set(rows[0]) <= documented
    assert "dl-de/by-2-0" in (folder / "LIZENZ.txt").read_text(encoding="utf-8")


def test_geopackage_opens_with_its_qgis_styles(rendered: Rendered) -> None:
    gpkg = rendered.out / "ministerium" / "offene-daten" / "praeventionsmonitor.gpkg"
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"kreise", "gemeinden"} <= layers
    kreise = pyogrio.read_dataframe(gpkg, layer="kreise")
    assert len(kreise) == len(rendered.data.kreise) and kreise["straftaten_je_100000"].notna().any()
    with sqlite3.connect(gpkg) as con:
        styles = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall())
    assert set(styles) == {"kreise", "gemeinden"}
    assert 'attr="straftaten_je_100000"' in styles["kreise"] and "graduatedSymbol" in styles["kreise"]
    site = (rendered.out / "index.html").read_text(encoding="utf-8")
    assert "Offene Daten" in site and "offene-daten/praeventionsmonitor.gpkg" in site
