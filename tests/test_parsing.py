"""Property-based tests of the shared parsers: number notations, AGS normalisation, decoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praevention.parsing import (
    AgsError,
    NumberFormatError,
    ags_from_ars,
    decode_bytes,
    normalize_ags,
    parse_number,
)


def german(n: int, frac: str = "") -> str:
    text = f"{n:,}".replace(",", ".")
    return text + ("," + frac if frac else "")


def english(n: int, frac: str = "") -> str:
    return f"{n:,}" + ("." + frac if frac else "")


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_in_every_notation(n):
    assert parse_number(german(n)) == n
    assert parse_number(english(n)) == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimals_with_known_separator(n, cents):
    frac = f"{cents:02d}"
    assert parse_number(german(n, frac), decimal=",") == pytest.approx(n + cents / 100)
    assert parse_number(english(n, frac), decimal=".") == pytest.approx(n + cents / 100)


def test_examples_and_symbols():
    assert parse_number("1.234") == 1234
    assert parse_number("1 234") == 1234
    assert parse_number("1,234.0") == 1234
    assert parse_number("12,5") == 12.5
    assert parse_number("11615.9") == 11615.9
    assert parse_number("-") is None and parse_number(".") is None and parse_number("") is None
    for bad in ("abc", "1,2,3", "12a", "--"):
        with pytest.raises(NumberFormatError):
            parse_number(bad)


@given(st.integers(min_value=1_000_000, max_value=16_999_999))
def test_ags_lost_leading_zero_is_restored(n):
    ags = f"{n:08d}"
    assert normalize_ags(int(ags), 8) == ags
    assert normalize_ags(float(int(ags)), 8) == ags
    assert normalize_ags(ags, 8) == ags
    assert normalize_ags(str(int(ags)), 8) == ags


@given(st.text(alphabet="ABCxyz-/ ", min_size=1, max_size=3), st.integers(min_value=0, max_value=99999))
def test_ags_with_letters_is_refused(letters, n):
    with pytest.raises(AgsError):
        normalize_ags(f"{n}{letters}".strip() or "x", 8)


def test_ags_lengths_and_ars():
    assert normalize_ags("1001", 5) == "01001"
    with pytest.raises(AgsError):
        normalize_ags("123", 5)
    with pytest.raises(AgsError):
        normalize_ags("123456", 5)
    assert ags_from_ars("150850235235") == "15085235"


def test_decoding():
    assert decode_bytes("Straße".encode("latin-1")).text == "Straße"
    assert decode_bytes("\ufeffStraße".encode()).encoding == "utf-8-sig"
    from praevention.errors import SourceFormatError

    with pytest.raises(SourceFormatError, match="binary"):
        decode_bytes(b"garbage;;;\n\x00\x01", path="x.csv")
