"""The standard questionnaire for councils, from ``data/survey_questionnaire.yaml``: the printable PDF (typst),
the online-form table (CSV and XLSX: item codes, wording, answer codes) and the import workbook (one sheet per
form of :mod:`praevention.survey.read`, a sheet of instructions). ``praevention survey template DIR`` writes them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from praevention.files import write_atomic, write_document
from praevention.register.template import guide_sheet
from praevention.render.steckbrief import TEMPLATES
from praevention.survey.questionnaire import Questionnaire, questionnaire
from praevention.survey.read import AGGREGATES, COLUMNS, FORM_NAMES, MARGINS, RESPONSES

PDF, FORM_CSV, FORM_XLSX, IMPORT = "fragebogen.pdf", "onlineformular.csv", "onlineformular.xlsx", "umfrage_import.xlsx"
TYPST_TEMPLATE = "fragebogen.typ"
ROWS = 3000  # rows prepared with text formats for the key columns
FORM_HEADER = ("Fragecode", "Block", "Frage", "Aussage", "Antwortcode", "Antwort", "Quelle", "Wortlaut")
INSTRUCTIONS = [
    "Befragung zum Sicherheitsgefühl – Importvorlage für den Präventionsmonitor",
    "",
    "1. Blatt 'Antworten': je befragter Person und Welle eine Zeile mit den Antwortcodes des Fragebogens "
    "(Spalten SG01 … und ALTER, GESCHLECHT, ORTSTEIL). Leere Zelle = keine Antwort. Keine Namen, keine Adressen, "
    "keine Freitexte: andere Spalten werden nicht gelesen.",
    "2. Blatt 'Anteile': veröffentlichte Ergebnisse (z. B. aus dem Bericht der Stadt) – je Frage und Antwort der "
    "Anteil in Prozent und n, die Zahl der Antworten auf die Frage. Die Anteile einer Frage ergeben 100 %.",
    "3. Blatt 'Ränder' (freiwillig): Anteile der Altersgruppen und Geschlechter in der Bevölkerung ab 16 Jahren; "
    "ohne Angaben wird nach Geschlecht laut Bevölkerungsstatistik gewichtet, nach Alter nicht.",
    "4. Welle: Beginn der Befragung (01.10.2023, 10/2023 oder 2023). Eine Gemeinde hat je Datum eine Welle; eine "
    "zweite Datei mit derselben Welle wird nicht gemischt, sondern in die Quarantäne gestellt.",
    "5. Ablage: im Rohdatenordner unter surveys/ (xlsx, oder csv mit Semikolon je Blatt); die Datei wird am Inhalt "
    "erkannt. Zeilen mit Fehlern kommen mit Zeile und Grund in die Quarantäne.",
    "6. Veröffentlicht werden nur Anteile aus mindestens 30 Antworten, mit 95-%-Intervall.",
    "",
    "Spalten",
]


def source_line(q: Questionnaire, keys: tuple[str, ...]) -> str:
    return "; ".join(q.citation(k).split(":")[0] for k in keys)


def form_rows(q: Questionnaire) -> list[tuple[str, ...]]:
    """The online-form table: one row per item and answer code."""
    rows = []
    for item in q.items:
        for code, label in item.scale.items():
            rows.append(
                (
                    item.code,
                    item.section,
                    item.question,
                    item.wording,
                    str(code),
                    label,
                    source_line(q, item.sources),
                    item.wording_basis,
                )
            )
    for w in q.weighting:
        answers = w.scale.items() if w.scale else [("1–" + str(w.max_code or 999), "Nummer laut Liste der Gemeinde")]
        for code, label in answers:
            rows.append((w.code, "Angaben zur Person", w.question, "", str(code), label, "", ""))
    return rows


def questionnaire_pdf(q: Questionnaire | None = None) -> bytes:
    """The printable questionnaire (A4) from the typst template."""
    import typst

    q = q or questionnaire()
    blocks: list[dict] = []
    for item in q.items:
        if not blocks or blocks[-1]["question"] != item.question:
            blocks.append({"question": item.question, "scale": list(item.scale.values()), "rows": []})
        blocks[-1]["rows"].append(item.wording)
    data = {
        "title": q.title,
        "subtitle": q.subtitle,
        "intro": q.intro,
        "version": q.version,
        "blocks": blocks,
        "person": [{"question": w.question, "answers": list(w.scale.values())} for w in q.weighting],
        "sources": [q.citation(k) for k in q.sources],
    }
    compiler = typst.Compiler(str(TEMPLATES / TYPST_TEMPLATE), root=str(TEMPLATES))
    return compiler.compile(sys_inputs={"data": json.dumps(data, ensure_ascii=False)})


def form_workbook(q: Questionnaire) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Fragen"
    ws.append(FORM_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in form_rows(q):
        ws.append([int(v) if i == 4 and v.isdigit() else v for i, v in enumerate(row)])  # answer codes as numbers
    for col, width in enumerate((10, 18, 60, 50, 12, 28, 50, 12), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    return wb


def import_workbook(q: Questionnaire) -> Workbook:
    """The empty import workbook: sheets Antworten, Anteile, Ränder and Anleitung."""
    wb = Workbook()
    wb.remove(wb.active)
    fill = PatternFill("solid", fgColor="DDE5F0")
    guide: list[tuple[str, str, str, str]] = []
    for form in (RESPONSES, AGGREGATES, MARGINS):
        ws = wb.create_sheet(FORM_NAMES[form])
        columns = [
            (c.header, c.help, c.required, c.name in ("ags", "respondent_id", "wave_date")) for c in COLUMNS[form]
        ]
        if form == RESPONSES:
            columns += [
                (
                    i.code,
                    f"{i.question} {i.wording}".strip()
                    + " Codes: "
                    + ", ".join(f"{k} = {v}" for k, v in i.scale.items()),
                    False,
                    False,
                )
                for i in q.items
            ]
            columns += [
                (
                    w.code,
                    w.question + (" Codes: " + ", ".join(f"{k} = {v}" for k, v in w.scale.items()) if w.scale else ""),
                    False,
                    False,
                )
                for w in q.weighting
            ]
        for j, (header, help_text, required, text) in enumerate(columns, start=1):
            cell = ws.cell(1, j, header)
            cell.font, cell.fill = Font(bold=True), fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.comment = Comment(help_text + (" Pflichtfeld." if required else ""), "Präventionsmonitor")
            ws.column_dimensions[get_column_letter(j)].width = max(9, len(header) + 4)
            if text:
                for row in range(2, ROWS + 1):
                    ws.cell(row, j).number_format = "@"
            guide.append((FORM_NAMES[form], header, "ja" if required else "", help_text))
        ws.freeze_panes = "A2"
    guide_sheet(wb.create_sheet(), INSTRUCTIONS, ("Blatt", "Spalte", "Pflicht", "Erklärung"), guide, (12, 16, 8, 120))
    return wb


def write_templates(directory: str | Path, q: Questionnaire | None = None) -> list[Path]:
    """Write the questionnaire PDF, the online-form table (CSV, XLSX) and the import workbook into ``directory``."""
    q = q or questionnaire()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / PDF, questionnaire_pdf(q))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FORM_HEADER)
    writer.writerows(form_rows(q))
    write_atomic(out / FORM_CSV, "\ufeff" + buffer.getvalue())
    write_document(out / FORM_XLSX, form_workbook(q))
    write_document(out / IMPORT, import_workbook(q))
    return [out / PDF, out / FORM_CSV, out / FORM_XLSX, out / IMPORT]
