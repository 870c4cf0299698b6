"""A synthetic PKS T01 Kreis table in the Excel 97 (BIFF) layouts of 2013 and earlier, written with xlwt.

Every figure is invented (labelled synthetic in the title block); only the layout follows the published
file: preamble rows (title, table name, "erstellt am", "Strf.-Schlüssel"), a multi-row header, then key,
offence, Kreis key, Kreisart, name, cases, HZ "nach Zensus 2011", attempts (count, %), firearm
threatened/fired, cleared (count, AQ %), suspects (total, male, female, non-German count and %).

Two header layouts: ``"two-row"`` (group headers over sub-headers, a blank row, the column numbers) and
``"four-row"``, as the BKA published the 2013 table: the header text broken over three rows with soft
hyphens ("Schl.-" / "zahl" / "der Tat" over the offence key, "Kreis-" / "schlüs-" / "sel" over the Kreis
key, "erfasste" / "Fälle", "HZ nach" / "Zensus" / "2011") and the column numbers 1, 2, 3, … in the fourth.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HEADER_TOP = [
    "Schlüssel",
    "Straftat",
    "Gemeinde-\nschlüssel",
    "Kreisart",
    "Stadt-/Landkreis",
    "erfasste Fälle",
    "HZ nach Zensus 2011",
    "Versuche",
    None,
    "mit Schusswaffe",
    None,
    "Aufklärung",
    None,
    "Tatverdächtige",
    None,
    None,
    "Nichtdeutsche Tatverdächtige",
    None,
]
HEADER_SUB = [None] * 7 + [
    "Anzahl",
    "Anteil in %",
    "gedroht",
    "geschossen",
    "Anzahl Fälle",
    "AQ in %",
    "insgesamt",
    "männlich",
    "weiblich",
    "Anzahl",
    "Anteil in %",
]
KREISE = [
    ("15001", "SK", "Dessau-Roßlau", 83_000),
    ("15002", "SK", "Halle (Saale)", 232_000),
    ("15003", "SK", "Magdeburg", 231_000),
    *[(f"150{n}", "LK", f"Landkreis {n}", 150_000 + 1_000 * n) for n in range(81, 92)],
    ("03159", "LK", "Göttingen", 260_000),
]
#: the 2013 table's header, broken over three rows as the BKA prints it; the column numbers follow
HEADER_FOUR_ROWS = [
    [
        "Schl.-",
        "Straftat",
        "Kreis-",
        "Kreisart",
        "Stadt-/",
        "erfasste",
        "HZ nach",
        "Versuche",
        None,
        "mit Schuss-",
        None,
        "Aufklärung",
        None,
        "Tatverdächtige",
        None,
        None,
        "Nichtdeutsche",
        None,
    ],
    [
        "zahl",
        None,
        "schlüs-",
        None,
        "Landkreis",
        "Fälle",
        "Zensus",
        "Anzahl",
        "Anteil",
        "waffe",
        None,
        "Anzahl",
        "AQ",
        "ins-",
        "männ-",
        "weib-",
        "Tatverdächtige",
        None,
    ],
    [
        "der Tat",
        None,
        "sel",
        None,
        None,
        None,
        "2011",
        None,
        "in %",
        "gedroht",
        "geschossen",
        "Fälle",
        "in %",
        "gesamt",
        "lich",
        "lich",
        "Anzahl",
        "Anteil in %",
    ],
]
OFFENCES = [("------", "Straftaten insgesamt"), ("899000", "Straßenkriminalität"), ("435*00", "Wohnungseinbruch")]


def synthetic_rows(year: int = 2013) -> pd.DataFrame:
    """The figures the fixture holds, one row per Kreis and offence (deterministic, invented)."""
    rows = []
    for i, (ags, kind, name, pop) in enumerate(KREISE):
        for j, (key, label) in enumerate(OFFENCES):
            cases = (pop // 12) // (1 + 4 * j) + 37 * i + year % 7
            attempts, cleared, suspects = cases // 11, cases // 2 + j, cases // 3
            male = suspects * 3 // 4
            non_german = suspects // 9
            rows.append(
                {
                    "offence_key": key,
                    "offence_label": label,
                    "ags": ags,
                    "kreis_type": kind,
                    "kreis_name": name,
                    "cases": cases,
                    "hz": round(cases * 100_000 / pop, 1),
                    "attempts": attempts,
                    "attempts_pct": round(100 * attempts / cases, 1),
                    "firearm_threatened": j,
                    "firearm_shot": 0,
                    "cleared": cleared,
                    "clearance_rate": round(100 * cleared / cases, 1),
                    "suspects": suspects,
                    "suspects_male": male,
                    "suspects_female": suspects - male,
                    "suspects_non_german": non_german,
                    "suspects_non_german_pct": round(100 * non_german / suspects, 1),
                }
            )
    return pd.DataFrame(rows)


def write_pks_xls(path: Path, year: int = 2013, *, state_year: bool = True, header: str = "two-row") -> pd.DataFrame:
    """Write the fixture to ``path`` in the ``header`` layout and return its figures."""
    import xlwt

    frame = synthetic_rows(year)
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("T01")
    preamble = [
        ["Polizeiliche Kriminalstatistik – synthetische Testdaten"],
        ["Grundtabelle - Kreise - Fälle (mit HZ)", *([f"Berichtsjahr: {year}"] if state_year else [])],
        [f"erstellt am: 12.03.{year + 1}"],
        ["Strf.-Schlüssel: ------ bis 899000"],
        [],
        *([HEADER_TOP, HEADER_SUB, []] if header == "two-row" else HEADER_FOUR_ROWS),
        list(range(1, 19)),
    ]
    for r, cells in enumerate(preamble):
        for c, value in enumerate(cells):
            if value is not None:
                ws.write(r, c, value)
    for r, row in enumerate(frame.itertuples(index=False), start=len(preamble)):
        for c, value in enumerate(row):
            ws.write(r, c, value if isinstance(value, str) else float(value))
    wb.save(str(path))
    return frame
