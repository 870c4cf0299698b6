"""Re-materialise the register and everything downstream of it, and nothing else, when its file changes."""

from dagster import AssetSelection, RunRequest, SensorEvaluationContext, SkipReason, sensor

from pipelines import digest
from pipelines.register.load import discover_register_files
from pipelines.resources import RawData

REGISTER_AND_DOWNSTREAM = AssetSelection.keys("register_bodies", "register_measures").downstream()


@sensor(
    name="register_changed",
    asset_selection=REGISTER_AND_DOWNSTREAM,
    minimum_interval_seconds=60,
    description="Watches the register file(s); a changed content hash starts a run of the register and its dependants.",
)
def register_changed(context: SensorEvaluationContext, raw_data: RawData):
    files = discover_register_files(raw_data.resolved(), raw_data.register())
    fingerprint = digest.source_fingerprint(files)
    if context.cursor == fingerprint:
        return SkipReason("register unchanged")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=fingerprint)
