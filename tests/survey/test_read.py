"""The survey import: both forms read, and damaged files give clear German messages naming file, row and
problem, with every bad row quarantined (rows read = loaded + quarantined) and no free text stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from praevention.discovery import classify
from praevention.errors import SourceFormatError
from praevention.survey.load import load_surveys
from praevention.survey.read import parse_wave, read_survey

TODAY = dt.date(2026, 11, 30)
RESP = "AGS;Welle;Befragten-ID;SG01;SG02A;ALTER;GESCHLECHT"
AGG = "AGS;Welle;Frage;Antwort;Anteil (%);n"


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_answers(n: int = 5, wave: str = "10/2023", ags: str = "15003000") -> list[str]:
    return [RESP, *(f"{ags};{wave};{i};{1 + i % 4};2;{1 + i % 5};{1 + i % 2}" for i in range(1, n + 1))]


def good_shares(ags: str = "15003000", wave: str = "2021") -> list[str]:
    return [AGG, *(f"{ags};{wave};SG01;{c};{s};400" for c, s in ((1, "20"), (2, "40,5"), (3, "24,5"), (4, "15")))]


def reasons(path: Path) -> list[tuple[int, str, str]]:
    out = []
    for r in read_survey(path, TODAY):
        assert r.rows_read == r.rows_loaded + len(r.rejects)
        out += [(int(x.line), str(x.field), str(x.reason)) for x in r.rejects.itertuples()]
    return out


def test_both_forms_load_and_are_recognised(tmp_path: Path) -> None:
    a = write(tmp_path, "antworten.csv", good_answers())
    b = write(tmp_path, "anteile.csv", good_shares())
    assert classify(a) == classify(b) == "survey"
    (resp,) = read_survey(a, TODAY)
    assert resp.rows_loaded == 5 and set(resp.frame["item"]) == {"SG01", "SG02A"}
    assert resp.frame["wave_date"].iloc[0] == dt.date(2023, 10, 1)
    assert resp.frame["age_group"].notna().all() and resp.frame["weight"].isna().all()
    (agg,) = read_survey(b, TODAY)
    assert agg.rows_loaded == 4 and agg.frame["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "lines", "line", "field", "message"),
    [
        (
            "code_outside_scale.csv",
            [RESP, "15003000;10/2023;1;7;2;1;1"],
            2,
            "SG01",
            "SG01: Antwort '7' liegt außerhalb der Skala 1–4",
        ),
        (
            "gender_outside_scale.csv",
            [RESP, "15003000;10/2023;1;2;2;1;5"],
            2,
            "GESCHLECHT",
            "GESCHLECHT: Antwort '5' liegt außerhalb der Skala",
        ),
        (
            "missing_n.csv",
            [AGG, "15003000;2021;SG01;1;50;", "15003000;2021;SG01;2;50;300"],
            2,
            "n",
            "n fehlt",
        ),
        ("n_not_whole.csv", [AGG, "15003000;2021;SG01;1;100;12,5"], 2, "n", "n '12,5' ist keine ganze Zahl"),
        (
            "shares_do_not_add_up.csv",
            [AGG, *(f"15003000;2021;SG01;{c};20;300" for c in (1, 2, 3, 4))],
            2,
            "share",
            "Anteile von SG01 (Welle 01.01.2021) ergeben 80,0 % statt 100 %",
        ),
        (
            "shares_above_100.csv",
            [AGG, "15003000;2021;SG01;3;70;300", "15003000;2021;SG01;4;45;300"],
            2,
            "share",
            "ergeben mehr als 100 %",
        ),
        (
            "share_not_a_number.csv",
            [AGG, "15003000;2021;SG01;1;viel;300"],
            2,
            "share",
            "Anteil 'viel' ist keine Zahl zwischen 0 und 100",
        ),
        (
            "duplicated_id.csv",
            [RESP, "15003000;10/2023;17;1;2;1;1", "15003000;10/2023;17;4;4;5;2"],
            3,
            "respondent_id",
            "Befragten-ID 17 kommt in dieser Welle mehrfach mit verschiedenen Antworten vor (Zeilen 2, 3)",
        ),
        (
            "name_as_id.csv",
            [RESP, "15003000;10/2023;Frau Erika Muster;1;2;1;1"],
            2,
            "respondent_id",
            "ist keine Kennung",
        ),
        ("bad_wave.csv", [RESP, "15003000;irgendwann;1;1;2;1;1"], 2, "wave_date", "Welle 'irgendwann' ist kein Datum"),
        ("future_wave.csv", [RESP, "15003000;2031;1;1;2;1;1"], 2, "wave_date", "liegt nicht zwischen 1990 und heute"),
        ("bad_ags.csv", [RESP, "15A03000;10/2023;1;1;2;1;1"], 2, "ags", "AGS '15A03000' ist kein Gemeindeschlüssel"),
        (
            "unknown_item.csv",
            [AGG, "15003000;2021;SG99;1;100;300"],
            2,
            "item",
            "Frage 'SG99' gibt es im Fragebogen nicht",
        ),
        (
            "n_differs.csv",
            [AGG, "15003000;2021;SG03A;1;40;300", "15003000;2021;SG03A;2;60;280"],
            2,
            "share",
            "SG03A (Welle 01.01.2021): n unterscheidet sich zwischen den Antworten (280, 300)",
        ),
        ("no_answer.csv", [RESP, "15003000;10/2023;1;;;1;1"], 2, "item", "keine Antwort auf eine der Fragen"),
    ],
)
def test_damaged_files_are_quarantined_with_a_clear_reason(
    tmp_path: Path, name: str, lines: list[str], line: int, field: str, message: str
) -> None:
    path = write(tmp_path, name, lines)
    found = reasons(path)
    assert any(ln == line and f == field and message in why for ln, f, why in found), found


def test_an_identical_row_pasted_twice_is_quarantined_once(tmp_path: Path) -> None:
    path = write(tmp_path, "twice.csv", [RESP, "15003000;10/2023;5;2;2;3;2", "15003000;10/2023;5;2;2;3;2"])
    (r,) = read_survey(path, TODAY)
    assert r.rows_loaded == 1
    assert "Zeile wiederholt Zeile 2" in r.rejects["reason"].iloc[0]


def test_a_file_in_no_survey_form_names_the_file_and_what_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "kaputt.csv", ["Name;Meinung", "Meier;alles gut"])
    with pytest.raises(SourceFormatError) as err:
        read_survey(path, TODAY)
    assert "kaputt.csv" in str(err.value) and "kein Umfrageformat" in str(err.value)


def test_free_text_columns_are_never_read_nor_quarantined(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "freitext.csv",
        [
            RESP + ";Anmerkung",
            "15003000;10/2023;1;1;2;1;1;ruft Herrn Müller an 0171 1234567",
            "15003000;10/2023;2;9;2;1;1;geheim",
        ],
    )
    (r,) = read_survey(path, TODAY)
    assert "Anmerkung" in r.note
    stored = " ".join(map(str, [*r.frame.astype(str).to_numpy().ravel(), *r.rejects.astype(str).to_numpy().ravel()]))
    assert "Müller" not in stored and "0171" not in stored and "geheim" not in stored


def test_a_wave_in_two_files_is_taken_from_one_and_the_other_quarantined(tmp_path: Path) -> None:
    a = write(tmp_path, "a_antworten.csv", good_answers(3))
    b = write(tmp_path, "b_anteile.csv", good_shares(wave="10/2023"))
    c = write(tmp_path, "c_kopie.csv", good_answers(3))
    load = load_surveys([a, b, c], TODAY)
    tables = {t.name: t.source for t in load.tables}
    assert len(tables["survey_responses"]) == 6 and set(tables["survey_responses"]["source_file"]) == {str(a)}
    assert len(tables["survey_aggregates"]) == 0
    assert len(load.rejects) == 4 + 3
    assert load.rejects["reason"].str.contains(f"Welle 01.10.2023 für AGS 15003000 liegt schon aus {a} vor").all()
    assert load.rows_read == load.rows_loaded + len(load.rejects)


def test_an_unreadable_file_is_named_and_the_others_load(tmp_path: Path) -> None:
    good = write(tmp_path, "gut.csv", good_answers(2))
    bad = tmp_path / "kaputt.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    load = load_surveys([good, bad], TODAY)
    assert load.rows_loaded == 2
    assert any("kaputt.xlsx" in line for line in load.not_loaded())


def test_margins_must_be_complete_but_may_leave_out_divers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "raender.csv",
        [
            "AGS;Welle;Merkmal;Antwort;Anteil (%)",
            "15003000;;GESCHLECHT;1;51",
            "15003000;;GESCHLECHT;2;49",
            "15003000;;ALTER;1;50",
            "15003000;;ALTER;2;50",
        ],
    )
    (r,) = read_survey(path, TODAY)
    assert set(r.frame["variable"]) == {"GESCHLECHT"} and r.frame["wave_date"].isna().all()
    assert (r.rejects["reason"] == "Anteile von ALTER ergeben 100,0 % statt 100 %").sum() == 0
    assert r.rejects["reason"].str.contains("ALTER: Anteile fehlen für 45 bis 59 Jahre").all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01.10.2023", dt.date(2023, 10, 1)),
        ("2023-10-15", dt.date(2023, 10, 15)),
        ("10/2023", dt.date(2023, 10, 1)),
        ("2023-10", dt.date(2023, 10, 1)),
        ("Oktober 2023", dt.date(2023, 10, 1)),
        ("März 2021", dt.date(2021, 3, 1)),
        ("2019", dt.date(2019, 1, 1)),
    ],
)
def test_waves_are_read_as_people_write_them(text: str, expected: dt.date) -> None:
    assert parse_wave(text, TODAY) == expected


def test_the_empty_import_template_is_recognised_and_loads_nothing(tmp_path: Path) -> None:
    from praevention.files import write_document
    from praevention.render.questionnaire import import_workbook
    from praevention.survey.questionnaire import questionnaire

    path = write_document(tmp_path / "vorlage.xlsx", import_workbook(questionnaire()))
    assert classify(path) == "survey"
    load = load_surveys([path], TODAY)
    assert load.rows_read == 0 and not load.not_loaded()
    assert all(isinstance(t.source, pd.DataFrame) and t.source.empty for t in load.tables)
