"""Plotly figures for people: choropleths, accident point maps, trends, forest plots, method comparisons.

German labels and number formats everywhere (``separators=",."`` for plotly's own numbers, :mod:`fmt`
for text), colour-blind-safe palettes (viridis sequential, RdBu diverging with the midpoint at 0),
classes by Fisher-Jenks natural breaks, or quantiles when few values (:mod:`classes`), named in the
legend, the sources in a footnote and, for the demo, a "Demodaten – synthetisch" mark. Maps draw the boundaries themselves
(filled polygons in EPSG:25832 with equal axes: no tile server, no WebGL), so they render offline and
export as true vector SVG.
"""

from __future__ import annotations

import functools
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import shapely
from plotly.colors import sample_colorscale

from praevention.evaluation.design import span
from praevention.render import fmt
from praevention.render.classes import fisher_jenks, quantiles
from praevention.render.data import SOURCE_NAMES, SYNTHETIC_LABEL, ReportData
from praevention.stats.rates import eb_smoothed_rates

FONT = "DejaVu Sans, Arial, sans-serif"
SEQUENTIAL = "Viridis"
DIVERGING = "RdBu_r"
CATEGORY_COLORS = {1: "#b2182b", 2: "#ef8a62", 3: "#67a9cf"}
CATEGORY_NAMES = {1: "Unfälle mit Getöteten", 2: "mit Schwerverletzten", 3: "mit Leichtverletzten"}

# plotly_white's layout and its defaults for the two trace types drawn here, as the process default:
# every go.Figure() takes it without a copy, where naming "plotly_white" deep-copied that template's
# defaults for all 40 trace types on each figure (a quarter of the map set's time, benchmarks/run.py)
_WHITE = pio.templates["plotly_white"]
pio.templates["praeventionsmonitor"] = go.layout.Template(
    layout=_WHITE.layout, data={"scatter": _WHITE.data.scatter, "bar": _WHITE.data.bar}
)
pio.templates.default = "praeventionsmonitor"


#: characters per line of a figure's title (20 px) and of its footnote (10 px) in a 1000-pixel picture
TITLE_WIDTH = 80
FOOT_WIDTH = 90


def figure_title(fig: go.Figure) -> str:
    """The title a figure was given, on one line (``base_layout`` wraps it for the picture)."""
    meta = fig.layout.meta
    return str(meta["title"]) if isinstance(meta, dict) and "title" in meta else str(fig.layout.title.text or "")


def base_layout(
    fig: go.Figure,
    data: ReportData,
    title: str,
    sources: tuple[str, ...] = (),
    *,
    height: int = 620,
    notes: list[str] | tuple[str, ...] = (),
) -> go.Figure:
    """Title, German number format, the footnote with ``notes`` (what the picture shows, in words) and the
    attribution of ``sources`` (keys of :data:`ATTRIBUTION`; all sources when empty), and the synthetic mark."""
    # wrapped so that neither the title nor the footnote runs off a 1000-pixel picture beside long axis labels
    lines = [part for text in [*notes, *data.attributions(*sources)] for part in textwrap.wrap(text, FOOT_WIDTH)]
    foot = "<br>".join(lines)
    title_lines = textwrap.wrap(title, TITLE_WIDTH) or [""]
    fig.update_layout(
        title={"text": "<br>".join(title_lines), "x": 0.01, "xanchor": "left", "font": {"size": 20}},
        meta={"title": title},  # the title as one line, for slide titles and messages
        separators=",.",
        font={"family": FONT, "size": 13},
        height=height + 24 * (len(title_lines) - 1),
        margin={"l": 60, "r": 30, "t": 80 + 24 * (len(title_lines) - 1), "b": 60 + 15 * len(lines)},
    )
    fig.add_annotation(
        text=f"<span style='font-size:10px;color:#555'>{foot}</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-45,
        showarrow=False,
        align="left",
        xanchor="left",
        yanchor="top",
    )
    if data.synthetic:
        fig.add_annotation(
            text=SYNTHETIC_LABEL,
            xref="paper",
            yref="paper",
            x=0.99,
            y=0.99,
            showarrow=False,
            font={"size": 18, "color": "#c0392b"},
            bgcolor="rgba(255,255,255,0.8)",
            xanchor="right",
            yanchor="top",
        )
    return fig


