"""BKA PKS table T01 "Grundtabelle – Fälle (mit HZ) – Kreise", every published layout.

Publisher: Bundeskriminalamt, Polizeiliche Kriminalstatistik (dl-de/by-2-0, attribution
"Datenquelle: Bundeskriminalamt, Polizeiliche Kriminalstatistik <Jahr>").

Layouts are recognised by content, never by file name:

* **CSV** (2014–2020, 2022): ISO-8859-1, ``;``, a column-number preamble line (``1;2;3…``), the header
  line, and in 2015 a second column-number line after the header. Header spellings drift
  (``Schlüsselzahl der Tat``, ``Schluesse``, ``Schluessel``, ``Auffklaerung``); 2014 has no Kreisart;
  2020 carries five unnamed working columns (sort key, blank, Kreis key and name again, population of
  the previous 31.12.). Numbers use ``,`` as thousands separator from 2016 and ``.`` as decimal point.
  Kreis keys lose their leading zero (``1001``).
* **XLSX** (2021, 2023, 2024): a title block, a multi-row header ending in a column-number row, then
  data; the reporting year is stated in the title block ("Berichtszeitraum: 01.01.2021 bis …").
* **XLS** (Excel 97, BIFF; 2013 and earlier): nine preamble rows ("Polizeiliche Kriminalstatistik",
  "Grundtabelle", "erstellt am", "Strf.-Schlüssel: …", a multi-row header), then key, offence, Kreis key,
  Kreisart (LK/SK/KfS), name, cases, HZ "nach Zensus 2011", attempts, firearm, cleared and suspects
  columns. Read with calamine like the XLSX; the year from "Berichtsjahr"/"Berichtszeitraum" where stated.
* Anything else (other tables) fails with a clear message.

A workbook's year comes from its content; a CSV states none and takes it from its name or folder
(:func:`praevention.readers.base.one_file_per_year` settles files that claim the same year).
Numbers: the format of every column is decided from all its values (:func:`praevention.parsing.infer_format`).

Rows that cannot be parsed are returned as rejects with file, line, column and reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from praevention.errors import SourceFormatError
from praevention.parsing import decimal_evidence, decode_bytes, infer_format, marks_note, parse_column, split_marks
from praevention.readers.archive import check_members
from praevention.readers.base import ReadResult, empty_rejects, reject

#: Sum of "Straftaten insgesamt" over the 14 Kreise of Sachsen-Anhalt, from the files
#: (PROVENANCE-crime-councils.md §1). Used by the warning check on ``crime_cases``.
LSA_TOTALS = {
    2013: 193_046,
    2014: 194_220,
    2015: 197_839,
    2016: 194_087,
    2017: 182_839,
    2018: 170_589,
    2019: 165_600,
    2020: 168_027,
    2021: 158_292,
    2022: 162_679,
    2023: 176_718,
    2024: 172_736,
}

#: the offence key of all offences (Straftaten insgesamt)
ALL_OFFENCES = "------"

# canonical column -> header pattern (matched on a folded header: lower case, umlauts as ae/oe/ue)
HEADER_PATTERNS: list[tuple[str, str]] = [
    ("ags", r"gemeinde ?schl|^kreis ?schl"),
    ("offence_key", r"^schl"),
    ("offence_label", r"^straftat$"),
    ("kreis_name", r"stadt-? ?/ ?landkreis"),
    ("kreis_type", r"^kreisart$"),
    ("attempts_pct", r"versuche.*(anteil|in %)"),
    ("attempts", r"versuche.*anzahl|davon.*versuche$"),
    ("cases", r"erfasste faelle$"),
    ("hz", r"^hz|haeufigkeitszahl"),
    ("firearm_threatened", r"gedroht"),
    ("firearm_shot", r"geschossen"),
    ("clearance_rate", r"aufklaerungsquote|aufklaerung aq( in %)?$"),
    ("cleared", r"aufgeklaerte faelle|auf+klaerung - anzahl faelle|aufklaerung anzahl faelle"),
    ("suspects_non_german_pct", r"nichtdeutsche.*anteil"),
    ("suspects_non_german", r"nichtdeutsche.*anzahl"),
    ("suspects_male", r"tatverdaechtige.*maennlich"),
    ("suspects_female", r"tatverdaechtige.*weiblich"),
    ("suspects", r"^tatverdaechtige( -)? insgesamt"),
]
REQUIRED = ("offence_key", "offence_label", "ags", "cases")
COUNT_COLUMNS = (
    "cases",
    "attempts",
    "firearm_threatened",
    "firearm_shot",
    "cleared",
    "suspects",
    "suspects_male",
    "suspects_female",
    "suspects_non_german",
    "population_published",
)
DECIMAL_COLUMNS = ("hz", "attempts_pct", "clearance_rate", "suspects_non_german_pct")
OUTPUT_COLUMNS = [
    "year",
    "ags",
    "kreis_name",
    "kreis_type",
    "offence_key",
    "offence_label",
    "cases",
    "hz",
    "hz_basis",
    "attempts",
    "attempts_pct",
    "firearm_threatened",
    "firearm_shot",
    "cleared",
    "clearance_rate",
    "suspects",
    "suspects_male",
    "suspects_female",
    "suspects_non_german",
    "suspects_non_german_pct",
    "population_published",
    "source_file",
    "source_line",
]
#: a PKS offence key: six digits or "*" (a group), "------" for all offences
OFFENCE_KEY = re.compile(r"^[0-9*\-]{6}$")
#: what makes two files the same table: equal recorded cases per (Kreis, offence). The CSV and XLSX
#: editions of one year differ in how HZ and shares are rounded, so only the count every edition carries
#: exactly is compared.
FIGURES = ("cases",)
TYPES = {
    c: "BIGINT" if c in COUNT_COLUMNS or c == "source_line" else "DOUBLE" if c in DECIMAL_COLUMNS else "VARCHAR"
    for c in OUTPUT_COLUMNS
} | {"year": "INTEGER"}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NUMBER_LINE = re.compile(r"^[\d.a-z]*$")
#: a share a spreadsheet turned into a date: '07.Mai', '7. Mrz', '07.05.' (spaces removed)
EXCEL_DATE = r"^\d{1,2}\.?(?:[Jj]an|[Ff]eb|[Mm]rz|[Mm]är|[Aa]pr|[Mm]ai|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ep|[Oo]kt|[Nn]ov|[Dd]ez)|^\d{1,2}\.\d{1,2}\.(?:\d{2,4})?$"


def fold(text: object) -> str:
    """Lower-case a header and spell umlauts as the BKA's ASCII headers do (``ä`` → ``ae``)."""
    s = re.sub(r"-\s*\n\s*(?=[a-zäöüß])", "", str(text or ""))  # a word broken over lines ("Kreis-\nschlüs-\nsel")
    s = s.replace("\n", " ").strip().lower()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.replace("-schluessel", "schluessel").replace("gemeinde-", "gemeinde")
    return re.sub(r"\s+", " ", s)


