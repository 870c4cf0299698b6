"""Products for people, rendered from the warehouse into the output folder (read-only access).

Each asset records its input fingerprint in ``<out>/.state/<asset>.json`` next to its files, so that
``praevention run`` re-renders only what changed and can run these assets in parallel processes.
"""

import json
from collections.abc import Callable
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines import lineage
from pipelines.files import write_atomic
from pipelines.render.cache import retire_files
from pipelines.render.data import ReportData, load_report_data
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from pipelines.warehouse import stored_fingerprints

WAREHOUSE_INPUTS = [
    "panel",
    "measure_effects",
    "calibration",
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
        others = [f for other in _products_with_state(out_dir) if other != name for f in _files(out_dir, other)]
        retired = retire_files(out_dir, _files(out_dir, name), files, keep=others)
        if retired:
            context.log.info(
                f"{name}: removed {len(retired)} file(s) it no longer writes: {', '.join(map(str, retired))}"
            )
        path = state_file(out_dir, name)
        write_atomic(
            path,
            json.dumps({"fingerprint": fingerprint, "files": [str(f.relative_to(out_dir)) for f in files]}, indent=1),
        )
        by_type: dict[str, int] = {}
        for f in files:
            by_type[f.suffix] = by_type.get(f.suffix, 0) + 1
        return MaterializeResult(
            metadata={
                "files": MetadataValue.int(len(files)),
                "by_type": MetadataValue.json(by_type),
                "folder": MetadataValue.path(str(out_dir)),
                "files_removed": MetadataValue.int(len(retired)),
            }
        )

    return _report


def _products_with_state(out_dir: Path) -> list[str]:
    """Products with a state file in ``out_dir`` (not the render caches)."""
    return sorted(p.stem for p in (out_dir / ".state").glob("*.json") if not p.name.endswith(".cache.json"))


def _files(out_dir: Path, name: str) -> list[str]:
    """The files product ``name`` wrote in its last run, as its state file lists them."""
    path = state_file(out_dir, name)
    if not path.exists():
        return []
    try:
        files = json.loads(path.read_text()).get("files", [])
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return []  # a damaged state file: nothing is removed
    return [str(f) for f in files] if isinstance(files, list) else []


def _state(out_dir: Path, name: str) -> str | None:
    path = state_file(out_dir, name)
    return json.loads(path.read_text())["fingerprint"] if path.exists() else None
