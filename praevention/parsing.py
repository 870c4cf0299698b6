"""Small parsers shared by every reader: numbers in German and English notation, AGS keys, text decoding.

They are pure functions, property-tested in ``tests/test_parsing.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DE_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN_EN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PLAIN_DE = re.compile(r"^[+-]?\d+,\d+$")


#: the marks official statistics write instead of a number (Zeichenerklärung of the statistical offices), with
#: what they mean; "-" and "–" mean "nothing" (an exact zero) in the tables that use them
SUPPRESSION_MARKS = {
    "-": "nichts vorhanden",
    "–": "nichts vorhanden",
    "—": "nichts vorhanden",
    ".": "Zahlenwert unbekannt oder geheim",
    "x": "Tabellenfach gesperrt",
    "X": "Tabellenfach gesperrt",
    "...": "Angabe fällt später an",
    "…": "Angabe fällt später an",
    "/": "Zahlenwert nicht sicher genug",
}
ZERO_MARKS = ("-", "–", "—")


def split_marks(texts):
    """A pandas string Series without the cells that hold a :data:`SUPPRESSION_MARKS` mark (those become
    empty), and the marks found (``""`` elsewhere): a reader counts and reports them instead of reading
    them as numbers that do not parse."""
    stripped = texts.fillna("").str.strip()
    marks = stripped.where(stripped.isin(list(SUPPRESSION_MARKS)), "")
    return texts.where(marks == "", ""), marks


def marks_note(marks_by_column) -> str:
    """'3 Zellen mit Zeichen der amtlichen Statistik (2 × '.' in attempts, 1 × 'x' in hz) leer gelassen', or ''."""
    parts = [
        f"{n} × {mark!r} in {column}"
        for column, marks in marks_by_column.items()
        for mark, n in marks[marks != ""].value_counts().items()
    ]
    total = sum(int((m != "").sum()) for m in marks_by_column.values())
    return f"{total} Zelle(n) mit Zeichen der amtlichen Statistik ({', '.join(parts)}) leer gelassen" if total else ""


class NumberFormatError(ValueError):
    """A text that is not a number in any of the notations the sources use."""


def parse_number(text: object, *, decimal: str | None = None) -> float | None:
    """Parse a published number: ``"1.234"``, ``"1 234"``, ``"1,234.0"``, ``"12,5"``, ``"9993"``.

    ``decimal`` pins the decimal separator (``"."`` or ``","``) when the file's convention is known;
    without it the notation is inferred from the text. An ambiguous value such as ``"1.234"`` or
    ``"1,234"`` is then read as a thousands-grouped integer, which is what the statistical offices
    publish. Empty cells, ``"-"`` (nothing) and ``"."`` (secret or unknown) return ``None``.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberFormatError(f"not a number: {text!r}")
    if isinstance(text, int | float):
        if isinstance(text, float) and math.isnan(text):
            return None
        return float(text)
    s = _SPACES.sub("", str(text))
    if s == "" or s in SUPPRESSION_MARKS:
        return None
    if decimal == ",":
        s = s.replace(".", "").replace(",", ".")
        if not _PLAIN_EN.match(s):
            raise NumberFormatError(f"not a number: {text!r}")
        return float(s)
    if decimal == ".":
        s = s.replace(",", "")
        if not _PLAIN_EN.match(s):
            raise NumberFormatError(f"not a number: {text!r}")
        return float(s)
    if _EN_THOUSANDS.match(s):
        return float(s.replace(",", ""))
    if _DE_THOUSANDS.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _PLAIN_DE.match(s):
        return float(s.replace(",", "."))
    if _PLAIN_EN.match(s):
        return float(s)
    raise NumberFormatError(f"not a number: {text!r}")


class AgsError(ValueError):
    """A text that cannot be an official municipality key (Amtlicher Gemeindeschlüssel)."""


