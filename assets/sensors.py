"""Start a run when raw files change: the register (its own sensor, see :mod:`assets.register.sensors`)
and every other source's files in the raw-data folder.

A source's files changed when their digest differs from the data version of the source asset's latest
materialization in the instance; the run re-materialises those sources and everything downstream.
"""

from dagster import AssetSelection, RunRequest, SensorEvaluationContext, SkipReason, sensor
from dagster._core.definitions.data_version import DATA_VERSION_TAG

from pipelines import digest, engine
from pipelines.resources import RawData


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
