"""``praevention register check`` on malformed registers: the expected message, exit code, never a traceback;
and ``load_register`` on the same files: bad rows quarantined with their reason, good rows loaded."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook

from praevention.register.load import load_register
from praevention.register.schema import SHEET_NAMES
from tests.register.conftest import (
    BODY,
    MEASURE,
    register_xlsx,
    run_check,
    sheet,
    write_csv,
    write_ods,
    write_xlsx,
)

B2 = {**BODY, "body_id": "G2", "name": "Beirat Halle", "ags": "15002000"}
M2 = {**MEASURE, "measure_id": "M2", "title": "Zweite Maßnahme"}


def _body(**kw) -> dict:
    return {**BODY, **kw}


def _measure(**kw) -> dict:
    return {**MEASURE, **kw}


def _xlsx(bodies=(BODY,), measures=(MEASURE,), **kw):
    return lambda p: register_xlsx(p / "register.xlsx", list(bodies), list(measures), **kw)


def _bytes(name: str, data: bytes):
    def make(p: Path) -> Path:
        (p / name).write_bytes(data)
        return p / name

    return make


def _wrong_sheet_names(p: Path) -> Path:
    return write_xlsx(p / "r.xlsx", {"Tabelle1": [["Spalte A", "Spalte B"], [1, 2]], "Tabelle2": [["x"]]})


def _renamed_sheet(p: Path) -> Path:
    return write_xlsx(
        p / "r.xlsx", {"Tabelle1": sheet("bodies", [BODY]), SHEET_NAMES["measures"]: sheet("measures", [MEASURE])}
    )


def _merged(p: Path) -> Path:
    path = register_xlsx(p / "r.xlsx", [BODY, B2], [MEASURE, M2])
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Maßnahmen"].merge_cells("C2:C3")  # Titel of both measures
    wb.save(path)
    return path


def _formula(p: Path) -> Path:
    path = register_xlsx(p / "r.xlsx", [BODY, B2], [MEASURE])
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Gremien"]["E3"] = "=15002000+0"  # Gemeindeschlüssel of G2
    wb.save(path)
    return path


def _random_xlsx(p: Path) -> Path:
    rng = random.Random(7)
    (p / "kaputt.xlsx").write_bytes(bytes(rng.randrange(256) for _ in range(2000)))
    return p / "kaputt.xlsx"


def _truncated_xlsx(p: Path) -> Path:
    path = register_xlsx(p / "full.xlsx", [BODY], [MEASURE])
    data = path.read_bytes()
    (p / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    return p / "truncated.xlsx"


def _ods_bad_row(p: Path) -> Path:
    bad = _measure(measure_id="M2", start="01.06.2022", end="01.01.2021")
    return write_ods(
        p / "register.ods",
        {"Gremien": sheet("bodies", [BODY]), "Maßnahmen": sheet("measures", [MEASURE, bad])},
    )


def _ods_formula(p: Path) -> Path:
    """An ODS written by hand with a formula cell (pandas cannot write formulas)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in (("Gremien", sheet("bodies", [BODY])), ("Maßnahmen", sheet("measures", [MEASURE]))):
        table = Table(name=name)
        for r, row in enumerate(rows):
            tr = TableRow()
            for c, value in enumerate(row):
                if name == "Gremien" and r == 1 and c == 4:
                    cell = TableCell(valuetype="float", value=15003000, formula="of:=15003000")
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text="" if value is None else str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(p / "formel.ods"))
    return p / "formel.ods"


def _latin1_csv(p: Path) -> Path:
    body = _body(name="Kriminalpräventiver Beirat Weißenfels", ags="15084550", notes="Straßenbeleuchtung, Grünanlagen")
    return write_csv(p / "gremien.csv", sheet("bodies", [body]), delimiter=";", encoding="cp1252")


def _semicolon_csv(p: Path) -> Path:
    return write_csv(p / "massnahmen.csv", sheet("measures", [MEASURE]), delimiter=";")


def _real_layout_bad_row(p: Path) -> Path:
    header = [
        "id",
        "name_as_in_source",
        "gremium_type",
        "level",
        "municipality",
        "ags_gemeinde",
        "ags_kreis",
        "founded",
    ]
    rows = [
        header,
        ["X1", "Präventionsrat Musterstadt", "kommunaler Präventionsrat", "Gemeinde", "M", "15003000", "15003", "2005"],
        ["X2", "Runder Tisch Irgendwo", "Runder Tisch", "Gemeinde", "I", "1500300X", "15003", "ca. 1999"],
    ]
    return write_csv(p / "gremien_real.csv", rows)


@dataclass
class Case:
    make: object
    code: int
    de: tuple[str, ...]
    en: tuple[str, ...] = ()
    loaded: tuple[int, int] | None = None  # (bodies, measures) loaded
    rejected: dict[int, str] = field(default_factory=dict)  # row → part of the quarantine reason


