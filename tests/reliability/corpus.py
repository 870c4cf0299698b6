"""A corpus of malformed inputs, generated from the real published files in ``../shared/data``.

Each :class:`Case` writes one damaged raw-data folder and names the outcome the pipeline must give:

* ``error`` – the source stops with a clear :class:`~praevention.errors.SourceFormatError` /
  ``PipelineError`` naming the file(s), nothing written (two files claiming one year);
* ``refused`` – the file is not loaded and named with its reason in the ingest log (the run summary and
  the check ``files_readable``); the source's other files load, and a source left empty fails its
  blocking check ``not_empty``;
* ``quarantine`` – a load in which the bad rows are in ``quarantine`` with their reason;
* ``check`` – a load that an asset check then flags (blocking ones stop the joins);
* ``loaded`` – the input is read correctly (the case asserts the figures where it matters).

:func:`run_case` runs a case through the same loader its source asset uses and an atomic warehouse write,
and returns what happened. The tests in this folder assert the outcomes; ``report.py`` counts them for
``docs/reliability.md``.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
PKS_CSV = SHARED / "crime/bka_pks_t01_kreise/2019_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"
PKS_XLSX = SHARED / "crime/bka_pks_t01_kreise/2024_KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx"
PKS_DIR = SHARED / "crime/bka_pks_t01_kreise"
GEOJSON_GEMEINDEN = SHARED / "boundaries/sachsen_anhalt_gemeinden_vg250_2016-01-01.geojson"
GEOJSON_KREISE = SHARED / "boundaries/sachsen_anhalt_kreise_vg250_2016-01-01.geojson"
GV100AD = SHARED / "population/gv100ad/GV100AD_301123_ST.txt"
REGIO = SHARED / "accidents/regionalstatistik_46241-01-03/original/46241-01-03-4_00.csv"
MAGDEBURG = SHARED / "accidents/magdeburg_derived/Magdeburg_Unfallatlas.geojson"
UA_HEADER = (
    "OBJECTID;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84"
)


@dataclass(frozen=True)
class Case:
    source: str  # the source asset
    name: str
    expected: str  # error | refused | quarantine | check | loaded
    build: Callable[[Path], None]  # writes the damaged file(s) into a raw-data folder
    also: tuple[str, ...] = ()  # sources loaded from the same folder first (the tables a check needs)


# ------------------------------------------------------------------ helpers on the real files
def _lines(path: Path, encoding: str) -> list[str]:
    return path.read_bytes().decode(encoding).splitlines()


def _write(path: Path, text: str | bytes, encoding: str = "latin-1") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))


def _pks(
    edit: Callable[[list[str]], list[str]],
    *,
    encoding: str = "latin-1",
    name: str | None = None,
    source: Path = PKS_CSV,
):
    def build(raw: Path) -> None:
        lines = edit(_lines(source, "latin-1"))
        _write(raw / "crime" / (name or source.name), "\r\n".join(lines) + "\r\n", encoding)

    return build


def _pks_year(year: int) -> Path:
    return next(PKS_DIR.glob(f"{year}_*"))


def _copies(*files: tuple[int, str | None]):
    """Real PKS files of the given years, each under its own name or the one given."""

    def build(raw: Path) -> None:
        for year, name in files:
            _write(raw / "crime" / (name or _pks_year(year).name), _pks_year(year).read_bytes())

    return build


def _both(*builds: Callable[[Path], None]):
    def build(raw: Path) -> None:
        for b in builds:
            b(raw)

    return build


def _pks_data_row(lines: list[str], offence: str, ags: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(offence + ";") and f";{ags};" in line)


def _pks_edit(offence: str, ags: str, column: int, value: Callable[[str], str]):
    """One cell of one row (offence key, Kreis key) of a real PKS CSV replaced."""

    def edit(lines: list[str]) -> list[str]:
        i = _pks_data_row(lines, offence, ags)
        cells = lines[i].split(";")
        cells[column] = value(cells[column])
        return [*lines[:i], ";".join(cells), *lines[i + 1 :]]

    return edit


def _xlsx_text_cell(raw: Path) -> None:
    """The 2024 workbook with one count stored as the text "1.234"."""
    from openpyxl import load_workbook

    wb = load_workbook(PKS_XLSX)
    wb.worksheets[0].cell(row=12, column=6).value = "1.234"
    (raw / "crime").mkdir(parents=True, exist_ok=True)
    wb.save(raw / "crime" / PKS_XLSX.name)


def _legacy_xls(raw: Path) -> None:
    from tests.readers.pks_xls import write_pks_xls

    (raw / "crime").mkdir(parents=True, exist_ok=True)
    # 2012: a year without a published Land total to compare the invented figures with
    write_pks_xls(raw / "crime" / "2012_tb01_FaelleKriminalitaetsbetrachtungAufKreisebene_excel.xls", 2012)


def _latin1_name(raw: Path) -> None:
    import os

    folder = raw / "crime"
    folder.mkdir(parents=True, exist_ok=True)
    name = os.fsdecode(b"2019_Kreise_F\xe4lle_csv.csv")  # "Fälle" written by an old latin-1 archiver
    (folder / name).write_bytes(PKS_CSV.read_bytes())


def _linked_folder(raw: Path) -> None:
    elsewhere = raw.parent / "elsewhere"
    if elsewhere.exists():
        shutil.rmtree(elsewhere)
    _write(elsewhere / PKS_CSV.name, PKS_CSV.read_bytes())
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "crime").symlink_to(elsewhere, target_is_directory=True)


LKA_HEADER = "AGS;Berichtsjahr;PKS-Schlüssel;Fälle;Versuche;aufgeklärte Fälle"
#: two good rows of 2019 (Halle 27,408 and Harz 15,548 cases in the BKA's table): Halle and Quedlinburg
LKA_ROWS = ["15002000;2019;------;27.000;1.200;15.000", "15085235;2019;------;2.300;;"]


def _lka(*rows: str, header: bool = True):
    """An LKA export (PKS by Tatortgemeinde) of 2019 in the import format, German notation, Windows-1252."""

    def build(raw: Path) -> None:
        lines = [LKA_HEADER] * header + [*LKA_ROWS, *rows]
        _write(raw / "crime" / "lka_tatortgemeinde" / "pks_tatortgemeinden_2019.csv", "\r\n".join(lines), "cp1252")

    return build


def _gv_also(raw: Path) -> None:
    _write(raw / "population" / GV100AD.name, GV100AD.read_bytes())


def _gemeinden_also(raw: Path) -> None:
    _write(raw / "boundaries" / GEOJSON_GEMEINDEN.name, GEOJSON_GEMEINDEN.read_bytes())


def _munich(lines: list[str]) -> list[str]:
    """The first Magdeburg accident moved to Munich's Marienplatz, its Magdeburg key kept."""
    row = _cell(_cell(lines[1], 21, "691607,0"), 22, "5334760,0")
    return [lines[0], _cell(_cell(row, 23, "11,5755"), 24, "48,1374"), *lines[2:]]


