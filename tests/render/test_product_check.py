"""The product check: clean products pass, planted internal strings, IDs, paths and small counts fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from praevention.publish.product_check import check_file, check_products, rules
from tests.render.conftest import Rendered

#: what the ministry's acceptance check looks for, one example each
ACCEPTANCE_EXAMPLES = [
    "same unit as line 12, listed again without figures",
    "Verfahren: meta_random_effects",
    "did_poisson_fe",
    "did_staggered",
    "naive_before_after",
    "synthetic_control",
    "empirical_bayes",
    "Einrichtung G07:gruendung",
    "K-M03:relaunch",
    "Träger der Maßnahme M15 (Halle)",
    "vorher , nachher 2014–2024",
    "Weitere 1 Ergebnisse stehen im Bericht",
    "Zielgröße: speed",
    "Zielgröße: children.",
    "(seniors)",
    "Ergebnis: not evaluable",
    "Wert: none",
    "Wert: nan",
    "Quelle: /tmp/run/register.xlsx",
    "Quelle: /home/mi/register.xlsx",
    "Register-ID K-M03",
    "Gremium G07",
    "1 Gremien im Register",
]
#: plain German that must pass
CLEAN = [
    "Drucksache 0212/2021-01 vom 12.03.2021",
    "Gemeindeschlüssel 15085235, Einwohner 1.234",
    "Die Chance auf eine Wirkung ist gering; Geschwindigkeit, Kinder, Senioren.",
    "2 Gremien, 1 Gremium, 1 Maßnahme",
    "Landkreis Harz, in dem Quedlinburg liegt",
    "A14, B81 und L85",
]


@pytest.mark.parametrize("text", ACCEPTANCE_EXAMPLES)
def test_every_pattern_of_the_acceptance_check_is_found(text: str) -> None:
    assert list(rules().find(text)), text


@pytest.mark.parametrize("text", CLEAN)
def test_plain_german_passes(text: str) -> None:
    assert not list(rules().find(text)), list(rules().find(text))


def test_rendered_products_pass_the_check(rendered: Rendered) -> None:
    problems, n_files = check_products(rendered.out)
    assert n_files > 50
    assert not problems, "\n".join(p.line() for p in problems[:20])


def test_planted_problems_are_found_with_file_and_place(rendered: Rendered, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(rendered.out / "ministerium", out / "ministerium")
    shutil.copytree(rendered.out / "konferenz", out / "konferenz")
    html = out / "ministerium" / "bericht.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "<p>Zielgröße: speed</p></body>"))
    book = out / "ministerium" / "tabellen.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Kennzahlen"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("Ebene")].value == "Gemeinde")
    row[head.index("Anzahl")].value = 2
    wb.save(book)
    deck = next((out / "konferenz").rglob("*.pptx"))
    prs = Presentation(deck)
    prs.slides[0].shapes.title.text = "Ergebnis von K-M03"
    prs.save(deck)
    problems = check_products(out)[0]
    found = {(p.file.split("/")[-1], p.kind) for p in problems}
    assert ("bericht.html", "englisches Wort") in found
    assert ("tabellen.xlsx", "Kleinzahl veröffentlicht") in found
    assert (deck.name, "Register-ID") in found
    where = {p.where for p in problems if p.file.endswith(".pptx")}
    assert where == {"Folie 1"}


def test_register_ids_in_id_columns_of_a_table_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Maßnahmen-ID,Titel,Ebene,Anzahl\nM03,Streifen,Gemeinde,<3\nM04,Runder Tisch M04,Kreis,1\n")
    problems = check_file(path, tmp_path)
    assert [(p.where, p.kind) for p in problems] == [("Zelle B3", "Register-ID")]
