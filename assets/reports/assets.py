"""Products for people, rendered from the warehouse into the output folder (read-only access).

Each asset records its input fingerprint in ``<out>/.state/<asset>.json`` next to its files, so that
``praevention run`` re-renders only what changed and can run these assets in parallel processes.
"""

import json
from collections.abc import Callable
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines import lineage
from pipelines.render.data import ReportData, load_report_data
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from pipelines.warehouse import stored_fingerprints

WAREHOUSE_INPUTS = [
    "panel",
    "measure_effects",
    "register_bodies",
    "register_measures",
    "boundaries",
    "accident_points",
    "population",
]


def state_file(out_dir: Path, name: str) -> Path:
    return out_dir / ".state" / f"{name}.json"


def report_asset(name: str, description: str, render: Callable[[ReportData, Path], list[Path]], deps: list[str]):
    """One product: load the data, render into the output folder, record files and fingerprint."""

    @asset(
        name=name,
        group_name="reports",
        kinds={"html", "pdf"},
        deps=deps,
        description=description,
        metadata={"output": True},
    )
    def _report(
        context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData, report_settings: ReportSettings
    ) -> MaterializeResult:
        out_dir = report_settings.resolved()
        with warehouse.connect(read_only=True) as con:
            data = load_report_data(
                con,
                raw_data.land_key(),
                synthetic=report_settings.is_synthetic(),
                regions=report_settings.region_scheme(),
            )
            stored = stored_fingerprints(con)
        files = render(data, out_dir)
        fingerprint = lineage.derived_fingerprint(
            {d: stored.get(d) for d in deps if d in stored} | {d: _state(out_dir, d) for d in deps if d not in stored},
            {
                "out_dir": str(out_dir),
                "synthetic": report_settings.is_synthetic(),
                "regions": report_settings.region_scheme(),
            },
        )
        path = state_file(out_dir, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps({"fingerprint": fingerprint, "files": [str(f.relative_to(out_dir)) for f in files]}, indent=1)
        )
        by_type: dict[str, int] = {}
        for f in files:
            by_type[f.suffix] = by_type.get(f.suffix, 0) + 1
        return MaterializeResult(
            metadata={
                "files": MetadataValue.int(len(files)),
                "by_type": MetadataValue.json(by_type),
                "folder": MetadataValue.path(str(out_dir)),
            }
        )

    return _report


def _state(out_dir: Path, name: str) -> str | None:
    path = state_file(out_dir, name)
    return json.loads(path.read_text())["fingerprint"] if path.exists() else None
