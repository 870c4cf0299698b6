"""Unfallatlas accident records (Unfälle mit Personenschaden), every published yearly layout.

Publisher: Statistische Ämter des Bundes und der Länder, Unfallatlas (dl-de/by-2-0).

* **CSV/TXT** ``Unfallorte<Jahr>_LinRef.(txt|csv)``, 2016–2024, ``;``-separated, decimal commas with 15
  decimals, codes with leading zeros, loose or inside the official zips. Header variants
  (PROVENANCE-geo-accidents.md §1.2): ``OBJECTID``/``OBJECTID_1``/``OID_``/``FID``, ``UIDENTSTLA(E)``,
  ``ULICHTVERH``/``LICHT``, ``STRZUSTAND``/``USTRZUSTAND``/``IstStrassenzustand``/``IstStrasse``,
  ``IstSonstig(e)``, optional ``IstGkfz`` and ``PLST``. Read with DuckDB's CSV reader (all columns as
  text, typed in SQL); a Germany-wide year has ~270,000 rows (``benchmarks/`` measures the load).
* **Derived GeoJSON** (the Magdeburg extract of the Smart City hackathon): ``geometry`` is null, the
  decimal-comma numbers were read as thousands separators upstream (``XGCSWGS84`` = 11618349789000036.0
  means 11.618349789000036); values above 1e6 (coordinates) are divided by 1e15 and checked against the
  ``lon``/``lat`` columns the hackathon added.

Both paths end in the same SQL (``sql/unfallatlas_clean.sql``, one pass), so their rows are typed and
checked identically. Rows with impossible codes or coordinates are rejected with their reason.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.errors import SourceFormatError
from pipelines.parsing import decode_bytes
from pipelines.readers.base import ReadResult, empty_rejects, reject

SQL_DIR = Path(__file__).parent / "sql"

# published header (upper case) -> canonical raw column; earlier entries win when a file has several
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "object_id": ("OBJECTID", "OBJECTID_1", "OID_", "FID"),
    "accident_uid": ("UIDENTSTLAE", "UIDENTSTLA"),
    "uland": ("ULAND",),
    "uregbez": ("UREGBEZ",),
    "ukreis": ("UKREIS",),
    "ugemeinde": ("UGEMEINDE",),
    "ujahr": ("UJAHR",),
    "umonat": ("UMONAT",),
    "ustunde": ("USTUNDE",),
    "uwochentag": ("UWOCHENTAG",),
    "ukategorie": ("UKATEGORIE",),
    "uart": ("UART",),
    "utyp1": ("UTYP1",),
    "ulichtverh": ("ULICHTVERH", "LICHT"),
    "road_condition": ("STRZUSTAND", "USTRZUSTAND", "ISTSTRASSENZUSTAND", "ISTSTRASSE"),
    "is_bicycle": ("ISTRAD",),
    "is_car": ("ISTPKW",),
    "is_pedestrian": ("ISTFUSS",),
    "is_motorcycle": ("ISTKRAD",),
    "is_goods_vehicle": ("ISTGKFZ",),
    "is_other": ("ISTSONSTIGE", "ISTSONSTIG"),
    "linrefx": ("LINREFX",),
    "linrefy": ("LINREFY",),
    "lon": ("XGCSWGS84",),
    "lat": ("YGCSWGS84",),
    "plst": ("PLST",),
}
REQUIRED = ("uland", "uregbez", "ukreis", "ugemeinde", "ujahr", "umonat", "ukategorie")
OUTPUT_COLUMNS = [
    "accident_uid",
    "object_id",
    "year",
    "month",
    "hour",
    "weekday",
    "ags",
    "category",
    "type",
    "kind",
    "light",
    "road_condition",
    "is_bicycle",
    "is_car",
    "is_pedestrian",
    "is_motorcycle",
    "is_goods_vehicle",
    "is_other",
    "plausibility",
    "x_25832",
    "y_25832",
    "lon",
    "lat",
    "source",
    "source_file",
    "source_line",
]
SOURCE_CSV = "Unfallatlas (Statistische Ämter des Bundes und der Länder)"
SOURCE_GEOJSON = "Unfallatlas, Auszug Magdeburg (Smart City Hackathon 2026, abgeleitet)"
_MEMBER = re.compile(r"unfallorte.*\.(csv|txt)$", re.IGNORECASE)
_MANGLED_LIMIT = 1e10


def map_header(header: list[str], path: str) -> dict[str, str]:
    """Canonical raw column -> the file's own column name."""
    upper = {h.strip().upper(): h for h in header}
    mapping = {}
    for canon, variants in HEADER_VARIANTS.items():
        for v in variants:
            if v in upper:
                mapping[canon] = upper[v]
                break
    missing = [c.upper() for c in REQUIRED if c not in mapping]
    if missing or not (("linrefx" in mapping and "linrefy" in mapping) or ("lon" in mapping and "lat" in mapping)):
        raise SourceFormatError(
            path,
            "unknown Unfallatlas layout: "
            + (f"missing {', '.join(missing)}; " if missing else "")
            + "need ULAND…UKATEGORIE and LINREFX/LINREFY or XGCSWGS84/YGCSWGS84; header is "
            + ";".join(header)[:300],
            line=1,
        )
    return mapping


