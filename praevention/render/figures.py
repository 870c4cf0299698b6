"""Plotly figures for people: choropleths, accident point maps, trends, forest plots, method comparisons.

German labels and number formats everywhere (``separators=",."`` for plotly's own numbers, :mod:`fmt`
for text), colour-blind-safe palettes (ColorBrewer YlGnBu sequential, light = low and dark = high; RdBu diverging
with the midpoint at 0),
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

from praevention.evaluation.change import BREAK_NOTE, Change
from praevention.evaluation.design import span
from praevention.render import disclosure, fmt
from praevention.render.classes import fisher_jenks, quantiles
from praevention.render.data import SYNTHETIC_LABEL, ReportData, is_placeholder
from praevention.stats.rates import eb_smoothed_rates

FONT = "DejaVu Sans, Arial, sans-serif"
SEQUENTIAL = "YlGnBu"  # light = low, dark = high (ColorBrewer, colour-blind safe)
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
SIDE_FOOT_WIDTH = 62  # the footnote right of a map


def base_layout(
    fig: go.Figure,
    data: ReportData,
    title: str,
    sources: tuple[str, ...] = (),
    *,
    height: int = 620,
    notes: list[str] | tuple[str, ...] = (),
    foot_right: bool = False,
) -> go.Figure:
    """Title, German number format, the footnote with ``notes`` (what the picture shows, in words) and the
    attribution of ``sources`` (keys of :data:`ATTRIBUTION`; all sources when empty), and the synthetic mark.
    ``foot_right``: the footnote stands right of the plot, below the legend (a map on a wide slide keeps the
    full height)."""
    # wrapped so that neither the title nor the footnote runs off a 1000-pixel picture beside long axis labels
    width = SIDE_FOOT_WIDTH if foot_right else FOOT_WIDTH
    lines = [part for text in [*notes, *data.attributions(*sources)] for part in textwrap.wrap(text, width)]
    foot = "<br>".join(lines)
    title_lines = textwrap.wrap(title, TITLE_WIDTH) or [""]
    fig.update_layout(
        title={"text": "<br>".join(title_lines), "x": 0.01, "xanchor": "left", "font": {"size": 20}},
        meta={"title": title},  # the title as one line, for slide titles and messages
        separators=",.",
        font={"family": FONT, "size": 13},
        height=height + 24 * (len(title_lines) - 1),
        margin={"l": 60, "r": 30, "t": 80 + 24 * (len(title_lines) - 1), "b": 80 + 17 * len(lines)},
    )
    # German notation on every axis: 10.000, never 10k
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    place = {"x": 1.02, "y": 0.55, "yshift": 0} if foot_right else {"x": 0, "y": 0, "yshift": -50}
    fig.add_annotation(
        text=f"<span style='font-size:10px;color:#555'>{foot}</span>",
        xref="paper",
        yref="paper",
        **place,
        showarrow=False,
        align="left",
        xanchor="left",
        yanchor="top",
        name="footnote",
    )
    if foot_right:
        fig.update_layout(margin={"r": 400, "b": 20})
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
def rings(geom: shapely.Geometry, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
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
    (belt and braces beside the holes of :func:`rings`, e.g. for boundaries whose holes were lost)."""
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
    xs, ys = rings(geom, tolerance)
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


def palette(k: int) -> list[str]:
    """The ``k`` class colours of every choropleth and of the QGIS styles: light (low) to dark (high)."""
    return sample_colorscale(SEQUENTIAL, [0.12 + 0.88 * i / max(1, k - 1) for i in range(k)])


