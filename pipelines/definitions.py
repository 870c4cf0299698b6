"""The code location: every domain's assets and checks, the resources, jobs, sensor and executor.

``workspace.yaml`` loads :data:`defs`. The CLI builds its own :class:`Definitions` with explicit paths
through :func:`build_definitions`; both use the same assets.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor, multiprocess_executor

import assets.accidents
import assets.boundaries
import assets.crime
import assets.evaluation
import assets.population
import assets.register
import assets.reports
from pipelines.progress import progress_logger
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings

DOMAINS = (
    assets.crime,
    assets.accidents,
    assets.boundaries,
    assets.population,
    assets.register,
    assets.evaluation,
    assets.reports,
)

ALL_ASSETS = [a for d in DOMAINS for a in d.assets]
ALL_CHECKS = [c for d in DOMAINS for c in d.checks]
SOURCE_GROUPS = ("crime", "accidents", "boundaries", "population", "register")

ingest_job = define_asset_job(
    "ingest", selection=AssetSelection.groups(*SOURCE_GROUPS), description="All source assets and their checks."
)
everything_job = define_asset_job("run_all", selection=AssetSelection.all(), description="Every asset, in one process.")
# the products only read the warehouse, so they can render in parallel processes
reports_job = define_asset_job(
    "reports",
    selection=AssetSelection.groups("reports"),
    executor_def=multiprocess_executor.configured({"max_concurrent": 2}),
    description="Maps, fact sheets, ministry report, conference kit and site, two processes at a time.",
)


def build_definitions(
    raw_dir: str = "",
    warehouse: str = "",
    out_dir: str = "",
    register: str = "",
    synthetic: bool = False,
    land: str = "",
) -> Definitions:
    """Definitions with explicit paths (empty = resolve from the environment at run time)."""
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job, everything_job, reports_job],
        sensors=assets.register.sensors,
        resources={
            "warehouse": DuckDBWarehouse(path=warehouse),
            "raw_data": RawData(raw_dir=raw_dir, register_path=register, land=land),
            "report_settings": ReportSettings(out_dir=out_dir, synthetic=synthetic),
        },
        # one DuckDB file takes one writer at a time: warehouse steps run in one process
        executor=in_process_executor,
        loggers={"progress": progress_logger},
    )


defs = build_definitions()


def reports_job_definition():
    """The reports job of the environment-configured code location (for the multiprocess executor)."""
    return defs.resolve_job_def("reports")
