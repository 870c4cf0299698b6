"""The interactive accident map of a Gemeinde on a street basemap (``karten/unfallorte_<AGS>_<name>.html``).

Plotly's MapLibre map (``scattermap``) draws the Unfallatlas points by severity, the Gemeinde's boundary
and the network screening's top sites (Unfallschwerpunkte) over OpenStreetMap's street tiles, which the
browser loads from tile.openstreetmap.org with the attribution OpenStreetMap's tile policy asks for.
Without a connection the page still works: the tiles stay blank, boundary, points and sites are drawn
(plotly.js is the folder's own ``plotly.min.js``). Opened from a local folder (``file:``), Chrome and Edge do
not let MapLibre start its web worker; there the page draws the same layers on plain axes
(:func:`flat_figure`) and says so. Filters for year (the years as they are in the data),
severity and participants, and the hotspot layer, act in the browser on the data embedded in the page.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import shapely
from plotly.offline import get_plotlyjs
from pyproj import Transformer

from praevention.evaluation.design import span
from praevention.render import fmt
from praevention.render.cache import write_if_changed
from praevention.render.data import SYNTHETIC_LABEL, ReportData
from praevention.render.figures import CATEGORY_COLORS, CATEGORY_NAMES

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
#: screening sites shown as the hotspot layer
HOTSPOTS = 10
PARTICIPANTS = {"is_pedestrian": "Fußgänger", "is_bicycle": "Radfahrende", "is_motorcycle": "Kraftrad", "is_car": "Pkw"}
_TO_WGS = Transformer.from_crs(25832, 4326, always_xy=True)


def street_style() -> dict:
    """A MapLibre style with OpenStreetMap's raster tiles and their attribution (no fonts, no sprites: nothing
    else is fetched)."""
    return {
        "version": 8,
        "sources": {"osm": {"type": "raster", "tiles": [OSM_TILES], "tileSize": 256, "attribution": OSM_ATTRIBUTION}},
        "layers": [{"id": "strassenkarte", "type": "raster", "source": "osm"}],
    }


def _lonlat(geom: shapely.Geometry) -> tuple[list, list]:
    """Outline rings of a polygon in EPSG:25832 as lon/lat lists with None between rings."""
    lons, lats = [], []
    polys = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(shapely.simplify(ring, 5).coords)
            lo, la = _TO_WGS.transform(xy[:, 0], xy[:, 1])
            lons += [*np.round(lo, 6).tolist(), None]
            lats += [*np.round(la, 6).tolist(), None]
    return lons, lats


def _circles(sites) -> tuple[list, list]:
    lons, lats = [], []
    for r in sites.itertuples():
        ring = np.asarray(shapely.Point(r.x, r.y).buffer(r.radius_m, 16).exterior.coords)
        lo, la = _TO_WGS.transform(ring[:, 0], ring[:, 1])
        lons += [*np.round(lo, 6).tolist(), None]
        lats += [*np.round(la, 6).tolist(), None]
    return lons, lats


def street_map_figure(data: ReportData, ags: str) -> tuple[go.Figure, dict]:
    """The figure (boundary, hotspot layer, one trace per severity filled by the page's script) and the data
    the page's filters act on."""
    shape = data.gemeinden[data.gemeinden["ags"] == ags]
    pts = data.points[data.points["ags"] == ags].sort_values(["year", "month", "accident_uid"])
    sites = data.top_sites(ags, HOTSPOTS)
    fig = go.Figure()
    if len(shape):
        lon, lat = _lonlat(shape.geometry.iloc[0])
        fig.add_trace(
            go.Scattermap(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"color": "#1f3b5a", "width": 2.5},
                name="Gemeindegrenze",
                hoverinfo="skip",
            )
        )
    for cat in (3, 2, 1):
        fig.add_trace(
            go.Scattermap(
                lon=[],
                lat=[],
                mode="markers",
                name=CATEGORY_NAMES[cat],
                marker={"size": 7 if cat == 3 else 10, "color": CATEGORY_COLORS[cat], "opacity": 0.85},
                hoverinfo="text",
                meta={"role": "points", "category": cat},
            )
        )
    if len(sites):
        lon, lat = _circles(sites)
        fig.add_trace(
            go.Scattermap(
                lon=lon,
                lat=lat,
                mode="lines",
                fill="toself",
                fillcolor="rgba(230,97,1,0.25)",
                line={"color": "#e66101", "width": 2},
                name="Unfallschwerpunkte",
                hoverinfo="skip",
                meta={"role": "hotspots"},
            )
        )
        fig.add_trace(
            go.Scattermap(
                lon=sites["lon"],
                lat=sites["lat"],
                mode="markers",
                marker={"size": 18, "color": "#e66101", "opacity": 0.85},
                name="Unfallschwerpunkte",
                showlegend=False,
                text=[
                    f"<b>Unfallschwerpunkt {int(r.rank)}</b><br>{fmt.publish_count(r.observed)} Unfälle ({r.years}), "
                    f"davon {fmt.publish_count(int(r.with_killed) + int(r.with_seriously_injured))} mit Getöteten oder "
                    f"Schwerverletzten<br>{fmt.number(r.excess_per_year, 1)} Unfälle je Jahr mehr als an ähnlichen Orten"
                    for r in sites.itertuples()
                ],
                hoverinfo="text",
                meta={"role": "hotspots"},
            )
        )
    centre = (
        shape.geometry.iloc[0].centroid if len(shape) else shapely.Point(pts["x_25832"].mean(), pts["y_25832"].mean())
    )
    clon, clat = _TO_WGS.transform(centre.x, centre.y)
    fig.update_layout(
        map={"style": street_style(), "center": {"lon": clon, "lat": clat}, "zoom": _zoom(shape)},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.85)"},
        separators=",.",
        font={"family": "DejaVu Sans, Arial, sans-serif"},
    )
    flags = [f for f in PARTICIPANTS if f in pts]
    records = {
        "lon": np.round(pts["lon"].to_numpy(float), 6).tolist(),
        "lat": np.round(pts["lat"].to_numpy(float), 6).tolist(),
        "year": pts["year"].astype(int).tolist(),
        "cat": pts["category"].astype(int).tolist(),
        "text": [_hover(r, flags) for r in pts.to_dict("records")],
        **{f: pts[f].fillna(0).astype(int).tolist() for f in flags},
    }
    return fig, records


