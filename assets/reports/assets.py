"""Products for people, rendered from the warehouse (read-only access) into the staging folder, checked there
and then published into the output folder by the ``publication`` asset.

Each product's value is what it wrote: ``maps_and_charts`` returns the exported figures
(:class:`~praevention.render.products.Figures`), which the ministry report and the conference decks take
as input; the others return their files, which the site links and ``publication`` publishes. Dagster's IO
manager keeps the values in the instance's storage. Each materialization lists its files (``file_list``,
relative to the folder), so that a product removes the files it no longer writes, and a file deleted from
the output folder is rendered and published again; its data version is the digest of their content.
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
from pipelines import records
from pipelines.progress import step_progress
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention import digest
from praevention.publish.output import claim, publish
from praevention.render.cache import retire_files
from praevention.render.data import ReportData, load_report_data

#: every table the products read (:func:`praevention.render.data.load_report_data`): the evaluation, the
#: register, the sources (the years each covers, and their rows in ``quarantine`` and ``ingest_log``)
WAREHOUSE_INPUTS = [
    "panel",
    "measure_effects",
    "calibration",
    "register_bodies",
    "register_measures",
    "boundaries",
    "accident_points",
    "accident_counts",
    "population",
    "safety_perception",
    "survey_responses",
    "crime_cases",
    "crime_gemeinde_cases",
    "crime_city_stats",
    "accident_screening",
    "site_calibration",
]
#: the data files every product's code reads: the accident costs, the reviews its verdicts quote, the pooling
#: rules, the police inspections, the questionnaire whose items the survey sections name
DATA_FILES = [
    "data/accident_costs.yaml",
    "data/literature.yaml",
    "data/pooling_rules.yaml",
    "data/regions.yaml",
    "data/survey_questionnaire.yaml",
]
PRODUCTS = ("maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site")


def product_spec(kinds: set[str], data_files: list[str] = DATA_FILES) -> dict[str, object]:
    """Decorator arguments every product shares."""
    return {
        "group_name": records.REPORT_GROUP,
        "kinds": kinds,
        "owners": OWNERS,
        "tags": asset_tags("product"),
        "metadata": {"output": True, records.DATA_FILES: data_files},
    }


def _target(raw_data: RawData, report_settings: ReportSettings) -> str:
    return records.report_target(
        report_settings.resolved(), raw_data.land_key(), report_settings.is_synthetic(), report_settings.region_scheme()
    )


def _listed(context: AssetExecutionContext, key: str, target: str) -> list[str]:
    """The files a product wrote in its latest materialization for this output folder."""
    entry = context.instance.get_latest_materialization_event(AssetKey(key))
    meta = entry.asset_materialization.metadata if entry is not None and entry.asset_materialization else {}
    if getattr(meta.get(records.TARGET), "value", None) != target:
        return []
    return [str(f) for f in getattr(meta.get(records.FILE_LIST), "value", None) or []]


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
    """Load the report data, render one product into the staging folder, retire its files no longer written,
    report them."""
    name = context.asset_key.to_user_string()
    out_dir = report_settings.staging()
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
    contents = [f"{r}:{digest.file_digest(out_dir / r)}" for r in relative]
    meta: dict[str, object] = {
        records.TARGET: MetadataValue.text(target),
        "files": MetadataValue.int(len(files)),
        records.FILE_LIST: MetadataValue.json(relative),
        "by_type": MetadataValue.json(by_type),
        "folder": MetadataValue.path(str(report_settings.resolved())),
        "staging": MetadataValue.path(str(out_dir)),
        "files_removed": MetadataValue.int(len(retired)),
    }
    shown = preview(value, out_dir)
    if shown is not None and shown.is_file():
        meta["preview"] = image_preview(shown)
    return Output(value, metadata=meta, data_version=DataVersion(digest.content_key(*contents)))


def progress_of(context: AssetExecutionContext) -> Callable[[int, int], None]:
    return step_progress(context.log)


def publish_products(
    context: AssetExecutionContext, raw_data: RawData, report_settings: ReportSettings, files: list[Path]
) -> Output:
    """Publish the staged ``files`` (paths in the staging folder) into the output folder, which is claimed
    first (:mod:`praevention.publish.output`); the materialization lists what the folder now holds."""
    staging, out_dir = report_settings.staging(), report_settings.resolved()
    claim(out_dir, raw_data.resolved())
    relative = sorted({f.relative_to(staging).as_posix() for f in files})
    done = publish(staging, out_dir, relative)
    if done.removed:
        context.log.info(
            f"publication: removed {len(done.removed)} file(s) no product writes: {', '.join(done.removed)}"
        )
    stamps = [f"{r}:{digest.file_digest(out_dir / r)}" for r in relative]
    return Output(
        None,
        metadata={
            records.TARGET: MetadataValue.text(_target(raw_data, report_settings)),
            records.FILE_LIST: MetadataValue.json(relative),
            "files_published": MetadataValue.int(len(relative)),
            "files_written": MetadataValue.int(len(done.written)),
            "files_removed": MetadataValue.int(len(done.removed)),
            "folder": MetadataValue.path(str(out_dir)),
        },
        data_version=DataVersion(digest.content_key(*stamps)),
    )
