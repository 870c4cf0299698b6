"""What the register asset calls: find the register files, read and validate them, return typed frames.

:func:`load_register` never raises on the content of a file: every problem is in ``problems`` (as
``register check`` prints them), bad rows are in ``rejects``. Frames:

* ``bodies`` — columns :data:`~praevention.register.schema.BODY_COLUMNS`, ``measures`` — columns
  :data:`~praevention.register.schema.MEASURE_COLUMNS`, always in that order, also when empty.
* dates are ``datetime.date`` (first day of the stated period) or ``None``, next to their precision
  (``day``/``month``/``year``); list columns hold Python lists of str (empty list, never ``None``);
  ``area_radius_m``/``budget_eur`` float64 (NaN when missing); ``evaluable`` bool; ``source_row`` int64;
  everything else str or ``None`` (object dtype).

DuckDB cannot type a column that is empty in every row (it would become INTEGER); write the frames with
:func:`table_writes`, which casts every column to its declared type
(:data:`~praevention.register.schema.BODY_TYPES_SQL`, :data:`~praevention.register.schema.MEASURE_TYPES_SQL`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from praevention.config import DEFAULT_LAND
from praevention.discovery import display_path
from praevention.errors import PipelineError
from praevention.readers.base import NOT_READ, REJECT_COLUMNS
from praevention.register.messages import Problem

REGISTER_SUFFIXES = (".csv", ".xlsx", ".ods")


@dataclass
class RegisterLoad:
    """``bodies``/``measures`` as in ``register_bodies``/``register_measures``; ``rejects`` in the quarantine
    shape (``line`` = row number as the user sees it); ``log`` one dict per file; ``problems`` as
    ``register check`` prints them."""

    bodies: pd.DataFrame
    measures: pd.DataFrame
    rejects: pd.DataFrame
    log: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    examples_skipped: int = 0

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def discover_register_files(raw_dir: Path, explicit: Path | None) -> list[Path]:
    """The explicitly configured register (file or folder) or ``<raw_dir>/councils/*.csv|xlsx|ods``."""
    if explicit is not None:
        explicit = Path(explicit)
        if explicit.is_dir():
            files = sorted(p for p in explicit.iterdir() if p.is_file() and p.suffix.lower() in REGISTER_SUFFIXES)
        elif explicit.is_file():
            files = [explicit]
        else:
            raise PipelineError(f"register {explicit} does not exist (--register / PRAEVENTION_REGISTER)")
        if not files:
            raise PipelineError(f"no register file (.xlsx, .ods, .csv) in {explicit}")
        return files
    folder = Path(raw_dir) / "councils"
    files = (
        sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in REGISTER_SUFFIXES)
        if folder.is_dir()
        else []
    )
    if not files:
        raise PipelineError(
            f"no register found: searched {folder}/*.csv, *.xlsx, *.ods; "
            "pass --register FILE or set PRAEVENTION_REGISTER"
        )
    return files


def load_register(
    paths: list[Path],
    known_ags: set[str] | None = None,
    *,
    land: str = DEFAULT_LAND,
    boundaries: object | None = None,
    context: object | None = None,
) -> RegisterLoad:
    """Read and validate every register file; bad rows are quarantined, good rows typed.

    ``context`` (a :class:`~praevention.register.validate.Context`, see :mod:`praevention.register.reference`)
    holds the known keys, the Land's outline and the municipality directory; ``register check`` and the
    ingest build it from the same data. Without it, ``known_ags`` turns an unknown AGS into an error
    (else only the format is checked) and ``boundaries`` (a :class:`~praevention.register.geo.Boundaries`)
    makes points and areas be checked against the Land's outline instead of its bounding box.
    """
    from praevention.register.read import read_register_file
    from praevention.register.validate import Context, validate

    tables, problems = [], []
    for path in paths:
        found, file_problems = read_register_file(path)
        tables.extend(found)
        problems.extend(file_problems)
    if context is None:
        if known_ags is None and boundaries is not None:
            known_ags = boundaries.known_ags(land)  # type: ignore[attr-defined]
        context = Context(land, known_ags, boundaries)  # type: ignore[arg-type]
    result = validate(tables, context)  # type: ignore[arg-type]
    rejects = pd.DataFrame(result.rejects, columns=REJECT_COLUMNS).astype(object)
    if len(rejects):
        rejects["line"] = rejects["line"].astype("int64")
    log = result.log
    logged = {e["source_file"] for e in log}
    for p in paths:
        if display_path(p) not in logged:  # unreadable, empty or unrecognised: recorded, nothing loaded
            log.append(
                {
                    "source_file": display_path(p),
                    "rows_read": 0,
                    "rows_loaded": 0,
                    "rows_quarantined": 0,
                    "note": NOT_READ
                    + ("; ".join(pr.text("de")[0] for pr in problems if pr.file == p.name) or "keine Registertabelle"),
                }
            )
    order = {display_path(p): i for i, p in enumerate(paths)}
    log.sort(key=lambda e: order.get(e["source_file"], len(order)))
    return RegisterLoad(
        result.bodies,
        result.measures,
        rejects,
        log,
        problems + result.problems,
        sum(t.examples for t in tables),
    )


def not_loaded(result: RegisterLoad) -> list[str]:
    """'file: reason' of every register file from which no table could be read."""
    return [
        f"{e['source_file']}: {e['note'].removeprefix(NOT_READ)}" for e in result.log if e["note"].startswith(NOT_READ)
    ]


def table_writes(result: RegisterLoad) -> list:
    """``TableWrite``s for ``register_bodies`` and ``register_measures`` with every column cast to its type."""
    from praevention.register.schema import BODY_TYPES_SQL, MEASURE_TYPES_SQL
    from praevention.warehouse import TableWrite

    def cast(types: dict[str, str]) -> str:
        return "SELECT " + ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items()) + " FROM {input}"

    return [
        TableWrite("register_bodies", result.bodies, order_by=("body_id",), transform=cast(BODY_TYPES_SQL)),
        TableWrite("register_measures", result.measures, order_by=("measure_id",), transform=cast(MEASURE_TYPES_SQL)),
    ]