def _clean(con: duckdb.DuckDBPyConnection, source: str, source_file: str) -> tuple[pa.Table, pd.DataFrame]:
    """Typed, checked rows as Arrow (millions at national scale: no Python objects), rejects as pandas."""
    clean = (SQL_DIR / "unfallatlas_clean.sql").read_text()
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ua_out AS {clean}", [source, source_file])
    columns = ", ".join(OUTPUT_COLUMNS)
    loaded = con.execute(f"SELECT {columns} FROM _ua_out WHERE reason IS NULL ORDER BY source_line").fetch_arrow_table()
    rejects = con.execute(
        "SELECT source_file, source_line AS line, regexp_extract(reason, '^([A-Za-z_/()0-9.]+)') AS field, "
        "raw_line AS raw, reason FROM _ua_out WHERE reason IS NOT NULL ORDER BY source_line"
    ).df()
    con.execute("DROP TABLE _ua_out")
    return loaded, rejects


def empty_points(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """No rows, with the columns and types of a read (no Unfallatlas file at all)."""
    raw = pd.DataFrame({c: pd.Series(dtype="string") for c in [*HEADER_VARIANTS, "raw_line"]})
    raw["source_line"] = pd.Series(dtype="int64")
    con.register("unfallatlas_raw", raw)
    loaded, _ = _clean(con, SOURCE_CSV, "")
    con.unregister("unfallatlas_raw")
    return loaded


def _csv_member(path: Path, workdir: Path) -> tuple[Path, str]:
    """The Unfallorte table itself: the file, or the matching member of an official zip."""
    if not zipfile.is_zipfile(path):
        return path, str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if _MEMBER.search(m.rsplit("/", 1)[-1])]
            if len(members) != 1:
                raise SourceFormatError(
                    str(path),
                    f"zip holds {len(members)} Unfallorte*.csv/.txt members, expected 1; members: "
                    + ", ".join(zf.namelist()[:10]),
                )
            target = workdir / Path(members[0]).name
            with zf.open(members[0]) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    except zipfile.BadZipFile as exc:
        raise SourceFormatError(str(path), f"damaged zip archive: {exc}") from exc
    return target, f"{path}!{members[0]}"


