"""The register as people really fill it (tests/register/messy.py): the same rows and messages from xlsx,
ods and csv; ``check`` promises what the ingest loads; every message names the real cause; nothing
personal is stored anywhere; ``--annotate`` writes a workbook that shows its own problems."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from praevention.register.annotate import AUTHOR, SUMMARY, block
from praevention.register.load import load_register, table_writes
from praevention.register.messages import report
from praevention.register.reference import context_from_raw, context_from_warehouse
from praevention.warehouse import connect, write_asset
from tests.register.conftest import run_check
from tests.register.messy import DOCUMENT_TEXT, PERSONAL, layout_register, messy_register, write_all


@pytest.fixture(scope="module")
def reference(shared_data):
    return context_from_raw(shared_data, "15")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[str, list[Path]]:
    return write_all(tmp_path_factory.mktemp("messy"), messy_register())


@pytest.fixture(scope="module")
def loads(messy, reference):
    return {kind: load_register(paths, land="15", context=reference) for kind, paths in messy.items()}


def _messages(result) -> list[tuple]:
    return sorted((p.sheet, p.row or 0, p.column, p.value, *p.text("de"), *p.text("en")) for p in result.problems)


def _rows(frame):
    return frame.drop(columns=["source_file"])


def test_same_rows_and_messages_from_xlsx_ods_and_csv(loads):
    xlsx = loads["xlsx"]
    assert (len(xlsx.bodies), len(xlsx.measures), len(xlsx.rejects)) == (8, 9, 11)
    for kind in ("ods", "csv"):
        other = loads[kind]
        assert _rows(other.bodies).equals(_rows(xlsx.bodies)), kind
        assert _rows(other.measures).equals(_rows(xlsx.measures)), kind
        assert other.rejects.drop(columns=["source_file"]).equals(xlsx.rejects.drop(columns=["source_file"])), kind
        assert _messages(other) == _messages(xlsx), kind


def test_formats_agree_on_what_only_a_workbook_holds(tmp_path):
    files = write_all(tmp_path, layout_register())
    results = {kind: load_register(files[kind]) for kind in ("xlsx", "ods")}
    assert _messages(results["ods"]) == _messages(results["xlsx"])
    assert _rows(results["ods"].bodies).equals(_rows(results["xlsx"].bodies))
    out = report(results["ods"].problems)
    assert out.count("Verbundene Zellen (D2:D3)") == 2  # on both rows the merged cell spans
    assert "Pflichtfeld ist leer" not in out  # the covered cell is the merged cell's, not empty
    assert list(results["ods"].rejects["line"]) == [2, 3]
    assert "Die Zeile ist ausgeblendet, wird aber übernommen." in out
    assert "Die Spalte ist ausgeblendet" in out and "als veraltet gekennzeichnet ('ALT')" in out
    notes = results["ods"].bodies.set_index("body_id").loc["G04", "notes"]
    assert notes == "Polizei\nStadt"  # a line break inside an ODS cell is kept


def _problems(result) -> dict[tuple[str, int], list[str]]:
    out: dict[tuple[str, int], list[str]] = {}
    for p in result.problems:
        out.setdefault((p.sheet, p.row or 0), []).append(p.text("de")[0])
    return out


def test_every_message_names_the_real_cause(loads):
    result = loads["xlsx"]
    by_row = _problems(result)
    text = report(result.problems)
    # a measure of a quarantined body names the body's own problem and row
    assert by_row[("Maßnahmen", 3)] == [
        "Das Gremium 'G02' (Blatt 'Gremien', Zeile 3) wird nicht übernommen: [Gemeindeschlüssel] "
        "Den Gemeindeschlüssel gibt es in den Gebietsdaten nicht."
    ]
    assert "(Blatt 'Gremien', Zeile 13) wird nicht übernommen: [Aufgelöst] Das Ende liegt vor dem Beginn" in text
    assert "gibt es im Blatt 'Gremien' nicht" in " ".join(by_row[("Maßnahmen", 10)])  # G99 really is missing
    # a comment row gets one message
    assert by_row[("Gremien", 10)] == [
        "Die Zeile enthält nur einen Kommentar ('siehe E-Mail vom 3.5.'), keine Registerdaten."
    ]
    # IDs: case and invisible characters
    assert "Die ID kommt mehrfach vor (auch in Zeile 4)." in by_row[("Gremien", 5)]
    assert "Unsichtbare Zeichen entfernt: 'G05⟨U+200B⟩' → 'G05'." in by_row[("Gremien", 6)]
    assert "Die Gremium-ID 'g03' steht im Blatt 'Gremien' als 'G03': übernommen als 'G03'." in by_row[("Maßnahmen", 4)]
    measures = result.measures.set_index("measure_id")
    assert measures.loc["M03", "body_id"] == "G03" and measures.loc["M04", "body_id"] == "G05"
    assert set(result.bodies["body_id"]) == {"G01", "G03", "G05", "G06", "G08", "G10", "G11", "G13"}
    # words for dates, years far off
    assert "'laufend' heißt: besteht noch. Als leer übernommen." in by_row[("Gremien", 9)]
    assert "Das Jahr 2062 liegt weit in der Zukunft." in by_row[("Gremien", 9)]
    assert any("Das Jahr 1962 liegt vor 1990" in t for t in by_row[("Gremien", 12)])
    assert measures.loc["M05", "end"] is None and measures.loc["M06", "end"] is None
    # help where the intent is clear
    assert (
        "Ein Name statt eines Gemeindeschlüssels: 'Halle (Saale)' hat den Schlüssel 15002000 (Halle (Saale))."
        in by_row[("Gremien", 8)]
    )
    assert "Das Gremium wurde über seinen Namen gefunden: 'Kriminalpräventiver Rat Halle' ist G03." in text
    assert measures.loc["M05", "body_id"] == "G03"
    assert "'Landkreis' als 'Kreis' übernommen." in by_row[("Gremien", 7)]
    assert "'Praeventionsrat' als 'Präventionsrat' übernommen." in by_row[("Gremien", 11)]
    assert "'Punkt m. Radius' als 'Punkt mit Radius' übernommen." in by_row[("Maßnahmen", 12)]
    bodies = result.bodies.set_index("body_id")
    assert (bodies.loc["G06", "level"], bodies.loc["G10", "body_type"]) == ("Kreis", "Präventionsrat")
    assert bodies.loc["G01", "partners"] == ["police", "municipality", "clubs"]  # line breaks split the list
    # formulas are blocked in every format, with the formula as Excel shows it
    assert 'Formel statt Wert (=HYPERLINK("https://example.org","Rat")).' in by_row[("Gremien", 15)]
    assert "Formel statt Wert (=1+1)." in by_row[("Gremien", 16)]
    # what people marked as old
    assert "Die Zeile ist als veraltet gekennzeichnet ('ALT'), wird aber wie jede andere übernommen." in text
    # a point outside the Land's border (inside its bounding box) is found with the boundary data
    assert "Das Gebiet liegt außerhalb von Sachsen-Anhalt (außerhalb der Landesgrenze)." in by_row[("Maßnahmen", 13)]


def test_document_numbers_dates_and_file_references_are_kept(loads):
    bodies = loads["xlsx"].bodies.set_index("body_id")
    assert bodies.loc["G08", "notes"] == f"Kontakt: [entfernt], Tel. [entfernt], [entfernt]; {DOCUMENT_TEXT}"
    assert loads["xlsx"].measures.set_index("measure_id").loc["M09", "notes"] == DOCUMENT_TEXT


def test_check_promises_what_the_ingest_loads(messy, shared_data, tmp_path, capsys):
    from praevention.discovery import discover
    from praevention.ingest import load_boundaries, load_population

    found = discover(shared_data)
    con = connect(tmp_path / "w.duckdb")
    for asset, load in (
        ("boundaries", load_boundaries(found.of("boundaries"))),
        ("population", load_population({"gv100ad": found.of("gv100ad")})),
    ):
        write_asset(con, asset=asset, tables=load.tables, quarantine=load.rejects)
    # what the register asset does
    result = load_register(messy["xlsx"], land="15", context=context_from_warehouse(con, "15"))
    counts = write_asset(con, asset="register", tables=table_writes(result), quarantine=result.rejects)
    quarantined = con.execute("SELECT count(*) FROM quarantine WHERE asset = 'register'").fetchone()[0]
    code, out = run_check(capsys, *messy["xlsx"], "--raw-dir", shared_data)
    assert code == 1
    assert (
        f"Ergebnis: {counts['register_bodies']} Gremien und {counts['register_measures']} Maßnahmen würden "
        f"übernommen, {quarantined} Zeile(n) kämen in die Quarantäne."
    ) in out
    assert "Abgeglichen mit den Gebietsdaten in" in out
    assert "Den Gemeindeschlüssel gibt es in den Gebietsdaten nicht." in out  # 15099999, well-formed but unknown
    _assert_nothing_personal_in_the_warehouse(con)
    con.close()


def _assert_nothing_personal_in_the_warehouse(con) -> None:
    """Every text of every table of the warehouse, quarantine and ingest log included."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    assert {"register_bodies", "register_measures", "quarantine"} <= set(tables)
    register_text = []
    for table in tables:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type <> 'GEOMETRY'",
                [table],
            ).fetchall()
        ]
        where = " OR ".join(f'CAST("{c}" AS VARCHAR) ILIKE ?' for c in columns)
        for needle in PERSONAL:
            hits = con.execute(f'SELECT * FROM "{table}" WHERE {where}', [f"%{needle}%"] * len(columns)).fetchall()
            hits = [h for h in hits if table in ("register_bodies", "register_measures", "quarantine", "ingest_log")]
            assert not hits, (table, needle, hits[:2])
        if table.startswith("register") or table == "quarantine":
            register_text += [str(v) for row in con.execute(f'SELECT * FROM "{table}"').fetchall() for v in row]
    assert any("[entfernt]" in t for t in register_text)  # there was something to remove, and it was


