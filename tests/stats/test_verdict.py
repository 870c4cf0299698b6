"""The verdict sentences: German, honest about the design, never a causal claim beyond it."""

from __future__ import annotations

from pipelines.stats.types import Effect, not_evaluable
from pipelines.stats.verdict import verdict_de


def test_significant_decrease_against_comparison_group():
    e = Effect("did_poisson_fe", 0.82, 0.69, 0.97, 0.02, 400, 300)
    text = verdict_de(e, indicator="die Zahl der Wohnungseinbrüche", event="Einrichtung des Präventionsrats")
    expected = (
        "Nach Einrichtung des Präventionsrats sank die Zahl der Wohnungseinbrüche um 18 % "
        "(95 %-KI: −31 % bis −3 %), stärker als in vergleichbaren Kreisen."
    )
    # percentages carry a no-break space before the sign (German typesetting)
    assert text.replace("\u00a0", " ") == expected


def test_interval_spanning_one_says_no_effect_and_why():
    few = Effect("did_poisson_fe", 0.7, 0.3, 1.6, 0.4, 12, 9)
    assert "lässt sich nicht nachweisen" in verdict_de(few, indicator="x", event="y")
    assert "zu wenige Fälle" in verdict_de(few, indicator="x", event="y")
    short = Effect("did_poisson_fe", 0.95, 0.85, 1.06, 0.4, 4000, 1300)
    assert "Nachher-Zeitraum zu kurz" in verdict_de(short, indicator="x", event="y", after_years=1)


def test_naive_is_labelled_and_not_evaluable_has_its_reason():
    naive = Effect("naive_before_after", 0.7, 0.6, 0.8, 0.001, 500, 350)
    text = verdict_de(naive, indicator="die Straßenkriminalität", event="dem Start")
    assert text.startswith("Naiver Vorher-Nachher-Vergleich") and "kein Nachweis" in text
    assert verdict_de(not_evaluable("x", "too_few", "zu wenige Fälle"), indicator="a", event="b") == (
        "Nicht auswertbar: zu wenige Fälle."
    )


def test_poor_synthetic_fit_is_not_headlined_as_a_result():
    e = Effect("synthetic_control", 0.8, 0.6, 0.9, 0.05, 1, 1, {"pre_fit_ok": False, "rmspe_pre_relative": 0.23})
    assert "nicht belastbar" in verdict_de(e, indicator="x", event="y")
