"""The sensor that keeps the server's products current: every minute, when no run is queued or in progress,
it asks the run planner (:func:`pipelines.engine.next_wave`) what is due (a changed register or raw file,
an updated release, files gone from the output folder) and requests that wave as a run. The next wave follows
on a later tick, once the run has shown which data versions changed; the work stops where they did not.

A wave is requested once for the same state (the assets' code and data versions and the raw files' digests):
a run that failed is not repeated until something changes, and the failure stays visible in the UI.

The sensor starts switched on in a new deployment (``PRAEVENTION_SENSORS=on`` in the server's settings) and
off elsewhere (``make ui``); an operator's choice in the UI (Automation) stands over both.
"""

from pathlib import Path

from dagster import (
    AssetSelection,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from pipelines import engine
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention import config, digest

IN_FLIGHT = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]
#: run tag naming why each asset of a wave runs
RUN_TAG_REASONS = "praevention/reasons"


def default_status() -> DefaultSensorStatus:
    return DefaultSensorStatus.RUNNING if config.sensors_on_by_default() else DefaultSensorStatus.STOPPED


@sensor(
    name="stale_assets",
    asset_selection=AssetSelection.all(),
    minimum_interval_seconds=60,
    default_status=default_status(),
    description="Every minute: runs what is due (changed register or raw files, new code, files gone from the output "
    "folder), one wave at a time, and stops where a result came out unchanged.",
)
def stale_assets(
    context: SensorEvaluationContext, raw_data: RawData, warehouse: DuckDBWarehouse, report_settings: ReportSettings
):
    if context.instance.get_run_records(filters=RunsFilter(statuses=IN_FLIGHT), limit=1):
        return SkipReason("a run is queued or in progress")
    repository = context.repository_def
    graph = engine.Graph.of(repository.assets_defs_by_key.values(), repository.asset_checks_defs_by_key.values())
    settings = engine.Settings(
        raw_dir=raw_data.resolved(),
        warehouse=warehouse.resolved(),
        out_dir=report_settings.resolved(),
        register=raw_data.register(),
        synthetic=report_settings.is_synthetic(),
        land=raw_data.land_key(),
        regions=report_settings.region_scheme(),
        # the products are staged in the folder of the instance that runs them: the daemon's
        dagster_home=Path(report_settings.dagster_home or context.instance.root_directory),
    )
    wave = engine.next_wave(context.instance, graph, settings)
    if not wave:
        return SkipReason("every asset is up to date")
    named = [f"{key.to_user_string()} ({reason})" for key, reason in wave.items()]
    return RunRequest(
        run_key=digest.content_key(*named, engine.state_of(context.instance, graph, settings)),
        asset_selection=list(wave),
        tags={RUN_TAG_REASONS: "; ".join(named)[:4000]},
    )


SENSORS = [stale_assets]
