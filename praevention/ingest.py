"""Plain functions that turn the discovered raw files of one source into warehouse tables.

Each returns a :class:`SourceLoad`; the Dagster assets in ``assets/`` only call them and write the
result with :func:`praevention.warehouse.write_asset`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from praevention import config
from praevention.discovery import NO_LAYOUT, NO_PERMISSION, display_path, has_utf8_name
from praevention.errors import SourceFormatError
from praevention.readers.accident_counts import DTYPES as ACCIDENT_COUNT_DTYPES
from praevention.readers.accident_counts import read_genesis, read_inkar, read_regionalstatistik
from praevention.readers.base import (
    NOT_READ,
    ReadResult,
    combine,
    drop_covered,
    empty_select,
    one_file_per_year,
    typed_empty,
)
from praevention.readers.boundaries import TYPES as BOUNDARY_TYPES
from praevention.readers.boundaries import read_boundaries
from praevention.readers.kiss_md import DTYPES as KISS_DTYPES
from praevention.readers.kiss_md import read_kiss_md
from praevention.readers.lka import TYPES as LKA_TYPES
from praevention.readers.lka import read_lka_tatortgemeinde
from praevention.readers.pks import ALL_OFFENCES, read_pks
from praevention.readers.pks import FIGURES as PKS_FIGURES
from praevention.readers.pks import TYPES as PKS_TYPES
from praevention.readers.population import TYPES as POPULATION_TYPES
from praevention.readers.population import read_gv100ad, read_gv_auszug_csv, read_gv_isys_json
from praevention.readers.unfallatlas import check_points, discard, extract_csv, parse_csv, parse_geojson
from praevention.warehouse import TableWrite


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

    def not_loaded(self) -> list[str]:
        """'file: reason' of every file of this source that could not be read (none loaded from it)."""
        if not len(self.log):
            return []
        bad = self.log[self.log["note"].fillna("").str.startswith(NOT_READ)]
        return [f"{f}: {n.removeprefix(NOT_READ)}" for f, n in zip(bad["source_file"], bad["note"], strict=True)]

    def quarantine_summary(self) -> list[str]:
        """One German line per file with quarantined rows: how many of how many, and the most frequent
        reason with its first line, so that a damaged file is never loaded short without a word."""
        if not len(self.rejects):
            return []
        lines = []
        for file, group in self.rejects.groupby("source_file", sort=True):
            read = self.log.loc[self.log["source_file"] == file, "rows_read"]
            total = int(read.iloc[0]) if len(read) and pd.notna(read.iloc[0]) else len(group)
            kinds = group["reason"].astype(str).str.replace(r"\d+", "#", regex=True)
            first = group[kinds == kinds.value_counts().index[0]].iloc[0]
            where = f"Zeile {int(first['line'])}: " if pd.notna(first["line"]) else ""
            share = f" ({round(100 * len(group) / total)} %)" if total else ""
            lines.append(
                f"{file}: {_de(len(group))} von {_de(total)} Zeilen in Quarantäne{share}, am häufigsten "
                f"{where}{first['reason']}"
            )
        return lines

    def with_unrecognised(self, paths: list[Path], why: Callable[[Path], str] = lambda _: NO_LAYOUT) -> SourceLoad:
        """The load with unrecognised files beside this source's files logged as not loaded (``why``: the reason)."""
        if not paths:
            return self
        rows = pd.DataFrame([not_loaded(display_path(p), why(p)) for p in paths])
        self.log = pd.concat([self.log, rows], ignore_index=True) if len(self.log) else rows
        self.log = self.log.sort_values("source_file").reset_index(drop=True)
        return self


def _de(n: int) -> str:
    """A count with German thousands separators (12.345)."""
    return f"{n:,}".replace(",", ".")


