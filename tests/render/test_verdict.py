"""The verdict sentences: German, in four plain cases, honest about the design, its level and the many tests,
never a causal claim."""

from __future__ import annotations

import json

from praevention.evaluation.literature import review_for
from praevention.render import fmt
from praevention.render.verdict import (
    event_phrase,
    event_title,
    finding_text,
    literature_context,
    place_phrase,
    verdict_de,
)


def row(**kw) -> dict:
    base = {
        "method": "did_placebo",
        "estimate": 0.82,
        "ci_low": 0.69,
        "ci_high": 0.97,
        "p_value": 0.01,
        "p_adjusted": 0.02,
        "mde_80": 0.85,
        "evaluable": True,
        "headline": True,
        "finding": "effect",
        "unit_level": "Kreis",
        "indicator_label": "Wohnungseinbruchdiebstahl",
        "diagnostics": "{}",
    }
    return base | kw


def text(r: dict, **kw) -> str:
    return verdict_de(r, event="der Einrichtung des Präventionsrats", n_tests=kw.pop("n_tests", 12), **kw).replace(
        "\u00a0", " "
    )


def test_a_shown_effect_names_the_comparison_and_the_tests():
    t = text(row())
    assert t.startswith("Nach der Einrichtung des Präventionsrats sank die Zahl der Fälle „Wohnungseinbruchdiebstahl“")
    assert "um 18 % (95-%-Intervall −31 % bis −3 %), stärker als in vergleichbaren Kreisen" in t
    assert "unter allen 12 geprüften Ergebnissen gesichert" in t
    assert "wegen" not in t


def test_a_difference_chance_can_explain_is_not_a_success():
    t = text(row(finding="chance", p_adjusted=0.4))
    assert "auch zufällig" in t and "kein gesicherter Erfolg" in t


def test_no_large_effect_and_undetectable_effects_are_told_apart():
    ruled_out = text(row(finding="no_large_effect", estimate=0.98, ci_low=0.9, ci_high=1.07, mde_80=0.8))
    assert "eine größere Wirkung als eine Senkung um 10 % im Kreis lässt sich damit ausschließen" in ruled_out
    unclear = text(row(finding="undetectable", estimate=0.9, ci_low=0.6, ci_high=1.3, mde_80=0.7))
    assert (
        "Mit diesen Daten ist eine Wirkung nicht nachweisbar: erkennbar wären erst Senkungen um 30 % im Kreis"
        in unclear
    )
    assert "Was wirkt?" in unclear  # what would make it detectable: more years, or pooling with its type


def test_a_bound_is_never_given_without_its_level():
    """The four cases in a few words: a ruled-out effect always with its bound and level."""
    r = row(finding="no_large_effect", estimate=0.98, ci_low=0.78, ci_high=1.07, mde_80=0.8)
    assert finding_text(r).replace("\u00a0", " ") == "keine größere Wirkung als 22 % im Kreis"
    assert finding_text(r | {"unit_level": "Land"}).replace("\u00a0", " ").endswith("im Land")
    assert finding_text(row(finding="undetectable")) == "mit diesen Daten nicht nachweisbar (Kreisdaten)"
    assert finding_text(row(finding="not_evaluable")) == "nicht auswertbar"


