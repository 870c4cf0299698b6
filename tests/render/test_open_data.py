"""The open data release beside the workbook: CSV that German Excel opens, described by a Frictionless data
package, long series without phantom rows, monthly rows apart, and a GeoPackage whose layers carry one year's
figures and the published maps' classes."""

from __future__ import annotations

import json
import re
import sqlite3

import numpy as np
import pandas as pd
import pyogrio

from praevention.render import figures
from tests.render.conftest import Rendered


def _folder(rendered: Rendered):
    return rendered.out / "ministerium" / "offene-daten"


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", dtype={"ags": str}, encoding="utf-8-sig", keep_default_na=False)


def test_release_has_csv_package_dictionary_code_list_and_licence(rendered: Rendered) -> None:
    names = {p.name for p in _folder(rendered).iterdir()}
    assert {
        "kennzahlen.csv",
        "kennzahlen_monate.csv",
        "kennzahlen_codes.csv",
        "wirkungen.csv",
        "was_wirkt.csv",
        "datapackage.json",
        "datenbeschreibung.csv",
        "LIZENZ.txt",
        "praeventionsmonitor.gpkg",
    } <= names
    licence = (_folder(rendered) / "LIZENZ.txt").read_text(encoding="utf-8")
    assert "dl-de/by-2-0" in licence and "Semikolon" in licence and "<3" in licence


def test_csv_files_open_in_german_excel_and_are_described_by_the_package(rendered: Rendered) -> None:
    folder = _folder(rendered)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package" and package["licenses"][0]["name"] == "dl-de-by-2.0"
    for res in package["resources"]:
        if res["format"] != "csv":
            continue
        raw = (folder / res["path"]).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), res["path"]  # UTF-8 with BOM
        assert res["dialect"]["delimiter"] == ";"
        assert b"<NA>" not in raw and b";nan;" not in raw, res["path"]
        frame = _csv(folder / res["path"])
        text = pd.read_csv(folder / res["path"], sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        fields = res["schema"]["fields"]
        assert [f["name"] for f in fields] == list(frame.columns), res["path"]
        for f in fields:
            assert re.fullmatch(r"[a-z0-9_]+", f["name"]), f["name"]  # short machine names
            assert f["description"] and f["description"] != f["title"], f
            values = text[f["name"]][text[f["name"]] != ""]  # as written in the file
            if f["type"] == "integer":
                assert values.astype(str).str.fullmatch(r"-?\d+").all(), (res["path"], f["name"])
            if f["type"] == "number":
                assert values.astype(str).str.fullmatch(r"-?\d+(,\d+)?").all(), (res["path"], f["name"])
    dictionary = _csv(folder / "datenbeschreibung.csv")
    assert {"datei", "spalte", "bezeichnung", "typ", "bedeutung"} <= set(dictionary.columns)


def test_long_series_without_phantom_rows_and_monthly_rows_apart(rendered: Rendered) -> None:
    folder = _folder(rendered)
    rows = _csv(folder / "kennzahlen.csv")
    gemeinden = set(rendered.data.gemeinden["ags"])
    assert set(rows.loc[rows["ebene"] == "Gemeinde", "ags"]) <= gemeinden  # no dissolved Gemeinde
    assert (rows["gebiet"] != "").all()
    assert "monat" not in rows.columns
    per_unit = rows[rows["kennzahl"] == "pks:------"].groupby("ags")["jahr"].nunique()
    assert per_unit.min() > 5  # a long series, not one latest value
    small = rows[(rows["ebene"] == "Gemeinde") & rows["anzahl"].astype(str).isin(["1", "2"])]
    assert small.empty  # the disclosure rule
    hidden = rows[rows["anzahl_hinweis"] == "<3"]
    assert len(hidden) and (hidden["anzahl"] == "").all() and (hidden["je_100000"] == "").all()
    codes = _csv(folder / "kennzahlen_codes.csv")
    assert set(rows["kennzahl"]) <= set(codes["kennzahl"]) and (codes["definition"] != "").all()


def test_geopackage_layers_hold_one_year_and_the_maps_classes(rendered: Rendered) -> None:
    gpkg = _folder(rendered) / "praeventionsmonitor.gpkg"
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"kreise", "gemeinden", "unfallorte", "massnahmen"} <= layers
    kreise = pyogrio.read_dataframe(gpkg, layer="kreise")
    assert len(kreise) == len(rendered.data.kreise) and kreise["straftaten_je_100000"].notna().any()
    assert kreise["jahr"].nunique() == 1
    year = int(kreise["jahr"].iloc[0])
    panel = rendered.data.panel
    pks = panel[(panel["indicator"] == "pks:------") & (panel["year"] == year) & (panel["unit_level"] == "Kreis")]
    population = dict(zip(pks["unit_ags"], pks["population"], strict=True))
    assert all(abs(r.einwohner - population[r.ags]) <= 1 for r in kreise.itertuples())  # the rate's own year
    with sqlite3.connect(gpkg) as con:
        styles = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall())
    assert {"kreise", "gemeinden", "unfallorte", "massnahmen"} <= set(styles)
    assert 'attr="straftaten_je_100000"' in styles["kreise"] and "graduatedSymbol" in styles["kreise"]
    _, bins, _ = figures.classify(kreise["straftaten_je_100000"].to_numpy(dtype=float))
    assert styles["kreise"].count("<range ") == len(bins)
    r, g, b = (int(v) for v in re.findall(r"\d+", figures.palette(len(bins))[-1]))
    assert f'value="{r},{g},{b},255"' in styles["kreise"]  # the map's darkest class colour
    assert np.isfinite(pyogrio.read_dataframe(gpkg, layer="gemeinden")["stabilisiert_je_100000"]).any()
    site = (rendered.out / "index.html").read_text(encoding="utf-8")
    assert "Offene Daten" in site and "offene-daten/praeventionsmonitor.gpkg" in site