def _value_rows(data: ReportData, level: str, indicator: str, year: int) -> pd.DataFrame:
    """Each unit's row of ``year`` with its change on the products' one base (:mod:`disclosure`):
    ``change`` (after / before − 1, on counts across the census break), ``change_text``, ``change_note`` and
    the years compared (``change_from``)."""
    p = data.panel[
        (data.panel["unit_level"] == level) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    now = p[p["year"] == year].set_index("unit_ags")
    changes = {ags: disclosure.series_change_text(g, year) for ags, g in p.groupby("unit_ags")}
    texts = {a: t for a, (t, _) in changes.items()}
    found = {a: c for a, (_, c) in changes.items() if c is not None}
    return now.assign(
        change=[found[a].ratio - 1 if a in found and found[a].ratio is not None else np.nan for a in now.index],
        change_text=[texts.get(a, "–") for a in now.index],
        change_note=[found[a].note if a in found else "" for a in now.index],
        change_from=[found[a].year_before if a in found else np.nan for a in now.index],
    )


def map_values(data: ReportData, level: str, indicator: str, year: int) -> tuple[pd.DataFrame, np.ndarray, bool]:
    """What a choropleth colours, in the order of the units' shapes: their rows of ``year``
    (:func:`_value_rows`), the values (Gemeinde rates stabilised by empirical Bayes, :func:`eb_smoothed_rates`,
    Marshall 1991; Kreis rates as they are) and whether they are stabilised. The QGIS styles of the open
    data classify the same values."""
    shapes = data.kreise if level == "Kreis" else data.gemeinden
    rows = _value_rows(data, level, indicator, year).reindex(shapes["ags"])
    smoothed = level != "Kreis"
    shown = (
        eb_smoothed_rates(rows["count"].to_numpy(float), rows["population"].to_numpy(float), per=1e5)
        if smoothed
        else rows["rate_per_100k"].to_numpy(dtype=float)
    )
    return rows, shown, smoothed


#: the census basis of a map's rates, in its footnote
CENSUS_NOTES = {
    "Zensus 2011": "Bevölkerung fortgeschrieben nach dem Zensus 2011; ab 2024 beruhen die Raten auf dem Zensus 2022 "
    "(Bruch in der Reihe, kein Trend).",
    "Zensus 2022": "Bevölkerung nach dem Zensus 2022: Die Raten sind mit denen bis 2023 (Zensus 2011) nicht "
    "vergleichbar (Bruch in der Reihe, kein Trend).",
}
EB_NOTE = (
    "Raten für kleine Gemeinden stabilisiert (Empirische-Bayes-Schätzung nach Marshall 1991): Wenige Fälle in "
    "einer kleinen Gemeinde rücken zum Landesmittel, große Gemeinden behalten fast ihre eigene Rate."
)


def choropleth(
    data: ReportData, level: str, indicator: str, year: int, *, kind: str = "rate", foot_right: bool = False
) -> go.Figure:
    """Kreis or Gemeinde map of the rate per 100.000 (classes) or of the change against the year before.

    Gemeinde rates are coloured by their empirical Bayes smoothed value (:func:`eb_smoothed_rates`,
    Marshall 1991), so that a village with a few accidents on a through road does not fill the top class;
    the raw rate stays in the hover text. Units are drawn largest first and with their holes, names and
    a scale bar are on the map. Raises ``ValueError`` when ``year`` has no annual value of ``indicator``
    at ``level`` (an empty map is never drawn)."""
    shapes = data.kreise if level == "Kreis" else data.gemeinden
    rows, shown, smoothed = map_values(data, level, indicator, year)
    smoothed = smoothed and kind == "rate"
    if not rows["rate_per_100k"].notna().any():
        raise ValueError(f"no annual values of {indicator} for the {level} units in {year}: no map is drawn")
    if not smoothed:
        shown = rows["rate_per_100k"].to_numpy(dtype=float)
    label = rows["indicator_label"].dropna().iloc[0]
    names = dict(zip(shapes["ags"], shapes["name"], strict=True))
    hover = []
    for (ags, r), value in zip(rows.iterrows(), shown, strict=True):
        flag = r.get("disclosure")
        count = disclosure.count_text(r.get("count"), flag)
        if disclosure.hidden(flag):
            # rate, interval and change would give the count away: not shown
            detail = "<br>Kleinzahl: Rate und Veränderung nicht ausgewiesen"
        else:
            detail = (
                f"<br>je 100.000 Einwohner: {fmt.number(r.get('rate_per_100k'), 1)} "
                f"(95 %-KI {fmt.number(r.get('rate_ci_low'), 1)}–{fmt.number(r.get('rate_ci_high'), 1)})"
                + (f"<br>stabilisierte Rate (Karte): {fmt.number(value, 1)}" if smoothed else "")
                + f"<br>Veränderung: {r.get('change_text') if isinstance(r.get('change_text'), str) else '–'}"
            )
        hover.append(
            f"<b>{names.get(ags, ags)}</b> (AGS {ags})<br>Anzahl {year}: {count}{detail}"
            f"<br>Einwohner ({year}): {fmt.number(r.get('population'), 0)}"
        )
    fig = go.Figure()
    order = drawing_order(shapes.geometry)
    geoms, keys = list(shapes.geometry), list(shapes["ags"])
    notes = []
    bases = set(rows["population_basis"].dropna()) if "population_basis" in rows else set()
    notes.append(CENSUS_NOTES["Zensus 2022" if "Zensus 2022" in bases else "Zensus 2011"])
    if kind == "change":
        visible = ~rows["disclosure"].map(disclosure.hidden).to_numpy(dtype=bool)
        z = np.where(visible, (rows["change"] * 100).to_numpy(dtype=float), np.nan)
        since = int(rows["change_from"].min()) if rows["change_from"].notna().any() else year - 1
        by_counts = any(isinstance(n, str) and n for n in rows["change_note"])
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
                        "title": f"Veränderung<br>{since} → {year}{'<br>der Fälle' if by_counts else ''}"
                        "<br>(blau: weniger,<br>rot: mehr)",
                        "ticksuffix": " %",
                    },
                },
            )
        )
        title = f"{label}: Veränderung {since} → {year} je {'Kreis' if level == 'Kreis' else 'Gemeinde'}" + (
            " (Fälle)" if by_counts else ""
        )
        if by_counts:  # the change is on counts: the note on the census basis of the rates becomes that
            notes[-1] = BREAK_NOTE
        method = None
    else:
        idx, bins, method = classify(shown)
        k = len(bins)
        colours = palette(k)
        for i in order:
            color = colours[int(idx[i])] if np.isfinite(idx[i]) else "#eeeeee"
            fig.add_trace(polygon_trace(geoms[i], color, hover[i], ags=str(keys[i])))
        basis = "stabilisierte Rate " if smoothed else ""
        for i, text in enumerate(class_labels(shown, idx, k)):
            legend_entry(fig, colours[i], text, f"{basis}je 100.000 Einwohner ({year})" if i == 0 else None)
        notes.append(CLASS_NOTE[method])
        if smoothed:
            notes.append(EB_NOTE)
        title = f"{label} je 100.000 Einwohner, {year}"
    if level != "Kreis":
        for geom in data.kreise.geometry:  # Kreis outlines over the Gemeinden
            xs, ys = rings(geom, 150.0)
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
    fig = base_layout(
        fig, data, title, data.sources_of(indicator, geometry=True), height=700, notes=notes, foot_right=foot_right
    )
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
            xs, ys = rings(shapely.MultiPolygon(members), 0)
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
    sites = data.top_sites(ags, 10)
    notes = []
    if len(sites):
        circles = shapely.MultiPolygon(
            [shapely.Point(x, y).buffer(r, 24) for x, y, r in sites[["x", "y", "radius_m"]].to_numpy()]
        )
        xs, ys = rings(circles, 0)
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
        f"Unfälle mit Personenschaden in {name} ({span(present) or 'keine Daten'}): {fmt.publish_count(len(pts))} Unfälle",
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


