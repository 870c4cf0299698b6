"""The empty register workbook for the people who keep the register (openpyxl).

Sheets: "Anleitung" (instructions and one line per column), "Gremien" and "Maßnahmen" (German headers,
each with a comment; dropdowns for every controlled field; one worked example row whose ID starts with
BEISPIEL, which ``check`` and the pipeline skip), and a hidden "Listen" sheet holding the dropdown values.
Single-valued lists reject other input; for multi-valued fields (Partner, Zielgröße) the dropdown only
suggests, because several values are typed separated by semicolons.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from praevention.files import write_document
from praevention.register.schema import ACCIDENT_GROUPS, SHEET_NAMES, TABLES
from praevention.register.targets import dropdown_items

ROWS = 1000  # rows prepared with formats and dropdowns
EXAMPLES = {
    "bodies": {
        "body_id": "BEISPIEL-G1",
        "name": "Kriminalpräventiver Rat Musterstadt (Beispielzeile, wird nicht übernommen)",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15003000",
        "founded": "03/2021",
        "partners": "Polizei; Schulen; Vereine",
        "status": "aktiv",
        "source_url": "https://www.example.org/pressemitteilung",
        "source_date": "15.03.2021",
        "notes": "BEISPIEL: Zeilen, deren ID mit BEISPIEL beginnt, werden nicht übernommen.",
    },
    "measures": {
        "measure_id": "BEISPIEL-M1",
        "body_id": "BEISPIEL-G1",
        "title": "Gemeinsame Streifen am Bahnhof (Beispielzeile, wird nicht übernommen)",
        "measure_type": "gemeinsame Streifen / Präsenz",
        "domain": "Kriminalität",
        "target": "899000; 435*00",
        "area_type": "Punkt mit Radius",
        "area": "POINT (11.627 52.130)",
        "area_radius_m": 500,
        "start": "01.04.2021",
        "intensity": "3 Streifen pro Woche",
        "budget_eur": 12000,
        "mechanism": "Präsenz und Ansprechbarkeit (Streifen, Kontaktbeamte)",
        "moderators": "Bahnhofsumfeld, abends",
        "duration": "ganzjährig",
        "partners": "Polizei; Kommune/Ordnungsamt",
        "source_url": "https://www.example.org/massnahme",
        "notes": "BEISPIEL: Zeilen, deren ID mit BEISPIEL beginnt, werden nicht übernommen.",
    },
}
INSTRUCTIONS = [
    "Register der Präventionsgremien und ihrer Maßnahmen – Vorlage",
    "",
    "1. Blatt 'Gremien': je Präventionsrat, Beirat, Sicherheitspartnerschaft oder Runder Tisch eine Zeile.",
    "2. Blatt 'Maßnahmen': je Maßnahme eine Zeile; 'Gremium-ID' verweist auf eine ID im Blatt 'Gremien'.",
    "3. Felder mit Auswahlliste bitte aus der Liste wählen. Mehrere Partner oder Zielgrößen mit Semikolon trennen.",
    "4. Datumsangaben so genau, wie die Quelle sie nennt: 06.11.2023, 11/2023, 'November 2023' oder nur 2023; "
    "'ca. 1997', wenn nur ungefähr bekannt.",
    "5. Gemeindeschlüssel (AGS) als Text: 8 Ziffern für eine Gemeinde (Magdeburg 15003000), 5 für einen Kreis, "
    "15 für das Land.",
    "6. Zielgröße: PKS-Schlüssel (z. B. 435*00 Wohnungseinbruch, 899000 Straßenkriminalität, 892000 "
    "Gewaltkriminalität, ------ alle Straftaten) und/oder Unfallgruppen: " + ", ".join(ACCIDENT_GROUPS.values()) + ".",
    "7. Gebiet: leer = ganze Gemeinde; Punkt als POINT (Länge Breite) in WGS84 mit Radius in Metern, z. B. "
    "POINT (11.627 52.130); Fläche als POLYGON oder GeoJSON; oder Ortsteile mit Semikolon getrennt.",
    "8. Ohne Beginn oder ohne Zielgröße wird eine Maßnahme gespeichert, aber als 'nicht auswertbar' markiert.",
    "9. Keine Formeln und keine verbundenen Zellen verwenden; Blätter und Spaltenüberschriften nicht umbenennen.",
    "10. Ansprechpersonen, Telefon und E-Mail dürfen in einer eigenen Spalte 'Kontakt' stehen: sie werden nie "
    "gespeichert oder veröffentlicht. In anderen Spalten bitte keine personenbezogenen Daten.",
    "11. Die grauen Zeilen mit der ID 'BEISPIEL…' zeigen ein ausgefülltes Beispiel und werden nicht übernommen.",
    "",
    "Prüfen: praevention register check <Datei>   (Hinweise auf Deutsch; --lang en für Englisch)",
    "",
    "Spalten",
]


def guide_sheet(
    ws: Worksheet, lines: list[str], header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]
) -> None:
    """The sheet "Anleitung" of a template: ``lines`` (the first as title, the last as the heading of the
    table), then one row per column of the template under ``header``, with the column widths ``widths``."""
    ws.title = "Anleitung"
    for i, line in enumerate(lines, start=1):
        ws.cell(i, 1, line).font = Font(bold=i in (1, len(lines)), size=14 if i == 1 else 11)
    top = len(lines) + 1
    for col, title in enumerate(header, start=1):
        ws.cell(top, col, title).font = Font(bold=True)
    for r, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            ws.cell(r, col, value)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_template(path: str | Path) -> Path:
    path = Path(path)
    wb = Workbook()
    guide_sheet(
        wb.active,
        INSTRUCTIONS,
        ("Blatt", "Spalte", "Pflicht", "Erklärung"),
        [
            (SHEET_NAMES[table], f.header, "ja" if f.required else "", f.help)
            for table, fields in TABLES.items()
            for f in fields
        ],
        (14, 20, 8, 120),
    )
    lists = wb.create_sheet("Listen")
    lists.sheet_state = "hidden"
    list_col = 0
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    example_font = Font(italic=True, color="808080")
    for table, fields in TABLES.items():
        ws = wb.create_sheet(SHEET_NAMES[table])
        for j, f in enumerate(fields, start=1):
            letter = get_column_letter(j)
            cell = ws.cell(1, j, f.header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.comment = Comment(f.help + (" Pflichtfeld." if f.required else ""), "Präventionsmonitor", 150, 320)
            ws.column_dimensions[letter].width = max(14, min(45, len(f.header) + 8))
            example = EXAMPLES[table].get(f.name)
            if example is not None:
                ws.cell(2, j, example).font = example_font
            values = list(f.choices.values()) or (dropdown_items() if f.kind == "target" else [])
            if values:
                list_col += 1
                list_letter = get_column_letter(list_col)
                lists.cell(1, list_col, f.header)
                for k, label in enumerate(values, start=2):
                    lists.cell(k, list_col, label)
                multi = f.kind in ("multi_enum", "target")
                dv = DataValidation(
                    type="list",
                    formula1=f"Listen!${list_letter}$2:${list_letter}${len(values) + 1}",
                    allow_blank=True,
                    showErrorMessage=not multi,
                    error="Bitte einen Wert aus der Liste wählen.",
                    errorTitle="Ungültiger Wert",
                    showInputMessage=multi,
                    prompt="Mehrere Werte mit Semikolon trennen." if multi else None,
                )
                dv.add(f"{letter}2:{letter}{ROWS}")
                ws.add_data_validation(dv)
            if f.kind in ("ags", "id", "ref", "date"):
                for row in range(2, ROWS + 1):
                    ws.cell(row, j).number_format = "@"
        ws.freeze_panes = "A2"
    return write_document(path, wb)
