"""The map set (``karten/``): interactive HTML and static PNG (300 dpi) and SVG of every map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from praevention.render import figures
from praevention.render.cache import RenderCache
from praevention.render.data import ReportData
from praevention.render.export import Export, export_static, write_html
from praevention.render.steckbrief import slug
from praevention.render.unfallkarte import street_map_page

KREIS_MAPS = [
    ("pks:------", "straftaten"),
    ("pks:899000", "strassenkriminalitaet"),
    ("pks:435*00", "wohnungseinbruch"),
    ("pks:892000", "gewaltkriminalitaet"),
]
CHANGE_MAPS = {"pks:------", "pks:899000"}  # diverging maps of the change against the year before
GEMEINDE_MAPS = [
    ("acc:verunglueckte", "verunglueckte"),
    ("acc:unfaelle_personenschaden", "unfaelle_personenschaden"),
    ("acc:points_all", "unfaelle_unfallatlas"),
]
MIN_COVERAGE = 0.5  # a map is drawn for the latest year in which at least half of the units have a value


def latest_year(data: ReportData, level: str, indicator: str) -> int | None:
    """The latest year with a value for at least :data:`MIN_COVERAGE` of the Land's units of ``level``.

    (The real Unfallatlas extract covers Magdeburg only: a Land map with one coloured Gemeinde is not drawn.)
    """
    p = data.panel[
        (data.panel["unit_level"] == level)
        & (data.panel["indicator"] == indicator)
        & data.panel["rate_per_100k"].notna()
    ]
    units = len(data.kreise if level == "Kreis" else data.gemeinden)
    per_year = p.groupby("year")["unit_ags"].nunique()
    covered = per_year[per_year >= MIN_COVERAGE * units]
    return int(covered.index.max()) if len(covered) else None


def point_map_places(data: ReportData) -> list[str]:
    """Gemeinden whose accident point map is also exported as PNG and SVG: those with a body or measure
    in the register (the places fact sheets and conferences talk about). Every other Gemeinde with
    points gets the interactive map only; a static export costs about half a second per file."""
    keys = {str(a) for a in data.bodies["ags"]} | {str(a) for a in data.measures["ags"].dropna()}
    return sorted(set(data.points["ags"]) & keys)


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
    out.append(Export(figures.overview_map(data), folder / "gremien_uebersicht", 1000, 850))
    return out


def point_map_exports(data: ReportData, folder: Path) -> dict[str, Export]:
    """Gemeinde key → its accident point map, for every Gemeinde with Unfallatlas points."""
    names = dict(zip(data.gemeinden["ags"], data.gemeinden["name"], strict=True))
    return {
        ags: Export(figures.accident_map(data, ags), folder / f"unfallorte_{ags}_{slug(names[ags])}", 1000, 800)
        for ags in sorted(set(data.points["ags"]) & set(names))
    }


def render_maps(
    data: ReportData,
    folder: Path,
    extra: list[Export] = (),
    cache: RenderCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Interactive HTML of every map; PNG and SVG of the Land maps, of the point maps of the register's
    places (:func:`point_map_places`) and of ``extra`` figures, in one kaleido batch (unchanged files
    are kept when a ``cache`` is given; ``progress(done, total)`` follows the static exports)."""
    exports = map_exports(data, folder)
    points = point_map_exports(data, folder)
    html = [write_html(e.figure, e.stem.with_suffix(".html")) for e in exports]
    # the point maps' pages are on a street basemap (the PNG and SVG keep the drawn boundaries)
    html += [street_map_page(data, ags, e.stem.with_suffix(".html")) for ags, e in points.items()]
    static = [*exports, *(points[a] for a in point_map_places(data) if a in points), *extra]
    return sorted([*html, *export_static(static, cache=cache, progress=progress), folder / "plotly.min.js"])