def finding_title(change: Change | None, unit_name: str, label: str) -> str:
    """A title that states the finding on the products' one base (:mod:`praevention.evaluation.change`):
    halved, fell, rose or unchanged between the two years, on counts across the census break."""
    if change is None or change.ratio is None:
        return f"{label} in {unit_name}: zu wenige Jahre für einen Trend"
    ratio, since = change.ratio, f"{change.year_before} → {change.year_after}"
    basis = " (Fälle)" if change.basis == "count" else ""
    if ratio <= 0.55:
        return f"{label} in {unit_name} {since} halbiert{basis}"
    if ratio <= 0.95:
        return f"{label} in {unit_name} {since} um {fmt.number((1 - ratio) * 100, 0)} % gesunken{basis}"
    if ratio >= 1.8:
        return f"{label} in {unit_name} {since} fast verdoppelt{basis}"
    if ratio >= 1.05:
        return f"{label} in {unit_name} {since} um {fmt.number((ratio - 1) * 100, 0)} % gestiegen{basis}"
    return f"{label} in {unit_name} {since} kaum verändert{basis}"


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
    spans = float(((e["ci_low"] < 1) & (e["ci_high"] > 1)).mean()) if len(e) else 0.0
    title = (
        f"Wirkungen der Maßnahmen: alle {len(e)} Intervalle schließen 1 ein"
        if len(e) and spans == 1
        else "Wirkungen der Maßnahmen: die meisten Intervalle schließen 1 ein"
        if spans > 0.5
        else "Wirkungen der Maßnahmen im Überblick"
    )
    return base_layout(fig, data, title, height=max(480, 60 + 26 * n))


