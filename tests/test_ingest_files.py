"""The crime source reads every file it can and decides the year of each from its content: a copy saved
under another year's name never replaces the real year, and an unreadable file does not stop the rest."""

from __future__ import annotations

import shutil

import pytest

from praevention.errors import SourceFormatError
from praevention.ingest import load_crime_cases
from praevention.readers.pks import ALL_OFFENCES, LSA_TOTALS
from praevention.register.schema import LSA_KREISE


def _pks(shared_data, year):
    return next((shared_data / "crime" / "bka_pks_t01_kreise").glob(f"{year}_*"))


def _totals(load):
    frame = load.tables[0].source
    lsa = frame[(frame["offence_key"] == ALL_OFFENCES) & frame["ags"].isin(LSA_KREISE)]
    return lsa.groupby("year")["cases"].sum().to_dict()


def test_a_copy_under_another_years_name_is_loaded_once_as_its_own_year(shared_data, tmp_path):
    for year in (2016, 2017):
        shutil.copy(_pks(shared_data, year), tmp_path)
    copy = tmp_path / "2017_BKA-LKS-F-03-T01-Kreise_csv (Kopie).csv"
    shutil.copy(_pks(shared_data, 2016), copy)
    load = load_crime_cases(sorted(tmp_path.iterdir()))
    assert _totals(load) == {2016: LSA_TOTALS[2016], 2017: LSA_TOTALS[2017]}
    note = load.log.set_index("source_file").loc[str(copy), "note"]
    assert note.startswith("not loaded (duplicate)") and "2016" in note


def test_two_files_claiming_one_year_with_different_figures_stop_the_source(shared_data, tmp_path):
    real = tmp_path / _pks(shared_data, 2019).name
    shutil.copy(_pks(shared_data, 2019), real)
    misnamed = tmp_path / "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv (1).csv"
    shutil.copy(_pks(shared_data, 2018), misnamed)
    with pytest.raises(SourceFormatError) as err:
        load_crime_cases(sorted(tmp_path.iterdir()))
    assert real.name in str(err.value) and misnamed.name in str(err.value) and "2019" in str(err.value)
    # with the real 2018 file beside them, the copy is recognised as 2018's figures and loaded once
    shutil.copy(_pks(shared_data, 2018), tmp_path)
    assert _totals(load_crime_cases(sorted(tmp_path.iterdir()))) == {y: LSA_TOTALS[y] for y in (2018, 2019)}


def test_the_year_of_a_workbook_comes_from_its_berichtszeitraum(shared_data, tmp_path):
    misnamed = tmp_path / "2022_KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx"
    shutil.copy(_pks(shared_data, 2021), misnamed)
    load = load_crime_cases([misnamed])
    assert _totals(load) == {2021: LSA_TOTALS[2021]}
    assert "from the title block" in load.log["note"].iloc[0]


def test_an_unreadable_file_is_named_and_the_others_load(shared_data, tmp_path):
    shutil.copy(_pks(shared_data, 2016), tmp_path)
    broken = tmp_path / "2017_BKA-LKS-F-03-T01-Kreise_csv.csv"
    broken.write_text("Tabelle;irgendwas\n1;2\n", encoding="latin-1")
    load = load_crime_cases(sorted(tmp_path.iterdir()))
    assert _totals(load) == {2016: LSA_TOTALS[2016]}
    [line] = load.not_loaded()
    assert line.startswith(f"{broken}: ") and "unknown PKS layout" in line


def test_a_2013_table_lengthens_the_before_period(shared_data, tmp_path):
    """Years before 2014 reach the panel, and a measure started in 2015 gets 2013 in its before-period."""
    import datetime as dt

    import pandas as pd

    from praevention.evaluation.design import designs
    from praevention.evaluation.panel import pks_kreis_panel
    from tests.readers.pks_xls import write_pks_xls

    write_pks_xls(tmp_path / "2013_tb01_FaelleKriminalitaetsbetrachtungAufKreisebene_excel.xls", 2013)
    for year in (2014, 2016, 2017):
        shutil.copy(_pks(shared_data, year), tmp_path)
    load = load_crime_cases(sorted(tmp_path.iterdir()))
    crime = load.tables[0].source
    assert sorted(crime["year"].unique()) == [2013, 2014, 2016, 2017]
    panel = pks_kreis_panel(crime)
    available = panel.loc[panel["count"].notna(), ["unit_ags", "indicator", "year"]]
    measure = {
        "measure_id": "M1",
        "body_id": "B1",
        "label": "Streife",
        "group": "Präventionsrat",
        "start": dt.date(2016, 3, 1),
        "end": None,
        "pks_keys": ["899000"],
        "accident_groups": [],
        "domain": "crime",
        "ags": "15003000",
        "register_evaluable": True,
        "register_reason": None,
    }
    [design] = designs(pd.DataFrame([measure]), available, "15")
    assert design.before == (2013, 2014) and design.after == (2017,)


def test_an_input_output_error_names_the_file(tmp_path):
    """An OSError of the disk (EIO) names the file it happened on, and the other files are read on."""
    import errno

    import pandas as pd

    from praevention.ingest import read_files
    from praevention.readers.base import ReadResult

    good, bad = tmp_path / "2016_a.csv", tmp_path / "2017_b.csv"

    def reader(path):
        if path == bad:
            raise OSError(errno.EIO, "Input/output error")
        return ReadResult(str(path), pd.DataFrame({"x": [1]}))

    results, failed = read_files([good, bad], reader)
    assert [r.source_file for r in results] == [str(good)]
    assert failed[0]["source_file"] == str(bad) and "Input/output error (errno 5)" in failed[0]["note"]


def test_ingest_reads_a_latin1_file_name_inside_a_linked_folder(shared_data, tmp_path, capsys):
    """The whole `praevention ingest`: a PKS table whose name holds a latin-1 byte, in a folder reached
    through a symbolic link, is found, loaded and named readably; nothing fails on the name."""
    import os

    import duckdb

    from pipelines.cli import main

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    name = os.fsdecode(b"2019_Kreise_F\xe4lle_csv.csv")
    shutil.copy(_pks(shared_data, 2019), elsewhere / name)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "crime").symlink_to(elsewhere, target_is_directory=True)
    warehouse = tmp_path / "w.duckdb"
    main(["ingest", "--raw-dir", str(raw), "--warehouse", str(warehouse)])  # other sources are empty: exit 1
    err = capsys.readouterr().err
    assert "UnicodeEncodeError" not in err and "error in crime_cases" not in err
    con = duckdb.connect(str(warehouse), read_only=True)
    files = con.execute("SELECT DISTINCT source_file FROM crime_cases").fetchall()
    con.close()
    assert [f for (f,) in files] == ["crime/2019_Kreise_Fälle_csv.csv"]  # relative to the raw-data folder


def test_a_read_error_while_fingerprinting_names_the_file(tmp_path, monkeypatch):
    import errno
    import io

    from praevention import digest

    path = tmp_path / "2016_a.csv"
    path.write_text("x")

    class Failing(io.BytesIO):
        def read(self, *args):
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: Failing())
    with pytest.raises(OSError) as err:
        digest._file_digest(path, 1, 1)
    assert str(path) in str(err.value) and "Input/output error" in str(err.value)
