"""The render step of each product asset: plain functions from ReportData to files.

``maps_and_charts`` exports every figure and returns :class:`Figures`, which the ministry report and the
conference decks take as input (in Dagster: the value of the ``maps_and_charts`` asset).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from praevention.render import figures
from praevention.render.cache import RenderCache
from praevention.render.data import ReportData
from praevention.render.export import Export
from praevention.render.karten import render_maps
from praevention.render.konferenz import build_conference_kit, conference_charts, slide_manifest
from praevention.render.ministerium import render_ministry_report
from praevention.render.site import render_site
from praevention.render.steckbrief import render_fact_sheets

FOLDERS = {
    "maps_and_charts": "karten",
    "fact_sheets": "steckbriefe",
    "ministry_report": "ministerium",
    "conference_kit": "konferenz",
}


MINISTRY_IMAGES = {"overview_map": "gremien_uebersicht", "forest_plot": "wirkungen_forest", "quality": "datenqualitaet"}


def ministry_images(out: Path) -> dict[str, Path]:
    """Where ``maps_and_charts`` exports the ministry report's figures (file stems)."""
    return {key: out / FOLDERS["ministry_report"] / "img" / stem for key, stem in MINISTRY_IMAGES.items()}


def ministry_exports(data: ReportData, out: Path) -> list[Export]:
    stems = ministry_images(out)
    return [
        Export(figures.overview_map(data), stems["overview_map"], 1000, 850),
        Export(figures.forest_plot(data), stems["forest_plot"], 1333, 1000),
        Export(figures.quality_chart(data), stems["quality"]),
    ]


#: the render caches' folder below the output folder (plain caches: deleting it forces a full render)
CACHE_FOLDER = ".cache"


def render_cache(out: Path, asset: str) -> RenderCache:
    """The content keys of an asset's files (see :mod:`praevention.render.cache`)."""
    return RenderCache(out / CACHE_FOLDER / f"{asset}.cache.json")


@dataclass(frozen=True)
class Figures:
    """What ``maps_and_charts`` exported: its files, the conference charts' titles and images
    (:func:`slide_manifest`, relative to the conference folder) and the ministry report's images
    (relative to the output folder)."""

    files: list[Path]
    slides: dict[str, dict]
    ministry: dict[str, str]


def maps_and_charts(data: ReportData, out: Path, progress=None) -> Figures:
    """Every map and chart of all products, exported in one kaleido session (its start-up costs seconds);
    files whose figure is unchanged since the last run are kept. ``progress(done, total)`` is called as
    figures are exported."""
    folder = out / FOLDERS["conference_kit"]
    plan = conference_charts(data, folder)
    conference = [c.export for _, charts, region_map in plan.values() for c in [*charts, region_map]]
    cache = render_cache(out, "maps_and_charts")
    files = render_maps(
        data,
        out / FOLDERS["maps_and_charts"],
        extra=[*ministry_exports(data, out), *conference],
        cache=cache,
        progress=progress,
    )
    cache.save()
    ministry = {k: str(stem.with_suffix(".png").relative_to(out)) for k, stem in ministry_images(out).items()}
    return Figures(files, slide_manifest(plan, folder), ministry)


def fact_sheets(data: ReportData, out: Path, progress=None) -> list[Path]:
    """Every fact sheet; a PDF whose content is unchanged since the last run is not compiled again.
    ``progress(done, total)`` is called as sheets are compiled."""
    cache = render_cache(out, "fact_sheets")
    files = render_fact_sheets(data, out / FOLDERS["fact_sheets"], cache=cache, progress=progress)
    cache.save()
    return files


def ministry_report(data: ReportData, out: Path, figures: Figures) -> list[Path]:
    """Assembles the report around the images ``maps_and_charts`` exported."""
    pngs = {k: out / rel for k, rel in figures.ministry.items()}
    return sorted(render_ministry_report(data, out / FOLDERS["ministry_report"], pngs))


def conference_kit(data: ReportData, out: Path, figures: Figures) -> list[Path]:
    """Assembles the decks around the charts ``maps_and_charts`` exported."""
    return sorted(build_conference_kit(data, out / FOLDERS["conference_kit"], figures.slides))


def site(data: ReportData, out: Path, products: dict[str, list[Path]]) -> list[Path]:
    """The index page linking every product's files (product asset name → files)."""
    return [render_site(data, out, {FOLDERS[name]: files for name, files in products.items() if name in FOLDERS})]