def _finish(
    results: list[ReadResult], extra_log: Iterable[dict] = ()
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    frame, rejects, log = combine(results)
    extra = list(extra_log)
    if extra:
        log = pd.concat([log, pd.DataFrame(extra)], ignore_index=True) if len(log) else pd.DataFrame(extra)
    if len(log):
        log = log.sort_values("source_file").reset_index(drop=True)
    return frame, rejects, log


@contextlib.contextmanager
def readable(path: Path) -> Iterator[tuple[Path, str]]:
    """The path a reader opens and the label the warehouse stores for ``path``.

    A file whose name is not valid UTF-8 (a latin-1 byte from an old archive) is read through a link with
    the name :func:`~praevention.discovery.display_path` gives it, in a folder of its own, so that libraries
    that need UTF-8 paths (DuckDB, calamine) can open it and the stored label can be written.
    """
    label = display_path(path)
    if has_utf8_name(path):
        yield path, label
        return
    with tempfile.TemporaryDirectory(prefix="praevention-name-") as tmp:
        alias = Path(tmp) / Path(label).parent.name / Path(label).name
        alias.parent.mkdir(exist_ok=True)
        alias.symlink_to(path.resolve())
        yield alias, label


def relabel(result: ReadResult, old: str, new: str) -> ReadResult:
    """The same result with the file's label ``old`` (and ``old!member``) replaced by ``new``."""
    if old == new:
        return result

    def fix(value: object) -> object:
        return new + value[len(old) :] if isinstance(value, str) and value.startswith(old) else value

    result.source_file = str(fix(result.source_file))
    if "source_file" in result.frame:
        result.frame["source_file"] = result.frame["source_file"].map(fix)
    if len(result.rejects):
        result.rejects["source_file"] = result.rejects["source_file"].map(fix)
    return result


def not_loaded(label: str, reason: str) -> dict:
    """The ingest-log row of a file that could not be read: named, with its reason, nothing loaded."""
    return {"source_file": label, "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0, "note": NOT_READ + reason}


def file_problem(exc: Exception) -> str:
    """One line saying why a file could not be read (the reader's message without the path it repeats,
    its line number kept)."""
    if isinstance(exc, SourceFormatError):
        text = str(exc)
        return text[len(exc.path) :].lstrip(":, ") if text.startswith(exc.path) else text
    if isinstance(exc, PermissionError):
        return NO_PERMISSION
    if isinstance(exc, OSError):
        return f"cannot read the file: {exc.strerror or exc} (errno {exc.errno})"
    return f"{type(exc).__name__}: {exc}"


#: errors of one file that leave the rest of its source loadable
FILE_ERRORS = (SourceFormatError, OSError, zipfile.BadZipFile, UnicodeError, EOFError)


def read_files(
    paths: list[Path], reader: Callable[[Path], ReadResult | list[ReadResult]]
) -> tuple[list[ReadResult], list[dict]]:
    """Read every file; a file that cannot be read is logged as not loaded, with its reason, and the
    others are read on (a source that ends up empty fails its blocking check instead)."""
    results: list[ReadResult] = []
    failed: list[dict] = []
    for path in paths:
        with readable(path) as (opened, label):
            try:
                got = reader(opened)
            except FILE_ERRORS as exc:
                failed.append(not_loaded(label, file_problem(exc)))
                continue
        results += [relabel(r, str(opened), label) for r in (got if isinstance(got, list) else [got])]
    return results, failed


def load_crime_cases(paths: list[Path]) -> SourceLoad:
    """BKA PKS T01 Kreise, all years found; the year of each file from its content where it states one.

    Files with the same figures (a copy, or the CSV and XLSX editions of a year) are loaded once; two files
    that claim one year with different figures stop the source with a message naming both
    (:func:`praevention.readers.base.one_file_per_year`).
    """
    results, failed = read_files(paths, read_pks)
    kept, duplicates = one_file_per_year(results, ["ags", "offence_key"], list(PKS_FIGURES))
    frame, rejects, log = _finish(kept, [*duplicates, *failed])
    source = frame if len(frame.columns) else empty_select(PKS_TYPES)
    table = TableWrite("crime_cases", source, order_by=("year", "ags", "offence_key"))
    preview = (
        frame[frame["offence_key"] == ALL_OFFENCES].groupby("year", as_index=False)["cases"].sum()
        if len(frame)
        else frame
    )
    return SourceLoad([table], rejects, log, preview)


def load_crime_city_stats(paths: list[Path]) -> SourceLoad:
    """Magdeburg KISS-MD crime tables (Stadtteile, Magdeburg vs Halle, Länder)."""
    results, failed = read_files(paths, read_kiss_md)
    frame, rejects, log = _finish(results, failed)
    if frame.columns.empty:
        frame = typed_empty(KISS_DTYPES)
    table = TableWrite("crime_city_stats", frame, order_by=("table_id", "year", "unit_ags", "measure"))
    return SourceLoad([table], rejects, log, frame.head(10))


def load_crime_gemeinde_cases(paths: list[Path]) -> SourceLoad:
    """The LKA's PKS by Tatortgemeinde in the import format (:mod:`praevention.readers.lka`); none in the
    public data, so an empty table where no file was delivered."""
    results, failed = read_files(paths, read_lka_tatortgemeinde)
    frame, rejects, log = _finish(results, failed)
    source = frame if len(frame.columns) else empty_select(LKA_TYPES)
    table = TableWrite("crime_gemeinde_cases", source, order_by=("year", "ags", "offence_key"))
    preview = (
        frame[frame["offence_key"] == ALL_OFFENCES]
        .groupby("year", as_index=False)
        .agg(gemeinden=("ags", "nunique"), cases=("cases", "sum"))
        if len(frame)
        else frame
    )
    return SourceLoad([table], rejects, log, preview)


def load_accident_points(paths: list[Path], geojson_paths: list[Path], con: duckdb.DuckDBPyConnection) -> SourceLoad:
    """Unfallatlas records of every layout; the derived GeoJSON only where no official file has the row.

    Every file is parsed into a temp table of ``con`` (the warehouse connection the asset then writes
    with), all of them are checked in one SQL pass, and the table write selects the accepted rows from the
    temp tables, so 2.4 million national records are never copied out of DuckDB (``benchmarks/`` measures
    the load). The temp tables live until ``con`` closes; a failed load drops them at once.
    """
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    failed: list[dict] = []

    def unpack(path: Path, folder: Path) -> tuple[Path, str] | Exception:
        try:
            return extract_csv(path, folder)
        except FILE_ERRORS as exc:
            return exc

    try:
        with tempfile.TemporaryDirectory(prefix="unfallatlas_") as tmp, contextlib.ExitStack() as names:
            opened = [names.enter_context(readable(p)) for p in [*paths, *geojson_paths]]
            folders = [Path(tmp) / str(i) for i in range(len(paths))]
            for folder in folders:
                folder.mkdir()
            # unpacking runs on every core (zlib-ng releases the GIL); DuckDB's reader uses them per file
            with ThreadPoolExecutor(max_workers=workers) as pool:
                members = list(pool.map(unpack, [alias for alias, _ in opened[: len(paths)]], folders))
            files = []
            for i, ((alias, label), member) in enumerate(zip(opened, [*members, *geojson_paths], strict=True)):
                try:
                    if isinstance(member, Exception):
                        raise member
                    if i < len(paths):
                        table, inner = member
                        files.append(parse_csv(table, label + inner[len(str(alias)) :], con, f"_ua_{i}"))
                    else:
                        files.append(parse_geojson(alias, con, f"_ua_{i}", label=label))
                except FILE_ERRORS as exc:
                    failed.append(not_loaded(label, file_problem(exc)))
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
    log = pd.concat([checked.log, pd.DataFrame(failed, columns=checked.log.columns)], ignore_index=True)
    log = log.sort_values("source_file").reset_index(drop=True)
    return SourceLoad([table], checked.rejects, log, preview)


def load_accident_counts(regio: list[Path], genesis: list[Path], inkar: list[Path]) -> SourceLoad:
    """Regionalstatistik, GENESIS and INKAR accident statistics in one long table."""
    results, failed = [], []
    for paths, reader in ((regio, read_regionalstatistik), (genesis, read_genesis), (inkar, read_inkar)):
        read, bad = read_files(paths, reader)
        results, failed = results + read, failed + bad
    frame, rejects, log = _finish(results, failed)
    if frame.columns.empty:
        frame = typed_empty(ACCIDENT_COUNT_DTYPES)
    table = TableWrite(
        "accident_counts", frame, order_by=("source", "level", "ags", "year", "month", "measure", "breakdown")
    )
    preview = frame[(frame["ags"] == config.land()) & (frame["breakdown"] == "")].head(12) if len(frame) else frame
    return SourceLoad([table], rejects, log, preview)


def load_boundaries(paths: list[Path]) -> SourceLoad:
    """VG250 / VG5000 Gemeinden and Kreise in EPSG:25832; subset files of the same vintage are not doubled."""
    results, failed = read_files(paths, read_boundaries)
    kept, superseded = drop_covered(
        results,
        lambda r: (str(r.frame["valid_from"].iloc[0]), r.frame["level"].iloc[0]) if len(r.frame) else r.source_file,
        ["ags"],
        ["area_km2"],
        rtol=0.01,  # copies converted by other tools differ in the last digits
    )
    frame, rejects, log = _finish(kept, [*superseded, *failed])
    source = frame if len(frame.columns) else empty_select(BOUNDARY_TYPES)
    table = TableWrite("boundaries", source, order_by=("level", "valid_from", "ags"), geometry=("geometry",))
    preview = frame.groupby(["level", "valid_from", "source"], as_index=False).size() if len(frame) else frame
    return SourceLoad([table], rejects, log, preview)


POPULATION_READERS: dict[str, Callable[[Path], ReadResult]] = {
    "gv100ad": read_gv100ad,
    "gv_isys_json": read_gv_isys_json,
    "gv_auszug_csv": read_gv_auszug_csv,
}


def load_population(paths_by_kind: dict[str, list[Path]]) -> SourceLoad:
    """Gemeindeverzeichnis population in every stored form; subset extracts of one edition not doubled."""
    results, failed = [], []
    for kind, paths in sorted(paths_by_kind.items()):
        read, bad = read_files(paths, POPULATION_READERS[kind])
        results, failed = results + read, failed + bad
    kept, superseded = drop_covered(
        results,
        lambda r: (
            (r.frame["source"].iloc[0], str(r.frame["reference_date"].iloc[0])) if len(r.frame) else r.source_file
        ),
        ["ags"],
        ["population"],
    )
    frame, rejects, log = _finish(kept, [*superseded, *failed])
    source = frame if len(frame.columns) else empty_select(POPULATION_TYPES)
    table = TableWrite("population", source, order_by=("ags", "reference_date", "source"))
    preview = (
        frame[frame["ags"].str.startswith(config.land())]
        .groupby(["reference_date", "source"], as_index=False)["population"]
        .sum()
        if len(frame)
        else frame
    )
    return SourceLoad([table], rejects, log, preview)
