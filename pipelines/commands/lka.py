"""``praevention lka template``: the import workbook for the LKA's PKS by Tatortgemeinde.

Imports stay inside the handler: ``add_parser`` runs for every ``praevention`` command.
"""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    lka = subparsers.add_parser(
        "lka",
        help="the import format of the LKA's PKS by Tatortgemeinde",
        description="Import format of the police crime statistics by Tatortgemeinde (LKA, not published).",
    )
    sub = lka.add_subparsers(dest="lka_command", required=True, metavar="COMMAND")
    template = sub.add_parser(
        "template",
        help="write the empty import workbook (xlsx)",
        description="Write the empty import workbook: a data sheet with the columns AGS, Berichtsjahr, "
        "PKS-Schlüssel, Fälle, Versuche, aufgeklärte Fälle and a sheet of instructions.",
    )
    template.add_argument("file", help="where to write the workbook, e.g. pks_tatortgemeinden.xlsx")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")
    template.set_defaults(handler=run_template)


def run_template(args: argparse.Namespace) -> int:
    from praevention.files import new_workbook_path
    from praevention.lka.template import write_template

    path = write_template(new_workbook_path(args.file, force=args.force))
    print(f"Vorlage geschrieben: {path}")
    return 0
