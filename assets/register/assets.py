"""The register of prevention bodies and their measures, kept by the ministry."""

from collections.abc import Iterator

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from pipelines import lineage
from pipelines.discovery import labels_relative_to
from pipelines.markdown import markdown_table
from pipelines.register.load import discover_register_files, load_register, table_writes
from pipelines.register.reference import context_from_warehouse
from pipelines.resources import DuckDBWarehouse, RawData
from pipelines.warehouse import write_asset

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
            deps=["boundaries", "population"],
            description="Prevention bodies. " + _DESCRIPTION,
            metadata={"source_kinds": REGISTER_KINDS},
        ),
        AssetSpec(
            "register_measures",
            group_name="register",
            kinds={"duckdb"},
            deps=["boundaries", "population"],
            description="Measures of the prevention bodies. " + _DESCRIPTION,
            metadata={"source_kinds": REGISTER_KINDS},
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
        fingerprint = lineage.source_fingerprint(files)
        counts = write_asset(
            con,
            asset="register",
            tables=table_writes(result),
            quarantine=result.rejects,
            ingest_log=pd.DataFrame(result.log),
            state={"register_bodies": fingerprint, "register_measures": fingerprint},
        )
    log = pd.DataFrame(result.log)
    common = {
        "rows_read": MetadataValue.int(int(log["rows_read"].sum()) if len(log) else 0),
        "rows_quarantined": MetadataValue.int(len(result.rejects)),
        "files": MetadataValue.md(markdown_table(log)),
    }
    yield MaterializeResult(
        asset_key=AssetKey("register_bodies"),
        metadata={
            "dagster/row_count": MetadataValue.int(counts["register_bodies"]),
            **common,
            "preview": MetadataValue.md(
                markdown_table(result.bodies[["body_id", "name", "body_type", "level", "ags"]])
            ),
        },
    )
    yield MaterializeResult(
        asset_key=AssetKey("register_measures"),
        metadata={
            "dagster/row_count": MetadataValue.int(counts["register_measures"]),
            **common,
            "not_evaluable": MetadataValue.int(int((~result.measures["evaluable"].astype(bool)).sum())),
            "preview": MetadataValue.md(
                markdown_table(result.measures[["measure_id", "body_id", "title", "evaluable"]].head(30))
            ),
        },
    )
