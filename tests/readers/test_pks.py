"""PKS T01 Kreise reader: every real year, and small fixtures for each layout quirk."""

from __future__ import annotations

import pandas as pd
import pytest

from praevention.errors import SourceFormatError
from praevention.readers.pks import ALL_OFFENCES, LSA_TOTALS, read_pks, year_from_path
from praevention.register.schema import LSA_KREISE

# (data rows, Kreise, offence keys) per year, PROVENANCE-crime-councils.md §1
EXPECTED = {
    2014: (16080, 402, 40),
    2015: (16482, 402, 41),
    2016: (16482, 402, 41),
    2017: (16441, 401, 41),
    2018: (16842, 401, 42),
    2019: (16842, 401, 42),
    2020: (16842, 401, 42),
    2021: (16441, 401, 41),
    2022: (16400, 400, 41),
    2023: (16800, 400, 42),
    2024: (16400, 400, 41),
}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_real_file_counts_and_lsa_total(shared_data, year):
    path = next((shared_data / "crime" / "bka_pks_t01_kreise").glob(f"{year}_*"))
    result = read_pks(path)
    frame = result.frame
    rows, kreise, keys = EXPECTED[year]
    assert len(frame) == rows and len(result.rejects) == 0
    assert frame["ags"].nunique() == kreise
    assert frame["offence_key"].nunique() == keys
    assert (frame["year"] == year).all()
    assert frame["ags"].str.fullmatch(r"\d{5}").all()
    total = frame[(frame["offence_key"] == ALL_OFFENCES) & frame["ags"].isin(LSA_KREISE)]["cases"].sum()
    assert total == LSA_TOTALS[year]


def test_real_quirks(shared_data):
    folder = shared_data / "crime" / "bka_pks_t01_kreise"
    y2020 = read_pks(next(folder.glob("2020_*"))).frame
    flensburg = y2020[(y2020["ags"] == "01001") & (y2020["offence_key"] == ALL_OFFENCES)].iloc[0]
    assert flensburg["cases"] == 8380 and flensburg["population_published"] == 90164
    y2024 = read_pks(next(folder.glob("2024_*"))).frame
    assert set(y2024["hz_basis"]) == {"HZ nach Zensus 2022"}
    assert y2024["hz"].iloc[0] == pytest.approx(9013.698914249568)  # xlsx keeps the unrounded HZ
    y2022 = read_pks(next(folder.glob("2022_*")))
    assert "#DIV/0!" in y2022.note  # shares with a zero denominator are empty, not rejected
    assert y2022.frame["attempts_pct"].isna().sum() == 803


HEADER_2016 = (
    "Schluesse;Straftat;Gemeindeschluessel;Stadt-/Landkreis;Kreisart;erfasste Faelle;HZ nach Zensus;"
    "Versuche - Anzahl;Versuche - Anteil in %;mit Schusswaffe gedroht;mit Schusswaffe geschossen;"
    "aufgeklaerte Faelle;Aufklaerungsquote;Tatverdaechtige insgesamt;Tatverdaechtige - maennlich;"
    "Tatverdaechtige - weiblich;Nichtdeutsche Tatverdaechtige - Anzahl;Nichtdeutsche Tatverdaechtige - Anteil in %"
)
NUMBERS = ";".join(str(i) for i in range(1, 19))


