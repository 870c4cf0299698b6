"""Measures with a place: road-safety types, points with a radius or a segment length, lines, streets, and
places checked against the Gemeinde's boundary with a suggestion where they lie instead."""

from __future__ import annotations

import shapely

from praevention.register.geo import Boundaries
from praevention.register.load import load_register
from praevention.register.validate import Context
from tests.register.conftest import BODY, MEASURE, register_xlsx

# two square Gemeinden side by side (WGS84): Musterstadt 11.60–11.70, Nachbardorf 11.70–11.80 (lat 52.10–52.20)
MUSTERSTADT, NACHBARDORF = "15003000", "15083040"
CONTEXT = Context(
    "15",
    {MUSTERSTADT, NACHBARDORF, "15003", "15083", "15"},
    Boundaries(
        {
            MUSTERSTADT: shapely.box(11.60, 52.10, 11.70, 52.20),
            NACHBARDORF: shapely.box(11.70, 52.10, 11.80, 52.20),
        }
    ),
    {"musterstadt": [(MUSTERSTADT, "Musterstadt")], "nachbardorf": [(NACHBARDORF, "Nachbardorf")]},
)
ROAD = {**MEASURE, "domain": "Verkehr", "target": "Fußgänger", "title": "Querungshilfe Hauptstraße"}


def _load(tmp_path, *measures: dict):
    path = register_xlsx(tmp_path / "register.xlsx", [BODY], list(measures))
    return load_register([path], context=CONTEXT)


def _texts(result) -> list[str]:
    return [p.text("de")[0] + " " + p.text("de")[1] for p in result.problems]


def test_road_safety_types_and_their_spellings(tmp_path) -> None:
    rows = [
        {**ROAD, "measure_id": f"M{i}", "measure_type": t, "area": "POINT (11.65 52.15)", "area_radius_m": 80}
        for i, t in enumerate(["Querungshilfe", "Blitzer", "Tempo-30-Zone", "Kreisverkehr", "Verkehrsschau"])
    ]
    result = _load(tmp_path, *rows)
    assert not result.has_errors, _texts(result)
    assert result.measures["measure_type"].tolist() == [
        "Querungshilfe",
        "Geschwindigkeitsüberwachung",
        "Tempo 30",
        "Umgestaltung Knotenpunkt",
        "Verkehrsschau",
    ]


def test_a_road_safety_measure_without_a_place_gets_a_german_hint(tmp_path) -> None:
    result = _load(
        tmp_path,
        {**ROAD, "measure_type": "Querungshilfe"},
        {**ROAD, "measure_id": "M2", "measure_type": "Tempo 30", "area_street": "Halberstädter Straße"},
        {**ROAD, "measure_id": "M3", "measure_type": "Verkehrsschau"},  # a Verkehrsschau needs no single place
    )
    missing = [p for p in result.problems if p.code == "location_missing"]
    assert [p.row for p in missing] == [2, 3]
    first, second = (p.text("de") for p in missing)
    assert "Für eine Maßnahme der Art 'Querungshilfe (Mittelinsel, Zebrastreifen, Ampel)' fehlt der Ort" in first[0]
    assert "POINT (Länge Breite)" in first[1] and "OpenStreetMap" in first[1]
    assert "angegeben ist nur die Straße 'Halberstädter Straße'" in second[0]
    loaded = result.measures.set_index("measure_id")
    assert loaded.loc["M2", "area_type"] == "street" and loaded.loc["M2", "area_street"] == "Halberstädter Straße"
    assert loaded.loc["M1", "area_type"] == "municipality"
    assert not result.has_errors  # a hint, not an error: the measure is kept and evaluated on its Gemeinde


def test_a_line_and_a_point_with_a_segment_length_are_places(tmp_path) -> None:
    result = _load(
        tmp_path,
        {**ROAD, "measure_type": "Tempo 30", "area": "LINESTRING (11.64 52.15, 11.66 52.15)", "area_radius_m": 30},
        {**ROAD, "measure_id": "M2", "measure_type": "Tempo 30", "area": "POINT (11.65 52.15)", "area_length_m": 400},
    )
    assert not result.has_errors, _texts(result)
    m = result.measures.set_index("measure_id")
    assert m.loc["M1", "area_type"] == "segment" and m.loc["M1", "area_wkt"].startswith("LINESTRING (11.64 52.15")
    assert m.loc["M1", "area_radius_m"] == 30.0  # the corridor's half-width
    assert m.loc["M2", "area_type"] == "point_radius" and m.loc["M2", "area_length_m"] == 400.0
    assert not [p for p in result.problems if p.code in ("radius_missing", "location_missing")]


def test_a_place_in_the_neighbouring_gemeinde_is_named_with_a_suggestion(tmp_path) -> None:
    result = _load(
        tmp_path,
        {**ROAD, "ags": MUSTERSTADT, "area": "POINT (11.75 52.15)", "area_radius_m": 50},
        {**ROAD, "measure_id": "M2", "ags": MUSTERSTADT, "area": "POINT (52.15 11.65)", "area_radius_m": 50},
    )
    outside = {p.row: p.text("de") for p in result.problems if p.code == "point_not_in_ags"}
    assert (
        "liegt nicht in der Gemeinde 15003000, sondern etwa 3,4 km entfernt in Nachbardorf (15083040)" in outside[2][0]
    )
    assert "den Gemeindeschlüssel 15083040 eintragen" in outside[2][1]
    # swapped longitude and latitude lie outside the Land: an error with its own hint
    swapped = [p for p in result.problems if p.row == 3]
    assert any("vertauscht" in p.text("de")[0] for p in swapped)
    # and inside the Land but in the wrong Gemeinde, the swapped reading is suggested
    boundaries = Boundaries(
        {MUSTERSTADT: shapely.box(52.0, 11.0, 52.3, 11.7), NACHBARDORF: shapely.box(11.6, 52.1, 11.8, 52.2)}
    )
    ctx = Context("15", CONTEXT.known_ags, boundaries, CONTEXT.directory)
    path = register_xlsx(tmp_path / "swap.xlsx", [BODY], [{**ROAD, "area": "POINT (11.65 52.15)", "area_radius_m": 50}])
    texts = [p.text("de") for p in load_register([path], context=ctx).problems if p.code == "point_not_in_ags"]
    assert texts and "Länge und Breite sind vertauscht: 'POINT (52.15000 11.65000)'" in texts[0][1]
