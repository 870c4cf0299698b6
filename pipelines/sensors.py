"""Sensors that start runs when raw files change: the register (its own sensor, so that an edit re-runs
the register and its dependants only) and every other source's files in the raw-data folder.

A source's files changed when their digest differs from the data version of the source asset's latest
materialization in the instance; the run re-materialises those sources and everything downstream.
"""

from dagster import AssetSelection, RunRequest, SensorEvaluationContext, SkipReason, sensor
from dagster._core.definitions.data_version import DATA_VERSION_TAG

from pipelines import engine
from pipelines.resources import RawData
from praevention import digest
from praevention.register.load import discover_register_files

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


@sensor(
    name="raw_files_changed",
    asset_selection=AssetSelection.all(),
    minimum_interval_seconds=300,
    description="Watches the raw-data folder (PKS, Unfallatlas, boundaries, population, accident counts, "
    "KISS-MD): new or changed files start a run of the sources they feed and everything downstream.",
)
def raw_files_changed(context: SensorEvaluationContext, raw_data: RawData):
    graph = context.repository_def.asset_graph
    changed: dict[str, str] = {}
    for key in graph.toposorted_asset_keys:
        kinds = graph.get(key).metadata.get("source_kinds")
        kinds = list(getattr(kinds, "value", kinds) or [])
        if not kinds or kinds == ["register"]:  # the register has its own sensor
            continue
        now = engine.source_version(kinds, raw_data.resolved(), raw_data.register())
        entry = context.instance.get_latest_materialization_event(key)
        recorded = (
            entry.asset_materialization.tags.get(DATA_VERSION_TAG) if entry and entry.asset_materialization else None
        )
        if now != recorded:
            changed[key.to_user_string()] = now
    if not changed:
        return SkipReason("no raw file changed since the sources' latest materializations")
    todo = AssetSelection.keys(*changed).downstream().resolve(graph)
    return RunRequest(
        run_key=digest.content_key(*(f"{k}={v}" for k, v in sorted(changed.items()))),
        asset_selection=sorted(todo),
        tags={"praevention/changed": ", ".join(sorted(changed))},
    )


SENSORS = [register_changed, raw_files_changed]
