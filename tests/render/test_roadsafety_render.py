"""Road safety in the products: the street map page (OpenStreetMap with attribution, years as present, filters,
hotspot layer), the fact sheet's accidents and Unfallschwerpunkte, the report's section and the deck's
accident slide, on the synthetic Land of :mod:`tests.render.synthetic_land`."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from praevention.render.accident_slide import accident_chart
from praevention.render.export import figure_title
from praevention.render.roadsafety import accident_section, report_section, site_calibration_box
from praevention.render.unfallkarte import street_map_page
from tests.render.synthetic_land import QUEDLINBURG, make_report_data


@pytest.fixture(scope="module")
def data():
    base = make_report_data(24, synthetic=True)
    q = base.gemeinden.loc[base.gemeinden["ags"] == QUEDLINBURG, "geometry"].iloc[0].centroid
    rng = np.random.default_rng(1)
    n = 60
    years = rng.choice([2020, 2022, 2023, 2024], n)  # 2021 missing
    points = pd.DataFrame(
        {
            "accident_uid": [f"a{i}" for i in range(n)],
            "year": years,
            "month": rng.integers(1, 13, n),
            "ags": QUEDLINBURG,
            "category": rng.choice([1, 2, 3], n, p=[0.05, 0.25, 0.7]),
            "lon": 11.14 + rng.normal(0, 0.004, n),
            "lat": 51.79 + rng.normal(0, 0.003, n),
            "x_25832": q.x + rng.normal(0, 300, n),
            "y_25832": q.y + rng.normal(0, 300, n),
            "is_pedestrian": (rng.random(n) < 0.2).astype(int),
            "is_bicycle": (rng.random(n) < 0.3).astype(int),
            "is_motorcycle": np.zeros(n, dtype=int),
            "is_car": np.ones(n, dtype=int),
        }
    )
    screening = pd.DataFrame(
        {
            "ags": QUEDLINBURG,
            "site_id": [f"{QUEDLINBURG}-S00{i}" for i in (1, 2)],
            "rank": [1, 2],
            "x": [q.x, q.x + 400],
            "y": [q.y, q.y],
            "lon": [11.14, 11.146],
            "lat": [51.79, 51.79],
            "radius_m": 50.0,
            "years": "2020, 2022–2024",
            "observed": [12, 2],
            "expected_eb": [9.5, 2.1],
            "excess_per_year": [1.6, 0.2],
            "severity_weighted_excess": [61_000.0, 4_000.0],
            "with_killed": [1, 0],
            "with_seriously_injured": [3, 0],
            "pedestrian": [2, 1],
            "bicycle": [4, 0],
            "motorcycle": [0, 0],
        }
    )
    calibration = pd.DataFrame(
        {
            "method": "headline",
            "indicator": "*",
            "selection": ["alle", "Schwerpunkte"],
            "n_designs": [400, 200],
            "false_positive_rate": [0.03, 0.025],
            "mean_ratio": [0.99, 0.97],
        }
    )
    return dataclasses.replace(base, points=points, screening=screening, site_calibration=calibration)


def test_street_map_has_the_basemap_its_attribution_and_the_years_as_present(data, tmp_path) -> None:
    page = street_map_page(data, QUEDLINBURG, tmp_path / "unfallorte_quedlinburg.html").read_text()
    assert "tile.openstreetmap.org" in page and "© OpenStreetMap-Mitwirkende" in page
    assert "2020, 2022–2024" in page and "2020–2024" not in page
    assert "Für 2021 liegen keine Unfallorte vor" in page
    assert 'name="jahr" value="2021"' not in page and 'name="jahr" value="2022"' in page
    assert 'name="schwere"' in page and 'name="beteiligt" value="is_pedestrian"' in page
    assert 'id="schwerpunkte"' in page
    assert (tmp_path / "plotly.min.js").exists()  # works offline: no script from the internet
    # opened from a folder (Chrome and Edge start no map worker there): the same layers on plain axes
    assert 'window.location.protocol === "file:"' in page and 'id="lokal" hidden' in page
    assert '"type":"scatter"' in page and '"type":"scattermap"' in page
    assert "cdn" not in page.split("<body>")[0].lower()


def test_fact_sheet_section_counts_years_and_lists_hotspots(data) -> None:
    s = accident_section(data, QUEDLINBURG)
    assert [r[0] for r in s["accident_years"]] == ["2020", "2022", "2023", "2024"]
    assert "2021 fehlt" in s["accident_note"]
    assert len(s["hotspots"]) == 2 and s["hotspots"][1][2].startswith("<3")  # 2 accidents: published as <3
    assert "BASt" in s["hotspot_note"]
    assert accident_section(data, "15085999")["accident_years"] == []  # no points: no section


def test_report_section_and_calibration_sentence(data) -> None:
    s = report_section(data)
    assert s["sites"] == [] and "noch keine Maßnahme mit einem Ort" in s["intro"]
    assert s["hotspots"][0][0] == "Quedlinburg" and len(s["hotspots"]) == 2
    assert "12 (3,0\xa0%)" in site_calibration_box(data.site_calibration) and "höchstens 7 %" in s["calibration"]


def test_accident_slide_with_points_and_without(data) -> None:
    kreis = QUEDLINBURG[:5]
    fig, (alt, notes) = accident_chart(data, "Region Nord", "Region Nord", [kreis])
    assert "Unfälle mit Getöteten oder Schwerverletzten" in figure_title(fig)
    bars = next(t for t in fig.data if t.type == "bar")
    assert list(bars.x) == [2020, 2022, 2023, 2024]
    assert any(a.text == "keine Daten" and a.x == 2021 for a in fig.layout.annotations)
    table = next(t for t in fig.data if t.type == "table")
    assert "Quedlinburg" in table.cells.values[1]
    assert "Lücken, keine Nullen" in notes and "Quedlinburg" in alt
    empty = dataclasses.replace(data, points=data.points.iloc[:0], screening=data.screening.iloc[:0])
    fig, (_, notes) = accident_chart(empty, "Region Nord", "Region Nord", [kreis])
    assert "keine Unfallorte" in notes
    json.dumps(fig.to_plotly_json(), default=str)  # renders without data
