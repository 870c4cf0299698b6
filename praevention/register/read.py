"""Read a register file (xlsx, ods or csv) into raw tables, keeping the row numbers the user sees.

Nothing here raises on bad input: every problem becomes a :class:`~praevention.register.messages.Problem`.
Columns with personal data (contact person, phone, e-mail, Vorsitz …) are dropped as soon as the header
is read, so their contents never reach a frame, the quarantine or a message.

Each format is turned into the same :class:`Sheet` (cell grid, merged ranges, hidden rows and columns),
and everything after that is shared, so that the same content gives the same rows and the same
messages from every format:

* **xlsx** is read with openpyxl (``data_only=False``): a formula is read as its text, a date cell keeps
  the precision its number format shows.
* **ods** is read from its ``content.xml``: line breaks inside a cell (paragraphs, ``text:line-break``)
  are kept as ``\\n``, formulas are turned into Excel's notation (``of:=[.A1]+1`` → ``=A1+1``), a date
  cell keeps the precision of its date style.
* **csv** may be UTF-8, Latin-1/Windows-1252 or UTF-16 (Excel's "Unicode-Text"), separated by ``;``, ``,`` or
  tabs; a cell that starts with ``=`` is a formula, as it would be in a spreadsheet.

A cell holding a formula, and every row that a merged cell spans, is reported and the row quarantined;
hidden rows and columns are loaded with a hint. Which table a sheet holds is found from its name
(``Gremien``/``Maßnahmen``) or else from its header row; a CSV file is recognised by its header alone
(template columns, or the sourced register's layout).
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

from praevention.discovery import display_path
from praevention.privacy import is_personal
from praevention.register.dates import precision_of_number_format
from praevention.register.messages import Problem
from praevention.register.schema import SHEET_ALIASES, SHEET_NAMES, TABLES
from praevention.register.sourced_register import REAL_MARKERS, REAL_REQUIRED

EXAMPLE_PREFIX = "BEISPIEL"
HEADER_SEARCH_ROWS = 5  # the header may sit below a title line or two
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 100_000  # a sheet's rows beyond this (formatted but empty in ODS) are not expanded
_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
}
T, OF, TX, ST, NUM = ("{" + _NS[k] + "}" for k in ("table", "office", "text", "style", "number"))


@dataclass
class Sheet:
    """One sheet as every format is read into: row i of ``rows`` is spreadsheet row i + 1."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)  # 1-based
    hidden: bool = False


@dataclass
class RawRow:
    row_no: int  # as Excel shows it: the header row is 1 when the header is the first line
    values: dict[str, object]  # header → cell value (personal columns removed)
    hidden: bool = False
    #: the formulas and merged cells found in it (errors: the row is quarantined whatever else it holds)
    problems: list[Problem] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)  # headers of the cells that a merged cell covers


@dataclass
class RawTable:
    table: str  # "bodies" or "measures"
    layout: str  # "template" or "real" (the sourced register's own columns)
    sheet: str  # sheet name, or the file name for a CSV
    source_file: str  # the path as given, relative to the raw-data folder in the ingest (display_path)
    header: list[str]
    header_row: int = 1  # spreadsheet row of the header
    columns: dict[str, str] = field(default_factory=dict)  # field name → header (template layout)
    rows: list[RawRow] = field(default_factory=list)
    examples: int = 0  # worked-example rows (ID starting with BEISPIEL), skipped
    personal_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)  # reported, neither loaded nor kept
    #: the dropped contact columns' values, kept in memory only so that the privacy scan knows what
    #: must never appear in an output (:func:`praevention.publish.privacy_scan.register_contact_names`)
    personal_values: dict[str, list[object]] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return Path(self.source_file).name

    def column_of(self, header: str) -> int | None:
        """1-based column of ``header`` in the sheet (the first column with that header)."""
        return self.header.index(header) + 1 if header in self.header else None


