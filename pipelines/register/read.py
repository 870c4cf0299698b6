"""Read a register file (xlsx, ods or csv) into raw tables with the row numbers the user sees.

Nothing here raises on bad input: every problem becomes a :class:`~pipelines.register.messages.Problem`.
Columns with personal data are dropped as soon as the header is read.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.register.messages import Problem
from pipelines.register.schema import SHEET_ALIASES, TABLES, is_personal

REAL_BODY_MARKER = "gremium_type"
REAL_MEASURE_MARKER = "measure_as_in_source"
EXAMPLE_PREFIX = "BEISPIEL"


@dataclass
class RawTable:
    table: str  # "bodies" or "measures"
    sheet: str  # sheet name, or the file name for a CSV
    source_file: str
    layout: str  # "template" or "real"
    header: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    examples: int = 0  # worked-example rows skipped
    personal_columns: list[str] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)  # rows with merged cells or formulas


def field_for(header: str, table: str) -> str | None:
    h = header.strip().rstrip("*").strip().lower()
    for f in TABLES[table]:
        if h in (f.header.lower(), f.name):
            return f.name
    return None


def _identify(header: list[str]) -> tuple[str | None, str | None]:
    names = {h.strip().lower() for h in header}
    if REAL_BODY_MARKER in names:
        return "bodies", "real"
    if REAL_MEASURE_MARKER in names:
        return "measures", "real"
    scores = {t: sum(field_for(h, t) is not None for h in header) for t in TABLES}
    for t, required in (("measures", "measure_id"), ("bodies", "body_id")):
        if any(field_for(h, t) == required for h in header) and scores[t] >= 2:
            return t, "template"
    return None, None


def _table(
    table: str,
    layout: str,
    sheet: str,
    path: Path,
    header: list[str],
    rows: list[tuple[int, list[object]]],
    problems: list[Problem],
) -> RawTable:
    clean = [str(h or "").strip() for h in header]
    raw = RawTable(table, sheet, str(path), layout, clean)
    keep = []
    for i, h in enumerate(clean):
        if not h:
            continue
        if is_personal(h) and layout == "template" and field_for(h, table) is None:
            raw.personal_columns.append(h)
            problems.append(Problem("personal_column", sheet, 1, h))
            continue
        keep.append((i, h))
    id_col = "body_id" if table == "bodies" else "measure_id"
    for row_no, values in rows:
        record = {h: (values[i] if i < len(values) else None) for i, h in keep}
        if all(v in (None, "") for v in record.values()):
            continue
        first = next((record[h] for _, h in keep if field_for(h, table) == id_col or h == "id"), None)
        if isinstance(first, str) and first.strip().upper().startswith(EXAMPLE_PREFIX):
            raw.examples += 1
            continue
        raw.rows.append((row_no, record))
    return raw


def read_register_file(path: str | Path) -> tuple[list[RawTable], list[Problem]]:
    """All register tables in one file, and the problems met while reading it."""
    path = Path(path)
    problems: list[Problem] = []
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem("file_unreadable", name, params={"detail": exc.strerror or str(exc)})]
    if not data.strip():
        return [], [Problem("file_empty", name)]
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, problems)
    if suffix == ".ods":
        return _read_ods(path, problems)
    if zipfile.is_zipfile(path) or b"\x00" in data[:4096]:
        return [], [Problem("binary", name)]
    return _read_csv(path, data, problems)


def _tables_from_sheets(
    path: Path,
    sheets: dict[str, list[list[object]]],
    problems: list[Problem],
    bad_rows: dict[str, set[int]] | None = None,
) -> list[RawTable]:
    found: dict[str, str] = {}
    for sheet in sheets:
        key = sheet.strip().lower()
        for table, aliases in SHEET_ALIASES.items():
            if key in aliases and table not in found:
                found[table] = sheet
    if not found:
        problems.append(Problem("no_sheets", path.name, params={"found": ", ".join(sheets) or "-"}))
        return []
    tables = []
    for table, sheet in found.items():
        rows = sheets[sheet]
        if not rows:
            continue
        header = [str(c) if c is not None else "" for c in rows[0]]
        raw = _table(table, "template", sheet, path, header, list(enumerate(rows[1:], start=2)), problems)
        raw.bad_rows = (bad_rows or {}).get(sheet, set())
        tables.append(raw)
    return tables


def _read_xlsx(path: Path, problems: list[Problem]) -> tuple[list[RawTable], list[Problem]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data-validation extensions it cannot read
            wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException … on damaged files
        return [], [Problem("file_unreadable", path.name, params={"detail": type(exc).__name__})]
    sheets: dict[str, list[list[object]]] = {}
    bad: dict[str, set[int]] = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" and ws.title.lower() not in {a for v in SHEET_ALIASES.values() for a in v}:
            continue
        rows = []
        bad[ws.title] = set()
        for r in ws.iter_rows():
            values = []
            for cell in r:
                if cell.data_type == "f":
                    problems.append(
                        Problem(
                            "formula",
                            ws.title,
                            cell.row,
                            str(ws.cell(1, cell.column).value or ""),
                            str(cell.value),
                            {"detail": str(cell.value)[:40]},
                        )
                    )
                    bad[ws.title].add(cell.row)
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append(values)
        for rng in ws.merged_cells.ranges:
            if rng.max_row >= 2:
                problems.append(
                    Problem(
                        "merged_cells",
                        ws.title,
                        rng.min_row,
                        str(ws.cell(1, rng.min_col).value or ""),
                        "",
                        {"detail": str(rng.coord)},
                    )
                )
                bad[ws.title].update(range(max(rng.min_row, 2), rng.max_row + 1))
        sheets[ws.title] = rows
    return _tables_from_sheets(path, sheets, problems, bad), problems


def _read_ods(path: Path, problems: list[Problem]) -> tuple[list[RawTable], list[Problem]]:
    import pandas as pd

    try:
        frames = pd.read_excel(path, engine="odf", sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # odfpy raises many types on damaged files
        return [], [Problem("file_unreadable", path.name, params={"detail": type(exc).__name__})]
    sheets = {
        name: [[None if (isinstance(v, float) and v != v) else v for v in row] for row in frame.itertuples(index=False)]
        for name, frame in frames.items()
    }
    return _tables_from_sheets(path, sheets, problems), problems


def _read_csv(path: Path, data: bytes, problems: list[Problem]) -> tuple[list[RawTable], list[Problem]]:
    from pipelines.parsing import decode_bytes

    text = decode_bytes(data, path=str(path)).text
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        return [], [Problem("file_unreadable", path.name, params={"detail": str(exc)})]
    if not rows:
        return [], [Problem("file_empty", path.name)]
    header = rows[0]
    table, layout = _identify(header)
    if table is None:
        return [], [
            Problem("unknown_table", path.name, 1, params={"found": ", ".join(h for h in header if h)[:120] or "-"})
        ]
    return [_table(table, layout, path.name, path, header, list(enumerate(rows[1:], start=2)), problems)], problems