def _nested_zip(raw: Path) -> None:
    import io

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("csv/Unfallorte2022_LinRef.csv", ("\r\n".join(_unfallatlas_lines()) + "\r\n").encode("latin-1"))
    _zip_with(raw, {"Unfallorte2022_EPSG25832_CSV.zip": inner.getvalue()})


def _zip_bomb(raw: Path) -> None:
    """About 1 MB of zip holding 1 GiB of zeros under the name of an Unfallatlas table."""
    folder = raw / "accidents"
    folder.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(folder / "Unfallorte2022_EPSG25832_CSV.zip", "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("csv/Unfallorte2022_LinRef.csv", "w") as fh,
    ):
        block = b"0" * (1 << 20)
        for _ in range(1024):
            fh.write(block)


def _point_boundary(doc: dict) -> dict:
    doc["features"][3]["geometry"] = {"type": "Point", "coordinates": [11.6, 52.1]}
    return doc


def _cell(line: str, index: int, value: str) -> str:
    cells = line.split(";")
    cells[index] = value
    return ";".join(cells)


def _unfallatlas_lines() -> list[str]:
    """The real Magdeburg records of 2021 in the official 2020-onwards CSV layout (decimal commas)."""
    from tests.points import load_points

    f = load_points([], [MAGDEBURG]).frame
    f = f[f["year"] == 2022].head(300)

    def dec(v: float) -> str:
        return f"{v:.9f}".replace(".", ",")

    rows = [UA_HEADER]
    for i, r in enumerate(f.itertuples(), start=1):
        ags = r.ags
        rows.append(
            ";".join(
                [
                    str(i),
                    f"X{i:09d}",
                    ags[:2],
                    ags[2],
                    ags[3:5],
                    ags[5:8],
                    str(r.year),
                    f"{r.month:02d}",
                    f"{r.hour:02d}",
                    str(r.weekday),
                    str(r.category),
                    str(r.kind),
                    str(r.type),
                    str(r.light),
                    *(
                        "1" if b else "0"
                        for b in (
                            r.is_bicycle,
                            r.is_car,
                            r.is_pedestrian,
                            r.is_motorcycle,
                            r.is_goods_vehicle,
                            r.is_other,
                        )
                    ),
                    str(r.road_condition),
                    dec(r.x_25832),
                    dec(r.y_25832),
                    dec(r.lon),
                    dec(r.lat),
                ]
            )
        )
    return rows


def _ua(edit: Callable[[list[str]], list[str]], *, zipped: bool = False, member: str = "Unfallorte2022_LinRef.csv"):
    def build(raw: Path) -> None:
        text = "\r\n".join(edit(_unfallatlas_lines())) + "\r\n"
        folder = raw / "accidents"
        if zipped:
            folder.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(folder / "Unfallorte2022_EPSG25832_CSV.zip", "w") as zf:
                zf.writestr(f"csv/{member}", text.encode("latin-1"))
        else:
            _write(folder / member, text)

    return build


def _geojson(edit: Callable[[dict], dict], name: str = GEOJSON_KREISE.name):
    def build(raw: Path) -> None:
        doc = edit(json.loads(GEOJSON_KREISE.read_text(encoding="utf-8")))
        _write(raw / "boundaries" / name, json.dumps(doc), "utf-8")

    return build


def _gv(edit: Callable[[list[str]], list[str]]):
    def build(raw: Path) -> None:
        _write(raw / "population" / GV100AD.name, "\n".join(edit(_lines(GV100AD, "latin-1"))) + "\n")

    return build


