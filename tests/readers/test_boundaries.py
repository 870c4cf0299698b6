"""Boundary reader: real VG250 GeoJSON and VG5000 shapefile zip; bad geometries and CRS."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely

from praevention.errors import SourceFormatError
from praevention.readers.boundaries import read_boundaries


def test_vg250_sachsen_anhalt(shared_data):
    [r] = read_boundaries(shared_data / "boundaries" / "sachsen_anhalt_gemeinden_vg250_2016-01-01.geojson")
    f = r.frame
    assert len(f) == 218 and f["ags"].is_unique and (f["level"] == "Gemeinde").all()
    assert set(f["valid_from"]) == {dt.date(2016, 1, 1)}
    geoms = shapely.from_wkb(f["geometry"].to_numpy())
    # EPSG:25832 metres: Sachsen-Anhalt lies between about 600 and 790 km east
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    assert 590_000 < xmin < xmax < 800_000 and 5_640_000 < ymin < ymax < 5_900_000
    assert f["area_km2"].sum() == pytest.approx(20_450, rel=0.01)  # Sachsen-Anhalt: 20,452 km²


def test_vg5000_zip_gauss_krueger(shared_data):
    layers = read_boundaries(shared_data / "boundaries" / "germany_vg5000_01-01-2021_gk3_shape_GEM_KRS.zip")
    by_level = {r.frame["level"].iloc[0]: r for r in layers}
    assert len(by_level["Gemeinde"].frame) == 10997 and len(by_level["Kreis"].frame) == 401
    assert set(by_level["Kreis"].frame["valid_from"]) == {dt.date(2021, 1, 1)}  # from aktualitaet.txt
    magdeburg = by_level["Kreis"].frame.set_index("ags").loc["15003"]
    assert magdeburg["kreis_type"] == "Kreisfreie Stadt"
    centroid = shapely.from_wkb(magdeburg["geometry"]).centroid
    assert 670_000 < centroid.x < 690_000  # reprojected from EPSG:31467 to EPSG:25832


def test_water_parts_are_dropped_and_counted(shared_data):
    [r] = read_boundaries(shared_data / "boundaries" / "germany_gemeinden_vg250_2016-01-01.geojson.gz")
    assert r.rows_read == 11431 and len(r.frame) == 11299
    assert len(r.rejects) == 132 and r.rejects["reason"].str.startswith("water-only part").all()


def feature(ags, geom, **props):
    return {
        "type": "Feature",
        "properties": {"AGS": ags, "GEN": f"G{ags}", "BEZ": "Gemeinde", "GF": 4, **props},
        "geometry": geom,
    }


SQUARE = {"type": "Polygon", "coordinates": [[[11.0, 52.0], [11.1, 52.0], [11.1, 52.1], [11.0, 52.1], [11.0, 52.0]]]}


def test_empty_geometry_bad_key_and_wrong_crs(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            feature("15000001", SQUARE),
            feature("15000002", None),
            feature("15X", SQUARE),
        ],
    }
    path = tmp_path / "gem_2016-01-01.geojson"
    path.write_text(json.dumps(doc))
    [r] = read_boundaries(path)
    assert len(r.frame) == 1 and r.rows_read == 3
    assert sorted(r.rejects["reason"].str.split(":").str[0]) == [
        "AGS is not a 5- or 8-digit key",
        "empty or missing geometry",
    ]
    projected = {
        "type": "Polygon",
        "coordinates": [[[680000, 5780000], [681000, 5780000], [681000, 5781000], [680000, 5780000]]],
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature("15000001", projected)]}))
    with pytest.raises(SourceFormatError, match="wrong CRS"):
        read_boundaries(path)