#: the rows of the data-quality chart: label → (level, indicators); points are the Unfallatlas
COVERAGE_ROWS = {
    "Straftaten je Kreis (PKS)": ("Kreis", ("pks:------",)),
    "Straftaten je Gemeinde (LKA)": ("Gemeinde", ("pks:------",)),
    "Unfälle je Kreis (Statistik)": ("Kreis", ("acc:unfaelle_personenschaden", "acc:verunglueckte")),
    "Unfälle je Gemeinde (Statistik)": ("Gemeinde", ("acc:unfaelle_personenschaden", "acc:verunglueckte")),
    "Unfallorte je Gemeinde (Unfallatlas)": ("Gemeinde", ("acc:points_all",)),
    "Unfälle im Land (Statistik)": ("Land", ("acc:unfaelle_personenschaden",)),
}
COVERAGE_FROM = 2010


def coverage(data: ReportData) -> pd.DataFrame:
    """The share of the Land's units with annual values per kind of data and year (rows
    :data:`COVERAGE_ROWS`, columns the years from :data:`COVERAGE_FROM` to the data date): where the real
    gaps are."""
    last = data.data_date.year if data.data_date else COVERAGE_FROM
    years = list(range(COVERAGE_FROM, last + 1))
    units = {"Kreis": len(data.kreise), "Gemeinde": len(data.gemeinden), "Land": 1}
    yearly = data.panel[data.panel["month"].isna() & data.panel["count"].notna()]
    out = {}
    for label, (level, indicators) in COVERAGE_ROWS.items():
        p = yearly[(yearly["unit_level"] == level) & yearly["indicator"].isin(indicators)]
        per_year = p.groupby("year")["unit_ags"].nunique()
        out[label] = [float(per_year.get(y, 0)) / units[level] for y in years]
    return pd.DataFrame(out, index=years).T


