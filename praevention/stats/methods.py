"""The evaluation's estimators: their codes (the values of ``measure_effects.method``) and German names.

Every module that names an estimator imports its code from here; tables, charts, fact sheets, the report
and the reasons a headline was not chosen use :data:`LABELS`.
"""

from __future__ import annotations

NAIVE = "naive_before_after"
DID = "did_placebo"
SYNTH = "synthetic_control"
EB = "empirical_bayes"
WDQ = "wdq"
NEIGHBOURS = "displacement_neighbours"
#: two waves of a local survey before and after a measure's start
SURVEY = "survey_before_after"
#: site designs: the comparison group of similar places without a measure (Hauer 1997, ch. 9), shown beside EB
COMPARISON = "comparison_group"
#: a measure with no estimate at all
NONE = "none"

#: German names of the estimators, for people
LABELS = {
    NAIVE: "einfacher Vorher-Nachher-Vergleich",
    DID: "Vergleich mit ähnlichen Einheiten",
    SYNTH: "synthetische Vergleichsregion",
    EB: "Vorhersage aus vergleichbaren Einheiten (Empirical Bayes)",
    WDQ: "Verdrängungsanalyse am Ort",
    NEIGHBOURS: "Verdrängungsprüfung in den Nachbarkreisen",
    SURVEY: "Vergleich zweier Befragungswellen",
    COMPARISON: "Vergleich mit ähnlichen Orten ohne Maßnahme",
    NONE: "keine Auswertung",
}


def label(method: object) -> str:
    """The German name of an estimator code (the code itself for one not in :data:`LABELS`)."""
    return LABELS.get(str(method), str(method))
