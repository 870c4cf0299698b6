"""``praevention lka template``: the import workbook for the LKA's PKS by Tatortgemeinde.

Imports stay inside the handler: ``add_parser`` runs for every ``praevention`` command.
"""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    lka = subparsers.add_parser(
        "lka",
        help="das Importformat der PKS nach Tatortgemeinde des LKA",
        description="Importformat der Polizeilichen Kriminalstatistik nach Tatortgemeinde (LKA, nicht veröffentlicht).",
    )
    sub = lka.add_subparsers(dest="lka_command", required=True, metavar="BEFEHL")
    template = sub.add_parser(
        "template",
        help="die leere Importmappe schreiben (xlsx)",
        description="Schreibt die leere Importmappe: ein Datenblatt mit den Spalten AGS, Berichtsjahr, "
        "PKS-Schlüssel, Fälle, Versuche, aufgeklärte Fälle und ein Blatt mit Anleitung.",
    )
    template.add_argument("file", help="wohin die Mappe geschrieben wird, z. B. pks_tatortgemeinden.xlsx")
    template.add_argument("--force", action="store_true", help="eine vorhandene Datei überschreiben")
    template.set_defaults(handler=run_template)


def run_template(args: argparse.Namespace) -> int:
    from praevention.files import new_workbook_path
    from praevention.lka.template import write_template

    path = write_template(new_workbook_path(args.file, force=args.force))
    print(f"Vorlage geschrieben: {path}")
    return 0