def write(tmp_path, name, lines, encoding="latin-1", newline="\r\n"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def test_csv_with_thousands_commas_and_lost_zero(tmp_path):
    path = write(
        tmp_path,
        "2016_x.csv",
        [
            NUMBERS,
            HEADER_2016,
            "------;Straftaten insgesamt;1001;Flensburg;KfS;9,993;11,628;794;7.9;20;11;5,638;56.4;3,966;3,000;966;1,355;34.2",
        ],
    )
    row = read_pks(path).frame.iloc[0]
    assert row["ags"] == "01001" and row["cases"] == 9993 and row["hz"] == 11628 and row["suspects"] == 3966
    assert row["year"] == 2016 and row["kreis_type"] == "KfS"


def test_2015_second_number_line_and_2014_umlauts(tmp_path):
    y2015 = write(
        tmp_path,
        "2015_t.csv",
        [
            NUMBERS,
            HEADER_2016,
            "1;2;3;4;5;6;7;8;9.0;10;11;12;13.0;14;15;16;17;18.0",
            "------;Straftaten insgesamt;1001;Flensburg;KfS;10828;12785;864;8.0;14;13;6523;60.2;4866;3746;1120;2210;45.4",
        ],
    )
    r = read_pks(y2015)
    assert len(r.frame) == 1 and r.rows_read == 1 and r.frame["hz"].iloc[0] == 12785
    header_2014 = (
        "Schlüsselzahl der Tat;Straftat;Gemeindeschlüssel;Stadt-/Landkreis;erfasste Fälle;HZ;Versuche - Anzahl;"
        "Versuche - Anteil in %;mit Schusswaffe gedroht;mit Schusswaffe geschossen;aufgeklärte Fälle;"
        "Aufklärungsquote;Tatverdächtige insgesamt;Tatverdächtige - männlich;Tatverdächtige - weiblich;"
        "Nichtdeutsche Tatverdächtige - Anzahl;Nichtdeutsche Tatverdächtige - Anteil in %"
    )
    y2014 = write(
        tmp_path,
        "2014_t.csv",
        [
            "1;2;2a;2b;3;4.0;5;6;12;13;14;15;16;17;18;19;20",
            header_2014,
            "435*00;Wohnungseinbruchdiebstahl;15003;Magdeburg;501;212.4;200;39.9;0;0;80;16.0;60;50;10;20;33.3",
        ],
    )
    row = read_pks(y2014).frame.iloc[0]
    assert row["offence_key"] == "435*00" and row["cases"] == 501 and row["hz"] == pytest.approx(212.4)
    assert row["kreis_type"] is None or row["kreis_type"] != row["kreis_type"]  # no Kreisart in 2014


def test_german_number_format_is_recognised(tmp_path):
    path = write(
        tmp_path,
        "2019_de.csv",
        [
            NUMBERS,
            HEADER_2016,
            "------;Straftaten insgesamt;15003;Magdeburg;KfS;24.584;10.299,5;1.000;4,1;0;0;12.000;48,8;9.000;7.000;2.000;3.000;33,3",
        ],
    )
    row = read_pks(path).frame.iloc[0]
    assert (
        row["cases"] == 24584 and row["hz"] == pytest.approx(10299.5) and row["clearance_rate"] == pytest.approx(48.8)
    )


def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path):
    good = "------;Straftaten insgesamt;15003;Magdeburg;KfS;100;10;1;1.0;0;0;50;50.0;40;30;10;5;12.5"
    path = write(
        tmp_path,
        "2019_bad.csv",
        [
            NUMBERS,
            HEADER_2016,
            good,
            good.replace(";100;", ";-5;"),
            good.replace("15003", "15X03"),
            good.replace(";100;", ";abc;"),
            good[:40],  # truncated line
            good,
        ],
    )  # duplicate key
    r = read_pks(path)
    assert len(r.frame) == 1
    reasons = dict(zip(r.rejects["line"], r.rejects["reason"], strict=True))
    assert "non-negative" in reasons[4]
    assert "Kreis key" in reasons[5]
    assert "not a number" in reasons[6]
    assert "fields" in reasons[7]
    assert "duplicate" in reasons[8]
    assert r.rows_read == 6 == len(r.frame) + len(r.rejects)


def test_unknown_layouts_fail_clearly(tmp_path):
    other = write(tmp_path, "2019_other.csv", ["a;b;c", "1;2;3"])
    with pytest.raises(SourceFormatError, match="unknown PKS layout"):
        read_pks(other)
    biff = tmp_path / "2013_tb01.xls"
    biff.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(SourceFormatError, match="not a readable workbook"):
        read_pks(biff)
    no_year = write(tmp_path, "tabelle.csv", [NUMBERS, HEADER_2016])
    with pytest.raises(SourceFormatError, match="reporting year"):
        read_pks(no_year)


