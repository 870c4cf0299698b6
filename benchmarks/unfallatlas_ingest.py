"""Unfallatlas ingest at Germany scale: the project's DuckDB reader against the plain pandas approach.

Each approach runs in its own process (so that its peak memory is its own) and prints one JSON line:

    uv run python benchmarks/unfallatlas_ingest.py duckdb|pandas|pandas_to_sql|scan ZIP_FOLDER WAREHOUSE

* ``duckdb``: what the ``accident_points`` asset does, :func:`praevention.ingest.load_accident_points`
  (DuckDB ``read_csv`` with explicit types, checks in SQL, quarantine) and the atomic warehouse write.
* ``pandas``: ``pd.read_csv`` per file (decimal commas, leading zeros as text), ``pd.concat``, then the
  frame registered in DuckDB and stored with ``CREATE TABLE`` – no checks, no quarantine, no geometry.
* ``pandas_to_sql``: the same frame written with ``DataFrame.to_sql``, pandas' own database writer, into
  SQLite (the one database it writes without SQLAlchemy; into DuckDB through SQLAlchemy it inserts row
  by row and would take minutes).
* ``scan``: the floor under any DuckDB ingest of these files – unzip every member and parse every column
  with its type in one ``read_csv`` over all files, keeping nothing (no checks, no write).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd


def run_duckdb(paths: list[Path], warehouse: Path) -> int:
    from praevention import warehouse as wh
    from praevention.ingest import load_accident_points

    con = wh.connect(warehouse)
    load = load_accident_points(paths, [], con)
    counts = wh.write_asset(
        con, asset="accident_points", tables=load.tables, quarantine=load.rejects, ingest_log=load.log
    )
    con.close()
    return int(counts["accident_points"])


def _pandas_read(path: Path) -> pd.DataFrame:
    """One zipped year as plain pandas reads it: decimal commas, the keys with leading zeros as text."""
    text = {c: str for c in ("ULAND", "UREGBEZ", "UKREIS", "UGEMEINDE", "UIDENTSTLAE")}
    return pd.read_csv(path, sep=";", decimal=",", dtype=text, encoding="latin-1")


def run_pandas(paths: list[Path], warehouse: Path) -> int:
    frame = pd.concat([_pandas_read(p) for p in paths], ignore_index=True)
    con = duckdb.connect(str(warehouse))
    con.register("incoming", frame)
    con.execute("CREATE OR REPLACE TABLE accident_points AS SELECT * FROM incoming")
    n = con.execute("SELECT count(*) FROM accident_points").fetchone()[0]
    con.close()
    return int(n)


def run_pandas_to_sql(paths: list[Path], warehouse: Path) -> int:
    import sqlite3

    frame = pd.concat([_pandas_read(p) for p in paths], ignore_index=True)
    con = sqlite3.connect(warehouse)
    frame.to_sql("accident_points", con, index=False)
    con.commit()
    n = con.execute("SELECT count(*) FROM accident_points").fetchone()[0]
    con.close()
    return int(n)


def run_scan(paths: list[Path], warehouse: Path) -> int:
    import tempfile

    from praevention.readers.unfallatlas import TYPED, extract_csv, map_header

    with tempfile.TemporaryDirectory() as tmp:
        files = [str(extract_csv(p, Path(tmp))[0]) for p in paths]
        with open(files[0], encoding="latin-1") as fh:
            header = fh.readline().strip().split(";")
        typed = {source: TYPED[canon][1] for canon, source in map_header(header, files[0]).items()}
        columns = {h: typed.get(h, "VARCHAR") for h in header}
        every = ", ".join(f'max("{h}")' for h in header)
        con = duckdb.connect()
        con.execute(
            f"SELECT count(*), {every} FROM read_csv(?, delim = ';', header = true, columns = ?, "
            "auto_detect = false, decimal_separator = ',', encoding = 'latin-1')",
            [files, columns],
        )
        return int(con.fetchone()[0])


APPROACHES = {"duckdb": run_duckdb, "pandas": run_pandas, "pandas_to_sql": run_pandas_to_sql, "scan": run_scan}


def main() -> None:
    approach, folder, warehouse = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    paths = sorted(folder.glob("*.zip"))
    warehouse.unlink(missing_ok=True)
    if approach == "duckdb":  # imports are not part of the measurement (pandas is imported above too)
        import praevention.ingest  # noqa: F401
    started = time.perf_counter()
    rows = APPROACHES[approach](paths, warehouse)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(
        json.dumps(
            {
                "approach": approach,
                "files": len(paths),
                "rows": rows,
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
