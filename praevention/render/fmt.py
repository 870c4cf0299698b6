"""German number formatting and the small-number publication rule, in one place.

Every product for people formats numbers through these functions: ``1.234,5``, ``12,3 %``, the
minus sign ``−``. The small-number rule's format lives here too: a Gemeinde's count from 1 to 2 is shown as
``<3`` (:func:`publish_count`); :mod:`praevention.render.disclosure` decides which cells are hidden.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
NBSP = "\u00a0"
SMALL_COUNT_LIMIT = 3
#: below this many cases a change is given as counts ("2 → 7"), not as a percentage
MIN_PERCENT_CASES = 20


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


def significant(value: object, digits: int = 3, *, missing: str = "–") -> str:
    """A number with ``digits`` significant digits in German notation: ``0.012345`` → ``"0,0123"``,
    ``0.5`` → ``"0,500"``; values below 0.001 as ``"<0,001"`` (p-values)."""
    if _is_missing(value):
        return missing
    v = float(value)  # type: ignore[arg-type]
    if v == 0 or abs(v) < 0.001:
        return f"<{number(0.001, 3)}" if v >= 0 else number(v, 3)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return number(v, decimals)


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


def change_text(before: object, after: object, ratio: object | None = None, *, missing: str = "–") -> str:
    """A change between two case counts for people: ``"+12 %"`` when both counts reach
    :data:`MIN_PERCENT_CASES`, else the counts themselves (``"2 → 7"``): a percentage of a handful of cases
    ("Getötete +250 %") says more about chance than about the place. ``ratio`` is the change to show as a
    percentage (a ratio of rates), by default ``after / before``."""
    if _is_missing(before) or _is_missing(after):
        return missing
    b, a = float(before), float(after)  # type: ignore[arg-type]
    if min(b, a) < MIN_PERCENT_CASES or b <= 0:
        return f"{number(b)} → {number(a)}"
    return change_from_ratio(a / b if ratio is None else ratio)


def shorten(text: object, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with ``…`` (never mid-word): the one
    way every product shortens a name."""
    t = " ".join(str(text).split())
    if limit <= 0 or len(t) <= limit:
        return t
    cut = t[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-(") + "…"


def plural(n: int, singular: str, plural_form: str) -> str:
    """``"1 Gremium"``, ``"2 Gremien"``, ``"1.234 Maßnahmen"``."""
    return f"{number(n)} {singular if n == 1 else plural_form}"


def publish_count(count: object, *, missing: str = "–") -> str:
    """A Gemeinde's count as published: 1 and 2 become ``"<3"`` (the primary rule of
    :mod:`praevention.render.disclosure`, which every product applies); 0 is shown as 0."""
    if _is_missing(count):
        return missing
    c = float(count)  # type: ignore[arg-type]
    if is_suppressed(c):
        return f"<{SMALL_COUNT_LIMIT}"
    return number(c, 0)


def is_suppressed(count: object) -> bool:
    """1 or 2: a count no product shows for a Gemeinde."""
    if _is_missing(count):
        return False
    c = float(count)  # type: ignore[arg-type]
    return 0 < c < SMALL_COUNT_LIMIT


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
