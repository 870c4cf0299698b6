"""Products for people, rendered from the warehouse into the output folder (read-only access).

Each product's value is what it wrote: ``maps_and_charts`` returns the exported figures
(:class:`~praevention.render.products.Figures`), which the ministry report and the conference decks take
as input; the others return their files, which the site links. Dagster's IO manager keeps the values
in the instance's storage. Each materialization lists its files (``file_list``), so that a product
removes the files it no longer writes, and a file deleted from the output folder is rendered again.
"""

import base64
import io
from collections.abc import Callable
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    DataVersion,
    MetadataValue,
    Output,
)

from assets._shared import OWNERS, asset_tags
from pipelines import engine
from pipelines.progress import step_progress
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention import digest
from praevention.render.cache import retire_files
from praevention.render.data import ReportData, load_report_data

WAREHOUSE_INPUTS = [
    "panel",
    "measure_effects",
    "calibration",
    "register_bodies",
    "register_measures",
    "boundaries",
    "accident_points",
    "population",
    "accident_screening",
    "site_calibration",
]
PRODUCTS = ("maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site")


def product_spec(kinds: set[str]) -> dict[str, object]:
    """Decorator arguments every product shares."""
    return {
        "group_name": engine.REPORT_GROUP,
        "kinds": kinds,
        "owners": OWNERS,
        "tags": asset_tags("product"),
        "code_version": engine.code_version(),
        "metadata": {"output": True},
    }


def _target(raw_data: RawData, report_settings: ReportSettings) -> str:
    return engine.report_target(
        report_settings.resolved(), raw_data.land_key(), report_settings.is_synthetic(), report_settings.region_scheme()
    )


def _listed(context: AssetExecutionContext, key: str, target: str) -> list[str]:
    """The files a product wrote in its latest materialization for this output folder."""
    entry = context.instance.get_latest_materialization_event(AssetKey(key))
    meta = entry.asset_materialization.metadata if entry is not None and entry.asset_materialization else {}
    if getattr(meta.get(engine.TARGET), "value", None) != target:
        return []
    return [str(f) for f in getattr(meta.get(engine.FILE_LIST), "value", None) or []]


def image_preview(png: Path, width: int = 480) -> MetadataValue:
    """A small copy of ``png`` embedded in Markdown, shown as a picture in the Dagster UI."""
    from PIL import Image

    with Image.open(png) as img:
        img.thumbnail((width, width))
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="PNG", optimize=True)
    uri = base64.b64encode(buf.getvalue()).decode()
    return MetadataValue.md(f"![{png.name}](data:image/png;base64,{uri})")


def render_product(
    context: AssetExecutionContext,
    warehouse: DuckDBWarehouse,
    raw_data: RawData,
    report_settings: ReportSettings,
    render: Callable[[ReportData, Path], object],
    files_of: Callable[[object], list[Path]] = list,
    preview: Callable[[object, Path], Path | None] = lambda value, out: None,
) -> Output:
    """Load the report data, render one product, retire its files no longer written, report them."""
    name = context.asset_key.to_user_string()
    out_dir = report_settings.resolved()
    with warehouse.connect(read_only=True) as con:
        data = load_report_data(
            con, raw_data.land_key(), synthetic=report_settings.is_synthetic(), regions=report_settings.region_scheme()
        )
    value = render(data, out_dir)
    files = files_of(value)
    target = _target(raw_data, report_settings)
    others = [f for other in PRODUCTS if other != name for f in _listed(context, other, target)]
    retired = retire_files(out_dir, _listed(context, name, target), files, keep=others)
    if retired:
        context.log.info(f"{name}: removed {len(retired)} file(s) it no longer writes: {', '.join(map(str, retired))}")
    relative = sorted(str(f.relative_to(out_dir)) for f in files)
    by_type: dict[str, int] = {}
    for f in files:
        by_type[f.suffix] = by_type.get(f.suffix, 0) + 1
    stamps = [f"{r}:{(out_dir / r).stat().st_size}:{(out_dir / r).stat().st_mtime_ns}" for r in relative]
    meta: dict[str, object] = {
        engine.TARGET: MetadataValue.text(target),
        "files": MetadataValue.int(len(files)),
        engine.FILE_LIST: MetadataValue.json(relative),
        "by_type": MetadataValue.json(by_type),
        "folder": MetadataValue.path(str(out_dir)),
        "files_removed": MetadataValue.int(len(retired)),
    }
    shown = preview(value, out_dir)
    if shown is not None and shown.is_file():
        meta["preview"] = image_preview(shown)
    return Output(value, metadata=meta, data_version=DataVersion(digest.content_key(*stamps)))


def progress_of(context: AssetExecutionContext) -> Callable[[int, int], None]:
    return step_progress(context.log)
