"""``praevention survey template DIR``: the questionnaire PDF, the online-form table and the import workbook,
all from the one questionnaire file; a filled workbook loads through the real reader."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pypdf
import pytest
import yaml
from openpyxl import load_workbook

from pipelines.cli import main
from praevention.survey.load import load_surveys
from praevention.survey.questionnaire import QUESTIONNAIRE, parse, questionnaire


def test_the_questionnaire_names_a_source_for_every_item_and_one_headline() -> None:
    q = questionnaire()
    assert q.headline.code == "SG01" and q.headline.scale == {
        1: "sehr sicher",
        2: "eher sicher",
        3: "eher unsicher",
        4: "sehr unsicher",
    }
    assert {i.section for i in q.items} == {
        "Sicherheitsgefühl",
        "Sorgen",
        "Verhalten",
        "Wohngegend",
        "Vertrauen",
        "Erfahrungen",
    }
    assert all(i.sources and i.wording_basis in ("wörtlich", "angelehnt") for i in q.items)
    assert [w.variable for w in q.weighting] == ["age_group", "gender", "ortsteil"]
    assert len(set(q.codes)) == len(q.codes)


def test_a_broken_questionnaire_file_is_refused() -> None:
    doc = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    doc["items"][1]["share_codes"] = [7]
    with pytest.raises(ValueError, match="share codes"):
        parse(doc)
    doc = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    doc["items"][1]["headline"] = True
    with pytest.raises(ValueError, match="exactly one headline"):
        parse(doc)


def test_survey_template_writes_pdf_form_table_and_import_workbook(tmp_path: Path, capsys) -> None:
    out = tmp_path / "umfrage"
    assert main(["survey", "template", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "fragebogen.pdf",
        "onlineformular.csv",
        "onlineformular.xlsx",
        "umfrage_import.xlsx",
    ]
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out / "fragebogen.pdf").pages)
    assert "Wie sicher fühlen Sie sich nachts ohne Begleitung in Ihrer Wohngegend?" in text
    assert "Viktimisierungssurvey" in text and "Name" in text
    rows = list(csv.reader((out / "onlineformular.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["Fragecode", "Block", "Frage"]
    assert [rows[4][0], rows[4][4], rows[4][5]] == ["SG01", "4", "sehr unsicher"]
    wb = load_workbook(out / "umfrage_import.xlsx")
    assert wb.sheetnames == ["Antworten", "Anteile", "Ränder", "Anleitung"]
    assert [c.value for c in wb["Antworten"][1]][:4] == ["AGS", "Welle", "Befragten-ID", "Gewicht"]
    # a second call does not overwrite without --force, and says so in German
    assert main(["survey", "template", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["survey", "template", str(out), "--force"]) == 0


def test_a_filled_import_workbook_loads(tmp_path: Path) -> None:
    assert main(["survey", "template", str(tmp_path)]) == 0
    path = tmp_path / "umfrage_import.xlsx"
    wb = load_workbook(path)
    header = [c.value for c in wb["Antworten"][1]]
    for r, values in enumerate(
        [
            {"AGS": "15003000", "Welle": "10/2023", "Befragten-ID": "1", "SG01": 3, "ALTER": 2, "GESCHLECHT": 1},
            {"AGS": "15003000", "Welle": "10/2023", "Befragten-ID": "2", "SG01": 1, "ALTER": 4, "GESCHLECHT": 2},
        ],
        start=2,
    ):
        for c, h in enumerate(header, start=1):
            wb["Antworten"].cell(r, c, values.get(h))
    for r, values in enumerate([["15003000", "2021", "SG01", 3, 55], ["15003000", "2021", "SG01", 4, 45]], start=2):
        for c, v in enumerate([*values, 120], start=1):
            wb["Anteile"].cell(r, c, v)
    wb.save(path)
    load = load_surveys([path], dt.date(2026, 11, 30))
    tables = {t.name: t.source for t in load.tables}
    assert len(tables["survey_responses"]) == 2 and len(tables["survey_aggregates"]) == 2
    assert load.rows_read == 4 and len(load.rejects) == 0
