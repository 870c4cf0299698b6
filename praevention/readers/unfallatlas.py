"""Unfallatlas accident records (Unfälle mit Personenschaden), every published yearly layout.

Publisher: Statistische Ämter des Bundes und der Länder, Unfallatlas (dl-de/by-2-0).

* **CSV/TXT** ``Unfallorte<Jahr>_LinRef.(txt|csv)``, 2016–2024, ``;``-separated, decimal commas with 15
  decimals, codes with leading zeros, loose or inside the official zips. Header variants
  (PROVENANCE-geo-accidents.md §1.2): ``OBJECTID``/``OBJECTID_1``/``OID_``/``FID``, ``UIDENTSTLA(E)``,
  ``ULICHTVERH``/``LICHT``, ``STRZUSTAND``/``USTRZUSTAND``/``IstStrassenzustand``/``IstStrasse``,
  ``IstSonstig(e)``, optional ``IstGkfz`` and ``PLST``. Read with DuckDB's CSV reader with explicit
  types (``TYPED``) and the file's decimal separator; a Germany-wide year has ~270,000 rows
  (``benchmarks/`` measures the load).
* **Derived GeoJSON** (the Magdeburg extract of the Smart City hackathon): ``geometry`` is null, the
  decimal-comma numbers were read as thousands separators upstream (``XGCSWGS84`` = 11618349789000036.0
  means 11.618349789000036); values above 1e6 (coordinates) are divided by 1e15 and checked against the
  ``lon``/``lat`` columns the hackathon added.

Both are parsed into temp tables of the loading connection (:func:`parse_csv`, :func:`parse_geojson`;
the GeoJSON's text values typed by ``sql/unfallatlas_type.sql``) and checked together in one pass of
``sql/unfallatlas_clean.sql`` (:func:`check_points`), so their rows are checked identically. Rows with
impossible codes or coordinates are rejected with their reason; the accepted rows go from the temp
tables into the warehouse table without leaving DuckDB.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from praevention.errors import SourceFormatError
from praevention.parsing import decode_bytes
from praevention.readers.archive import extract_member
from praevention.readers.base import REJECT_COLUMNS, empty_rejects, reject

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
# canonical raw column -> typed column and its DuckDB type (the CSV reader reads each column so typed)
TYPED: dict[str, tuple[str, str]] = {
    "object_id": ("object_id", "BIGINT"),
    "accident_uid": ("accident_uid", "VARCHAR"),
    "uland": ("land", "INTEGER"),
    "uregbez": ("regbez", "INTEGER"),
    "ukreis": ("kreis", "INTEGER"),
    "ugemeinde": ("gemeinde", "INTEGER"),
    "ujahr": ("year", "INTEGER"),
    "umonat": ("month", "INTEGER"),
    "ustunde": ("hour", "INTEGER"),
    "uwochentag": ("weekday", "INTEGER"),
    "ukategorie": ("category", "INTEGER"),
    "uart": ("kind", "INTEGER"),
    "utyp1": ("type", "INTEGER"),
    "ulichtverh": ("light", "INTEGER"),
    "road_condition": ("road_condition", "INTEGER"),
    "is_bicycle": ("is_bicycle", "INTEGER"),
    "is_car": ("is_car", "INTEGER"),
    "is_pedestrian": ("is_pedestrian", "INTEGER"),
    "is_motorcycle": ("is_motorcycle", "INTEGER"),
    "is_goods_vehicle": ("is_goods_vehicle", "INTEGER"),
    "is_other": ("is_other", "INTEGER"),
    "linrefx": ("x_25832", "DOUBLE"),
    "linrefy": ("y_25832", "DOUBLE"),
    "lon": ("lon", "DOUBLE"),
    "lat": ("lat", "DOUBLE"),
    "plst": ("plausibility", "INTEGER"),
}
#: a code written as text, as a whole number only: "2020", "2020.0", "2020,0" → 2020; "2020.5", "x" → NULL (a
#: plain cast would round 2020.5 to 2021)
WHOLE_NUMBER_MACRO = (
    "CREATE OR REPLACE TEMP MACRO whole_number(x) AS CASE WHEN regexp_full_match(trim(replace(CAST(x AS VARCHAR), "
    "',', '.')), '[+-]?[0-9]+([.]0*)?') THEN CAST(regexp_replace(trim(replace(CAST(x AS VARCHAR), ',', '.')), "
    "'[.]0*$', '') AS BIGINT) END"
)
INTEGER_KINDS = ("INTEGER", "BIGINT")
REQUIRED = ("uland", "uregbez", "ukreis", "ugemeinde", "ujahr", "umonat", "ukategorie")
# stored columns of accident_points; source and source_file are virtual, computed from source_file_no
STORED_COLUMNS = [
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
    "source_file_no",
    "source_line",
]
SOURCE_CSV = "Unfallatlas (Statistische Ämter des Bundes und der Länder)"
SOURCE_GEOJSON = "Unfallatlas, Auszug Magdeburg (Smart City Hackathon 2026, abgeleitet)"
_MEMBER = re.compile(r"unfallorte.*\.(csv|txt)$", re.IGNORECASE)
_MANGLED_LIMIT = 1e10


@dataclass
class ParsedFile:
    """One Unfallatlas file parsed into a temp table of the loading connection.

    ``typed`` selects its rows with the canonical typed columns (``TYPED``, as ``unfallatlas_type.sql``
    names them) plus ``raw_line`` and ``source_line`` (its line in the file, header = 1), in line order
    unless ``ordered`` is false. ``rejects`` holds the rows quarantined before the checks; ``tables`` names
    the temp tables ``typed`` reads (dropped once :func:`check_points` has checked their rows).
    """

    label: str
    source: str
    typed: str
    rows_read: int
    rejects: pd.DataFrame
    note: str = ""
    ordered: bool = True
    text: Path | None = None  # the CSV itself, to read back the text of rows the checks reject
    encoding: str = "latin-1"
    tables: tuple[str, ...] = ()


@dataclass
class CheckedPoints:
    """The checked rows of all files: ``select`` (SQL on the loading connection) returns the accepted
    ones with ``source_file_no``; ``virtual`` derives ``source`` and ``source_file`` from that number."""

    select: str
    rejects: pd.DataFrame
    log: pd.DataFrame
    virtual: dict[str, str]


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


def extract_csv(path: Path, workdir: Path) -> tuple[Path, str]:
    """The Unfallorte table itself: the file, or the matching member of an official zip, unpacked as a
    stream within the limits of :mod:`praevention.readers.archive` under a short name of its own (a member
    name longer than the file system allows is no problem)."""
    if not zipfile.is_zipfile(path):
        return path, str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            members = [m for m in names if _MEMBER.search(m.rsplit("/", 1)[-1])]
            if not members and any(m.lower().endswith(".zip") for m in names):
                raise SourceFormatError(
                    str(path),
                    "zip holds another zip archive ("
                    + ", ".join(m for m in names if m.lower().endswith(".zip"))[:200]
                    + "): unpack the inner archive into the raw-data folder",
                )
            if len(members) != 1:
                raise SourceFormatError(
                    str(path),
                    f"zip holds {len(members)} Unfallorte*.csv/.txt members, expected 1; members: "
                    + ", ".join(names[:10])[:300],
                )
            target = workdir / ("unfallorte" + Path(members[0]).suffix.lower())
            extract_member(path, zf, zf.getinfo(members[0]), target)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise SourceFormatError(str(path), f"damaged zip archive: {exc}") from exc
    return target, f"{path}!{members[0]}"


def _decimal_separator(lines: list[str], header: list[str], mapping: dict[str, str], delim: str) -> str:
    """',' when the first data row writes a coordinate with a decimal comma (every official year)."""
    if delim == "," or len(lines) < 2:
        return "."
    cells = lines[1].split(delim)
    position = {h: i for i, h in enumerate(header)}
    for canon in ("linrefx", "lon"):
        i = position.get(mapping.get(canon, ""), len(cells))
        if i < len(cells) and "," in cells[i]:
            return ","
    return "."


def _lines_of(path: Path, encoding: str, wanted: set[int]) -> dict[int, str]:
    """The text of the given line numbers (1 = header): the raw text of quarantined rows."""
    found: dict[int, str] = {}
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            if number in wanted:
                found[number] = line.rstrip("\r\n")
                if len(found) == len(wanted):
                    break
    return found


def _reader_rejects(con: duckdb.DuckDBPyConnection, header: list[str]) -> list[dict]:
    """Lines DuckDB's CSV reader could not read, one per line: a wrong number of fields first, else the
    first value that is not of its column's type (``"c3"`` named by the file's header)."""
    errors = con.execute(
        "SELECT line, column_idx, error_type, trim(csv_line, chr(10) || chr(13)), error_message "
        "FROM reject_errors ORDER BY line, error_type NOT IN ('MISSING COLUMNS', 'TOO MANY COLUMNS'), column_idx"
    ).fetchall()
    named = re.compile(r'"c(\d+)"')
    found: dict[int, dict] = {}
    for line, column, kind, text, message in errors:
        if line in found:
            continue
        structural = kind in ("MISSING COLUMNS", "TOO MANY COLUMNS")
        name = None if structural or not column or column > len(header) else header[column - 1]  # 1-based
        message = named.sub(
            lambda m: f'"{header[int(m.group(1))]}"' if int(m.group(1)) < len(header) else m[0], message
        )
        found[line] = {
            "line": int(line),
            "field_name": name,
            "raw": str(text),
            "reason": f"unreadable CSV line: {message}",
        }
    return list(found.values())


def parse_csv(table: Path, label: str, con: duckdb.DuckDBPyConnection, name: str) -> ParsedFile:
    """Parse one yearly Unfallatlas table (a loose file, or the member :func:`extract_csv` unpacked)
    into the temp table ``name`` of ``con``.

    DuckDB's CSV reader types every column as it reads (``TYPED``: codes as integers, coordinates as
    doubles with the file's decimal separator). A line it cannot read – a wrong number of fields, text
    in a number column – is quarantined with its line number and text (``store_rejects``); the range
    checks of ``unfallatlas_clean.sql`` (:func:`check_points`) then quarantine impossible codes and
    coordinates. The rows stay in DuckDB: a national year has 270,000 of them.
    """
    with table.open("rb") as fh:
        head = fh.read(1 << 20)
    if not head.strip():
        raise SourceFormatError(label, "empty file")
    decoded = decode_bytes(head, path=label)
    lines = decoded.text.splitlines()[:2]
    delim = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    header = [h.strip().strip('"') for h in lines[0].split(delim)]
    mapping = map_header(header, label)
    encoding = "utf-8" if decoded.encoding.startswith("utf-8") else "latin-1"
    used = {src: canon for canon, src in mapping.items()}
    # codes are read as numbers and kept only when whole: DuckDB would round "2020.5" into an INTEGER column
    columns = {
        f"c{i}": ("DOUBLE" if TYPED[used[h]][1] in INTEGER_KINDS else TYPED[used[h]][1]) if h in used else "VARCHAR"
        for i, h in enumerate(header)
    }
    # the typed values are computed while the file is read (one pass, on every core): the temp table holds
    # the canonical typed columns of the file; the row's file line is added when it is read back
    position = {h: f"c{i}" for i, h in enumerate(header)}
    stored, select = [], []
    for canon, (column, kind) in TYPED.items():
        col = position.get(mapping.get(canon, ""))
        if not col:
            select.append(f"NULL::{kind} AS {column}")
            continue
        if kind == "VARCHAR":
            stored.append(f"NULLIF(trim({col}), '') AS {column}")
        elif kind in INTEGER_KINDS:
            stored.append(f"CASE WHEN {col} = floor({col}) THEN CAST({col} AS {kind}) END AS {column}")
        else:
            stored.append(f"{col} AS {column}")
        select.append(f"f.{column}")
    con.execute("DROP TABLE IF EXISTS reject_errors")
    con.execute("DROP TABLE IF EXISTS reject_scans")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(stored)} FROM read_csv(?, delim = ?, "
        "header = false, skip = 1, columns = ?, auto_detect = false, encoding = ?, decimal_separator = ?, "
        "quote = '\"', escape = '\"', store_rejects = true, null_padding = false, strict_mode = false)",
        [str(table), delim, columns, encoding, _decimal_separator(lines, header, mapping, delim)],
    )
    reader_rejects = _reader_rejects(con, header)
    con.execute("DROP TABLE reject_errors")
    con.execute("DROP TABLE reject_scans")
    tables = [name]
    # file line of the n-th accepted data row (header = line 1): n + 1, plus every rejected line before it
    line, join = "f.rowid + 2", ""
    if reader_rejects:
        shift = pd.DataFrame({"key": [r["line"] - 1 - j for j, r in enumerate(reader_rejects)]})
        shift["n"] = range(1, len(shift) + 1)
        con.register("_ua_shift", shift.groupby("key", as_index=False)["n"].max())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_shift AS SELECT * FROM _ua_shift")
        con.unregister("_ua_shift")
        tables.append(f"{name}_shift")
        line, join = "f.rowid + 2 + coalesce(b.n, 0)", f" ASOF LEFT JOIN {name}_shift b ON f.rowid + 1 >= b.key"
    typed = (
        "SELECT "
        + ", ".join(select)
        + f", NULL::VARCHAR AS raw_line, CAST({line} AS BIGINT) AS source_line FROM {name} f{join}"
    )
    known = {v for vs in HEADER_VARIANTS.values() for v in vs}
    unknown = [h for h in header if h and h.strip().upper() not in known]
    rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    return ParsedFile(
        label,
        SOURCE_CSV,
        typed,
        rows + len(reader_rejects),
        pd.DataFrame([reject(label, **r) for r in reader_rejects], columns=REJECT_COLUMNS),
        note=f"columns not loaded: {', '.join(unknown)}" if unknown else "",
        ordered=not reader_rejects,
        text=table,
        encoding=encoding,
        tables=tuple(tables),
    )


def _demangle(value: object) -> str | None:
    """Undo the upstream decimal-comma mistake: 11618349789000036.0 → 11.618349789000036."""
    if value is None:
        return None
    v = float(value)
    if abs(v) > _MANGLED_LIMIT:
        v = v / 1e15
    return repr(v)


def parse_geojson(path: Path, con: duckdb.DuckDBPyConnection, name: str, *, label: str | None = None) -> ParsedFile:
    """Parse the derived Magdeburg GeoJSON (null geometries, mangled decimal-comma numbers) into the temp
    table ``name`` of ``con``, typed by ``unfallatlas_type.sql``; ``label`` names the file (default: its path)."""
    label = label or str(path)
    try:
        doc = json.loads(decode_bytes(path.read_bytes(), path=label).text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(label, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise SourceFormatError(label, "not a GeoJSON FeatureCollection (no 'features' list)")
    records = []
    rejects = []
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            rejects.append(reject(label, i, "properties", json.dumps(feat)[:500], "feature without properties"))
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
                reject(label, i, "XGCSWGS84", json.dumps(props)[:500], "recovered XGCSWGS84 disagrees with lon")
            )
            continue
        if row["lat"] is not None and check_lat is not None and abs(float(row["lat"]) - float(check_lat)) > 1e-6:
            rejects.append(
                reject(label, i, "YGCSWGS84", json.dumps(props)[:500], "recovered YGCSWGS84 disagrees with lat")
            )
            continue
        row["raw_line"] = json.dumps(props, ensure_ascii=False)[:1000]
        row["source_line"] = i
        records.append(row)
    raw = pd.DataFrame(records, columns=[*HEADER_VARIANTS, "raw_line", "source_line"])
    for c in HEADER_VARIANTS:
        raw[c] = raw[c].astype("string")
    con.register("unfallatlas_raw", raw)
    try:
        con.execute(WHOLE_NUMBER_MACRO)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {(SQL_DIR / 'unfallatlas_type.sql').read_text()}")
    finally:
        con.unregister("unfallatlas_raw")
    return ParsedFile(
        label,
        SOURCE_GEOJSON,
        f"SELECT * FROM {name}",
        len(features),
        pd.DataFrame(rejects, columns=REJECT_COLUMNS),
        note="coordinates recovered from mangled decimal commas (divided by 1e15) and checked against lon/lat",
        tables=(name,),
    )


def _typed_union(files: list[ParsedFile]) -> str:
    """Every file's typed rows, numbered by ``source_file_no`` (its position in ``files``), files in
    order and each in its own row order (DuckDB keeps the order of ``UNION ALL`` branches)."""
    names = ", ".join([*(column for column, _ in TYPED.values()), "raw_line", "source_line"])
    if not files:
        nulls = ", ".join(f"NULL::{kind} AS {column}" for column, kind in TYPED.values())
        return f"SELECT {nulls}, NULL::VARCHAR AS raw_line, NULL::BIGINT AS source_line, NULL::SMALLINT AS source_file_no WHERE false"
    return " UNION ALL ".join(
        f"SELECT {names}, CAST({number} AS SMALLINT) AS source_file_no FROM ({f.typed})"
        for number, f in enumerate(files)
    )


def _literal_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def check_points(con: duckdb.DuckDBPyConnection, files: list[ParsedFile]) -> CheckedPoints:
    """Check the rows of every parsed file in one pass of ``unfallatlas_clean.sql`` (temp view
    ``unfallatlas_typed`` over all of them) and describe the accepted rows as SQL.

    The pass is materialised once, into the temp table ``_ua_checked`` (rows with their reason), and the
    parsed files' temp tables are dropped: the quarantine, the duplicate test, the preview and the
    warehouse write all read that table instead of evaluating the checks again (each evaluation costs
    about as much as the typed parse itself at 2.4 million records, ``benchmarks/``).

    Rejected rows come back with file, line, field, raw text and reason; a row of a derived file
    (the GeoJSON) whose accident is also in an official file is quarantined as that duplicate. The
    accepted rows stay in DuckDB: :attr:`CheckedPoints.select` reads them from ``_ua_checked``, in file
    order and line order, for the warehouse write on the same connection.
    """
    con.execute(f"CREATE OR REPLACE TEMP VIEW unfallatlas_typed AS {_typed_union(files)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ua_checked AS {(SQL_DIR / 'unfallatlas_clean.sql').read_text()}")
    con.execute("DROP VIEW unfallatlas_typed")
    for name in (t for f in files for t in f.tables):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    found = con.execute(
        "SELECT source_file_no, source_line AS line, regexp_extract(reason, '^([A-Za-z_/()0-9.]+)') AS field, "
        "raw_line AS raw, reason FROM _ua_checked WHERE reason IS NOT NULL ORDER BY source_file_no, source_line"
    ).df()
    parts = []
    for number, f in enumerate(files):
        mine = found[found["source_file_no"] == number].drop(columns="source_file_no")
        if len(mine) and f.text is not None:  # a CSV row's text is read back only for the rows rejected
            text = _lines_of(f.text, f.encoding, set(mine["line"]))
            mine = mine.assign(raw=mine["line"].map(text))
        parts.append(mine.assign(source_file=f.label)[REJECT_COLUMNS])
    official = ", ".join(str(n) for n, f in enumerate(files) if f.source == SOURCE_CSV)
    derived = ", ".join(str(n) for n, f in enumerate(files) if f.source != SOURCE_CSV)
    accepted = "FROM _ua_checked WHERE reason IS NULL"
    if derived and official:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _ua_duplicates AS SELECT source_file_no, source_line, accident_uid "
            f"{accepted} AND source_file_no IN ({derived}) AND accident_uid IN "
            f"(SELECT accident_uid {accepted} AND source_file_no IN ({official}))"
        )
        moved = con.execute("SELECT * FROM _ua_duplicates ORDER BY source_file_no, source_line").df()
        parts.append(
            pd.DataFrame(
                {
                    "source_file": [files[n].label for n in moved["source_file_no"]],
                    "line": moved["source_line"],
                    "field": "UIDENTSTLAE",
                    "raw": moved["accident_uid"],
                    "reason": "same accident is in an official Unfallatlas file, which is used",
                }
            )
        )
        accepted += (
            f" AND NOT (accident_uid IN (SELECT accident_uid FROM _ua_duplicates) AND source_file_no IN ({derived}))"
        )
    frames = [r for r in [*(f.rejects for f in files), *parts] if len(r)]
    rejects = pd.concat(frames, ignore_index=True) if frames else empty_rejects()
    counted = rejects.groupby("source_file").size()
    log = pd.DataFrame(
        {
            "source_file": [f.label for f in files],
            "rows_read": [f.rows_read for f in files],
            "rows_quarantined": [int(counted.get(f.label, 0)) for f in files],
            "note": [f.note for f in files],
        },
        columns=["source_file", "rows_read", "rows_quarantined", "note"],
    )
    log.insert(2, "rows_loaded", log["rows_read"] - log["rows_quarantined"])
    in_order = all(f.ordered for f in files) and not derived
    select = f"SELECT {', '.join(STORED_COLUMNS)} {accepted}" + (
        "" if in_order else " ORDER BY source_file_no, source_line"
    )
    labels = [f.label for f in files]
    virtual = {
        "source": f"{_literal_list([f.source for f in files])}[source_file_no + 1]" if files else "NULL::VARCHAR",
        "source_file": f"{_literal_list(labels)}[source_file_no + 1]" if files else "NULL::VARCHAR",
    }
    return CheckedPoints(select, rejects if len(rejects) else empty_rejects(), log, virtual)


def discard(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what a load left on ``con``: the typed view, the ``_ua_`` temp tables, the reader's rejects."""
    con.execute("DROP VIEW IF EXISTS unfallatlas_typed")
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'temp' "
        "AND (starts_with(table_name, '_ua_') OR table_name IN ('reject_errors', 'reject_scans'))"
    ).fetchall()
    for (name,) in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")
