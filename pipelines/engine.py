"""The CLI's Dagster engine: the persistent instance, what a run must materialise, and the run itself.

Every ``praevention`` run executes in the Dagster instance at ``$DAGSTER_HOME`` (default
``data/dagster_home``, whose ``dagster.yaml`` is part of the project), the instance the Dagster UI (``make ui``) and
the daemon use: the UI shows the CLI's runs, materializations, check results and metadata.

What is stale is decided from what Dagster recorded (:func:`stale_assets`):

* a source asset's data version is the digest of its raw files; it is stale when the files' digest now
  differs from the version of its latest materialization;
* every asset carries the code version of the pipeline; Dagster's stale-status resolver reports an
  asset whose code or upstream data versions changed since its latest materialization (computed assets
  return the digest of their tables or files as data version);
* an asset whose latest materialization was for another warehouse, output folder or setting, or whose
  files are gone, is missing;
* an asset with a blocking check that did not pass in its latest execution is run again, with its
  checks: a failed check fails every run, with the same message, until its input changes.

A run materialises these assets and everything downstream of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions

from praevention import config, digest
from praevention.discovery import discover

#: metadata key of every materialization: where its result lives and the settings it was made with
TARGET = "target"
#: metadata key of a product's materialization: the files it wrote, relative to the output folder
FILE_LIST = "file_list"
#: run tags naming the warehouse and output folder of a CLI run (``praevention plan`` reads them)
RUN_TAG_WAREHOUSE = "praevention/warehouse"
RUN_TAG_OUT = "praevention/out"
REPORT_GROUP = "reports"


def code_version() -> str:
    """The code version of every asset: any change to the pipeline's code makes everything stale."""
    return digest.code_fingerprint()[:16]


def open_instance() -> DagsterInstance:
    """The persistent instance at ``$DAGSTER_HOME`` (default ``data/dagster_home``); a new one gets the
    project's ``dagster.yaml``."""
    import shutil

    home = config.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(config.DEFAULT_DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))


@dataclass(frozen=True)
class Settings:
    """What one run reads and writes; reaches the assets as resources."""

    raw_dir: Path
    warehouse: Path
    out_dir: Path
    register: Path | None = None
    synthetic: bool = False
    land: str = config.DEFAULT_LAND
    regions: str = "polizeiinspektionen"

    def target(self, group: str | None) -> str:
        """Where an asset of ``group`` writes and the settings its result depends on."""
        if group == REPORT_GROUP:
            return report_target(self.out_dir, self.land, self.synthetic, self.regions)
        return warehouse_target(self.warehouse, self.land)


def warehouse_target(warehouse: Path, land: str) -> str:
    """The ``target`` metadata of a warehouse asset: the DuckDB file and the Land it was built for."""
    return f"{warehouse} (Land {land})"


def report_target(out_dir: Path, land: str, synthetic: bool, regions: str) -> str:
    """The ``target`` metadata of a product: the output folder and the settings its files depend on."""
    return f"{out_dir} (Land {land}, {regions}{', synthetic' if synthetic else ''})"


def source_paths(kinds: Iterable[str], raw_dir: Path, register: Path | None) -> list[Path]:
    """The raw files of a source asset (its data version is their digest)."""
    kinds = list(kinds)
    if kinds == ["register"]:
        from praevention.register.load import discover_register_files

        return discover_register_files(raw_dir, register)
    return discover(raw_dir).of(*kinds)


def source_version(kinds: Iterable[str], raw_dir: Path, register: Path | None) -> str:
    return digest.source_fingerprint(source_paths(kinds, raw_dir, register))


def _blocking_checks_not_passed(instance: DagsterInstance, graph) -> dict[AssetKey, str]:
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    blocking = [spec.key for ad in graph.assets_defs for spec in ad.check_specs if spec.blocking]
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(blocking)
    out: dict[AssetKey, str] = {}
    for key, record in latest.items():
        if record.status != AssetCheckExecutionRecordStatus.SUCCEEDED:
            out.setdefault(key.asset_key, f"blocking check {key.name} did not pass")
    return out


def _files_present(out_dir: Path, metadata: Mapping) -> bool:
    listed = metadata.get(FILE_LIST)
    files = getattr(listed, "value", None) or []
    return all((out_dir / f).is_file() for f in files)


def stale_assets(instance: DagsterInstance, defs: Definitions, settings: Settings) -> dict[AssetKey, str]:
    """The assets a run must materialise, in topological order, each with the reason (dependants of a
    stale asset: 'upstream')."""
    from dagster._core.asset_graph_view.asset_graph_view import AssetGraphView, TemporalContext
    from dagster._core.definitions.data_version import DATA_VERSION_TAG, CachingStaleStatusResolver, StaleStatus
    from dagster._time import get_current_datetime

    graph = defs.resolve_asset_graph()
    view = AssetGraphView(
        temporal_context=TemporalContext(effective_dt=get_current_datetime(), last_event_id=None),
        instance=instance,
        asset_graph=graph,
    )
    resolver = CachingStaleStatusResolver(instance=instance, asset_graph=graph, loading_context=view)
    seeds: dict[AssetKey, str] = {}
    for key in graph.toposorted_asset_keys:
        node = graph.get(key)
        if not node.is_materializable:
            continue
        entry = instance.get_latest_materialization_event(key)
        materialization = entry.asset_materialization if entry is not None else None
        if materialization is None:
            seeds[key] = "never materialised"
            continue
        meta = materialization.metadata
        recorded_target = getattr(meta.get(TARGET), "value", None)
        if recorded_target != settings.target(node.group_name):
            seeds[key] = "last materialised for another warehouse, folder or setting"
        elif node.group_name == REPORT_GROUP and not _files_present(settings.out_dir, meta):
            seeds[key] = "files missing in the output folder"
        elif node.group_name != REPORT_GROUP and not settings.warehouse.exists():
            seeds[key] = "warehouse missing"
        elif (kinds := node.metadata.get("source_kinds")) is not None and source_version(
            getattr(kinds, "value", kinds), settings.raw_dir, settings.register
        ) != materialization.tags.get(DATA_VERSION_TAG):
            seeds[key] = "raw files changed"
        elif (status := resolver.get_status(key)) != StaleStatus.FRESH:
            causes = resolver.get_stale_root_causes(key)
            seeds[key] = causes[0].reason if causes else status.value.lower()
    for key, reason in _blocking_checks_not_passed(instance, graph).items():
        seeds.setdefault(key, reason)
    if not seeds:
        return {}
    # the register's two tables are written by one step: both or neither
    together = {k for key in seeds for k in graph.get(key).execution_set_asset_keys}
    todo = AssetSelection.keys(*together).downstream().resolve(graph)
    return {k: seeds.get(k, "upstream") for k in graph.toposorted_asset_keys if k in todo}


def latest_run_warehouse() -> Path | None:
    """The warehouse of the latest CLI run recorded in the instance, if any (``praevention plan``)."""
    if not (config.dagster_home() / "history").exists():
        return None  # no run yet: do not create an instance just to look
    with open_instance() as instance:
        for run in instance.get_runs(limit=50):  # newest first; runs from the UI carry no such tag
            if run.tags.get(RUN_TAG_WAREHOUSE):
                return Path(run.tags[RUN_TAG_WAREHOUSE])
    return None
