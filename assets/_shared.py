"""Building blocks every domain folder uses: metadata helpers and the asset-check factories (the
source-asset factory is in :mod:`assets._sources`, so that only the sources' code versions include the readers).

The checks run SQL against the warehouse; blocking ones stop downstream joins.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    DataVersion,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset_check,
)

from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention import tables
from praevention.tables import contract
from praevention.warehouse import offending_lines, table_version, uses_spatial

#: who answers for every asset (Dagster owners: a team or an e-mail address)
OWNERS = ["team:praeventionsmonitor"]


def asset_tags(layer: str) -> dict[str, str]:
    """Tags every asset carries: its layer (source, evaluation, product) and the Land-wide scope."""
    return {"layer": layer, "scope": "land"}


#: decorator arguments every evaluation asset shares (the evaluation and the road-safety domains)
EVALUATION = {
    "group_name": "evaluation",
    "kinds": {"duckdb", "pandas"},
    "owners": OWNERS,
    "tags": asset_tags("evaluation"),
}


def _cell(value: object) -> str | int | float | bool | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)[:120]


def table_metadata(frame: pd.DataFrame) -> MetadataValue:
    """A data frame as Dagster's native table metadata (shown as a table in the UI)."""
    frame = frame.reset_index(drop=True)
    schema = TableSchema(columns=[TableColumn(str(c), str(t)) for c, t in frame.dtypes.items()])
    records = [TableRecord({str(c): _cell(v) for c, v in row.items()}) for row in frame.to_dict("records")]
    return MetadataValue.table(records=records, schema=schema)


def column_schema(con: duckdb.DuckDBPyConnection, table: str) -> TableSchema:
    """The table's columns with their DuckDB types and the meanings from :mod:`praevention.tables`."""
    tables.load_all()
    meanings = tables.BY_NAME[table].columns if table in tables.BY_NAME else {}
    rows = con.execute(f"DESCRIBE {table}").fetchall()
    return TableSchema(
        columns=[TableColumn(name, str(kind), description=meanings.get(name)) for name, kind, *_ in rows]
    )


def warehouse_metadata(
    con: duckdb.DuckDBPyConnection, warehouse: DuckDBWarehouse, raw_data: RawData, written: Sequence[str]
) -> dict[str, object]:
    """Metadata of every warehouse asset: where it was written and its column schemas (the first table as
    Dagster's column schema, further tables by name)."""
    meta: dict[str, object] = {
        records.TARGET: MetadataValue.text(records.warehouse_target(warehouse.resolved(), raw_data.land_key())),
        "warehouse": MetadataValue.path(str(warehouse.resolved())),
    }
    for i, name in enumerate(written):
        meta["dagster/column_schema" if i == 0 else f"columns_{name}"] = MetadataValue.table_schema(
            column_schema(con, name)
        )
    return meta


def written_tables(
    con, warehouse: DuckDBWarehouse, raw_data: RawData, asset: str, counts: dict[str, int]
) -> tuple[dict[str, object], DataVersion]:
    """Schemas and location of the tables a derived asset wrote (:func:`warehouse_metadata`), and its data
    version: a digest of their content with the asset's bookkeeping rows (:func:`table_version`)."""
    return warehouse_metadata(con, warehouse, raw_data, list(counts)), DataVersion(
        table_version(con, list(counts), asset=asset)
    )


@dataclass(frozen=True)
class CheckSpec:
    """What an SQL check runs, kept so that tools (the malformed-input corpus) run the same SQL."""

    name: str
    sql: str
    params: tuple[object, ...]
    blocking: bool
    land_param: bool
    additional_deps: tuple[str, ...]


#: asset name → its SQL checks
SQL_CHECKS: dict[str, list[CheckSpec]] = {}


