"""The code location: every domain's assets and checks, the resources, jobs, the sensor and the schedule.

Each asset carries the code version of its domain (:mod:`pipelines.versions`): the modules it runs, the SQL
and templates they name, the data files it declares and the lock file.

``workspace.yaml`` loads :data:`defs` (paths from the environment, resolved at run time). The CLI builds
the same definitions with its paths as resources (:func:`build_definitions`) and runs them in the
persistent instance (:mod:`pipelines.engine`), so that the Dagster UI (``make ui``) shows its runs.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, FilesystemIOManager, define_asset_job, in_process_executor

import assets.accidents
import assets.boundaries
import assets.crime
import assets.evaluation
import assets.population
import assets.register
import assets.reports
import assets.roadsafety
import assets.survey
from pipelines import versions
from pipelines.progress import progress_logger
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from pipelines.schedules import SCHEDULES, fetch_job
from pipelines.sensors import SENSORS

DOMAINS = (
    assets.crime,
    assets.accidents,
    assets.boundaries,
    assets.population,
    assets.register,
    assets.survey,
    assets.evaluation,
    assets.roadsafety,
    assets.reports,
)

ALL_ASSETS = [a for d in DOMAINS for a in versions.versioned(d, d.assets)]
ALL_CHECKS = [c for d in DOMAINS for c in d.checks]
SOURCE_GROUPS = ("crime", "accidents", "boundaries", "population", "register", "survey")

ingest_job = define_asset_job(
    "ingest", selection=AssetSelection.groups(*SOURCE_GROUPS), description="All source assets and their checks."
)
everything_job = define_asset_job("run_all", selection=AssetSelection.all(), description="Every asset.")
reports_job = define_asset_job(
    "reports",
    selection=AssetSelection.groups("reports"),
    description="Maps, fact sheets, ministry report, conference kit and site.",
)


def build_definitions(
    raw_dir: str = "",
    warehouse: str = "",
    out_dir: str = "",
    register: str = "",
    synthetic: bool = False,
    land: str = "",
    regions: str = "",
    dagster_home: str = "",
) -> Definitions:
    """Definitions with explicit paths and settings (empty = resolve from the environment at run time)."""
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job, everything_job, reports_job, fetch_job],
        sensors=SENSORS,
        schedules=SCHEDULES,
        resources={
            "warehouse": DuckDBWarehouse(path=warehouse),
            "raw_data": RawData(raw_dir=raw_dir, register_path=register, land=land),
            "report_settings": ReportSettings(
                out_dir=out_dir, synthetic=synthetic, regions=regions, dagster_home=dagster_home
            ),
            # products pass their values (the exported figures, their files) through the instance's storage
            "io_manager": FilesystemIOManager(),
        },
        # one DuckDB file takes one writer at a time: the steps run in one process
        executor=in_process_executor,
        loggers={"progress": progress_logger},
    )


defs = build_definitions()