def read_unfallatlas_csv(
    path: str | Path, con: duckdb.DuckDBPyConnection | None = None, *, arrow: bool = False
) -> ReadResult:
    """Read one yearly Unfallatlas table (loose ``.csv``/``.txt`` or the official zip).

    The rows come back as a DataFrame, or with ``arrow`` as an Arrow table (what the loader uses: a
    national year has 270,000 rows, and Arrow passes them to the warehouse without Python objects).
    """
    from pipelines.warehouse import memory

    path = Path(path)
    con = con or memory()
    with tempfile.TemporaryDirectory(prefix="unfallatlas_") as tmp:
        table, label = _csv_member(path, Path(tmp))
        with table.open("rb") as fh:
            head = fh.read(1 << 20)
        if not head.strip():
            raise SourceFormatError(label, "empty file")
        decoded = decode_bytes(head, path=label)
        first = decoded.text.splitlines()[0]
        delim = ";" if first.count(";") >= first.count(",") else ","
        header = [h.strip().strip('"') for h in first.split(delim)]
        mapping = map_header(header, label)
        encoding = "utf-8" if decoded.encoding.startswith("utf-8") else "latin-1"
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        # no sniffing: the header is known, every column is read as text and typed in SQL
        columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
        rel_sql = (
            "SELECT * FROM read_csv(?, delim = ?, header = false, skip = 1, columns = ?, auto_detect = false, "
            "encoding = ?, quote = '\"', escape = '\"', store_rejects = true, null_padding = false, strict_mode = false)"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE _ua_file AS {rel_sql}", [str(table), delim, columns, encoding])
        file_cols = list(columns)
        by_upper = {h.strip().upper(): c for h, c in zip(header, file_cols, strict=True)}
        select = []
        for canon in HEADER_VARIANTS:
            src = mapping.get(canon)
            col = by_upper.get(src.strip().upper()) if src else None
            select.append(f'"{col}" AS {canon}' if col else f"NULL::VARCHAR AS {canon}")
        raw_expr = "concat_ws('" + delim + "', " + ", ".join(f'"{c}"' for c in file_cols) + ")"
        con.execute(
            "CREATE OR REPLACE TEMP VIEW unfallatlas_raw AS SELECT "
            + ", ".join(select)
            + f", {raw_expr} AS raw_line, CAST(rowid + 1 AS BIGINT) AS source_line FROM _ua_file"
        )
        reader_rejects = con.execute(
            "SELECT line, trim(any_value(csv_line ORDER BY column_idx), chr(10) || chr(13)), "
            "any_value(error_message ORDER BY column_idx) FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
        loaded, rejects = _clean(con, SOURCE_CSV, label)
    # row_number counts accepted data lines; turn it into the file's line number (header = line 1)
    bad_lines = sorted(int(r[0]) for r in reader_rejects)
    lines = pd.Series(loaded.column("source_line").to_numpy(zero_copy_only=False))
    lines = _to_file_lines(lines, bad_lines) if bad_lines or len(rejects) else lines + 1
    loaded = loaded.set_column(
        loaded.schema.get_field_index("source_line"), "source_line", pa.array(lines, type=pa.int64())
    )
    if len(rejects):
        rejects["line"] = _to_file_lines(rejects["line"], bad_lines)
    extra = [
        reject(label, int(line), None, str(text), f"unreadable CSV line: {msg}") for line, text, msg in reader_rejects
    ]
    if extra:
        rejects = pd.concat([rejects, pd.DataFrame(extra)], ignore_index=True)
    unknown = [h for h in header if h and h.strip().upper() not in {v for vs in HEADER_VARIANTS.values() for v in vs}]
    note = f"columns not loaded: {', '.join(unknown)}" if unknown else ""
    con.execute("DROP VIEW IF EXISTS unfallatlas_raw")
    con.execute("DROP TABLE IF EXISTS _ua_file")
    return ReadResult(
        label, loaded if arrow else loaded.to_pandas(), rejects if len(rejects) else empty_rejects(), note=note
    )


def _to_file_lines(ordinals: pd.Series, bad_lines: list[int]) -> pd.Series:
    """Map the n-th accepted data row to its line in the file, skipping rejected lines."""
    import numpy as np

    lines = ordinals.to_numpy(dtype="int64") + 1
    if bad_lines:
        bad = np.asarray(bad_lines, dtype="int64")
        # each rejected line at or before the candidate pushes it one further down (bad is sorted)
        for b in bad:
            lines = np.where(lines >= b, lines + 1, lines)
    return pd.Series(lines, index=ordinals.index)


def _demangle(value: object) -> str | None:
    """Undo the upstream decimal-comma mistake: 11618349789000036.0 → 11.618349789000036."""
    if value is None:
        return None
    v = float(value)
    if abs(v) > _MANGLED_LIMIT:
        v = v / 1e15
    return repr(v)


def read_unfallatlas_geojson(
    path: str | Path, con: duckdb.DuckDBPyConnection | None = None, *, arrow: bool = False
) -> ReadResult:
    """Read the derived Magdeburg GeoJSON (null geometries, mangled decimal-comma numbers)."""
    from pipelines.warehouse import memory

    path = Path(path)
    try:
        doc = json.loads(decode_bytes(path.read_bytes(), path=str(path)).text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(str(path), f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise SourceFormatError(str(path), "not a GeoJSON FeatureCollection (no 'features' list)")
    records = []
    rejects = []
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            rejects.append(reject(path, i, "properties", json.dumps(feat)[:500], "feature without properties"))
            continue
        upper = {k.upper(): v for k, v in props.items() if v is not None}
        row: dict[str, object] = {}
        for canon, variants in HEADER_VARIANTS.items():
            value = next((upper[v] for v in variants if v in upper), None)
            if canon in ("linrefx", "linrefy", "lon", "lat"):
                value = _demangle(value)
            elif isinstance(value, float):
                value = str(int(value)) if value.is_integer() else repr(value)
            row[canon] = None if value is None else str(value)
        # the hackathon's own lon/lat must agree with the recovered XGCSWGS84/YGCSWGS84
        check_lon, check_lat = props.get("lon"), props.get("lat")
        if row["lon"] is not None and check_lon is not None and abs(float(row["lon"]) - float(check_lon)) > 1e-6:
            rejects.append(
                reject(path, i, "XGCSWGS84", json.dumps(props)[:500], "recovered XGCSWGS84 disagrees with lon")
            )
            continue
        if row["lat"] is not None and check_lat is not None and abs(float(row["lat"]) - float(check_lat)) > 1e-6:
            rejects.append(
                reject(path, i, "YGCSWGS84", json.dumps(props)[:500], "recovered YGCSWGS84 disagrees with lat")
            )
            continue
        row["raw_line"] = json.dumps(props, ensure_ascii=False)[:1000]
        row["source_line"] = i
        records.append(row)
    raw = pd.DataFrame(records, columns=[*HEADER_VARIANTS, "raw_line", "source_line"])
    for c in HEADER_VARIANTS:
        raw[c] = raw[c].astype("string")
    con = con or memory()
    con.register("unfallatlas_raw", raw)
    loaded, bad = _clean(con, SOURCE_GEOJSON, str(path))
    con.unregister("unfallatlas_raw")
    if not arrow:
        loaded = loaded.to_pandas()
    all_rejects = pd.concat([bad, pd.DataFrame(rejects)], ignore_index=True) if rejects else bad
    return ReadResult(
        str(path),
        loaded,
        all_rejects if len(all_rejects) else empty_rejects(),
        rows_read=len(features),
        note="coordinates recovered from mangled decimal commas (divided by 1e15) and checked against lon/lat",
    )
