"""Lightweight SVG graphics for documents (fact sheets, ministry report, site): no browser, milliseconds each.

* :class:`LocatorMap` projects the Land's Gemeinden once into SVG paths (simplified to about one pixel),
  with their holes (``fill-rule="evenodd"``: a unit inside another stays visible and hoverable).
  A sheet draws the grey base map plus a small overlay with its own municipality (or Kreis) highlighted;
  the base map is the same string for every sheet, so typst decodes it once per process.
* :func:`sparkline` draws indexed trends (first year = 100) of a few series with German labels.

All text is escaped; numbers go through :mod:`praevention.render.fmt`.
"""

from __future__ import annotations

import math
from html import escape

import geopandas as gpd
import numpy as np
import shapely

from praevention.evaluation.design import span as years_text
from praevention.render import fmt

WIDTH = 320
GREY, HIGHLIGHT, OUTLINE = "#d9d9d9", "#c0392b", "#333333"
FONT = "DejaVu Sans"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def _ring(coords: np.ndarray) -> str:
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z"


def _path(geom: shapely.Geometry, transform) -> str:
    polys = (
        [geom] if geom.geom_type == "Polygon" else [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    )
    return "".join(
        _ring(transform(np.asarray(ring.coords))) for poly in polys for ring in [poly.exterior, *poly.interiors]
    )


class LocatorMap:
    """The Land's Gemeinden and Kreise as SVG paths in one fixed frame (EPSG:25832 input)."""

    def __init__(self, gemeinden: gpd.GeoDataFrame, kreise: gpd.GeoDataFrame, width: int = WIDTH):
        if gemeinden.crs is None or gemeinden.crs.to_epsg() != 25832:
            raise ValueError(f"LocatorMap expects Gemeinden in EPSG:25832, got {gemeinden.crs}")
        minx, miny, maxx, maxy = gemeinden.total_bounds
        self.scale = (width - 4) / (maxx - minx)
        self.width = width
        self.height = math.ceil((maxy - miny) * self.scale) + 4
        self._origin = (minx - 2 / self.scale, maxy + 2 / self.scale)
        tol = 0.8 / self.scale  # below one pixel
        geoms = shapely.simplify(np.asarray(gemeinden.geometry.values), tol, preserve_topology=True)
        kgeoms = shapely.simplify(np.asarray(kreise.geometry.values), tol, preserve_topology=True)
        self.gemeinden = {str(a): _path(g, self._transform) for a, g in zip(gemeinden["ags"], geoms, strict=True)}
        self.kreise = {str(a): _path(g, self._transform) for a, g in zip(kreise["ags"], kgeoms, strict=True)}
        self.names = {str(a): str(n) for a, n in zip(gemeinden["ags"], gemeinden["name"], strict=True)}
        points = {
            str(a): p
            for a, p in zip(
                [*gemeinden["ags"], *kreise["ags"]],
                shapely.point_on_surface(
                    np.r_[np.asarray(gemeinden.geometry.values), np.asarray(kreise.geometry.values)]
                ),
                strict=True,
            )
        }
        land = shapely.union_all(np.asarray(kreise.geometry.values))
        self._points = {a: tuple(self._transform(np.array([[p.x, p.y]]))[0]) for a, p in points.items()}
        self._land_point = tuple(self._transform(np.array([[land.centroid.x, land.centroid.y]]))[0])
        self._base_body = "".join(
            f'<path d="{d}" fill-rule="evenodd" fill="{GREY}" stroke="#ffffff" stroke-width="0.4"/>'
            for d in self.gemeinden.values()
        ) + "".join(f'<path d="{d}" fill="none" stroke="{OUTLINE}" stroke-width="0.5"/>' for d in self.kreise.values())

    def _transform(self, xy: np.ndarray) -> np.ndarray:
        x0, y0 = self._origin
        return np.c_[(xy[:, 0] - x0) * self.scale, (y0 - xy[:, 1]) * self.scale]

    def _open(self, title: str, *, role: str = "img") -> str:
        return (
            f'<svg {SVG_NS} viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}" '
            f'role="{role}" aria-label="{escape(title or "Lagekarte")}">'
        )

    def point(self, ags: str) -> tuple[float, float]:
        """Pixel position of a unit's representative point (the Land's centroid for a 2-digit key)."""
        return self._points.get(ags, self._land_point)

    def _highlight(self, highlight: str | None) -> str:
        if not highlight or len(highlight) < 5:
            return ""
        kreis = highlight[:5]
        out = []
        if len(highlight) == 5:
            out += [
                f'<path d="{d}" fill-rule="evenodd" fill="{HIGHLIGHT}" fill-opacity="0.75" stroke="#ffffff" stroke-width="0.4"/>'
                for a, d in self.gemeinden.items()
                if a.startswith(kreis)
            ]
        elif highlight in self.gemeinden:
            out.append(
                f'<path d="{self.gemeinden[highlight]}" fill-rule="evenodd" fill="{HIGHLIGHT}" stroke="{HIGHLIGHT}" stroke-width="0.6"/>'
            )
        if kreis in self.kreise:
            out.append(f'<path d="{self.kreise[kreis]}" fill="none" stroke="{OUTLINE}" stroke-width="1.6"/>')
        return "".join(out)

    def base(self, *, title: str = "") -> str:
        """The grey base map (Gemeinden, Kreis outlines); identical for every sheet."""
        return self._open(title) + self._base_body + "</svg>"

    def overlay(self, highlight: str | None) -> str:
        """A transparent SVG in the same frame as :meth:`base` with only the highlight."""
        return self._open("Hervorhebung") + self._highlight(highlight) + "</svg>"

    def svg(
        self,
        highlight: str | None = None,
        *,
        links: dict[str, str] | None = None,
        title: str = "",
    ) -> str:
        """One SVG: base map and highlight; ``links`` (AGS → URL) makes Gemeinden clickable with tooltips."""
        if links is None:
            body = self._base_body
        else:
            parts = []
            for ags, d in self.gemeinden.items():
                tip = f"<title>{escape(self.names[ags])} ({ags})</title>"
                path = (
                    f'<path d="{d}" fill-rule="evenodd" fill="{GREY}" stroke="#ffffff" stroke-width="0.4">{tip}</path>'
                )
                if ags in links:
                    path = f'<a href="{escape(links[ags])}" data-ags="{ags}" aria-label="{escape(self.names[ags])}">{path}</a>'
                parts.append(path)
            parts += [
                f'<path d="{d}" fill="none" stroke="{OUTLINE}" stroke-width="0.5" pointer-events="none"/>'
                for d in self.kreise.values()
            ]
            body = "".join(parts)
        return self._open(title) + body + self._highlight(highlight) + "</svg>"


def _empty(width: int, text: str) -> str:
    return (
        f'<svg {SVG_NS} viewBox="0 0 {width} 24" width="{width}" height="24"><text x="0" y="16" font-size="10" '
        f'font-family="{FONT}">{escape(text)}</text></svg>'
    )


def runs(years: list[int]) -> list[list[int]]:
    """Consecutive years as runs: [2020, 2022, 2023, 2024] → [[2020], [2022, 2023, 2024]]."""
    out: list[list[int]] = []
    for y in years:
        if out and y == out[-1][-1] + 1:
            out[-1].append(y)
        else:
            out.append([y])
    return out


def sparkline(
    series: dict[str, list[tuple[int, float, float]]],
    *,
    width: int = 320,
    height: int = 130,
    unit: str = "Index (erstes Jahr = 100)",
    label: str | None = None,
    break_year: int | None = None,
) -> str:
    """Indexed lines (first year = 100) for a few named series of (year, rate, count); the first series is
    drawn strongest. A missing year is a gap in the line, never bridged; the legend names each series'
    years. ``break_year``: the first year on a new census basis, marked by a dashed line. ``label``
    describes the chart for screen readers (``aria-label``; default ``unit``)."""
    colors = ["#c0392b", "#1f3b5a", "#888888"]
    clean = {
        k: [(int(y), float(v)) for y, v, _ in s if v is not None and math.isfinite(v) and v > 0]
        for k, s in series.items()
    }
    clean = {k: s for k, s in clean.items() if len(s) >= 2}
    if not clean:
        return _empty(width, "keine Zeitreihe verfügbar")
    indexed = {k: [(y, v / s[0][1] * 100) for y, v in s] for k, s in clean.items()}
    years = [y for s in indexed.values() for y, _ in s]
    values = [v for s in indexed.values() for _, v in s]
    y0, y1 = min(years), max(years)
    lo, hi = min([*values, 100]) * 0.95, max([*values, 100]) * 1.05
    left, right, top, bottom = 30, 10, 16, 22
    legend_h = 13 * len(indexed)

    def px(y: float, v: float) -> tuple[float, float]:
        x = left + (y - y0) / max(1, y1 - y0) * (width - left - right)
        return x, top + (hi - v) / (hi - lo) * (height - top - bottom)

    out = [
        f'<svg {SVG_NS} viewBox="0 0 {width} {height + legend_h}" width="{width}" height="{height + legend_h}" '
        f'font-family="{FONT}" font-size="9" role="img" aria-label="{escape(label or unit)}">'
    ]
    _, base_y = px(y0, 100)
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{base_y:.1f}" y2="{base_y:.1f}" stroke="#999" stroke-dasharray="3,3"/>'
    )
    if break_year is not None and y0 < break_year <= y1:
        bx, _ = px(break_year - 0.5, hi)
        out.append(
            f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{top}" y2="{height - bottom}" stroke="#777" stroke-dasharray="2,2"/>'
            f'<text x="{bx - 2:.1f}" y="{top + 8}" text-anchor="end" font-size="7" fill="#555">Zensus 2022</text>'
        )
    for v in (lo, 100, hi):
        _, yy = px(y0, v)
        out.append(f'<text x="{left - 4}" y="{yy + 3:.1f}" text-anchor="end">{fmt.number(v, 0)}</text>')
    for y, anchor in ((y0, "start"), (y1, "end")) if y1 > y0 else ((y0, "middle"),):
        xx, _ = px(y, lo)
        out.append(f'<text x="{xx:.1f}" y="{height - bottom + 13}" text-anchor="{anchor}">{y}</text>')
    for i, (name, s) in enumerate(indexed.items()):
        color = colors[i % len(colors)]
        values_by_year = dict(s)
        for run in runs([y for y, _ in s]):
            pts = " ".join(f"{px(y, values_by_year[y])[0]:.1f},{px(y, values_by_year[y])[1]:.1f}" for y in run)
            if len(run) == 1:
                x, yy = px(run[0], values_by_year[run[0]])
                out.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="1.6" fill="{color}"/>')
            else:
                out.append(
                    f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{2.2 if i == 0 else 1.4}"/>'
                )
        ly = height + 13 * i + 2
        out.append(
            f'<line x1="{left}" x2="{left + 16}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"/>'
            f'<text x="{left + 20}" y="{ly + 3}">{escape(name)} ({years_text([y for y, _ in s])})</text>'
        )
    out.append(f'<text x="2" y="9" font-size="8">{escape(unit)}</text></svg>')
    return "".join(out)
