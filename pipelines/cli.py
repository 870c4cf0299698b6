"""The ``praevention`` command line. Each subcommand lives in its own module and registers itself here.

Errors are printed as one clear line (exit code 2 for problems the user can fix, 1 for unexpected
ones); ``--debug`` shows the traceback for developers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib.metadata import version

from pipelines.german import GermanParser

# Modules that expose ``add_parser(subparsers)``; each sets ``handler`` on its parser.
COMMAND_MODULES = (
    "pipelines.commands.pipeline",
    "pipelines.commands.register",
    "pipelines.commands.demo",
    "pipelines.commands.lka",
    "pipelines.commands.survey",
    "pipelines.commands.fetch",
    "pipelines.commands.plan",
)


def build_parser() -> argparse.ArgumentParser:
    parser = GermanParser(
        prog="praevention",
        description="Präventionsmonitor Sachsen-Anhalt: Daten laden, Wirkungen auswerten, Berichte erstellen.",
    )
    parser.add_argument("--debug", action="store_true", help="Fehler mit vollständigem Verlauf zeigen (für Entwickler)")
    parser.add_argument(
        "--version",
        action="version",
        version=f"praevention {version('praeventionsmonitor')}",
        help="die installierte Version zeigen und beenden",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    for command in sub.choices.values():  # `praevention run --debug` as well as `praevention --debug run`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


#: options whose values may start with a dash (the PKS key of all offences is '------')
DASH_VALUES = ("--indicator",)


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """``--indicator ------`` → ``--indicator=------``: argparse would take the value for an option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in DASH_VALUES and arg.startswith("-"):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    import warnings

    # Dagster's notes on beta and preview APIs are for developers, not for the person running the pipeline
    warnings.filterwarnings("ignore", module=r"(dagster|assets|pipelines)(\.|$)")
    parser = build_parser()
    args = parser.parse_args(join_dash_values(sys.argv[1:] if argv is None else argv))
    from praevention.errors import PipelineError, SourceFormatError, printable

    try:
        return int(args.handler(args) or 0)
    except (PipelineError, SourceFormatError) as exc:
        if args.debug:
            raise
        print(f"praevention: Fehler: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("praevention: abgebrochen", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"praevention: unerwarteter Fehler: {type(exc).__name__}: {printable(exc)} (Einzelheiten mit --debug)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
