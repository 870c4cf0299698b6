"""German number formatting and the small-number publication rule, in one place.

Every product for people formats numbers through these functions: ``1.234,5``, ``12,3 %``, the
minus sign ``−``. The small-number rule lives here too: published per-municipality counts from 1 to 2
are shown as ``<3`` unless the source itself publishes them (see :func:`publish_count`).
"""

from __future__ import annotations

import math

MINUS = "\u2212"
NBSP = "\u00a0"
SMALL_COUNT_LIMIT = 3


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def number(value: object, decimals: int = 0, *, missing: str = "–") -> str:
    """``1234.5`` → ``"1.234,5"`` (German grouping and decimal comma, typographic minus)."""
    if _is_missing(value):
        return missing
    v = float(value)  # type: ignore[arg-type]
    text = f"{abs(v):,.{decimals}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    if v < 0 and text.strip("0,.") != "":
        return MINUS + text
    return text


def percent(value: object, decimals: int = 1, *, signed: bool = False, missing: str = "–") -> str:
    """A share given as a fraction: ``0.123`` → ``"12,3 %"``; ``signed`` adds ``+`` for increases."""
    if _is_missing(value):
        return missing
    v = float(value) * 100  # type: ignore[arg-type]
    text = number(v, decimals) + NBSP + "%"
    if signed and v > 0 and number(v, decimals) != number(0, decimals):
        text = "+" + text
    return text


def change_from_ratio(ratio: object, decimals: int = 0, *, missing: str = "–") -> str:
    """A rate ratio as a signed change: ``0.82`` → ``"−18 %"``, ``1.05`` → ``"+5 %"``."""
    if _is_missing(ratio):
        return missing
    return percent(float(ratio) - 1.0, decimals, signed=True)  # type: ignore[arg-type]


def publish_count(count: object, *, source_publishes_small: bool = False, missing: str = "–") -> str:
    """A count for a published per-municipality table: 1 and 2 become ``"<3"``.

    The rule protects people in small places; it does not apply where the source itself
    publishes the exact small number (``source_publishes_small``), and 0 is shown as 0.
    """
    if _is_missing(count):
        return missing
    c = float(count)  # type: ignore[arg-type]
    if 0 < c < SMALL_COUNT_LIMIT and not source_publishes_small:
        return f"<{SMALL_COUNT_LIMIT}"
    return number(c, 0)


def is_suppressed(count: object, *, source_publishes_small: bool = False) -> bool:
    if _is_missing(count):
        return False
    c = float(count)  # type: ignore[arg-type]
    return 0 < c < SMALL_COUNT_LIMIT and not source_publishes_small


def date_de(value: object, precision: str = "day") -> str:
    """A date in German notation with its precision: ``06.11.2023``, ``11/2023`` or ``2023``."""
    import datetime as dt

    import pandas as pd

    if _is_missing(value) or value is None:
        return "–"
    d = pd.Timestamp(value).date() if not isinstance(value, dt.date) else value
    if precision == "year":
        return f"{d.year}"
    if precision == "month":
        return f"{d.month:02d}/{d.year}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"
