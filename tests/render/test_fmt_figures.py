"""German number formatting, the small-number rule, and the classification and scales of the maps."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from praevention.evaluation.design import span as years_text
from praevention.render import export, figures, fmt
from tests.render.synthetic_land import make_report_data


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (-0.04, 1, "0,0"), (-12.25, 1, "−12,2"), (math.nan, 1, "–")],
)
def test_number_is_german(value: float, decimals: int, expected: str) -> None:
    assert fmt.number(value, decimals) == expected


def test_percent_and_change() -> None:
    assert fmt.percent(0.123) == "12,3\u00a0%"
    assert fmt.change_from_ratio(0.82) == "−18\u00a0%"
    assert fmt.change_from_ratio(1.05) == "+5\u00a0%"


@pytest.mark.parametrize(("count", "expected"), [(0, "0"), (1, "<3"), (2, "<3"), (3, "3"), (1234, "1.234")])
def test_small_counts(count: int, expected: str) -> None:
    assert fmt.publish_count(count) == expected
    assert fmt.is_suppressed(count) == (expected == "<3")


def test_years_text_compresses_runs_and_names_gaps() -> None:
    assert years_text([1995, 1996, 1997, 2000, 2001, 2023]) == "1995–1997, 2000–2001, 2023"
    assert years_text([2020, 2022, 2023, 2024]) == "2020, 2022–2024"  # Magdeburg's Unfallatlas years


def test_names_are_shortened_at_a_word_boundary() -> None:
    title = "Kooperationsvereinbarung zur Sicherheitspartnerschaft zwischen der Stadt Gardelegen und dem Polizeirevier"
    short = fmt.shorten(title, 45)
    assert short.endswith("…") and len(short) <= 45
    assert title.startswith(short[:-1]) and title[len(short) - 1] == " "  # cut before a space, never mid-word
    assert fmt.shorten("kurz", 45) == "kurz"


def test_classes_are_fisher_jenks_and_cover_every_value() -> None:
    values = np.array([1, 2, 3, 10, 11, 12, 50, 51, 52, 100, 101, 102, np.nan], dtype=float)
    idx, bins, method = figures.classify(values, k=4)
    assert method == "Fisher-Jenks"
    assert bins[-1] == 102
    assert np.isnan(idx[-1])
    assert list(idx[:12]) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_change_map_is_diverging_with_midpoint_zero() -> None:
    data = make_report_data(12)
    fig = figures.choropleth(data, "Kreis", "pks:------", 2024, kind="change")
    (bar,) = [t for t in fig.data if getattr(t.marker, "showscale", False)]
    assert bar.marker.cmid == 0
    assert bar.marker.cmin == -bar.marker.cmax
    hover = " ".join(t.text for t in fig.data if isinstance(t.text, str))
    assert "Veränderung: " in hover and "(2019 → 2024" in hover and "je 100.000 Einwohner" in hover
    assert "2019 → 2024" in fig.layout.title.text  # the products' one base, never the year before


def test_rate_map_says_in_words_what_its_classes_mean_and_names_only_its_sources() -> None:
    data = make_report_data(12)
    fig = figures.choropleth(data, "Kreis", "pks:------", 2024)
    titles = [t.legendgrouptitle.text for t in fig.data if t.legendgrouptitle and t.legendgrouptitle.text]
    assert titles == ["je 100.000 Einwohner (2024)"]
    classes = [t.name for t in fig.data if t.legendgroup == "classes"]
    k = len(classes)
    assert [c.split(":")[0] for c in classes] == figures.CLASS_WORDS[k]
    assert all(re.search(r": [\d.]+(,\d+)?( bis [\d.]+(,\d+)?)?$", c) for c in classes), classes
    assert fig.layout.meta["classification"] in figures.CLASS_NOTE  # the method stays in the figure's metadata
    foot = " ".join(a.text for a in fig.layout.annotations)
    assert figures.CLASS_NOTE[fig.layout.meta["classification"]] in foot
    assert "Fisher-Jenks" not in foot + " ".join(str(t.name) for t in fig.data)
    assert "Polizeiliche Kriminalstatistik" in foot and "GeoBasis-DE" in foot
    assert "Unfallatlas" not in foot


def test_long_titles_and_footnotes_are_wrapped_to_fit_the_picture() -> None:
    import plotly.graph_objects as go

    data = make_report_data()
    title = "In der Polizeiinspektion Halle (Saale) lässt sich bisher keine Wirkung sicher nachweisen (11 Auswertungen)"
    fig = figures.base_layout(go.Figure(), data, title, notes=["Wort " * 60])
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= figures.TITLE_WIDTH for line in lines)
    assert fig.layout.margin.t > 80
    foot = re.sub(r"<[^>]+>", "\n", fig.layout.annotations[0].text)
    assert all(len(line) <= figures.FOOT_WIDTH for line in foot.splitlines())
    assert export.figure_title(fig) == title  # slides and messages get it on one line
