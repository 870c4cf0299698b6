"""A synthetic register as people really fill it, with every kind of problem the register check knows
about, written as xlsx, ods and csv from one format-neutral model (generated here, never committed).

The model is a list of sheets: rows of cell values (``str`` text, ``int``/``float`` numbers,
``datetime.date`` dates, a ``str`` starting with ``=`` a formula), merged ranges and hidden rows and
columns. What CSV cannot hold (merged cells, hidden rows) is only in :func:`layout_register`.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from praevention.register.schema import SHEET_NAMES, TABLES

#: Personal data planted in the register: none of it may be stored anywhere or shown in a message.
PERSONAL = (
    "Sabine Krause",
    "Thomas Müller",
    "Müller",
    "Krause",
    "Erika Mustermann",
    "3462 5401234",
    "5401234",
    "55 51 23 6",
    "9876543",
    "12 34 56",
    "stendal.de",
    "erika.mustermann",
    "mustermann",
    "0391 5401234",
)
DOCUMENT_TEXT = "Beschluss Drucksache 0212/2021-01 vom 12.03.2021, Az. 0321/2020"


@dataclass
class SheetModel:
    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def table_rows(table: str, records: list[dict], extra: tuple[str, ...] = ()) -> list[list[object]]:
    fields = TABLES[table]
    return [[f.header for f in fields] + list(extra)] + [
        [r.get(f.name) for f in fields] + [r.get(h) for h in extra] for r in records
    ]


BODIES = [
    {
        "body_id": "G01",
        "name": "Landespräventionsrat Sachsen-Anhalt",
        "body_type": "Landespräventionsrat",
        "level": "Land",
        "ags": "15",
        "founded": "1998",
        "partners": "Polizei\nStadt\nVereine",
        "status": "aktiv",
    },
    {
        "body_id": "G02",
        "name": "Präventionsrat Nirgendwo",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15099999",
        "founded": "2019",
    },
    {
        "body_id": "G03",
        "name": "Kriminalpräventiver Rat Halle",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": 15002000,
        "founded": dt.date(2001, 5, 1),
        "Vorsitz": "Sabine Krause; Thomas Müller",
        "Interne Notiz": "Herr Müller anrufen 0391 5401234",
    },
    {"body_id": "g03", "name": "Doppelter Rat", "body_type": "Präventionsrat", "level": "Gemeinde", "ags": "15002000"},
    {
        "body_id": "G05\u200b",
        "name": "Beirat Weißenfels",
        "body_type": "Beirat",
        "level": "Gemeinde",
        "ags": "15084550",
        "partners": "Polizeirevier; Schulen",
    },
    {
        "body_id": "G06",
        "name": "Kreispräventionsrat Harz",
        "body_type": "Präventionsrat",
        "level": "Landkreis",
        "ags": "15085",
    },
    {
        "body_id": "G07",
        "name": "Sicherheitsrat Halle",
        "body_type": "Sonstiges",
        "level": "Gemeinde",
        "ags": "Halle (Saale)",
    },
    {
        "body_id": "G08",
        "name": "Runder Tisch Stendal",
        "body_type": "Runder Tisch",
        "level": "Gemeinde",
        "ags": "15090535",
        "founded": "15.09.2062",
        "ended": "laufend",
        "notes": "Kontakt: Frau Dr. Sabine Krause, Tel. +49 (0) 391 / 12 34 56, erika.mustermann[at]example.org; "
        + DOCUMENT_TEXT,
    },
    {"body_id": "siehe E-Mail vom 3.5."},
    {
        "body_id": "G10",
        "name": "Praeventionsrat Zeitz",
        "body_type": "Praeventionsrat",
        "level": "Gemeinde",
        "ags": "15084590",
        "partners": "Polizei; 0171-9876543",
        "notes": "name[at]stendal.de",
    },
    {
        "body_id": "G11",
        "name": "Präventionsrat Quedlinburg",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15085235",
        "founded": "12.05.1962",
        "source_url": "https://example.org/q",
        "notes": "Rückfragen an Herrn Müller, +49 3462 5401234 oder +49 (0) 3931 / 55 51 23 6",
    },
    {
        "body_id": "G12",
        "name": "Beirat Gardelegen",
        "body_type": "Beirat",
        "level": "Gemeinde",
        "ags": "15081135",
        "founded": "2020",
        "ended": "2018",
    },
    {
        "body_id": "G13",
        "name": "ALT – Präventionsrat Osterburg nicht mehr verwenden",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15090415",
        "founded": "2005",
    },
    {
        "body_id": "G14",
        "name": '=HYPERLINK("https://example.org","Rat")',
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15003000",
    },
    {"body_id": "G15", "name": "=1+1", "body_type": "Präventionsrat", "level": "Gemeinde", "ags": "15003000"},
]
MEASURES = [
    {
        "measure_id": "M01",
        "body_id": "G01",
        "title": "Landesweite Kampagne",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2019",
    },
    {
        "measure_id": "M02",
        "body_id": "G02",
        "title": "Streifen Nirgendwo",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2020",
    },
    {
        "measure_id": "M03",
        "body_id": "g03",
        "title": "Streifen Halle",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "01.03.2021",
    },
    {
        "measure_id": "M04",
        "body_id": "G05",
        "title": "Schulwegsicherung",
        "domain": "Verkehr",
        "target": "Kinder",
        "start": "09/2022",
    },
    {
        "measure_id": "M05",
        "body_id": "Kriminalpräventiver Rat Halle",
        "title": "Beleuchtung Park",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2022",
        "end": "bis heute",
    },
    {
        "measure_id": "M06",
        "body_id": "G06",
        "title": "Kontrollen Harz",
        "domain": "Verkehr",
        "target": "Motorrad",
        "start": "2021",
        "end": "offen",
    },
    {
        "measure_id": "M08",
        "body_id": "G12",
        "title": "Streifen Gardelegen",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2020",
    },
    {
        "measure_id": "M09",
        "body_id": "G03",
        "title": "Videoschutz",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2023",
        "notes": DOCUMENT_TEXT,
    },
    {
        "measure_id": "M10",
        "body_id": "G99",
        "title": "Unbekanntes Gremium",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2023",
    },
    {
        "measure_id": "M11",
        "body_id": "G03",
        "title": "Sprechstunde",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2023",
        "intensity": "Herr Müller, 0171-9876543",
    },
    {
        "measure_id": "M12",
        "body_id": "G03",
        "title": "Präsenz am Markt",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2023",
        "area_type": "Punkt m. Radius",
        "area": "POINT (11.969 51.482)",
        "area_radius_m": 300,
    },
    {
        "measure_id": "M13",
        "body_id": "G03",
        "title": "Punkt in Sachsen",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "2023",
        "area": "POINT (12.37 51.34)",
        "area_radius_m": 300,
    },
    {
        "measure_id": "M14",
        "body_id": "G03",
        "title": "Zu weit voraus",
        "domain": "Kriminalität",
        "target": "899000",
        "start": "15.09.2062",
    },
]
EXTRA = ("Vorsitz", "Interne Notiz")


def messy_register() -> list[SheetModel]:
    """Bodies and measures with every kind of problem that each format can hold."""
    return [
        SheetModel(SHEET_NAMES["bodies"], table_rows("bodies", BODIES, EXTRA)),
        SheetModel(SHEET_NAMES["measures"], table_rows("measures", MEASURES)),
    ]


def layout_register() -> list[SheetModel]:
    """What only a workbook holds: a merged cell over two rows, a hidden row and a hidden column."""
    bodies = [
        {"body_id": "G01", "name": "Rat A", "body_type": "Präventionsrat", "level": "Gemeinde", "ags": "15003000"},
        {"body_id": "G02", "name": "Rat B", "body_type": "Präventionsrat", "level": "Gemeinde", "ags": "15003000"},
        {
            "body_id": "G03",
            "name": "ALT – Rat C nicht mehr verwenden",
            "body_type": "Präventionsrat",
            "level": "Gemeinde",
            "ags": "15002000",
        },
        {
            "body_id": "G04",
            "name": "Rat D",
            "body_type": "Präventionsrat",
            "level": "Gemeinde",
            "ags": "15002000",
            "notes": "Polizei\nStadt",
        },
    ]
    measures = [
        {
            "measure_id": "M01",
            "body_id": "G04",
            "title": "Streife",
            "domain": "Kriminalität",
            "target": "899000",
            "start": "2021",
        }
    ]
    rows = table_rows("bodies", bodies)
    rows[2][3] = None  # Ebene of G02 is covered by the merged cell D2:D3
    return [
        SheetModel(SHEET_NAMES["bodies"], rows, merges=[(2, 4, 3, 4)], hidden_rows={4}, hidden_columns={13}),
        SheetModel(SHEET_NAMES["measures"], table_rows("measures", measures)),
    ]


# ---------------------------------------------------------------- writers
def write_xlsx(path: Path, sheets: list[SheetModel]) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for r, row in enumerate(s.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        for r1, c1, r2, c2 in s.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for r in s.hidden_rows:
            ws.row_dimensions[r].hidden = True
        for c in s.hidden_columns:
            ws.column_dimensions[get_column_letter(c)].hidden = True
    wb.save(path)
    return path


def _ods_formula(text: str) -> str:
    parts = text.split('"')
    return "of:" + '"'.join(p.replace(",", ";") if i % 2 == 0 else p for i, p in enumerate(parts))


def write_ods(path: Path, sheets: list[SheetModel]) -> Path:
    """An ODS as LibreOffice writes it: one paragraph per line of a cell, formulas in OpenFormula, merged
    cells spanning with covered cells, hidden rows and columns collapsed, dates with a date style."""
    from odf import number
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TableRowProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import LineBreak, P

    doc = OpenDocumentSpreadsheet()
    date_style = number.DateStyle(name="dmy")
    for part in (
        number.Day(style="long"),
        number.Text(text="."),
        number.Month(style="long"),
        number.Text(text="."),
        number.Year(style="long"),
    ):
        date_style.addElement(part)
    doc.automaticstyles.addElement(date_style)
    date_cell = Style(name="datecell", family="table-cell", datastylename="dmy")
    doc.automaticstyles.addElement(date_cell)
    col_style = Style(name="co1", family="table-column")
    col_style.addElement(TableColumnProperties(columnwidth="2.5cm"))
    row_style = Style(name="ro1", family="table-row")
    row_style.addElement(TableRowProperties(rowheight="0.45cm"))
    for st in (col_style, row_style):
        doc.automaticstyles.addElement(st)
    for s in sheets:
        table = Table(name=s.name)
        width = max(len(r) for r in s.rows)
        for c in range(1, width + 1):
            table.addElement(
                TableColumn(stylename=col_style, visibility="collapse" if c in s.hidden_columns else "visible")
            )
        covered = {(r, c) for r1, c1, r2, c2 in s.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        covered -= {(r1, c1) for r1, c1, _, _ in s.merges}
        for r, row in enumerate(s.rows, start=1):
            tr = TableRow(stylename=row_style, visibility="collapse" if r in s.hidden_rows else "visible")
            for c in range(1, width + 1):
                value = row[c - 1] if c - 1 < len(row) else None
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                span = next(((r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in s.merges if (r1, c1) == (r, c)), None)
                kw = {"numberrowsspanned": span[0], "numbercolumnsspanned": span[1]} if span else {}
                if value is None:
                    cell = TableCell(**kw)
                elif isinstance(value, str) and value.startswith("="):
                    cell = TableCell(valuetype="string", formula=_ods_formula(value), **kw)
                    cell.addElement(P(text="Rat"))
                elif isinstance(value, bool | str):
                    cell = TableCell(valuetype="string", **kw)
                    lines = str(value).split("\n")
                    if len(lines) > 2:  # LibreOffice: a paragraph per line; a line break element also occurs
                        for line in lines:
                            cell.addElement(P(text=line))
                    else:
                        p = P(text=lines[0])
                        for line in lines[1:]:
                            p.addElement(LineBreak())
                            p.addText(line)
                        cell.addElement(p)
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=date_cell, **kw)
                    cell.addElement(P(text=f"{value:%d.%m.%Y}"))
                else:
                    cell = TableCell(valuetype="float", value=value, **kw)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def write_csvs(folder: Path, sheets: list[SheetModel], delimiter: str = ";") -> list[Path]:
    """One CSV per sheet, as Excel's 'CSV UTF-8' export writes it."""
    paths = []
    for s in sheets:
        path = folder / f"{'gremien' if s.name == SHEET_NAMES['bodies'] else 'massnahmen'}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh, delimiter=delimiter).writerows([[_csv_text(v) for v in row] for row in s.rows])
        paths.append(path)
    return paths


def write_all(folder: Path, sheets: list[SheetModel]) -> dict[str, list[Path]]:
    """The same register as xlsx, ods and csv, each in its own folder."""
    out = {}
    for kind in ("xlsx", "ods", "csv"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    out["xlsx"] = [write_xlsx(folder / "xlsx" / "register.xlsx", sheets)]
    out["ods"] = [write_ods(folder / "ods" / "register.ods", sheets)]
    out["csv"] = write_csvs(folder / "csv", sheets)
    return out
