"""The register of prevention bodies and their measures, kept by the ministry."""

from collections.abc import Iterator

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from assets._shared import OWNERS, asset_tags, table_metadata, warehouse_metadata
from assets._sources import DISCOVERY_DATA_FILES
from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention import digest
from praevention.discovery import labels_relative_to
from praevention.register.load import discover_register_files, load_register, not_loaded, table_writes
from praevention.register.reference import context_from_warehouse
from praevention.warehouse import table_version, write_asset

REGISTER_KINDS = ["register"]
_DESCRIPTION = (
    "Register of the municipal prevention bodies (Präventionsräte, kriminalpräventive Beiräte, "
    "Sicherheitspartnerschaften, Landespräventionsrat) and their measures, kept by the Ministry of the Interior "
    "and Sport of Sachsen-Anhalt. Read from the Excel/ODS/CSV register or the sourced register in "
    "`<raw-dir>/councils/`; validated against a declarative schema. Caveats: contact persons, phone numbers and "
    "e-mail addresses are accepted in the input but never stored; rows with errors go to quarantine; measures "
    "without a date or a mappable target are kept and marked not evaluable."
)


@multi_asset(
    specs=[
        AssetSpec(
            "register_bodies",
            group_name="register",
            kinds={"duckdb"},
            owners=OWNERS,
            tags=asset_tags("source"),
            deps=["boundaries", "population"],
            description="Prevention bodies. " + _DESCRIPTION,
            metadata={records.SOURCE_KINDS: REGISTER_KINDS, records.DATA_FILES: DISCOVERY_DATA_FILES},
        ),
        AssetSpec(
            "register_measures",
            group_name="register",
            kinds={"duckdb"},
            owners=OWNERS,
            tags=asset_tags("source"),
            deps=["boundaries", "population"],
            description="Measures of the prevention bodies. " + _DESCRIPTION,
            metadata={records.SOURCE_KINDS: REGISTER_KINDS, records.DATA_FILES: DISCOVERY_DATA_FILES},
        ),
    ],
    can_subset=False,
)
def register(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData
) -> Iterator[MaterializeResult]:
    files = discover_register_files(raw_data.resolved(), raw_data.register())
    context.log.info(f"register: {len(files)} file(s): {', '.join(p.name for p in files)}")
    with warehouse.connect() as con:
        land = raw_data.land_key()
        with labels_relative_to(raw_data.resolved()):
            result = load_register(files, land=land, context=context_from_warehouse(con, land))
        counts = write_asset(
            con,
            asset="register",
            tables=table_writes(result),
            quarantine=result.rejects,
            ingest_log=pd.DataFrame(result.log),
        )
        schemas = {name: warehouse_metadata(con, warehouse, raw_data, [name]) for name in counts}
        # each table's content with the register's quarantined rows and log lines
        versions = {name: DataVersion(table_version(con, [name], asset="register")) for name in counts}
    log = pd.DataFrame(result.log)
    common = {
        **({"not_loaded": MetadataValue.json(not_loaded(result))} if not_loaded(result) else {}),
        records.RAW_FILES: MetadataValue.text(digest.source_fingerprint(files)),
        "rows_read": MetadataValue.int(int(log["rows_read"].sum()) if len(log) else 0),
        "rows_quarantined": MetadataValue.int(len(result.rejects)),
        "files": table_metadata(log),
    }
    yield MaterializeResult(
        asset_key=AssetKey("register_bodies"),
        metadata={
            "dagster/row_count": MetadataValue.int(counts["register_bodies"]),
            **common,
            **schemas["register_bodies"],
            "preview": table_metadata(result.bodies[["body_id", "name", "body_type", "level", "ags"]].head(30)),
        },
        data_version=versions["register_bodies"],
    )
    yield MaterializeResult(
        asset_key=AssetKey("register_measures"),
        metadata={
            "dagster/row_count": MetadataValue.int(counts["register_measures"]),
            **common,
            **schemas["register_measures"],
            "not_evaluable": MetadataValue.int(int((~result.measures["evaluable"].astype(bool)).sum())),
            "preview": table_metadata(result.measures[["measure_id", "body_id", "title", "evaluable"]].head(30)),
        },
        data_version=versions["register_measures"],
    )
