"""``praevention register template`` and ``praevention register check``."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    register = subparsers.add_parser("register", help="the register of prevention bodies and measures")
    sub = register.add_subparsers(dest="register_command", required=True, metavar="COMMAND")
    template = sub.add_parser("template", help="write an empty register workbook (xlsx)")
    template.add_argument("file", help="where to write the workbook, e.g. register.xlsx")
    template.set_defaults(handler=run_template)
    check = sub.add_parser("check", help="validate a register file (xlsx, ods or csv) without touching the warehouse")
    check.add_argument("file", help="the register file")
    check.add_argument("--lang", choices=("de", "en"), default="de", help="language of the messages (default: de)")
    check.set_defaults(handler=run_check)


def run_template(args: argparse.Namespace) -> int:
    from pipelines.register.template import write_template

    path = write_template(args.file)
    print(f"Vorlage geschrieben: {path}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipelines.register.load import load_register
    from pipelines.register.messages import report

    path = Path(args.file)
    if not path.is_file():
        print(("Datei nicht gefunden: " if args.lang == "de" else "File not found: ") + str(path), file=sys.stderr)
        return 2
    result = load_register([path])
    print(report(result.problems, args.lang))
    if args.lang == "en":
        print(
            f"{len(result.bodies)} bodies and {len(result.measures)} measures would load; "
            f"{len(result.rejects)} row(s) would be quarantined."
        )
    else:
        print(
            f"{len(result.bodies)} Gremien und {len(result.measures)} Maßnahmen würden übernommen; "
            f"{len(result.rejects)} Zeile(n) kämen in die Quarantäne."
        )
    return 1 if result.has_errors else 0
