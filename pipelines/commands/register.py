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
        help="das Register der Präventionsgremien und ihrer Maßnahmen",
        description="Vorlage und Prüfung des Registers der Präventionsgremien und ihrer Maßnahmen.",
    )
    sub = register.add_subparsers(dest="register_command", required=True, metavar="BEFEHL")
    template = sub.add_parser(
        "template",
        help="eine leere Registermappe schreiben (xlsx)",
        description="Schreibt eine leere Registermappe mit Anleitung, Auswahllisten und einer Beispielzeile je Blatt.",
    )
    template.add_argument("file", help="wohin die Mappe geschrieben wird, z. B. register.xlsx")
    template.add_argument("--force", action="store_true", help="eine vorhandene Datei überschreiben")
    template.set_defaults(handler=run_template)
    check = sub.add_parser(
        "check",
        help="Registerdateien prüfen (xlsx, ods oder csv), ohne das Warehouse zu ändern",
        description="Prüft Registerdateien und nennt jedes Problem mit Zeile, Spalte und wie es zu beheben ist. "
        "Rückgabewert 1 bei Fehlern, 0 bei nur Hinweisen.",
    )
    check.add_argument("file", nargs="+", help="die Registerdatei(en): eine Mappe oder die CSV-Dateien beider Tabellen")
    check.add_argument("--lang", choices=("de", "en"), default="de", help="Sprache der Meldungen (Vorgabe: de)")
    check.add_argument(
        "--boundaries",
        metavar="GEOJSON",
        help="Gemeindegrenzen (GeoJSON mit AGS-Merkmal, WGS84): Schlüssel und Punkte genau prüfen",
    )
    check.add_argument(
        "--raw-dir",
        metavar="ORDNER",
        help="Rohdatenordner, gegen dessen Grenz- und GV100AD-Dateien die Schlüssel geprüft werden, wie beim Laden "
        "(Vorgabe: $PRAEVENTION_RAW_DIR oder data/raw)",
    )
    check.add_argument(
        "--annotate",
        metavar="KOPIE.xlsx",
        help="eine Kopie der Mappe schreiben: jede Problemzelle markiert und kommentiert, eindeutige Korrekturen "
        "übernommen, ein erstes Blatt mit allen Meldungen",
    )
    check.add_argument(
        "--land",
        help="zweistelliger Schlüssel des Landes, für das das Register gilt (Vorgabe: $PRAEVENTION_LAND oder 15, "
        "Sachsen-Anhalt)",
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