@functools.lru_cache(maxsize=4096)
def _rings(geom: shapely.Geometry, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """All rings of a (multi)polygon in EPSG:25832 metres, whole metres, separated by NaN for plotly.

    Holes are kept, wound against their exterior (exteriors counter-clockwise, holes clockwise): plotly
    fills a trace's rings as one SVG path with the nonzero rule, so a hole stays empty and a unit inside
    it (Halle (Saale) inside the Saalekreis) is seen and hovered, whatever the drawing order.

    Cached: the same boundaries are drawn on every map of a run. float32 arrays (exact for whole metres
    below 16,777,216) reach plotly as compact typed arrays instead of lists it checks value by value."""
    simple = shapely.orient_polygons(shapely.simplify(geom, tolerance, preserve_topology=True))
    polys = (
        [simple]
        if simple.geom_type == "Polygon"
        else [g for g in getattr(simple, "geoms", []) if g.geom_type == "Polygon"]
    )
    gap = np.array([np.nan], dtype=np.float32)
    rings = [
        np.round(np.asarray(ring.coords)).astype(np.float32)
        for poly in polys
        for ring in [poly.exterior, *poly.interiors]
    ]
    xs = np.concatenate([part for r in rings for part in (r[:, 0], gap)]) if rings else gap[:0]
    ys = np.concatenate([part for r in rings for part in (r[:, 1], gap)]) if rings else gap[:0]
    xs.flags.writeable = ys.flags.writeable = False  # shared by every figure that draws this geometry
    return xs, ys


def drawing_order(geoms) -> list[int]:
    """Indices of ``geoms`` by area, largest first: an enclave is drawn after (above) the unit around it
    (belt and braces beside the holes of :func:`_rings`, e.g. for boundaries whose holes were lost)."""
    areas = shapely.area(np.asarray(list(geoms), dtype=object))
    return [int(i) for i in np.argsort(-areas, kind="stable")]


def polygon_trace(
    geom: shapely.Geometry,
    fill: str,
    hover: str,
    *,
    tolerance: float = 150.0,
    line: str = "white",
    width: float = 0.6,
    name: str = "",
    ags: str | None = None,
) -> go.Scatter:
    """One filled area with its own hover text (the map is drawn from the boundaries, no tiles, no WebGL);
    ``ags`` is kept in the trace's ``meta`` (which unit the trace draws, whatever the drawing order)."""
    xs, ys = _rings(geom, tolerance)
    return go.Scatter(
        x=xs,
        y=ys,
        fill="toself",
        fillcolor=fill,
        mode="lines",
        line={"color": line, "width": width},
        hoveron="fills",
        text=hover,
        hoverinfo="text",
        showlegend=False,
        name=name,
        meta={"ags": ags} if ags else None,
    )


def label_point(geom: shapely.Geometry) -> shapely.Point:
    """Where a unit's name goes: the pole of inaccessibility of its largest part (the point farthest from
    its edges), so that a ring around an enclave (the Saalekreis around Halle) is not labelled on the enclave."""
    from shapely.ops import polylabel

    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda g: g.area)
    return polylabel(largest, tolerance=max(1.0, math.sqrt(largest.area) / 200))


SMALL_UNIT = 0.02  # share of the map's area below which a unit's name stands beside it, with a leader line
#: where a small unit's name may stand (pixels right and down of the unit), tried in this order
LEADER_OFFSETS = ((70, 0), (-70, 0), (55, -35), (-55, -35), (55, 35), (-55, 35), (0, -45), (0, 45))


def unit_labels(fig: go.Figure, shapes, *, size: int = 10, map_px: float = 500.0) -> None:
    """The units' names (``shapes``: ``name`` and geometry) on a light box inside each unit; the names of
    small units (the kreisfreie Städte) stand beside them with a leader line, where they overlap no other
    name, so that their colour stays visible. ``map_px``: about how many pixels the map is high (to size
    the names' boxes in metres)."""
    geoms = list(shapes.geometry)
    names = [str(n) for n in shapes["name"]]
    total = sum(g.area for g in geoms)
    _, miny, _, maxy = shapes.total_bounds
    metres = (maxy - miny) / map_px  # per pixel

    def box(x: float, y: float, text: str) -> shapely.Polygon:
        w, h = 0.62 * size * len(text) * metres / 2, 0.8 * size * metres
        return shapely.box(x - w, y - h, x + w, y + h)

    points = [label_point(g) for g in geoms]
    small = [g.area < SMALL_UNIT * total for g in geoms]
    taken = [box(p.x, p.y, n) for p, n, sm in zip(points, names, small, strict=True) if not sm]
    for point, name, is_small in zip(points, names, small, strict=True):
        ax = ay = 0
        if is_small:
            for dx, dy in LEADER_OFFSETS:
                candidate = box(point.x + dx * metres, point.y - dy * metres, name)
                if not any(candidate.intersects(t) for t in taken):
                    ax, ay = dx, dy
                    taken.append(candidate)
                    break
            else:
                ax, ay = LEADER_OFFSETS[0]
        fig.add_annotation(
            x=point.x,
            y=point.y,
            xref="x",
            yref="y",
            text=name,
            name="unit_label",
            showarrow=is_small,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#333333",
            ax=ax,
            ay=ay,
            font={"size": size, "color": "#1a1a1a"},
            bgcolor="rgba(255,255,255,0.7)",
            borderpad=1,
        )


