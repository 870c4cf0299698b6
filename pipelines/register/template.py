"""The empty register workbook for the people who keep the register (openpyxl).

Sheets: "Anleitung" (instructions), "Gremien" and "Maßnahmen" (German headers with a comment each,
dropdowns for every controlled field, a worked example row marked BEISPIEL, which ``check`` and the
pipeline skip), and a hidden "Listen" sheet holding the dropdown values.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.register.schema import ACCIDENT_GROUPS, SHEET_NAMES, TABLES

EXAMPLES = {
    "bodies": {
        "body_id": "BEISPIEL-G1",
        "name": "Kriminalpräventiver Rat Musterstadt (Beispielzeile, wird ignoriert)",
        "body_type": "Präventionsrat",
        "level": "Gemeinde",
        "ags": "15003000",
        "founded": "03/2021",
        "partners": "Polizei; Schulen; Vereine",
        "status": "aktiv",
        "source_url": "https://www.example.org/pressemitteilung",
        "source_date": "2021-03-15",
        "notes": "Beispielzeile: IDs mit BEISPIEL werden nicht übernommen.",
    },
    "measures": {
        "measure_id": "BEISPIEL-M1",
        "body_id": "BEISPIEL-G1",
        "title": "Gemeinsame Streifen am Bahnhof (Beispiel)",
        "measure_type": "gemeinsame Streifen / Präsenz",
        "domain": "Kriminalität",
        "target": "899000; 435*00",
        "area_type": "Punkt mit Radius",
        "area": "POINT (11.627 52.130)",
        "area_radius_m": 500,
        "start": "01.04.2021",
        "intensity": "3 Streifen pro Woche",
        "budget_eur": 12000,
        "source_url": "https://www.example.org/massnahme",
        "notes": "Beispielzeile",
    },
}
INSTRUCTIONS = [
    "Register der Präventionsgremien und ihrer Maßnahmen – Vorlage",
    "",
    "1. Blatt 'Gremien': je Präventionsrat, Beirat, Sicherheitspartnerschaft oder Runder Tisch eine Zeile.",
    "2. Blatt 'Maßnahmen': je Maßnahme eine Zeile; 'Gremium-ID' verweist auf das Blatt 'Gremien'.",
    "3. Felder mit Auswahlliste bitte aus der Liste wählen. Mehrere Partner mit Semikolon trennen.",
    "4. Datumsangaben: 06.11.2023, 11/2023, 'November 2023' oder nur 2023 – so genau, wie die Quelle es sagt.",
    "5. Gemeindeschlüssel (AGS) als Text eingeben, damit die führende Null bleibt (Sachsen-Anhalt: 15…).",
    "6. Zielgröße: PKS-Schlüssel (z. B. 435*00 Wohnungseinbruch, 899000 Straßenkriminalität, ------ alle "
    "Straftaten) und/oder Unfallgruppen: " + ", ".join(ACCIDENT_GROUPS.values()) + ".",
    "7. Ohne Beginn oder ohne Zielgröße wird eine Maßnahme gespeichert, aber als 'nicht auswertbar' markiert.",
    "8. Keine Formeln und keine verbundenen Zellen verwenden.",
    "9. Ansprechpersonen, Telefon und E-Mail dürfen in eigenen Spalten stehen: sie werden nie gespeichert oder veröffentlicht.",
    "10. Die Zeilen mit der ID 'BEISPIEL…' zeigen ein ausgefülltes Beispiel und werden nicht übernommen.",
    "",
    "Prüfen: praevention register check <Datei>   (Hinweise auf Deutsch; --lang en für Englisch)",
]


def write_template(path: str | Path) -> Path:
    path = Path(path)
    wb = Workbook()
    guide = wb.active
    guide.title = "Anleitung"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(i, 1, line).font = Font(bold=(i == 1), size=14 if i == 1 else 11)
    guide.column_dimensions["A"].width = 140
    lists = wb.create_sheet("Listen")
    lists.sheet_state = "hidden"
    list_col = 0
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for table, fields in TABLES.items():
        ws = wb.create_sheet(SHEET_NAMES[table])
        for j, f in enumerate(fields, start=1):
            cell = ws.cell(1, j, f.header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            text = f.help + (" Pflichtfeld." if f.required else "")
            cell.comment = Comment(text, "Präventionsmonitor", width=320, height=120)
            ws.column_dimensions[get_column_letter(j)].width = max(14, min(45, len(f.header) + 8))
            example = EXAMPLES[table].get(f.name)
            if example is not None:
                ws.cell(2, j, example)
            if f.choices:
                list_col += 1
                letter = get_column_letter(list_col)
                for k, label in enumerate(f.choices.values(), start=1):
                    lists.cell(k, list_col, label)
                ref = f"Listen!${letter}$1:${letter}${len(f.choices)}"
                dv = DataValidation(
                    type="list",
                    formula1=ref,
                    allow_blank=not f.required,
                    showErrorMessage=f.kind != "multi_enum",
                    error="Bitte einen Wert aus der Liste wählen.",
                    errorTitle="Ungültiger Wert",
                )
                dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}1000")
                ws.add_data_validation(dv)
            if f.kind in ("ags", "id", "ref", "date"):
                for r in range(2, 1001):
                    ws.cell(r, j).number_format = "@"
        for cell in ws[2]:
            cell.font = Font(italic=True, color="808080")
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
