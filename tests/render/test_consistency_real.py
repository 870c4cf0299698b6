"""One truth in every product: a dozen key figures – rates, counts, changes, verdict bounds, numbers of bodies
and results – read from every product of a real run, compared with the warehouse and with each other."""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from praevention.render import disclosure, fmt
from praevention.render.data import ReportData, is_placeholder, load_report_data
from praevention.render.konferenz import region_effects
from praevention.render.verdict import interval
from praevention.warehouse import connect
from tests.conftest import RealRun

HALLE, MAGDEBURG, HARZ, ZIELITZ, LAND = "15002", "15003", "15085", "15083580", "15"


def _cells(html: str) -> list[list[str]]:
    text = re.sub(r"[ \t\r\n]+", " ", html)  # no-break spaces stay: numbers and units keep them
    return [
        [re.sub(r"<[^>]+>", "", c).replace("&lt;", "<").strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", text)
    ]


def _unescaped(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


class Products:
    """The products of one real run, read as people and programs read them."""

    def __init__(self, out: Path, data: ReportData):
        self.out, self.data = out, data

    def sheet(self, prefix: str) -> dict[str, list[str]]:
        """A fact sheet's indicator table: label → row."""
        path = next((self.out / "steckbriefe").glob(f"{prefix}_*.html"))
        return {r[0]: r for r in _cells(path.read_text(encoding="utf-8")) if len(r) == 8}

    def sheet_text(self, prefix: str) -> str:
        return next((self.out / "steckbriefe").glob(f"{prefix}_*.html")).read_text(encoding="utf-8")

    @cached_property
    def report(self) -> str:
        return (self.out / "ministerium" / "bericht.html").read_text(encoding="utf-8")

    @cached_property
    def report_kreise(self) -> dict[str, list[str]]:
        part = self.report[self.report.index("Kreise im Vergleich") :]
        return {r[0]: r for r in _cells(part[: part.index("</table>")]) if len(r) == 5}

    @cached_property
    def workbook(self) -> dict[str, pd.DataFrame]:
        wb = load_workbook(self.out / "ministerium" / "tabellen.xlsx", read_only=True)
        out = {}
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            out[ws.title] = pd.DataFrame(rows[1:], columns=rows[0])
        return out

    def csv(self, name: str) -> pd.DataFrame:
        path = self.out / "ministerium" / "offene-daten" / name
        return pd.read_csv(path, sep=";", decimal=",", dtype={"ags": str})

    def layer(self, name: str) -> pd.DataFrame:
        return pyogrio.read_dataframe(
            self.out / "ministerium" / "offene-daten" / "praeventionsmonitor.gpkg", layer=name
        )

    def map_html(self, pattern: str) -> str:
        return _unescaped(next((self.out / "karten").glob(pattern)).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def products(real_run: RealRun) -> Products:
    with connect(real_run.warehouse, read_only=True) as con:
        data = load_report_data(con, "15")
    return Products(real_run.out, data)


def _row(data: ReportData, unit: str, indicator: str, year: int) -> pd.Series:
    p = data.panel
    hit = p[(p["unit_ags"] == unit) & (p["indicator"] == indicator) & (p["year"] == year) & p["month"].isna()]
    return hit.iloc[0]


def test_crime_rates_agree_across_sheet_report_workbook_csv_and_geopackage(products: Products) -> None:
    halle, land = _row(products.data, HALLE, "pks:------", 2024), _row(products.data, LAND, "pks:------", 2024)
    sheet = products.sheet("gemeinde_15002000")["Straftaten insgesamt"]
    assert sheet[2] == "2024" and sheet[3] == fmt.number(halle["count"])
    assert sheet[4].startswith(fmt.number(halle["rate_per_100k"], 1)) and sheet[6] == fmt.number(
        land["rate_per_100k"], 1
    )
    assert products.report_kreise["Halle (Saale)"][1] == f"{fmt.number(halle['rate_per_100k'], 0)} (2024)"
    assert products.report_kreise["Sachsen-Anhalt"][1] == f"{fmt.number(land['rate_per_100k'], 0)} (2024)"
    wb = products.workbook["Kennzahlen"]
    cell = wb[(wb["Gebietsschlüssel"] == HALLE) & (wb["Kennzahl (Schlüssel)"] == "pks:------") & (wb["Jahr"] == 2024)]
    assert cell["je 100.000 Einwohner"].iloc[0] == pytest.approx(halle["rate_per_100k"])
    csv = products.csv("kennzahlen.csv")
    row = csv[(csv["ags"] == HALLE) & (csv["kennzahl"] == "pks:------") & (csv["jahr"] == 2024)].iloc[0]
    assert row["je_100000"] == pytest.approx(halle["rate_per_100k"], abs=0.01) and row["anzahl"] == halle["count"]
    kreise = products.layer("kreise").set_index("ags")
    assert kreise.loc[HALLE, "straftaten_je_100000"] == pytest.approx(halle["rate_per_100k"])
    assert kreise.loc[HALLE, "einwohner"] == round(halle["population"])  # population and rate of one year


def test_a_change_reads_the_same_in_sheet_report_and_change_map(products: Products) -> None:
    """Magdeburg's crime: formerly +13 % (report), −13 % (fact sheet), −14 % (change map)."""
    p = products.data.panel
    series = p[(p["unit_ags"] == MAGDEBURG) & (p["indicator"] == "pks:------")]
    text, change = disclosure.series_change_text(series)
    assert (change.year_before, change.year_after, change.basis) == (2019, 2024, "count")
    assert text.startswith("+14")
    assert products.sheet("gemeinde_15003000")["Straftaten insgesamt"][7].startswith(text)
    assert products.report_kreise["Magdeburg"][2] == text
    hover = products.map_html("kreise_straftaten_veraenderung_*.html")
    assert f"<b>Magdeburg</b> (AGS {MAGDEBURG})" in hover and f"Veränderung: {text}" in hover


def test_kreis_and_gemeinde_counts_agree_and_small_ones_are_hidden_everywhere(products: Products) -> None:
    harz = _row(products.data, HARZ, "pks:------", 2024)
    assert products.sheet("kreis_15085")["Straftaten insgesamt"][3] == fmt.number(harz["count"])
    md = _row(products.data, "15003000", "acc:verunglueckte", 2023)
    assert products.sheet("gemeinde_15003000")["Verunglückte"][3] == fmt.number(md["count"])
    gem = products.layer("gemeinden").set_index("ags")
    assert gem.loc["15003000", "jahr"] == 2023 and gem.loc["15003000", "anzahl"] == md["count"]
    assert gem.loc["15003000", "verunglueckte_je_100000"] == pytest.approx(md["rate_per_100k"])
    small = _row(products.data, ZIELITZ, "acc:verunglueckte", 2023)
    assert 1 <= small["count"] <= 2 and small["disclosure"] == "klein"
    assert products.sheet("gemeinde_15083580")["Verunglückte"][3] == "<3"
    assert gem.loc[ZIELITZ, "anzahl_hinweis"] == "<3" and pd.isna(gem.loc[ZIELITZ, "anzahl"])
    csv = products.csv("kennzahlen.csv")
    row = csv[(csv["ags"] == ZIELITZ) & (csv["kennzahl"] == "acc:verunglueckte")].iloc[0]
    assert pd.isna(row["anzahl"]) and row["anzahl_hinweis"] == "<3"
    hover = products.map_html("gemeinden_verunglueckte_*.html")
    assert re.search(r"<b>Zielitz</b> \(AGS 15083580\)<br>Anzahl 2023: <3<br>Kleinzahl", hover)


def test_verdict_bounds_agree_across_workbook_csv_report_and_fact_sheet(products: Products) -> None:
    e = products.data.effects
    head = e[e["headline"] & e["evaluable"] & (e["measure_id"] == "M06") & (e["indicator"] == "pks:890000")].iloc[0]
    csv = products.csv("wirkungen.csv")
    row = csv[(csv["massnahme_id"] == "M06") & (csv["kennzahl"] == "pks:890000") & (csv["hauptergebnis"] == "ja")]
    assert row["ratenverhaeltnis"].iloc[0] == pytest.approx(head["estimate"], abs=1e-4)
    assert row["ki_unten"].iloc[0] == pytest.approx(head["ci_low"], abs=1e-4)
    assert row["ki_oben"].iloc[0] == pytest.approx(head["ci_high"], abs=1e-4)
    wb = products.workbook["Wirkungen"]
    cell = wb[
        (wb["Maßnahmen-ID"] == "M06") & (wb["Kennzahl (Schlüssel)"] == "pks:890000") & (wb["Hauptergebnis"] == "ja")
    ]
    assert cell["95-%-Intervall oben"].iloc[0] == pytest.approx(head["ci_high"])
    bounds = f"{fmt.number(head['estimate'], 2)} ({fmt.number(head['ci_low'], 2)}–{fmt.number(head['ci_high'], 2)})"
    assert bounds in products.report
    ci = interval(head["ci_low"], head["ci_high"])
    assert ci in products.sheet_text("gemeinde_15003000").replace("\u00a0", "\u00a0")


def test_numbers_of_bodies_and_results_agree(products: Products) -> None:
    data = products.data
    real = len(data.real_bodies)
    assert f"umfasst {fmt.plural(real, 'Gremium', 'Gremien')}" in products.report
    assert fmt.plural(real, "Gremium", "Gremien") in (products.out / "index.html").read_text(encoding="utf-8")
    assert len(list((products.out / "steckbriefe").glob("gremium_*.pdf"))) == real
    e = data.effects
    results = e[e["headline"] & e["evaluable"] & ~e["measure_id"].str.split(":").str[0].map(is_placeholder)]
    svg = (products.out / "ministerium" / "img" / "wirkungen_forest.svg").read_text(encoding="utf-8")
    spans = ((results["ci_low"] < 1) & (results["ci_high"] > 1)).all()
    assert (f"alle {len(results)} Intervalle" in svg) == bool(spans)
    assert f"{fmt.number(len(results))} ausgewertete Zielgrößen" in products.report  # the forest plot's alt text
    deck = next((products.out / "konferenz").glob("polizeiinspektion-halle-saale/*.pptx"))
    titles = [s.shapes.title.text for s in Presentation(deck).slides if s.shapes.title is not None]
    kreise = data.regions["Polizeiinspektion Halle (Saale)"]
    n = len(region_effects(data, kreise))
    assert any(f"({fmt.plural(n, 'Ergebnis', 'Ergebnisse')})" in t or f"von {n} Ergebnissen" in t for t in titles)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in Presentation(deck).slides)
    assert "Kooperationsvereinbarung Stadt Bad Dürrenberg" in notes  # the notes name the measures


def test_accident_points_and_data_date_agree(products: Products) -> None:
    data = products.data
    n = int((data.points["ags"] == "15003000").sum())
    html = products.map_html("unfallorte_15003000_*.html")
    assert f"{fmt.number(n)} Unfälle" in html and "2020, 2022–2024" in html  # 2021 is a gap, not a year shown
    date = fmt.date_de(data.data_date)
    assert date == "31.12.2024"
    assert f"Stand {date}" in products.sheet_text("gemeinde_15002000")
    package = json.loads(
        (products.out / "ministerium" / "offene-daten" / "datapackage.json").read_text(encoding="utf-8")
    )
    assert package["version"] == date
    month = products.csv("kennzahlen_monate.csv")
    assert len(month) and "monat" in month.columns
    assert "01/2025–02/2026" in (products.out / "ministerium" / "offene-daten" / "LIZENZ.txt").read_text(
        encoding="utf-8"
    )
