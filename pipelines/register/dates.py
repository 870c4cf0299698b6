"""Dates as registers hold them: typed as text, with the precision the source gives.

"2021" (year), "März 2021" / "03/2021" / "2021-03" (month), "01.03.2021" / "01.03.21" / "2021-03-01" and
Excel date cells (day). "ca. 1997" is a year with ``approximate=True``. The date is the first day of the
stated period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1,
    "jan": 1,
    "jänner": 1,
    "februar": 2,
    "feb": 2,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
    "dec": 12,
    "december": 12,
    "january": 1,
    "february": 2,
}
EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1945, 2100


class DateError(ValueError):
    """Text that is not a date in any form the register accepts."""


@dataclass(frozen=True)
class PreciseDate:
    value: dt.date
    precision: str  # "day", "month" or "year"
    approximate: bool = False


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateError(f"year {y} outside {MIN_YEAR}–{MAX_YEAR}")
    return y


def _make(y: int, m: int = 1, d: int = 1) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise DateError(str(exc)) from None


def parse_date(value: object) -> PreciseDate | None:
    """Parse a register date; ``None`` for an empty cell, :class:`DateError` for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return PreciseDate(value.date(), "day")
    if isinstance(value, dt.date):
        return PreciseDate(value, "day")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        number = float(value)
        if number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
            return PreciseDate(_make(int(number)), "year")
        if 1 <= number < 80_000:  # an Excel serial day number
            return PreciseDate(EXCEL_EPOCH + dt.timedelta(days=int(number)), "day")
        raise DateError(f"number {value!r} is neither a year nor an Excel date")
    text = str(value).strip()
    if not text:
        return None
    approximate = False
    lowered = text.lower()
    for prefix in ("ca.", "ca", "circa", "etwa", "um", "approx."):
        if lowered.startswith(prefix + " "):
            approximate = True
            text = text[len(prefix) + 1 :].strip()
            lowered = text.lower()
            break
    if re.fullmatch(r"\d{4}", text):
        return PreciseDate(_make(_year(text)), "year", approximate)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
        return PreciseDate(_make(_year(m[1]), int(m[2]), int(m[3])), "day", approximate)
    if m := re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})", text):
        return PreciseDate(_make(_year(m[3]), int(m[2]), int(m[1])), "day", approximate)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return PreciseDate(_make(_year(m[1]), int(m[2])), "month", approximate)
    if m := re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{4})", text):
        return PreciseDate(_make(_year(m[2]), int(m[1])), "month", approximate)
    if m := re.fullmatch(r"([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})", text):
        month = MONTHS.get(m[1].lower())
        if month is None:
            raise DateError(f"unknown month name {m[1]!r}")
        return PreciseDate(_make(_year(m[2]), month), "month", approximate)
    raise DateError(f"not a date: {text!r}")
