"""Population readers: every stored GV100AD edition and extract against the published totals."""

from __future__ import annotations

import datetime as dt

import pytest

from praevention.errors import SourceFormatError
from praevention.readers.population import read_gv100ad, read_gv_auszug_csv, read_gv_isys_json

# Sachsen-Anhalt sums, PROVENANCE-geo-accidents.md §3
GV100AD = {
    "GV100AD_300918_ST.ASC": (dt.date(2016, 12, 31), 2_236_252, "Zensus 2011"),
    "GV100AD_300921_ST.txt": (dt.date(2020, 12, 31), 2_180_684, "Zensus 2011"),
    "GV100AD_301121_ST.ASC": (dt.date(2020, 12, 31), 2_180_684, "Zensus 2011"),
    "GV100AD_301123_ST.txt": (dt.date(2022, 12, 31), 2_186_643, "Zensus 2011"),
    "GV100AD_31082025_ST.txt": (dt.date(2024, 12, 31), 2_135_597, "Zensus 2022"),
}


@pytest.mark.parametrize("name", sorted(GV100AD))
def test_gv100ad_editions(shared_data, name):
    r = read_gv100ad(shared_data / "population" / "gv100ad" / name)
    f = r.frame
    date, total, basis = GV100AD[name]
    assert len(f) == 218 and len(r.rejects) == 0
    assert set(f["reference_date"]) == {date} and f["population"].sum() == total and set(f["census_basis"]) == {basis}
    assert f.set_index("ags").loc["15003000", "name"].startswith("Magdeburg")


def test_gv100ad_germany_gz_and_zensus_break(shared_data):
    f = read_gv100ad(shared_data / "population" / "gv100ad" / "GV100AD_31082025.txt.gz").frame
    assert len(f) == 10952 and f["population"].sum() == 83_577_140
    old = read_gv100ad(shared_data / "population" / "gv100ad" / "GV100AD_301123_ST.txt").frame.set_index("ags")
    assert old.loc["15002000", "population"] == 242_083 and f.set_index("ags").loc["15002000", "population"] == 226_767


def test_json_and_csv_extracts(shared_data):
    folder = shared_data / "population"
    expected = {"2013": 2_244_577, "2014": 2_235_548, "2018": 2_208_321}
    for path in sorted((folder / "gv_isys_json").glob("*.json")):
        f = read_gv_isys_json(path).frame
        year = path.name.split("pop")[1][:4]
        assert f["population"].sum() == expected[year] and len(f) == 218
    csv = read_gv_auszug_csv(next((folder / "gv_auszug_csv").glob("*.csv"))).frame
    assert csv["population"].sum() == 2_194_782 and len(csv) == 218
    assert csv.set_index("ags").loc["15001000", "reference_date"] == dt.date(2019, 12, 31)


def test_fixed_width_fixture_and_failures(tmp_path):
    line = (
        "60"
        + "20230930"
        + "15003000"
        + "0000"
        + "Magdeburg, Landeshauptstadt".ljust(50)
        + " " * 50
        + "61"
        + " " * 4
        + "00000020103"
        + "00000241833"
        + "00000118800"
        + " " * 59
    )
    path = tmp_path / "GV100AD_300923.txt"
    path.write_bytes(
        (
            "\ufeff" + line + "\n" + line.replace("15003000", "15003001").replace("00000241833", "0000024X833") + "\n"
        ).encode()
    )
    r = read_gv100ad(path)
    row = r.frame.iloc[0]
    assert row["population"] == 241833 and row["area_km2"] == pytest.approx(201.03)
    assert row["reference_date"] == dt.date(2022, 12, 31) and "assumed" in r.note
    assert r.rejects["line"].tolist() == [2]
    bad = tmp_path / "GV100AD_x.txt"
    bad.write_text("hello\n")
    with pytest.raises(SourceFormatError, match="Satzart"):
        read_gv100ad(bad)
    nodate = tmp_path / "gv.json"
    nodate.write_text('{"150030000000": {"population": 1}}')
    with pytest.raises(SourceFormatError, match="popYYYY-MM-DD"):
        read_gv_isys_json(nodate)
