"""Errors that reach the user as one clear line, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourceFormatError(Exception):
    """A raw file that cannot be read at all: unknown layout, wrong encoding, truncated beyond repair.

    The message names the file, and where known the line (1-based, as an editor shows it),
    the column and the offending value.
    """

    path: str
    problem: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + f": {self.problem}"
        if self.value is not None:
            text += f" (value: {self.value[:80]!r})"
        return text


class PipelineError(Exception):
    """A configuration or run problem the user can fix (missing directory, locked warehouse...)."""
