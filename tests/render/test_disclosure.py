"""The one disclosure rule: no Gemeinde count of 1–2 in any product, and no hidden count that follows from
totals (secondary suppression) – on small constructed cases and in every product of a real run."""

from __future__ import annotations

import re

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from praevention.render import disclosure
from praevention.render.data import load_report_data
from praevention.render.workbook import PANEL_INDICATORS
from praevention.warehouse import connect
from tests.conftest import RealRun


def _panel(rows: list[tuple[str, str, float]], indicator: str = "acc:getoetete", year: int = 2015) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit_ags": a, "unit_level": lvl, "count": c, "indicator": indicator, "year": year, "month": None}
            for a, lvl, c in rows
        ]
    )


@pytest.mark.parametrize(
    ("n_small", "n_secondary", "total", "expected"),
    [
        (1, 0, 1, False),  # Kreis total minus the shown Gemeinden = the hidden cell
        (2, 0, 2, False),  # 1 + 1: both determined
        (2, 0, 3, True),  # 1 + 2 or 2 + 1
        (2, 0, 4, False),  # 2 + 2
        (1, 1, 4, False),  # 1 + 3: a hidden cell is 0 or at least 3, so 2 + 2 is impossible
        (1, 1, 5, True),  # 1 + 4 or 2 + 3
        (1, 1, 9, True),
    ],
)
def test_a_small_count_is_safe_only_when_the_total_leaves_it_open(n_small, n_secondary, total, expected) -> None:
    assert disclosure.ambiguous(n_small, n_secondary, total) is expected


def test_one_hidden_gemeinde_is_not_given_back_by_its_kreis_total() -> None:
    """Groß Quenstedt's case: a Kreis total minus the other Gemeinden gave a hidden 1 back. One more cell is
    hidden with it, the smallest that leaves the small count open: 3 would not (1 + 3 = 4 allows only 1), 5 does."""
    panel = _panel(
        [
            ("15085", "Kreis", 27),
            ("15085125", "Gemeinde", 1),
            ("15085130", "Gemeinde", 3),
            ("15085135", "Gemeinde", 5),
            ("15085140", "Gemeinde", 18),
            ("15085145", "Gemeinde", 0),
        ]
    )
    flags = disclosure.mark_panel(panel, set())
    assert list(flags) == ["", "klein", "", "gegenrechnung", "", ""]
    assert disclosure.leaks(panel, flags, set()) == []
    assert disclosure.count_text(1, flags[1]) == "<3" and disclosure.count_text(5, flags[3]) == "ausgeblendet"


def test_a_kreisfreie_stadt_is_a_gemeinde_and_the_land_total_does_not_give_it_back() -> None:
    panel = _panel(
        [
            ("15", "Land", 40),
            ("15001", "Kreis", 2),
            ("15001000", "Gemeinde", 2),
            ("15002", "Kreis", 7),
            ("15002000", "Gemeinde", 7),
            ("15081", "Kreis", 31),
        ]
    )
    single = {"15001", "15002"}
    flags = disclosure.mark_panel(panel, single)
    assert flags[1] == flags[2] == "klein"  # the city's Kreis row is its Gemeinde row
    assert flags[3] == flags[4] == "gegenrechnung"  # another kreisfreie Stadt hidden with it, in both rows
    assert flags[5] == ""  # a Landkreis whose Gemeinden would give it back stays shown
    assert disclosure.leaks(panel, flags, single) == []


def _html_rows(html: str) -> list[list[str]]:
    text = re.sub(r"\s+", " ", html)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", text)
    ]


def _unescaped(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def test_no_product_of_a_real_run_shows_a_small_gemeinde_count(real_run: RealRun) -> None:
    out = real_run.out
    with connect(real_run.warehouse, read_only=True) as con:
        data = load_report_data(con, "15")
    single = data.kreisfreie
    found: list[str] = []
    # fact sheets: count cells of the indicator tables (Gemeinde sheets) and every sheet's counts of its own
    for f in sorted((out / "steckbriefe").glob("gemeinde_*.html")):
        for cells in _html_rows(f.read_text(encoding="utf-8")):
            if len(cells) == 8 and cells[1] == "Gemeinde" and cells[3] in ("1", "2"):
                found.append(f"{f.name}: {cells[:4]}")
    # the workbook and the CSV files: Gemeinde rows and the Kreis rows of kreisfreie Städte
    wb = load_workbook(next(out.rglob("tabellen.xlsx")), read_only=True)
    rows = list(wb["Kennzahlen"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    for r in rows[1:]:
        protected = r[col["Ebene"]] == "Gemeinde" or str(r[col["Gebietsschlüssel"]]) in single
        if protected and isinstance(r[col["Anzahl"]], int | float) and 1 <= r[col["Anzahl"]] <= 2:
            found.append(f"tabellen.xlsx: {r[:8]}")
    csv = pd.read_csv(out / "ministerium" / "offene-daten" / "kennzahlen.csv", sep=";", decimal=",", dtype={"ags": str})
    protected = (csv["ebene"] == "Gemeinde") | csv["ags"].isin(single)
    found += [
        f"kennzahlen.csv: {r.ags} {r.kennzahl} {r.jahr}"
        for r in csv[protected & csv["anzahl"].isin([1, 2])].itertuples()
    ]
    effects = pd.read_csv(
        out / "ministerium" / "offene-daten" / "wirkungen.csv", sep=";", decimal=",", dtype={"ags": str}
    )
    gemeinde = effects["ags"].str.len() == 8
    found += [f"wirkungen.csv: {r.ags}" for r in effects[gemeinde & effects["faelle_vorher"].isin([1, 2])].itertuples()]
    # the GeoPackage and the maps' hover text
    gpkg = out / "ministerium" / "offene-daten" / "praeventionsmonitor.gpkg"
    gem = pyogrio.read_dataframe(gpkg, layer="gemeinden")
    found += [f"gpkg: {r.ags} {r.anzahl}" for r in gem[gem["anzahl"].isin([1, 2])].itertuples()]
    for f in sorted((out / "karten").glob("gemeinden_*.html")):
        found += [
            f"{f.name}: {m}" for m in re.findall(r"Anzahl \d{4}: [12]<br>", _unescaped(f.read_text(encoding="utf-8")))
        ]
    assert not found, found[:10]
    # hidden cells really hidden: every flagged cell of the panel is empty in the CSV, and no group lets a
    # reader compute a hidden small count from its total
    flagged = data.panel[(data.panel["disclosure"] != "") & data.panel["indicator"].isin(PANEL_INDICATORS)]
    hints = csv.set_index(["ags", "kennzahl", "jahr"])["anzahl_hinweis"]
    for r in flagged[flagged["month"].isna()].itertuples():
        assert hints.get((r.unit_ags, r.indicator, r.year)) == disclosure.TEXT[r.disclosure], r
    published = data.panel[data.panel["indicator"].isin(PANEL_INDICATORS)]
    assert disclosure.leaks(published, published["disclosure"], single) == []
    assert (data.panel["disclosure"] == "klein").sum() > 100  # the real data have small counts to hide
