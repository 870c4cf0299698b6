"""Errors that reach the user as one clear line, never as a traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with control characters (line breaks, escape sequences, bidi overrides) written as ``\\x..``
    escapes: a file name or a cell cannot start a new line of output or repaint the terminal."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


@dataclass
class SourceFormatError(Exception):
    """A raw file that cannot be read at all: unknown layout, wrong encoding, truncated beyond repair.

    The message names the file, and where known the line (1-based, as an editor shows it),
    the column and the offending value, in German: ``datei.csv, Zeile 12, Spalte 'Fälle': … (Wert: '…')``.
    Control characters in any part are shown escaped, so that a file name cannot forge a line of output.
    """

    path: str
    problem: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [printable(self.path)]
        if self.line is not None:
            where.append(f"Zeile {self.line}")
        if self.column is not None:
            where.append(f"Spalte {printable(self.column)!r}")
        text = ", ".join(where) + f": {printable(self.problem)}"
        if self.value is not None:
            text += f" (Wert: {self.value[:80]!r})"
        return text


class PipelineError(Exception):
    """A configuration or run problem the user can fix (missing directory, locked warehouse...)."""
