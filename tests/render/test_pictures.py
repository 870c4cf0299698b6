"""Pictures people show: the deck map's year, the decks' 16:9 geometry, notes and alt text, value labels
beside error bars, the fact sheets' accident trend and data date, alt text in HTML and PDF."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Inches

from praevention.render import figures, konferenz
from praevention.render.steckbrief import SheetBuilder
from tests.render.conftest import Rendered
from tests.render.synthetic_land import QUEDLINBURG, _frame, make_report_data


def _with_monthly_rows(data):
    """Monthly accident rows of a later year (provisional GENESIS months) beside the annual crime data."""
    monthly = _frame(
        "15",
        "Land",
        "Sachsen-Anhalt",
        [2026, 2026],
        "acc:unfaelle_personenschaden",
        "Unfälle",
        [530, 510],
        [2.1e6] * 2,
        "GENESIS",
    )
    monthly["month"] = pd.array([1, 2], dtype="Int32")
    return dataclasses.replace(data, panel=pd.concat([data.panel, monthly], ignore_index=True))


def test_deck_map_takes_its_year_from_the_annual_data_of_its_indicator(tmp_path) -> None:
    data = _with_monthly_rows(make_report_data(24))
    assert int(data.panel["year"].max()) == 2026
    plan = konferenz.conference_charts(data, tmp_path)
    for kreise, _, region_map in plan.values():
        fig = region_map.export.figure
        assert "2024" in region_map.message and "2026" not in region_map.message
        assert not fig.layout.title.text  # the slide's title says it: the picture keeps its room for the map
        classes = [t.name for t in fig.data if t.legendgroup == "classes"]
        assert classes and all(re.search(r"\d", c) and "–" not in c for c in classes), classes
        coloured = [t for t in fig.data if t.meta and "ags" in t.meta and t.fillcolor != "#eeeeee"]
        assert len(coloured) == len(data.kreise)
        assert {t.meta["ags"] for t in coloured if t.opacity == 1.0} == set(kreise)


def test_a_map_without_annual_values_is_refused_not_drawn_empty() -> None:
    data = _with_monthly_rows(make_report_data(12))
    with pytest.raises(ValueError, match=r"no annual values of pks:------ .* 2026"):
        figures.choropleth(data, "Kreis", "pks:------", 2026)


def test_bar_value_labels_sit_beside_the_upper_end_of_the_interval() -> None:
    data = make_report_data(24)
    fig = konferenz.kreis_bars(data, sorted(data.kreise["ags"]), "pks:435*00", "Wohnungseinbrüche")
    (bars,) = [t for t in fig.data if t.type == "bar"]
    (labels,) = [t for t in fig.data if t.meta and t.meta.get("role") == "value_labels"]
    assert bars.text is None  # no label on the bar, where the error bar is drawn
    upper = np.asarray(bars.x) + np.asarray(bars.error_x.array)
    assert list(labels.y) == list(bars.y)
    np.testing.assert_allclose(np.asarray(labels.x, dtype=float), upper)
    assert labels.textposition == "middle right"
    assert fig.layout.xaxis.range[1] > upper.max() * 1.1  # room for the labels right of the longest interval


def test_decks_are_16_to_9_with_pictures_below_the_title_notes_and_alt_text(rendered: Rendered) -> None:
    (deck,) = [p for p in rendered.files["conference_kit"] if p.suffix == ".pptx"]
    prs = Presentation(deck)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    title, subtitle = slides[0].shapes.title, slides[0].placeholders[1]
    assert title.top + title.height <= subtitle.top and subtitle.top + subtitle.height <= prs.slide_height
    pictures = 0
    for slide in slides[1:]:
        title = slide.shapes.title
        assert title.left >= 0 and title.left + title.width <= prs.slide_width
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) > 40, (title.text, notes)
        for shape in slide.shapes:
            if shape.shape_type != 13:  # pictures
                continue
            pictures += 1
            assert shape.top >= title.top + title.height, f"picture covers the title of {title.text!r}"
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
            descr = shape._element.nvPicPr.cNvPr.get("descr")
            assert descr and len(descr) > 40, descr
    assert pictures >= 4
    chart_notes = " ".join(s.notes_slide.notes_text_frame.text for s in slides[2:5])
    assert "je 100.000 Einwohner" in chart_notes and "Hellfeld" in chart_notes  # figures and caveats


def test_city_sheet_charts_the_accident_series_that_reaches_furthest() -> None:
    data = make_report_data(24)
    points = _frame(
        QUEDLINBURG,
        "Gemeinde",
        "Quedlinburg",
        [2020, 2021, 2022, 2023, 2024],
        "acc:points_all",
        "Unfälle",
        [80, 75, 90, 70, 72],
        [24_000] * 5,
        "Unfallatlas",
    )
    land = _frame(
        "15",
        "Land",
        "Sachsen-Anhalt",
        list(range(2016, 2025)),
        "acc:unfaelle_personenschaden",
        "Unfälle",
        [9000] * 9,
        [2.2e6] * 9,
        "GENESIS",
    )
    panel = data.panel[~((data.panel["unit_ags"] == QUEDLINBURG) & (data.panel["indicator"] == "acc:points_all"))]
    data = dataclasses.replace(data, panel=pd.concat([panel, points, land], ignore_index=True))
    sheet = SheetBuilder(data).gemeinde(QUEDLINBURG)
    (acc,) = [t for t in sheet["trends"] if t["title"].startswith("Unfälle")]
    assert "2020–2024" in acc["title"] and "Unfallatlas" in acc["title"]
    assert "2020" in acc["svg"] and "2024" in acc["svg"] and "2013" not in acc["svg"]
    assert (
        "Unfallatlas bis 2024" in sheet["as_of"]
        and "Unfallstatistik bis 2015 (Sachsen-Anhalt bis 2024)" in sheet["as_of"]
    )
    assert sheet["as_of"] in sheet["footer"]


def test_figures_in_html_and_pdf_carry_alt_text(rendered: Rendered) -> None:
    html = [p for k in ("fact_sheets", "ministry_report") for p in rendered.files[k] if p.suffix == ".html"]
    for page in html[:30]:
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<img\b[^>]*>", text):
            assert re.search(r'alt="[^"]{20,}"', tag), (page.name, tag)
        for tag in re.findall(r"<svg\b[^>]*>", text):
            assert re.search(r'aria-label="[^"]{10,}"', tag) or 'aria-hidden="true"' in tag, (page.name, tag)
    import pypdf

    pdfs = [p for k in ("fact_sheets", "ministry_report") for p in rendered.files[k] if p.suffix == ".pdf"][:5]
    for pdf in pdfs:
        root = pypdf.PdfReader(pdf).trailer["/Root"]
        assert root.get("/Lang") in ("de", "de-DE"), pdf.name
        assert "/StructTreeRoot" in root, f"{pdf.name} is not tagged"
        kinds = _structure(root["/StructTreeRoot"])
        figures_ = [alt for kind, alt in kinds if kind == "/Figure"]
        assert figures_ and all(alt and len(str(alt)) > 10 for alt in figures_), (pdf.name, figures_)
        order = [kind for kind, _ in kinds if kind in ("/H1", "/H2")]
        assert order[0] == "/H1", f"{pdf.name}: the title is not read first"


def _structure(node) -> list[tuple[str, object]]:
    """(structure type, alt text) of every element of a tagged PDF's structure tree, in reading order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    out = []
    if isinstance(node, dict):
        if "/S" in node:
            out.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            out += _structure(kid)
    return out


def test_interactive_maps_are_described_for_screen_readers(rendered: Rendered) -> None:
    pages = [p for p in rendered.files["maps_and_charts"] if p.suffix == ".html"]
    assert pages
    for page in pages:
        label = re.search(r'<div id="karte-[0-9a-f]+" role="figure" aria-label="([^"]+)"', page.read_text("utf-8"))
        assert label and len(label.group(1)) > 40 and "<" not in label.group(1), page.name