CASES = {
    "empty_file": Case(_bytes("leer.csv", b"\n \n"), 1, ("Die Datei ist leer.",), ("The file is empty.",), (0, 0)),
    "zero_bytes_xlsx": Case(_bytes("leer.xlsx", b""), 1, ("Die Datei ist leer.",), (), (0, 0)),
    "binary_garbage_csv": Case(
        _bytes("garbage.csv", b"garbage;;;\n\x00\x01"), 1, ("Binärdaten",), ("binary data",), (0, 0)
    ),
    "random_bytes_xlsx": Case(_random_xlsx, 1, ("kann nicht gelesen werden",), ("cannot be read",), (0, 0)),
    "truncated_xlsx": Case(_truncated_xlsx, 1, ("kann nicht gelesen werden",), (), (0, 0)),
    "old_xls": Case(_bytes("alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), 1, ("Altes Excel-Format",)),
    "unrecognised_csv": Case(
        _bytes("x.csv", b"Name;Ort\nRat;Halle\n"), 1, ("passen zu keiner Registertabelle", "Gremium-ID")
    ),
    "wrong_sheet_names": Case(
        _wrong_sheet_names,
        1,
        ("Keine Blätter 'Gremien' oder 'Maßnahmen' gefunden (vorhanden: 'Tabelle1', 'Tabelle2')",),
        ("No sheets 'Gremien' or 'Maßnahmen' found",),
        (0, 0),
    ),
    "renamed_sheet_recognised": Case(
        _renamed_sheet, 0, ("Das Blatt heißt nicht 'Gremien'", "Das Blatt in 'Gremien' umbenennen"), (), (1, 1)
    ),
    "merged_cells": Case(
        _merged,
        1,
        ("Verbundene Zellen (C2:C3)", "Zellverbund aufheben"),
        ("Merged cells",),
        (2, 0),
        {2: "merged", 3: "merged"},
    ),
    "formula": Case(
        _formula, 1, ("Formel statt Wert (=15002000+0)",), ("Formula instead of a value",), (1, 1), {3: "formula"}
    ),
    "missing_required_column": Case(
        _xlsx(drop=("body_type",)),
        1,
        ("Pflichtspalte 'Art' fehlt", "Pflichtspalten dieses Blatts: Gremium-ID, Name, Art, Ebene, Gemeindeschlüssel"),
        ("Required column 'Art' is missing",),
        (0, 0),
        {2: "Required field is empty"},
    ),
    "duplicate_body_id": Case(
        _xlsx(bodies=(BODY, _body(name="Doppelt"))),
        1,
        ("Die ID kommt mehrfach vor (auch in Zeile 2)",),
        ("The ID occurs more than once (also in row 2)",),
        (1, 1),
        {3: "more than once"},
    ),
    "duplicate_measure_id": Case(
        _xlsx(measures=(MEASURE, _measure(title="Doppelt"))), 1, ("Die ID kommt mehrfach vor",), (), (1, 1), {3: "once"}
    ),
    "unknown_body": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", body_id="G99"))),
        1,
        ("Das Gremium 'G99' gibt es im Blatt 'Gremien' nicht.",),
        ("Body 'G99' does not exist in sheet 'Gremien'.",),
        (1, 1),
        {3: "G99"},
    ),
    "end_before_start": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", start="2022", end="03/2021"))),
        1,
        ("Das Ende liegt vor dem Beginn (01.03.2021 < 01.01.2022)",),
        ("The end lies before the start",),
        (1, 1),
        {3: "end lies before"},
    ),
    "unparsable_date": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", start="Frühjahr 2021"))),
        1,
        ("Kein gültiges Datum (unbekannter Monatsname 'Frühjahr')", "TT.MM.JJJJ"),
        ("Not a valid date (unknown month name 'Frühjahr')",),
        (1, 1),
        {3: "Not a valid date"},
    ),
    "dates_typed_as_text": Case(
        _xlsx(bodies=(_body(founded="März 2021", relaunched="01.03.23"),), measures=(_measure(start="2021"),)),
        0,
        ("0 Fehler",),
        (),
        (1, 1),
    ),
    "point_outside_sachsen_anhalt": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", area="POINT (13.40 52.52)", area_radius_m=500))),
        1,
        ("Das Gebiet liegt außerhalb von Sachsen-Anhalt", "zuerst Länge"),
        ("The area lies outside Sachsen-Anhalt",),
        (1, 1),
        {3: "outside"},
    ),
    "point_lat_lon_swapped": Case(
        _xlsx(measures=(_measure(area="POINT (52.13 11.63)", area_radius_m=500),)),
        1,
        ("außerhalb von Sachsen-Anhalt (Länge und Breite vertauscht?)",),
    ),
    "invalid_wkt": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", area="POINT (11.6)", area_radius_m=100))),
        1,
        ("Gebiet ist kein gültiges WKT oder GeoJSON (kein gültiges WKT",),
        ("invalid WKT",),
        (1, 1),
        {3: "WKT"},
    ),
    "invalid_geojson": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", area='{"type": "Polygon"}'))),
        1,
        ("kein gültiges GeoJSON",),
        ("invalid GeoJSON",),
        (1, 1),
        {3: "GeoJSON"},
    ),
    "point_without_radius": Case(
        _xlsx(measures=(_measure(area="POINT (11.63 52.13)"),)), 1, ("Punkt ohne Radius.",), (), (1, 0), {2: "radius"}
    ),
    "ags_with_letters": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", ags="15OO3000"))),
        1,
        ("Gemeindeschlüssel ungültig (nur Ziffern erlaubt)",),
        ("Invalid municipality key (digits only)",),
        (1, 1),
        {3: "digits only"},
    ),
    "ags_not_in_sachsen_anhalt": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", ags="09162000"))),
        1,
        ("Der Gemeindeschlüssel liegt nicht in Sachsen-Anhalt (beginnt nicht mit 15)",),
        ("The key is not in Sachsen-Anhalt",),
        (1, 1),
        {3: "not in Sachsen-Anhalt"},
    ),
    "ags_lost_leading_zero": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", ags=1003000))),
        1,
        ("Führende Null ergänzt: 1003000 → 01003000", "liegt nicht in Sachsen-Anhalt"),
        (),
        (1, 1),
        {3: "not in Sachsen-Anhalt"},
    ),
    "ags_as_float": Case(_xlsx(bodies=(_body(ags=15003000.0),)), 0, ("0 Fehler",), (), (1, 1)),
    "ags_does_not_fit_level": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", level="Kreis"))),
        1,
        ("passt nicht zur Ebene 'Kreis'",),
        (),
        (1, 1),
        {3: "does not fit the level"},
    ),
    "unknown_body_type": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", body_type="Bürgerverein"))),
        1,
        ("'Bürgerverein' ist kein erlaubter Wert.", "Kriminalpräventiver Beirat"),
        ("'Bürgerverein' is not an allowed value.",),
        (1, 1),
        {3: "Bürgerverein"},
    ),
    "unknown_partner": Case(
        _xlsx(bodies=(BODY, _body(body_id="G2", partners="Polizei; Feuerwehr"))),
        1,
        ("'Feuerwehr' ist kein erlaubter Wert.", "Opferberatung"),
        (),
        (1, 1),
        {3: "Feuerwehr"},
    ),
    "negative_budget": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", budget_eur=-500))),
        1,
        ("Der Wert darf nicht negativ sein.",),
        ("must not be negative",),
        (1, 1),
        {3: "negative"},
    ),
    "budget_not_a_number": Case(
        _xlsx(measures=(_measure(budget_eur="zwölftausend"),)),
        1,
        ("Keine Zahl (zwölftausend)",),
        (),
        (1, 0),
        {2: "Not a number"},
    ),
    "offence_key_malformed": Case(
        _xlsx(measures=(MEASURE, _measure(measure_id="M2", target="43500"))),
        1,
        ("PKS-Schlüssel '43500' hat nicht das Format: 6 Zeichen aus Ziffern, * oder -.",),
        ("PKS key '43500' malformed",),
        (1, 1),
        {3: "malformed"},
    ),
    "unknown_target_not_evaluable": Case(
        _xlsx(measures=(_measure(target="Lebensqualität"),)),
        0,
        ("'Lebensqualität' ist weder PKS-Schlüssel noch Unfallgruppe", "Nicht auswertbar"),
        ("is neither a PKS key nor an accident group",),
        (1, 1),
    ),
    "missing_start_not_evaluable": Case(
        _xlsx(measures=(_measure(start=None),)), 0, ("Nicht auswertbar: kein Startdatum.",), (), (1, 1)
    ),
    "unknown_extra_column": Case(
        _xlsx(bodies=(_body(Farbe="blau"),), extra=("Farbe",)),
        0,
        ("Unbekannte Spalte 'Farbe', wird nicht übernommen.",),
        ("Unknown column 'Farbe'",),
        (1, 1),
    ),
    "ods_with_a_bad_row": Case(
        _ods_bad_row,
        1,
        ("Blatt: Maßnahmen | Zeile: 3 | Spalte: Ende", "Das Ende liegt vor dem Beginn"),
        (),
        (1, 1),
        {3: "end"},
    ),
    "ods_with_a_formula": Case(_ods_formula, 1, ("Formel statt Wert (=15003000)",), (), (0, 0), {2: "formula"}),
    "latin1_csv_with_umlauts": Case(_latin1_csv, 0, ("0 Fehler",), (), (1, 0)),
    "semicolon_csv_measures_without_bodies": Case(
        _semicolon_csv, 1, ("Das Gremium 'G1' gibt es im Blatt 'Gremien' nicht.",), (), (0, 0), {2: "G1"}
    ),
    "real_layout_with_a_bad_row": Case(
        _real_layout_bad_row, 1, ("Gemeindeschlüssel ungültig", "Spalte: ags_gemeinde"), (), (1, 0), {3: "digits only"}
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_reports_problem(name, tmp_path, capsys):
    case = CASES[name]
    path = case.make(tmp_path)
    code, out = run_check(capsys, path)
    assert "Traceback" not in out
    assert code == case.code, out
    for text in case.de:
        assert text in out, out
    if case.en:
        code_en, out_en = run_check(capsys, path, "--lang", "en")
        assert code_en == case.code and "Traceback" not in out_en
        for text in case.en:
            assert text in out_en, out_en


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.loaded is not None])
def test_load_quarantines_bad_rows_and_loads_good_ones(name, tmp_path):
    case = CASES[name]
    path = case.make(tmp_path)
    result = load_register([path])
    assert (len(result.bodies), len(result.measures)) == case.loaded
    assert dict(zip(result.rejects["line"], result.rejects["reason"], strict=True)).keys() == case.rejected.keys()
    for line, part in case.rejected.items():
        reason = result.rejects.loc[result.rejects["line"] == line, "reason"].iloc[0]
        assert part.lower() in reason.lower(), reason
    assert set(result.rejects["source_file"]) <= {str(path)}
    for entry in result.log:
        assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_quarantined"]
    assert sum(e["rows_quarantined"] for e in result.log) == len(result.rejects)
    assert sum(e["rows_loaded"] for e in result.log) == len(result.bodies) + len(result.measures)


