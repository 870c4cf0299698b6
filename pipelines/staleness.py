"""Which assets ``praevention run`` must re-materialise: those whose inputs changed, and their dependants.

Source assets name their raw-file kinds in their metadata (``source_kinds``); their fingerprint is the
content of those files. A derived asset's fingerprint combines its upstream fingerprints and its
settings. An asset is stale when its current fingerprint differs from the one stored in
``pipeline_state`` (or none is stored).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from dagster import AssetKey, Definitions

from pipelines import lineage, warehouse
from pipelines.discovery import discover


def source_paths(kinds: list[str], raw_dir: Path, register: Path | None) -> list[Path]:
    """The raw files an asset with these source kinds reads (the register may live outside raw_dir)."""
    if "register" in kinds and register is not None:
        others = [k for k in kinds if k != "register"]
        files = sorted(register.rglob("*")) if register.is_dir() else [register]
        return [p for p in files if p.is_file()] + (discover(raw_dir).of(*others) if others else [])
    return discover(raw_dir).of(*kinds)


REPORT_GROUP = "reports"


def settings_for(group: str | None, settings: Mapping[str, object]) -> dict[str, object]:
    """Settings that change a derived asset's output (the products depend on the output folder)."""
    return (
        {k: settings[k] for k in ("out_dir", "synthetic", "regions") if k in settings} if group == REPORT_GROUP else {}
    )


def current_fingerprints(
    defs: Definitions, raw_dir: Path, register: Path | None, settings: Mapping[str, object]
) -> dict[AssetKey, str]:
    graph = defs.resolve_asset_graph()
    out: dict[AssetKey, str] = {}
    for key in graph.toposorted_asset_keys:
        node = graph.get(key)
        kinds = node.metadata.get("source_kinds")
        if kinds is not None:
            out[key] = lineage.source_fingerprint(source_paths(list(getattr(kinds, "value", kinds)), raw_dir, register))
        else:
            ups = {k.to_user_string(): out.get(k) for k in node.parent_keys}
            out[key] = lineage.derived_fingerprint(ups, settings_for(node.group_name, settings))
    return out


def stale_assets(
    defs: Definitions, warehouse_file: Path, raw_dir: Path, register: Path | None, settings: Mapping[str, object]
) -> list[AssetKey]:
    """Assets to run, in topological order."""
    stored: dict[str, str] = {}
    out_dir = Path(str(settings.get("out_dir", "")))
    for state in (out_dir / ".state").glob("*.json") if out_dir.name else []:
        stored[state.stem] = json.loads(state.read_text()).get("fingerprint", "")
    if warehouse_file.exists():
        con = warehouse.connect(warehouse_file, read_only=True)
        try:
            if warehouse.table_exists(con, "pipeline_state"):
                stored.update(warehouse.stored_fingerprints(con))
        finally:
            con.close()
    now = current_fingerprints(defs, raw_dir, register, settings)
    return [k for k, fp in now.items() if stored.get(k.to_user_string()) != fp]
