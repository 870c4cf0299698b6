"""Magdeburg's municipal statistics (KISS-MD, chapter K11 "Kriminalitätsstatistik").

Publisher: Landeshauptstadt Magdeburg, Amt für Statistik (https://statistik.magdeburg.de/KISS-MD/);
police PKS figures republished by the city. Licence not stated: attribute the Stadt Magdeburg.

The original xlsx exports carry variable codes (``K11_T3_var1``…) instead of labels; their meanings
come from the hackathon's reviewed labels (PROVENANCE-crime-councils.md §2):

* ``K11_T3`` recorded crimes per Stadtteil (Tatortprinzip), 2017–2021: var1 year, var2 Stadtteil
  number (``01``…``78``; ``15003`` = city total, wrong in 2020/2021; ``99998`` = not assignable). The city is
  the one of the total row's key (:func:`city_code`), so that another city's figures in this layout load
  under its own key.
* ``K11_T4`` Magdeburg vs Halle 2015–2024: cases, inhabitants and HZ of each city. Has typos against
  the BKA table (2022 Magdeburg 37,332 for 27,332; 2023 Halle 39,748 for 30,748) that are loaded as
  published and flagged by a warning check, never fixed silently.
* ``K11_T5`` PKS by Land, 2017–2024: cases, clearance rate, HZ (with misspelt Land names).

``K11_T1`` (one year, offence groups without keys) and ``K11_T2`` (unlabelled columns) are recognised
but not loaded; the ingest log says why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from praevention.errors import SourceFormatError
from praevention.readers.accident_counts import LAENDER, fold
from praevention.readers.base import ReadResult, empty_rejects, reject
from praevention.readers.pks import cell_text, read_workbook_rows

DTYPES = {
    "table_id": "string",
    "year": "int32",
    "unit_level": "string",
    "unit_ags": "string",
    "unit_label": "string",
    "measure": "string",
    "value": "float64",
    "source": "string",
    "source_file": "string",
    "source_line": "int64",
}
OUTPUT_COLUMNS = list(DTYPES)
SOURCE = "Landeshauptstadt Magdeburg, KISS-MD"
LAND_SPELLINGS = {"baden-wuertemberg": "08", "nordrhien-westfalen": "05", "bundesgebiet": "DG"}
NOT_LOADED = {
    "K11_T1": "one year only, offence groups without PKS keys: not loaded",
    "K11_T2": "columns without published labels: not loaded",
}


#: Magdeburg's Kreis key, the city of the published tables
MAGDEBURG = "15003"


def stadtteil_ags(code: str, city: str = MAGDEBURG) -> str:
    """A pseudo-key for a Stadtteil: the city's AGS plus the two-digit Stadtteil number."""
    return f"{city}000-{code}"


def city_code(codes: list[str]) -> str:
    """The city of a K11_T3 table: the five-digit key of its city-total row (Magdeburg's 15003 in the
    published table; the same layout serves another city's figures), Magdeburg without one."""
    return next((c for c in codes if re.fullmatch(r"\d{5}", c) and c != "99998"), MAGDEBURG)


def read_kiss_md(path: str | Path) -> ReadResult:
    path = Path(path)
    rows = read_workbook_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    if not rows:
        raise SourceFormatError(str(path), "empty table")
    header = [cell_text(c) for c in rows[0]]
    table = next((m.group(1) for h in header if (m := re.match(r"(K11_T\d)_var\d+$", h))), None)
    if table is None:
        raise SourceFormatError(str(path), "not a KISS-MD K11 table: no K11_T<n>_var<k> header", line=1)
    if table in NOT_LOADED:
        return ReadResult(str(path), pd.DataFrame(columns=OUTPUT_COLUMNS), rows_read=0, note=NOT_LOADED[table])
    var = {h: i for i, h in enumerate(header)}

    def col(row: list, k: int) -> str:
        idx = var.get(f"{table}_var{k}")
        if idx is None:
            raise SourceFormatError(str(path), f"column {table}_var{k} missing", line=1)
        return cell_text(row[idx] if idx < len(row) else None).strip()

    records, rejects = [], []
    n = 0
    city = MAGDEBURG
    if table == "K11_T3":
        city = city_code(
            [cell_text(r[var[f"{table}_var2"]]).strip() for r in rows[1:] if len(r) > var.get(f"{table}_var2", 99)]
        )
    for no, row in enumerate(rows[1:], start=2):
        if all(c in (None, "") for c in row):
            continue
        n += 1
        raw = ";".join(cell_text(c) for c in row)
        try:
            year = int(float(col(row, 1)))
            if table == "K11_T3":
                code = col(row, 2)
                value = float(col(row, 3))
                if code == city:
                    label = "Magdeburg (Summenzeile)" if city == MAGDEBURG else "Stadt (Summenzeile)"
                    records.append((table, year, "Gemeinde", f"{city}000", label, "straftaten_summenzeile", value, no))
                elif code == "99998":
                    records.append(
                        (
                            table,
                            year,
                            "Stadtteil",
                            stadtteil_ags("99", city),
                            "nicht zuordenbar",
                            "straftaten",
                            value,
                            no,
                        )
                    )
                elif re.fullmatch(r"\d{2}", code):
                    records.append(
                        (
                            table,
                            year,
                            "Stadtteil",
                            stadtteil_ags(code, city),
                            f"Stadtteil {code}",
                            "straftaten",
                            value,
                            no,
                        )
                    )
                else:
                    raise ValueError(f"unknown Stadtteil number {code!r}")
            elif table == "K11_T4":
                for ags, label, cases, pop, hz in (
                    ("15003000", "Magdeburg", 2, 4, 6),
                    ("15002000", "Halle (Saale)", 3, 5, 7),
                ):
                    records.append((table, year, "Gemeinde", ags, label, "straftaten", float(col(row, cases)), no))
                    records.append((table, year, "Gemeinde", ags, label, "einwohner", float(col(row, pop)), no))
                    records.append((table, year, "Gemeinde", ags, label, "hz", float(col(row, hz)), no))
            elif table == "K11_T5":
                name = col(row, 2)
                land = LAENDER.get(fold(name)) or LAND_SPELLINGS.get(fold(name))
                if land is None:
                    raise ValueError(f"unknown Land name {name!r}")
                level = "Bund" if land == "DG" else "Land"
                for measure, k in (("straftaten", 3), ("aufklaerungsquote", 4), ("hz", 5)):
                    records.append((table, year, level, land, name, measure, float(col(row, k)), no))
            else:
                raise SourceFormatError(str(path), f"KISS-MD table {table} is not known to this reader")
        except ValueError as exc:
            rejects.append(reject(path, no, None, raw, str(exc)))
    frame = pd.DataFrame.from_records(
        records, columns=["table_id", "year", "unit_level", "unit_ags", "unit_label", "measure", "value", "source_line"]
    )
    frame["source"] = f"{SOURCE} {table}"
    frame["source_file"] = str(path)
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    return ReadResult(str(path), frame[OUTPUT_COLUMNS], rej, rows_read=n, rows_loaded=n - len(rej))


def _csv_rows(path: Path) -> list[list[object]]:
    from praevention.parsing import decode_bytes

    text = decode_bytes(path.read_bytes(), path=str(path)).text
    return [line.split(";") for line in text.splitlines() if line.strip()]
