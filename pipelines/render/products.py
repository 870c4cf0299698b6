"""The render step of each product asset: plain functions from ReportData to files."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.render import figures
from pipelines.render.cache import RenderCache
from pipelines.render.data import ReportData
from pipelines.render.export import Export
from pipelines.render.karten import render_maps
from pipelines.render.konferenz import build_conference_kit, conference_charts
from pipelines.render.ministerium import render_ministry_report
from pipelines.render.site import render_site
from pipelines.render.steckbrief import render_fact_sheets

FOLDERS = {
    "maps_and_charts": "karten",
    "fact_sheets": "steckbriefe",
    "ministry_report": "ministerium",
    "conference_kit": "konferenz",
}


def ministry_exports(data: ReportData, out: Path) -> dict[str, Export]:
    img = out / FOLDERS["ministry_report"] / "img"
    return {
        "overview_map": Export(figures.overview_map(data), img / "gremien_uebersicht", 1000, 850),
        "forest_plot": Export(figures.forest_plot(data), img / "wirkungen_forest", 1333, 1000),
        "quality": Export(figures.quality_chart(data), img / "datenqualitaet"),
    }


def render_cache(out: Path, asset: str) -> RenderCache:
    """The content keys of an asset's files, beside its state file (see :mod:`pipelines.render.cache`)."""
    return RenderCache(out / ".state" / f"{asset}.cache.json")


def maps_and_charts(data: ReportData, out: Path) -> list[Path]:
    """Every map and chart of all products, exported in one kaleido session (its start-up costs seconds);
    files whose figure is unchanged since the last run are kept."""
    plan = conference_charts(data, out / FOLDERS["conference_kit"])
    conference = [e for _, charts, map_export in plan.values() for e in [*(c for _, c in charts), map_export]]
    cache = render_cache(out, "maps_and_charts")
    files = render_maps(
        data, out / FOLDERS["maps_and_charts"], extra=[*ministry_exports(data, out).values(), *conference], cache=cache
    )
    cache.save()
    return files


def fact_sheets(data: ReportData, out: Path) -> list[Path]:
    """Every fact sheet; a PDF whose content is unchanged since the last run is not compiled again."""
    cache = render_cache(out, "fact_sheets")
    files = render_fact_sheets(data, out / FOLDERS["fact_sheets"], cache=cache)
    cache.save()
    return files


def ministry_report(data: ReportData, out: Path) -> list[Path]:
    """Assembles the report around the images ``maps_and_charts`` exported."""
    pngs = {k: e.stem.with_suffix(".png") for k, e in ministry_exports(data, out).items()}
    return sorted(render_ministry_report(data, out / FOLDERS["ministry_report"], pngs))


def conference_kit(data: ReportData, out: Path) -> list[Path]:
    """Assembles the decks around the charts ``maps_and_charts`` exported."""
    folder = out / FOLDERS["conference_kit"]
    return sorted(build_conference_kit(data, folder, conference_charts(data, folder)))


def site(data: ReportData, out: Path) -> list[Path]:
    products = {}
    for asset, folder in FOLDERS.items():
        state = out / ".state" / f"{asset}.json"
        files = json.loads(state.read_text())["files"] if state.exists() else []
        products[folder] = [out / f for f in files]
    return [render_site(data, out, products)]