@dataclass
class RegisterFile:
    """Everything read from one file: its tables, the problems met, and its sheets as read."""

    path: Path
    kind: str  # "xlsx", "ods", "csv" or "" (unreadable)
    tables: list[RawTable]
    problems: list[Problem]
    sheets: list[Sheet]


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


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_formula(value: object) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=") and len(value.strip()) > 1


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.problems: list[Problem] = []
        self.kind = ""
        self.sheets: list[Sheet] = []

    def _problem(self, code: str, sheet: str = "", row: int | None = None, column: str = "", value: object = "", **p):
        text = "" if value is None else str(value)
        return Problem(code, sheet or self.name, row, column, text, dict(p), self.name)

    def problem(self, code: str, sheet: str = "", row: int | None = None, column: str = "", value: object = "", **p):
        self.problems.append(self._problem(code, sheet, row, column, value, **p))

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
            if kind is None:
                self.problem("file_unreadable", detail=("kein Excel/ODS-Archiv", "not an Excel/ODS archive"))
                return []
            self.kind = kind
            sheets = self._xlsx() if kind == "xlsx" else self._ods()
            if sheets is None:
                return []
            self.sheets = sheets
            return self._tables_from_sheets(sheets)
        if data.startswith(OLE2_MAGIC):
            self.problem("old_excel")
            return []
        if suffix in (".xlsx", ".xlsm", ".ods"):
            self.problem(
                "file_unreadable",
                detail=(f"keine gültige {suffix}-Datei", f"not a valid {suffix} file"),
            )
            return []
        if b"\x00" in data[:65536] and _utf16(data) is None:
            self.problem("binary")
            return []
        self.kind = "csv"
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
    def _tables_from_sheets(self, sheets: list[Sheet]) -> list[RawTable]:
        aliases = {a for v in SHEET_ALIASES.values() for a in v}
        sheets = [s for s in sheets if not s.hidden or clean_header(s.name).lower() in aliases]
        by_name: dict[str, Sheet] = {}
        for sheet in sheets:
            key = clean_header(sheet.name).lower()
            for table, names in SHEET_ALIASES.items():
                if key in names and table not in by_name:
                    by_name[table] = sheet
        tables = []
        for table, sheet in by_name.items():
            raw = self._table_from_sheet(sheet, table)
            if raw is not None:
                tables.append(raw)
        if len(by_name) < len(SHEET_NAMES):  # sheets with another name: recognised by their header
            for sheet in sheets:
                if any(sheet is s for s in by_name.values()):
                    continue
                raw = self._table_from_sheet(sheet, None)
                if raw is None or raw.table in by_name:
                    continue
                by_name[raw.table] = sheet
                self.problem("sheet_name", sheet.name, detail=SHEET_NAMES[raw.table])
                tables.append(raw)
        if not tables:
            self.problem("no_sheets", found=", ".join(f"'{s.name}'" for s in sheets) or "-")
        return tables

    def _table_from_sheet(self, sheet: Sheet, table: str | None) -> RawTable | None:
        """The table in ``sheet``. ``table`` is known from the sheet name, else guessed from the header."""
        rows = sheet.rows
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
                self.problem("sheet_empty", sheet.name)
                return RawTable(table, "template", sheet.name, display_path(self.path), [])
            start, table_found, layout_found = 0, table, "template"
        return self._build(table_found, layout_found, sheet, start + 1)

    def _build(self, table: str, layout: str, sheet: Sheet, header_row: int) -> RawTable:
        header = [clean_header(c) for c in sheet.rows[header_row - 1]]
        rows = sheet.rows[header_row:]
        raw = RawTable(table, layout, sheet.name, display_path(self.path), header, header_row)
        keep: list[tuple[int, str]] = []
        seen: dict[str, str] = {}
        for i, h in enumerate(header):
            if not h:
                continue
            name = field_for(h, table) if layout == "template" else h.lower()
            if is_personal(h) and (layout != "template" or name is None):
                raw.personal_columns.append(h)
                raw.personal_values[h] = [r[i] for r in rows if i < len(r)]
                self.problem("personal_column", sheet.name, header_row, h)
                continue
            if name is None:
                allowed = ", ".join(f.header for f in TABLES[table])
                self.problem("unknown_column", sheet.name, header_row, h, detail=h, expected=allowed)
                raw.unknown_columns.append(h)
                continue
            if name in seen:
                self.problem("duplicate_column", sheet.name, header_row, h, detail=f"{seen[name]} / {h}")
                continue
            seen[name] = h
            keep.append((i, h if layout == "template" else name))
            if i + 1 in sheet.hidden_columns:
                self.problem("hidden_column", sheet.name, header_row, h)
        if layout == "template":
            raw.columns = dict(seen)
            required = [f for f in TABLES[table] if f.required]
            expected = ", ".join(f.header for f in required)
            for f in required:
                if f.name not in seen:
                    self.problem("missing_column", sheet.name, header_row, f.header, detail=f.header, expected=expected)
        else:
            missing = [c for c in REAL_REQUIRED[table] if c not in seen]
            for c in missing:
                self.problem(
                    "missing_column", sheet.name, header_row, c, detail=c, expected=", ".join(REAL_REQUIRED[table])
                )
        id_header = raw.columns.get("body_id" if table == "bodies" else "measure_id") or (
            "id" if layout == "real" else None
        )
        merged = self._merged(sheet, header, header_row)
        for offset, values in enumerate(rows):
            row_no = header_row + 1 + offset
            record = {h: (values[i] if i < len(values) else None) for i, h in keep}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                continue
            first = record.get(id_header) if id_header else None
            if isinstance(first, str) and first.strip().upper().startswith(EXAMPLE_PREFIX):
                raw.examples += 1
                continue
            found, covered = merged.pop(row_no, ([], set()))
            for i, h in keep:
                if is_formula(record[h]):
                    formula = str(record[h]).strip()
                    found.append(self._problem("formula", sheet.name, row_no, header[i], formula, detail=formula[:40]))
            raw.rows.append(RawRow(row_no, record, row_no in sheet.hidden_rows, found, covered))
        self.problems += [p for ps, _ in merged.values() for p in ps]  # merged cells in rows without data
        return raw

    def _merged(self, sheet: Sheet, header: list[str], header_row: int) -> dict[int, tuple[list[Problem], set[str]]]:
        """Per row below the header: its merged cells (a merged cell is reported on every row it spans) and
        the headers of the cells they cover."""
        rows: dict[int, tuple[list[Problem], set[str]]] = {}
        for min_row, min_col, max_row, max_col in sheet.merges:
            coord = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"
            column = header[min_col - 1] if min_col <= len(header) else ""
            spanned = {header[c - 1] for c in range(min_col, max_col + 1) if c <= len(header)}
            for row in range(max(min_row, header_row + 1), max_row + 1):
                problems, covered = rows.setdefault(row, ([], set()))
                problems.append(self._problem("merged_cells", sheet.name, row, column, "", detail=coord))
                covered |= spanned
        return rows

    # ------------------------------------------------------------------ xlsx
    def _xlsx(self) -> list[Sheet] | None:
        import openpyxl

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # data-validation extensions, unknown styles …
                wb = openpyxl.load_workbook(self.path, data_only=False)
        except Exception as exc:  # damaged archives raise zipfile, KeyError, XML and openpyxl errors
            self.problem("file_unreadable", detail=type(exc).__name__)
            return None
        sheets = []
        for ws in wb.worksheets:
            rows = [[_xlsx_value(cell) for cell in r] for r in ws.iter_rows()]
            hidden_columns: set[int] = set()
            for dim in ws.column_dimensions.values():
                if dim.hidden and dim.min:
                    hidden_columns.update(range(dim.min, (dim.max or dim.min) + 1))
            sheets.append(
                Sheet(
                    ws.title,
                    _trimmed(rows),
                    [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges],
                    {n for n, dim in ws.row_dimensions.items() if dim.hidden},
                    hidden_columns,
                    ws.sheet_state != "visible",
                )
            )
        return sheets

    # ------------------------------------------------------------------ ods
    def _ods(self) -> list[Sheet] | None:
        try:
            with zipfile.ZipFile(self.path) as z:
                root = ET.fromstring(z.read("content.xml"))  # noqa: S314 - a local file the user chose
                styles = ET.fromstring(z.read("styles.xml")) if "styles.xml" in z.namelist() else None  # noqa: S314
        except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, RuntimeError, ValueError) as exc:
            self.problem("file_unreadable", detail=type(exc).__name__)
            return None
        formats = _OdsStyles([root] + ([styles] if styles is not None else []))
        return [_ods_sheet(table, formats) for table in root.iter(T + "table")]

    # ------------------------------------------------------------------ csv
    def _csv(self, data: bytes) -> list[RawTable]:
        from praevention.errors import SourceFormatError
        from praevention.parsing import decode_bytes

        try:
            text = _utf16(data) or decode_bytes(data, path=str(self.path)).text
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
            rows: list[list[object]] = [
                [c if c != "" else None for c in r]
                for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            ]
        except csv.Error as exc:
            self.problem("file_unreadable", detail=str(exc))
            return []
        sheet = Sheet(self.name, rows)
        self.sheets = [sheet]
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            table, layout = identify([clean_header(c) for c in row])
            if table is not None and layout is not None:
                sheet.name = SHEET_NAMES[table]  # a CSV file is one sheet of the register
                return [self._build(table, layout, sheet, i + 1)]
        found = ", ".join(h for h in (clean_header(c) for c in rows[0]) if h)[:120] if rows else ""
        expected = "; ".join(
            f"{SHEET_NAMES[t]}: " + ", ".join(f.header for f in TABLES[t] if f.required) for t in TABLES
        )
        self.problem("unknown_table", row=1, found=_printable(found) or "-", expected=expected)
        return []


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 file (Excel's "Unicode-Text": tab-separated, with a byte-order mark, or without
    one but with every other byte zero), else ``None``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1:200:2].count(0) == len(data[1:200:2]):
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0:200:2].count(0) == len(data[0:200:2]):
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    """``rows`` without trailing empty rows and cells (formatted but empty)."""
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] in (None, ""):
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _xlsx_value(cell) -> object:
    value = cell.value
    if cell.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        text = str(getattr(value, "text", value) or "")
        return text if text.startswith("=") else "=" + text
    if isinstance(value, dt.datetime | dt.date) and cell.row > 1:
        return _dated(
            value.date() if isinstance(value, dt.datetime) else value, precision_of_number_format(cell.number_format)
        )
    return value


