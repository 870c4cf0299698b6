"""LKA PKS by Tatortgemeinde: the import template, its reader (good file, damaged rows) and its discovery."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipelines.cli import main
from praevention import config
from praevention.discovery import classify
from praevention.errors import SourceFormatError
from praevention.readers.lka import COLUMNS, read_lka_tatortgemeinde

HEADER = "AGS;Berichtsjahr;PKS-Schlüssel;Fälle;Versuche;aufgeklärte Fälle"


def _csv(tmp_path: Path, *lines: str, name: str = "tatortgemeinden.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


def _filled_template(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "vorlage.xlsx"
    assert main(["lka", "template", str(path)]) == 0
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for i, r in enumerate(rows, start=2):  # typed into the prepared rows under the header
        for j, value in enumerate(r, start=1):
            ws.cell(i, j, value)
    filled = tmp_path / "pks_tatortgemeinden_2023.xlsx"
    wb.save(filled)
    return filled


def test_template_has_the_documented_columns_and_instructions(tmp_path):
    path = tmp_path / "lka.xlsx"
    assert main(["lka", "template", str(path)]) == 0
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tatortgemeinden", "Anleitung"]
    headers = [c.value for c in wb["Tatortgemeinden"][1]]
    assert headers == [c.header for c in COLUMNS]
    assert wb["Tatortgemeinden"]["A2"].number_format == "@"  # AGS keeps its leading zero
    assert main(["lka", "template", str(path)]) == 2  # never overwritten without --force
    assert main(["lka", "template", str(tmp_path / "lka.csv")]) == 2
    # the empty template is recognised as the import format and reads as no rows
    assert classify(path) == "lka_tatortgemeinde"
    assert read_lka_tatortgemeinde(path).rows_read == 0


def test_filled_template_loads_every_row(tmp_path):
    path = _filled_template(
        tmp_path,
        [
            ["15085235", 2023, "------", 2318, 120, 1401],
            ["15085235", 2023, "899000", "1.204", None, None],  # German notation typed as text
            ["15003000", 2023.0, "435*00", 512, 200, 61],
        ],
    )
    assert classify(path) == "lka_tatortgemeinde"
    r = read_lka_tatortgemeinde(path)
    assert len(r.rejects) == 0 and r.rows_read == 3
    f = r.frame.set_index(["ags", "offence_key"])
    assert f.loc[("15085235", "------"), "cases"] == 2318
    assert f.loc[("15085235", "899000"), "cases"] == 1204
    assert pd.isna(f.loc[("15085235", "899000"), "cleared"])
    assert f.loc[("15003000", "435*00"), "attempts"] == 200
    assert set(f["year"]) == {2023}
    assert list(r.frame["source_line"]) == [2, 3, 4]


def test_csv_in_german_notation_windows_1252(tmp_path):
    path = _csv(
        tmp_path,
        "15085235;2022;------;2.318;120;1.401",
        "15085235;2022;899000;1.204;;",
        "1001000;2022;------;17.655;1.002;9.999",  # a Schleswig-Holstein key that lost its leading zero
        encoding="cp1252",
    )
    assert classify(path) == "lka_tatortgemeinde"
    r = read_lka_tatortgemeinde(path)  # for Sachsen-Anhalt: the Schleswig-Holstein row is quarantined
    assert r.frame["cases"].tolist() == [2318, 1204]
    assert r.rejects["reason"].tolist() == ["Gemeinde of another Land: the delivery is for Land 15"]
    with config.land_of_run("01"):  # for Schleswig-Holstein: its key got its leading zero back
        r = read_lka_tatortgemeinde(path)
    assert r.frame["ags"].tolist() == ["01001000"] and r.frame["cases"].tolist() == [17655]


def test_damaged_rows_are_quarantined_with_line_and_reason(tmp_path):
    path = _csv(
        tmp_path,
        "15085235;2023;------;2.318;120;1.401",
        "1508523;2023;------;10;;",  # 7 digits: padded to 01508523, a real-looking key; the check compares it
        "15085X35;2023;------;10;;",
        "150852351;2023;------;10;;",
        "15085235;20233;899000;10;;",
        "15085235;2023;89900;10;;",
        "15085235;2023;892000;;;",
        "15085235;2023;674000;-4;;",
        "15085235;2023;435*00;12,5;;",
        "15085235;2023;****00;100;101;",
        "15085235;2023;621000;100;;130",
        "15085235;2023;------;2.318;120;1.401",
        "15085235;2023;222000;viele;;",
    )
    r = read_lka_tatortgemeinde(path)
    reasons = dict(zip(r.rejects["line"], r.rejects["reason"], strict=True))
    assert r.rows_read == 13 and r.rows_loaded == 1 and len(r.rejects) == 12
    assert "another Land" in reasons[3]  # padded to 01508523, a Gemeinde of Schleswig-Holstein
    assert "characters other than digits" in reasons[4]
    assert "9 digits, expected 8" in reasons[5]
    assert "Berichtsjahr" in reasons[6]
    assert "PKS key" in reasons[7]
    assert "cases (Fälle) is empty" in reasons[8]
    assert "non-negative whole number" in reasons[9]
    assert "non-negative whole number" in reasons[10]
    assert "more attempts than recorded cases" in reasons[11]
    assert "more cleared cases than recorded cases" in reasons[12]
    assert "second row for the same Gemeinde" in reasons[13]
    assert "not a number" in reasons[14]
    assert set(r.rejects["source_file"]) == {str(path)}
    assert r.frame["ags"].tolist() == ["15085235"]


def test_a_berichtsjahr_column_formatted_as_dates_is_read_as_the_years_typed(tmp_path):
    """Excel shows 2019 typed into a date-formatted cell as 11.07.1905; its serial number is the year."""
    path = _filled_template(
        tmp_path, [["15085235", 2019, "------", 2318, 120, 1401], ["15003000", None, "------", 5, None, None]]
    )
    wb = load_workbook(path)
    wb.worksheets[0]["B2"].number_format = "DD.MM.YYYY"
    wb.worksheets[0]["B3"].number_format = "DD.MM.YYYY"  # formatted, but empty: quarantined, no crash
    wb.save(path)
    r = read_lka_tatortgemeinde(path)
    assert r.frame["year"].tolist() == [2019] and r.frame["cases"].tolist() == [2318]
    assert "als Datum formatiert" in r.note
    assert r.rejects["field"].tolist() == ["year"] and r.rejects["line"].tolist() == [3]


def test_a_file_without_the_header_is_refused_with_its_name(tmp_path):
    path = tmp_path / "notizen.csv"
    path.write_text("Gemeinde;Fälle\nQuedlinburg;12\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"notizen\.csv.*not the LKA import format"):
        read_lka_tatortgemeinde(path)
    assert classify(path) != "lka_tatortgemeinde"
