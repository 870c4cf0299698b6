"""``praevention register template`` and ``praevention register check``.

``check`` prints every problem (sheet, row as Excel shows it, column, value, problem, fix) in German,
or English with ``--lang en``; exit code 1 when there are errors, 0 with warnings only, 2 when the file
does not exist. It never touches the warehouse: it checks against the boundary and municipality data of
the raw-data folder (``--raw-dir``, ``$PRAEVENTION_RAW_DIR`` or ``data/raw``), read as the ingest reads
them, so that its summary is what the ingest loads. ``--annotate OUT.xlsx`` writes a copy of the
workbook that shows every problem in its cell. Imports stay inside the handlers: ``add_parser`` runs for
every ``praevention`` command.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    register = subparsers.add_parser(
        "register",
        help="the register of prevention bodies and measures",
        description="Template and check for the register of prevention bodies (Gremien) and their measures.",
    )
    sub = register.add_subparsers(dest="register_command", required=True, metavar="COMMAND")
    template = sub.add_parser(
        "template",
        help="write an empty register workbook (xlsx)",
        description="Write an empty register workbook with instructions, dropdowns and one example row per sheet.",
    )
    template.add_argument("file", help="where to write the workbook, e.g. register.xlsx")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")
    template.set_defaults(handler=run_template)
    check = sub.add_parser(
        "check",
        help="validate register files (xlsx, ods or csv) without touching the warehouse",
        description="Validate register files and list every problem with row, column and how to fix it. "
        "Exit code 1 when there are errors, 0 when there are only warnings.",
    )
    check.add_argument("file", nargs="+", help="the register file(s): one workbook, or the CSVs of both tables")
    check.add_argument("--lang", choices=("de", "en"), default="de", help="language of the messages (default: de)")
    check.add_argument(
        "--boundaries",
        metavar="GEOJSON",
        help="Gemeinde boundaries (GeoJSON with an AGS property, WGS84): check AGS and points exactly",
    )
    check.add_argument(
        "--raw-dir",
        metavar="DIR",
        help="raw-data folder whose boundary and GV100AD files the keys are checked against, as in the ingest "
        "(default: $PRAEVENTION_RAW_DIR or data/raw)",
    )
    check.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="write a copy of the workbook with every problem cell highlighted and commented, unambiguous "
        "corrections applied and a first sheet listing all messages",
    )
    check.add_argument(
        "--land",
        help="two-digit key of the Land the register is for (default: $PRAEVENTION_LAND or 15, Sachsen-Anhalt)",
    )
    check.set_defaults(handler=run_check)


def run_template(args: argparse.Namespace) -> int:
    from praevention.files import new_workbook_path
    from praevention.register.template import write_template

    path = write_template(new_workbook_path(args.file, force=args.force))
    print(f"Vorlage geschrieben: {path}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from praevention.register.load import load_register
    from praevention.register.messages import report

    de = args.lang != "en"
    paths = [Path(f) for f in args.file]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        for p in missing:
            print(("Datei nicht gefunden: " if de else "File not found: ") + str(p), file=sys.stderr)
        return 2
    if args.annotate and Path(args.annotate).suffix.lower() != ".xlsx":
        print(
            ("Die kommentierte Kopie ist eine .xlsx-Datei: " if de else "The annotated copy is an .xlsx file: ")
            + args.annotate,
            file=sys.stderr,
        )
        return 2
    if args.annotate:
        from praevention.register.annotate import overwritten_input

        same = overwritten_input(paths, Path(args.annotate))
        if same is not None:
            print(
                f"{same}: die kommentierte Kopie würde das Original überschreiben; geben Sie bei --annotate einen "
                "anderen Dateinamen an, z. B. register_geprueft.xlsx."
                if de
                else f"{same}: the annotated copy would overwrite the original; give --annotate another file name, "
                "e.g. register_checked.xlsx.",
                file=sys.stderr,
            )
            return 2
    from praevention import config

    land = config.land(args.land)
    context, source = None, ""
    if args.boundaries:
        from praevention.register.geo import Boundaries
        from praevention.register.validate import Context

        boundaries = Boundaries.from_geojson(args.boundaries)  # PipelineError → one line, exit 2
        context, source = Context(land, boundaries.known_ags(land), boundaries), args.boundaries
    else:
        from praevention.register.reference import context_from_raw

        raw = config.raw_dir(args.raw_dir)
        context, source = context_from_raw(raw, land), str(raw)
    result = load_register(paths, land=land, context=context)
    names = ", ".join(p.name for p in paths)
    print(("Prüfung: " if de else "Check: ") + names)
    if context is None:
        print(
            f"Hinweis: keine Gebietsdaten in {source}: Gemeindeschlüssel nur auf ihre Form geprüft (--raw-dir DIR)."
            if de
            else f"Note: no boundary data in {source}: municipality keys checked for their form only (--raw-dir DIR)."
        )
    else:
        print(("Abgeglichen mit den Gebietsdaten in " if de else "Checked against the boundary data in ") + source)
    print(report(result.problems, args.lang))
    rejected = len(result.rejects)
    skipped = result.examples_skipped
    if de:
        line = (
            f"Ergebnis: {len(result.bodies)} Gremien und {len(result.measures)} Maßnahmen würden übernommen, "
            f"{rejected} Zeile(n) kämen in die Quarantäne"
        )
        line += f", {skipped} Beispielzeile(n) übersprungen." if skipped else "."
    else:
        line = (
            f"Result: {len(result.bodies)} bodies and {len(result.measures)} measures would load, "
            f"{rejected} row(s) would be quarantined"
        )
        line += f", {skipped} example row(s) skipped." if skipped else "."
    print(line)
    if args.annotate:
        from praevention.register.annotate import annotate

        annotate(paths, result.problems, Path(args.annotate))
        print(("Kommentierte Kopie: " if de else "Annotated copy: ") + args.annotate)
    return 1 if result.has_errors else 0