def _dated(value: dt.date, precision: str) -> object:
    """A date cell as the register reads it: a date, or ``YYYY-MM``/``YYYY`` when its format shows no day."""
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "year":
        return f"{value.year:04d}"
    return value


class _OdsStyles:
    """What an ODS cell's style says: the precision of a date style, and which tables are hidden."""

    def __init__(self, roots: list[ET.Element]):
        self.date_precision: dict[str, str] = {}
        self.data_style: dict[str, str] = {}
        self.hidden_tables: set[str] = set()
        for root in roots:
            for ds in root.iter(NUM + "date-style"):
                parts = {child.tag for child in ds}
                precision = "day" if NUM + "day" in parts else "month" if NUM + "month" in parts else "year"
                self.date_precision[ds.get(ST + "name", "")] = precision
            for st in root.iter(ST + "style"):
                name = st.get(ST + "name", "")
                if st.get(ST + "data-style-name"):
                    self.data_style[name] = st.get(ST + "data-style-name", "")
                props = st.find(ST + "table-properties")
                if props is not None and props.get(T + "display") == "false":
                    self.hidden_tables.add(name)

    def precision(self, cell_style: str | None) -> str:
        return self.date_precision.get(self.data_style.get(cell_style or "", ""), "day")


def _ods_formula(formula: str) -> str:
    """OpenFormula as Excel shows it: ``of:=HYPERLINK("x";"y")`` → ``=HYPERLINK("x","y")``, ``[.A1]`` → ``A1``."""
    text = re.sub(r"^[a-z]+:", "", formula)
    parts = re.split(r'("[^"]*")', text)  # strings are left alone
    for i in range(0, len(parts), 2):
        part = re.sub(r"\[\$?'?([^\].']*)'?\.([^\]]+)\]", lambda m: (f"{m[1]}!" if m[1] else "") + m[2], parts[i])
        parts[i] = part.replace(";", ",")
    return "".join(parts)


