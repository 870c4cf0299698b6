"""Read a register file (xlsx, ods or csv) into raw tables, keeping the row numbers the user sees.

Nothing here raises on bad input: every problem becomes a :class:`~pipelines.register.messages.Problem`.
Columns with personal data (contact person, phone, e-mail) are dropped as soon as the header is read,
so their contents never reach a frame, the quarantine or a message.

* **xlsx** is read with openpyxl (``data_only=False``), so that formulas are seen as formulas ("Formel
  statt Wert") and merged cells as merged; a date cell keeps the precision its number format shows.
* **ods** is read with pandas (``engine="odf"``); formulas and merged cells are found by a scan of the
  file's ``content.xml``.
* **csv** may be UTF-8 or Latin-1/Windows-1252, separated by ``;``, ``,`` or tabs.

Which table a sheet holds is found from its name (``Gremien``/``Maßnahmen``) or else from its header
row; a CSV file is recognised by its header alone (template columns, or the sourced register's layout).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from pipelines.register.convert_real import REAL_MARKERS, REAL_REQUIRED
from pipelines.register.dates import precision_of_number_format
from pipelines.register.messages import Problem
from pipelines.register.schema import SHEET_ALIASES, SHEET_NAMES, TABLES, is_personal

EXAMPLE_PREFIX = "BEISPIEL"
HEADER_SEARCH_ROWS = 5  # the header may sit below a title line or two
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawRow:
    row_no: int  # as Excel shows it: the header row is 1 when the header is the first line
    values: dict[str, object]  # header → cell value (personal columns removed)
    blocked: bool = False  # holds a formula or merged cells: quarantined whatever else it holds


@dataclass
class RawTable:
    table: str  # "bodies" or "measures"
    layout: str  # "template" or "real" (the sourced register's own columns)
    sheet: str  # sheet name, or the file name for a CSV
    source_file: str  # the path as given
    header: list[str]
    columns: dict[str, str] = field(default_factory=dict)  # field name → header (template layout)
    rows: list[RawRow] = field(default_factory=list)
    examples: int = 0  # worked-example rows (ID starting with BEISPIEL), skipped
    personal_columns: list[str] = field(default_factory=list)
    #: the dropped contact columns' values, kept in memory only so that the privacy scan knows what
    #: must never appear in an output (:func:`pipelines.privacy.register_contact_names`)
    personal_values: dict[str, list[object]] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return Path(self.source_file).name


def clean_header(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def field_for(header: str, table: str) -> str | None:
    """The field a template column header stands for (German header or field name, any case)."""
    h = clean_header(header).rstrip("*").strip().lower()
    for f in TABLES[table]:
        if h in (f.header.lower(), f.name):
            return f.name
    return None


def identify(header: list[str]) -> tuple[str | None, str | None]:
    """``(table, layout)`` that a header row belongs to, or ``(None, None)``."""
    names = {clean_header(h).lower() for h in header}
    for table, marker in REAL_MARKERS.items():
        if marker in names:
            return table, "real"
    for table, id_field in (("measures", "measure_id"), ("bodies", "body_id")):
        fields = {field_for(h, table) for h in header} - {None}
        if id_field in fields and len(fields) >= 2:
            return table, "template"
    return None, None


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.problems: list[Problem] = []

    def problem(self, code: str, sheet: str = "", row: int | None = None, column: str = "", value: object = "", **p):
        text = "" if value is None else str(value)
        self.problems.append(Problem(code, sheet or self.name, row, column, text, dict(p), self.name))

    # ------------------------------------------------------------------ dispatch
    def read(self) -> list[RawTable]:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.problem("file_unreadable", detail=exc.strerror or type(exc).__name__)
            return []
        if not data.strip():
            self.problem("file_empty")
            return []
        suffix = self.path.suffix.lower()
        if data.startswith(b"PK\x03\x04"):
            kind = self._zip_kind()
            if kind == "xlsx":
                return self._xlsx()
            if kind == "ods":
                return self._ods()
            self.problem("file_unreadable", detail=("kein Excel/ODS-Archiv", "not an Excel/ODS archive"))
            return []
        if data.startswith(OLE2_MAGIC):
            self.problem("old_excel")
            return []
        if suffix in (".xlsx", ".xlsm", ".ods"):
            self.problem(
                "file_unreadable",
                detail=(f"keine gültige {suffix}-Datei", f"not a valid {suffix} file"),
            )
            return []
        if b"\x00" in data[:65536]:
            self.problem("binary")
            return []
        return self._csv(data)

    def _zip_kind(self) -> str | None:
        try:
            with zipfile.ZipFile(self.path) as z:
                names = set(z.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and z.read("mimetype").strip() == ODS_MIME:
                    return "ods"
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
            return None
        return None

    # ------------------------------------------------------------------ sheets → tables
    def _tables_from_sheets(
        self, sheets: dict[str, list[list[object]]], blocked: dict[str, set[int]]
    ) -> list[RawTable]:
        by_name: dict[str, str] = {}
        for sheet in sheets:
            key = clean_header(sheet).lower()
            for table, aliases in SHEET_ALIASES.items():
                if key in aliases and table not in by_name:
                    by_name[table] = sheet
        tables = []
        for table, sheet in by_name.items():
            raw = self._table_from_rows(sheet, sheets[sheet], blocked.get(sheet, set()), table)
            if raw is not None:
                tables.append(raw)
        if len(by_name) < len(SHEET_NAMES):  # sheets with another name: recognised by their header
            for sheet, rows in sheets.items():
                if sheet in by_name.values():
                    continue
                raw = self._table_from_rows(sheet, rows, blocked.get(sheet, set()), None)
                if raw is None or raw.table in by_name:
                    continue
                by_name[raw.table] = sheet
                self.problem(
                    "sheet_name",
                    sheet,
                    detail=SHEET_NAMES[raw.table],
                )
                tables.append(raw)
        if not tables:
            self.problem("no_sheets", found=", ".join(f"'{s}'" for s in sheets) or "-")
        return tables

    def _table_from_rows(
        self, sheet: str, rows: list[list[object]], blocked: set[int], table: str | None
    ) -> RawTable | None:
        """The table in ``rows`` (row i is Excel row i + 1). ``table`` is known from the sheet name, else guessed."""
        start = None
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found, layout = identify([clean_header(c) for c in row])
            if found is not None and (table is None or found == table):
                start, table_found, layout_found = i, found, layout
                break
        if start is None:
            if table is None:
                return None
            if not any(any(c not in (None, "") for c in r) for r in rows):
                self.problem("sheet_empty", sheet)
                return RawTable(table, "template", sheet, str(self.path), [])
            start, table_found, layout_found = 0, table, "template"
        header = [clean_header(c) for c in rows[start]]
        return self._build(table_found, layout_found, sheet, header, rows[start + 1 :], start + 2, blocked)

    def _build(
        self,
        table: str,
        layout: str,
        sheet: str,
        header: list[str],
        rows: list[list[object]],
        first_row_no: int,
        blocked: set[int],
    ) -> RawTable:
        raw = RawTable(table, layout, sheet, str(self.path), header)
        header_row = first_row_no - 1
        keep: list[tuple[int, str]] = []
        seen: dict[str, str] = {}
        for i, h in enumerate(header):
            if not h:
                continue
            name = field_for(h, table) if layout == "template" else h.lower()
            if is_personal(h) and (layout != "template" or name is None):
                raw.personal_columns.append(h)
                raw.personal_values[h] = [r[i] for r in rows if i < len(r)]
                self.problem("personal_column", sheet, header_row, h)
                continue
            if name is None:
                allowed = ", ".join(f.header for f in TABLES[table])
                self.problem("unknown_column", sheet, header_row, h, detail=h, expected=allowed)
                keep.append((i, h))  # kept for the quarantine text, not loaded
                continue
            if name in seen:
                self.problem("duplicate_column", sheet, header_row, h, detail=f"{seen[name]} / {h}")
                continue
            seen[name] = h
            keep.append((i, h if layout == "template" else name))
        if layout == "template":
            raw.columns = dict(seen)
            required = [f for f in TABLES[table] if f.required]
            expected = ", ".join(f.header for f in required)
            for f in required:
                if f.name not in seen:
                    self.problem("missing_column", sheet, header_row, f.header, detail=f.header, expected=expected)
        else:
            missing = [c for c in REAL_REQUIRED[table] if c not in seen]
            for c in missing:
                self.problem("missing_column", sheet, header_row, c, detail=c, expected=", ".join(REAL_REQUIRED[table]))
        id_header = raw.columns.get("body_id" if table == "bodies" else "measure_id") or (
            "id" if layout == "real" else None
        )
        for offset, values in enumerate(rows):
            row_no = first_row_no + offset
            record = {h: (values[i] if i < len(values) else None) for i, h in keep}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                continue
            first = record.get(id_header) if id_header else None
            if isinstance(first, str) and first.strip().upper().startswith(EXAMPLE_PREFIX):
                raw.examples += 1
                continue
            raw.rows.append(RawRow(row_no, record, row_no in blocked))
        return raw

    # ------------------------------------------------------------------ xlsx
    def _xlsx(self) -> list[RawTable]:
        import openpyxl

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # data-validation extensions, unknown styles …
                wb = openpyxl.load_workbook(self.path, data_only=False)
        except Exception as exc:  # damaged archives raise zipfile, KeyError, XML and openpyxl errors
            self.problem("file_unreadable", detail=type(exc).__name__)
            return []
        sheets: dict[str, list[list[object]]] = {}
        blocked: dict[str, set[int]] = {}
        aliases = {a for v in SHEET_ALIASES.values() for a in v}
        for ws in wb.worksheets:
            if ws.sheet_state != "visible" and clean_header(ws.title).lower() not in aliases:
                continue
            rows: list[list[object]] = []
            bad: set[int] = set()
            headers = {c.column: clean_header(c.value) for c in next(ws.iter_rows(max_row=1), ())}
            for r in ws.iter_rows():
                values = []
                for cell in r:
                    values.append(self._xlsx_value(ws.title, cell, headers, bad))
                rows.append(values)
            for rng in ws.merged_cells.ranges:
                if rng.max_row < 2:
                    continue
                self.problem(
                    "merged_cells", ws.title, rng.min_row, headers.get(rng.min_col, ""), "", detail=str(rng.coord)
                )
                bad.update(range(rng.min_row, rng.max_row + 1))
            sheets[ws.title] = rows
            blocked[ws.title] = bad
        return self._tables_from_sheets(sheets, blocked)

    def _xlsx_value(self, sheet: str, cell, headers: dict[int, str], bad: set[int]) -> object:
        value = cell.value
        if cell.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
            text = getattr(value, "text", value)
            self.problem("formula", sheet, cell.row, headers.get(cell.column, ""), str(text), detail=str(text)[:40])
            bad.add(cell.row)
            return None
        if isinstance(value, dt.datetime | dt.date) and cell.row > 1:
            precision = precision_of_number_format(cell.number_format)
            if precision == "month":
                return f"{value.year:04d}-{value.month:02d}"
            if precision == "year":
                return f"{value.year:04d}"
            return value.date() if isinstance(value, dt.datetime) else value
        return value

    # ------------------------------------------------------------------ ods
    def _ods(self) -> list[RawTable]:
        import pandas as pd

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frames = pd.read_excel(self.path, engine="odf", sheet_name=None, header=None, dtype=object)
        except Exception as exc:  # odfpy and pandas raise many types on damaged files
            self.problem("file_unreadable", detail=type(exc).__name__)
            return []
        sheets = {
            str(name): [[None if _is_nan(v) else v for v in row] for row in frame.itertuples(index=False)]
            for name, frame in frames.items()
        }
        blocked = self._ods_formulas_and_merges(sheets)
        return self._tables_from_sheets(sheets, blocked)

    def _ods_formulas_and_merges(self, sheets: dict[str, list[list[object]]]) -> dict[str, set[int]]:
        """Formula cells and merged cells of an ODS file, from ``content.xml``."""
        ns = {
            "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
            "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        }
        t = "{" + ns["table"] + "}"
        blocked: dict[str, set[int]] = {}
        try:
            with zipfile.ZipFile(self.path) as z:
                root = ET.fromstring(z.read("content.xml"))  # noqa: S314 - a local file the user chose
        except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError):
            return blocked
        for table in root.iter(t + "table"):
            name = table.get(t + "name", "")
            rows = sheets.get(name, [])
            headers = [clean_header(c) for c in rows[0]] if rows else []
            bad: set[int] = set()
            row_no = 0
            for row in table.iter(t + "table-row"):
                repeat = int(row.get(t + "number-rows-repeated", "1"))
                row_no += 1
                col = 0
                for cell in row:
                    if cell.tag not in (t + "table-cell", t + "covered-table-cell"):
                        continue
                    col_repeat = int(cell.get(t + "number-columns-repeated", "1"))
                    col += 1
                    header = headers[col - 1] if 0 < col <= len(headers) else ""
                    formula = cell.get(t + "formula")
                    if formula:
                        self.problem("formula", name, row_no, header, formula, detail=formula[:40])
                        bad.add(row_no)
                    spanned = int(cell.get(t + "number-rows-spanned", "1"))
                    spanned_cols = int(cell.get(t + "number-columns-spanned", "1"))
                    if (spanned > 1 or spanned_cols > 1) and row_no + spanned - 1 >= 2:
                        self.problem("merged_cells", name, row_no, header, "", detail=f"{spanned}×{spanned_cols}")
                        bad.update(range(row_no, row_no + spanned))
                    col += col_repeat - 1
                row_no += repeat - 1
            blocked[name] = bad
        return blocked

    # ------------------------------------------------------------------ csv
    def _csv(self, data: bytes) -> list[RawTable]:
        from pipelines.errors import SourceFormatError
        from pipelines.parsing import decode_bytes

        try:
            text = decode_bytes(data, path=str(self.path)).text
        except (SourceFormatError, UnicodeDecodeError):
            self.problem("binary")
            return []
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            self.problem("file_empty")
            return []
        counts = {d: lines[0].count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            self.problem("file_unreadable", detail=str(exc))
            return []
        table, layout, start = None, None, 0
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            table, layout = identify(row)
            if table is not None:
                start = i
                break
        if table is None or layout is None:
            found = ", ".join(h for h in (clean_header(c) for c in rows[0]) if h)[:120] if rows else ""
            expected = "; ".join(
                f"{SHEET_NAMES[t]}: " + ", ".join(f.header for f in TABLES[t] if f.required) for t in TABLES
            )
            self.problem("unknown_table", row=1, found=_printable(found) or "-", expected=expected)
            return []
        header = [clean_header(c) for c in rows[start]]
        return [self._build(table, layout, self.name, header, rows[start + 1 :], start + 2, set())]


def _is_nan(v: object) -> bool:
    return isinstance(v, float) and v != v


def _printable(text: str) -> str:
    return re.sub(r"[^\w\s.,;:()/*+#&'\"ÄÖÜäöüß-]", "?", text)


def read_register_file(path: str | Path) -> tuple[list[RawTable], list[Problem]]:
    """All register tables in one file, and the problems met while reading it (never raises on content)."""
    reader = _Reader(Path(path))
    try:
        tables = reader.read()
    except Exception as exc:  # a last guard: a damaged file must give a problem, never a traceback
        reader.problem("file_unreadable", detail=type(exc).__name__)
        tables = []
    return tables, reader.problems
