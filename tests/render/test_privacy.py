"""Nothing personal and no unmarked small number gets out: the privacy scan over every output type,
and the small-number rule on the fact sheet, the workbook and the map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.comments import Comment
from pptx import Presentation

from praevention.privacy import find_personal, redact
from praevention.publish.privacy_scan import register_contact_names, scan
from praevention.register.load import load_register
from praevention.render.disclosure import effect_count_flags
from tests.render.conftest import Rendered
from tests.render.synthetic_land import QUEDLINBURG, SMALL


def test_generated_outputs_are_clean_and_every_type_is_scanned(rendered: Rendered) -> None:
    findings, coverage = scan(rendered.out, {"Erika Musterfrau"})
    assert findings == []
    assert {".html", ".pdf", ".xlsx", ".pptx", ".svg"} <= set(coverage)


def test_planted_leaks_are_found_in_html_xlsx_and_pptx(rendered: Rendered, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(rendered.out, out)
    sheet = next((out / "steckbriefe").glob(f"gemeinde_{QUEDLINBURG}_*.html"))
    sheet.write_text(sheet.read_text().replace("</body>", "<p>Kontakt: erika.musterfrau@example.org</p></body>"))
    wb_path = out / "ministerium" / "tabellen.xlsx"
    wb = load_workbook(wb_path)
    wb["Gremien"]["B2"] = "Ansprechpartner Tel. 0391 540-1234"
    wb["Kennzahlen"]["A2"].comment = Comment("Rückfragen: max.muster@example.org", "Redaktion")
    wb.save(wb_path)
    deck_path = next((out / "konferenz").rglob("*.pptx"))
    deck = Presentation(deck_path)
    deck.slides[0].shapes.title.text = "Präventionsrat mit Erika Musterfrau"
    deck.save(deck_path)
    findings, _ = scan(out, {"Erika Musterfrau"})
    kinds = {(Path(f.file).suffix, f.kind) for f in findings}
    assert {(".html", "email"), (".xlsx", "phone"), (".xlsx", "email"), (".pptx", "name")} <= kinds


def test_phone_pattern_does_not_flag_keys_dates_or_numbers() -> None:
    def phones(text: str) -> list[str]:
        return [text[s:e] for _, s, e in find_personal(text, ("phone",))]

    for text in (
        "AGS 01001",
        "15003000",
        "01.03.2021",
        "1.234,5",
        "2014–2024",
        "0,5 %",
        "435*00",
        "1.082 450,8",
        "Beschluss Drucksache 0212/2021-01",
        "Vorlage 0345/2019",
        "0212/2021-01",
        "Az. 0321/2020",
        "II/2021/0345",
    ):
        assert phones(text) == [], text
    for text in (
        "0391 5401234",
        "(0391) 540 12 34",
        "+49 391 540-1234",
        "0391/540-1234",
        "+49 3462 5401234",
        "+49 (0) 3931 / 55 51 23 6",
        "0171-9876543",
        "+493915401234",
    ):
        assert phones(text) == [text], text
    assert phones("Tel. +49 (0) 391 / 12 34 56") == ["+49 (0) 391 / 12 34 56"]
    assert phones("Tel.-Nr. 0212/2021") == ["0212/2021"]  # a phone word wins over the document shape


def test_email_addresses_and_names_are_recognised() -> None:
    for text in (
        "erika.mustermann@example.org",
        "name[at]stendal.de",
        "erika.mustermann[at]example.org",
        "x (at) ort (dot) de",
    ):
        assert redact(text) == ("[entfernt]", ["email"]), text
    assert redact("Frau Dr. Sabine Krause") == ("[entfernt]", ["name"])
    assert redact("Rückfragen an Herrn Müller") == ("Rückfragen an [entfernt]", ["name"])
    assert redact("Stadt Weißenfels (OB Martin Papke)") == ("Stadt Weißenfels (OB [entfernt])", ["name"])
    assert redact("Polizeirevier Harz; Stadt Halle (Saale)") == ("Polizeirevier Harz; Stadt Halle (Saale)", [])
    assert redact("Kontakt: Herr Müller, 0171-9876543") == ("Kontakt: [entfernt], [entfernt]", ["name", "phone"])


def test_register_contact_columns_are_dropped_but_known_to_the_scan(tmp_path: Path) -> None:
    path = tmp_path / "praeventionsgremien.csv"
    path.write_text(
        "id,name_as_in_source,gremium_type,level,municipality,ags_gemeinde,ags_kreis,kreis_name,founded,"
        "source_url,source_date,Ansprechpartner,E-Mail\n"
        "G1,Präventionsrat Quedlinburg,Präventionsrat,Gemeinde,Quedlinburg,15085235,15085,Harz,2019,"
        "https://example.org,2024,Erika Musterfrau,erika@example.org\n",
        encoding="utf-8",
    )
    loaded = load_register([path], land="15")
    assert "Erika Musterfrau" not in loaded.bodies.to_string()
    assert "Erika Musterfrau" in register_contact_names([path])


def test_small_counts_in_the_workbook_and_the_map(rendered: Rendered) -> None:
    wb = load_workbook(rendered.out / "ministerium" / "tabellen.xlsx")
    ws = wb["Kennzahlen"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    rows = [
        [c.value for c in r]
        for r in ws.iter_rows(min_row=2)
        if r[col["Gebietsschlüssel"]].value == QUEDLINBURG and r[col["Kennzahl (Schlüssel)"]].value == "acc:points_all"
    ]
    assert rows and all(r[col["Anzahl"]] == "<3" and r[col["je 100.000 Einwohner"]] is None for r in rows)
    html = next((rendered.out / "karten").glob("gemeinden_unfaelle_personenschaden_*.html")).read_text()
    small = html[html.index("Zwergenau") : html.index("Zwergenau") + 300]
    assert "Anzahl 2015: &lt;3" in small or "Anzahl 2015: <3" in small or "Anzahl 2015: \\u003c3" in small
    assert "Rate und Veränderung nicht ausgewiesen" in small or "Rate und Ver\\u00e4nderung" in small
    assert SMALL in small


def test_small_effect_counts_in_a_gemeinde_are_hidden() -> None:
    """Counts before and after a measure are sums over years: 1–2 in a Gemeinde are hidden, and so is any sum
    over a period with a hidden year (the sum minus the shown years would give that year back)."""
    effects = pd.DataFrame(
        {
            "unit_ags": ["15085235", "15085235", "15085", "15003000", "15085999"],
            "indicator": ["acc:x"] * 5,
            "n_before": [2, 40, 1, 0, 30],
            "n_after": [1, 2, 2, None, 25],
            "period_before": ["2012–2014"] * 5,
            "period_after": ["2016–2018"] * 5,
        }
    )
    panel = pd.DataFrame(
        {"unit_ags": ["15085999"], "indicator": ["acc:x"], "year": [2013], "month": [None], "disclosure": ["klein"]}
    )
    flags = effect_count_flags(effects, panel)
    assert flags["n_before"].tolist() == ["klein", "", "", "", "gegenrechnung"]  # a Kreis sum of 1 is published
    assert flags["n_after"].tolist() == ["klein", "klein", "", "", ""]


def test_decks_hold_no_per_municipality_counts(rendered: Rendered) -> None:
    """The decks show region sums and effects only, so the small Gemeinde (Zwergenau, 640 inhabitants,
    counts of 1-2) must not appear in any slide text or table of any deck."""
    decks = sorted((rendered.out / "konferenz").rglob("*.pptx"))
    assert decks
    for path in decks:
        for slide in Presentation(path).slides:
            for shape in slide.shapes:
                texts = [shape.text_frame.text] if shape.has_text_frame else []
                if shape.has_table:
                    texts += [c.text for r in shape.table.rows for c in r.cells]
                assert not any("Zwergenau" in t or SMALL in t for t in texts), (path.name, texts)