def test_latin1_umlauts_are_read_correctly(tmp_path):
    result = load_register([_latin1_csv(tmp_path)])
    assert result.bodies.loc[0, "name"] == "Kriminalpräventiver Beirat Weißenfels"
    assert result.bodies.loc[0, "notes"] == "Straßenbeleuchtung, Grünanlagen"


def test_typed_text_dates_keep_their_precision(tmp_path):
    result = load_register([CASES["dates_typed_as_text"].make(tmp_path)])
    b, m = result.bodies.iloc[0], result.measures.iloc[0]
    assert (str(b["founded"]), b["founded_precision"]) == ("2021-03-01", "month")
    assert (str(b["relaunched"]), b["relaunched_precision"]) == ("2023-03-01", "day")
    assert (str(m["start"]), m["start_precision"]) == ("2021-01-01", "year")


def test_every_file_type_in_one_load(tmp_path):
    """A workbook, an ODS and CSVs together; duplicates across files are found."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    xlsx = register_xlsx(tmp_path / "a" / "r.xlsx", [BODY], [MEASURE])
    ods = write_ods(tmp_path / "b" / "r.ods", {"Gremien": sheet("bodies", [B2, BODY])})
    result = load_register([xlsx, ods])
    assert list(result.bodies["body_id"]) == ["G1", "G2"]
    assert list(result.rejects["line"]) == [3]
    assert "more than once" in result.rejects["reason"].iloc[0]


def test_missing_file_exit_2(tmp_path, capsys):
    code, out = run_check(capsys, tmp_path / "gibtsnicht.xlsx")
    assert code == 2 and "Datei nicht gefunden" in out


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path, capsys, monkeypatch):
    path = register_xlsx(tmp_path / "r.xlsx", [BODY], [MEASURE])

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, out = run_check(capsys, path)
    assert code == 1 and "Die Datei kann nicht gelesen werden (Permission denied)" in out


def test_header_below_a_title_row(tmp_path, capsys):
    rows = [["Register Stand 2024"], *sheet("bodies", [BODY])]
    path = write_xlsx(tmp_path / "r.xlsx", {"Gremien": rows, "Maßnahmen": sheet("measures", [MEASURE])})
    code, out = run_check(capsys, path)
    assert code == 0, out
    assert load_register([path]).bodies.loc[0, "source_row"] == 3


def test_empty_sheet_is_a_warning(tmp_path, capsys):
    wb = Workbook()
    wb.active.title = "Gremien"
    wb.create_sheet("Maßnahmen")
    for row in sheet("bodies", [BODY]):
        wb["Gremien"].append(row)
    wb.save(tmp_path / "r.xlsx")
    code, out = run_check(capsys, tmp_path / "r.xlsx")
    assert code == 0 and "Das Blatt ist leer." in out
