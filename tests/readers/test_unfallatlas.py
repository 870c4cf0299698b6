"""Unfallatlas reader: the real Magdeburg GeoJSON and generated files in every published header layout."""

from __future__ import annotations

import json
import zipfile

import pytest

from praevention.readers.unfallatlas import SOURCE_CSV, SOURCE_GEOJSON
from tests.points import load_points

# header variants, PROVENANCE-geo-accidents.md §1.2 (2019 has no published header: same as 2018)
LAYOUTS = {
    2016: "FID;OBJECTID;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstStrasse;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstig;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84",
    2017: "OBJECTID;UIDENTSTLA;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "IstRad;IstPKW;IstFuss;IstKrad;IstSonstig;LICHT;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84",
    2018: "OBJECTID_1;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;ULICHTVERH;"
    "IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstig;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84",
    2020: "OBJECTID;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84",
    2022: "OBJECTID;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;IstStrassenzustand;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84",
    2023: "OID_;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;IstStrassenzustand;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84;PLST",
}
VALUES = {
    "FID": "7",
    "OBJECTID": "101",
    "OBJECTID_1": "101",
    "OID_": "101",
    "UIDENTSTLA": "15170501115200000001",
    "UIDENTSTLAE": "15170501115200000001",
    "ULAND": "15",
    "UREGBEZ": "0",
    "UKREIS": "03",
    "UGEMEINDE": "000",
    "UMONAT": "05",
    "USTUNDE": "08",
    "UWOCHENTAG": "3",
    "UKATEGORIE": "2",
    "UART": "5",
    "UTYP1": "3",
    "ULICHTVERH": "0",
    "LICHT": "1",
    "IstStrasse": "1",
    "STRZUSTAND": "1",
    "IstStrassenzustand": "1",
    "IstRad": "1",
    "IstPKW": "1",
    "IstFuss": "0",
    "IstKrad": "0",
    "IstGkfz": "0",
    "IstSonstig": "0",
    "IstSonstige": "0",
    "LINREFX": "679174,042000000000000",
    "LINREFY": "5779856,014000000000000",
    "XGCSWGS84": "11,618349789000036",
    "YGCSWGS84": "52,140118131000072",
    "PLST": "1",
}


GEOJSON_PROPS = {
    "UIDENTSTLAE": "1",
    "ULAND": "15",
    "UREGBEZ": 0.0,
    "UKREIS": "03",
    "UGEMEINDE": "000",
    "UJAHR": 2020.0,
    "UMONAT": "01",
    "USTUNDE": "15",
    "UWOCHENTAG": 1.0,
    "UKATEGORIE": 3.0,
    "UART": 5.0,
    "UTYP1": 3.0,
    "ULICHTVERH": 0.0,
    "IstRad": 1.0,
    "IstPKW": 1.0,
    "IstFuss": 0.0,
    "IstKrad": 0.0,
    "IstGkfz": 0.0,
    "IstSonstige": 0.0,
    "LINREFX": 6.79174042e20,
    "LINREFY": 5.779856014e21,
    "XGCSWGS84": 11618349789000036.0,
    "YGCSWGS84": 52140118131000072.0,
    "lon": 11.618349789000035,
    "lat": 52.140118131000072,
}


def geojson_file(tmp_path, features):
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": None} for p in features],
    }
    path = tmp_path / "Magdeburg_Unfallatlas.geojson"
    path.write_text(json.dumps(doc))
    return path


def layout_file(tmp_path, year, *, extra_rows=(), suffix=".txt", encoding="latin-1"):
    header = LAYOUTS[year].split(";")
    row = ";".join(str(year) if h == "UJAHR" else VALUES[h] for h in header)
    lines = [LAYOUTS[year], row, *extra_rows]
    path = tmp_path / f"Unfallorte{year}_LinRef{suffix}"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path, row


@pytest.mark.parametrize("year", sorted(LAYOUTS))
def test_every_header_layout(tmp_path, year):
    path, _ = layout_file(tmp_path, year, suffix=".txt" if year < 2020 else ".csv")
    r = load_points([path])
    assert len(r.frame) == 1 and len(r.rejects) == 0
    row = r.frame.iloc[0]
    assert row["ags"] == "15003000" and row["year"] == year and row["month"] == 5 and row["category"] == 2
    assert row["x_25832"] == pytest.approx(679174.042) and row["lat"] == pytest.approx(52.140118131)
    assert bool(row["is_bicycle"]) and bool(row["is_car"]) and not bool(row["is_pedestrian"])
    assert row["road_condition"] == 1
    assert row["source_line"] == 2


