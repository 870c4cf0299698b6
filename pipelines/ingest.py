"""Plain functions that turn the discovered raw files of one source into warehouse tables.

Each returns a :class:`SourceLoad`; the Dagster assets in ``assets/`` only call them and write the
result with :func:`pipelines.warehouse.write_asset`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.readers.accident_counts import DTYPES as ACCIDENT_COUNT_DTYPES
from pipelines.readers.accident_counts import read_genesis, read_inkar, read_regionalstatistik
from pipelines.readers.base import ReadResult, combine, drop_covered, typed_empty
from pipelines.readers.boundaries import read_boundaries
from pipelines.readers.kiss_md import DTYPES as KISS_DTYPES
from pipelines.readers.kiss_md import read_kiss_md
from pipelines.readers.pks import read_pks
from pipelines.readers.population import read_gv100ad, read_gv_auszug_csv, read_gv_isys_json
from pipelines.readers.unfallatlas import check_points, discard, extract_csv, parse_csv, parse_geojson
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


def load_accident_points(paths: list[Path], geojson_paths: list[Path], con: duckdb.DuckDBPyConnection) -> SourceLoad:
    """Unfallatlas records of every layout; the derived GeoJSON only where no official file has the row.

    Every file is parsed into a temp table of ``con`` (the warehouse connection the asset then writes
    with), all of them are checked in one SQL pass, and the table write selects the accepted rows from the
    temp tables, so 2.4 million national records are never copied out of DuckDB (``benchmarks/`` measures
    the load). The temp tables live until ``con`` closes; a failed load drops them at once.
    """
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    try:
        with tempfile.TemporaryDirectory(prefix="unfallatlas_") as tmp:
            folders = [Path(tmp) / str(i) for i in range(len(paths))]
            for folder in folders:
                folder.mkdir()
            # unpacking runs on every core (zlib-ng releases the GIL); DuckDB's reader uses them per file
            with ThreadPoolExecutor(max_workers=workers) as pool:
                members = list(pool.map(extract_csv, paths, folders))
            files = [parse_csv(table, label, con, f"_ua_{i}") for i, (table, label) in enumerate(members)]
            files += [parse_geojson(p, con, f"_ua_{len(members) + i}") for i, p in enumerate(geojson_paths)]
            checked = check_points(con, files)
        preview = con.execute(
            f"SELECT year, ags, count(*) AS size FROM ({checked.select}) GROUP BY ALL ORDER BY ALL LIMIT 20"
        ).df()
    except BaseException:
        discard(con)
        raise
    table = TableWrite(
        "accident_points",
        checked.select,
        order_by=(),  # already in a stable order: files sorted by name, rows by line (no 2.4M-row sort)
        # computed when read (core DuckDB, no extension needed): they take no space in the warehouse
        virtual={
            **checked.virtual,
            "geom_25832": "CAST('POINT (' || x_25832 || ' ' || y_25832 || ')' AS GEOMETRY)",
            "geom_4326": "CAST('POINT (' || lon || ' ' || lat || ')' AS GEOMETRY)",
        },
    )
    log = checked.log.sort_values("source_file").reset_index(drop=True)
    return SourceLoad([table], checked.rejects, log, preview)


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