def _ods_text(element: ET.Element) -> str:
    """The text of a cell: paragraphs and line breaks as ``\\n``, ``text:s`` as spaces, annotations left out."""

    def inline(node: ET.Element) -> str:
        out = [node.text or ""]
        for child in node:
            if child.tag == TX + "s":
                out.append(" " * int(child.get(TX + "c", "1")))
            elif child.tag == TX + "tab":
                out.append("\t")
            elif child.tag == TX + "line-break":
                out.append("\n")
            elif child.tag != OF + "annotation":
                out.append(inline(child))
            out.append(child.tail or "")
        return "".join(out)

    return "\n".join(inline(p) for p in element if p.tag in (TX + "p", TX + "h"))


def _ods_value(cell: ET.Element, formats: _OdsStyles) -> object:
    formula = cell.get(T + "formula")
    if formula:
        return _ods_formula(formula)
    kind = cell.get(OF + "value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(OF + "value", "nan"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        text = cell.get(OF + "date-value", "")
        try:
            value = dt.date.fromisoformat(text[:10])
        except ValueError:
            return _ods_text(cell) or text
        return _dated(value, formats.precision(cell.get(T + "style-name")))
    if kind == "boolean":
        return cell.get(OF + "boolean-value") == "true"
    text = _ods_text(cell)
    return text if text != "" else None


def _ods_sheet(table: ET.Element, formats: _OdsStyles) -> Sheet:
    sheet = Sheet(table.get(T + "name", ""), [], hidden=table.get(T + "style-name", "") in formats.hidden_tables)
    col = 0
    for column in table.iter(T + "table-column"):
        repeat = int(column.get(T + "number-columns-repeated", "1"))
        if column.get(T + "visibility", "visible") != "visible":
            sheet.hidden_columns.update(range(col + 1, col + min(repeat, 1024) + 1))
        col += repeat
    row_no = 0
    for row in table.iter(T + "table-row"):
        repeat = int(row.get(T + "number-rows-repeated", "1"))
        values: list[object] = []
        col = 0
        for cell in row:
            if cell.tag not in (T + "table-cell", T + "covered-table-cell"):
                continue
            col_repeat = int(cell.get(T + "number-columns-repeated", "1"))
            value = _ods_value(cell, formats) if cell.tag == T + "table-cell" else None
            if value is not None:
                values.extend([None] * (col - len(values)) + [value] * col_repeat)
            rows_spanned = int(cell.get(T + "number-rows-spanned", "1"))
            cols_spanned = int(cell.get(T + "number-columns-spanned", "1"))
            if rows_spanned > 1 or cols_spanned > 1:
                sheet.merges.append((row_no + 1, col + 1, row_no + rows_spanned, col + cols_spanned))
            col += col_repeat
        hidden = row.get(T + "visibility", "visible") != "visible"
        for _ in range(repeat if values else 1):
            row_no += 1
            if row_no > MAX_ROWS:
                break
            sheet.rows.append(list(values))
            if hidden:
                sheet.hidden_rows.add(row_no)
        if not values:
            row_no += repeat - 1
            sheet.rows.extend([] for _ in range(min(repeat - 1, max(0, MAX_ROWS - len(sheet.rows)))))
    sheet.rows = _trimmed(sheet.rows)
    sheet.hidden_rows = {r for r in sheet.hidden_rows if r <= len(sheet.rows)}
    return sheet


def _printable(text: str) -> str:
    return re.sub(r"[^\w\s.,;:()/*+#&'\"ÄÖÜäöüß-]", "?", text)


def read_register(path: str | Path) -> RegisterFile:
    """All register tables in one file, the problems met while reading it, and its sheets as read
    (never raises on content)."""
    reader = _Reader(Path(path))
    try:
        tables = reader.read()
    except Exception as exc:  # a last guard: a damaged file must give a problem, never a traceback
        reader.problem("file_unreadable", detail=type(exc).__name__)
        tables = []
    return RegisterFile(Path(path), reader.kind, tables, reader.problems, reader.sheets)


def read_register_file(path: str | Path) -> tuple[list[RawTable], list[Problem]]:
    """All register tables in one file, and the problems met while reading it (never raises on content)."""
    found = read_register(path)
    return found.tables, found.problems