def quality_chart(data: ReportData) -> go.Figure:
    """Which data exist: for each kind of data the share of Gemeinden or Kreise with values in each year
    (empty cells are the gaps), with the quarantined rows in the footnote."""
    cov = coverage(data)
    z = cov.to_numpy(dtype=float)
    units = {"Kreis": len(data.kreise), "Gemeinde": len(data.gemeinden), "Land": 1}
    totals = [units[level] for level, _ in COVERAGE_ROWS.values()]
    text = [[("–" if v == 0 else f"{round(v * n)}/{n}") for v in row] for row, n in zip(z, totals, strict=True)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in cov.columns],
            y=list(cov.index),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorscale=[[0, "#ffffff"], [0.001, "#deebf7"], [1, "#2171b5"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}, %{x}: %{text} Gebiete mit Werten<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Jahr", side="bottom")
    rows = int(data.quality["rows"].sum()) if len(data.quality) else 0
    gaps = [label for label, row in cov.iterrows() if 0 < row.max() < 0.5 or (row == 0).sum() > len(row) / 2]
    notes = [
        "Gebiete mit Werten je Jahr (Kreise, Gemeinden oder das Land); „–“: keine Daten."
        + (f" Lücken: {'; '.join(gaps)}." if gaps else "")
        + f" Zurückgewiesene Zeilen der Quelldateien: {fmt.number(rows)} (Gründe in der Tabelle darunter)."
    ]
    title = "Welche Daten es gibt: Gebiete mit Werten je Jahr"
    sources = ("pks", "pks_gemeinden", "unfallatlas", "unfallstatistik")
    fig = base_layout(fig, data, title, sources, height=460, notes=notes)
    fig.update_layout(margin={"l": 250})
    return fig


#: the overview map's group of measures that no body carries (placeholder bodies of the register)
PLACEHOLDER = "Maßnahme ohne eigenes Gremium"
BODY_COLORS = {
    "Präventionsrat": "#21908d",
    "Beirat": "#3b528b",
    "Sicherheitspartnerschaft": "#e67e22",
    "Landespräventionsrat": "#8e44ad",
    "other": "#7f8c8d",
    PLACEHOLDER: "#c7a27c",
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
    kind_of = {
        str(b["body_id"]): PLACEHOLDER if is_placeholder(b["body_id"]) else b["body_type"]
        for _, b in data.bodies.iterrows()
    }
    for kind, color in BODY_COLORS.items():
        sel = [r for r in rows if kind_of[str(r[1]["body_id"])] == kind]
        if not sel:
            continue
        name = BODY_TYPES.get(kind, kind)
        text = [
            (
                "<br>".join(f"<b>{fmt.shorten(t, 60)}</b>" for t in m["title"]) + f"<br>{name}"
                if kind == PLACEHOLDER
                else f"<b>{b['name']}</b><br>{name}<br>"
                + ("<br>".join(f"· {fmt.shorten(t, 60)}" for t in m["title"]) or "keine Maßnahmen eingetragen")
            )
            for _, b, m in sel
        ]
        fig.add_trace(
            go.Scatter(
                x=[p.x for p, _, _ in sel],
                y=[p.y for p, _, _ in sel],
                mode="markers",
                name=name,
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
        f"{fmt.plural(len(data.real_bodies), 'Gremium', 'Gremien')} und {fmt.plural(n_m, 'Maßnahme', 'Maßnahmen')} "
        "im Register",
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
    per_kreis = data.real_bodies["ags"].astype(str).str[:5].value_counts()
    on_map = per_kreis[per_kreis.index.isin(set(data.kreise["ags"]))]
    names = dict(zip(data.kreise["ags"], data.kreise["name"], strict=True))
    most = f"; die meisten in {names[on_map.index[0]]} ({fmt.number(on_map.iloc[0])})" if len(on_map) else ""
    return {
        "overview_map": (
            f"Karte der Kreise von {data.land_name} mit den Gremien des Registers "
            f"({fmt.plural(len(data.real_bodies), 'Gremium', 'Gremien')}) als Punkte, ihre Größe nach der Zahl ihrer "
            f"Maßnahmen (zusammen {fmt.number(len(data.measures))}){most}. Gremien für "
            "das ganze Land stehen in einem Kasten neben der Karte."
        ),
        "forest_plot": (
            f"Punktdiagramm der Wirkungen: {fmt.number(len(e))} ausgewertete Zielgrößen als Ratenverhältnis mit "
            f"95-%-Intervall auf logarithmischer Achse; bei {fmt.number(spans_one)} schließt das Intervall 1 (keine "
            "Veränderung) ein. Die Zahlen stehen in der Tabelle darunter."
        ),
        "quality": (
            "Tabelle als Farbfeld: Anteil der Gebiete mit Werten je Art der Daten und Jahr: "
            + "; ".join(
                f"{label}: {years or 'keine Jahre'}"
                for label, row in coverage(data).iterrows()
                for years in [span([int(y) for y, v in row.items() if v > 0])]
            )
            + f". {fmt.number(int(q.sum()))} Zeilen der Quelldateien zurückgewiesen: "
            + "; ".join(f"{(asset_names or {}).get(asset, asset)} {fmt.number(int(n))}" for asset, n in q.items())
            + "."
        ),
    }
