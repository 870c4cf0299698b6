"""The template workbook: its own check passes; filled in, it loads and survives the warehouse round trip."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import openpyxl
import pandas as pd
import pytest

from praevention.register.load import load_register, table_writes
from praevention.register.schema import BODY_TYPES_SQL, MEASURE_TYPES_SQL, SHEET_NAMES, TABLES
from praevention.register.template import write_template
from praevention.warehouse import connect, write_asset
from tests.register.conftest import run_check


def _open(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "register.xlsx")


def test_template_passes_its_own_check(template, capsys):
    code, out = run_check(capsys, template)
    assert code == 0, out
    assert "Keine Probleme gefunden." in out
    assert "2 Beispielzeile(n) übersprungen" in out
    result = load_register([template])
    assert result.bodies.empty and result.measures.empty and result.rejects.empty
    assert result.examples_skipped == 2
    assert result.log[0]["rows_read"] == 0


def test_template_layout(template):
    wb = _open(template)
    assert wb.sheetnames[:1] == ["Anleitung"]
    assert {"Gremien", "Maßnahmen", "Listen"} <= set(wb.sheetnames)
    assert wb["Listen"].sheet_state == "hidden"
    guide = "\n".join(str(c.value) for c in wb["Anleitung"]["A"] if c.value)
    assert "BEISPIEL" in guide and "Kontakt" in guide
    for table, fields in TABLES.items():
        ws = wb[SHEET_NAMES[table]]
        headers = [c.value for c in ws[1]]
        assert headers == [f.header for f in fields]
        assert all(c.comment is not None and c.comment.text for c in ws[1])
        assert str(ws.cell(2, 1).value).startswith("BEISPIEL")
        validated = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation}
        for j, f in enumerate(fields, start=1):
            letter = openpyxl.utils.get_column_letter(j)
            assert (letter in validated) == bool(f.choices or f.kind == "target"), f.name


def test_example_rows_are_valid_rows(template, tmp_path, capsys):
    """Renamed, the worked examples are ordinary rows that load without errors."""
    wb = _open(template)
    for name in ("Gremien", "Maßnahmen"):
        for cell in wb[name][2]:
            if isinstance(cell.value, str) and cell.value.startswith("BEISPIEL-"):
                cell.value = cell.value.replace("BEISPIEL-", "X")
    path = tmp_path / "examples.xlsx"
    wb.save(path)
    code, out = run_check(capsys, path)
    assert code == 0, out
    result = load_register([path])
    assert list(result.bodies["body_id"]) == ["XG1"]
    assert list(result.measures["measure_id"]) == ["XM1"]
    m = result.measures.iloc[0]
    assert m["area_type"] == "point_radius" and m["area_radius_m"] == 500.0
    assert m["target_pks_keys"] == ["899000", "435*00"]


def _fill(template, tmp_path):
    wb = _open(template)
    bodies, measures = wb["Gremien"], wb["Maßnahmen"]
    col = {t: {c.value: c.column for c in ws[1]} for t, ws in (("b", bodies), ("m", measures))}

    def put(ws, key, row, values):
        for header, value in values.items():
            ws.cell(row, col[key][header], value)

    put(
        bodies,
        "b",
        3,
        {
            "Gremium-ID": "G01",
            "Name": "Präventionsrat Halle (Saale)",
            "Art": "Präventionsrat",
            "Ebene": "Gemeinde",
            "Gemeindeschlüssel": "15002000",
            "Gegründet": "2001",
            "Neustart": "06.11.2023",
            "Partner": "Polizei; Schulen; Vereine; Opferberatung",
            "Status": "aktiv",
            "Quelle (URL)": "https://www.halle.de/praeventionsrat",
            "Stand der Quelle": "2023-11",
            "Anmerkungen": "Neustart nach Pause",
        },
    )
    put(
        bodies,
        "b",
        4,
        {
            "Gremium-ID": "G02",
            "Name": "Kriminalpräventiver Beirat Magdeburg",
            "Art": "Kriminalpräventiver Beirat",
            "Ebene": "Gemeinde",
            "Gemeindeschlüssel": 15003000.0,  # a number, as Excel stores it
            "Gegründet": "ca. 1997",
        },
    )
    put(
        measures,
        "m",
        3,
        {
            "Maßnahmen-ID": "M01",
            "Gremium-ID": "G01",
            "Titel": "Gemeinsame Streifen am Marktplatz",
            "Art der Maßnahme": "gemeinsame Streifen / Präsenz",
            "Bereich": "Kriminalität",
            "Zielgröße": "899000 Straßenkriminalität; 435*00",
            "Gebietsart": "Punkt mit Radius",
            "Gebiet": "POINT (11.9696 51.4828)",
            "Radius (m)": 300,
            "Beginn": "März 2021",
            "Ende": "01.03.22",
            "Intensität": "2 Streifen pro Woche",
            "Budget (EUR)": "12.500",
        },
    )
    put(
        measures,
        "m",
        4,
        {
            "Maßnahmen-ID": "M02",
            "Gremium-ID": "G02",
            "Titel": "Schulwegaktion",
            "Bereich": "Verkehr",
            "Zielgröße": "Kinder; Radfahrende",
            "Gebiet": "Altstadt; Buckau",
            "Beginn": dt.datetime(2022, 9, 1),
        },
    )
    put(
        measures,
        "m",
        5,
        {
            "Maßnahmen-ID": "M03",
            "Gremium-ID": "G02",
            "Titel": "Sicherheitsbefragung",
            "Bereich": "Kriminalität",
            "Gebiet": '{"type": "Polygon", "coordinates": [[[11.6, 52.1], [11.7, 52.1], [11.7, 52.2], [11.6, 52.1]]]}',
        },
    )
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    return path


def test_round_trip_through_the_warehouse(template, tmp_path, capsys):
    path = _fill(template, tmp_path)
    code, out = run_check(capsys, path)
    assert code == 0, out
    assert "Ungefähres Datum" in out and "Nicht auswertbar" in out
    result = load_register([path])
    assert result.rejects.empty
    assert result.log == [
        {
            "source_file": str(path),
            "rows_read": 5,
            "rows_loaded": 5,
            "rows_quarantined": 0,
            "note": "Gremien: 2 bodies, 1 example row(s) skipped; Maßnahmen: 3 measures, 1 example row(s) skipped",
        }
    ]
    b, m = result.bodies.set_index("body_id"), result.measures.set_index("measure_id")
    assert b.loc["G01", "partners"] == ["police", "schools", "clubs", "victim_counselling"]
    assert (b.loc["G01", "relaunched"], b.loc["G01", "relaunched_precision"]) == (dt.date(2023, 11, 6), "day")
    assert (b.loc["G02", "ags"], b.loc["G02", "body_type"]) == ("15003000", "Beirat")
    assert (b.loc["G02", "founded"], b.loc["G02", "founded_precision"]) == (dt.date(1997, 1, 1), "year")
    assert "ungefähr" in b.loc["G02", "notes"]
    assert (m.loc["M01", "start"], m.loc["M01", "start_precision"]) == (dt.date(2021, 3, 1), "month")
    assert (m.loc["M01", "end"], m.loc["M01", "end_precision"]) == (dt.date(2022, 3, 1), "day")
    assert m.loc["M01", "area_wkt"] == "POINT (11.9696 51.4828)"
    assert m.loc["M01", "budget_eur"] == 12500.0
    assert m.loc["M01", "ags"] == "15002000"  # the body's
    assert m.loc["M02", "target_accident_groups"] == ["children", "cyclists"]
    assert m.loc["M02", "area_ortsteile"] == ["Altstadt", "Buckau"]
    assert m.loc["M02", "area_type"] == "ortsteile"
    assert (m.loc["M02", "start"], m.loc["M02", "start_precision"]) == (dt.date(2022, 9, 1), "day")
    assert m.loc["M03", "area_type"] == "polygon" and m.loc["M03", "area_wkt"].startswith("POLYGON ((11.6 52.1")
    assert not m.loc["M03", "evaluable"]
    assert m.loc["M03", "not_evaluable_reason"] == (
        "kein Startdatum; keine auswertbare Zielgröße (PKS-Schlüssel, Unfallgruppe oder Sicherheitsgefühl)"
    )

    con = connect(tmp_path / "w.duckdb")
    write_asset(con, asset="register", tables=table_writes(result), quarantine=result.rejects)
    for table, types in (("register_bodies", BODY_TYPES_SQL), ("register_measures", MEASURE_TYPES_SQL)):
        described = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        assert described == types
    for table, frame, key in (
        ("register_bodies", result.bodies, "body_id"),
        ("register_measures", result.measures, "measure_id"),
    ):
        back = con.execute(f"SELECT * FROM {table} ORDER BY {key}").df()
        expected = frame.sort_values(key).reset_index(drop=True)
        assert list(back.columns) == list(expected.columns)
        for c in expected.columns:
            for got, want in zip(back[c], expected[c], strict=True):
                assert _same(got, want), (table, c, got, want)
    con.close()


def _same(got, want) -> bool:
    if isinstance(want, list):
        return list(got) == want
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None or (isinstance(got, float) and math.isnan(got)) or str(got) in ("NaT", "None", "<NA>")
    if isinstance(want, dt.date):
        return got.date() == want if hasattr(got, "date") else got == want
    return got == want


def test_csv_exports_of_the_template_sheets(template, tmp_path, capsys):
    """Both sheets saved as CSV (UTF-8 and Excel's Latin-1 with semicolons) load like the workbook."""
    import csv

    filled = _fill(template, tmp_path)
    wb = _open(filled)
    paths = []
    for name, encoding, sep in (("Gremien", "utf-8", ","), ("Maßnahmen", "cp1252", ";")):
        path = tmp_path / f"{name}.csv"
        with path.open("w", newline="", encoding=encoding) as fh:
            w = csv.writer(fh, delimiter=sep)
            for row in wb[name].iter_rows(values_only=True):
                if any(v is not None for v in row):
                    w.writerow(
                        ["" if v is None else (v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else v) for v in row]
                    )
        paths.append(path)
    code, out = run_check(capsys, *paths)
    assert code == 0, out
    from_csv = load_register(paths[::-1])  # any order
    from_xlsx = load_register([filled])
    for a, b in ((from_csv.bodies, from_xlsx.bodies), (from_csv.measures, from_xlsx.measures)):
        pd.testing.assert_frame_equal(a.drop(columns=["source_file"]), b.drop(columns=["source_file"]))


def test_template_refuses_to_overwrite(tmp_path, capsys):
    from pipelines.cli import main

    path = tmp_path / "t.xlsx"
    assert main(["register", "template", str(path)]) == 0
    assert main(["register", "template", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["register", "template", str(path), "--force"]) == 0
    assert main(["register", "template", str(tmp_path / "t.ods")]) == 2
