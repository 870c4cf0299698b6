"""The map set (``karten/``): interactive HTML and static PNG (300 dpi) and SVG of every map."""

from __future__ import annotations

from pathlib import Path

from pipelines.render import figures
from pipelines.render.data import ReportData
from pipelines.render.export import Export, export_static, write_html
from pipelines.render.steckbrief import slug

KREIS_MAPS = [
    ("pks:------", "straftaten"),
    ("pks:899000", "strassenkriminalitaet"),
    ("pks:435*00", "wohnungseinbruch"),
    ("pks:892000", "gewaltkriminalitaet"),
]
CHANGE_MAPS = {"pks:------", "pks:899000"}  # diverging maps of the change against the year before
GEMEINDE_MAPS = [("acc:verunglueckte", "verunglueckte"), ("acc:unfaelle_personenschaden", "unfaelle_personenschaden")]


def latest_year(data: ReportData, level: str, indicator: str) -> int | None:
    p = data.panel[
        (data.panel["unit_level"] == level)
        & (data.panel["indicator"] == indicator)
        & data.panel["rate_per_100k"].notna()
    ]
    return int(p["year"].max()) if len(p) else None


def map_exports(data: ReportData, folder: Path) -> list[Export]:
    out = []
    for indicator, name in KREIS_MAPS:
        year = latest_year(data, "Kreis", indicator)
        if year is None:
            continue
        out.append(
            Export(figures.choropleth(data, "Kreis", indicator, year), folder / f"kreise_{name}_{year}", 1000, 800)
        )
        if indicator in CHANGE_MAPS:
            out.append(
                Export(
                    figures.choropleth(data, "Kreis", indicator, year, kind="change"),
                    folder / f"kreise_{name}_veraenderung_{year}",
                    1000,
                    800,
                )
            )
    for indicator, name in GEMEINDE_MAPS:
        year = latest_year(data, "Gemeinde", indicator)
        if year is not None:
            out.append(
                Export(
                    figures.choropleth(data, "Gemeinde", indicator, year),
                    folder / f"gemeinden_{name}_{year}",
                    1000,
                    800,
                )
            )
    names = dict(zip(data.gemeinden["ags"], data.gemeinden["name"], strict=True))
    for ags in sorted(set(data.points["ags"]) & set(names)):
        out.append(Export(figures.accident_map(data, ags), folder / f"unfallorte_{ags}_{slug(names[ags])}", 1000, 800))
    out.append(Export(figures.overview_map(data), folder / "gremien_uebersicht", 1000, 850))
    return out


def render_maps(data: ReportData, folder: Path, extra: list[Export] = ()) -> list[Path]:
    """Interactive HTML of every map, and PNG and SVG of the maps plus ``extra`` figures in one batch."""
    exports = map_exports(data, folder)
    html = [write_html(e.figure, e.stem.with_suffix(".html")) for e in exports]
    return sorted([*html, *export_static([*exports, *extra]), folder / "plotly.min.js"])