def _regio(edit: Callable[[list[str]], list[str]]):
    def build(raw: Path) -> None:
        _write(raw / "accidents" / REGIO.name, "\n".join(edit(_lines(REGIO, "utf-8"))) + "\n", "utf-8")

    return build


def _raw_bytes(folder: str, name: str, data: bytes):
    def build(raw: Path) -> None:
        _write(raw / folder / name, data)

    return build


def _register(edit: Callable[[Workbook], None]):
    def build(raw: Path) -> None:
        from praevention.register.template import write_template

        path = raw / "councils" / "register.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_template(path)
        from openpyxl import load_workbook

        wb = load_workbook(path)
        edit(wb)
        wb.save(path)

    return build


def _row(table: str, values: dict[str, object]) -> list[object]:
    from praevention.register.schema import TABLES

    return [values.get(f.name) for f in TABLES[table]]


def _register_rows(ws_bodies, ws_measures) -> None:
    ws_bodies.append(
        _row(
            "bodies",
            {
                "body_id": "G1",
                "name": "Präventionsrat Quedlinburg",
                "body_type": "Präventionsrat",
                "level": "Gemeinde",
                "ags": "15085235",
                "founded": "2019",
                "status": "aktiv",
            },
        )
    )
    ws_measures.append(
        _row(
            "measures",
            {
                "measure_id": "M1",
                "body_id": "G1",
                "title": "Streife",
                "domain": "Kriminalität",
                "target": "899000",
                "start": "01.03.2020",
            },
        )
    )


def _formula(wb: Workbook) -> None:
    _register_rows(wb["Gremien"], wb["Maßnahmen"])
    wb["Gremien"].cell(row=wb["Gremien"].max_row, column=5).value = "=15085000+235"


def _merged(wb: Workbook) -> None:
    _register_rows(wb["Gremien"], wb["Maßnahmen"])
    ws = wb["Gremien"]
    ws.append(
        _row(
            "bodies",
            {
                "body_id": "G2",
                "name": "Beirat Halle",
                "body_type": "Kriminalpräventiver Beirat",
                "level": "Gemeinde",
                "ags": "15002000",
                "founded": "2023",
                "status": "aktiv",
            },
        )
    )
    ws.merge_cells(start_row=ws.max_row - 1, start_column=2, end_row=ws.max_row, end_column=2)


GARBAGE = bytes(range(256)) * 40
PKS_2022 = SHARED / "crime/bka_pks_t01_kreise/2022_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"


def _cut_bytes(source: Path, share: float, *, at_line: bool = False):
    """A real file cut off after ``share`` of its bytes (an interrupted download), or at the line before."""

    def build(raw: Path) -> None:
        data = source.read_bytes()[: int(source.stat().st_size * share)]
        _write(raw / "crime" / source.name, data[: data.rindex(b"\n") + 1] if at_line else data)

    return build


def _quoted_labels(lines: list[str]) -> list[str]:
    """Straßenkriminalität written as the quoted label '"Straßenkriminalität; gesamt"' (RFC 4180)."""
    return [x.replace(";Straßenkriminalität;", ';"Straßenkriminalität; gesamt";') for x in lines]


def _quote_all(lines: list[str]) -> list[str]:
    """Every cell in quotes, as a spreadsheet's 'quote all text cells' export writes it."""
    return ['"' + '";"'.join(x.split(";")) + '"' if x else x for x in lines]


def _shares_as_dates(lines: list[str]) -> list[str]:
    """The attempts share of every Sachsen-Anhalt row as a spreadsheet turns 7.5 into a date ('07. Mai')."""
    months = ["Jan", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]

    def as_date(v: str) -> str:
        whole, _, tenth = v.partition(".")
        return f"{int(whole):02d}. {months[int(tenth or 0) % 12]}" if whole.isdigit() else v

    def lsa(x: str) -> bool:
        cells = x.split(";")
        return len(cells) > 8 and cells[2].startswith("15") and len(cells[2]) == 5

    return [_cell(x, 8, as_date(x.split(";")[8])) if lsa(x) else x for x in lines]


def _legacy_xls_four_rows(raw: Path) -> None:
    from tests.readers.pks_xls import write_pks_xls

    (raw / "crime").mkdir(parents=True, exist_ok=True)
    write_pks_xls(
        raw / "crime" / "2012_tb01_FaelleKriminalitaetsbetrachtungAufKreisebene_excel.xls", 2012, header="four-row"
    )


def _ua_reexport(raw: Path) -> None:
    """The same accidents twice: the file and a re-export with new OBJECTID and UIDENTSTLAE."""
    lines = _unfallatlas_lines()
    _write(raw / "accidents" / "Unfallorte2022_LinRef.csv", "\r\n".join(lines) + "\r\n")
    again = [lines[0], *(_cell(_cell(x, 0, str(90000 + i)), 1, f"N{i:09d}") for i, x in enumerate(lines[1:]))]
    _write(raw / "accidents" / "Unfallorte2022_LinRef_Neuexport.csv", "\r\n".join(again) + "\r\n")


def _swap_axes(doc: dict) -> dict:
    def walk(c):
        return [walk(x) for x in c] if isinstance(c[0], list) else [c[1], c[0]]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    return doc