def test_a_town_measured_on_its_kreis_hears_what_the_kreis_cannot_show():
    """Quedlinburg, about 11 % of the Landkreis Harz: a detectable 25 % in the Kreis would need more cases than
    the town has; the estimated minimum detectable effect with the LKA's figures is named."""
    diag = json.dumps(
        {"area_mde_projected": 0.65, "finer_data": "LKA-Tatortgemeindestatistik (PKS nach Tatortgemeinde)"}
    )
    town = row(
        finding="undetectable",
        estimate=0.97,
        ci_low=0.79,
        ci_high=1.19,
        mde_80=0.75,
        area_ags="15085235",
        area_level="Gemeinde",
        unit_ags="15085",
        area_share_population=0.113,
        area_share_cases=float("nan"),
        diagnostics=diag,
        population_handling="bridged",
    )
    t = text(town, area_name="Quedlinburg", place=" im Landkreis Harz, in dem Quedlinburg liegt,")
    assert "Quedlinburg hat etwa 11 % der Einwohner des Kreises" in t
    assert (
        "erkennbar wären erst Senkungen um 25 % im Kreis, das entspräche mehr Fällen, als Quedlinburg überhaupt hat"
        in t
    )
    assert (
        "Mit der LKA-Tatortgemeindestatistik (PKS nach Tatortgemeinde) läge die nachweisbare Senkung in Quedlinburg bei etwa 35 % (geschätzt)"
        in t
    )
    assert "Zensus 2022" in t  # the break in the population series is named
    # a bound that means something in the town: how it translates
    gardelegen = town | {"finding": "no_large_effect", "ci_low": 0.9, "area_share_population": 0.5}
    t = text(gardelegen, area_name="Gardelegen")
    assert "Senkung um 10 % im Kreis" in t and "dort entspräche das einer Senkung um 20 % in Gardelegen" in t


def test_naive_comparisons_are_no_evidence():
    t = text(row(method="naive_before_after", headline=False, finding=None))
    assert t.startswith("Einfacher Vorher-Nachher-Vergleich") and "kein Nachweis einer Wirkung" in t


def test_inconclusive_and_not_evaluable_rows_name_their_reason():
    reason = json.dumps({"reason_de": "Vortrend-Test nicht bestanden"})
    t = text(row(method="none", evaluable=False, finding="inconclusive", diagnostics=reason))
    assert t == "Nicht eindeutig auswertbar: Vortrend-Test nicht bestanden."
    assert text(row(method="none", evaluable=False, finding="not_evaluable", diagnostics=reason)).startswith(
        "Nicht auswertbar:"
    )


def test_a_gemeinde_body_is_credited_with_its_kreis_only_in_words():
    assert place_phrase("Kreis", "15085", "Harz", "Quedlinburg") == " im Landkreis Harz, in dem Quedlinburg liegt,"
    assert (
        place_phrase("Kreis", "15088", "Saalekreis", "Bad Dürrenberg") == " im Saalekreis, in dem Bad Dürrenberg liegt,"
    )
    assert place_phrase("Kreis", "15085", "Harz", "Harz") == " in Harz"
    assert place_phrase("Gemeinde", "15085235", "Quedlinburg", "Quedlinburg", "pks:899000") == (
        " in der Gemeinde Quedlinburg (gemessen an den Fällen der LKA-Tatortgemeindestatistik)"
    )
    assert place_phrase("Gemeinde", "15085235", "Quedlinburg", "Quedlinburg", "acc:points_all") == " in Quedlinburg"
    assert place_phrase("Stadtteil", "15003000-01+04", "", "Magdeburg") == (
        " in den Stadtteilen 01, 04 von Magdeburg (Kriminalitätsstatistik der Stadt)"
    )
    assert event_phrase("G07:gruendung", "Runder Tisch").startswith("der Einrichtung von „Runder Tisch")
    assert event_phrase("M03", "Streifen").startswith("dem Beginn der Maßnahme „Streifen")


def test_the_literature_yardstick_is_compared_with_the_local_interval_on_the_same_scale():
    r = row(finding="undetectable", estimate=0.95, ci_low=0.7, ci_high=1.3, mde_80=0.7)
    patrols = review_for("Streifen", "presence", ["pks:899000"])
    context = literature_context(patrols, r)
    assert "Braga & Weisburd 2022" in context and "unter dem, was die Daten hier erkennen können" in context
    # a Kreis-wide interval is never said to depart from a micro-area effect: the review is spread first
    partnership = review_for("Sicherheitspartnerschaft", "problem_solving", ["pks:890000"])
    diluted = row(estimate=1.02, ci_low=0.95, ci_high=1.1, mde_80=0.8, area_share_population=0.1)
    text_ = literature_context(partnership, diluted).replace("\u00a0", " ")
    assert "Anteil etwa 10 %" in text_ and "entspräche es −3 %" in text_ and "weicht" not in text_
    far = row(estimate=1.2, ci_low=1.05, ci_high=1.4, mde_80=0.9)
    assert literature_context(partnership, far).endswith("außerhalb dessen, was Studien erwarten lassen.")
    assert literature_context(None, r).startswith("Für Maßnahmen dieser Art")


