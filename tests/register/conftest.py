"""Helpers for the register tests: register files written from records, and ``register check`` runs.

Every file is generated here; the real register is read from ../shared/data (tests fail when it is missing).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest
from openpyxl import Workbook

from praevention.register.schema import SHEET_NAMES, TABLES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
REAL_BODIES = "councils/praeventionsgremien_sachsen_anhalt.csv"
REAL_MEASURES = "councils/sicherheitspartnerschaften_massnahmen_sachsen_anhalt.csv"
GEMEINDEN = "boundaries/sachsen_anhalt_gemeinden_vg250_2016-01-01.geojson"

BODY = {
    "body_id": "G1",
    "name": "Kriminalpräventiver Rat Musterstadt",
    "body_type": "Präventionsrat",
    "level": "Gemeinde",
    "ags": "15003000",
    "founded": "2019",
    "partners": "Polizei; Schulen",
    "status": "aktiv",
    "source_url": "https://www.example.org/rat",
}
MEASURE = {
    "measure_id": "M1",
    "body_id": "G1",
    "title": "Gemeinsame Streifen",
    "domain": "Kriminalität",
    "target": "899000",
    "start": "01.03.2021",
    "source_url": "https://www.example.org/streifen",
}


@pytest.fixture(scope="session")
def shared_data() -> Path:
    for rel in (REAL_BODIES, REAL_MEASURES, GEMEINDEN):
        if not (SHARED_DATA / rel).is_file():
            pytest.fail(f"real data not found: {SHARED_DATA / rel} (../shared/data must sit beside the project)")
    return SHARED_DATA


def sheet(table: str, records: list[dict], extra: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> list[list]:
    """A header row (German headers of the template, plus ``extra``, minus ``drop``) and one row per record."""
    fields = [f for f in TABLES[table] if f.name not in drop]
    header = [f.header for f in fields] + list(extra)
    rows = [[r.get(f.name) for f in fields] + [r.get(h) for h in extra] for r in records]
    return [header, *rows]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def register_xlsx(
    path: Path, bodies: list[dict], measures: list[dict], extra: tuple[str, ...] = (), drop: tuple[str, ...] = ()
) -> Path:
    return write_xlsx(
        path,
        {
            SHEET_NAMES["bodies"]: sheet("bodies", bodies, extra, drop),
            SHEET_NAMES["measures"]: sheet("measures", measures, extra, drop),
        },
    )


def write_csv(path: Path, rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows([["" if v is None else v for v in r] for r in rows])
    return path


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.ExcelWriter(path, engine="odf") as writer:
            for name, rows in sheets.items():
                pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def run_check(capsys, *args: str) -> tuple[int, str]:
    from pipelines.cli import main

    code = main(["register", "check", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err