def _one_kreis_doubled(doc: dict) -> dict:
    """The first Kreis stretched to twice its area around its first vertex (still inside Germany)."""
    geometry = doc["features"][0]["geometry"]

    def first(c):
        return first(c[0]) if isinstance(c[0], list) else c

    x0, y0 = first(geometry["coordinates"])

    def walk(c):
        return (
            [walk(x) for x in c] if isinstance(c[0], list) else [x0 + (c[0] - x0) * 2**0.5, y0 + (c[1] - y0) * 2**0.5]
        )

    geometry["coordinates"] = walk(geometry["coordinates"])
    return doc


def _gv_corrected_copy(raw: Path) -> None:
    """The GV100AD edition and a 'corrected' copy of it with one population changed."""
    _gv_also(raw)
    _write(
        raw / "population" / ("korrigiert_" + GV100AD.name),
        "\n".join(_gv_first_pop(_lines(GV100AD, "latin-1"), "00000012345")) + "\n",
    )


def _regio_shifted(lines: list[str]) -> list[str]:
    """Halle 2014 with an empty cell after its name: every figure moves one column right, the last is lost."""
    i = next(i for i, x in enumerate(lines) if x.startswith("2014;15002;"))
    cells = lines[i].split(";")
    return [*lines[:i], ";".join([*cells[:3], "", *cells[3:-1]]), *lines[i + 1 :]]


def _lka_years_as_dates(raw: Path) -> None:
    """The import workbook with the Berichtsjahr column formatted as dates (2019 shows as 11.07.1905)."""
    wb = Workbook()
    ws = wb.active
    ws.append(LKA_HEADER.split(";"))
    for row in LKA_ROWS:
        cells = row.split(";")
        ws.append([cells[0], int(cells[1]), cells[2], *(int(c.replace(".", "")) if c else None for c in cells[3:])])
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 2).number_format = "DD.MM.YYYY"
    path = raw / "crime" / "lka_tatortgemeinde" / "pks_tatortgemeinden_2019.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _register_utf16(raw: Path) -> None:
    """Both register tables saved by Excel as 'Unicode-Text': UTF-16 with a byte-order mark, tab-separated."""
    from openpyxl import Workbook as Book

    from praevention.register.schema import SHEET_NAMES, TABLES

    book = Book()
    _register_rows(book.create_sheet("b"), book.create_sheet("m"))
    for table, sheet in (("bodies", book["b"]), ("measures", book["m"])):
        rows = [[f.header for f in TABLES[table]], *([c.value for c in r] for r in sheet.iter_rows())]
        text = "\r\n".join("\t".join("" if v is None else str(v) for v in r) for r in rows) + "\r\n"
        _write(raw / "councils" / f"{SHEET_NAMES[table]}.csv", text.encode("utf-16"))


def _register_unreadable_beside(raw: Path) -> None:
    _register(lambda wb: _register_rows(wb["Gremien"], wb["Maßnahmen"]))(raw)
    _write(raw / "councils" / "register_alt.csv", b"Gremium-ID;Name\n" + GARBAGE)


