"""The LKA's police crime statistics by Tatortgemeinde (PKS nach Tatortgemeinde): the import format.

The Landeskriminalamt keeps the PKS per municipality where the offence was committed, but does not publish
it; the ministry exports it into the template that ``praevention lka template FILE.xlsx`` writes
(:mod:`praevention.lka.template`, described in ``docs/lka-import.md``). One row per Gemeinde, reporting year
and PKS offence key:

======================  ==========  =====================================================================
column                  required    content
======================  ==========  =====================================================================
``AGS``                 yes         8-digit Amtlicher Gemeindeschlüssel of the Tatortgemeinde
``Berichtsjahr``        yes         reporting year of the PKS
``PKS-Schlüssel``       yes         6-character offence key (digits, ``*``), ``------`` for all offences
``Fälle``               yes         recorded cases (erfasste Fälle)
``Versuche``            no          attempts among them
``aufgeklärte Fälle``   no          cleared cases among them
======================  ==========  =====================================================================

Accepted as XLSX (the template; the first sheet holds the data) and as CSV (``;``, UTF-8 or Windows-1252).
Numbers may be written in German notation (``1.234``); each number column's format is decided from all its
values (:func:`praevention.parsing.infer_format`, German by default) and a value that contradicts it is
quarantined. Every row that breaks a rule (key forms, whole non-negative counts, attempts and cleared cases
at most the recorded cases, one row per Gemeinde, year and key) is quarantined with file, line and reason;
the checks of ``crime_gemeinde_cases`` compare the rest with the Gemeindeverzeichnis and the BKA's Kreis
totals.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from praevention import config
from praevention.errors import SourceFormatError
from praevention.parsing import (
    ZERO_MARKS,
    AgsError,
    decode_bytes,
    infer_format,
    marks_note,
    normalize_ags,
    parse_column,
    split_marks,
)
from praevention.readers.base import ReadResult, empty_rejects, reject
from praevention.readers.pks import OFFENCE_KEY, cell_text, fold, read_workbook_rows

SOURCE = "LKA Sachsen-Anhalt, PKS nach Tatortgemeinde"
#: the oldest and newest reporting year a row may state
YEARS = (1990, 2100)


@dataclass(frozen=True)
class Column:
    """One column of the import format: its name in the warehouse, its header in the template, whether
    a row needs it, the help text of the template and the pattern its (folded) header is recognised by."""

    name: str
    header: str
    required: bool
    help: str
    pattern: str


COLUMNS = (
    Column(
        "ags",
        "AGS",
        True,
        "Amtlicher Gemeindeschlüssel der Tatortgemeinde, 8 Ziffern als Text (Magdeburg: 15003000).",
        r"^(ags|amtlicher gemeindeschl|gemeindeschl)",
    ),
    Column("year", "Berichtsjahr", True, "Berichtsjahr der PKS, z. B. 2023.", r"^(berichts)?jahr$"),
    Column(
        "offence_key",
        "PKS-Schlüssel",
        True,
        "Straftatenschlüssel der PKS, 6 Zeichen (Ziffern und *): 899000 Straßenkriminalität, 435*00 "
        "Wohnungseinbruchdiebstahl, ------ Straftaten insgesamt.",
        r"^(pks-? ?)?(straftaten)?schl",
    ),
    Column("cases", "Fälle", True, "Erfasste Fälle (ganze Zahl, 0 wenn keine).", r"^(erfasste )?faelle$"),
    Column("attempts", "Versuche", False, "Davon Versuche (leer, wenn nicht erfasst).", r"^(davon )?versuche"),
    Column(
        "cleared",
        "aufgeklärte Fälle",
        False,
        "Davon aufgeklärte Fälle, höchstens so viele wie Fälle (leer, wenn nicht erfasst).",
        r"^(davon )?aufgeklaerte",
    ),
)
COUNTS = ("cases", "attempts", "cleared")
DTYPES = {
    "year": "int32",
    "ags": "string",
    "offence_key": "string",
    "cases": "Int64",
    "attempts": "Int64",
    "cleared": "Int64",
    "source": "string",
    "source_file": "string",
    "source_line": "int64",
}
TYPES = {
    "year": "INTEGER",
    "ags": "VARCHAR",
    "offence_key": "VARCHAR",
    "cases": "BIGINT",
    "attempts": "BIGINT",
    "cleared": "BIGINT",
    "source": "VARCHAR",
    "source_file": "VARCHAR",
    "source_line": "BIGINT",
}


def header_columns(cells: list[str]) -> dict[int, str] | None:
    """Column position → column name when ``cells`` is a header row of the format (all required columns
    recognised), else None."""
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        text = fold(cell)
        name = next((c.name for c in COLUMNS if text and re.search(c.pattern, text)), None)
        if name is not None and name not in found.values():
            found[i] = name
    required = {c.name for c in COLUMNS if c.required}
    return found if required <= set(found.values()) else None


def is_lka_header(line: str) -> bool:
    """Whether a CSV line is the header of the import format (used by the discovery)."""
    return header_columns(_split(line)[0] if line.strip() else []) is not None


def _split(text: str) -> list[list[str]]:
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(";\t,", key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


#: day 0 of Excel's date serial numbers
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _cell(value: object) -> tuple[str, bool]:
    """A workbook cell as text, and whether it was a date: a number typed into a cell formatted as a date
    (a Berichtsjahr 2019 shown as 11.07.1905) is the date's serial number, which is read back."""
    if isinstance(value, dt.date):
        stamp = dt.datetime.combine(value, dt.time()) if not isinstance(value, dt.datetime) else value
        days = (stamp - EXCEL_EPOCH).total_seconds() / 86_400
        return (str(int(days)) if days == int(days) else repr(days)), True
    return cell_text(value), False


