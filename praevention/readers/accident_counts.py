"""Aggregated road-accident statistics into one long table, ``accident_counts``.

Sources (all dl-de/by-2-0):

* **Regionalstatistik 46241-01-03-4 / -5** (Statistische Ämter des Bundes und der Länder,
  regionalstatistik.de): Kreise 1995–2015 (year column, descending) and Gemeinden 2015 (year on its
  own preamble line). GENESIS "downloader" CSV: ``;``, preamble, two header lines, indented names,
  ``-`` = nothing (0), ``.`` = unknown or secret, footnotes and licence after a ``__________`` line.
* **GENESIS-Online 46241-0020 … -0024** (Destatis): Länder by year or month; UTF-8 with BOM, a title
  block, a year header row (monthly tables add a month-name row), German labels instead of codes,
  ``-`` = nothing, and ``-`` also for months not yet published (those are skipped, not zeros).
* **INKAR 2023** (BBSR): Verunglückte je 100.000 Einwohner per Kreis and Gemeinde, and the counts
  recovered from it (derived CSVs; see PROVENANCE-geo-accidents.md §5.3).

Measures with different definitions get different names and are never summed together:
Regionalstatistik's "Unfälle (insgesamt)" excludes the "übrige Sachschadensunfälle" and is
``unfaelle_ohne_uebrige_sachschaden``; GENESIS's "Insgesamt" is ``unfaelle_polizeilich_erfasst``.
The "berauschende Mittel" series changed its definition in 2008 and is split accordingly.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from praevention.errors import SourceFormatError
from praevention.parsing import SUPPRESSION_MARKS, ZERO_MARKS, NumberFormatError, decode_bytes, parse_number
from praevention.readers.base import ReadResult, empty_rejects, reject

DTYPES = {
    "source": "string",
    "level": "string",
    "ags": "string",
    "year": "int32",
    "month": "Int32",
    "measure": "string",
    "breakdown": "string",
    "value": "float64",
    "flag": "string",
    "source_file": "string",
    "source_line": "int64",
    "unit_name": "string",
}
OUTPUT_COLUMNS = list(DTYPES)
#: the columns of a reader's records (the unit's name is added by :func:`_result`)
RECORD_COLUMNS = [c for c in OUTPUT_COLUMNS if c != "unit_name"]

SOURCE_GENESIS = "GENESIS-Online 46241"
SOURCE_INKAR = "INKAR 2023 (BBSR)"

REGIO_MEASURES = {
    "unfaelle (insgesamt)": "unfaelle_ohne_uebrige_sachschaden",
    "unfaelle mit personenschaden": "unfaelle_personenschaden",
    "schwerwiegende unfaelle mit sachschaden i. e. s.": "unfaelle_schwerw_sachschaden",
    "sons.sachschadensunf.unter d.einfl.berausch.mittel": "unfaelle_sachschaden_berauscht",
    "getoetete personen": "getoetete",
    "verletzte personen": "verletzte",
}
GENESIS_CATEGORY = {
    "unfaelle mit personenschaden": "unfaelle_personenschaden",
    "schwerwiegende unfaelle mit sachschaden i.e.s": "unfaelle_schwerw_sachschaden",
    "sonst. unfaelle unter dem einfluss berausch. mittel": "unfaelle_sachschaden_berauscht",
    "uebrige sachschadensunfaelle": "unfaelle_uebrige_sachschaden",
    "insgesamt": "unfaelle_polizeilich_erfasst",
}
GENESIS_SEVERITY = {
    "getoetete": "getoetete",
    "schwerverletzte": "schwerverletzte",
    "leichtverletzte": "leichtverletzte",
    "insgesamt": "verunglueckte",
}
# GENESIS table -> names of its two label columns after the Land
GENESIS_DIMS = {
    "46241-0020": ("category", "ortslage"),
    "46241-0021": ("category", "ortslage"),
    "46241-0022": ("strassenklasse", "ortslage"),
    "46241-0023": ("ortslage", "severity"),
    "46241-0024": ("ortslage", "severity"),
}
LAENDER = {
    "schleswig-holstein": "01",
    "hamburg": "02",
    "niedersachsen": "03",
    "bremen": "04",
    "nordrhein-westfalen": "05",
    "hessen": "06",
    "rheinland-pfalz": "07",
    "baden-wuerttemberg": "08",
    "bayern": "09",
    "saarland": "10",
    "berlin": "11",
    "brandenburg": "12",
    "mecklenburg-vorpommern": "13",
    "sachsen": "14",
    "sachsen-anhalt": "15",
    "thueringen": "16",
    "deutschland": "DG",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januar",
            "februar",
            "maerz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ],
        start=1,
    )
}


def fold(text: str) -> str:
    s = str(text).strip().lower()
    return s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _lines(path: Path) -> list[str]:
    text = decode_bytes(path.read_bytes(), path=str(path)).text
    if not text.strip():
        raise SourceFormatError(str(path), "empty file")
    return text.splitlines()


def _cells(line: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=";"))


def _value(text: str) -> tuple[float | None, str | None]:
    """Published cell → (value, flag): ``-`` is an exact zero, ``.`` unknown or secret."""
    t = text.strip()
    if t in ZERO_MARKS:
        return 0.0, "-"
    if t in SUPPRESSION_MARKS:
        return None, t
    if not t:  # the statistics write '-' or '.', never nothing: an empty cell is a shifted or damaged row
        raise NumberFormatError("empty cell where the table writes a number, '-' or '.': a shifted or damaged row")
    v = parse_number(t, decimal=",")
    if v < 0:
        raise NumberFormatError(f"negative count: {text!r}")
    return v, None


def regio_level(code: str) -> tuple[str, str]:
    """(level, AGS) for a Regionalschlüssel of the Regionaldatenbank."""
    if code == "DG":
        return "Bund", "DG"
    n = len(code)
    if n == 2:
        return "Land", code
    if n == 3:
        return "Region", code
    if n == 5:
        return "Kreis", code
    if n == 8:
        return "Gemeinde", code
    if n == 11:
        return "Gemeinde", code[:5] + code[8:]
    if n in (7, 9, 10):
        return "Gemeindeverband", code
    raise ValueError(f"unknown Regionalschlüssel length {n}: {code!r}")


def read_regionalstatistik(path: str | Path) -> ReadResult:
    """Regionalstatistik 46241-01-03-4 (Kreise, years as a column) or -5 (one year, Gemeinden)."""
    path = Path(path)
    lines = _lines(path)
    if not re.search(r"46241-01-0[34]-[45]", lines[0]):
        raise SourceFormatError(str(path), "not a Regionalstatistik 46241-01-03/-04 table", line=1, value=lines[0])
    header_idx = next((i for i, line in enumerate(lines[:12]) if "Unfälle mit Personenschaden" in line), None)
    if header_idx is None:
        raise SourceFormatError(str(path), "no header line with the measures found in the first 12 lines")
    header = _cells(lines[header_idx])
    first_measure = next(i for i, h in enumerate(header) if h.strip())
    measures = []
    for h in header[first_measure:]:
        key = fold(h)
        if key not in REGIO_MEASURES:
            raise SourceFormatError(str(path), "unknown measure column", line=header_idx + 1, column=h)
        measures.append(REGIO_MEASURES[key])
    table = re.search(r"46241-01-0[34]-[45]", lines[0]).group(0)
    year_col = first_measure == 3  # -4: year;code;name;…  -5: code;name;…
    fixed_year = None
    if not year_col:
        for line in lines[:header_idx]:
            m = re.match(r"^((?:19|20)\d\d);", line)
            if m:
                fixed_year = int(m.group(1))
        if fixed_year is None:
            raise SourceFormatError(str(path), "one-year table without a year line in the preamble")
    rows: dict[tuple[str, str, int], tuple[int, str, list[tuple[float | None, str | None]]]] = {}
    names: dict[tuple[str, str], str] = {}  # the unit's name as the table gives it ("Gernrode, Harz")
    rejects = []
    n_rows = 0
    for no, line in enumerate(lines[header_idx + 2 :], start=header_idx + 3):
        if line.startswith("__________"):
            break
        if not line.strip():
            continue
        n_rows += 1
        cells = _cells(line)
        expected = first_measure + len(measures)
        if len(cells) != expected:
            rejects.append(reject(path, no, None, line, f"line has {len(cells)} fields, expected {expected}"))
            continue
        try:
            year = int(cells[0]) if year_col else fixed_year
            code = cells[first_measure - 2].strip()
            level, ags = regio_level(code)
            values = [_value(c) for c in cells[first_measure:]]
        except (ValueError, NumberFormatError) as exc:
            rejects.append(reject(path, no, None, line, str(exc)))
            continue
        if not 1990 <= year <= 2035:
            rejects.append(reject(path, no, "year", line, f"implausible year {year}"))
            continue
        key = (level, ags, year)
        if key in rows:
            # a Gemeinde listed twice (under its former and its current Gemeindeverband, 11-digit codes):
            # keep the listing with figures, quarantine the empty one
            prev_no, prev_line, prev_values = rows[key]
            empty_now = all(f == "-" for _, f in values)
            if empty_now:
                rejects.append(
                    reject(path, no, "code", line, f"same unit as line {prev_no}, listed again without figures")
                )
                continue
            if all(f == "-" for _, f in prev_values):
                rejects.append(
                    reject(path, prev_no, "code", prev_line, f"same unit as line {no}, listed again without figures")
                )
            else:
                rejects.append(
                    reject(path, no, "code", line, f"duplicate of line {prev_no} for the same unit and year")
                )
                continue
        rows[key] = (no, line, values)
        names[(level, ags)] = cells[first_measure - 1].strip()
    records = []
    for (level, ags, year), (no, _, values) in rows.items():
        for measure, (value, flag) in zip(measures, values, strict=True):
            if measure == "unfaelle_sachschaden_berauscht" and year <= 2007:
                measure = "unfaelle_sachschaden_alkohol_bis_2007"
            records.append(
                (f"Regionalstatistik {table}", level, ags, year, None, measure, "", value, flag, str(path), no)
            )
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    frame["unit_name"] = [names.get((lvl, a)) for lvl, a in zip(frame["level"], frame["ags"], strict=True)]
    return _result(path, frame, rejects, n_rows, "one row per unit and year; each holds six measures")


def read_genesis(path: str | Path) -> ReadResult:
    """GENESIS-Online 46241-0020 … -0024 (Länder; yearly or monthly)."""
    path = Path(path)
    lines = _lines(path)
    m = re.match(r"^Tabelle:\s*(46241-00\d\d)", lines[0].strip())
    if not m or m.group(1) not in GENESIS_DIMS:
        raise SourceFormatError(str(path), "not a GENESIS 46241-0020…0024 table", line=1, value=lines[0])
    table = m.group(1)
    dims = GENESIS_DIMS[table]
    year_idx = next((i for i, line in enumerate(lines[:10]) if re.match(r"^;;;(19|20)\d\d;", line)), None)
    if year_idx is None:
        raise SourceFormatError(str(path), "no year header row (';;;2015;…') in the first 10 lines")
    years = [int(c) for c in _cells(lines[year_idx])[3:]]
    months: list[int | None] = [None] * len(years)
    data_start = year_idx + 1
    if lines[data_start].startswith(";;;"):
        month_cells = _cells(lines[data_start])[3:]
        try:
            months = [MONTHS[fold(c)] for c in month_cells]
        except KeyError as exc:
            raise SourceFormatError(str(path), f"unknown month name {exc}", line=data_start + 1) from None
        data_start += 1
    parsed, rejects = [], []
    n_rows = 0
    for no, line in enumerate(lines[data_start:], start=data_start + 1):
        if line.startswith("__________"):
            break
        if not line.strip():
            continue
        n_rows += 1
        cells = _cells(line)
        if len(cells) != 3 + len(years):
            rejects.append(reject(path, no, None, line, f"line has {len(cells)} fields, expected {3 + len(years)}"))
            continue
        land = LAENDER.get(fold(cells[0]))
        if land is None:
            rejects.append(reject(path, no, "Land", line, f"unknown Land name {cells[0]!r}"))
            continue
        labels = dict(zip(dims, (fold(cells[1]), fold(cells[2])), strict=True))
        if "category" in labels:
            measure = GENESIS_CATEGORY.get(labels["category"])
        elif "severity" in labels:
            measure = GENESIS_SEVERITY.get(labels["severity"])
        else:
            measure = "unfaelle_personenschaden"
        if measure is None:
            rejects.append(reject(path, no, None, line, f"unknown category {cells[1]!r} / {cells[2]!r}"))
            continue
        parts = [
            f"{d}={cells[i + 1].strip()}"
            for i, d in enumerate(dims)
            if d not in ("category", "severity") and labels[d] != "insgesamt"
        ]
        try:
            values = [_value(c) for c in cells[3:]]
        except NumberFormatError as exc:
            rejects.append(reject(path, no, None, line, str(exc)))
            continue
        parsed.append((no, land, measure, ";".join(parts), values))
    # in monthly tables '-' also marks months not yet published: every column after the last one
    # in which any row holds a figure is skipped (a '-' before it is a published zero)
    last_published = max((i for *_, values in parsed for i, (_, flag) in enumerate(values) if flag != "-"), default=-1)
    records = []
    for no, land, measure, breakdown, values in parsed:
        for i, ((value, flag), year, month) in enumerate(zip(values, years, months, strict=True)):
            if month is not None and i > last_published:
                continue
            records.append(
                (
                    SOURCE_GENESIS + f" {table}",
                    "Land",
                    land,
                    year,
                    month,
                    measure,
                    breakdown,
                    value,
                    flag,
                    str(path),
                    no,
                )
            )
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    return _result(path, frame, rejects, n_rows, "one row per Land and label combination")


def read_inkar(path: str | Path) -> ReadResult:
    """INKAR 2023 Verunglückte (derived CSV per Kreis or Gemeinde; rate and recovered count)."""
    path = Path(path)
    try:
        raw = pd.read_csv(io.StringIO(decode_bytes(path.read_bytes(), path=str(path)).text), dtype=str)
    except pd.errors.EmptyDataError:
        raise SourceFormatError(str(path), "empty file") from None
    key = "ags" if "ags" in raw.columns else "kreis_ags"
    needed = {key, "year", "verunglueckte_je_100000_ew", "verunglueckte_count_derived"}
    if not needed <= set(raw.columns):
        raise SourceFormatError(
            str(path), f"not an INKAR Verunglückte table: columns {sorted(needed - set(raw.columns))} missing"
        )
    level = "Gemeinde" if key == "ags" else "Kreis"
    width = 8 if level == "Gemeinde" else 5
    records, rejects = [], []
    for i, row in raw.iterrows():
        no = int(i) + 2
        ags = str(row[key]).strip()
        try:
            if not (ags.isdigit() and len(ags) == width):
                raise ValueError(f"{key} is not a {width}-digit key: {ags!r}")
            year = int(row["year"])
            rate = parse_number(row["verunglueckte_je_100000_ew"], decimal=".")
            count = parse_number(row["verunglueckte_count_derived"], decimal=".")
        except (ValueError, NumberFormatError) as exc:
            rejects.append(reject(path, no, None, ",".join(map(str, row.tolist())), str(exc)))
            continue
        records.append(
            (SOURCE_INKAR, level, ags, year, None, "verunglueckte_je_100000_ew", "", rate, None, str(path), no)
        )
        records.append((SOURCE_INKAR, level, ags, year, None, "verunglueckte", "", count, "derived", str(path), no))
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    return _result(path, frame, rejects, len(raw), "one row per unit; rate and recovered count")


def _result(path: Path, frame: pd.DataFrame, rejects: list[dict], n_rows: int, unit: str) -> ReadResult:
    """Rows here are the published table rows; each loaded row becomes several measure rows."""
    frame["year"] = frame["year"].astype("int32")
    frame["month"] = frame["month"].astype("Int32")
    frame["value"] = frame["value"].astype("float64")
    if "unit_name" not in frame:
        frame["unit_name"] = None
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    return ReadResult(str(path), frame, rej, rows_read=n_rows, rows_loaded=n_rows - len(rej), note=unit)
