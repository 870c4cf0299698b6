"""The source-asset factory: raw files of some kinds → one plain loader from :mod:`praevention.ingest` → one
atomic write of the source's tables, with row counts, the per-file log (rows read = loaded + quarantined)
and a preview as metadata.

A source records the digest of its raw files (``raw_files``, its input) and, as its data version, the digest
of what it wrote: tables, quarantined rows and log lines. A file saved again with the same content under
another time stamp, or any change that leaves the tables as they were, re-runs nothing downstream.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
from dagster import AssetChecksDefinition, AssetExecutionContext, DataVersion, MaterializeResult, MetadataValue, asset

from assets._shared import OWNERS, asset_tags, sql_check, table_metadata, warehouse_metadata
from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention import config, digest
from praevention.discovery import Discovery, discover, labels_relative_to
from praevention.ingest import SourceLoad
from praevention.readers.base import NOT_READ
from praevention.warehouse import table_version, write_asset


def load_metadata(load: SourceLoad, counts: dict[str, int]) -> dict[str, object]:
    """Metadata every source asset reports: rows per table, the read/loaded/quarantined balance."""
    meta: dict[str, object] = {
        "dagster/row_count": MetadataValue.int(sum(counts.values())),
        "rows_read": MetadataValue.int(load.rows_read),
        "rows_loaded": MetadataValue.int(load.rows_loaded),
        "rows_quarantined": MetadataValue.int(len(load.rejects)),
        "files": table_metadata(load.log) if len(load.log) else MetadataValue.text("no files found"),
        "preview": table_metadata(load.preview.head(20)),
    }
    for name, n in counts.items():
        meta[f"rows_{name}"] = MetadataValue.int(n)
    if load.not_loaded():
        meta["not_loaded"] = MetadataValue.json(load.not_loaded())
    if len(load.rejects):
        meta["quarantine_summary"] = MetadataValue.json(load.quarantine_summary())
        meta["quarantine_reasons"] = table_metadata(
            load.rejects.groupby("reason", as_index=False).size().sort_values("size", ascending=False).head(15)
        )
    return meta


#: a source's load: its discovered files and the warehouse connection the asset writes with (loaders that
#: stage rows in DuckDB use it; the others ignore it)
Loader = Callable[[Discovery, duckdb.DuckDBPyConnection], SourceLoad]

#: the data files every source's file discovery reads: the questionnaire's item codes tell a survey table
#: from other tables (:func:`praevention.discovery.classify`)
DISCOVERY_DATA_FILES = ["data/survey_questionnaire.yaml"]

#: source asset name → its load function, so that tools (the malformed-input corpus) run exactly
#: what the asset runs, without Dagster.
SOURCE_LOADERS: dict[str, Loader] = {}


def source_asset(
    *,
    name: str,
    group: str,
    kinds: Sequence[str],
    description: str,
    load: Loader,
    deps: Sequence[str] = (),
):
    """A source asset: raw files of ``kinds`` → ``load`` → one atomic write of its tables."""
    SOURCE_LOADERS[name] = load

    @asset(
        name=name,
        group_name=group,
        kinds={"duckdb"},
        owners=OWNERS,
        tags=asset_tags("source"),
        description=description,
        deps=list(deps),
        metadata={records.SOURCE_KINDS: list(kinds), records.DATA_FILES: DISCOVERY_DATA_FILES},
    )
    def _source(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
        found = discover(raw_data.resolved())
        paths: list[Path] = found.of(*kinds)
        context.log.info(f"{name}: {len(paths)} file(s) of kind {', '.join(kinds)} in {found.raw_dir}")
        with warehouse.connect() as con, labels_relative_to(found.raw_dir), config.land_of_run(raw_data.land_key()):
            result = load(found, con).with_unrecognised(found.unrecognised_beside(paths), found.why_not_loaded)
            for line in result.not_loaded():
                context.log.warning(f"{name}: not loaded: {line}")
            counts = write_asset(
                con, asset=name, tables=result.tables, quarantine=result.rejects, ingest_log=result.log
            )
            written = warehouse_metadata(con, warehouse, raw_data, list(counts))
            version = table_version(con, list(counts), asset=name)
        return MaterializeResult(
            metadata={
                **load_metadata(result, counts),
                **written,
                records.RAW_FILES: MetadataValue.text(digest.source_fingerprint(paths)),
            },
            data_version=DataVersion(version),
        )

    return _source


def loading_checks(asset_name: str, table: str, *, required: bool) -> list[AssetChecksDefinition]:
    """Every file of the source was read (a warning naming each one that was not, with its reason) and,
    for a source the products cannot do without, the table is not empty (blocking)."""
    checks = [
        sql_check(
            asset_name=asset_name,
            name="files_readable",
            blocking=False,
            description=f"Warning: every raw file of {asset_name} was read; lists the files not loaded and why.",
            sql="SELECT source_file, note FROM ingest_log WHERE asset = ? AND starts_with(note, ?) ORDER BY 1",
            params=(asset_name, NOT_READ),
        )
    ]
    if required:
        checks.append(
            sql_check(
                asset_name=asset_name,
                name="not_empty",
                blocking=True,
                description=f"Blocking: {table} holds rows (at least one of its raw files was readable).",
                sql=f"SELECT 'no rows' AS problem WHERE NOT EXISTS (SELECT 1 FROM {table})",
            )
        )
    return checks
