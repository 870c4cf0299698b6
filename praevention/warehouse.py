"""The DuckDB warehouse: connections, atomic table writes, quarantine, ingest log, run lock.

Every asset writes through :func:`write_asset`. Heavy work goes into ``<table>__staging`` tables
first; then one transaction swaps the staging tables in, replaces the asset's rows in ``quarantine``
and ``ingest_log``. A crash before the commit leaves the previous tables untouched; a crash after it
leaves the new ones complete. Which assets need writing is Dagster's business (:mod:`pipelines.engine`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from praevention.errors import PipelineError

QUARANTINE_COLUMNS = ["asset", "source_file", "line", "field", "raw", "reason"]
INGEST_LOG_COLUMNS = ["asset", "source_file", "rows_read", "rows_loaded", "rows_quarantined", "note"]
STAGING_SUFFIX = "__staging"

_BOOKKEEPING_DDL = (
    """CREATE TABLE IF NOT EXISTS quarantine (
        asset VARCHAR NOT NULL, source_file VARCHAR, line BIGINT, field VARCHAR,
        raw VARCHAR, reason VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ingest_log (
        asset VARCHAR NOT NULL, source_file VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
        rows_quarantined BIGINT, note VARCHAR)""",
    # versions live in the Dagster instance; warehouses written by earlier releases kept them here
    "DROP TABLE IF EXISTS pipeline_state",
)


def spatial_extension_path() -> Path:
    """The DuckDB spatial extension shipped by the ``duckdb-extension-spatial`` wheel (offline)."""
    import duckdb_extension_spatial

    base = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    found = sorted(base.glob("*/spatial.duckdb_extension"))
    if not found:
        raise PipelineError(
            f"DuckDB-Erweiterung spatial nicht gefunden unter {base}; die Einrichtung (make setup) wiederholen"
        )
    return found[-1]


def connect(
    path: str | os.PathLike[str], *, read_only: bool = False, spatial: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating its folder) with the spatial extension loaded from the wheel.

    Loading the extension costs about 0.25 s; a read-only connection whose queries call no ``ST_``
    function passes ``spatial=False`` (GEOMETRY columns are a core type since DuckDB 1.5 and read without
    it). Writing connections always load it: table writes build geometries.
    """
    target = Path(path)
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.exists():
        raise PipelineError(f"Warehouse {target} gibt es noch nicht; zuerst 'praevention ingest' ausführen")
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.IOException as exc:
        raise PipelineError(f"Warehouse {target} lässt sich nicht öffnen: {exc}") from exc
    if spatial or not read_only:
        con.execute(f"LOAD '{spatial_extension_path()}'")
    if not read_only:
        for ddl in _BOOKKEEPING_DDL:
            con.execute(ddl)
    return con


def uses_spatial(sql: str) -> bool:
    """Whether a query calls a spatial-extension function (``ST_…``)."""
    return re.search(r"\bST_\w+\s*\(", sql, flags=re.IGNORECASE) is not None


@dataclass(frozen=True)
class TableWrite:
    """One table an asset writes.

    ``source`` is a DataFrame or a SQL ``SELECT`` (run on the warehouse connection, with ``params``; large
    inputs stay in DuckDB that way, e.g. the Unfallatlas rows in temp tables of that connection).
    ``transform`` optionally wraps it: a ``SELECT … FROM {input}`` whose ``{input}`` is the source.
    Rows are stored sorted by ``order_by`` so that re-runs give byte-identical tables; an empty
    ``order_by`` keeps the input's order, for sources that are already in a stable order.
    ``geometry`` names WKB columns that become DuckDB ``GEOMETRY`` columns.
    ``virtual`` adds generated columns (name → expression over stored columns, its type inferred) that
    are computed when read and take no space: point geometries or the file name of millions of records
    would cost their table's write much time (``benchmarks/``). Use core DuckDB functions in them (not
    ``ST_…`` of the spatial extension), so that the table can be read without the extension.
    """

    name: str
    source: pd.DataFrame | str
    order_by: Sequence[str]
    geometry: Sequence[str] = ()
    params: Sequence[object] = field(default_factory=tuple)
    transform: str | None = None
    virtual: Mapping[str, str] = field(default_factory=dict)


def _stage(con: duckdb.DuckDBPyConnection, write: TableWrite) -> str:
    staging = write.name + STAGING_SUFFIX
    registered = isinstance(write.source, pd.DataFrame)
    if isinstance(write.source, pd.DataFrame) and write.source.columns.empty:
        from praevention.errors import PipelineError

        raise PipelineError(
            f"keine lesbare Datei für die Tabelle {write.name}: nichts zu laden (siehe die oben genannten Dateien)"
        )
    if registered:
        con.register("_incoming_df", write.source)
        base = "SELECT * FROM _incoming_df"
    else:
        base = str(write.source)
    sql = write.transform.replace("{input}", f"({base})") if write.transform else base
    params = list(write.params) or None
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE {sql}", params).fetchall()]
        select = ", ".join(
            f'CASE WHEN "{c}" IS NULL THEN NULL ELSE ST_GeomFromWKB("{c}") END AS "{c}"'
            if c in write.geometry
            else f'"{c}"'
            for c in cols
        )
        order = " ORDER BY " + ", ".join(f'"{c}"' for c in write.order_by) if write.order_by else ""
        query = f"SELECT {select} FROM ({sql}){order}"
        if write.virtual:
            stored = con.execute(f"DESCRIBE {query}", params).fetchall()
            columns = [f'"{c}" {kind}' for c, kind, *_ in stored]
            columns += [f'"{c}" AS ({expr}) VIRTUAL' for c, expr in write.virtual.items()]
            con.execute(f"CREATE OR REPLACE TABLE {staging} ({', '.join(columns)})")
            names = ", ".join(f'"{c}"' for c, *_ in stored)
            con.execute(f"INSERT INTO {staging} ({names}) {query}", params)
        else:
            con.execute(f"CREATE OR REPLACE TABLE {staging} AS {query}", params)
    finally:
        if registered:
            con.unregister("_incoming_df")
    return staging


def _frame(rows: pd.DataFrame | None, columns: list[str], asset: str) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    out = rows.copy()
    out["asset"] = asset
    for c in columns:
        if c not in out.columns:
            out[c] = None
    return out[columns]


def write_asset(
    con: duckdb.DuckDBPyConnection,
    *,
    asset: str,
    tables: Sequence[TableWrite],
    quarantine: pd.DataFrame | None = None,
    ingest_log: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Write an asset's tables atomically and return their row counts.

    ``quarantine`` and ``ingest_log`` rows replace the asset's earlier rows in those shared tables.
    """
    staged = [(w.name, _stage(con, w)) for w in tables]
    con.register("_quarantine_in", _frame(quarantine, QUARANTINE_COLUMNS, asset))
    con.register("_log_in", _frame(ingest_log, INGEST_LOG_COLUMNS, asset))
    con.execute("BEGIN TRANSACTION")
    try:
        for name, staging in staged:
            con.execute(f"DROP TABLE IF EXISTS {name}")
            con.execute(f"ALTER TABLE {staging} RENAME TO {name}")
        con.execute("DELETE FROM quarantine WHERE asset = ?", [asset])
        con.execute(
            "INSERT INTO quarantine SELECT asset, source_file, CAST(line AS BIGINT), field, raw, reason "
            "FROM _quarantine_in ORDER BY source_file, line, field, reason"
        )
        con.execute("DELETE FROM ingest_log WHERE asset = ?", [asset])
        con.execute(
            "INSERT INTO ingest_log SELECT asset, source_file, CAST(rows_read AS BIGINT), "
            "CAST(rows_loaded AS BIGINT), CAST(rows_quarantined AS BIGINT), note FROM _log_in ORDER BY source_file"
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_quarantine_in")
        con.unregister("_log_in")
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name, _ in staged}


def drop_stale_staging(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Remove staging tables left behind by a run that was killed before its swap."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE ?",
            ["%" + STAGING_SUFFIX],
        ).fetchall()
    ]
    for n in names:
        con.execute(f"DROP TABLE IF EXISTS {n}")
    return names


def table_version(con: duckdb.DuckDBPyConnection, tables: Sequence[str], asset: str | None = None) -> str:
    """A digest of the tables' content (columns with their types, row count and an order-independent sum of
    row hashes), with ``asset``'s rows in ``quarantine`` and ``ingest_log``: the data version of the asset
    that wrote them, so that an unchanged result leaves its dependants fresh."""
    parts = []
    for name in tables:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [name],
        ).fetchall()
        n, total = con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {name} t").fetchone()
        parts.append(f"{name}:{columns}:{n}:{total}")
    if asset is not None:
        for name in ("quarantine", "ingest_log"):
            n, total = con.execute(
                f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {name} t WHERE asset = ?", [asset]
            ).fetchone()
            parts.append(f"{name}[{asset}]:{n}:{total}")
    return hashlib.sha256(";".join(parts).encode()).hexdigest()


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]
    )


@contextlib.contextmanager
def run_lock(warehouse: str | os.PathLike[str], *, wait_seconds: float = 0.0) -> Iterator[Path]:
    """Hold ``<warehouse>.lock`` for a whole run; a second run waits ``wait_seconds`` then fails clearly.

    The lock is an ``flock`` on a file that holds the holder's PID, so a killed run never leaves a
    stale lock behind.
    """
    lock_path = Path(str(warehouse) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    held = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    raise PipelineError(
                        f"Warehouse {warehouse} wird von einem anderen praevention-Lauf benutzt (PID {holder}, "
                        f"Sperrdatei {lock_path}); bitte warten, bis er fertig ist"
                    ) from None
                time.sleep(0.2)
        held = True
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield lock_path
    finally:
        if held:  # a run that did not get the lock must not erase the holder's PID
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        os.close(fd)


def offending_lines(
    con: duckdb.DuckDBPyConnection, bad: pd.DataFrame, table: str | None = None, key: Sequence[str] = (), limit: int = 5
) -> list[str]:
    """The first ``limit`` rows a check found, one line each, led by the raw file and line they come from:
    the rows' own ``source_file``/``source_line``, else those of the rows of ``table`` with the same ``key``
    values (a duplicate key names every copy)."""
    rows = bad.head(limit)
    shown = [c for c in rows.columns if c not in ("source_file", "source_line")]
    if "source_file" not in rows.columns and table and table_exists(con, table):
        columns = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
        on = [k for k in key if k in rows.columns and k in columns]
        if on and {"source_file", "source_line"} <= columns:
            con.register("_offending", rows[on])
            try:
                found = con.execute(
                    f"SELECT DISTINCT {', '.join(f'b.{k}' for k in on)}, t.source_file, t.source_line "
                    f'FROM _offending b JOIN "{table}" t USING ({", ".join(on)}) ORDER BY ALL LIMIT {int(limit) * 3}'
                ).df()
            finally:
                con.unregister("_offending")
            rows = rows.merge(found, on=on, how="left")
    lines = []
    for r in rows.head(limit * 3).to_dict("records"):
        where = r.get("source_file")
        where = f"{where}, Zeile {int(r['source_line'])}" if where and pd.notna(r.get("source_line")) else where
        values = ", ".join(
            f"{c} {r[c]}" for c in shown if r.get(c) is not None and not (isinstance(r[c], float) and pd.isna(r[c]))
        )
        lines.append(f"{where}: {values}" if where else values)
    return lines