def test_inside_official_zip_and_bad_rows(tmp_path):
    path, row = layout_file(
        tmp_path,
        2020,
        extra_rows=[
            "x;y;z",  # wrong number of fields
        ],
    )
    bad_category = row.replace(";2;5;3;", ";7;5;3;")
    bad_coords = row.replace("679174,042", "79174,042")
    text = path.read_text(encoding="latin-1").rstrip("\r\n") + "\r\n" + bad_category + "\r\n" + bad_coords + "\r\n"
    archive = tmp_path / "Unfallorte2020_EPSG25832_CSV.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("csv/Unfallorte2020_LinRef.csv", text)
        zf.writestr("readme.txt", "x")
    r = load_points([archive])
    assert len(r.frame) == 1
    by_line = dict(zip(r.rejects["line"], r.rejects["reason"], strict=True))
    assert set(by_line) == {3, 4, 5}
    assert "Expected Number of Columns" in by_line[3] or "columns" in by_line[3].lower()
    assert "UKATEGORIE" in by_line[4]
    assert "outside Germany" in by_line[5]
    assert r.log["source_file"].iloc[0].endswith("!csv/Unfallorte2020_LinRef.csv")
    assert (r.frame["source_file"] == r.log["source_file"].iloc[0]).all()


def test_unreadable_lines_keep_every_line_number(tmp_path):
    """Lines DuckDB's typed reader rejects are quarantined with the column's published name; the rows
    after them keep their own line numbers."""
    path, row = layout_file(tmp_path, 2020)
    text_in_month = row.replace(";05;", ";ab;")
    lines = [LAYOUTS[2020], row, text_in_month, row, "1;2", row, row.replace(";2;5;3;", ";7;5;3;"), row]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    r = load_points([path])
    assert r.frame["source_line"].tolist() == [2, 4, 6, 8]
    rejects = r.rejects.set_index("line")
    assert sorted(rejects.index) == [3, 5, 7]
    assert rejects.loc[3, "field"] == "UMONAT" and '"ab"' in rejects.loc[3, "reason"]
    assert rejects.loc[3, "raw"] == text_in_month
    assert "Expected Number of Columns" in rejects.loc[5, "reason"] and rejects.loc[5, "raw"] == "1;2"
    assert "UKATEGORIE" in rejects.loc[7, "reason"] and rejects.loc[7, "raw"].startswith("101;")


def test_coordinates_with_a_decimal_point(tmp_path):
    path, _ = layout_file(tmp_path, 2022)
    path.write_bytes(path.read_bytes().replace(b"679174,042", b"679174.042").replace(b"11,618", b"11.618"))
    path.write_bytes(path.read_bytes().replace(b"5779856,014", b"5779856.014").replace(b"52,140", b"52.140"))
    r = load_points([path])
    assert len(r.frame) == 1 and len(r.rejects) == 0
    assert r.frame.iloc[0]["x_25832"] == pytest.approx(679174.042)


def test_unknown_layout_and_zip_without_member_are_not_loaded_with_their_reason(tmp_path):
    """One unreadable file does not stop the source: it is logged as not loaded, the others load."""
    good, _ = layout_file(tmp_path, 2022)
    other = tmp_path / "Unfallorte2021.csv"
    other.write_text("A;B;C\n1;2;3\n")
    archive = tmp_path / "Unfallorte2021_EPSG25832_CSV.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("other.csv", "x")
    r = load_points([good, other, archive])
    assert len(r.frame) == 1
    notes = dict(zip(r.log["source_file"], r.log["note"], strict=True))
    assert "unknown Unfallatlas layout" in notes[str(other)] and notes[str(other)].startswith("not loaded")
    assert "members" in notes[str(archive)] and r.log.set_index("source_file").loc[str(archive), "rows_read"] == 0


def test_no_file_at_all_loads_an_empty_table(tmp_path):
    r = load_points([])
    assert len(r.frame) == 0 and len(r.log) == 0


def test_nested_zip_and_overlong_member_name_are_named_clearly(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("Unfallorte2022_LinRef.csv", "x")
    nested = tmp_path / "Unfallorte2022_EPSG25832_CSV.zip"
    with zipfile.ZipFile(nested, "w") as zf:
        zf.write(inner, "Unfallorte2022_EPSG25832_CSV.zip")
    from praevention.discovery import classify

    assert classify(nested) == "unfallatlas_csv"
    r = load_points([nested])
    assert "another zip archive" in r.log["note"].iloc[0] and str(nested) == r.log["source_file"].iloc[0]
    csv, _ = layout_file(tmp_path, 2022)
    long_name = tmp_path / "Unfallorte2023_EPSG25832_CSV.zip"
    member = "csv/" + "x" * 300 + "_Unfallorte2023_LinRef.csv"
    with zipfile.ZipFile(long_name, "w") as zf:
        zf.writestr(member, csv.read_bytes())
    r = load_points([long_name])
    assert len(r.frame) == 1 and r.log["source_file"].iloc[0] == f"{long_name}!{member}"


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path):
    import resource

    bomb = tmp_path / "Unfallorte2022_EPSG25832_CSV.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("Unfallorte2022_LinRef.csv", "w") as fh:
        block = b"0" * (1 << 20)
        for _ in range(1024):  # 1 GiB of zeros, about 1 MB compressed
            fh.write(block)
    assert bomb.stat().st_size < 2 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = load_points([bomb])
    grew_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "zip bomb" in r.log["note"].iloc[0] and len(r.frame) == 0
    assert grew_kib < 200 * 1024  # far below the 1 GiB the member holds


