"""Dates with precision: every accepted notation, and a clear error for anything else."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praevention.register.dates import (
    DateError,
    PreciseDate,
    parse_date,
    precision_of_number_format,
)

GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
ENGLISH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
dates = st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "value", "precision", "approximate"),
    [
        ("2021", dt.date(2021, 1, 1), "year", False),
        ("03/2021", dt.date(2021, 3, 1), "month", False),
        ("3/2021", dt.date(2021, 3, 1), "month", False),
        ("März 2021", dt.date(2021, 3, 1), "month", False),
        ("Maerz 2021", dt.date(2021, 3, 1), "month", False),
        ("Mar 2021", dt.date(2021, 3, 1), "month", False),
        ("Sept. 2021", dt.date(2021, 9, 1), "month", False),
        ("2021-03", dt.date(2021, 3, 1), "month", False),
        ("01.03.2021", dt.date(2021, 3, 1), "day", False),
        ("01.03.21", dt.date(2021, 3, 1), "day", False),
        ("1.3.2021", dt.date(2021, 3, 1), "day", False),
        ("2021-03-01", dt.date(2021, 3, 1), "day", False),
        ("6. November 2023", dt.date(2023, 11, 6), "day", False),
        ("06.11.2023", dt.date(2023, 11, 6), "day", False),
        ("ca. 1997", dt.date(1997, 1, 1), "year", True),
        ("um 1997", dt.date(1997, 1, 1), "year", True),
        ("seit 2001", dt.date(2001, 1, 1), "year", False),
        ("44256", dt.date(2021, 3, 1), "day", False),
        (44256, dt.date(2021, 3, 1), "day", False),
        (44256.0, dt.date(2021, 3, 1), "day", False),
        (2021, dt.date(2021, 1, 1), "year", False),
        (2021.0, dt.date(2021, 1, 1), "year", False),
        (dt.datetime(2021, 3, 1, 14, 30), dt.date(2021, 3, 1), "day", False),
        (dt.date(2021, 3, 1), dt.date(2021, 3, 1), "day", False),
    ],
)
def test_accepted_notations(text, value, precision, approximate):
    assert parse_date(text) == PreciseDate(value, precision, approximate)


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan")])
def test_empty_is_none(empty):
    assert parse_date(empty) is None


def test_pandas_timestamp_and_nat():
    import pandas as pd

    assert parse_date(pd.Timestamp("2021-03-01")) == PreciseDate(dt.date(2021, 3, 1), "day")
    assert parse_date(pd.NaT) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Frühjahr 2021", "Monatsname"),
        ("irgendwann", "kein Datum"),
        ("31.02.2021", "gibt es nicht"),
        ("13/2021", "gibt es nicht"),
        ("1800", "außerhalb"),
        ("Q2 2021", "Quartale"),
        ("2. Quartal 2021", "Quartale"),
        (15003000.0, "weder ein Jahr noch ein Excel-Datum"),
        (-5, "weder ein Jahr"),
        (True, "kein Datum"),
    ],
)
def test_rejected_with_a_reason(text, reason):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert reason in info.value.de
    assert info.value.en


@given(dates, st.sampled_from(["{d:%d.%m.%Y}", "{d.day}.{d.month}.{d.year}", "{d:%Y-%m-%d}", "{d.day}. {m} {d.year}"]))
def test_day_notations_round_trip(d, fmt):
    text = fmt.format(d=d, m=GERMAN_MONTHS[d.month - 1])
    assert parse_date(text) == PreciseDate(d, "day")


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2049, 12, 31)))
def test_two_digit_years(d):
    assert parse_date(f"{d:%d.%m.%y}") == PreciseDate(d, "day")


@given(dates, st.sampled_from(["{d:%m/%Y}", "{d.month}/{d.year}", "{d:%Y-%m}", "{de} {d.year}", "{en} {d.year}"]))
def test_month_notations_round_trip(d, fmt):
    text = fmt.format(d=d, de=GERMAN_MONTHS[d.month - 1], en=ENGLISH_ABBR[d.month - 1])
    assert parse_date(text) == PreciseDate(d.replace(day=1), "month")


@given(dates, st.booleans())
def test_year_and_approximate_year(d, approximate):
    text = f"ca. {d.year}" if approximate else str(d.year)
    assert parse_date(text) == PreciseDate(d.replace(month=1, day=1), "year", approximate)


@given(dates)
def test_excel_serial_numbers(d):
    serial = (d - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == PreciseDate(d, "day")


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.none()))
def test_anything_else_is_a_date_or_a_date_error(value):
    try:
        result = parse_date(value)
    except DateError as exc:
        assert exc.de and exc.en
    else:
        assert result is None or (result.precision in ("day", "month", "year") and result.value.year >= 1945)


@pytest.mark.parametrize(
    ("fmt", "precision"),
    [("dd.mm.yyyy", "day"), ("mmm-yy", "month"), ("MM/YYYY", "month"), ("yyyy", "year"), ("General", "day")],
)
def test_precision_of_excel_number_format(fmt, precision):
    assert precision_of_number_format(fmt) == precision