def test_xlsx_multirow_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Polizeiliche Kriminalstatistik"])
    ws.append(["Berichtszeitraum: 01.01.2023 bis 31.12.2023"])
    ws.append(
        [
            "Schlüssel",
            "Straftat",
            "Gemeinde-schlüssel",
            "Stadt-/Landkreis",
            "Kreisart",
            "Anzahl erfasste Fälle",
            "HZ",
            "erfasste Fälle davon: Versuche",
            None,
            "Aufklärung",
            None,
        ]
    )
    ws.append([None, None, None, None, None, None, None, "Anzahl", "in %", "Anzahl Fälle", "AQ"])
    ws.append(list(range(1, 12)))
    ws.append(["435*00", "Wohnungseinbruchdiebstahl", "15002", "Halle (Saale)", "KfS", 300, 125.5, 100, 33.3, 30, 10.0])
    path = tmp_path / "KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx"
    wb.save(path)
    row = read_pks(path).frame.iloc[0]
    assert row["year"] == 2023 and row["cases"] == 300 and row["attempts"] == 100
    assert row["attempts_pct"] == pytest.approx(33.3) and row["cleared"] == 30 and row["clearance_rate"] == 10.0


def test_year_from_official_download_tree(tmp_path):
    path = tmp_path / "2018" / "BKA-LKS-F-03-T01-Kreise_csv.csv"
    assert year_from_path(path) == 2018


# ------------------------------------------------------------------ number format decided per column
def _lines(path):
    return path.read_bytes().decode("latin-1").split("\r\n")


def _save(tmp_path, name, lines):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode("latin-1"))
    return path


def _compare(damaged, original, skip_lines=()):
    """Every row of the original loads with the same figures from the damaged copy, except ``skip_lines``."""
    a = damaged.frame.set_index(["ags", "offence_key"])
    b = original.frame[~original.frame["source_line"].isin(skip_lines)].set_index(["ags", "offence_key"])
    assert len(a) == len(b)
    for c in ("cases", "hz", "attempts_pct", "clearance_rate", "suspects"):
        pd.testing.assert_series_equal(a.loc[b.index, c].astype(float), b[c].astype(float), check_names=False)


def test_one_grouped_count_in_a_file_without_grouping_quarantines_that_row_only(shared_data, tmp_path):
    src = next((shared_data / "crime" / "bka_pks_t01_kreise").glob("2014_*"))
    lines = _lines(src)
    assert lines[2].split(";")[4] == "9754"  # Flensburg, all offences
    cells = lines[2].split(";")
    cells[4] = "9.754"
    damaged = read_pks(_save(tmp_path, src.name, [lines[0], lines[1], ";".join(cells), *lines[3:]]))
    assert list(damaged.rejects["line"]) == [3] and "cases" in damaged.rejects["reason"].iloc[0]
    _compare(damaged, read_pks(src), skip_lines=(3,))


def test_separators_swapped_throughout_a_file_still_load_exactly(shared_data, tmp_path):
    src = next((shared_data / "crime" / "bka_pks_t01_kreise").glob("2019_*"))
    lines = _lines(src)
    swap = str.maketrans({",": ".", ".": ","})
    damaged = read_pks(_save(tmp_path, src.name, [*lines[:2], *(line.translate(swap) for line in lines[2:])]))
    assert len(damaged.rejects) == 0
    _compare(damaged, read_pks(src))


