"""Every error a user can cause is one German line naming the file, the line and the fix; damage is loud.

Settings with unknown values, a damaged Dagster instance, control characters in file names, files the
pipeline may not read, blocking checks that name their first rows, ``--annotate`` onto its own input,
and a register without a measure in the Land."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from pipelines.cli import main
from praevention import config
from praevention.errors import PipelineError, SourceFormatError, printable
from praevention.warehouse import offending_lines


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PRAEVENTION_REGIONS", "landkreise", "unbekannter Wert 'landkreise' für PRAEVENTION_REGIONS"),
        ("PRAEVENTION_LAND", "17", "unbekannter Wert '17' für PRAEVENTION_LAND"),
        ("PRAEVENTION_LAND", "Sachsen-Anhalt", "unbekannter Wert 'Sachsen-Anhalt' für PRAEVENTION_LAND"),
        ("PRAEVENTION_SYNTHETIC", "ja", "unbekannter Wert 'ja' für PRAEVENTION_SYNTHETIC"),
    ],
)
def test_an_unknown_setting_is_one_german_line(variable, value, expected, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv(variable, value)
    (tmp_path / "raw").mkdir()
    code = main(["run", "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and expected in err[0] and "erlaubt ist" in err[0], err
    assert not (tmp_path / "out").exists()


def test_known_settings_and_the_land_of_a_run() -> None:
    assert config.regions("kreise") == "kreise" and config.land("99") == "99"
    with config.land_of_run("99"):
        assert config.land() == "99"
    assert config.land() == os.environ.get("PRAEVENTION_LAND", "15")
    with pytest.raises(PipelineError):
        config.regions("Kreise")


def test_a_damaged_instance_database_names_the_file_and_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    home = tmp_path / "dagster_home"
    (home / "history").mkdir(parents=True)
    (home / "history" / "runs.db").write_bytes(b"this is no database" * 10)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    (tmp_path / "raw").mkdir()
    code = main(
        [
            "run",
            "--raw-dir",
            str(tmp_path / "raw"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert err[-1].startswith(f"praevention: Fehler: {home / 'history' / 'runs.db'}: die Datenbank der Dagster-Instanz")
    assert "DAGSTER_HOME" in err[-1] and "Traceback" not in "\n".join(err)


def test_control_characters_in_a_file_name_cannot_forge_output_lines(tmp_path, capsys) -> None:
    name = "fälle\npraevention: done in 1.0 s\x1b[2J.csv"
    assert "\n" not in printable(name) and "\x1b" not in printable(name)
    assert "\n" not in str(SourceFormatError(name, "Problem\r\nzweite Zeile", line=3))
    from pipelines.commands.pipeline import Context

    raw = tmp_path / "raw"
    (raw / "crime").mkdir(parents=True)
    (raw / "crime" / name).write_text("irgendwas;anderes\n1;2\n", encoding="utf-8")
    Context(raw, tmp_path / "w.duckdb", tmp_path / "out", None).report_unrecognised()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "praevention: done" in err and "\\n" in err and "\\x1b" in err, err


def test_a_file_the_pipeline_may_not_read_is_named_with_keine_leseberechtigung(tmp_path, monkeypatch) -> None:
    """As root every file is readable, so the denied open is simulated where discovery opens a file."""
    from praevention import discovery
    from praevention.ingest import file_problem

    raw = tmp_path / "raw"
    (raw / "crime").mkdir(parents=True)
    denied = raw / "crime" / "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"
    denied.write_text("x", encoding="utf-8")

    def classify(path: Path, size: int, mtime_ns: int):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(discovery, "_classify_cached", classify)
    found = discovery.discover(raw)
    assert found.not_loaded() == [denied]
    assert found.why_not_loaded(denied).startswith("keine Leseberechtigung") and "chmod" in found.why_not_loaded(denied)
    assert file_problem(PermissionError(13, "Permission denied")).startswith("keine Leseberechtigung")


def test_a_blocking_check_names_its_first_rows_with_file_and_line(tmp_path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(
        "CREATE TABLE crime_cases AS SELECT * FROM (VALUES (2022, '15003', '------', 10, 'crime/2022.csv', 5), "
        "(2022, '15003', '------', 11, 'crime/2022 (1).csv', 9), (2022, '15002', '------', 3, 'crime/2022.csv', 4)) "
        "t(year, ags, offence_key, cases, source_file, source_line)"
    )
    bad = con.execute("SELECT year, ags, offence_key, count(*) AS n FROM crime_cases GROUP BY ALL HAVING n > 1").df()
    lines = offending_lines(con, bad, "crime_cases", ("year", "ags", "offence_key"))
    assert lines == [
        "crime/2022 (1).csv, Zeile 9: year 2022, ags 15003, offence_key ------, n 2",
        "crime/2022.csv, Zeile 5: year 2022, ags 15003, offence_key ------, n 2",
    ]
    own = pd.DataFrame({"year": [2019], "source_file": ["crime/2019.csv"], "rows": [16842]})
    assert offending_lines(con, own) == ["crime/2019.csv: year 2019, rows 16842"]
    assert offending_lines(con, pd.DataFrame({"missing_year": [2018]})) == ["missing_year 2018"]


def test_annotate_never_overwrites_its_input_and_writes_no_live_formula(tmp_path, capsys) -> None:
    from tests.register.conftest import BODY, MEASURE, register_xlsx, sheet, write_csv

    book = register_xlsx(tmp_path / "register.xlsx", [BODY], [MEASURE])
    before = book.read_bytes()
    for target in (book, tmp_path / "." / "register.xlsx"):
        assert main(["register", "check", str(book), "--annotate", str(target)]) == 2
        assert "würde das Original überschreiben" in capsys.readouterr().err
        assert book.read_bytes() == before
    link = tmp_path / "kopie.xlsx"
    link.symlink_to(book)
    assert main(["register", "check", str(book), "--annotate", str(link)]) == 2 and book.read_bytes() == before
    capsys.readouterr()
    # values of a CSV register that a spreadsheet would run: text in the list of messages
    bodies = write_csv(tmp_path / "gremien.csv", sheet("bodies", [{**BODY, "status": '=WEBSERVICE("http://x")'}]))
    measures = write_csv(tmp_path / "massnahmen.csv", sheet("measures", [{**MEASURE, "domain": "@HYPERLINK(1)"}]))
    out = tmp_path / "geprueft.xlsx"
    main(["register", "check", str(bodies), str(measures), "--annotate", str(out)])
    summary = openpyxl.load_workbook(out)["Prüfbericht"]
    cells = [c for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.data_type == "f" or c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.value.startswith("'=WEBSERVICE") for c in cells)


def test_a_register_without_a_measure_in_the_land_evaluates_to_an_empty_table() -> None:
    """A Land whose register holds no body (a key set to another Land) once ended in KeyError: 'evaluable'."""
    from praevention.evaluation.evaluate import evaluate
    from praevention.evaluation.inputs import EvaluationData
    from praevention.register.schema import BODY_TYPES_SQL, MEASURE_TYPES_SQL
    from praevention.render.verdict import add_verdicts

    panel = pd.DataFrame(
        {
            "unit_ags": ["15003"] * 3,
            "unit_level": "Kreis",
            "indicator": "pks:------",
            "indicator_label": "Straftaten insgesamt",
            "year": [2019, 2020, 2021],
            "month": None,
            "count": [100.0, 90.0, 95.0],
            "population": 230_000.0,
        }
    )
    bodies, measures = pd.DataFrame(columns=list(BODY_TYPES_SQL)), pd.DataFrame(columns=list(MEASURE_TYPES_SQL))
    effects, pooled, designs = evaluate(EvaluationData(panel, {}, "99"), bodies, measures)
    effects, pooled = add_verdicts(effects, pooled, bodies, measures, {}, {}, {})
    head = effects[effects["headline"]]
    assert designs == [] and head.empty and "evaluable" in head.columns and int(head["evaluable"].sum()) == 0


def test_a_file_loaded_short_gets_one_summary_line(tmp_path) -> None:
    """Shares a spreadsheet turned into dates quarantine rows of a year: the run says so in one line."""
    from praevention.ingest import load_crime_cases
    from tests.reliability.corpus import PKS_CSV, _pks, _shares_as_dates

    _pks(_shares_as_dates)(tmp_path)
    load = load_crime_cases([tmp_path / "crime" / PKS_CSV.name])
    (line,) = load.quarantine_summary()
    assert line.startswith(f"{tmp_path / 'crime' / PKS_CSV.name}: 588 von 16.842 Zeilen in Quarantäne (3 %)"), line
    assert "am häufigsten Zeile " in line and "turned into a date by a spreadsheet" in line