def nice_length(span: float) -> float:
    """A round length (1, 2 or 5 times a power of ten) of about a fifth of ``span``."""
    target = span / 5
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def scale_bar(fig: go.Figure, bounds: tuple[float, float, float, float]) -> None:
    """A scale bar in EPSG:25832 metres below the lower left corner of ``bounds`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    length = nice_length(maxx - minx)
    tick = (maxy - miny) * 0.012
    y = miny - 3 * tick
    label = f"{fmt.number(length / 1000)} km" if length >= 1000 else f"{fmt.number(length)} m"
    fig.add_trace(
        go.Scatter(
            x=[minx, minx, minx, minx + length, minx + length, minx + length],
            y=[y + tick, y - tick, y, y, y + tick, y - tick],
            mode="lines",
            line={"color": "#333333", "width": 2},
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "scale"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[minx + length / 2],
            y=[y + tick],
            mode="text",
            text=[label],
            textposition="top center",
            textfont={"size": 11, "color": "#333333"},
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "scale"},
        )
    )


def map_axes(fig: go.Figure) -> None:
    """Equal scale in both directions (EPSG:25832 metres), no axes."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor="white")


def legend_entry(fig: go.Figure, color: str, label: str, group_title: str | None = None) -> None:
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"size": 14, "color": color, "symbol": "square"},
            name=label,
            legendgrouptitle_text=group_title,
            legendgroup="classes",
            showlegend=True,
        )
    )


CLASS_WORDS = {
    1: ["alle Werte"],
    2: ["niedriger", "höher"],
    3: ["niedrig", "mittel", "hoch"],
    4: ["niedrig", "eher niedrig", "eher hoch", "hoch"],
    5: ["sehr niedrig", "niedrig", "mittel", "hoch", "sehr hoch"],
}
#: what the classes mean, for the map's caption (the method's name is not for readers)
CLASS_NOTE = {
    "Fisher-Jenks": "Klassen: Grenzen dort, wo die Werte am deutlichsten springen (natürliche Brüche).",
    "Quantile": "Klassen: etwa gleich viele Gebiete je Klasse.",
}


def class_labels(values: np.ndarray, idx: np.ndarray, k: int, decimals: int = 0) -> list[str]:
    """Legend text per class: a word ("sehr niedrig" … "sehr hoch") and the range of the values in it,
    in German number format ("sehr niedrig: 4.512 bis 5.890")."""
    words = CLASS_WORDS.get(k, [f"Klasse {i + 1}" for i in range(k)])
    out = []
    for i in range(k):
        members = values[idx == i]
        if len(members) == 0:
            out.append(f"{words[i]}: keine Gebiete")
            continue
        lo, hi = float(np.min(members)), float(np.max(members))
        rng = fmt.number(lo, decimals) if lo == hi else f"{fmt.number(lo, decimals)} bis {fmt.number(hi, decimals)}"
        out.append(f"{words[i]}: {rng}")
    return out


def classify(values: np.ndarray, k: int = 5) -> tuple[np.ndarray, list[float], str]:
    """Class index per value, upper bounds, and the name of the method (kept in the figure's ``meta``)."""
    finite = values[np.isfinite(values)]
    k = max(1, min(k, len(np.unique(finite))))
    if len(finite) >= 2 * k and k >= 3:
        bins, name = [float(b) for b in fisher_jenks(finite, k)], "Fisher-Jenks"
    else:
        bins, name = [float(b) for b in quantiles(finite, k)], "Quantile"
    idx = np.full(len(values), np.nan)
    idx[np.isfinite(values)] = np.searchsorted(bins, values[np.isfinite(values)], side="left")
    return idx, bins, name