def test_real_magdeburg_geojson(shared_data):
    r = load_points([], [shared_data / "accidents" / "magdeburg_derived" / "Magdeburg_Unfallatlas.geojson"])
    frame = r.frame
    assert len(frame) == 3456 and len(r.rejects) == 0
    assert frame.groupby("year").size().to_dict() == {2020: 810, 2022: 864, 2023: 925, 2024: 857}
    assert (frame["ags"] == "15003000").all()
    # the mangled decimal commas are undone: Magdeburg lies at about 11.6 E, 52.1 N / 680 km E, 5780 km N
    assert frame["lon"].between(11.4, 11.8).all() and frame["lat"].between(52.0, 52.3).all()
    # and LINREFX/LINREFY (EPSG:25832) agree with the recovered WGS84 coordinates within a metre
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 25832, always_xy=True).transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    assert abs(x - frame["x_25832"].to_numpy()).max() < 1.0 and abs(y - frame["y_25832"].to_numpy()).max() < 1.0
    assert frame["accident_uid"].is_unique
    assert set(frame["category"]) <= {1, 2, 3}


def test_geojson_with_disagreeing_coordinates_is_quarantined(tmp_path):
    props = GEOJSON_PROPS
    wrong = dict(props, UIDENTSTLAE="2", lon=12.5)
    path = geojson_file(tmp_path, [props, wrong])
    r = load_points([], [path])
    assert len(r.frame) == 1 and r.frame["lon"].iloc[0] == pytest.approx(11.618349789)
    assert r.rejects["reason"].iloc[0] == "recovered XGCSWGS84 disagrees with lon" and r.rejects["line"].iloc[0] == 2


def test_geojson_rows_of_an_official_record_are_quarantined(tmp_path):
    """The derived GeoJSON repeats official records: those rows are quarantined, the official file is used,
    and the table keeps file order (official files first) and line order."""
    csv, _ = layout_file(tmp_path, 2020)  # UIDENTSTLAE 15170501115200000001
    same = dict(GEOJSON_PROPS, UIDENTSTLAE=VALUES["UIDENTSTLAE"])
    geo = geojson_file(tmp_path, [GEOJSON_PROPS, same])
    r = load_points([csv], [geo])
    assert r.frame["accident_uid"].tolist() == [VALUES["UIDENTSTLAE"], "1"]
    assert r.frame["source"].tolist() == [SOURCE_CSV, SOURCE_GEOJSON]
    assert r.frame["source_file"].tolist() == [str(csv), str(geo)]
    assert r.rejects[["source_file", "line", "raw"]].values.tolist() == [[str(geo), 2, VALUES["UIDENTSTLAE"]]]
    assert "official Unfallatlas file" in r.rejects["reason"].iloc[0]
    log = r.log.set_index("source_file")
    assert log.loc[str(geo), ["rows_read", "rows_loaded", "rows_quarantined"]].tolist() == [2, 1, 1]
    assert log.loc[str(csv), ["rows_read", "rows_loaded", "rows_quarantined"]].tolist() == [1, 1, 0]


def test_several_files_keep_file_order_and_line_numbers(tmp_path):
    """Files in the order given (one numbered source_file_no each), rows in line order, also when a line
    the reader rejected shifts the later lines of its file."""
    first, row = layout_file(tmp_path, 2018)
    first.write_bytes(first.read_bytes() + b"1;2\r\n" + row.replace("101;", "102;", 1).encode("latin-1") + b"\r\n")
    second, _ = layout_file(tmp_path, 2020, suffix=".csv")
    r = load_points([first, second])
    assert r.frame[["source_file_no", "source_line"]].values.tolist() == [[0, 2], [0, 4], [1, 2]]
    assert r.frame["accident_uid"].tolist() == ["2018-15-101", "2018-15-102", VALUES["UIDENTSTLAE"]]
    assert r.frame["source_file"].tolist() == [str(first), str(first), str(second)]
    assert r.rejects[["source_file", "line"]].values.tolist() == [[str(first), 3]]