CASES: list[Case] = [
    # --- BKA PKS T01 (CSV and XLSX)
    Case(
        "crime_cases",
        "truncated in the middle of a line",
        "refused",
        _pks(lambda ls: [*ls[:5000], ls[5000][: len(ls[5000]) // 2]]),
    ),
    Case(
        "crime_cases", "2022 cut off at 40 % of its bytes (interrupted download)", "refused", _cut_bytes(PKS_2022, 0.4)
    ),
    Case("crime_cases", "2022 cut off at a line boundary", "refused", _cut_bytes(PKS_2022, 0.4, at_line=True)),
    Case(
        "crime_cases",
        "exported for another Land: no Sachsen-Anhalt rows",
        "check",
        _pks(lambda ls: [x for x in ls if not re.match(r"^[^;]*;[^;]*;15\d{3};", x)]),
    ),
    Case("crime_cases", "a label with a quoted ';' (RFC 4180)", "loaded", _pks(_quoted_labels)),
    Case("crime_cases", "every cell in quotes", "loaded", _pks(_quote_all)),
    Case(
        "crime_cases",
        "the 2013 layout with its four-row header (.xls, synthetic figures)",
        "loaded",
        _legacy_xls_four_rows,
    ),
    Case("crime_cases", "shares a spreadsheet turned into dates ('07. Mai')", "quarantine", _pks(_shares_as_dates)),
    Case(
        "crime_cases",
        "marks of the official statistics ('.', 'x', '–') instead of numbers",
        "quarantine",
        _pks(
            lambda ls: [*ls[:2], _cell(_cell(ls[2], 7, "."), 13, "x"), _cell(ls[3], 5, "–"), *ls[4:]], encoding="cp1252"
        ),
    ),
    Case("crime_cases", "wrong encoding (UTF-16)", "refused", _pks(lambda ls: ls, encoding="utf-16")),
    Case(
        "crime_cases",
        "header shifted by two extra preamble lines",
        "refused",
        _pks(lambda ls: ["Polizeiliche Kriminalstatistik", "Tabelle 01", *ls]),
    ),
    Case(
        "crime_cases",
        "missing column (erfasste Faelle)",
        "refused",
        _pks(lambda ls: [";".join(c for j, c in enumerate(line.split(";")) if j != 5) for line in ls]),
    ),
    Case(
        "crime_cases",
        "renamed key column",
        "refused",
        _pks(lambda ls: [ls[0], ls[1].replace("Schluessel;", "Key;"), *ls[2:]]),
    ),
    Case(
        "crime_cases",
        "extra column",
        "quarantine",
        _pks(
            lambda ls: [
                ls[0] + ";19",
                ls[1] + ";Bemerkung",
                *(line + ";x" for line in ls[2:5]),
                _cell(ls[5], 5, "-5") + ";x",
                *(line + ";x" for line in ls[6:]),
            ]
        ),
    ),
    Case("crime_cases", "duplicate key rows", "quarantine", _pks(lambda ls: [*ls, ls[2], ls[3]])),
    Case("crime_cases", "AGS with letters", "quarantine", _pks(lambda ls: [*ls[:2], _cell(ls[2], 2, "1OO1"), *ls[3:]])),
    Case("crime_cases", "negative count", "quarantine", _pks(lambda ls: [*ls[:2], _cell(ls[2], 5, "-17"), *ls[3:]])),
    Case(
        "crime_cases", "non-numeric count", "quarantine", _pks(lambda ls: [*ls[:2], _cell(ls[2], 5, "viele"), *ls[3:]])
    ),
    Case(
        "crime_cases",
        "Sachsen-Anhalt total that does not add up",
        "check",
        _pks(lambda ls: [_cell(x, 5, "99,999") if x.startswith("------;") and ";15003;" in x else x for x in ls]),
    ),
    Case("crime_cases", "empty file", "refused", _raw_bytes("crime", PKS_CSV.name, b"")),
    Case("crime_cases", "binary garbage with a .csv name", "refused", _raw_bytes("crime", PKS_CSV.name, GARBAGE)),
    Case(
        "crime_cases",
        "xlsx cut in half",
        "refused",
        lambda raw: _write(raw / "crime" / PKS_XLSX.name, PKS_XLSX.read_bytes()[: PKS_XLSX.stat().st_size // 2]),
    ),
    Case(
        "crime_cases",
        "year outside the plausible range",
        "refused",
        _pks(lambda ls: ls, name="1899_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv"),
    ),
    # --- PKS: number formats decided per column (one odd cell must not flip a whole file)
    Case(
        "crime_cases",
        "one count written 9.754 in the 2014 CSV (no thousands separators elsewhere)",
        "quarantine",
        _pks(_pks_edit("------", "1001", 4, lambda v: f"{v[:-3]}.{v[-3:]}"), source=_pks_year(2014)),
    ),
    Case(
        "crime_cases",
        "',' and '.' swapped throughout the 2019 CSV",
        "loaded",
        _pks(lambda ls: [*ls[:2], *(x.translate(str.maketrans(",.", ".,")) for x in ls[2:])]),
    ),
    Case(
        "crime_cases",
        "one share written with a decimal comma in the 2019 CSV",
        "quarantine",
        _pks(_pks_edit("------", "15003", 8, lambda v: v.replace(".", ","))),
    ),
    Case("crime_cases", "a count stored as the text '1.234' in the 2024 XLSX", "quarantine", _xlsx_text_cell),
    # --- PKS: years from the content, duplicates
    Case(
        "crime_cases",
        "2018 table saved as '2019_… (1).csv' beside the real 2019 file",
        "error",
        _copies((2019, None), (2018, "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv (1).csv")),
    ),
    Case(
        "crime_cases",
        "2018 table saved as '2019_… (1).csv' beside the real 2018 and 2019 files",
        "loaded",
        _copies((2018, None), (2019, None), (2018, "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv (1).csv")),
    ),
    Case(
        "crime_cases",
        "2021 workbook saved under the name of 2022",
        "loaded",
        _copies((2021, "2022_KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx")),
    ),
    Case(
        "crime_cases",
        "an unknown file beside the PKS tables",
        "refused",
        _both(_copies((2019, None)), _raw_bytes("crime", "Notizen zur PKS.csv", b"Tabelle;irgendwas\n1;2\n")),
    ),
    Case("crime_cases", "Excel 97 .xls of 2012 (synthetic figures)", "loaded", _legacy_xls),
    # --- PKS: plausibility
    Case(
        "crime_cases",
        "a count of 1e12",
        "check",
        _pks(_pks_edit("899000", "15003", 5, lambda v: "1,000,000,000,000")),
    ),
    Case(
        "crime_cases",
        "ten times more cases cleared than recorded",
        "check",
        _pks(_pks_edit("899000", "15003", 11, lambda v: f"{int(v.replace(',', '')) * 10:,}")),
    ),
    Case(
        "crime_cases",
        "a published HZ ten times too large",
        "check",
        _both(_pks(_pks_edit("------", "15003", 6, lambda v: f"{int(v.replace(',', '')) * 10:,}")), _gv_also),
        also=("population",),
    ),
    # --- PKS: unclean errors
    Case("crime_cases", "a file name with a latin-1 byte", "loaded", _latin1_name),
    Case("crime_cases", "the table inside a symbolic link to a folder", "loaded", _linked_folder),
    # --- Unfallatlas
    Case("accident_points", "truncated last line", "quarantine", _ua(lambda ls: [*ls[:-1], ls[-1][:30]])),
    Case(
        "accident_points",
        "wrong encoding (UTF-16)",
        "refused",
        lambda raw: _write(
            raw / "accidents" / "Unfallorte2022_LinRef.csv",
            ("\r\n".join(_unfallatlas_lines()) + "\r\n").encode("utf-16"),
        ),
    ),
    Case(
        "accident_points",
        "missing column ULAND",
        "refused",
        _ua(lambda ls: [";".join(c for j, c in enumerate(line.split(";")) if j != 2) for line in ls]),
    ),
    Case(
        "accident_points", "renamed column UJAHR", "refused", _ua(lambda ls: [ls[0].replace("UJAHR", "JAHR"), *ls[1:]])
    ),
    Case(
        "accident_points",
        "extra column",
        "quarantine",
        _ua(
            lambda ls: [
                ls[0] + ";EXTRA",
                *(line + ";1" for line in ls[1:3]),
                _cell(ls[3], 7, "13") + ";1",
                *(line + ";1" for line in ls[4:]),
            ]
        ),
    ),
    Case("accident_points", "duplicate accident id", "check", _ua(lambda ls: [*ls, ls[1]])),
    Case("accident_points", "a re-export with new IDs beside the original", "check", _ua_reexport),
    Case(
        "accident_points",
        "a year written 2020.5",
        "quarantine",
        _ua(lambda ls: [ls[0], _cell(ls[1], 6, "2020,5"), *ls[2:]]),
    ),
    Case(
        "accident_points",
        "Gemeinde key with letters",
        "quarantine",
        _ua(lambda ls: [ls[0], _cell(ls[1], 5, "0A3"), *ls[2:]]),
    ),
    Case("accident_points", "month 13", "quarantine", _ua(lambda ls: [ls[0], _cell(ls[1], 7, "13"), *ls[2:]])),
    Case(
        "accident_points",
        "coordinates outside Germany",
        "quarantine",
        _ua(lambda ls: [ls[0], _cell(_cell(ls[1], 21, "99999,5"), 23, "-3,1"), *ls[2:]]),
    ),
    Case("accident_points", "year 2099", "quarantine", _ua(lambda ls: [ls[0], _cell(ls[1], 6, "2099"), *ls[2:]])),
    Case("accident_points", "empty file", "refused", _raw_bytes("accidents", "Unfallorte2022_LinRef.csv", b"")),
    Case(
        "accident_points",
        "zip with the wrong member",
        "refused",
        lambda raw: _zip_with(raw, {"liesmich.pdf": b"%PDF-1.4 not a table"}),
    ),
    Case("accident_points", "zip cut in half", "refused", lambda raw: _cut_zip(raw)),
    Case("accident_points", "the only file is a zip inside a zip", "refused", _nested_zip),
    Case(
        "accident_points",
        "a zip member name longer than the file system allows",
        "loaded",
        _ua(lambda ls: ls, zipped=True, member="x" * 300 + "_Unfallorte2022_LinRef.csv"),
    ),
    Case("accident_points", "a zip of 1 MB holding 1 GiB", "refused", _zip_bomb),
    Case(
        "accident_points",
        "Munich coordinates under a Magdeburg key",
        "check",
        _both(_ua(_munich), _gemeinden_also),
        also=("boundaries",),
    ),
    # --- VG250 boundaries (GeoJSON)
    Case(
        "boundaries",
        "invalid JSON",
        "refused",
        _raw_bytes("boundaries", GEOJSON_KREISE.name, b'{"type": "FeatureCollection", "features": ['),
    ),
    Case("boundaries", "empty geometry", "quarantine", _geojson(lambda d: _set_geometry(d, 0, None))),
    Case(
        "boundaries",
        "self-intersecting polygon",
        "quarantine",
        _geojson(
            lambda d: _set_geometry(
                d, 1, {"type": "Polygon", "coordinates": [[[11, 51], [12, 52], [12, 51], [11, 52], [11, 51]]]}
            )
        ),
    ),
    Case(
        "boundaries",
        "wrong CRS (metres declared as degrees)",
        "refused",
        _geojson(lambda d: _scale_coordinates(d, 100_000.0)),
    ),
    Case(
        "boundaries",
        "two units with the same key (overlapping polygons)",
        "quarantine",
        _geojson(lambda d: {**d, "features": [*d["features"], d["features"][0]]}),
    ),
    Case("boundaries", "a Point as a Kreis boundary", "quarantine", _geojson(_point_boundary)),
    Case("boundaries", "AGS with letters", "quarantine", _geojson(lambda d: _set_property(d, 2, "AGS", "15O83"))),
    Case("boundaries", "missing AGS property", "refused", _geojson(lambda d: _drop_property(d, "AGS"))),
    Case("boundaries", "binary garbage", "refused", _raw_bytes("boundaries", "kreise.geojson", GARBAGE)),
    Case("boundaries", "longitude and latitude swapped", "refused", _geojson(_swap_axes)),
    # --- GV100AD population
    Case("population", "truncated record", "quarantine", _gv(lambda ls: [*ls[:-1], ls[-1][:40]])),
    Case("population", "non-numeric population", "quarantine", _gv(lambda ls: _gv_first_pop(ls, "00000ABC123"))),
    Case("population", "unknown record type", "quarantine", _gv(lambda ls: [*ls, "77" + ls[-1][2:]])),
    Case("population", "empty file", "refused", _raw_bytes("population", GV100AD.name, b"")),
    Case("population", "binary garbage", "refused", _raw_bytes("population", GV100AD.name, GARBAGE)),
    Case(
        "population",
        "reference date outside the plausible range",
        "refused",
        _gv(lambda ls: [line[:2] + "1850" + line[6:] for line in ls]),
    ),
    Case("population", "a corrected copy of the same edition with other figures", "error", _gv_corrected_copy),
    Case(
        "population",
        "a Kreis boundary twice as large as in the Gemeindeverzeichnis",
        "check",
        _both(_geojson(_one_kreis_doubled), _gv_also),
        also=("boundaries",),
    ),
    Case(
        "population",
        "a Gemeinde population of 99,999,999,999",
        "check",
        _gv(lambda ls: _gv_first_pop(ls, "99999999999")),
    ),
    # --- Regionalstatistik accident counts
    Case(
        "accident_counts",
        "missing column",
        "refused",
        _regio(lambda ls: [";".join(line.split(";")[:-1]) for line in ls]),
    ),
    Case(
        "accident_counts",
        "non-numeric value",
        "quarantine",
        _regio(lambda ls: [*ls[:8], _cell(ls[8], 4, "zwölf"), *ls[9:]]),
    ),
    Case(
        "accident_counts",
        "a count of 1e12",
        "check",
        _regio(lambda ls: [*ls[:8], _cell(ls[8], 4, "1000000000000"), *ls[9:]]),
    ),
    Case(
        "accident_counts", "negative count", "quarantine", _regio(lambda ls: [*ls[:8], _cell(ls[8], 4, "-4"), *ls[9:]])
    ),
    Case("accident_counts", "a row shifted by one empty cell (Halle 2014)", "quarantine", _regio(_regio_shifted)),
    Case(
        "accident_counts",
        "the en dash '–' for nothing",
        "loaded",
        _regio(lambda ls: [*ls[:8], _cell(ls[8], 7, "–"), *ls[9:]]),
    ),
    Case(
        "accident_counts",
        "wrong encoding (UTF-16)",
        "refused",
        lambda raw: _write(raw / "accidents" / REGIO.name, REGIO.read_text(encoding="utf-8").encode("utf-16")),
    ),
    # --- LKA PKS by Tatortgemeinde (import format)
    Case("crime_gemeinde_cases", "more cleared cases than cases", "quarantine", _lka("15003000;2019;------;100;;101")),
    Case("crime_gemeinde_cases", "a 9-digit AGS", "quarantine", _lka("150030001;2019;------;100;;")),
    Case("crime_gemeinde_cases", "a count with a decimal comma", "quarantine", _lka("15003000;2019;899000;12,5;;")),
    Case("crime_gemeinde_cases", "the same Gemeinde, year and key twice", "quarantine", _lka(LKA_ROWS[1])),
    Case(
        "crime_gemeinde_cases",
        "an AGS that is no Gemeinde of the Gemeindeverzeichnis",
        "check",
        _both(_lka("15085999;2019;------;10;;"), _gv_also),
        also=("population",),
    ),
    Case(
        "crime_gemeinde_cases",
        "Gemeinden adding up to more cases than their Kreis in the BKA's table",
        "check",
        _both(_lka("15085040;2019;------;14.000;;"), _copies((2019, None))),
        also=("crime_cases",),
    ),
    Case("crime_gemeinde_cases", "the export without its header row", "refused", _lka(header=False)),
    Case("crime_gemeinde_cases", "a Gemeinde of another Land", "quarantine", _lka("03241001;2019;------;100;;")),
    Case("crime_gemeinde_cases", "Berichtsjahr typed into date-formatted cells", "loaded", _lka_years_as_dates),
    # --- register
    Case("register", "formula instead of a value", "quarantine", _register(_formula)),
    Case("register", "merged cells", "quarantine", _register(_merged)),
    Case("register", "binary garbage with an .xlsx name", "error", _raw_bytes("councils", "register.xlsx", GARBAGE)),
    Case("register", "saved by Excel as 'Unicode-Text' (UTF-16, tabs)", "loaded", _register_utf16),
    Case("register", "an unreadable file beside a good register", "refused", _register_unreadable_beside),
]


def _zip_with(raw: Path, members: dict[str, bytes]) -> None:
    folder = raw / "accidents"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / "Unfallorte2022_EPSG25832_CSV.zip", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _cut_zip(raw: Path) -> None:
    _ua(lambda ls: ls, zipped=True)(raw)
    path = raw / "accidents" / "Unfallorte2022_EPSG25832_CSV.zip"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _set_geometry(doc: dict, i: int, geometry: dict | None) -> dict:
    doc["features"][i]["geometry"] = geometry
    return doc


def _set_property(doc: dict, i: int, key: str, value: str) -> dict:
    doc["features"][i]["properties"][key] = value
    return doc


def _drop_property(doc: dict, key: str) -> dict:
    for f in doc["features"]:
        f["properties"].pop(key, None)
    return doc


def _scale_coordinates(doc: dict, factor: float) -> dict:
    def walk(c):
        return [walk(x) for x in c] if isinstance(c[0], list) else [c[0] * factor, c[1] * factor]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    return doc


def _gv_first_pop(lines: list[str], value: str) -> list[str]:
    """The population field (positions 140–150) of the first Gemeinde record (Satzart 60) replaced."""
    i = next(i for i, line in enumerate(lines) if line.startswith("60"))
    return [*lines[:i], lines[i][:139] + value + lines[i][150:], *lines[i + 1 :]]


# ------------------------------------------------------------------ running a case
@dataclass
class Outcome:
    kind: str  # error | quarantine | check | loaded
    message: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    balanced: bool = True  # rows read = loaded + quarantined for every file


def run_case(case: Case, workdir: Path) -> Outcome:
    """Build the damaged folder, load it like the source asset does (files it does not recognise beside
    its own are logged as not loaded, as in a run), write it atomically and run the source's checks."""
    import pipelines.definitions  # noqa: F401 - builds every asset, which registers its loader and checks
    from assets._sources import SOURCE_LOADERS
    from praevention import warehouse
    from praevention.discovery import NO_LAYOUT, discover, display_path
    from praevention.errors import PipelineError, SourceFormatError

    raw = workdir / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    case.build(raw)
    con = warehouse.connect(workdir / "w.duckdb")
    try:
        found = discover(raw)
        for other in case.also:
            load = SOURCE_LOADERS[other](found, con)
            warehouse.write_asset(con, asset=other, tables=load.tables, quarantine=load.rejects, ingest_log=load.log)
        before = _tables(con)
        try:
            if case.source == "register":
                load = _register_load(raw)
            else:
                kinds = _kinds(case.source)
                load = SOURCE_LOADERS[case.source](found, con).with_unrecognised(
                    found.unrecognised_beside(found.of(*kinds))
                )
        except (SourceFormatError, PipelineError) as exc:
            assert _tables(con) == before, "a failed load changed the warehouse"
            return Outcome("error", str(exc))
        log = load.log
        balanced = bool(
            ((log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()) if len(log) else True
        )
        warehouse.write_asset(con, asset=case.source, tables=load.tables, quarantine=load.rejects, ingest_log=log)
        named = set(log["source_file"]) if len(log) else set()
        refused = load.not_loaded() + [
            f"{display_path(p)}: {NO_LAYOUT}, not loaded" for p in found.not_loaded() if display_path(p) not in named
        ]
        out = Outcome(
            "loaded",
            rows_read=int(log["rows_read"].sum()) if len(log) else 0,
            rows_loaded=int(log["rows_loaded"].sum()) if len(log) else 0,
            rows_quarantined=len(load.rejects),
            balanced=balanced,
        )
        if refused:
            out.kind = "refused"
            out.message = "; ".join(refused)
        elif out.rows_quarantined:
            out.kind = "quarantine"
            out.message = "; ".join(sorted({str(r) for r in load.rejects["reason"]}))[:300]
        failed = _failed_checks(con, case.source)
        if failed:
            out.kind = "check" if out.kind == "loaded" else out.kind
            out.message = (out.message + "; check failed: " + ", ".join(failed)).strip("; ")
        return out
    finally:
        con.close()


def _kinds(source: str) -> tuple[str, ...]:
    """The raw-file kinds a source asset reads (its metadata), so unrecognised files beside them are named."""
    from dagster import AssetKey

    from pipelines.definitions import defs

    kinds = defs.resolve_asset_graph().get(AssetKey(source)).metadata.get("source_kinds")
    return tuple(getattr(kinds, "value", kinds) or ())


def _failed_checks(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    """The source's asset checks (the same SQL the pipeline runs) that find violations."""
    from assets._shared import SQL_CHECKS

    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assets = ("register_bodies", "register_measures") if source == "register" else (source,)
    failed = []
    for spec in (s for a in assets for s in SQL_CHECKS.get(a, [])):
        if not set(spec.additional_deps) <= tables:
            continue  # e.g. the AGS checks need the boundaries, which this case does not load
        params = [*spec.params, "15"] if spec.land_param else list(spec.params)
        if len(con.execute(spec.sql, params or None).fetchall()):
            failed.append(f"{spec.name} ({'blocking' if spec.blocking else 'warning'})")
    return failed


def _register_load(raw: Path):
    """The register asset's load: validation against Sachsen-Anhalt, both tables, quarantine."""
    from praevention.errors import PipelineError
    from praevention.ingest import SourceLoad
    from praevention.register.load import discover_register_files, load_register, table_writes

    result = load_register(discover_register_files(raw, None), land="15")
    if all(e["rows_read"] == 0 for e in result.log) and not len(result.rejects):
        problems = "; ".join(p.text("en")[0] for p in result.problems) or "no register table found"
        raise PipelineError(f"{raw / 'councils'}: {problems}")
    return SourceLoad(table_writes(result), result.rejects, pd.DataFrame(result.log), result.bodies)


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def summary(outcomes: list[tuple[Case, Outcome]]) -> pd.DataFrame:
    rows = [
        {
            "source": c.source,
            "case": c.name,
            "expected": c.expected,
            "outcome": o.kind,
            "rows_quarantined": o.rows_quarantined,
            "message": o.message,
        }
        for c, o in outcomes
    ]
    return pd.DataFrame(rows)
