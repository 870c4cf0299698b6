"""Dates as registers hold them: typed as text, with the precision the source gives.

=====================================================  =========  ==========================
Input                                                  precision  stored date
=====================================================  =========  ==========================
``2021``, ``seit 2021``                                year       2021-01-01
``ca. 1997`` / ``um 1997`` / ``etwa 1997``             year       1997-01-01, approximate
``03/2021``, ``3.2021``, ``2021-03``, ``März 2021``,   month      2021-03-01
``Mar 2021``, ``Maerz 2021``, ``Mrz 21``, ``Mrz-21``
``01.03.2021``, ``1.3.2021``, ``01.03.21``,            day        2021-03-01
``2021-03-01``, ``1. März 2021``, ``01. Mrz 21``,
``1-Mrz-21``
Excel date cell (``datetime``/``date``)                day*       that day
Excel serial number (``44256``, also as text)          day        1899-12-30 + n days
=====================================================  =========  ==========================

\\* An Excel date cell whose number format shows no day (``mmm yy``, ``mm/yyyy``) is read as a month,
one that shows only the year as a year (see :func:`precision_of_number_format`).

Two-digit years are 2000–2049 for 00–49 and 1950–1999 for 50–99. Years outside 1945–2100, quarters
("Q2 2021") and anything else raise :class:`DateError` with the reason; the caller turns it into a problem.
The date is always the first day of the stated period.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1,
    "january": 1,
    "jan": 1,
    "jänner": 1,
    "februar": 2,
    "february": 2,
    "feb": 2,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "mrz": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "december": 12,
    "dez": 12,
    "dec": 12,
}
EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1945, 2100
APPROXIMATE = re.compile(r"(?:(?:ca\.|approx\.|~)\s*|(?:ca|circa|etwa|um|approx|about)\s+)(?=\S)", re.IGNORECASE)
EXACT = re.compile(r"(?:seit|ab|since|from)\s+(?=\S)", re.IGNORECASE)


class DateError(ValueError):
    """Text that is not a date in any form the register accepts; ``de`` and ``en`` say why."""

    def __init__(self, de: str, en: str | None = None):
        super().__init__(en or de)
        self.de, self.en = de, en or de


@dataclass(frozen=True)
class PreciseDate:
    value: dt.date  # first day of the period
    precision: str  # "day", "month" or "year"
    approximate: bool = False


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateError(f"Jahr {y} außerhalb {MIN_YEAR}–{MAX_YEAR}", f"year {y} outside {MIN_YEAR}–{MAX_YEAR}")
    return y


def _make(y: int, m: int = 1, d: int = 1) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise DateError(f"den {d:02d}.{m:02d}.{y} gibt es nicht", f"{y}-{m:02d}-{d:02d} does not exist") from None


SERIAL_RANGE = ((dt.date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days, (dt.date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days)


def _not_a_date_number(number: float) -> DateError:
    shown = f"{number:.0f}" if number.is_integer() else f"{number:g}"
    return DateError(
        f"Zahl {shown} ist weder ein Jahr noch ein Excel-Datum", f"number {shown} is neither a year nor an Excel date"
    )


def _serial(number: float) -> PreciseDate:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise _not_a_date_number(number)
    return PreciseDate(EXCEL_EPOCH + dt.timedelta(days=int(number)), "day")


def _month(name: str) -> int:
    month = MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise DateError(f"unbekannter Monatsname {name!r}", f"unknown month name {name!r}")
    return month


def parse_date(value: object) -> PreciseDate | None:
    """Parse a register date; ``None`` for an empty cell, :class:`DateError` for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # also pandas.Timestamp; NaT is a datetime too
        if value != value:  # NaT
            return None
        return PreciseDate(value.date(), "day")
    if isinstance(value, dt.date):
        return PreciseDate(value, "day")
    if isinstance(value, bool):
        raise DateError(f"{value!r} ist kein Datum", f"{value!r} is not a date")
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None
        if number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
            return PreciseDate(_make(int(number)), "year")
        if number.is_integer() and number > 0:
            return _serial(number)
        raise _not_a_date_number(number)
    text = " ".join(str(value).split())
    if not text:
        return None
    approximate = False
    if m := APPROXIMATE.match(text):
        approximate, text = True, text[m.end() :]
    elif m := EXACT.match(text):
        text = text[m.end() :]
    parsed = _parse_text(text)
    return PreciseDate(parsed.value, parsed.precision, approximate)


def _parse_text(text: str) -> PreciseDate:
    if re.fullmatch(r"(?:Q\s?[1-4]|[1-4]\.\s?Quartal)\s?/?\s?\d{4}", text, re.IGNORECASE):
        raise DateError(
            "Quartale werden nicht unterstützt; den ersten Monat (z. B. 04/2021) oder das Jahr angeben",
            "quarters are not supported; give the first month (e.g. 04/2021) or the year",
        )
    if re.fullmatch(r"\d{4}", text):
        return PreciseDate(_make(_year(text)), "year")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text):
        return PreciseDate(_make(_year(m[1]), int(m[2]), int(m[3])), "day")
    if m := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?", text):
        return PreciseDate(_make(_year(m[3]), int(m[2]), int(m[1])), "day")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return PreciseDate(_make(_year(m[1]), int(m[2])), "month")
    if m := re.fullmatch(r"(\d{1,2})\s?[/.]\s?(\d{4})", text):
        return PreciseDate(_make(_year(m[2]), int(m[1])), "month")
    # month names also as a spreadsheet writes a date cell into CSV: "01. Mrz 16", "1-Mrz-16", "Mrz 16", "Mrz-16"
    if m := re.fullmatch(r"(\d{1,2})\.?[\s-]?([A-Za-zÄÖÜäöü]+\.?)[\s-](\d{4}|\d{2})", text):
        return PreciseDate(_make(_year(m[3]), _month(m[2]), int(m[1])), "day")
    if m := re.fullmatch(r"([A-Za-zÄÖÜäöü]+\.?)(?:\s?(\d{4})|[\s-](\d{2}))", text):
        return PreciseDate(_make(_year(m[2] or m[3]), _month(m[1])), "month")
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):  # an Excel serial number exported as text
        return _serial(float(text))
    raise DateError(f"{text!r} ist kein Datum", f"{text!r} is not a date")


def precision_of_number_format(number_format: str) -> str:
    """The precision an Excel date cell shows: ``mmm yy`` → month, ``yyyy`` → year, else day."""
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "d" in fmt:
        return "day"
    if "m" in fmt:
        return "month"
    if "y" in fmt or "j" in fmt:
        return "year"
    return "day"
