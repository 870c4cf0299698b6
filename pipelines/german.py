"""argparse in German: the words argparse adds itself (usage, section titles, the help option, its error
messages), for ``praevention --help``, every subcommand's help and the errors of a wrong call."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

#: argparse's own error messages (Python 3.11) → German
ERRORS = [
    (r"the following arguments are required: (.*)", r"diese Angaben fehlen: \1"),
    (r"unrecognized arguments: (.*)", r"unbekannte Angaben: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"Angabe \1: ungültige Wahl \2 (möglich: \3)"),
    (r"argument (.*?): expected one argument", r"Angabe \1: erwartet einen Wert"),
    (r"argument (.*?): expected at least one argument", r"Angabe \1: erwartet mindestens einen Wert"),
    (r"argument (.*?): invalid int value: (.*)", r"Angabe \1: keine ganze Zahl: \2"),
    (r"argument (.*?): invalid float value: (.*)", r"Angabe \1: keine Zahl: \2"),
    (r"argument (.*?): not allowed with argument (.*)", r"Angabe \1: nicht zusammen mit \2"),
    (r"argument (.*?): ignored explicit argument (.*)", r"Angabe \1: Wert \2 wird nicht erwartet"),
    (r"ambiguous option: (.*?) could match (.*)", r"mehrdeutige Option: \1 passt zu \2"),
]


def german_error(message: str) -> str:
    for pattern, replacement in ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class GermanFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "Aufruf: ")


class GermanParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are German; its subcommands' parsers are of the same class."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", GermanFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "diese Hilfe zeigen und beenden"

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "Befehle")
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {german_error(message)}\n")