def flat_figure(fig: go.Figure) -> go.Figure:
    """The same traces on plain axes (longitude, latitude at the map's aspect), drawn without WebGL and web
    workers: the page's view when opened from a local folder, where browsers such as Chrome and Edge do not
    let the street map start its worker."""
    flat = go.Figure()
    for t in fig.data:
        flat.add_trace(
            go.Scatter(
                x=t.lon,
                y=t.lat,
                mode=t.mode,
                line=t.line.to_plotly_json() if t.line else None,
                marker=t.marker.to_plotly_json() if t.marker else None,
                fill=t.fill,
                fillcolor=t.fillcolor,
                name=t.name,
                showlegend=t.showlegend,
                hoverinfo=t.hoverinfo,
                text=t.text,
                meta=t.meta,
            )
        )
    lat = fig.layout.map.center.lat or 51.0
    flat.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(lat))},
        plot_bgcolor="white",
        margin=fig.layout.margin,
        legend=fig.layout.legend,
        separators=",.",
        font=fig.layout.font,
    )
    return flat


def _zoom(shape) -> float:
    if not len(shape):
        return 11.0
    minx, miny, maxx, maxy = shape.total_bounds
    return float(np.clip(np.log2(40_000_000 / max(maxx - minx, maxy - miny, 1)) - 0.7, 9, 15))


