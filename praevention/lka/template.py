"""The empty import workbook for the LKA's PKS by Tatortgemeinde (openpyxl).

Sheets: "Tatortgemeinden" (the data: German headers with a comment each, key columns formatted as text,
one row per Gemeinde, reporting year and PKS key; the reader takes the first sheet) and "Anleitung"
(instructions and one line per column). The columns are those of :data:`praevention.readers.lka.COLUMNS`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from praevention.files import write_document
from praevention.readers.lka import COLUMNS
from praevention.register.template import guide_sheet

ROWS = 5000  # rows prepared with text formats for the key columns
DATA_SHEET = "Tatortgemeinden"
TEXT_COLUMNS = ("ags", "offence_key")
INSTRUCTIONS = [
    "PKS nach Tatortgemeinde (LKA) – Importvorlage für den Präventionsmonitor",
    "",
    "1. Blatt 'Tatortgemeinden': je Gemeinde, Berichtsjahr und PKS-Schlüssel eine Zeile. Spaltenüberschriften "
    "nicht ändern; weitere Spalten werden ignoriert.",
    "2. AGS: 8-stelliger Gemeindeschlüssel als Text (führende Null behalten). Nur Gemeinden des "
    "Gemeindeverzeichnisses; Fälle ohne Tatortgemeinde nicht eintragen.",
    "3. PKS-Schlüssel wie in der PKS: 6 Zeichen, ------ für Straftaten insgesamt. Je Gemeinde und Jahr "
    "mindestens ------ und 725000 (Verstöße gegen Aufenthalts- und Asylrecht: ausgewertet werden alle Straftaten "
    "ohne sie), dazu die Schlüssel, auf die Maßnahmen zielen (z. B. 899000, 435*00, 892000).",
    "4. Zahlen als Zahlen oder in deutscher Schreibweise (1.234); Versuche und aufgeklärte Fälle dürfen leer "
    "bleiben, sind aber höchstens so groß wie die Fälle.",
    "5. Die Summe der Gemeinden eines Kreises darf die Fallzahl des Kreises in der PKS des BKA "
    "(Tabelle T01 Kreise) für dasselbe Jahr und denselben Schlüssel nicht übersteigen.",
    "6. Ablage: im Rohdatenordner unter crime/lka_tatortgemeinde/ (xlsx oder csv mit Semikolon); die Datei "
    "wird am Inhalt erkannt. Zeilen mit Fehlern kommen mit Zeile und Grund in die Quarantäne.",
    "7. Die Zahlen sind nicht veröffentlicht: die Datei nicht weitergeben; veröffentlicht werden nur die "
    "Auswertungen (kleine Zahlen unterdrückt).",
    "",
    "Spalten",
]


def write_template(path: str | Path) -> Path:
    """Write the empty import workbook to ``path`` (atomically)."""
    return write_document(Path(path), template_workbook())


def template_workbook() -> Workbook:
    """The empty import workbook (the demo fills it as the ministry would)."""
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    fill = PatternFill("solid", fgColor="DDE5F0")
    for j, column in enumerate(COLUMNS, start=1):
        cell = data.cell(1, j, column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(column.help + (" Pflichtfeld." if column.required else ""), "Präventionsmonitor")
        letter = get_column_letter(j)
        data.column_dimensions[letter].width = max(14, len(column.header) + 6)
        if column.name in TEXT_COLUMNS:
            for row in range(2, ROWS + 1):
                data.cell(row, j).number_format = "@"
    data.freeze_panes = "A2"
    guide_sheet(
        wb.create_sheet(),
        INSTRUCTIONS,
        ("Spalte", "Pflicht", "Erklärung"),
        [(c.header, "ja" if c.required else "", c.help) for c in COLUMNS],
        (20, 8, 110),
    )
    return wb
