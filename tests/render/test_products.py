"""Golden tests on the structure of every product (text, pages, slides, sheets), not on pixels."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from praevention.render.data import SYNTHETIC_LABEL
from tests.render.conftest import Rendered
from tests.render.synthetic_land import QUEDLINBURG, SMALL


def _sheet(rendered: Rendered, ags: str, suffix: str) -> Path:
    (path,) = [p for p in rendered.files["fact_sheets"] if p.name.startswith(f"gemeinde_{ags}_") and p.suffix == suffix]
    return path


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_one_sheet_per_gemeinde_and_per_body_as_pdf_and_html(rendered: Rendered) -> None:
    pdfs = [p for p in rendered.files["fact_sheets"] if p.suffix == ".pdf"]
    htmls = [p for p in rendered.files["fact_sheets"] if p.suffix == ".html"]
    expected = len(rendered.data.gemeinden) + len(rendered.data.kreise) - 1 + len(rendered.data.real_bodies)
    assert len(pdfs) == len(htmls) == expected  # Gemeinden, Landkreise, bodies without the placeholders
    assert not any(p.name.startswith("gremium_K-") for p in pdfs)
    assert all(p.stat().st_size > 5_000 for p in pdfs)


def test_fact_sheet_pdf_names_the_municipality_its_sources_and_at_most_two_pages(rendered: Rendered) -> None:
    path = _sheet(rendered, QUEDLINBURG, ".pdf")
    reader = PdfReader(path)
    text = _pdf_text(path)
    assert 1 <= len(reader.pages) <= 2
    assert "Steckbrief Quedlinburg" in text
    assert "Datenquelle: Bundeskriminalamt, Polizeiliche Kriminalstatistik" in text
    assert "GeoBasis-DE / BKG" in text
    assert "Kriminalitätsdaten liegen nur auf Kreisebene vor" in text
    assert SYNTHETIC_LABEL in text


def test_every_fact_sheet_has_at_most_two_pages(rendered: Rendered) -> None:
    pages = {p.name: len(PdfReader(p).pages) for p in rendered.files["fact_sheets"] if p.suffix == ".pdf"}
    assert max(pages.values()) <= 2, {k: v for k, v in pages.items() if v > 2}


def test_small_count_in_a_small_municipality_is_marked(rendered: Rendered) -> None:
    """Zwergenau (640 inhabitants) had 2 accidents in 2015: shown as <3 with its footnote, never as 2."""
    text = _pdf_text(_sheet(rendered, SMALL, ".pdf"))
    assert "<3" in text
    assert "ein oder zwei Fälle in einer Gemeinde" in text
    html = _sheet(rendered, SMALL, ".html").read_text()
    assert "&lt;3" in html


def test_measure_without_date_is_stated_as_not_evaluable(rendered: Rendered) -> None:
    (body_pdf,) = [p for p in rendered.files["fact_sheets"] if p.name.startswith("gremium_G07_") and p.suffix == ".pdf"]
    text = _pdf_text(body_pdf)
    assert "Partnerschaftsstreifen" in text
    assert "Nicht auswertbar" in text


def test_fact_sheet_page_renders_with_content(rendered: Rendered, tmp_path: Path) -> None:
    subprocess.run(  # pdftoppm comes from poppler-utils, installed by scripts/setup.sh
        [
            "pdftoppm",
            "-r",
            "40",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            str(_sheet(rendered, QUEDLINBURG, ".pdf")),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (pgm,) = tmp_path.glob("p*.pgm")
    raw = pgm.read_bytes()
    header_end = raw.index(b"255\n") + 4
    pixels = raw[header_end:]
    dark = sum(1 for b in pixels if b < 200) / len(pixels)
    assert dark > 0.03, f"page 1 is almost blank ({dark:.1%} non-white pixels)"


def _png_dpi(path: Path) -> float:
    data = path.read_bytes()
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"pHYs":
            ppm_x, _, unit = struct.unpack(">IIB", data[pos + 8 : pos + 17])
            assert unit == 1
            return ppm_x * 0.0254
        pos += 12 + length
    raise AssertionError(f"{path.name}: no pHYs chunk")


def test_maps_are_exported_as_html_png_at_300_dpi_and_svg(rendered: Rendered) -> None:
    files = rendered.files["maps_and_charts"]
    stems = {p.stem for p in files if p.suffix == ".html"}
    assert {"kreise_straftaten_2024", "kreise_straftaten_veraenderung_2024", "gremien_uebersicht"} <= stems
    for stem in stems:
        png = next(p for p in files if p.stem == stem and p.suffix == ".png")
        svg = next(p for p in files if p.stem == stem and p.suffix == ".svg")
        assert round(_png_dpi(png)) == 300
        assert svg.read_text().lstrip().startswith("<svg")
    html = next(p for p in files if p.stem == "kreise_straftaten_2024" and p.suffix == ".html").read_text()
    assert "sehr niedrig" in html or "niedrig:" in html  # the classes are named in words in the legend
    assert "95 %-KI" in html  # German hover text with the interval


def test_ministry_workbook_has_one_sheet_per_table_with_headers_and_frozen_panes(rendered: Rendered) -> None:
    (xlsx,) = [p for p in rendered.files["ministry_report"] if p.suffix == ".xlsx"]
    wb = load_workbook(xlsx)
    expected = {
        "Kennzahlen": "je 100.000 Einwohner",
        "Monatswerte": "Monat",
        "Wirkungen": "Bewertung",
        "Was wirkt": "Art der Maßnahme",
        "Gremien": "Gegründet",
        "Maßnahmen": "Beginn",
        "Datenqualität": "Grund",
        "Kennzahl-Codes": "Definition",
        "Lizenz und Quellen": "Angabe",
    }
    assert list(wb.sheetnames) == list(expected)
    for name, header in expected.items():
        ws = wb[name]
        headers = [c.value for c in ws[1] if c.value]
        assert header in headers, (name, headers)
        assert ws.freeze_panes == "A2" or name == "Lizenz und Quellen", (name, ws.freeze_panes)
        assert ws[1][0].font.bold
    ws = wb["Kennzahlen"]
    col = {c.value: i for i, c in enumerate(ws[1])}
    rows = list(ws.iter_rows(min_row=2))
    rates = [r[col["je 100.000 Einwohner"]] for r in rows if r[col["je 100.000 Einwohner"]].value is not None]
    assert rates and all(isinstance(c.value, int | float) and c.number_format == "#,##0.0" for c in rates)
    years = [r[col["Jahr"]] for r in rows]
    assert all(isinstance(c.value, int | float) and c.number_format == "0" for c in years)
    assert "Monat" not in col  # monthly rows stand apart, in Monatswerte
    ws = wb["Wirkungen"]
    head = [c.value for c in ws[1]]
    p = head.index("p-Wert")
    values = [r[p] for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[p], float) and r[p] > 0]
    assert values and all(float(f"{v:.3g}") == v for v in values)
    licence = " ".join(str(c.value) for r in wb["Lizenz und Quellen"].iter_rows() for c in r)
    assert "dl-de/by-2-0" in licence


def test_ministry_report_pdf_has_its_sections(rendered: Rendered) -> None:
    (pdf,) = [p for p in rendered.files["ministry_report"] if p.suffix == ".pdf"]
    text = _pdf_text(pdf)
    for section in (
        "Auf einen Blick",
        "Gremien und Maßnahmen im Überblick",
        "Anhang: Verfahren im Vergleich",
        "Anhang: Glossar",
        "Datenqualität",
        "Hinweise zu Methoden und Daten",
        "Datenquelle: Bundeskriminalamt",
    ):
        assert section in text, section


def test_conference_deck_has_titled_slides(rendered: Rendered) -> None:
    (deck,) = [p for p in rendered.files["conference_kit"] if p.suffix == ".pptx"]
    slides = list(Presentation(deck).slides)
    assert 5 <= len(slides) <= 10
    titles = [s.shapes.title.text for s in slides if s.shapes.title is not None]
    assert len(titles) == len(slides) and all(t.strip() for t in titles), titles
    charts = sorted(deck.parent.glob("grafik_*.png"))
    assert 3 <= len(charts) <= 5
    assert all(round(_png_dpi(c)) == 300 for c in charts)


def test_conference_deck_is_dated_by_its_data_and_not_rewritten_unchanged(rendered: Rendered) -> None:
    import os
    import zipfile

    from praevention.render import products

    (deck,) = [p for p in rendered.files["conference_kit"] if p.suffix == ".pptx"]
    day = rendered.data.data_date
    with zipfile.ZipFile(deck) as z:  # no clock time inside: re-runs give the same bytes
        assert {i.date_time for i in z.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
    before = deck.read_bytes()
    os.utime(deck, ns=(1_000_000_000, 1_000_000_000))
    products.conference_kit(rendered.data, rendered.out, rendered.figures)
    assert deck.stat().st_mtime_ns == 1_000_000_000 and deck.read_bytes() == before


def test_outputs_carry_the_data_date_not_the_day_of_the_run(rendered: Rendered) -> None:
    """Runs on different days give identical files: the date shown is the end of the latest data year."""
    import datetime as dt

    from praevention.render import fmt

    assert rendered.data.data_date == dt.date(2024, 12, 31)  # PKS up to 2024 in the synthetic Land
    today = dt.date.today()
    texts = [p.read_text(encoding="utf-8") for p in rendered.out.rglob("*") if p.suffix in (".html", ".svg", ".json")]
    assert not any(fmt.date_de(today) in t or today.isoformat() in t for t in texts)
    assert any(fmt.date_de(rendered.data.data_date) in t for t in texts)


def test_output_files_are_replaced_atomically(tmp_path, monkeypatch) -> None:
    """A write that fails midway (a full disk) leaves the previous file intact and no partial file."""
    import os

    import pytest

    from praevention.files import write_atomic
    from praevention.render.cache import write_if_changed

    target = tmp_path / "karte.html"
    write_if_changed(target, "<html>alt</html>")

    def full_disk(fd):  # the disk fills while the new content is flushed
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "<html>neu</html>" * 10_000)
    monkeypatch.undo()
    assert target.read_text() == "<html>alt</html>" and [p.name for p in tmp_path.iterdir()] == ["karte.html"]


def test_workbook_names_the_register_file_without_its_folder(rendered: Rendered, tmp_path) -> None:
    import dataclasses
    import zipfile

    from praevention.render.workbook import write_workbook

    folder = "/mnt/mi/praevention"
    data = dataclasses.replace(
        rendered.data,
        bodies=rendered.data.bodies.assign(source_file=f"{folder}/register.xlsx"),
        measures=rendered.data.measures.assign(source_file=f"{folder}/register.xlsx"),
    )
    path = write_workbook(data, tmp_path / "tabellen.xlsx")
    with zipfile.ZipFile(path) as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert folder not in text and "register.xlsx" in text


def test_ministry_report_opens_with_every_body_and_measure_and_recommendations(rendered: Rendered) -> None:
    from praevention.render.ministerium import context

    ctx = context(rendered.data, {})
    rows = [r for group in ctx["overview"].values() for r in group]
    names = [r[0] for r in rows]
    for title in rendered.data.measures["title"]:
        assert str(title) in names or any(n.endswith("…") and str(title).startswith(n[:-1]) for n in names), title
    assert all(len(r) == 4 and r[2] for r in rows)  # name, where measured, result, why not
    assert not any(n.startswith("Beteiligte an") for n in names)  # placeholders stand as their measure
    assert len(ctx["kreise"]) == len(rendered.data.kreise) + 1  # and the Land
    assert any("kein Startdatum" in r for r in ctx["recommendations"])
    html = (rendered.out / "ministerium" / "bericht.html").read_text(encoding="utf-8")
    assert html.index("Auf einen Blick") < html.index("Zusammenfassung") < html.index("Anhang: Glossar")