def test_no_personal_data_in_messages(loads):
    for result in loads.values():
        texts = [report(result.problems, "de"), report(result.problems, "en"), *result.rejects["reason"]]
        texts += list(result.rejects["raw"])
        for needle in PERSONAL:
            assert all(needle not in t for t in texts), needle
        assert "Personenbezogene Angaben (Name, Telefonnummer, E-Mail-Adresse) entfernt" in texts[0]


def test_annotated_workbook_shows_every_message(messy, loads, tmp_path, capsys):
    out = tmp_path / "geprueft.xlsx"
    code, text = run_check(
        capsys, *messy["xlsx"], "--raw-dir", Path(os.devnull).parent / "nonexistent", "--annotate", out
    )
    assert code == 1 and "Kommentierte Kopie" in text
    result = load_register(messy["xlsx"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == SUMMARY
    blocks: Counter[str] = Counter()
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    for part in cell.comment.text.split("\n\n"):
                        blocks[re.sub(r"\nGeändert: .*$", "", part)] += 1
                        assert cell.fill.fgColor.rgb.endswith(("FFC7CE", "FFEB9C"))
    expected = Counter(block(p) for p in result.problems)
    assert blocks == expected  # one comment block per message, no more, no less
    summary = wb[SUMMARY]
    assert summary.max_row - 1 == len(result.problems)
    links = [c.hyperlink.location for c in summary["J"][1:] if c.hyperlink is not None]
    assert len(links) == len(result.problems) and "'Gremien'!D7" in links
    bodies = wb["Gremien"]
    assert bodies["D7"].value == "Kreis" and "Geändert: 'Landkreis' → 'Kreis'" in bodies["D7"].comment.text
    assert bodies["A6"].value == "G05"  # invisible character removed
    assert wb["Maßnahmen"]["B4"].value == "G03" and wb["Maßnahmen"]["B6"].value == "G03"
    assert bodies["G9"].value is None  # "laufend" cleared
    assert bodies["E8"].value == "Halle (Saale)"  # errors are suggested, never corrected
    for needle in PERSONAL:
        assert all(needle not in (c.comment.text if c.comment else "") for r in bodies.iter_rows() for c in r)


@pytest.mark.parametrize("kind", ["ods", "csv"])
def test_annotated_copy_of_ods_and_csv(messy, kind, tmp_path, capsys):
    out = tmp_path / "geprueft.xlsx"
    run_check(capsys, *messy[kind], "--annotate", out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SUMMARY, "Gremien", "Maßnahmen"]
    assert wb["Gremien"]["O4"].value is None or "Müller" in str(wb["Gremien"]["O4"].value)  # the user's own file
    formula = wb["Gremien"]["B16"]
    assert formula.value == "=1+1" and formula.data_type == "s"  # kept as text, never a live formula
    assert wb["Gremien"]["D7"].value == "Kreis"


def test_annotated_workbook_opens_in_libreoffice(messy, tmp_path, capsys):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    out = tmp_path / "geprueft.xlsx"
    run_check(capsys, *messy["xlsx"], "--annotate", out)
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "ods", "--outdir", str(tmp_path / "lo"), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    # the only line allowed on stderr is LibreOffice's own note that it runs without Java
    stderr = [line for line in done.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert done.returncode == 0 and stderr == [], done.stderr
    content = zipfile.ZipFile(tmp_path / "lo" / "geprueft.ods").read("content.xml").decode()
    commented = sum(
        1 for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row if c.comment
    )
    assert content.count("<office:annotation") == commented > 0
    assert "#&apos;Gremien&apos;.D7" in content  # the list links to the cells