def _rows(path: Path) -> tuple[list[list[str]], int]:
    """The file's rows as text, and how many workbook cells were formatted as dates."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        cells = [[_cell(c) for c in row] for row in read_workbook_rows(path)]
        return [[text for text, _ in row] for row in cells], sum(d for row in cells for _, d in row)
    return _split(decode_bytes(path.read_bytes(), path=str(path)).text), 0


def read_lka_tatortgemeinde(path: str | Path) -> ReadResult:
    """Read one file of the import format into the ``crime_gemeinde_cases`` shape."""
    path = Path(path)
    rows, dates = _rows(path)
    start = next(((i, cols) for i, r in enumerate(rows[:10]) if (cols := header_columns(r))), None)
    if start is None:
        names = ", ".join(c.header for c in COLUMNS if c.required)
        raise SourceFormatError(str(path), f"not the LKA import format: no header row with {names}", line=1)
    header_at, columns = start
    body = [(n, r) for n, r in enumerate(rows[header_at + 1 :], start=header_at + 2) if any(c.strip() for c in r)]
    lines = [n for n, _ in body]
    raw = pd.Series([";".join(r) for _, r in body], dtype=object)
    frame = pd.DataFrame(
        {
            name: pd.Series([r[i].strip() if i < len(r) else "" for _, r in body], dtype="string")
            for i, name in columns.items()
        }
    )
    for c in COLUMNS:
        if c.name not in frame:
            frame[c.name] = pd.Series([""] * len(body), dtype="string")
    reason = pd.Series("", index=frame.index, dtype=object)
    field = pd.Series("", index=frame.index, dtype=object)

    def flag(mask: pd.Series, name: str, why: str | pd.Series) -> None:
        new = mask.fillna(False).astype(bool) & (reason == "")
        reason[new] = why[new] if isinstance(why, pd.Series) else why
        field[new] = name

    ags, ags_errors = [], []
    for value in frame["ags"]:
        try:
            ags.append(normalize_ags(value, 8))
            ags_errors.append("")
        except AgsError as exc:
            ags.append(None)
            ags_errors.append(f"AGS: {exc} (8 digits of a Gemeinde)")
    errors = pd.Series(ags_errors, index=frame.index, dtype=object)
    flag(errors != "", "ags", errors)
    frame["ags"] = pd.Series(ags, dtype="string")
    flag(
        ~frame["offence_key"].str.match(OFFENCE_KEY.pattern),
        "offence_key",
        "PKS key is not 6 characters of digits, '*' or '-'",
    )
    year = pd.to_numeric(frame["year"].str.replace(r"\.0$", "", regex=True), errors="coerce").astype(float)
    flag(
        year.isna() | ~year.between(*YEARS) | (year % 1 != 0),
        "year",
        f"Berichtsjahr is not a year between {YEARS[0]} and {YEARS[1]}",
    )
    land = config.land()
    flag(
        frame["ags"].notna() & ~frame["ags"].fillna("").str.startswith(land),
        "ags",
        f"Gemeinde of another Land: the delivery is for Land {land}",
    )
    marks = {}
    for name in COUNTS:
        texts, marks[name] = split_marks(frame[name].str.replace(r"[\s\u00a0]", "", regex=True).fillna(""))
        texts = texts.where(~marks[name].isin(ZERO_MARKS), "0")  # '–': nothing, an exact zero
        fmt = infer_format(texts[texts != ""], file_decimal=",")
        numbers, contradicts = parse_column(texts, fmt)
        flag(contradicts, name, f"{name} is not a number in the column's format ({fmt.describe()})")
        flag(numbers.notna() & ((numbers < 0) | (numbers % 1 != 0)), name, f"{name} is not a non-negative whole number")
        frame[name] = numbers
    secret = marks["cases"].where(~marks["cases"].isin(ZERO_MARKS), "")
    flag(secret != "", "cases", "cases (Fälle) carries a mark of the official statistics instead of a number")
    flag(frame["cases"].isna(), "cases", "cases (Fälle) is empty")
    flag(frame["attempts"] > frame["cases"], "attempts", "more attempts than recorded cases")
    flag(frame["cleared"] > frame["cases"], "cleared", "more cleared cases than recorded cases")
    frame["year"] = year
    ok = reason == ""  # a row repeats an earlier row that is loaded, not one that is quarantined
    dup = frame[ok].duplicated(["ags", "year", "offence_key"]).reindex(frame.index, fill_value=False)
    flag(dup, "offence_key", "second row for the same Gemeinde, year and PKS key in this file")

    bad = reason != ""
    rejects = [
        reject(path, lines[i], field.iloc[i], raw.iloc[i], reason.iloc[i]) for i in range(len(frame)) if bad.iloc[i]
    ]
    loaded = frame.loc[~bad].assign(
        source=SOURCE, source_file=str(path), source_line=[n for n, b in zip(lines, bad, strict=True) if not b]
    )
    loaded = loaded[list(DTYPES)].astype(DTYPES).reset_index(drop=True)
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    notes = [marks_note({n: m.where(~m.isin(ZERO_MARKS), "") for n, m in marks.items() if n != "cases"})]
    if dates:
        notes.append(
            f"{dates} Zelle(n) als Datum formatiert: gelesen als die Zahl, die Excel darin speichert "
            "(Spalten als Zahl oder Text formatieren)"
        )
    note = "; ".join(n for n in notes if n)
    return ReadResult(str(path), loaded, rej, rows_read=len(frame), rows_loaded=int((~bad).sum()), note=note)
