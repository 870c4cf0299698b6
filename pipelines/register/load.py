"""What the register asset calls: find the register files, read and validate them, return typed frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.errors import PipelineError
from pipelines.readers.base import empty_rejects
from pipelines.register.messages import Problem
from pipelines.register.read import read_register_file
from pipelines.register.validate import validate

REGISTER_SUFFIXES = (".csv", ".xlsx", ".ods")


@dataclass
class RegisterLoad:
    """``bodies`` and ``measures`` as in ``register_bodies`` / ``register_measures`` (dates as ``datetime.date``,
    list columns as Python lists), ``rejects`` in the quarantine shape, ``log`` per file, ``problems`` as
    ``register check`` prints them."""

    bodies: pd.DataFrame
    measures: pd.DataFrame
    rejects: pd.DataFrame
    log: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def discover_register_files(raw_dir: Path, explicit: Path | None) -> list[Path]:
    """The explicitly configured register (file or folder) or ``<raw_dir>/councils/*``."""
    if explicit is not None:
        if explicit.is_dir():
            files = sorted(p for p in explicit.iterdir() if p.suffix.lower() in REGISTER_SUFFIXES)
        elif explicit.is_file():
            files = [explicit]
        else:
            raise PipelineError(f"register {explicit} does not exist (--register / PRAEVENTION_REGISTER)")
        if not files:
            raise PipelineError(f"no register file (.xlsx, .ods, .csv) in {explicit}")
        return files
    folder = raw_dir / "councils"
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in REGISTER_SUFFIXES) if folder.is_dir() else []
    if not files:
        raise PipelineError(
            f"no register found: looked in {folder} (.xlsx, .ods, .csv); pass --register FILE or set PRAEVENTION_REGISTER"
        )
    return files


def load_register(paths: list[Path], known_ags: set[str] | None = None, land: str = "15") -> RegisterLoad:
    """Read and validate every register file; bad rows are quarantined, good rows typed."""
    tables, problems = [], []
    for path in paths:
        found, file_problems = read_register_file(path)
        tables.extend(found)
        problems.extend(file_problems)
    result = validate(tables, land=land, known_ags=known_ags)
    rejects = pd.DataFrame(result.rejects) if result.rejects else empty_rejects()
    log = result.log
    read_files = {t.source_file for t in tables}
    for p in paths:
        if str(p) not in read_files:  # unreadable or empty file: recorded, nothing loaded
            log.append(
                {
                    "source_file": str(p),
                    "rows_read": 0,
                    "rows_loaded": 0,
                    "rows_quarantined": 0,
                    "note": "; ".join(pr.text("en")[0] for pr in problems if pr.sheet == p.name) or "no register table",
                }
            )
    return RegisterLoad(result.bodies, result.measures, rejects, log, problems + result.problems)