def test_the_literature_is_matched_to_the_measure_not_only_its_type():
    """A senior fraud-advice project is a Präventionsprojekt like a youth programme; the youth-violence review
    speaks only to projects for young people aimed at violence."""
    youth = review_for("Präventionsprojekt", "social", ["pks:892000"], ["Jugendkriminalität – Präventionsansatz"])
    assert youth is not None and youth["id"] == "youth_development"
    assert review_for("Präventionsprojekt", "social", ["pks:510000"], ["Senioren-Sicherheitsberater"]) is None
    assert review_for("Präventionsprojekt", "social", ["pks:892000"], ["Tanzprojekt gegen Gewalt an Frauen"]) is None


def test_events_are_named_never_by_their_register_id():
    titles, bodies = {"M03": "Gemeinsame Streifen"}, {"G07": "Runder Tisch Quedlinburg"}
    assert event_title("M03", titles, bodies) == "Gemeinsame Streifen"
    assert event_title("G07:gruendung", titles, bodies) == "Einrichtung: Runder Tisch Quedlinburg"
    assert event_title("G07:neustart", titles, bodies) == "Neustart: Runder Tisch Quedlinburg"
    assert "G09" not in event_title("G09:gruendung", titles, bodies)


def test_small_numbers_are_given_as_counts_not_percentages():
    assert fmt.change_text(2, 7) == "2 → 7"
    assert fmt.change_text(19, 40) == "19 → 40"
    assert fmt.change_text(100, 80) == "−20\u00a0%"
    assert fmt.change_text(1000, 1100, 1.05) == "+5\u00a0%"  # a ratio of rates when given
    assert fmt.change_text(None, 3) == "–"
    assert fmt.plural(1, "Gremium", "Gremien") == "1 Gremium"
    assert fmt.plural(2, "Gremium", "Gremien") == "2 Gremien"
    assert fmt.significant(0.012345) == "0,0123"
    assert fmt.significant(0.5) == "0,500"
    assert fmt.significant(0.0001) == "<0,001"


def test_a_town_body_measured_on_its_kreis_is_not_credited_with_the_kreis_change():
    import pandas as pd

    from praevention.render.verdict import add_verdicts

    effects = pd.DataFrame([row(measure_id="G07:gruendung", unit_ags="15085", indicator="pks:------", p_adjusted=0.01)])
    bodies = pd.DataFrame({"body_id": ["G07"], "name": ["Runder Tisch Quedlinburg"], "ags": ["15085235"]})
    measures = pd.DataFrame(columns=["measure_id", "title", "ags"])
    names = {"15085": "Harz", "15085235": "Quedlinburg"}
    effects = effects.assign(area_ags="15085235", area_level="Gemeinde", area_share_population=0.11)
    types = pd.DataFrame(columns=["measure_type"])
    out, _ = add_verdicts(effects, types, bodies, measures, names, {}, {})
    sentence = out["verdict_de"].iloc[0]
    assert "im Landkreis Harz, in dem Quedlinburg liegt," in sentence
    assert (
        "Gemessen wurde der ganze Kreis" in sentence
        and "Quedlinburg dazu beitrug, zeigen diese Daten nicht" in sentence
    )


def test_chance_phrase_counts_in_words():
    from praevention.render.verdict import chance_phrase

    assert chance_phrase(19) == "etwa eine scheinbare Wirkung"
    assert chance_phrase(63) == "etwa 3 scheinbare Wirkungen"
    assert chance_phrase(4) == "meist keine scheinbare Wirkung"
