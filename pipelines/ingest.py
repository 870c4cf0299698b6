"""Plain functions that turn the discovered raw files of one source into warehouse tables.

Each returns a :class:`SourceLoad`; the Dagster assets in ``assets/`` only call them and write the
result with :func:`pipelines.warehouse.write_asset`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.readers.accident_counts import DTYPES as ACCIDENT_COUNT_DTYPES
from pipelines.readers.accident_counts import read_genesis, read_inkar, read_regionalstatistik
from pipelines.readers.base import ReadResult, combine, drop_covered, empty_rejects, typed_empty
from pipelines.readers.boundaries import read_boundaries
from pipelines.readers.kiss_md import DTYPES as KISS_DTYPES
from pipelines.readers.kiss_md import read_kiss_md
from pipelines.readers.pks import read_pks
from pipelines.readers.population import read_gv100ad, read_gv_auszug_csv, read_gv_isys_json
from pipelines.readers.unfallatlas import SOURCE_CSV, empty_points, read_unfallatlas_csv, read_unfallatlas_geojson
from pipelines.warehouse import TableWrite


@dataclass
class SourceLoad:
    """What one source asset writes: its tables, the quarantined rows and the per-file log."""

    tables: list[TableWrite]
    rejects: pd.DataFrame
    log: pd.DataFrame
    preview: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.log["rows_read"].sum()) if len(self.log) else 0

    @property
    def rows_loaded(self) -> int:
        return int(self.log["rows_loaded"].sum()) if len(self.log) else 0


def _finish(
    results: list[ReadResult], extra_log: Iterable[dict] = ()
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    frame, rejects, log = combine(results)
    extra = list(extra_log)
    if extra:
        log = pd.concat([log, pd.DataFrame(extra)], ignore_index=True)
    if len(log):
        log = log.sort_values("source_file").reset_index(drop=True)
    return frame, rejects, log


def _read_all(paths: list[Path], reader: Callable[[Path], ReadResult]) -> list[ReadResult]:
    return [reader(p) for p in paths]


def load_crime_cases(paths: list[Path]) -> SourceLoad:
    """BKA PKS T01 Kreise, all years found; one file per year (CSV and XLSX twins: the fuller one)."""
    results = _read_all(paths, read_pks)
    kept, superseded = drop_covered(
        results, lambda r: int(r.frame["year"].iloc[0]) if len(r.frame) else r.source_file, ["ags", "offence_key"]
    )
    frame, rejects, log = _finish(kept, superseded)
    table = TableWrite("crime_cases", frame, order_by=("year", "ags", "offence_key"))
    preview = (
        frame[frame["offence_key"] == "------"].groupby("year", as_index=False)["cases"].sum() if len(frame) else frame
    )
    return SourceLoad([table], rejects, log, preview)


def load_crime_city_stats(paths: list[Path]) -> SourceLoad:
    """Magdeburg KISS-MD crime tables (Stadtteile, Magdeburg vs Halle, Länder)."""
    frame, rejects, log = _finish(_read_all(paths, read_kiss_md))
    if frame.columns.empty:
        frame = typed_empty(KISS_DTYPES)
    table = TableWrite("crime_city_stats", frame, order_by=("table_id", "year", "unit_ags", "measure"))
    return SourceLoad([table], rejects, log, frame.head(10))


def load_accident_points(paths: list[Path], geojson_paths: list[Path]) -> SourceLoad:
    """Unfallatlas records of every layout; the derived GeoJSON only where no official file has the row.

    The rows stay in Arrow from DuckDB's CSV reader to the warehouse write (2.4 million national records
    would cost seconds and gigabytes as Python objects); the duplicate check runs in DuckDB.
    """
    import pyarrow as pa

    from pipelines.warehouse import memory

    con = memory()
    # one file per core, each on its own cursor (own temp tables) and one DuckDB thread: a national year
    # is too small for DuckDB's own parallelism to pay off (the ingest row of benchmarks/run.py)
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    if workers > 1:
        con.execute("SET threads = 1")

    def read(path: Path) -> ReadResult:
        with con.cursor() as cursor:
            return read_unfallatlas_csv(path, cursor, arrow=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(read, paths))
    results += [read_unfallatlas_geojson(p, con, arrow=True) for p in geojson_paths]
    frames = [r.frame for r in results if r.frame.num_rows]
    rej = [r.rejects for r in results if len(r.rejects)]
    rejects = pd.concat(rej, ignore_index=True) if rej else empty_rejects()
    log = pd.DataFrame([r.log_row() for r in results])
    if len(log):
        log = log.sort_values("source_file").reset_index(drop=True)
    frame = pa.concat_tables(frames) if frames else empty_points(con)
    con.register("_points", frame)
    dup = "source <> ? AND accident_uid IN (SELECT accident_uid FROM _points WHERE source = ?)"
    moved = (  # only the derived GeoJSON can repeat an official record
        con.execute(
            f"SELECT source_file, source_line, accident_uid FROM _points WHERE {dup}", [SOURCE_CSV, SOURCE_CSV]
        ).df()
        if geojson_paths
        else pd.DataFrame()
    )
    if len(moved):
        extra = pd.DataFrame(
            {
                "source_file": moved["source_file"],
                "line": moved["source_line"],
                "field": "UIDENTSTLAE",
                "raw": moved["accident_uid"],
                "reason": "same accident is in an official Unfallatlas file, which is used",
            }
        )
        rejects = pd.concat([rejects, extra], ignore_index=True)
        for f, n in moved.groupby("source_file").size().items():
            i = log.index[log["source_file"] == f]
            log.loc[i, "rows_loaded"] -= n
            log.loc[i, "rows_quarantined"] += n
        frame = con.execute(f"SELECT * FROM _points WHERE NOT ({dup})", [SOURCE_CSV, SOURCE_CSV]).fetch_arrow_table()
        con.register("_points", frame)
    preview = con.execute("SELECT year, ags, count(*) AS size FROM _points GROUP BY ALL ORDER BY ALL LIMIT 20").df()
    con.unregister("_points")
    table = TableWrite(
        "accident_points",
        frame,
        order_by=(),  # already in a stable order: files sorted by name, rows by line (no 2.4M-row sort)
        # computed when read (core DuckDB, no extension needed): storing 2 x 2.4M points doubled the write
        virtual={
            "geom_25832": "CAST('POINT (' || x_25832 || ' ' || y_25832 || ')' AS GEOMETRY)",
            "geom_4326": "CAST('POINT (' || lon || ' ' || lat || ')' AS GEOMETRY)",
        },
    )
    return SourceLoad([table], rejects, log, preview)


def load_accident_counts(regio: list[Path], genesis: list[Path], inkar: list[Path]) -> SourceLoad:
    """Regionalstatistik, GENESIS and INKAR accident statistics in one long table."""
    results = _read_all(regio, read_regionalstatistik) + _read_all(genesis, read_genesis) + _read_all(inkar, read_inkar)
    frame, rejects, log = _finish(results)
    if frame.columns.empty:
        frame = typed_empty(ACCIDENT_COUNT_DTYPES)
    table = TableWrite(
        "accident_counts", frame, order_by=("source", "level", "ags", "year", "month", "measure", "breakdown")
    )
    preview = frame[(frame["ags"] == "15") & (frame["breakdown"] == "")].head(12) if len(frame) else frame
    return SourceLoad([table], rejects, log, preview)


def load_boundaries(paths: list[Path]) -> SourceLoad:
    """VG250 / VG5000 Gemeinden and Kreise in EPSG:25832; subset files of the same vintage are not doubled."""
    results = [r for p in paths for r in read_boundaries(p)]
    kept, superseded = drop_covered(
        results,
        lambda r: (str(r.frame["valid_from"].iloc[0]), r.frame["level"].iloc[0]) if len(r.frame) else r.source_file,
        ["ags"],
    )
    frame, rejects, log = _finish(kept, superseded)
    table = TableWrite("boundaries", frame, order_by=("level", "valid_from", "ags"), geometry=("geometry",))
    preview = frame.groupby(["level", "valid_from", "source"], as_index=False).size() if len(frame) else frame
    return SourceLoad([table], rejects, log, preview)


POPULATION_READERS: dict[str, Callable[[Path], ReadResult]] = {
    "gv100ad": read_gv100ad,
    "gv_isys_json": read_gv_isys_json,
    "gv_auszug_csv": read_gv_auszug_csv,
}


def load_population(paths_by_kind: dict[str, list[Path]]) -> SourceLoad:
    """Gemeindeverzeichnis population in every stored form; subset extracts of one edition not doubled."""
    results = [POPULATION_READERS[k](p) for k, ps in sorted(paths_by_kind.items()) for p in ps]
    kept, superseded = drop_covered(
        results,
        lambda r: (
            (r.frame["source"].iloc[0], str(r.frame["reference_date"].iloc[0])) if len(r.frame) else r.source_file
        ),
        ["ags"],
    )
    frame, rejects, log = _finish(kept, superseded)
    table = TableWrite("population", frame, order_by=("ags", "reference_date", "source"))
    preview = (
        frame[frame["ags"].str.startswith("15")]
        .groupby(["reference_date", "source"], as_index=False)["population"]
        .sum()
        if len(frame)
        else frame
    )
    return SourceLoad([table], rejects, log, preview)