def _value_rows(data: ReportData, level: str, indicator: str, year: int) -> pd.DataFrame:
    p = data.panel[
        (data.panel["unit_level"] == level) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    now = p[p["year"] == year].set_index("unit_ags")
    prev = p[p["year"] == year - 1].set_index("unit_ags")
    now = now.assign(
        change=(now["rate_per_100k"] / prev["rate_per_100k"].reindex(now.index)) - 1,
        count_before=prev["count"].reindex(now.index),
    )
    return now


EB_NOTE = (
    "Raten für kleine Gemeinden stabilisiert (Empirische-Bayes-Schätzung nach Marshall 1991): Wenige Fälle in "
    "einer kleinen Gemeinde rücken zum Landesmittel, große Gemeinden behalten fast ihre eigene Rate."
)


def choropleth(data: ReportData, level: str, indicator: str, year: int, *, kind: str = "rate") -> go.Figure:
    """Kreis or Gemeinde map of the rate per 100.000 (classes) or of the change against the year before.

    Gemeinde rates are coloured by their empirical Bayes smoothed value (:func:`eb_smoothed_rates`,
    Marshall 1991), so that a village with a few accidents on a through road does not fill the top class;
    the raw rate stays in the hover text. Units are drawn largest first and with their holes, names and
    a scale bar are on the map. Raises ``ValueError`` when ``year`` has no annual value of ``indicator``
    at ``level`` (an empty map is never drawn)."""
    shapes = data.kreise if level == "Kreis" else data.gemeinden
    rows = _value_rows(data, level, indicator, year).reindex(shapes["ags"])
    if not rows["rate_per_100k"].notna().any():
        raise ValueError(f"no annual values of {indicator} for the {level} units in {year}: no map is drawn")
    label = rows["indicator_label"].dropna().iloc[0]
    names = dict(zip(shapes["ags"], shapes["name"], strict=True))
    pops = dict(zip(shapes["ags"], shapes["population"], strict=True))
    smoothed = level != "Kreis" and kind == "rate"
    shown = (
        eb_smoothed_rates(rows["count"].to_numpy(float), rows["population"].to_numpy(float), per=1e5)
        if smoothed
        else rows["rate_per_100k"].to_numpy(dtype=float)
    )
    hover = []
    for (ags, r), value in zip(rows.iterrows(), shown, strict=True):
        publishes_small = level == "Kreis" and indicator.startswith("pks:")
        count = fmt.publish_count(r.get("count"), source_publishes_small=publishes_small)
        if fmt.is_suppressed(r.get("count"), source_publishes_small=publishes_small):
            # rate, interval and change would give the count away: not shown
            detail = "<br>Kleinzahl: Rate und Veränderung nicht ausgewiesen"
        else:
            detail = (
                f"<br>je 100.000 Einwohner: {fmt.number(r.get('rate_per_100k'), 1)} "
                f"(95 %-KI {fmt.number(r.get('rate_ci_low'), 1)}–{fmt.number(r.get('rate_ci_high'), 1)})"
                + (f"<br>stabilisierte Rate (Karte): {fmt.number(value, 1)}" if smoothed else "")
                + f"<br>Veränderung zum Vorjahr: {fmt.change_text(r.get('count_before'), r.get('count'), r.get('change') + 1)}"
            )
        hover.append(
            f"<b>{names.get(ags, ags)}</b> (AGS {ags})<br>Anzahl {year}: {count}{detail}"
            f"<br>Einwohner: {fmt.number(pops.get(ags), 0)}"
        )
    fig = go.Figure()
    order = drawing_order(shapes.geometry)
    geoms, keys = list(shapes.geometry), list(shapes["ags"])
    notes = []
    if kind == "change":
        z = (rows["change"] * 100).to_numpy(dtype=float)
        bound = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
        bound = bound or 1.0
        colors = [
            sample_colorscale(DIVERGING, [(v + bound) / (2 * bound)])[0] if np.isfinite(v) else "#eeeeee" for v in z
        ]
        for i in order:
            fig.add_trace(polygon_trace(geoms[i], colors[i], hover[i], ags=str(keys[i])))
        # the colour bar of the diverging scale, midpoint at zero
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={
                    "colorscale": DIVERGING,
                    "cmin": -bound,
                    "cmax": bound,
                    "cmid": 0,
                    "color": [0],
                    "showscale": True,
                    "colorbar": {
                        "title": "Veränderung<br>zum Vorjahr<br>(blau: weniger,<br>rot: mehr)",
                        "ticksuffix": " %",
                    },
                },
            )
        )
        title = f"{label}: Veränderung {year - 1} → {year} je {'Kreis' if level == 'Kreis' else 'Gemeinde'}"
        method = None
    else:
        idx, bins, method = classify(shown)
        k = len(bins)
        palette = sample_colorscale(SEQUENTIAL, [i / max(1, k - 1) for i in range(k)])
        for i in order:
            color = palette[int(idx[i])] if np.isfinite(idx[i]) else "#eeeeee"
            fig.add_trace(polygon_trace(geoms[i], color, hover[i], ags=str(keys[i])))
        basis = "stabilisierte Rate " if smoothed else ""
        for i, text in enumerate(class_labels(shown, idx, k)):
            legend_entry(fig, palette[i], text, f"{basis}je 100.000 Einwohner ({year})" if i == 0 else None)
        notes.append(CLASS_NOTE[method])
        if smoothed:
            notes.append(EB_NOTE)
        title = f"{label} je 100.000 Einwohner, {year}"
    if level != "Kreis":
        for geom in data.kreise.geometry:  # Kreis outlines over the Gemeinden
            xs, ys = _rings(geom, 150.0)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": "#333333", "width": 1.1},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    unit_labels(fig, data.kreise, size=10 if level == "Kreis" else 9)
    scale_bar(fig, tuple(shapes.total_bounds))
    map_axes(fig)
    if indicator.startswith("pks:") and level == "Kreis":
        title += "<br><sup>Kriminalitätsdaten liegen nur auf Kreisebene vor.</sup>"
    fig = base_layout(fig, data, title, data.sources_of(indicator, geometry=True), height=700, notes=notes)
    fig.update_layout(meta={"classification": method}, legend={"x": 1.0, "y": 0.95, "xanchor": "left"})
    return fig


