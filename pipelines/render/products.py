"""The render step of each product asset: plain functions from ReportData to files."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.errors import PipelineError
from pipelines.files import write_atomic
from pipelines.render import figures
from pipelines.render.cache import RenderCache
from pipelines.render.data import ReportData
from pipelines.render.export import Export
from pipelines.render.karten import render_maps
from pipelines.render.konferenz import build_conference_kit, conference_charts, slide_manifest
from pipelines.render.ministerium import render_ministry_report
from pipelines.render.site import render_site
from pipelines.render.steckbrief import render_fact_sheets

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


def slides_file(out: Path) -> Path:
    """The conference charts' titles and images, written by ``maps_and_charts`` for ``conference_kit``."""
    return out / ".state" / "conference_slides.json"


def render_cache(out: Path, asset: str) -> RenderCache:
    """The content keys of an asset's files, beside its state file (see :mod:`pipelines.render.cache`)."""
    return RenderCache(out / ".state" / f"{asset}.cache.json")


def maps_and_charts(data: ReportData, out: Path) -> list[Path]:
    """Every map and chart of all products, exported in one kaleido session (its start-up costs seconds);
    files whose figure is unchanged since the last run are kept."""
    folder = out / FOLDERS["conference_kit"]
    plan = conference_charts(data, folder)
    conference = [c.export for _, charts, region_map in plan.values() for c in [*charts, region_map]]
    cache = render_cache(out, "maps_and_charts")
    files = render_maps(
        data, out / FOLDERS["maps_and_charts"], extra=[*ministry_exports(data, out), *conference], cache=cache
    )
    cache.save()
    write_atomic(slides_file(out), json.dumps(slide_manifest(plan, folder), ensure_ascii=False, indent=1))
    return files


def fact_sheets(data: ReportData, out: Path) -> list[Path]:
    """Every fact sheet; a PDF whose content is unchanged since the last run is not compiled again."""
    cache = render_cache(out, "fact_sheets")
    files = render_fact_sheets(data, out / FOLDERS["fact_sheets"], cache=cache)
    cache.save()
    return files


def ministry_report(data: ReportData, out: Path) -> list[Path]:
    """Assembles the report around the images ``maps_and_charts`` exported."""
    pngs = {k: stem.with_suffix(".png") for k, stem in ministry_images(out).items()}
    return sorted(render_ministry_report(data, out / FOLDERS["ministry_report"], pngs))


def conference_kit(data: ReportData, out: Path) -> list[Path]:
    """Assembles the decks around the charts ``maps_and_charts`` exported."""
    manifest = slides_file(out)
    if not manifest.exists():
        raise PipelineError(f"{manifest} is missing: materialise maps_and_charts first (it exports the charts)")
    folder = out / FOLDERS["conference_kit"]
    return sorted(build_conference_kit(data, folder, json.loads(manifest.read_text(encoding="utf-8"))))


def site(data: ReportData, out: Path) -> list[Path]:
    products = {}
    for asset, folder in FOLDERS.items():
        state = out / ".state" / f"{asset}.json"
        files = json.loads(state.read_text())["files"] if state.exists() else []
        products[folder] = [out / f for f in files]
    return [render_site(data, out, products)]