def test_a_text_cell_in_a_workbook_quarantines_that_row_only(shared_data, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = next((shared_data / "crime" / "bka_pks_t01_kreise").glob("2024_*"))
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    ws.cell(row=12, column=6).value = "1.234"  # erfasste Fälle of the third data row, as text
    path = tmp_path / src.name
    wb.save(path)
    damaged = read_pks(path)
    assert list(damaged.rejects["line"]) == [12]
    original = read_pks(src)
    _compare(damaged, original, skip_lines=(12,))
    assert damaged.frame["hz"].max() == original.frame["hz"].max() < 100_000


# ------------------------------------------------------------------ Excel 97 (BIFF) layout of 2013
@pytest.mark.parametrize("header", ["two-row", "four-row"])
def test_legacy_xls_layout_loads_with_exact_totals(tmp_path, header):
    """Both header layouts, the four-row one as the BKA published 2013: words broken over rows by hyphens
    ("Kreis-" / "schlüs-" / "sel"), the column numbers in the fourth row."""
    from praevention.discovery import classify
    from tests.readers.pks_xls import write_pks_xls

    path = tmp_path / "tabelle_kreise.xls"  # a neutral name: recognised by its content
    expected = write_pks_xls(path, 2013, header=header)
    assert classify(path) == "pks_t01"
    result = read_pks(path)
    assert len(result.rejects) == 0 and result.year_from.startswith("content")
    frame = result.frame
    assert (frame["year"] == 2013).all() and set(frame["hz_basis"]) == {"HZ nach Zensus 2011"}
    got = frame.set_index(["ags", "offence_key"])
    want = expected.set_index(["ags", "offence_key"])
    for column in want.columns:
        if column in ("offence_label", "kreis_name", "kreis_type"):
            assert (got.loc[want.index, column] == want[column]).all(), column
        else:
            assert got.loc[want.index, column].astype(float).tolist() == want[column].astype(float).tolist(), column
    lsa = frame[(frame["offence_key"] == ALL_OFFENCES) & frame["ags"].isin(LSA_KREISE)]["cases"].sum()
    assert lsa == expected[(expected["offence_key"] == ALL_OFFENCES) & expected["ags"].isin(LSA_KREISE)]["cases"].sum()


def test_legacy_xls_without_a_stated_year_takes_it_from_the_name(tmp_path):
    from tests.readers.pks_xls import write_pks_xls

    path = tmp_path / "2012_tb01_FaelleKriminalitaetsbetrachtungAufKreisebene_excel.xls"
    write_pks_xls(path, 2012, state_year=False)
    result = read_pks(path)
    assert (result.frame["year"] == 2012).all() and result.year_from == "file name"


# ------------------------------------------------------------------ CSV by the standard, completeness
PKS_2022 = "crime/bka_pks_t01_kreise/2022_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"


def test_quoted_cells_are_read_by_the_csv_standard(shared_data, tmp_path):
    """A ';' inside a quoted label, and a file with every cell quoted, give the published figures."""
    src = shared_data / PKS_2022
    original = read_pks(src)
    text = src.read_bytes().decode("latin-1")
    quoted = text.replace(";Straßenkriminalität;", ';"Straßenkriminalität; gesamt";')
    (tmp_path / "2022_a.csv").write_bytes(quoted.encode("latin-1"))
    rows = [line.split(";") for line in text.splitlines()]
    every = "\r\n".join('"' + '";"'.join(r) + '"' for r in rows) + "\r\n"
    (tmp_path / "2022_b.csv").write_bytes(every.encode("latin-1"))
    for name in ("2022_a.csv", "2022_b.csv"):
        got = read_pks(tmp_path / name)
        assert len(got.rejects) == 0 and len(got.frame) == len(original.frame) == 16_400, name
        assert got.frame["cases"].sum() == original.frame["cases"].sum(), name
    street = read_pks(tmp_path / "2022_a.csv").frame.query("offence_key == '899000'")
    assert len(street) == 400 and set(street["offence_label"]) == {"Straßenkriminalität; gesamt"}


@pytest.mark.parametrize("at_line", [False, True])
def test_a_table_cut_off_is_refused_naming_the_file(shared_data, tmp_path, at_line):
    data = (shared_data / PKS_2022).read_bytes()
    data = data[: len(data) * 2 // 5]
    path = tmp_path / "2022_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"
    path.write_bytes(data[: data.rindex(b"\n") + 1] if at_line else data)
    match = "unvollständig: für 1 Straftatenschlüssel" if at_line else "endet mitten im Datensatz"
    with pytest.raises(SourceFormatError, match=match) as info:
        read_pks(path)
    assert str(path) in str(info.value) and "laden Sie sie erneut herunter" in str(info.value)


def test_two_columns_matching_one_header_are_settled_by_their_content():
    from praevention.readers.pks import map_header

    headers = ["Schlüssel Kreis", "Schlüsselzahl der Tat", "Straftat", "Gemeindeschlüssel", "erfasste Fälle"]
    rows = [["15003", "------", "Straftaten insgesamt", "15003", "100"]]
    assert map_header(headers, "t.xls", rows)[1] == "offence_key"
    with pytest.raises(SourceFormatError, match="two columns map to 'offence_key'"):
        map_header(headers, "t.xls")
