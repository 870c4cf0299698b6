"""Every Kreis of Sachsen-Anhalt is drawn and hoverable on the Kreis maps, with the real VG250 boundaries:
Halle (Saale) lies inside the Saalekreis and must not be covered by it (PNG and SVG by colour at points
inside each Kreis, the interactive figure by its traces and holes, the fact sheets' SVG by its fill rule)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely
from PIL import Image

from praevention.render import figures
from praevention.render.export import PNG_SCALE, Export, export_static
from praevention.render.svg import LocatorMap
from tests.render.synthetic_land import _frame, make_report_data

KREISE = "boundaries/sachsen_anhalt_kreise_vg250_2016-01-01.geojson"
GEMEINDEN = "boundaries/sachsen_anhalt_gemeinden_vg250_2016-01-01.geojson"
HALLE, SAALEKREIS = "15002", "15088"


def _read(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path).to_crs(25832)
    frame = frame.rename(columns={"AGS": "ags", "GEN": "name", "BEZ": "kreis_type"})
    frame["population"] = 100_000.0
    frame["area_km2"] = frame.geometry.area / 1e6
    frame["kreis_ags"] = frame["ags"].str[:5]
    return frame[["ags", "name", "kreis_ags", "kreis_type", "population", "area_km2", "geometry"]]


@pytest.fixture(scope="module")
def real_kreise(shared_data: Path) -> gpd.GeoDataFrame:
    return _read(shared_data / KREISE)


@pytest.fixture(scope="module")
def kreis_map(real_kreise: gpd.GeoDataFrame):
    """The crime rate map of the real Kreise; Halle with the highest rate, as in the PKS."""
    rates = {ags: 5000.0 + 250 * i for i, ags in enumerate(sorted(real_kreise["ags"]))}
    rates[HALLE] = 12_000.0
    panel = pd.concat(
        [
            _frame(ags, "Kreis", name, [2023, 2024], "pks:------", "Straftaten insgesamt", [c, c], [1e5, 1e5], "PKS")
            for ags, name, c in zip(
                real_kreise["ags"], real_kreise["name"], [rates[a] for a in real_kreise["ags"]], strict=True
            )
        ]
    )
    data = dataclasses.replace(make_report_data(12), kreise=real_kreise, panel=panel)
    return data, figures.choropleth(data, "Kreis", "pks:------", 2024)


def _polygons(fig) -> dict[str, object]:
    return {t.meta["ags"]: t for t in fig.data if t.meta and "ags" in t.meta}


def _rings(trace) -> list[shapely.Polygon]:
    x, y = np.asarray(trace.x, dtype=float), np.asarray(trace.y, dtype=float)
    cuts = np.flatnonzero(np.isnan(x))
    return [
        shapely.Polygon(np.c_[xs[np.isfinite(xs)], ys[np.isfinite(ys)]])
        for xs, ys in zip(np.split(x, cuts), np.split(y, cuts), strict=True)
        if np.isfinite(xs).sum() >= 4
    ]


def _inside(trace, point: shapely.Point) -> bool:
    """Even-odd test over all rings of a trace (a point in a hole lies in two rings: outside)."""
    return sum(r.contains(point) for r in _rings(trace)) % 2 == 1


def test_every_kreis_is_a_hoverable_trace_and_halle_is_not_covered(real_kreise, kreis_map) -> None:
    _, fig = kreis_map
    traces = _polygons(fig)
    assert set(traces) == set(real_kreise["ags"]) and len(traces) == 14
    names = dict(zip(real_kreise["ags"], real_kreise["name"], strict=True))
    for ags, trace in traces.items():
        assert trace.hoveron == "fills" and trace.hoverinfo == "text"
        assert f"<b>{names[ags]}</b>" in trace.text
    order = [t.meta["ags"] for t in fig.data if t.meta and "ags" in t.meta]
    assert order.index(HALLE) > order.index(SAALEKREIS)  # the enclave is drawn above
    halle = real_kreise.set_index("ags").geometry
    for ags in traces:
        point = shapely.point_on_surface(halle[ags])
        hits = [other for other, trace in traces.items() if _inside(trace, point)]
        assert hits == [ags], f"a point inside {names[ags]} lies in the drawn areas of {hits}"


def _pixel(full, width: int, height: int, x: float, y: float) -> tuple[int, int]:
    m = full.layout.margin
    x0, x1 = full.layout.xaxis.range
    y0, y1 = full.layout.yaxis.range
    px = m.l + (x - x0) / (x1 - x0) * (width - m.l - m.r)
    py = m.t + (y1 - y) / (y1 - y0) * (height - m.t - m.b)
    return round(px * PNG_SCALE), round(py * PNG_SCALE)


def test_every_kreis_shows_its_own_colour_in_the_png(real_kreise, kreis_map, tmp_path: Path) -> None:
    _, fig = kreis_map
    fig = go.Figure(fig.to_dict())
    palette = {}
    for i, trace in enumerate(t for t in fig.data if t.meta and "ags" in t.meta):
        rgb = (20 + 16 * i, 240 - 15 * i, (90 + 70 * i) % 256)  # one distinct colour per Kreis
        trace.fillcolor = f"rgb{rgb}"
        palette[trace.meta["ags"]] = rgb
    for trace in fig.data:  # the scale bar and the names are drawn above the areas: not what is probed here
        if trace.meta and trace.meta.get("role") == "scale":
            trace.visible = False
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "unit_label"]
    width, height = 1000, 800
    fig.update_layout(showlegend=False, width=width, height=height)
    (png, _) = export_static([Export(fig, tmp_path / "karte", width, height)])
    full = fig.full_figure_for_development(warn=False)
    image = Image.open(png).convert("RGB")
    rng = np.random.default_rng(16)
    geoms = real_kreise.set_index("ags").geometry
    for ags, rgb in palette.items():
        inner = geoms[ags].buffer(-1500)
        minx, miny, maxx, maxy = inner.bounds
        points = []
        while len(points) < 15:
            p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if inner.contains(p):
                points.append(p)
        seen = [image.getpixel(_pixel(full, width, height, p.x, p.y)) for p in points]
        own = sum(max(abs(a - b) for a, b in zip(c, rgb, strict=True)) <= 10 for c in seen)
        assert own >= 13, f"{ags}: only {own} of 15 points inside show its colour {rgb}: {seen[:5]}"


def _even_odd(path: str, x: float, y: float) -> bool:
    inside = False
    for ring in re.findall(r"M([^Z]+)Z", path):
        pts = [tuple(map(float, p.split(","))) for p in ring.split("L")]
        inside ^= bool(shapely.Polygon(pts).buffer(0).contains(shapely.Point(x, y)))
    return inside


def test_locator_map_keeps_halle_out_of_the_saalekreis(shared_data: Path, real_kreise) -> None:
    gemeinden = _read(shared_data / GEMEINDEN)
    locator = LocatorMap(gemeinden, real_kreise)
    svg = locator.svg(SAALEKREIS)
    filled = re.findall(r'<path d="[^"]+"([^>]*)>', svg)
    assert all('fill-rule="evenodd"' in attrs for attrs in filled if 'fill="none"' not in attrs)
    x, y = locator.point(HALLE)
    assert not _even_odd(locator.kreise[SAALEKREIS], x, y)
    assert _even_odd(locator.kreise[HALLE], x, y)