def hexbins(x: np.ndarray, y: np.ndarray, size: float) -> tuple[list[shapely.Polygon], np.ndarray]:
    """Count points in flat-topped hexagons of circumradius ``size`` (metres, EPSG:25832)."""
    w = 1.5 * size
    h = math.sqrt(3) * size
    col = np.round(x / w).astype(int)
    row = np.round((y - (col % 2) * h / 2) / h).astype(int)
    cells, counts = np.unique(np.c_[col, row], axis=0, return_counts=True)
    polys = []
    for c, r in cells:
        cx, cy = c * w, r * h + (c % 2) * h / 2
        angles = np.radians(np.arange(0, 360, 60))
        polys.append(shapely.Polygon(np.c_[cx + size * np.cos(angles), cy + size * np.sin(angles)]))
    return polys, counts


def accident_map(
    data: ReportData, ags: str, years: tuple[int, ...] | None = None, *, hex_size: float = 400.0
) -> go.Figure:
    """Unfallatlas points of one municipality by category over a hexbin density layer, its neighbours' outlines
    and names for orientation, and the network screening's top sites (Unfallschwerpunkte) with their ranks."""
    pts = data.points[data.points["ags"] == ags]
    if years:
        pts = pts[pts["year"].isin(years)]
    shape = data.gemeinden[data.gemeinden["ags"] == ags]
    name = shape["name"].iloc[0] if len(shape) else ags
    fig = go.Figure()
    if len(shape):
        around = shape.geometry.iloc[0].buffer(3_000)
        neighbours = data.gemeinden[data.gemeinden.intersects(around) & (data.gemeinden["ags"] != ags)]
        for geom, other in zip(neighbours.geometry, neighbours["name"], strict=True):
            fig.add_trace(polygon_trace(geom.intersection(around), "#fbfbfb", str(other), tolerance=20, line="#aaaaaa"))
        fig.add_trace(
            polygon_trace(shape.geometry.iloc[0], "#f7f7f7", str(name), tolerance=20, line="#333333", width=1.2)
        )
        if len(neighbours):
            unit_labels(fig, neighbours.assign(geometry=neighbours.geometry.intersection(around)), size=9)
    if len(pts):
        polys, counts = hexbins(pts["x_25832"].to_numpy(), pts["y_25832"].to_numpy(), hex_size)
        values = counts.astype(float)
        idx, bins, _ = classify(values, k=5)
        greys = sample_colorscale("Greys", [0.15 + 0.7 * i / max(1, len(bins) - 1) for i in range(len(bins))])
        labels = class_labels(values, idx, len(bins))
        for i, color in enumerate(greys):
            members = [p for p, j in zip(polys, idx, strict=True) if j == i]
            if not members:
                continue
            xs, ys = _rings(shapely.MultiPolygon(members), 0)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor=color,
                    mode="lines",
                    line={"width": 0},
                    hoverinfo="skip",
                    legendgroup="dichte",
                    showlegend=True,
                    legendgrouptitle_text=f"Unfälle je Sechseck ({fmt.number(hex_size)} m)" if i == 0 else None,
                    name=labels[i],
                )
            )
    for cat in (3, 2, 1):
        sel = pts[pts["category"] == cat]
        fig.add_trace(
            go.Scatter(
                x=sel["x_25832"],
                y=sel["y_25832"],
                mode="markers",
                name=CATEGORY_NAMES[cat],
                marker={"size": 4 if cat == 3 else 6, "color": CATEGORY_COLORS[cat], "opacity": 0.8},
                text=[f"{CATEGORY_NAMES[cat]}, {m:02d}/{y}" for m, y in zip(sel["month"], sel["year"], strict=True)],
                hoverinfo="text",
            )
        )
    sites = data.screening[data.screening["ags"] == ags].sort_values("rank").head(10) if len(data.screening) else None
    notes = []
    if sites is not None and len(sites):
        rings = shapely.MultiPolygon(
            [shapely.Point(x, y).buffer(r, 24) for x, y, r in sites[["x", "y", "radius_m"]].to_numpy()]
        )
        xs, ys = _rings(rings, 0)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#e66101", "width": 2},
                name="Unfallschwerpunkte (Rang)",
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=sites["x"] + sites["radius_m"] * 1.3,
                y=sites["y"] + sites["radius_m"] * 1.3,
                mode="text",
                text=[str(int(r)) for r in sites["rank"]],
                textfont={"size": 12, "color": "#a63603"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        notes.append(
            "Orange: die zehn Unfallschwerpunkte (Umkreis 50 m) mit dem höchsten Überschuss an Unfällen gegenüber "
            "ähnlichen Orten, gewichtet mit den Unfallkosten; die Zahl ist ihr Rang."
        )
    present = sorted({int(y) for y in pts["year"]})
    missing = [y for y in range(present[0], present[-1] + 1) if y not in present] if present else []
    if missing:
        notes.append(f"Für {span(missing)} liegen keine Unfallorte vor (eine Lücke, keine Null).")
    notes.append("Grau: Nachbargemeinden zur Orientierung; Stadtteilgrenzen liegen in den Daten nicht vor.")
    if len(shape):
        scale_bar(fig, tuple(shape.total_bounds))
    map_axes(fig)
    fig = base_layout(
        fig,
        data,
        f"Unfälle mit Personenschaden in {name} ({span(present) or 'keine Daten'}): {fmt.number(len(pts))} Unfälle",
        ("unfallatlas", "vg"),
        height=700,
        notes=notes,
    )
    if len(shape):  # the Gemeinde fills the picture; its neighbours only frame it
        minx, miny, maxx, maxy = shape.total_bounds
        pad = 0.04 * max(maxx - minx, maxy - miny)
        fig.update_xaxes(range=[minx - pad, maxx + pad])
        fig.update_yaxes(range=[miny - pad, maxy + pad])
    fig.update_layout(legend={"x": 1.0, "y": 0.95, "xanchor": "left"})
    return fig


def ci_band(series: pd.DataFrame) -> go.Scatter:
    """The shaded 95 % interval of a yearly rate series (columns ``year``, ``rate_ci_low``, ``rate_ci_high``)."""
    return go.Scatter(
        x=list(series["year"]) + list(series["year"])[::-1],
        y=list(series["rate_ci_high"]) + list(series["rate_ci_low"])[::-1],
        fill="toself",
        fillcolor="rgba(33,144,141,0.15)",
        line={"width": 0},
        hoverinfo="skip",
        name="95 %-Konfidenzintervall",
    )


def interval_error(estimate: pd.Series, low: pd.Series, high: pd.Series, color: str | None = None) -> dict:
    """Plotly error bars from an estimate and its interval bounds (asymmetric, e.g. on a log axis)."""
    bars = {"type": "data", "symmetric": False, "array": high - estimate, "arrayminus": estimate - low}
    if color is not None:
        bars["color"] = color
    return bars


def finding_title(years: list[int], values: list[float], unit_name: str, label: str) -> str:
    """A title that states the finding: halved, fell, rose or unchanged, from the first to the last year."""
    pairs = [(y, v) for y, v in zip(years, values, strict=True) if v is not None and math.isfinite(v)]
    if len(pairs) < 2:
        return f"{label} in {unit_name}: zu wenige Jahre für einen Trend"
    (y0, v0), (y1, v1) = pairs[0], pairs[-1]
    if v0 <= 0:
        return f"{label} in {unit_name} {y0}–{y1}"
    ratio = v1 / v0
    if ratio <= 0.55:
        return f"{label} in {unit_name} seit {y0} halbiert"
    if ratio <= 0.95:
        return f"{label} in {unit_name} seit {y0} um {fmt.number((1 - ratio) * 100, 0)} % gesunken"
    if ratio >= 1.8:
        return f"{label} in {unit_name} seit {y0} fast verdoppelt"
    if ratio >= 1.05:
        return f"{label} in {unit_name} seit {y0} um {fmt.number((ratio - 1) * 100, 0)} % gestiegen"
    return f"{label} in {unit_name} seit {y0} kaum verändert"


def forest_plot(data: ReportData) -> go.Figure:
    """Headline effects with intervals on a log axis, and the pooled estimates as diamonds."""
    e = data.effects[data.effects["headline"] & data.effects["evaluable"]].copy()
    e = e.sort_values(["indicator", "estimate"])
    labels = [
        f"{data.event_name(m, 45)} · {lab} ({data.unit_name(u)})"
        for m, lab, u in zip(e["measure_id"], e["indicator_label"], e["unit_ags"], strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=e["estimate"],
            y=labels,
            mode="markers",
            marker={"color": "#3b528b", "size": 8},
            name="Einzelne Maßnahmen",
            error_x=interval_error(e["estimate"], e["ci_low"], e["ci_high"], "#3b528b"),
            text=[fmt.change_from_ratio(v) for v in e["estimate"]],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    pooled = data.pooled
    if len(pooled):
        plabels = [
            f"Mittel: {g} ({'Kriminalität' if d == 'crime' else 'Verkehr'}, k = {k})"
            for g, d, k in zip(pooled["group"], pooled["indicator_domain"], pooled["k"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=pooled["estimate"],
                y=plabels,
                mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": "#c0392b"},
                name="Mittel gleichartiger Maßnahmen (Meta-Analyse)",
                error_x=interval_error(pooled["estimate"], pooled["ci_low"], pooled["ci_high"], "#c0392b"),
            )
        )
    fig.add_vline(x=1, line_dash="dash", line_color="#555")
    fig.update_xaxes(type="log", title="Ratenverhältnis (unter 1 = weniger Fälle als erwartet)")
    n = len(labels) + len(pooled)
    title = (
        "Wirkungen der Maßnahmen: die meisten Intervalle schließen 1 ein"
        if len(e) and (e["ci_low"] < 1).mean() > 0.5 and (e["ci_high"] > 1).mean() > 0.5
        else "Wirkungen der Maßnahmen im Überblick"
    )
    return base_layout(fig, data, title, height=max(480, 60 + 26 * n))


def quality_chart(data: ReportData) -> go.Figure:
    q = data.quality.groupby("asset", as_index=False)["rows"].sum().sort_values("rows")
    fig = go.Figure(
        go.Bar(
            x=q["rows"],
            y=[SOURCE_NAMES.get(a, a) for a in q["asset"]],
            orientation="h",
            marker_color="#3b528b",
            text=[fmt.number(v) for v in q["rows"]],
            textposition="outside",
        )
    )
    fig.update_xaxes(title="Zeilen in Quarantäne")
    total = int(q["rows"].sum())
    return base_layout(fig, data, f"{fmt.number(total)} Zeilen in Quarantäne – jede mit Grund dokumentiert", height=420)


BODY_COLORS = {
    "Präventionsrat": "#21908d",
    "Beirat": "#3b528b",
    "Sicherheitspartnerschaft": "#e67e22",
    "Landespräventionsrat": "#8e44ad",
    "other": "#7f8c8d",
}


def overview_map(data: ReportData) -> go.Figure:
    """All bodies of the register on the Land's Kreise, with their measures in the hover text. Bodies of
    the whole Land (the Landespräventionsrat) are not a place on the map: they are named in a box beside it."""
    from praevention.register.schema import BODY_TYPES

    fig = go.Figure()
    for i in drawing_order(data.kreise.geometry):
        geom, name, ags = data.kreise.geometry.iloc[i], data.kreise["name"].iloc[i], data.kreise["ags"].iloc[i]
        fig.add_trace(polygon_trace(geom, "#eeeeee", str(name), line="#888888", width=0.8, ags=str(ags)))
    unit_labels(fig, data.kreise)
    centroids = data.gemeinden.set_index("ags").geometry.centroid
    kreis_centroids = data.kreise.set_index("ags").geometry.centroid
    rows, land_rows = [], []
    for _, b in data.bodies.iterrows():
        ags = str(b["ags"])
        measures = data.measures[data.measures["body_id"] == b["body_id"]]
        point = centroids.get(ags) if ags in centroids.index else kreis_centroids.get(ags)
        if point is None:
            land_rows.append((b, measures))
        else:
            rows.append((point, b, measures))
    for kind, color in BODY_COLORS.items():
        sel = [r for r in rows if r[1]["body_type"] == kind]
        if not sel:
            continue
        text = [
            f"<b>{b['name']}</b><br>{BODY_TYPES.get(kind, kind)}<br>"
            + ("<br>".join(f"· {t[:60]}" for t in m["title"]) or "keine Maßnahmen eingetragen")
            for _, b, m in sel
        ]
        fig.add_trace(
            go.Scatter(
                x=[p.x for p, _, _ in sel],
                y=[p.y for p, _, _ in sel],
                mode="markers",
                name=BODY_TYPES.get(kind, kind),
                text=text,
                hoverinfo="text",
                marker={
                    "size": [10 + 3 * len(m) for _, _, m in sel],
                    "color": color,
                    "opacity": 0.85,
                    "line": {"color": "white", "width": 1},
                },
            )
        )
    if land_rows:
        lines = [f"<b>{b['name']}</b><br>{_measures_de(len(m))}" for b, m in land_rows]
        fig.add_annotation(
            text="Für das ganze Land zuständig<br>(kein Ort auf der Karte):<br>" + "<br>".join(lines),
            xref="paper",
            yref="paper",
            x=1.0,
            y=0.5,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": 11},
            bgcolor="#f4f6f9",
            bordercolor=BODY_COLORS["Landespräventionsrat"],
            borderwidth=1,
            borderpad=6,
        )
    scale_bar(fig, tuple(data.kreise.total_bounds))
    map_axes(fig)
    n_m = len(data.measures)
    fig = base_layout(
        fig,
        data,
        f"{fmt.plural(len(data.bodies), 'Gremium', 'Gremien')} und {fmt.plural(n_m, 'Maßnahme', 'Maßnahmen')} im Register",
        ("register", "vg"),
        height=760,
        notes=["Punktgröße: Zahl der eingetragenen Maßnahmen. Gremien einer Gemeinde stehen in deren Mitte."],
    )
    fig.update_layout(
        legend={"x": 1.0, "y": 0.95, "xanchor": "left", "yanchor": "top", "title": {"text": "Art des Gremiums"}},
        margin={"r": 260},
    )
    return fig


def _measures_de(n: int) -> str:
    return "keine Maßnahmen eingetragen" if n == 0 else "1 Maßnahme" if n == 1 else f"{fmt.number(n)} Maßnahmen"


def alt_texts(data: ReportData, asset_names: dict[str, str] | None = None) -> dict[str, str]:
    """Alt text of the ministry report's figures (keys as ``MINISTRY_IMAGES``): what each shows, with its
    main figures, for readers who cannot see the picture (``asset_names``: readable names of the sources)."""
    e = data.effects[data.effects["headline"] & data.effects["evaluable"]]
    spans_one = int(((e["ci_low"] < 1) & (e["ci_high"] > 1)).sum())
    q = data.quality.groupby("asset")["rows"].sum().sort_values(ascending=False)
    per_kreis = data.bodies["ags"].astype(str).str[:5].value_counts()
    on_map = per_kreis[per_kreis.index.isin(set(data.kreise["ags"]))]
    names = dict(zip(data.kreise["ags"], data.kreise["name"], strict=True))
    most = f"; die meisten in {names[on_map.index[0]]} ({fmt.number(on_map.iloc[0])})" if len(on_map) else ""
    return {
        "overview_map": (
            f"Karte der Kreise von {data.land_name} mit den Gremien des Registers "
            f"({fmt.plural(len(data.bodies), 'Gremium', 'Gremien')}) als Punkte, ihre Größe nach der Zahl ihrer "
            f"Maßnahmen (zusammen {fmt.number(len(data.measures))}){most}. Gremien für "
            "das ganze Land stehen in einem Kasten neben der Karte."
        ),
        "forest_plot": (
            f"Punktdiagramm der Wirkungen: {fmt.number(len(e))} ausgewertete Zielgrößen als Ratenverhältnis mit "
            f"95-%-Intervall auf logarithmischer Achse; bei {fmt.number(spans_one)} schließt das Intervall 1 (keine "
            "Veränderung) ein. Die Zahlen stehen in der Tabelle darunter."
        ),
        "quality": (
            f"Balkendiagramm: {fmt.number(int(q.sum()))} Zeilen in Quarantäne je Quelle: "
            + "; ".join(f"{(asset_names or {}).get(asset, asset)} {fmt.number(int(n))}" for asset, n in q.items())
            + ". Die Gründe stehen in der Tabelle darunter."
        ),
    }