#: what the values of a column look like, to settle a header that two columns match
CONTENT = {
    "offence_key": re.compile(r"[0-9*\-]{6}"),
    "ags": re.compile(r"\d{4,5}(?:\.0)?"),
    "offence_label": re.compile(r".*[A-Za-zÄÖÜäöüß]{3}.*"),
}


def map_header(headers: list[str], path: str, sample: list[list[str]] | None = None) -> dict[int, str]:
    """Map header positions to canonical names; unknown named columns are reported, not guessed. Where two
    headers match one name, the column whose values (``sample``: the first data rows) fit it is taken."""
    candidates: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        f = fold(h)
        if not f:
            continue
        for canon, pattern in HEADER_PATTERNS:
            if re.search(pattern, f):
                candidates.setdefault(canon, []).append(i)
                break
    mapping: dict[int, str] = {}
    for canon, columns in candidates.items():
        if len(columns) > 1 and sample and canon in CONTENT:
            fitting = [
                i
                for i in columns
                if all(CONTENT[canon].fullmatch(str(r[i]).strip()) for r in sample if i < len(r) and str(r[i]).strip())
            ]
            columns = fitting if len(fitting) == 1 else columns
        if len(columns) > 1:
            raise SourceFormatError(
                path,
                f"two columns map to {canon!r}: " + ", ".join(repr(headers[i]) for i in columns),
                column=headers[columns[1]],
            )
        mapping[columns[0]] = canon
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise SourceFormatError(
            path,
            "unknown PKS layout: required columns " + ", ".join(missing) + f" not found in header {headers!r}",
        )
    return dict(sorted(mapping.items()))


