"""The same register as a workbook and as the CSV a spreadsheet saves from it load the same rows, also where
the workbook's cells carry number formats (dates shown as 'Mrz 19', amounts as '15.000 €') or the CSV is
Excel's 'Unicode-Text'; and what ``register check`` promises is what ``praevention ingest`` loads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipelines.cli import main
from praevention.register.load import load_register
from praevention.register.schema import SHEET_NAMES, TABLES
from tests.register.conftest import BODY, MEASURE, run_check, write_csv

GERMAN_MONTHS = ["Jan", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
#: number formats of a date cell and how a German spreadsheet shows (and saves to CSV) such a cell
DATE_FORMATS = {
    "DD.MM.YYYY": lambda d: f"{d:%d.%m.%Y}",
    "D.M.YY": lambda d: f"{d.day}.{d.month}.{d:%y}",
    "MMM YY": lambda d: f"{GERMAN_MONTHS[d.month - 1]} {d:%y}",
    "DD. MMM YY": lambda d: f"{d:%d}. {GERMAN_MONTHS[d.month - 1]} {d:%y}",
    "D-MMM-YY": lambda d: f"{d.day}-{GERMAN_MONTHS[d.month - 1]}-{d:%y}",
    "MMM-YY": lambda d: f"{GERMAN_MONTHS[d.month - 1]}-{d:%y}",
    "MM/YYYY": lambda d: f"{d:%m/%Y}",
    "YYYY": lambda d: f"{d:%Y}",
}
AMOUNT_FORMATS = {
    '#,##0 "€"': lambda v: f"{v:,.0f} €".replace(",", "."),
    "0.00": lambda v: f"{v:.2f}".replace(".", ","),
}


def _workbook(path: Path, rows: dict[str, list[list[object]]], formats: dict[tuple[str, str], str]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for table, table_rows in rows.items():
        ws = wb.create_sheet(SHEET_NAMES[table])
        headers = table_rows[0]
        for row in table_rows:
            ws.append(row)
        for (t, header), number_format in formats.items():
            if t == table:
                for r in range(2, ws.max_row + 1):
                    ws.cell(r, headers.index(header) + 1).number_format = number_format
    wb.save(path)
    return path


def _table(table: str, record: dict) -> list[list[object]]:
    return [[f.header for f in TABLES[table]], [record.get(f.name) for f in TABLES[table]]]


def _header(table: str, name: str) -> str:
    return next(f.header for f in TABLES[table] if f.name == name)


@settings(max_examples=25)
@given(
    st.dates(dt.date(2005, 1, 1), dt.date(2024, 12, 31)),
    st.sampled_from(list(DATE_FORMATS)),
    st.sampled_from(list(DATE_FORMATS)),
    st.integers(100, 250_000),
    st.sampled_from(list(AMOUNT_FORMATS)),
)
def test_a_workbook_and_the_csv_a_spreadsheet_saves_from_it_load_the_same_rows(
    tmp_path_factory, founded: dt.date, body_format: str, start_format: str, budget: int, amount_format: str
) -> None:
    folder = tmp_path_factory.mktemp("formats")
    start = founded + dt.timedelta(days=400)
    body = {**BODY, "founded": founded}
    measure = {**MEASURE, "start": start, "budget_eur": budget}
    rows = {"bodies": _table("bodies", body), "measures": _table("measures", measure)}
    formats = {
        ("bodies", _header("bodies", "founded")): body_format,
        ("measures", _header("measures", "start")): start_format,
        ("measures", _header("measures", "budget_eur")): amount_format,
    }
    book = _workbook(folder / "register.xlsx", rows, formats)

    def shown(table: str, header: str, value: object) -> object:
        number_format = formats.get((table, header))
        if isinstance(value, dt.date):
            return DATE_FORMATS[number_format](value)
        if number_format in AMOUNT_FORMATS and isinstance(value, int | float):
            return AMOUNT_FORMATS[number_format](value)
        return value

    csvs = [
        write_csv(
            folder / f"{SHEET_NAMES[t]}.csv",
            [r[0], [shown(t, h, v) for h, v in zip(r[0], r[1], strict=True)]],
            delimiter=";",
            encoding="cp1252",
        )
        for t, r in rows.items()
    ]
    from_book, from_csv = load_register([book], land="15"), load_register(csvs, land="15")
    assert len(from_book.bodies) == len(from_csv.bodies) == 1, [p.text("de") for p in from_csv.problems]
    for a, b in ((from_book.bodies, from_csv.bodies), (from_book.measures, from_csv.measures)):
        assert a.drop(columns=["source_file", "source_row"]).equals(b.drop(columns=["source_file", "source_row"]))


def test_excels_unicode_text_loads_like_the_csv(tmp_path) -> None:
    from tests.register.conftest import sheet

    plain = [
        write_csv(tmp_path / f"{t}.csv", sheet(t, [r]), delimiter="\t")
        for t, r in (("bodies", BODY), ("measures", MEASURE))
    ]
    unicode_text = []
    for p in plain:
        target = tmp_path / f"utf16_{p.name}"
        target.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))
        unicode_text.append(target)
    a, b = load_register(plain, land="15"), load_register(unicode_text, land="15")
    assert len(b.bodies) == len(b.measures) == 1 and not any(p.is_error for p in b.problems)
    assert a.bodies.drop(columns="source_file").equals(b.bodies.drop(columns="source_file"))


def test_check_promises_what_praevention_ingest_loads(shared_data, tmp_path, capsys, monkeypatch) -> None:
    """Through the CLI on both sides: the check against the raw-data folder, the ingest into a warehouse (the
    Land's boundary and population files are linked in; crime is left out, its blocking check fails)."""
    from tests.register.messy import messy_register, write_xlsx

    raw = tmp_path / "raw"
    for folder in ("boundaries", "population"):
        (raw / folder).mkdir(parents=True)
        for f in (shared_data / folder).rglob("*"):
            if f.is_file() and re.search(r"sachsen_anhalt|_ST\.|pop20", f.name):  # the Land's files: a quick ingest
                target = raw / folder / f.relative_to(shared_data / folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(f)
    (raw / "councils").mkdir()
    register = write_xlsx(raw / "councils" / "register.xlsx", messy_register())
    _, out = run_check(capsys, register, "--raw-dir", raw)
    promised = re.search(r"Ergebnis: (\d+) Gremien und (\d+) Maßnahmen würden übernommen, (\d+) Zeile", out)
    assert promised, out
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    main(["ingest", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb")])
    capsys.readouterr()
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    loaded = con.execute(
        "SELECT (SELECT count(*) FROM register_bodies), (SELECT count(*) FROM register_measures), "
        "(SELECT count(*) FROM quarantine WHERE asset = 'register')"
    ).fetchone()
    assert tuple(map(int, promised.groups())) == loaded
