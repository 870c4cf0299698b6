"""Population and area per Gemeinde from the Destatis Gemeindeverzeichnis, every stored form.

Publisher: Statistisches Bundesamt (Destatis) for the Statistische Ämter des Bundes und der Länder
("Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet"; dl-de/by-2-0).

* **GV100AD** fixed-width records (Satzart 60 = Gemeinde; 1-based positions 3–10 Gebietsstand, 11–18
  AGS, 23–72 name, 129–139 area in ha, 140–150 population, 151–161 male). ISO-8859-1 up to 2018,
  UTF-8 from 2021 (Sorbian names), with a BOM in 2025; CRLF or LF; plain or ``.gz``. Positions are
  counted in characters after decoding.
* **GV-ISys JSON** (third-party conversion keyed by the 12-digit Regionalschlüssel; area in km²;
  decimal-comma coordinates). The file holds no population date: it is taken from ``popYYYY-MM-DD`` in
  the file name, and the file is refused without one.
* **AuszugGV CSV** (Excel-damaged: BOM, ``,``, spaces as thousands separators, area in km²); date as
  for the JSON.

The population date lags the edition (the 30.09.2018 edition carries 31.12.2016); known editions are
listed in :data:`GV100AD_POPULATION_DATES` (from the Destatis notes), others use 31.12. of the year
before the edition and say so in ``note``. From the 31.08.2025 edition on, figures rest on the
Zensus 2022 (``census_basis``): a break in the series, not a trend.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path

import pandas as pd

from praevention.errors import SourceFormatError
from praevention.parsing import AgsError, NumberFormatError, ags_from_ars, decode_bytes, parse_number
from praevention.readers.base import ReadResult, empty_rejects, reject

OUTPUT_COLUMNS = [
    "ags",
    "level",
    "name",
    "reference_date",
    "population",
    "population_male",
    "area_km2",
    "census_basis",
    "edition",
    "source",
    "source_file",
    "source_line",
    "postcode",
]
#: the columns of a reader's records
RECORD_COLUMNS = ["ags", "name", "population", "population_male", "area_km2", "source_line", "postcode"]
#: column types of an empty load (no readable file), so that the checks still bind
TYPES = {c: "VARCHAR" for c in OUTPUT_COLUMNS} | {
    "reference_date": "DATE",
    "edition": "DATE",
    "population": "BIGINT",
    "population_male": "BIGINT",
    "area_km2": "DOUBLE",
    "source_line": "BIGINT",
}

#: Gebietsstand of a GV100AD edition -> reference date of its population figures (Destatis Hinweise;
#: checked against the Landesamt's published totals, PROVENANCE-geo-accidents.md §3.1).
GV100AD_POPULATION_DATES = {
    dt.date(2018, 9, 30): dt.date(2016, 12, 31),
    dt.date(2021, 9, 30): dt.date(2020, 12, 31),
    dt.date(2021, 11, 30): dt.date(2020, 12, 31),
    dt.date(2023, 11, 30): dt.date(2022, 12, 31),
    dt.date(2025, 8, 31): dt.date(2024, 12, 31),
}
#: Destatis switched the population series to the Zensus 2022 basis with the editions of mid-2024.
ZENSUS_2022_FROM_EDITION = dt.date(2024, 7, 1)
_DATE_IN_NAME = re.compile(r"pop(\d{4})-(\d{2})-(\d{2})")


def census_basis(edition: dt.date | None, reference: dt.date) -> str:
    if edition is not None and edition >= ZENSUS_2022_FROM_EDITION and reference >= dt.date(2022, 5, 15):
        return "Zensus 2022"
    return "Zensus 2011"


def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise SourceFormatError(str(path), f"damaged gzip file: {exc}") from exc
    text = decode_bytes(data, path=str(path)).text
    if not text.strip():
        raise SourceFormatError(str(path), "empty file")
    return text


def _reference_from_name(path: Path) -> dt.date:
    hit = _DATE_IN_NAME.search(path.name)
    if not hit:
        raise SourceFormatError(
            str(path), "the file states no population date; name it with 'popYYYY-MM-DD' (e.g. …_pop2019-12-31_….csv)"
        )
    return dt.date(int(hit.group(1)), int(hit.group(2)), int(hit.group(3)))


GV100AD_RECORD_TYPES = {"10", "20", "30", "40", "50", "60"}  # Land, RB, Region, Kreis, Gemeindeverband, Gemeinde
PLAUSIBLE_YEARS = (1990, 2100)


def read_gv100ad(path: str | Path) -> ReadResult:
    """GV100AD fixed-width Gemeindeverzeichnis: Satzart 60 records (Gemeinden)."""
    path = Path(path)
    lines = _text(path).splitlines()
    records, rejects = [], []
    edition: dt.date | None = None
    note = ""
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        kind = line[:2]
        if not kind.isdigit():
            raise SourceFormatError(
                str(path), "not a GV100AD record (Satzart must be 2 digits)", line=no, value=line[:40]
            )
        if kind not in GV100AD_RECORD_TYPES:
            rejects.append(reject(path, no, "Satzart", line, f"unknown Satzart {kind} (known: 10, 20, 30, 40, 50, 60)"))
            continue
        if kind != "60":
            continue
        try:
            stand = dt.datetime.strptime(line[2:10], "%Y%m%d").date()
            if not PLAUSIBLE_YEARS[0] <= stand.year <= PLAUSIBLE_YEARS[1]:
                raise SourceFormatError(
                    str(path),
                    f"Gebietsstand {stand} outside {PLAUSIBLE_YEARS[0]}–{PLAUSIBLE_YEARS[1]}: not a GV100AD edition",
                    line=no,
                    value=line[2:10],
                )
            ags = line[10:18]
            if not ags.isdigit():
                raise AgsError(f"AGS is not 8 digits: {ags!r}")
            area_ha = parse_number(line[128:139].strip(), decimal=",")
            population = parse_number(line[139:150].strip(), decimal=",")
            male = parse_number(line[150:161].strip(), decimal=",")
        except (ValueError, NumberFormatError) as exc:
            rejects.append(reject(path, no, None, line, f"Satzart 60 record: {exc}"))
            continue
        if population is None or population < 0 or len(line.rstrip()) < 150:
            rejects.append(
                reject(path, no, "Bevölkerung", line, "no population in a Gemeinde record (line too short?)")
            )
            continue
        if edition is None:
            edition = stand
        elif stand != edition:
            rejects.append(reject(path, no, "Gebietsstand", line, f"Gebietsstand {stand} differs from {edition}"))
            continue
        postcode = line[165:170].strip() or None  # the Gemeinde's postcode; '*****' after it: it has several
        area = None if area_ha is None else area_ha / 100
        records.append((ags, line[22:72].strip(), population, male, area, no, postcode))
    if edition is None:
        raise SourceFormatError(str(path), "no Satzart 60 (Gemeinde) records: not a GV100AD file?")
    reference = GV100AD_POPULATION_DATES.get(edition)
    if reference is None:
        reference = dt.date(edition.year - 1, 12, 31)
        note = f"edition {edition} not in the known list: population date assumed {reference}"
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    frame["level"] = "Gemeinde"
    frame["reference_date"] = reference
    frame["edition"] = edition
    frame["census_basis"] = census_basis(edition, reference)
    frame["source"] = f"Destatis GV100AD, Gebietsstand {edition:%d.%m.%Y}"
    frame["source_file"] = str(path)
    return _finish(path, frame, rejects, note)


def read_gv_isys_json(path: str | Path) -> ReadResult:
    """GV-ISys extract as JSON, keyed by the 12-digit Regionalschlüssel."""
    path = Path(path)
    try:
        doc = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise SourceFormatError(str(path), f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(doc, dict):
        raise SourceFormatError(str(path), "expected an object keyed by Regionalschlüssel")
    reference = _reference_from_name(path)
    records, rejects = [], []
    for no, (key, item) in enumerate(doc.items(), start=1):
        raw = json.dumps({key: item}, ensure_ascii=False)[:500]
        try:
            ags = ags_from_ars(key)
            population = parse_number(item.get("population"))
            male = parse_number(item.get("population_m"))
            area = parse_number(item.get("area"))
        except (AgsError, NumberFormatError, AttributeError) as exc:
            rejects.append(reject(path, no, None, raw, str(exc)))
            continue
        if population is None or population < 0:
            rejects.append(reject(path, no, "population", raw, "missing or negative population"))
            continue
        records.append((ags, None, population, male, area, no, str(item.get("zip") or "").strip() or None))
    frame = _extract_frame(path, records, reference, "Destatis Gemeindeverzeichnis (GV-ISys, JSON-Auszug)")
    return _finish(path, frame, rejects, "population date from the file name")


def read_gv_auszug_csv(path: str | Path) -> ReadResult:
    """Gemeindeverzeichnis-Auszug CSV (Excel export: spaces as thousands separators)."""
    path = Path(path)
    try:
        raw = pd.read_csv(io.StringIO(_text(path)), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise SourceFormatError(str(path), f"not a readable CSV: {exc}") from exc
    needed = {"satzart", "land", "rb", "kreis", "gemeinde", "bevoelkerung", "flaeche"}
    if not needed <= set(raw.columns):
        raise SourceFormatError(
            str(path), f"not a Gemeindeverzeichnis extract: missing columns {sorted(needed - set(raw.columns))}"
        )
    reference = _reference_from_name(path)
    records, rejects = [], []
    n_rows = 0
    for i, row in raw.iterrows():
        if row["satzart"].strip() != "60":
            continue
        n_rows += 1
        no = int(i) + 2
        text = ",".join(row.tolist())
        try:
            ags = (row["land"].zfill(2) + row["rb"] + row["kreis"].zfill(2) + row["gemeinde"].zfill(3)).strip()
            if not re.fullmatch(r"\d{8}", ags):
                raise AgsError(f"AGS from land/rb/kreis/gemeinde is not 8 digits: {ags!r}")
            population = parse_number(row["bevoelkerung"], decimal=",")
            male = parse_number(row.get("maennlich", ""), decimal=",")
            area = parse_number(row["flaeche"], decimal=".")
        except (AgsError, NumberFormatError) as exc:
            rejects.append(reject(path, no, None, text, str(exc)))
            continue
        if population is None or population < 0:
            rejects.append(reject(path, no, "bevoelkerung", text, "missing or negative population"))
            continue
        name = row.get("gemeindename", "").strip() or None
        records.append((ags, name, population, male, area, no, row.get("postleitzahl", "").strip() or None))
    frame = _extract_frame(path, records, reference, "Destatis Gemeindeverzeichnis-Auszug (CSV)")
    return _finish(path, frame, rejects, "population date from the file name; Satzart 60 rows only")


def _extract_frame(path: Path, records: list[tuple], reference: dt.date, source: str) -> pd.DataFrame:
    """The Gemeinde rows of an extract (no edition; the reference date comes from the file name)."""
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    frame["level"] = "Gemeinde"
    frame["reference_date"] = reference
    frame["edition"] = None
    frame["census_basis"] = census_basis(None, reference)
    frame["source"] = source
    frame["source_file"] = str(path)
    return frame


def _finish(path: Path, frame: pd.DataFrame, rejects: list[dict], note: str) -> ReadResult:
    dup = frame.duplicated("ags", keep="first")
    for _, row in frame[dup].iterrows():
        rejects.append(reject(path, int(row["source_line"]), "AGS", row["ags"], "duplicate Gemeinde in the same file"))
    frame = frame.loc[~dup].copy()
    frame["population"] = frame["population"].astype("int64")
    frame["population_male"] = frame["population_male"].astype("Int64")
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    return ReadResult(str(path), frame[OUTPUT_COLUMNS].reset_index(drop=True), rej, note=note)