def year_from_path(path: Path) -> int | None:
    """The reporting year from the file name or, for official download trees, a parent folder."""
    for part in [path.name, *[p.name for p in path.parents][:3]]:
        m = _YEAR.search(part)
        if m:
            return int(m.group(1))
    return None


def _is_number_line(cells: list[str]) -> bool:
    vals = [c.strip() for c in cells if c.strip()]
    return bool(vals) and vals[0] == "1" and all(_NUMBER_LINE.match(v) for v in vals)


def read_pks(path: str | Path) -> ReadResult:
    """Read one PKS T01 Kreise file (CSV, XLSX or the BIFF ``.xls`` of 2013 and earlier) into the
    ``crime_cases`` shape."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith((b"PK", b"\xd0\xcf\x11\xe0")):  # OOXML zip, or the OLE2 container of Excel 97
        return _read_workbook(path)
    return _read_csv(path)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of every record of a ``;``-separated text, read by the CSV standard (RFC 4180: a
    quoted cell may hold ``;``, quotes and line breaks); the line is where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _read_csv(path: Path) -> ReadResult:
    text = decode_bytes(path.read_bytes(), path=str(path)).text
    try:
        records = list(_records(text))
    except csv.Error as exc:  # an unclosed quote runs to the end of the file
        raise SourceFormatError(
            str(path), f"kein lesbares CSV ({exc}): die Datei ist beschädigt oder unvollständig"
        ) from exc
    header_idx = None
    for i, (_, cells) in enumerate(records[:6]):
        folded = [fold(c) for c in cells]
        if "straftat" in folded and any(f.startswith("gemeinde") for f in folded):
            header_idx = i
            break
        if not _is_number_line(cells) and any(c.strip() for c in cells):
            break
    if header_idx is None:
        raise SourceFormatError(
            str(path), "unknown PKS layout: no header line with 'Straftat' and 'Gemeindeschlüssel'", line=1
        )
    headers = [c.strip() for c in records[header_idx][1]]
    body_start = header_idx + 1
    while body_start < len(records) and _is_number_line(records[body_start][1]):
        body_start += 1
    year = year_from_path(path)
    if year is None:
        raise SourceFormatError(str(path), "cannot tell the reporting year: no year in the file or folder name")
    rows = [(line, cells) for line, cells in records[body_start:] if any(c.strip() for c in cells)]
    if rows and len(rows[-1][1]) < len(headers) and not text.endswith(("\n", "\r")):
        raise SourceFormatError(
            str(path),
            f"die Datei endet mitten im Datensatz ({len(rows[-1][1])} von {len(headers)} Feldern): sie ist unvollständig, "
            "etwa durch einen abgebrochenen Download; laden Sie sie erneut herunter",
            line=rows[-1][0],
        )
    hz_basis = next((h for h in headers if fold(h).startswith("hz") or "haeufigkeit" in fold(h)), "HZ")
    return _frame_from_rows(path, headers, rows, year, hz_basis)


def _read_workbook(path: Path) -> ReadResult:
    """XLSX (2021 onwards) and BIFF ``.xls`` (2013 and earlier): a title block, a multi-row header that
    starts with "Schlüssel" (and may end in a column-number row), then one row per Kreis and offence."""
    all_rows = read_workbook_rows(path)
    header_top = data_start = None
    for i, row in enumerate(all_rows[:40]):
        first = row[0] if row else None
        if header_top is None and isinstance(first, str) and fold(first).startswith("schl"):
            header_top = i
        elif header_top is not None and OFFENCE_KEY.match(cell_text(first).strip()):
            data_start = i
            break
    if header_top is None or data_start is None:
        raise SourceFormatError(
            str(path), "unknown PKS layout: no header block ('Schlüssel' …) followed by data rows in the first sheet"
        )
    header_rows = [r for r in all_rows[header_top:data_start] if not _is_number_line([cell_text(c) for c in r])]
    width = max(len(r) for r in header_rows)
    block = [[(r[j] if j < len(r) else None) for j in range(width)] for r in header_rows]
    _fill_group_headers(block)
    headers = [join_header([block[k][j] for k in range(len(block))]) for j in range(width)]
    title = " ".join(str(c) for r in all_rows[:header_top] for c in r if c is not None)
    stated = re.search(r"Berichts(?:zeitraum|jahr):?\s*(?:\d\d\.\d\d\.)?((?:19|20)\d\d)", title)
    year = int(stated.group(1)) if stated else year_from_path(path)
    if year is None:
        raise SourceFormatError(str(path), "cannot tell the reporting year from the title block or file name")
    data = []
    for n, r in enumerate(all_rows[data_start:], start=data_start + 1):
        if r is None or all(c in (None, "") for c in r):
            continue
        cells = [cell_text(c) for c in r[:width]]
        cells += [""] * (width - len(cells))
        data.append((n, cells))
    hz_basis = next((h for h in headers if fold(h).startswith("hz")), "HZ")
    result = _frame_from_rows(path, headers, data, year, hz_basis)
    if stated:
        result.year_from = f"content: {stated.group(0)}"
        named = year_from_path(path)
        if named is not None and named != year:
            result.note = "; ".join(
                x for x in (result.note, f"reporting year {year} from the title block, not {named} from the name") if x
            )
    return result


def check_grid(path: Path, table: pd.DataFrame) -> None:
    """The table's structure: every offence key lists the same Kreise (the BKA publishes the full grid of
    offence keys and Kreise). A key with fewer Kreise than the others means a table cut off in the middle
    (an interrupted download, a copy broken off): the file is refused, naming the key and the line."""
    if not len(table):
        return
    sizes = table.groupby("offence_key", sort=False)["ags"].nunique()
    full = int(sizes.max())
    short = sizes[sizes < full]
    if len(short):
        key = str(short.index[-1])
        raise SourceFormatError(
            str(path),
            f"die Tabelle ist unvollständig: für {len(short)} Straftatenschlüssel (z. B. {key}) stehen weniger Kreise "
            f"als die {full} der übrigen ({int(short.iloc[-1])}); die Datei ist abgeschnitten oder beschädigt – laden "
            "Sie sie erneut herunter",
        )


def join_header(parts: list[object]) -> str:
    """One column's header from the cells of a multi-row header: words broken with a hyphen over rows are
    joined again ("Kreis-" / "schlüs-" / "sel" → "Kreisschlüssel"), other parts with a space."""
    out = ""
    for part in (str(p).strip() for p in parts if p not in (None, "")):
        hyphenated = out.endswith("-") and part[:1].islower()
        out = out[:-1] + part if hyphenated else f"{out} {part}".strip()
    return out


def _fill_group_headers(block: list[list[object]]) -> None:
    """Spread a group header ("Tatverdächtige", "Versuche") over the columns below it that only carry
    sub-headers, in every header row but the last; a new header above starts a new group."""
    empty = (None, "")
    published = [row[:] for row in block]
    for k in range(len(block) - 1):
        last = None
        for j in range(len(block[k])):
            has_sub = any(block[m][j] not in empty for m in range(k + 1, len(block)))
            starts_above = any(published[m][j] not in empty for m in range(k))
            if block[k][j] not in empty:
                last = block[k][j]
            elif has_sub and last is not None and not starts_above:
                block[k][j] = last
            else:
                last = None


def read_workbook_rows(path: Path, sheet: int = 0) -> list[list[object]]:
    """All rows of one worksheet as Python values (calamine: fast, and tolerant of odd xlsx parts)."""
    from python_calamine import CalamineWorkbook

    if zipfile.is_zipfile(path):  # an XLSX: its parts are zip members, within the same limits as any
        check_members(path)
    try:
        with path.open("rb") as fh:  # a file object: any file name, UTF-8 or not
            rows = CalamineWorkbook.from_filelike(fh).get_sheet_by_index(sheet).to_python()
    except Exception as exc:  # calamine raises its own error types for damaged zips and XML
        raise SourceFormatError(str(path), f"not a readable workbook ({type(exc).__name__}: {exc})") from exc
    return [[None if c == "" else c for c in r] for r in rows]


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (integral floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _frame_from_rows(
    path: Path,
    headers: list[str],
    rows: list[tuple[int, list[str]]],
    year: int,
    hz_basis: str,
) -> ReadResult:
    mapping = map_header(headers, str(path), [cells for _, cells in rows[:20]])
    unnamed = [i for i, h in enumerate(headers) if not h.strip()]
    width = len(headers)
    # trailing empty header cells that hold no data (xlsx padding) are not columns
    rejects: list[dict] = []
    good_lines: list[int] = []
    good_raw: list[str] = []
    cells_list: list[list[str]] = []
    for line_no, cells in rows:
        raw = ";".join(cells)
        if len(cells) < width and all(not headers[i].strip() for i in range(len(cells), width)):
            cells = cells + [""] * (width - len(cells))
        if len(cells) != width:
            rejects.append(
                reject(
                    path,
                    line_no,
                    None,
                    raw,
                    f"line has {len(cells)} fields, the header has {width} (truncated or shifted line)",
                )
            )
            continue
        good_lines.append(line_no)
        good_raw.append(raw)
        cells_list.append([c.strip() for c in cells])
    df = (
        pd.DataFrame(cells_list, columns=range(width), dtype="string[pyarrow]")
        if cells_list
        else pd.DataFrame(columns=range(width), dtype="string[pyarrow]")
    )
    out = pd.DataFrame({canon: df[i] for i, canon in mapping.items()})
    check_grid(path, out)
    notes: list[str] = []
    if unnamed:
        filled = [i for i in unnamed if (df[i] != "").any()] if len(df) else []
        if len(filled) >= 3 and len(unnamed) == 5:
            # PKS 2020: sort key, blank, Kreis key and name repeated, population 31.12. of the previous year
            out["population_published"] = df[unnamed[4]]
            out["_ags_check"] = df[unnamed[2]]
            notes.append("working columns of 2020: sort key dropped, Kreis key checked, population kept")
        elif filled:
            raise SourceFormatError(
                str(path), f"unknown PKS layout: {len(filled)} unnamed columns with data at positions {filled}"
            )
    extra = [h for i, h in enumerate(headers) if h.strip() and i not in mapping]
    if extra:
        notes.append("columns not recognised and not loaded: " + ", ".join(extra))

    bad = pd.Series("", index=out.index, dtype=object)
    bad_field = pd.Series("", index=out.index, dtype=object)

    def flag(mask: pd.Series, field_name: str, reason: str) -> None:
        new = mask & (bad == "")
        bad[new] = reason
        bad_field[new] = field_name

    key = out["offence_key"]
    flag(~key.str.match(OFFENCE_KEY.pattern), "offence_key", "offence key is not 6 characters of digits, '*' or '-'")
    ags = out["ags"].str.replace(r"\.0$", "", regex=True)
    flag(~ags.str.fullmatch(r"\d{4,5}"), "ags", "Kreis key is not 4 or 5 digits")
    out["ags"] = ags.str.zfill(5)
    if "_ags_check" in out:
        check = out.pop("_ags_check").str.zfill(5)
        flag((check != "00000") & (check != out["ags"]), "ags", "repeated Kreis key in the working columns differs")

    count_cols = [c for c in COUNT_COLUMNS if c in out]
    numeric = count_cols + [c for c in DECIMAL_COLUMNS if c in out]
    texts = {c: out[c].astype("string[pyarrow]").fillna("").str.replace("[\\s\u00a0]", "", regex=True) for c in numeric}
    for c in DECIMAL_COLUMNS:
        if c in texts:
            # shares with a zero denominator are published as Excel's "#DIV/0!" (2022): undefined, not bad
            excel_error = texts[c].str.startswith("#")
            if excel_error.any():
                notes.append(f"{int(excel_error.sum())} Excel error values in {c} (e.g. #DIV/0!) read as empty")
                texts[c] = texts[c].where(~excel_error, "")
    marks = {}
    for c in numeric:
        texts[c], marks[c] = split_marks(texts[c])
    flag(marks["cases"] != "", "cases", "cases carries a mark of the official statistics instead of a number")
    if note := marks_note({c: m for c, m in marks.items() if c != "cases"}):
        notes.append(note)
    for c in DECIMAL_COLUMNS:
        if c in texts:
            flag(
                texts[c].str.contains(EXCEL_DATE, regex=True),
                c,
                f"{c} was turned into a date by a spreadsheet (e.g. 7.5 into '07. Mai'): use the file as published",
            )
    # the file's decimal separator, from every column that shows one: settles columns without evidence
    votes = [decimal_evidence(t) for t in texts.values()]
    file_decimal = "," if sum(v[","] for v in votes) > sum(v["."] for v in votes) else "."
    for c in numeric:
        fmt = infer_format(texts[c], file_decimal=file_decimal)
        num, contradicts = parse_column(texts[c], fmt)
        flag(contradicts & ~texts[c].str.fullmatch(r"[+-]?[\d.,eE+-]+"), c, f"{c} is not a number")
        flag(contradicts, c, f"{c} contradicts the number format of its column ({fmt.describe()})")
        if c in COUNT_COLUMNS:
            flag(
                num.notna() & ((num < 0) | (num % 1 != 0)),
                c,
                f"{c} is not a non-negative whole number (its column writes {fmt.describe()})",
            )
        out[c] = num
    flag(out["cases"].isna() & (bad == ""), "cases", "cases is empty")
    out["offence_label"] = out["offence_label"].str.strip()

    out["year"] = year
    out["hz_basis"] = hz_basis
    out["source_file"] = str(path)
    out["source_line"] = good_lines
    dup = out.duplicated(["year", "ags", "offence_key"], keep="first") & (bad == "")
    flag(dup, "offence_key", "duplicate (Kreis, offence key) row in the same file")

    bad_mask = bad != ""
    for idx in np.flatnonzero(bad_mask.to_numpy()):
        rejects.append(reject(path, good_lines[idx], bad_field.iloc[idx], good_raw[idx], bad.iloc[idx]))
    loaded = out.loc[~bad_mask].copy()
    for c in OUTPUT_COLUMNS:
        if c not in loaded:
            loaded[c] = None
    loaded = loaded[OUTPUT_COLUMNS]
    for c in COUNT_COLUMNS:
        loaded[c] = loaded[c].astype("Int64")
    for c in loaded.columns:  # plain Python strings downstream (DuckDB scans object columns natively)
        if isinstance(loaded[c].dtype, pd.StringDtype):
            loaded[c] = loaded[c].astype(object).where(loaded[c].notna(), None)
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    rej = rej.sort_values("line", kind="stable").reset_index(drop=True) if len(rej) else rej
    return ReadResult(str(path), loaded.reset_index(drop=True), rej, note="; ".join(notes))