def _query(
    warehouse: DuckDBWarehouse, sql: str, params: Sequence[object] = (), table: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The rows ``sql`` returns, and the first of them as lines led by their raw file and line."""
    with warehouse.connect(read_only=True, spatial=uses_spatial(sql)) as con:
        bad = con.execute(sql, list(params) or None).df()
        if bad.empty:
            return bad, []
        try:
            key = contract(table).key if table else ()
        except KeyError:
            key = ()
        return bad, offending_lines(con, bad, table, key)


def sql_check(
    *,
    asset_name: str,
    name: str,
    description: str,
    sql: str,
    blocking: bool,
    params: Sequence[object] = (),
    additional_deps: Sequence[str] = (),
    land_param: bool = False,
    table: str | None = None,
) -> AssetChecksDefinition:
    """A check that passes when ``sql`` returns no rows; the offending rows go into its metadata, the first
    of them also as lines led by the raw file and line they come from (``problems``, which the CLI prints:
    looked up in ``table``, default the asset's own, by its key).

    Blocking checks are errors that stop downstream assets; the others are warnings. With
    ``land_param`` the configured Land key is passed as the last ``?`` parameter.
    """

    SQL_CHECKS.setdefault(asset_name, []).append(
        CheckSpec(name, sql, tuple(params), blocking, land_param, tuple(additional_deps))
    )

    @asset_check(
        asset=AssetKey(asset_name),
        name=name,
        description=description,
        blocking=blocking,
        additional_deps=[AssetKey(d) for d in additional_deps],
    )
    def _check(warehouse: DuckDBWarehouse, raw_data: RawData) -> AssetCheckResult:
        values = [*params, raw_data.land_key()] if land_param else list(params)
        bad, lines = _query(warehouse, sql, values, table or asset_name)
        return AssetCheckResult(
            passed=bad.empty,
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={
                "violations": MetadataValue.int(len(bad)),
                "examples": table_metadata(bad.head(20)) if len(bad) else MetadataValue.text("none"),
                "problems": MetadataValue.json(lines),
            },
        )

    return _check


def unique_key_check(
    asset_name: str, table: str, keys: Sequence[str], name: str = "key_unique"
) -> AssetChecksDefinition:
    cols = ", ".join(f'"{k}"' for k in keys)
    return sql_check(
        asset_name=asset_name,
        name=name,
        blocking=True,
        description=f"Blocking: ({', '.join(keys)}) identifies each row of {table}.",
        sql=f"SELECT {cols}, count(*) AS n FROM {table} GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC",
        table=table,
    )


def columns_check(asset_name: str, table: str, columns: Sequence[str], name: str = "schema") -> AssetChecksDefinition:
    """Blocking schema check: the columns analysts and later joins rely on exist."""
    expected = list(columns)
    return sql_check(
        asset_name=asset_name,
        name=name,
        blocking=True,
        description=f"Blocking: {table} has the columns {', '.join(expected)}.",
        sql="SELECT unnest(?::VARCHAR[]) AS missing_column EXCEPT "
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        params=(expected, table),
    )


def contract_checks(asset_name: str, table: str | None = None) -> list[AssetChecksDefinition]:
    """The blocking checks the table's contract in :mod:`praevention.tables` implies: every documented column
    exists (``schema``) and the documented key identifies each row (``key_unique``). A table written by an
    asset of another name (``effects_pooled`` by ``measure_effects``) gets its name appended to both."""
    spec = contract(table or asset_name)
    suffix = "" if spec.name == asset_name else f"_{spec.name}"
    checks = [columns_check(asset_name, spec.name, list(spec.columns), name=f"schema{suffix}")]
    if spec.key:
        checks.append(unique_key_check(asset_name, spec.name, spec.key, name=f"key_unique{suffix}"))
    return checks


def years_check(asset_name: str, table: str, low: int, high: int, column: str = "year") -> AssetChecksDefinition:
    return sql_check(
        asset_name=asset_name,
        name="years_plausible",
        blocking=True,
        description=f"Blocking: every {column} of {table} lies in {low}–{high}.",
        sql=f"SELECT {column}, count(*) AS n FROM {table} WHERE {column} NOT BETWEEN ? AND ? GROUP BY ALL",
        params=(low, high),
    )


def land_present_check(asset_name: str, table: str, per: Sequence[str]) -> AssetChecksDefinition:
    """Blocking: every part of the table (each ``per`` group: a year, an edition) holds rows of the Land the
    products are for; a file exported for another Land, or cut off before the Land's rows, stops the run
    with its name instead of being used."""
    cols = ", ".join(per)
    return sql_check(
        asset_name=asset_name,
        name="land_present",
        blocking=True,
        land_param=True,
        description=f"Blocking: every {' and '.join(per)} of {table} holds rows of the Land (a table exported for "
        "another Land or cut off before the Land's rows is not used).",
        sql=f"SELECT {cols}, string_agg(DISTINCT source_file, ', ') AS source_file, count(*) AS rows FROM {table} "
        "GROUP BY ALL HAVING count(*) FILTER (WHERE substr(ags, 1, 2) = ?) = 0 ORDER BY ALL",
    )


def ags_known_checks(asset_name: str, table: str, select_keys_sql: str) -> list[AssetChecksDefinition]:
    """Every key the table uses is a Gemeinde or Kreis of some Gebietsstand in ``boundaries``.

    Blocking for the configured Land (the one the products are for); a warning for the rest of
    Germany, whose newer territorial changes the stored boundary vintages may not know.
    ``select_keys_sql`` returns one column ``ags`` (5 or 8 digits).
    """
    unknown = f"""
        WITH keys AS ({select_keys_sql})
        SELECT DISTINCT k.ags FROM keys k
        WHERE k.ags NOT IN (SELECT ags FROM boundaries)
          AND NOT (length(k.ags) = 5 AND k.ags IN (SELECT DISTINCT substr(ags, 1, 5) FROM boundaries WHERE level = 'Gemeinde'))
    """
    return [
        sql_check(
            asset_name=asset_name,
            name="ags_known",
            blocking=True,
            land_param=True,
            description=f"Blocking: every AGS of the Land in {table} is a Gemeinde or Kreis in `boundaries`.",
            sql=f"SELECT ags FROM ({unknown}) WHERE substr(ags, 1, 2) = ? ORDER BY 1",
            additional_deps=["boundaries"],
        ),
        sql_check(
            asset_name=asset_name,
            name="ags_known_germany",
            blocking=False,
            land_param=True,
            description=f"Warning: AGS of other Länder in {table} missing from the stored boundary vintages.",
            sql=f"SELECT ags FROM ({unknown}) WHERE substr(ags, 1, 2) <> ? ORDER BY 1",
            additional_deps=["boundaries"],
        ),
    ]
