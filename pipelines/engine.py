"""The run planner: what ``praevention run`` and the sensor materialise, decided from what Dagster recorded.

Every ``praevention`` run executes in the Dagster instance at ``$DAGSTER_HOME`` (default
``data/dagster_home``, whose ``dagster.yaml`` is part of the project), the instance the Dagster UI (``make ui``) and
the daemon use: the UI shows the CLI's runs, materializations, check results and metadata. The demo has an
instance of its own (``<out>/.dagster``).

An asset is **due** when its latest materialization

* does not exist, or was made for another warehouse, output folder or setting (``target``,
  :mod:`pipelines.records`);
* was made by other code: its code version (:mod:`pipelines.versions`) differs from the one Dagster recorded;
* read other inputs: the data version of an upstream asset differs from the one Dagster recorded as that
  materialization's input (its provenance), or, for a source, the digest of its raw files differs from the
  one it recorded (``raw_files``);
* is gone: the warehouse file is missing, or a file the product listed is missing from the output folder;
* did not pass a blocking check: it runs again with its checks, so that a failed check fails every run with
  the same message, and nothing downstream reads its result, until its input changes.

Data versions are digests of what an asset wrote (its tables with its quarantined rows and log lines, or its
files), so an asset that writes the same result again leaves everything downstream as it is: the work stops
spreading there. Whether a downstream asset is due is therefore known only after its upstream ran, and a
run goes in **waves** (:func:`next_wave`): each wave is one Dagster run of the assets due now, without those
whose upstream is still to run; then the planner looks again. Every wave is a run in the instance with its
materializations and check results.

Only Dagster's public API is used: code versions and data versions on the asset definitions and results, the
instance's latest materialization of each asset with its tags (Dagster's provenance: ``dagster/code_version``,
``dagster/data_version``, ``dagster/input_data_version/<asset>``) and the latest evaluation of each check.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dagster import AssetCheckKey, AssetChecksDefinition, AssetKey, AssetsDefinition, DagsterInstance

from pipelines import records
from praevention import config, digest
from praevention.discovery import discover
from praevention.register.load import discover_register_files

#: run tags naming the warehouse and output folder of a CLI run (``praevention plan`` reads them)
RUN_TAG_WAREHOUSE = "praevention/warehouse"
RUN_TAG_OUT = "praevention/out"
#: Dagster's provenance tags on a materialization
CODE_VERSION_TAG = "dagster/code_version"
DATA_VERSION_TAG = "dagster/data_version"
INPUT_VERSION_TAG = "dagster/input_data_version/"
REGISTER_KINDS = ["register"]


def open_instance(home: Path | None = None) -> DagsterInstance:
    """The persistent instance at ``home`` (default ``$DAGSTER_HOME``, else ``data/dagster_home``); a new one
    gets the project's ``dagster.yaml``."""
    import shutil

    home = home or config.dagster_home()
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
    #: the instance's folder (its staging folder holds the rendered products); None: ``$DAGSTER_HOME``
    dagster_home: Path | None = None

    def files_folder(self, key: AssetKey) -> Path:
        """Where the files a product lists are: the publication's in the output folder, the products' in the
        staging folder they are rendered and checked in."""
        if key.to_user_string() == records.PUBLICATION:
            return self.out_dir
        return config.staging_dir(self.out_dir, self.dagster_home)

    def target(self, group: str | None) -> str:
        """Where an asset of ``group`` writes and the settings its result depends on."""
        if group == records.REPORT_GROUP:
            return records.report_target(self.out_dir, self.land, self.synthetic, self.regions)
        return records.warehouse_target(self.warehouse, self.land)


def raw_files(kinds: Iterable[str], raw_dir: Path, register: Path | None) -> list[Path]:
    """The raw files of a source asset: files of ``kinds`` in the raw-data folder, or the register file(s)."""
    kinds = list(kinds)
    if kinds == REGISTER_KINDS:
        return discover_register_files(raw_dir, register)
    return discover(raw_dir).of(*kinds)


def raw_files_version(kinds: Iterable[str], raw_dir: Path, register: Path | None) -> str:
    """The digest of a source's raw files, as its materialization records it (``raw_files``)."""
    return digest.source_fingerprint(raw_files(kinds, raw_dir, register))


@dataclass(frozen=True)
class Node:
    """One asset as the planner sees it."""

    key: AssetKey
    parents: tuple[AssetKey, ...]
    group: str | None
    code_version: str | None
    source_kinds: tuple[str, ...] | None
    blocking_checks: tuple[AssetCheckKey, ...]
    #: the assets one step materialises together (the register's two tables): all or none
    together: frozenset[AssetKey]


class Graph:
    """The assets of a code location in a stable topological order, from their public definitions."""

    def __init__(self, nodes: Iterable[Node]):
        nodes = {n.key: n for n in nodes}
        children: dict[AssetKey, list[AssetKey]] = {k: [] for k in nodes}
        waiting = {k: sum(p in nodes for p in n.parents) for k, n in nodes.items()}
        for n in nodes.values():
            for p in n.parents:
                if p in nodes:
                    children[p].append(n.key)
        ready = [k for k, w in waiting.items() if w == 0]
        heapq.heapify(ready)
        order: list[AssetKey] = []
        while ready:
            key = heapq.heappop(ready)
            order.append(key)
            for child in children[key]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    heapq.heappush(ready, child)
        self.nodes = {k: nodes[k] for k in order}

    @classmethod
    def of(cls, assets: Iterable[AssetsDefinition], checks: Iterable[AssetChecksDefinition] = ()) -> Graph:
        assets = list(assets)
        blocking: dict[AssetKey, set[AssetCheckKey]] = {}
        for definition in [*assets, *checks]:
            for spec in definition.check_specs:
                if spec.blocking:
                    blocking.setdefault(spec.asset_key, set()).add(spec.key)
        nodes = []
        for definition in {id(a): a for a in assets}.values():
            together = frozenset() if definition.can_subset else frozenset(definition.keys)
            for spec in definition.specs:
                kinds = spec.metadata.get(records.SOURCE_KINDS)
                nodes.append(
                    Node(
                        key=spec.key,
                        parents=tuple(sorted(dep.asset_key for dep in spec.deps)),
                        group=spec.group_name,
                        code_version=spec.code_version,
                        source_kinds=tuple(getattr(kinds, "value", kinds)) if kinds is not None else None,
                        blocking_checks=tuple(sorted(blocking.get(spec.key, set()), key=str)),
                        together=together - {spec.key},
                    )
                )
        return cls(nodes)

    @property
    def order(self) -> list[AssetKey]:
        return list(self.nodes)