def _hover(r: dict, flags: list[str]) -> str:
    who = ", ".join(PARTICIPANTS[f] for f in flags if r.get(f) == 1)
    return f"{CATEGORY_NAMES[int(r['category'])]}, {int(r['month']):02d}/{int(r['year'])}" + (
        f"<br>beteiligt: {who}" if who else ""
    )


def street_map_page(data: ReportData, ags: str, path: Path) -> Path:
    """Write the page (and the folder's ``plotly.min.js``); returns its path."""
    name = (
        str(data.gemeinden.loc[data.gemeinden["ags"] == ags, "name"].iloc[0])
        if ags in set(data.gemeinden["ags"])
        else ags
    )
    fig, records = street_map_figure(data, ags)
    years = sorted(set(records["year"]))
    title = f"Unfälle mit Personenschaden in {name} ({span(years) or 'keine Daten'}): {fmt.number(len(records['year']))} Unfälle"
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years] if years else []
    gap = (
        f" Für {span(missing)} liegen keine Unfallorte vor: eine Lücke in den Daten, keine unfallfreie Zeit."
        if missing
        else ""
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path.parent / "plotly.min.js", get_plotlyjs())
    div = f"karte-{ags}"
    year_boxes = "".join(f'<label><input type="checkbox" name="jahr" value="{y}" checked> {y}</label>' for y in years)
    cat_boxes = "".join(
        f'<label><input type="checkbox" name="schwere" value="{c}" checked> {escape(CATEGORY_NAMES[c])}</label>'
        for c in (1, 2, 3)
    )
    who = "".join(
        f'<label><input type="radio" name="beteiligt" value="{f}"> {label}</label>'
        for f, label in PARTICIPANTS.items()
        if f in records
    )
    sources = [
        *data.attributions("unfallatlas", "vg"),
        "Kartengrundlage: © OpenStreetMap-Mitwirkende (ODbL), Kacheln von tile.openstreetmap.org",
    ]
    banner = f'<div class="synthetic" role="note">{SYNTHETIC_LABEL}</div>' if data.synthetic else ""
    html = PAGE.format(
        title=escape(title),
        banner=banner,
        gap=escape(gap),
        years=year_boxes,
        cats=cat_boxes,
        who=who,
        div=div,
        figure=fig.to_json(),
        flat=flat_figure(fig).to_json(),
        records=json.dumps(records, ensure_ascii=False, separators=(",", ":")),
        sources="".join(f"<li>{escape(s)}</li>" for s in sources),
        hotspots=HOTSPOTS,
    )
    write_if_changed(path, html)
    return path


PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
 body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #222; }}
 header, footer, form {{ padding: 0.4rem 1rem; }}
 h1 {{ font-size: 1.25rem; color: #1f3b5a; margin: 0.4rem 0; }}
 .note {{ color: #555; font-size: 0.85rem; margin: 0.2rem 0; }}
 form {{ display: flex; flex-wrap: wrap; gap: 0.6rem 1.4rem; font-size: 0.9rem; background: #f4f6f9; }}
 fieldset {{ border: 1px solid #ccd; padding: 0.2rem 0.6rem; }} label {{ margin-right: 0.6rem; white-space: nowrap; }}
 #{div} {{ height: 74vh; min-height: 420px; }}
 footer {{ font-size: 0.8rem; color: #555; }} footer ul {{ margin: 0.2rem 0; padding-left: 1.2rem; }}
 .synthetic {{ background: #c0392b; color: #fff; font-weight: bold; padding: 0.3rem 1rem; text-align: center; }}
</style>
</head>
<body>
{banner}
<header>
<p class="note"><a href="../index.html">Präventionsmonitor – Übersicht</a></p>
<h1>{title}</h1>
<p class="note">Straßenkarte: OpenStreetMap, vom Browser aus dem Internet geladen. Ohne Internetverbindung zeigt die Karte nur die Gemeindegrenze, die Unfallorte und die Unfallschwerpunkte.{gap}</p>
<p class="note" id="lokal" hidden>Diese Seite ist aus einem Ordner geöffnet: Browser wie Chrome und Edge laden hier keine Straßenkarte. Gezeigt werden Gemeindegrenze, Unfallorte und Unfallschwerpunkte; mit Straßenkarte über die Website des Präventionsmonitors.</p>
</header>
<form id="filter" aria-label="Unfälle auswählen">
<fieldset><legend>Jahre</legend>{years}</fieldset>
<fieldset><legend>Schwere</legend>{cats}</fieldset>
<fieldset><legend>Beteiligte</legend><label><input type="radio" name="beteiligt" value="" checked> alle</label>{who}</fieldset>
<fieldset><legend>Ebene</legend><label><input type="checkbox" id="schwerpunkte" checked> Unfallschwerpunkte (die {hotspots} ersten)</label></fieldset>
<p class="note" id="anzahl" aria-live="polite"></p>
</form>
<div id="{div}" role="figure" aria-label="{title}"></div>
<footer>
<p>Unfallschwerpunkte: Orte (Umkreis 50 m) mit mehr Unfällen, als an ähnlichen Orten zu erwarten ist; Zufallshäufungen herausgerechnet (Empirical Bayes), gewichtet mit den Unfallkosten der BASt.</p>
<ul>{sources}</ul>
</footer>
<script src="plotly.min.js"></script>
<script>
(function () {{
  // opened from a folder, the street map cannot start its web worker in Chrome and Edge: plain axes instead
  var local = window.location.protocol === "file:";
  var fig = local ? {flat} : {figure};
  var kx = local ? "x" : "lon", ky = local ? "y" : "lat";
  if (local) document.getElementById("lokal").hidden = false;
  var pts = {records};
  var div = document.getElementById("{div}");
  var roles = fig.data.map(function (t) {{ return (t.meta || {{}}); }});
  var ready = Plotly.newPlot(div, fig.data, fig.layout, {{locale: "de", displaylogo: false, responsive: true}});
  function checked(name) {{
    return Array.prototype.map.call(document.querySelectorAll('input[name="' + name + '"]:checked'), function (e) {{ return e.value; }});
  }}
  function draw() {{
    var years = checked("jahr").map(Number), cats = checked("schwere").map(Number);
    var who = (document.querySelector('input[name="beteiligt"]:checked') || {{value: ""}}).value;
    var shown = 0, lon = {{}}, lat = {{}}, text = {{}};
    [1, 2, 3].forEach(function (c) {{ lon[c] = []; lat[c] = []; text[c] = []; }});
    for (var i = 0; i < pts.year.length; i++) {{
      if (years.indexOf(pts.year[i]) < 0 || cats.indexOf(pts.cat[i]) < 0) continue;
      if (who && !(pts[who] && pts[who][i] === 1)) continue;
      lon[pts.cat[i]].push(pts.lon[i]); lat[pts.cat[i]].push(pts.lat[i]); text[pts.cat[i]].push(pts.text[i]); shown++;
    }}
    var idx = [], upd = {{text: []}};
    upd[kx] = []; upd[ky] = [];
    roles.forEach(function (m, k) {{
      if (m.role === "points") {{ idx.push(k); upd[kx].push(lon[m.category]); upd[ky].push(lat[m.category]); upd.text.push(text[m.category]); }}
    }});
    Plotly.restyle(div, upd, idx);
    var hot = [];
    roles.forEach(function (m, k) {{ if (m.role === "hotspots") hot.push(k); }});
    if (hot.length) Plotly.restyle(div, {{visible: document.getElementById("schwerpunkte").checked}}, hot);
    document.getElementById("anzahl").textContent = "Gezeigt: " + shown.toLocaleString("de-DE") + " Unfälle";
  }}
  // the points are drawn once the map has loaded its style; offline the tiles fail to load (the map reports an
  // error) and boundary, points and sites are drawn all the same
  function start() {{
    document.getElementById("filter").addEventListener("change", draw);
    draw();
  }}
  ready.then(start, start);
}})();
</script>
</body>
</html>
"""
