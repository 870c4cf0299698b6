"""``praevention survey template DIR``: the standard questionnaire on the sense of safety as a printable PDF,
as a table for online forms and as the import workbook.

Imports stay inside the handler: ``add_parser`` runs for every ``praevention`` command.
"""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    survey = subparsers.add_parser(
        "survey",
        help="Befragungen zum Sicherheitsgefühl: Fragebogen und Importvorlage",
        description="Standardfragebogen zum Sicherheitsgefühl für Präventionsräte und das Importformat der "
        "Befragungsergebnisse (Antworten der Befragten oder veröffentlichte Anteile).",
    )
    sub = survey.add_subparsers(dest="survey_command", required=True, metavar="BEFEHL")
    template = sub.add_parser(
        "template",
        help="Fragebogen (PDF), Tabelle für Online-Formulare (CSV, XLSX) und Importvorlage (XLSX) schreiben",
        description="Schreibt in den Ordner DIR: fragebogen.pdf (zum Drucken), onlineformular.csv und "
        "onlineformular.xlsx (Fragecodes, Wortlaut, Antwortcodes für ein Online-Formular) und umfrage_import.xlsx "
        "(Blätter Antworten, Anteile, Ränder und Anleitung; ausgefüllt im Rohdatenordner unter surveys/ ablegen).",
    )
    template.add_argument("dir", metavar="DIR", help="Zielordner, z. B. befragung/")
    template.add_argument("--force", action="store_true", help="vorhandene Dateien überschreiben")
    template.set_defaults(handler=run_template)


def run_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from praevention.errors import PipelineError
    from praevention.render.questionnaire import FORM_CSV, FORM_XLSX, IMPORT, PDF, write_templates

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise PipelineError(f"{folder} ist eine Datei, kein Ordner: einen Ordner angeben")
    existing = [name for name in (PDF, FORM_CSV, FORM_XLSX, IMPORT) if (folder / name).exists()]
    if existing and not args.force:
        raise PipelineError(f"in {folder} gibt es schon {', '.join(existing)}; --force überschreibt sie")
    for path in write_templates(folder):
        print(f"geschrieben: {path}")
    return 0
