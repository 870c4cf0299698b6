"""The import format of local safety surveys, and its reader.

A council delivers a survey in one of two forms, as a workbook from ``praevention survey template`` (one sheet
per form) or as CSV files (``;``, one form per file); files live in the raw-data folder (``surveys/``) and are
recognised by their header row:

* **Antworten** – one row per respondent and wave: ``AGS``, ``Welle`` (date of the wave), ``Befragten-ID``,
  optionally ``Gewicht`` (the survey's own weight), then one column per item code of the questionnaire
  (``SG01`` …, ``ALTER``, ``GESCHLECHT``, ``ORTSTEIL``) holding the answer codes; an empty cell is no answer.
* **Anteile** – published results: ``AGS``, ``Welle``, ``Frage`` (item code), ``Antwort`` (answer code),
  ``Anteil (%)`` and ``n`` (answers to that question), optionally ``n effektiv`` (the effective sample size
  where the report states it).
* **Ränder** (optional) – the population's structure for weighting: ``AGS``, ``Welle`` (empty: every wave),
  ``Merkmal`` (``ALTER`` or ``GESCHLECHT``), ``Antwort`` and ``Anteil (%)``.

Every row that breaks a rule goes to quarantine with file, line, column and a German reason; nothing is
dropped silently. Columns the format does not know (free text, names, remarks) are never read: the ingest
log names them. Checks across rows: one row per respondent ID and wave (identical repeats are loaded once;
IDs with different answers are all quarantined), the shares of a question add up to 100 % (±
:data:`SUM_TOLERANCE`), one ``n`` per question, complete margins. Checks across files (two files with the
same wave of one AGS) are made when the source loads (:mod:`praevention.survey.load`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from praevention.errors import SourceFormatError
from praevention.parsing import AgsError, NumberFormatError, decode_bytes, normalize_ags, parse_number
from praevention.readers.archive import check_members
from praevention.readers.base import ReadResult, empty_rejects, reject
from praevention.readers.pks import cell_text, fold
from praevention.survey.questionnaire import Questionnaire, questionnaire

RESPONSES, AGGREGATES, MARGINS = "responses", "aggregates", "margins"
#: German name of each form (sheet of the template, word in messages)
FORM_NAMES = {RESPONSES: "Antworten", AGGREGATES: "Anteile", MARGINS: "Ränder"}
#: shares of one question may miss 100 % by this many percentage points (rounding in published reports)
SUM_TOLERANCE = 1.5
EARLIEST_WAVE = dt.date(1990, 1, 1)
RESPONDENT_ID = re.compile(r"^[A-Za-z0-9_.\-/]{1,20}$")
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("januar", "jan"),
            ("februar", "feb"),
            ("maerz", "marz", "mrz", "maer"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ],
        start=1,
    )
    for m in names
}


@dataclass(frozen=True)
class Column:
    """A fixed column of one form: warehouse name, template header, required, help text, header pattern."""

    name: str
    header: str
    required: bool
    help: str
    pattern: str


_AGS = Column(
    "ags",
    "AGS",
    True,
    "Amtlicher Gemeindeschlüssel der befragten Gemeinde, 8 Ziffern als Text (5 für einen Kreis, 2 für das Land).",
    r"^(ags|amtlicher gemeindeschl|gemeindeschl)",
)
_WAVE = Column(
    "wave_date",
    "Welle",
    True,
    "Beginn der Befragung (Datum, Monat oder Jahr: 01.10.2023, 10/2023 oder 2023). Eine Welle je Gemeinde und Datum.",
    r"^(welle|befragungswelle|erhebung|befragungsdatum|befragungsbeginn|datum)",
)
_ANSWER = Column("answer", "Antwort", True, "Antwortcode laut Fragebogen (z. B. 1 = sehr sicher).", r"^(antwort|code)")
_SHARE = Column(
    "share", "Anteil (%)", True, "Anteil dieser Antwort in Prozent (0 bis 100), z. B. 41,3.", r"^(anteil|prozent)"
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    RESPONSES: (
        _AGS,
        _WAVE,
        Column(
            "respondent_id",
            "Befragten-ID",
            True,
            "Laufende Nummer des Fragebogens (Ziffern, Buchstaben, - oder _; höchstens 20 Zeichen), je Welle einmal. "
            "Keine Namen.",
            r"^(befragten|fragebogen|bogen-?nr|lfd)",
        ),
        Column(
            "weight",
            "Gewicht",
            False,
            "Gewicht der Befragung, falls das Institut eines liefert (positive Zahl); sonst leer lassen.",
            r"^gewicht",
        ),
    ),
    AGGREGATES: (
        _AGS,
        _WAVE,
        Column("item", "Frage", True, "Fragecode laut Fragebogen (z. B. SG01).", r"^(frage|item)"),
        _ANSWER,
        _SHARE,
        Column("n", "n", True, "Zahl der Antworten auf diese Frage (ohne 'keine Angabe').", r"^(n|fallzahl|anzahl)$"),
        Column(
            "n_effective",
            "n effektiv",
            False,
            "Effektive Fallzahl, falls der Bericht sie nennt (berücksichtigt die Gewichtung); sonst leer.",
            r"^(n eff|n_eff|effektive)",
        ),
    ),
    MARGINS: (
        _AGS,
        Column(
            "wave_date",
            "Welle",
            False,
            "Welle, für die die Anteile gelten; leer = für alle Wellen dieser Gemeinde.",
            _WAVE.pattern,
        ),
        Column("variable", "Merkmal", True, "ALTER oder GESCHLECHT.", r"^merkmal"),
        _ANSWER,
        Column("share", "Anteil (%)", True, "Anteil in der Bevölkerung ab 16 Jahren in Prozent.", _SHARE.pattern),
    ),
}
#: column → DuckDB type of the three tables (the order is the table's)
TYPES = {
    RESPONSES: {
        "ags": "VARCHAR",
        "wave_date": "DATE",
        "respondent_id": "VARCHAR",
        "item": "VARCHAR",
        "answer": "INTEGER",
        "weight": "DOUBLE",
        "age_group": "INTEGER",
        "gender": "INTEGER",
        "ortsteil": "INTEGER",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
    },
    AGGREGATES: {
        "ags": "VARCHAR",
        "wave_date": "DATE",
        "item": "VARCHAR",
        "answer": "INTEGER",
        "share": "DOUBLE",
        "n": "BIGINT",
        "n_effective": "DOUBLE",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
    },
    MARGINS: {
        "ags": "VARCHAR",
        "wave_date": "DATE",
        "variable": "VARCHAR",
        "category": "INTEGER",
        "share": "DOUBLE",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
    },
}
_PANDAS = {"VARCHAR": "string", "DATE": "object", "INTEGER": "Int64", "BIGINT": "Int64", "DOUBLE": "float64"}
DTYPES = {form: {c: _PANDAS[t] for c, t in types.items()} for form, types in TYPES.items()}
#: the variable of the weighting questions in the tables (``ALTER`` → ``age_group``)
RAKING_VARIABLES = ("ALTER", "GESCHLECHT")


def typed_frame(form: str, records: list[dict] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records or [], columns=list(TYPES[form]))
    return frame.astype({c: t for c, t in DTYPES[form].items() if t != "object"})


# ---------------------------------------------------------------------- header recognition
def header_columns(cells: list[str], q: Questionnaire | None = None) -> tuple[str, dict[int, str]] | None:
    """``(form, position → column)`` when ``cells`` is the header row of one of the forms, else None.

    In the respondent form the item codes of the questionnaire are columns too (``SG01`` …); any other
    column is not read.
    """
    q = q or questionnaire()
    codes = {c.upper(): c for c in q.codes}
    for form in (AGGREGATES, MARGINS, RESPONSES):
        found: dict[int, str] = {}
        for i, cell in enumerate(cells):
            text = fold(cell)
            name = next((c.name for c in COLUMNS[form] if text and re.search(c.pattern, text)), None)
            if name is None and form == RESPONSES:
                name = codes.get(str(cell).strip().upper())
            if name is not None and name not in found.values():
                found[i] = name
        if {c.name for c in COLUMNS[form] if c.required} <= set(found.values()):
            if form == RESPONSES and not set(found.values()) & set(codes.values()):
                continue  # respondents without a single question column: not this format
            return form, found
    return None


def is_survey_header(line: str) -> bool:
    """Whether a CSV line is the header of one of the survey forms (used by the discovery)."""
    return bool(line.strip()) and header_columns(_split(line)[0]) is not None


def has_survey_sheets(path: Path) -> bool:
    """Whether a workbook has a sheet named like a form of the template (Antworten, Anteile, Ränder)."""
    from python_calamine import CalamineWorkbook

    names = {fold(n) for n in FORM_NAMES.values()}
    try:
        with path.open("rb") as fh:
            return bool(names & {fold(n) for n in CalamineWorkbook.from_filelike(fh).sheet_names})
    except Exception:  # a damaged workbook is simply not recognised here; its reader says why
        return False


def _split(text: str) -> list[list[str]]:
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(";\t,", key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(label suffix, rows as text) of every sheet of a workbook, or of the one table of a CSV file."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        from python_calamine import CalamineWorkbook

        if magic.startswith(b"PK"):
            check_members(path)
        try:
            with path.open("rb") as fh:
                book = CalamineWorkbook.from_filelike(fh)
                sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
        except Exception as exc:  # calamine raises its own error types for damaged zips and XML
            raise SourceFormatError(str(path), f"keine lesbare Arbeitsmappe ({type(exc).__name__}: {exc})") from exc
        return [(name, [[_cell(c) for c in row] for row in rows]) for name, rows in sheets]
    return [("", _split(decode_bytes(path.read_bytes(), path=str(path)).text))]


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(None if value == "" else value)


# ---------------------------------------------------------------------- cell parsers
class CellError(ValueError):
    """A cell that breaks a rule of the format; the message is the German reason."""


def parse_wave(text: str, today: dt.date | None = None) -> dt.date:
    """The first day of a wave written as a date, a month or a year: ``01.10.2023``, ``2023-10-01``,
    ``10/2023``, ``2023-10``, ``Oktober 2023`` or ``2023``."""
    s = " ".join(str(text).split())
    patterns = (
        (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", lambda m: (int(m[3]), int(m[2]), int(m[1]))),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: (int(m[1]), int(m[2]), int(m[3]))),
        (r"(\d{1,2})[/.](\d{4})", lambda m: (int(m[2]), int(m[1]), 1)),
        (r"(\d{4})-(\d{1,2})", lambda m: (int(m[1]), int(m[2]), 1)),
        (r"([A-Za-zÄÖÜäöü]+)\.? (\d{4})", lambda m: (int(m[2]), MONTHS.get(fold(m[1])), 1)),
        (r"(\d{4})", lambda m: (int(m[1]), 1, 1)),
    )
    for pattern, parts in patterns:
        m = re.fullmatch(pattern, s)
        if m is None:
            continue
        year, month, day = parts(m)
        try:
            if month is None:
                raise ValueError
            value = dt.date(year, month, day)
        except ValueError:
            break
        limit = today or dt.date.today()
        if value < EARLIEST_WAVE or value > limit:
            raise CellError(f"Welle {value:%d.%m.%Y} liegt nicht zwischen 1990 und heute")
        return value
    raise CellError(f"Welle '{s}' ist kein Datum (z. B. 01.10.2023, 10/2023 oder 2023)")


def parse_ags(text: str) -> str:
    digits = str(text).strip()
    length = 8 if len(digits) >= 7 else 5 if len(digits) >= 4 else 2
    try:
        return normalize_ags(digits, length)
    except AgsError:
        raise CellError(
            f"AGS '{digits}' ist kein Gemeindeschlüssel (8 Ziffern einer Gemeinde, 5 eines Kreises, 2 des Landes)"
        ) from None


def parse_code(text: str, label: str, valid: dict[int, str] | None, max_code: int | None = None) -> int | None:
    """An answer code, or None for an empty cell; a code outside the scale is an error."""
    s = str(text).strip()
    if s == "":
        return None
    try:
        value = parse_number(s, decimal=",")
    except NumberFormatError:
        value = None
    allowed = f"{min(valid)}–{max(valid)} ({', '.join(valid.values())})" if valid else f"1–{max_code}"
    if (
        value is None
        or value % 1 != 0
        or (valid and int(value) not in valid)
        or (not valid and not 1 <= value <= (max_code or 999))
    ):
        raise CellError(f"{label}: Antwort '{s}' liegt außerhalb der Skala {allowed}")
    return int(value)


def parse_positive(text: str, label: str, *, whole: bool = False) -> float:
    s = str(text).strip()
    try:
        value = parse_number(s, decimal=",")
    except NumberFormatError:
        value = None
    if value is None or value <= 0 or (whole and value % 1 != 0):
        kind = "ganze Zahl größer 0" if whole else "positive Zahl"
        raise CellError(f"{label} '{s}' ist keine {kind}" if s else f"{label} fehlt")
    return float(value)


def parse_percent(text: str) -> float:
    """A share in percent (``41,3``, ``41.3 %``) as a fraction."""
    s = str(text).strip().removesuffix("%").strip()
    try:
        value = parse_number(s, decimal=",")
    except NumberFormatError:
        value = None
    if value is None or not 0 <= value <= 100:
        raise CellError(f"Anteil '{text}' ist keine Zahl zwischen 0 und 100 (Prozent)" if s else "Anteil fehlt")
    return value / 100


# ---------------------------------------------------------------------- reading
@dataclass
class Table:
    """The body of one form in one file: the lines (1-based as the user sees them) and their cells by column."""

    label: str
    form: str
    lines: list[int]
    raw: list[str]
    cells: list[dict[str, str]]
    ignored: list[str]


def read_tables(path: str | Path, q: Questionnaire | None = None) -> list[Table]:
    """Every table of one file in a survey form (a workbook may hold all three); a file without any is an error."""
    path = Path(path)
    q = q or questionnaire()
    tables = []
    for sheet, rows in _sheets(path):
        start = next(((i, cols) for i, r in enumerate(rows[:10]) if (cols := header_columns(r, q))), None)
        if start is None:
            continue
        header_at, (form, columns) = start
        header = rows[header_at]
        body = [(n, r) for n, r in enumerate(rows[header_at + 1 :], start=header_at + 2) if any(c.strip() for c in r)]
        label = f"{path}!{sheet}" if sheet else str(path)
        cells = [{name: (r[i].strip() if i < len(r) else "") for i, name in columns.items()} for _, r in body]
        tables.append(
            Table(
                label=label,
                form=form,
                lines=[n for n, _ in body],
                # the quarantine keeps the cells of the columns read, never those of a free-text column
                raw=[";".join(c.values()) for c in cells],
                cells=cells,
                ignored=[h.strip() for i, h in enumerate(header) if i not in columns and h.strip()],
            )
        )
    if not tables:
        raise SourceFormatError(
            str(path),
            "kein Umfrageformat: keine Kopfzeile mit AGS, Welle und Befragten-ID und Fragecodes (Antworten), "
            "mit AGS, Welle, Frage, Antwort, Anteil (%) und n (Anteile) oder mit AGS, Merkmal, Antwort und Anteil (%) "
            "(Ränder)",
            line=1,
        )
    return tables


def read_survey(path: str | Path, today: dt.date | None = None) -> list[ReadResult]:
    """Read one survey file into one :class:`ReadResult` per table, its ``form`` in ``ReadResult.note``'s
    first word (``responses``, ``aggregates``, ``margins``) and the ignored columns after it."""
    q = questionnaire()
    out = []
    for table in read_tables(path, q):
        reader = {RESPONSES: _responses, AGGREGATES: _aggregates, MARGINS: _margins}[table.form]
        frame, reasons = reader(table, q, today)
        rejects = [
            reject(table.label, table.lines[i], field, table.raw[i], why) for i, (field, why) in sorted(reasons.items())
        ]
        note = table.form + (f"; Spalten nicht gelesen: {', '.join(table.ignored)}" if table.ignored else "")
        out.append(
            ReadResult(
                table.label,
                frame,
                pd.DataFrame(rejects) if rejects else empty_rejects(),
                rows_read=len(table.lines),
                rows_loaded=len(table.lines) - len(rejects),
                note=note,
            )
        )
    return out


def form_of(result: ReadResult) -> str:
    return result.note.split(";")[0]


def _common(table: Table, i: int, today: dt.date | None, *, wave_required: bool = True) -> tuple[str, dt.date | None]:
    cells = table.cells[i]
    ags = parse_ags(cells.get("ags", ""))
    text = cells.get("wave_date", "")
    if not text and not wave_required:
        return ags, None
    try:
        return ags, parse_wave(text, today)
    except CellError as exc:
        raise WaveError(str(exc)) from None


class WaveError(CellError):
    """A wave date that breaks the rules (reported on the column Welle)."""


def _responses(
    table: Table, q: Questionnaire, today: dt.date | None
) -> tuple[pd.DataFrame, dict[int, tuple[str, str]]]:
    reasons: dict[int, tuple[str, str]] = {}
    parsed: list[dict] = []
    # a weight column left empty (as in the template) means no weights; partly filled, every row needs one
    weights = any(c.get("weight") for c in table.cells)
    for i, cells in enumerate(table.cells):
        try:
            field = "ags"
            ags, wave = _common(table, i, today)
            field = "respondent_id"
            rid = cells.get("respondent_id", "")
            if not rid:
                raise CellError("Befragten-ID fehlt")
            if not RESPONDENT_ID.match(rid):
                raise CellError(
                    f"Befragten-ID '{rid[:30]}' ist keine Kennung (Ziffern, Buchstaben, '-' oder '_', höchstens 20 Zeichen)"
                )
            field = "weight"
            weight = parse_positive(cells["weight"], "Gewicht") if weights else None
            answers, demo = {}, {}
            for code, text in cells.items():
                field = code
                item = q.item(code)
                if item is not None:
                    answers[code] = parse_code(text, code, item.scale)
                elif (w := q.weighting_question(code)) is not None:
                    demo[w.variable] = parse_code(text, code, w.scale or None, w.max_code)
            field = "item"
            if not any(v is not None for v in answers.values()):
                raise CellError("keine Antwort auf eine der Fragen")
        except CellError as exc:
            reasons[i] = ("wave_date" if isinstance(exc, WaveError) else field, str(exc))
            continue
        parsed.append(
            {"i": i, "ags": ags, "wave_date": wave, "respondent_id": rid, "weight": weight, **demo, "answers": answers}
        )
    _duplicate_respondents(parsed, table, reasons)
    records = [
        {
            "ags": p["ags"],
            "wave_date": p["wave_date"],
            "respondent_id": p["respondent_id"],
            "item": code,
            "answer": answer,
            "weight": p["weight"],
            "age_group": p.get("age_group"),
            "gender": p.get("gender"),
            "ortsteil": p.get("ortsteil"),
            "source_file": table.label,
            "source_line": table.lines[p["i"]],
        }
        for p in parsed
        if p["i"] not in reasons
        for code, answer in p["answers"].items()
        if answer is not None
    ]
    return typed_frame(RESPONSES, records), reasons


def _duplicate_respondents(parsed: list[dict], table: Table, reasons: dict[int, tuple[str, str]]) -> None:
    """One row per respondent ID and wave: an exact repeat (a row pasted twice) is quarantined as such; an ID
    with different answers is quarantined in every row, since which one is right cannot be told."""
    groups: dict[tuple, list[dict]] = {}
    for p in parsed:
        groups.setdefault((p["ags"], p["wave_date"], p["respondent_id"]), []).append(p)
    for (_, _, rid), rows in groups.items():
        if len(rows) < 2:
            continue
        lines = ", ".join(str(table.lines[r["i"]]) for r in rows)
        content = [table.raw[r["i"]] for r in rows]
        if len(set(content)) == 1:
            for r in rows[1:]:
                reasons[r["i"]] = (
                    "respondent_id",
                    f"Befragten-ID {rid}: Zeile wiederholt Zeile {table.lines[rows[0]['i']]} (doppelt eingefügt)",
                )
        else:
            for r in rows:
                reasons[r["i"]] = (
                    "respondent_id",
                    f"Befragten-ID {rid} kommt in dieser Welle mehrfach mit verschiedenen Antworten vor (Zeilen {lines})",
                )


def _aggregates(
    table: Table, q: Questionnaire, today: dt.date | None
) -> tuple[pd.DataFrame, dict[int, tuple[str, str]]]:
    reasons: dict[int, tuple[str, str]] = {}
    parsed: list[dict] = []
    has_eff = any("n_effective" in c for c in table.cells[:1])
    for i, cells in enumerate(table.cells):
        try:
            field = "ags"
            ags, wave = _common(table, i, today)
            field = "item"
            code = cells.get("item", "").strip().upper()
            item = q.item(code)
            if item is None:
                raise CellError(
                    f"Frage '{code}' gibt es im Fragebogen nicht (Fragen: {', '.join(i.code for i in q.items)})"
                )
            field = "answer"
            answer = parse_code(cells.get("answer", ""), code, item.scale)
            if answer is None:
                raise CellError(f"{code}: Antwortcode fehlt")
            field = "share"
            share = parse_percent(cells.get("share", ""))
            field = "n"
            if not cells.get("n", "").strip():
                raise CellError("n fehlt: ohne die Zahl der Antworten ist kein Intervall möglich")
            n = int(parse_positive(cells["n"], "n", whole=True))
            field = "n_effective"
            n_eff = parse_positive(cells["n_effective"], "n effektiv") if has_eff and cells.get("n_effective") else None
            if n_eff is not None and n_eff > n:
                raise CellError(f"n effektiv ({cells['n_effective']}) ist größer als n ({n})")
        except CellError as exc:
            reasons[i] = ("wave_date" if isinstance(exc, WaveError) else field, str(exc))
            continue
        parsed.append(
            {
                "i": i,
                "ags": ags,
                "wave_date": wave,
                "item": code,
                "answer": answer,
                "share": share,
                "n": n,
                "n_effective": n_eff,
            }
        )
    _check_groups(parsed, table, reasons, ["ags", "wave_date", "item"], "answer", complete=None, q=q)
    records = [
        {**{k: v for k, v in p.items() if k != "i"}, "source_file": table.label, "source_line": table.lines[p["i"]]}
        for p in parsed
        if p["i"] not in reasons
    ]
    return typed_frame(AGGREGATES, records), reasons


def _margins(table: Table, q: Questionnaire, today: dt.date | None) -> tuple[pd.DataFrame, dict[int, tuple[str, str]]]:
    reasons: dict[int, tuple[str, str]] = {}
    parsed: list[dict] = []
    for i, cells in enumerate(table.cells):
        try:
            field = "ags"
            ags, wave = _common(table, i, today, wave_required=False)
            field = "variable"
            variable = cells.get("variable", "").strip().upper()
            w = q.weighting_question(variable)
            if w is None or variable not in RAKING_VARIABLES:
                raise CellError(f"Merkmal '{variable}' ist kein Gewichtungsmerkmal ({', '.join(RAKING_VARIABLES)})")
            field = "answer"
            category = parse_code(cells.get("answer", ""), variable, w.scale)
            if category is None:
                raise CellError(f"{variable}: Antwortcode fehlt")
            field = "share"
            share = parse_percent(cells.get("share", ""))
        except CellError as exc:
            reasons[i] = ("wave_date" if isinstance(exc, WaveError) else field, str(exc))
            continue
        parsed.append(
            {"i": i, "ags": ags, "wave_date": wave, "variable": variable, "category": category, "share": share}
        )
    _check_groups(parsed, table, reasons, ["ags", "wave_date", "variable"], "category", complete=True, q=q)
    records = [
        {**{k: v for k, v in p.items() if k != "i"}, "source_file": table.label, "source_line": table.lines[p["i"]]}
        for p in parsed
        if p["i"] not in reasons
    ]
    return typed_frame(MARGINS, records), reasons


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _check_groups(
    parsed: list[dict],
    table: Table,
    reasons: dict[int, tuple[str, str]],
    keys: list[str],
    code: str,
    *,
    complete: bool | None,
    q: Questionnaire,
) -> None:
    """Within each question (or margin): one row per code, one n, shares that add up to 100 %.

    Published results may leave answers out (only the share of 'unsicher' …): then the shares given must
    not exceed 100 %. With ``complete`` (margins) every category must be given."""
    groups: dict[tuple, list[dict]] = {}
    for p in parsed:
        groups.setdefault(tuple(p[k] for k in keys), []).append(p)
    for key, rows in groups.items():
        name = key[-1]
        when = f" (Welle {key[1]:%d.%m.%Y})" if key[1] is not None else ""
        seen: dict[int, dict] = {}
        for r in rows:
            if r[code] in seen:
                reasons[r["i"]] = (
                    "answer",
                    f"{name}: zweite Zeile für Antwort {r[code]}{when} (erste in Zeile {table.lines[seen[r[code]]['i']]})",
                )
            else:
                seen[r[code]] = r
        rest = [r for r in rows if r["i"] not in reasons]
        why = None
        ns = sorted({r["n"] for r in rest}) if rest and "n" in rest[0] else []
        total = sum(r["share"] for r in rest) * 100
        scale = (q.item(name) or q.weighting_question(name)).scale
        # the official statistics know two genders: 'divers' may be left out of the margins
        required = set(scale) - ({3} if name == "GESCHLECHT" and complete else set())
        given_all = {r[code] for r in rest} >= required
        if len(ns) > 1:
            why = f"{name}{when}: n unterscheidet sich zwischen den Antworten ({', '.join(map(str, ns))})"
        elif (given_all or complete) and abs(total - 100) > SUM_TOLERANCE:
            why = f"Anteile von {name}{when} ergeben {_pct(total)} % statt 100 %"
        elif total > 100 + SUM_TOLERANCE:
            why = f"Anteile von {name}{when} ergeben mehr als 100 % ({_pct(total)} %)"
        elif complete and not given_all:
            missing = sorted(required - {r[code] for r in rest})
            why = f"{name}{when}: Anteile fehlen für {', '.join(scale[m] for m in missing)}"
        if why:
            for r in rest:
                reasons[r["i"]] = ("share", why)