def _value(meta: Mapping, key: str) -> object:
    entry = meta.get(key)
    return getattr(entry, "value", entry)


def _files_present(out_dir: Path, meta: Mapping) -> bool:
    return all((out_dir / f).is_file() for f in _value(meta, records.FILE_LIST) or [])


def _failed_checks(instance: DagsterInstance, graph: Graph) -> dict[AssetKey, str]:
    """Assets whose latest evaluation of a blocking check did not pass (or never finished)."""
    keys = [c for n in graph.nodes.values() for c in n.blocking_checks]
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    out: dict[AssetKey, str] = {}
    for key in keys:
        record = latest.get(key)
        if record is None:
            continue  # never run: the asset was never materialised with it either
        evaluation = record.event.asset_check_evaluation if record.event is not None else None
        if evaluation is None or not evaluation.passed:
            out.setdefault(key.asset_key, f"blockierende Prüfung {key.name} nicht bestanden")
    return out


def reasons(instance: DagsterInstance, graph: Graph, settings: Settings) -> dict[AssetKey, str]:
    """Every asset that is due on its own (not only because an upstream asset is due), with the reason."""
    failed = _failed_checks(instance, graph)
    current: dict[AssetKey, str | None] = {}
    found: dict[AssetKey, str] = {}
    for key, node in graph.nodes.items():
        entry = instance.get_latest_materialization_event(key)
        materialization = entry.asset_materialization if entry is not None else None
        if materialization is None:
            current[key] = None
            found[key] = "noch nie erzeugt"
            continue
        tags, meta = materialization.tags or {}, materialization.metadata
        current[key] = tags.get(DATA_VERSION_TAG)
        changed = [
            p.to_user_string()
            for p in node.parents
            if p in graph.nodes and tags.get(INPUT_VERSION_TAG + p.to_user_string()) != current.get(p)
        ]
        if _value(meta, records.TARGET) != settings.target(node.group):
            found[key] = "zuletzt für ein anderes Warehouse, einen anderen Ordner oder andere Einstellungen erzeugt"
        elif node.group == records.REPORT_GROUP and not _files_present(settings.files_folder(key), meta):
            found[key] = "Dateien fehlen im Ausgabeordner"
        elif node.group != records.REPORT_GROUP and not settings.warehouse.exists():
            found[key] = "Warehouse fehlt"
        elif tags.get(CODE_VERSION_TAG) != node.code_version:
            found[key] = "Programm geändert"
        elif node.source_kinds is not None and _value(meta, records.RAW_FILES) != raw_files_version(
            node.source_kinds, settings.raw_dir, settings.register
        ):
            found[key] = "Rohdaten geändert"
        elif changed:
            found[key] = f"Eingaben geändert: {', '.join(changed)}"
        elif key in failed:
            found[key] = failed[key]
    for key, node in graph.nodes.items():  # a step that writes several assets writes all of them
        for other in node.together:
            if key in found and other not in found:
                found[other] = f"erzeugt zusammen mit {key.to_user_string()}"
    return found


def next_wave(instance: DagsterInstance, graph: Graph, settings: Settings) -> dict[AssetKey, str]:
    """The assets to materialise now, in topological order, with the reason for each: those due whose
    upstream assets are settled or in this wave. An asset below one of them waits for the next wave, when its
    upstream's new data version shows whether it is due."""
    due = reasons(instance, graph, settings)
    wave: dict[AssetKey, str] = {}
    waiting: set[AssetKey] = set()
    for key, node in graph.nodes.items():
        if any(p in waiting for p in node.parents):
            waiting.add(key)
        elif key in due:
            wave[key] = due[key]
        elif any(p in wave for p in node.parents):
            waiting.add(key)
    return wave


def state_of(instance: DagsterInstance, graph: Graph, settings: Settings) -> str:
    """A digest of everything the planner decides on: each asset's code version and latest data version and
    each source's raw files. Equal states plan equal waves."""
    parts = []
    for key, node in graph.nodes.items():
        entry = instance.get_latest_materialization_event(key)
        tags = (entry.asset_materialization.tags if entry and entry.asset_materialization else None) or {}
        raw = raw_files_version(node.source_kinds, settings.raw_dir, settings.register) if node.source_kinds else ""
        parts.append(f"{key.to_user_string()}:{node.code_version}:{tags.get(DATA_VERSION_TAG)}:{raw}")
    return digest.content_key(*parts)


def latest_run_warehouse() -> Path | None:
    """The warehouse of the latest CLI run recorded in the instance, if any (``praevention plan``)."""
    if not (config.dagster_home() / "history").exists():
        return None  # no run yet: do not create an instance just to look
    with open_instance() as instance:
        for record in instance.get_run_records(limit=50):  # newest first; runs from the UI carry no such tag
            if warehouse := record.dagster_run.tags.get(RUN_TAG_WAREHOUSE):
                return Path(warehouse)
    return None