def normalize_ags(value: object, length: int) -> str:
    """Zero-pad a key that lost its leading zero (``1001`` → ``01001``) and check it.

    Accepts numbers stored as floats by spreadsheets (``1001.0``). Letters, wrong lengths and
    empty values raise :class:`AgsError`.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise AgsError("empty key")
    if isinstance(value, float):
        if not value.is_integer():
            raise AgsError(f"key is not a whole number: {value!r}")
        text = str(int(value))
    else:
        text = str(value).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
    if not text.isdigit() or not text.isascii():
        raise AgsError(f"key has characters other than digits: {text!r}")
    if len(text) > length:
        raise AgsError(f"key has {len(text)} digits, expected {length}: {text!r}")
    if len(text) < length - 1:
        raise AgsError(f"key has {len(text)} digits, expected {length}: {text!r}")
    return text.zfill(length)


def ags_from_ars(ars: str) -> str:
    """The 8-digit AGS from a 12-digit Regionalschlüssel: Land+RB+Kreis (5) and Gemeinde (last 3)."""
    ars = str(ars).strip()
    if len(ars) != 12 or not ars.isdigit():
        raise AgsError(f"not a 12-digit Regionalschlüssel: {ars!r}")
    return ars[:5] + ars[9:]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, *, path: str = "") -> Decoded:
    """Decode a published text file: UTF-8 (with or without BOM), else Windows-1252 / ISO-8859-1.

    Binary files (NUL bytes) are refused, because no publisher here ships UTF-16.
    """
    if b"\x00" in data[:65536]:
        from praevention.errors import SourceFormatError

        raise SourceFormatError(path, "binary content (NUL bytes): not a text table")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252")


# ------------------------------------------------------------------ number format of a whole column
# Shapes of a number's text (spaces removed), by what they say about the separators. "Ambiguous" shapes
# (one group of three digits after a single separator: "9.754", "9,754") fit both roles of that separator.
_SHAPES = {
    "dot_decimal": r"^[+-]?(\d*\.\d+|\d+(\.\d+)?[eE][+-]?\d+)$",
    "comma_decimal": r"^[+-]?\d*,\d+$",
    "dot_grouped": r"^[+-]?\d{1,3}(\.\d{3}){2,}$",
    "comma_grouped": r"^[+-]?\d{1,3}(,\d{3}){2,}$",
    "comma_thousands_dot_decimal": r"^[+-]?\d{1,3}(,\d{3})+\.\d+$",
    "dot_thousands_comma_decimal": r"^[+-]?\d{1,3}(\.\d{3})+,\d+$",
    "dot_ambiguous": r"^[+-]?\d{1,3}\.\d{3}$",
    "comma_ambiguous": r"^[+-]?\d{1,3},\d{3}$",
    "ungrouped_large": r"^[+-]?\d{4,}([.,]\d+)?$",
}


@dataclass(frozen=True)
class NumberFormat:
    """How one column writes its numbers: the decimal separator and the thousands separator (``""`` when
    large numbers are written without one, ``None`` when the column gives no evidence either way)."""

    decimal: str
    thousands: str | None

    def describe(self) -> str:
        grouping = {"": "no thousands separator", None: "thousands separator unknown"}.get(
            self.thousands, f"{self.thousands!r} as thousands separator"
        )
        return f"{self.decimal!r} as decimal separator, {grouping}"


def _shape_counts(texts) -> dict[str, int]:
    return {name: int(texts.str.match(pattern).sum()) for name, pattern in _SHAPES.items()}


def decimal_evidence(texts) -> dict[str, int]:
    """Votes of a column's values for ``"."`` and ``","`` as the decimal separator (pandas string Series)."""
    c = _shape_counts(texts)
    return {
        ".": c["dot_decimal"] + c["comma_thousands_dot_decimal"] - c["dot_ambiguous"],
        ",": c["comma_decimal"] + c["dot_thousands_comma_decimal"] - c["comma_ambiguous"],
    }


def infer_format(texts, *, file_decimal: str = ".") -> NumberFormat:
    """Decide a column's number format from the evidence of all its values.

    ``texts`` is a pandas string Series with blanks removed. A value like ``"7.9"`` or ``"1,234.5"``
    shows the decimal separator; ``"1,234,567"`` or ``"1.234,5"`` the thousands separator; ``"24380"``
    that large numbers carry none. The majority decides; where a column gives no evidence (an HZ column of
    whole numbers like ``"11,628"``), ``file_decimal`` – the decimal separator the file's other columns
    show – settles it. An ambiguous ``"9,754"`` is then a grouped thousand when ``","`` is not the decimal
    separator and the column's other large numbers are grouped too.
    """
    c = _shape_counts(texts)
    votes = decimal_evidence(texts)
    decimal = "." if votes["."] > votes[","] else "," if votes[","] > votes["."] else file_decimal
    sep = "," if decimal == "." else "."
    name = "comma" if sep == "," else "dot"
    grouped = c[f"{name}_grouped"] + c[f"{name}_ambiguous"]
    grouped += c["comma_thousands_dot_decimal"] if sep == "," else c["dot_thousands_comma_decimal"]
    ungrouped = c["ungrouped_large"]
    if grouped > ungrouped:
        thousands: str | None = sep
    elif ungrouped > grouped:
        thousands = ""
    else:
        thousands = None
    return NumberFormat(decimal, thousands)


def parse_column(texts, fmt: NumberFormat):
    """Parse a column's texts with its format; returns (floats, contradicts) as pandas Series.

    ``contradicts`` marks the values that do not fit the format (a ``"9.754"`` among thousands written
    without separator, a ``"7,9"`` in a column with decimal points): they are not guessed but reported.
    """
    import pandas as pd

    d = re.escape(fmt.decimal)
    sep = re.escape("," if fmt.decimal == "." else ".")
    integer = {
        "": r"\d+",  # large numbers written without separator
        None: rf"(\d{{1,3}}({sep}\d{{3}})+|\d+)",  # no evidence: either
    }.get(fmt.thousands, rf"(\d{{1,3}}({sep}\d{{3}})+|\d{{1,3}})")  # grouped
    pattern = rf"^[+-]?({integer}({d}\d+)?|{d}\d+)([eE][+-]?\d+)?$"
    present = texts.notna() & (texts != "")
    fits = texts.str.match(pattern).fillna(False).astype(bool)
    clean = texts
    for sep in {",", "."} - {fmt.decimal}:
        clean = clean.str.replace(sep, "", regex=False)
    clean = clean.str.replace(fmt.decimal, ".", regex=False)
    numbers = pd.to_numeric(clean.where(present & fits), errors="coerce")
    return numbers, present & ~fits
