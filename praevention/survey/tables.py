"""Contract of the survey tables (``survey_responses``, ``survey_aggregates``, ``survey_margins``,
``safety_perception``, ``safety_changes``)."""

from __future__ import annotations

from praevention.survey.estimate import MIN_ANSWERS
from praevention.tables import Table, register_table

_SOURCE = "local safety surveys in the import format of `praevention survey template` (docs/survey.md)"
_PROV = {
    "source_file": "survey file (and sheet after '!') the row was read from",
    "source_line": "line (row of the sheet) in that file, 1-based as an editor shows it",
}
_WAVE = "first day of the wave (the survey's start, as precise as the file gives it)"

SURVEY_RESPONSES = Table(
    "survey_responses",
    "Answers of the respondents of local safety surveys, one row per respondent, wave and item answered "
    "(no free text, no names: unknown columns are never read).",
    _SOURCE,
    ("ags", "wave_date", "respondent_id", "item"),
    {
        "ags": "AGS of the surveyed unit (8 digits Gemeinde, 5 Kreis, 2 Land)",
        "wave_date": _WAVE,
        "respondent_id": "questionnaire number as delivered (digits, letters, '-', '_'; at most 20 characters)",
        "item": "item code of data/survey_questionnaire.yaml (SG01 …)",
        "answer": "answer code on the item's scale",
        "weight": "the survey's own weight (empty: none delivered)",
        "age_group": "age group code (1 = 16–29 … 5 = 75+), empty if not answered",
        "gender": "gender code (1 weiblich, 2 männlich, 3 divers), empty if not answered",
        "ortsteil": "Ortsteil number from the Gemeinde's list, empty if not answered",
        **_PROV,
    },
)
SURVEY_AGGREGATES = Table(
    "survey_aggregates",
    "Published survey results: the share of each answer of an item with the number of answers.",
    _SOURCE,
    ("ags", "wave_date", "item", "answer"),
    {
        "ags": "AGS of the surveyed unit (8 digits Gemeinde, 5 Kreis, 2 Land, DG Germany)",
        "wave_date": _WAVE,
        "item": "item code of data/survey_questionnaire.yaml",
        "answer": "answer code on the item's scale",
        "share": "share of that answer among the answers to the item (0–1)",
        "n": "answers to the item",
        "n_effective": "effective sample size where the report states it (else empty: n is used)",
        **_PROV,
    },
)
SURVEY_MARGINS = Table(
    "survey_margins",
    "Population structure delivered with a survey for weighting (raking), per AGS, wave and characteristic.",
    _SOURCE,
    ("ags", "wave_date", "variable", "category"),
    {
        "ags": "AGS",
        "wave_date": "wave the margin applies to (empty: every wave of the AGS)",
        "variable": "ALTER or GESCHLECHT",
        "category": "category code on the question's scale",
        "share": "population share of the category (0–1)",
        **_PROV,
    },
)
SAFETY_PERCEPTION = Table(
    "safety_perception",
    "The sense of safety per AGS, wave and item: weighted share with its design-based 95 % interval, the "
    f"answers and the effective sample size; no share on fewer than {MIN_ANSWERS} answers is published.",
    "derived from survey_responses, survey_aggregates, survey_margins, population and data/survey_reference.yaml",
    ("ags", "wave_date", "item"),
    {
        "ags": "AGS of the unit (8 digits Gemeinde, 5 Kreis, 2 Land, DG Germany)",
        "level": "Gemeinde, Kreis, Land or Bund",
        "wave_date": _WAVE,
        "item": "item code of data/survey_questionnaire.yaml",
        "item_label": "short German label of the item",
        "share": "share of the answers the item reports (e.g. SG01: 'eher' or 'sehr unsicher'), 0–1; empty "
        f"when fewer than {MIN_ANSWERS} answered",
        "se": "linearised standard error of the share (raking taken into account)",
        "ci_low": "95 % lower bound (logit interval; Clopper–Pearson on n_effective at 0 and 1)",
        "ci_high": "95 % upper bound",
        "n": "answers to the item",
        "n_effective": "Kish's effective sample size (Σw)²/Σw² of those answers (published shares: as stated, else n)",
        "published": f"true when at least {MIN_ANSWERS} answered (products show the share only then)",
        "headline": "true for the standard item (safe alone in the neighbourhood after dark)",
        "form": "Befragtenantworten, veröffentlichte Anteile or Referenzwert",
        "weighting": "how the answers were weighted, in German (raking margins and their source)",
        "source": "file(s) or citation of the figure",
    },
)
SAFETY_CHANGES = Table(
    "safety_changes",
    "Each published survey wave against the wave before it, per AGS and item: the difference of the shares "
    "with the 95 % interval of the difference (independent samples).",
    "derived from safety_perception",
    ("ags", "item", "wave_before", "wave_after"),
    {
        "ags": "AGS",
        "item": "item code",
        "item_label": "short German label",
        "wave_before": "earlier wave",
        "wave_after": "later wave",
        "share_before": "share in the earlier wave",
        "share_after": "share in the later wave",
        "difference": "share after minus share before (fraction; 0.05 = 5 percentage points)",
        "ci_low": "95 % lower bound of the difference",
        "ci_high": "95 % upper bound of the difference",
        "p_value": "two-sided p-value of no change",
        "direction": "besser, schlechter (the interval excludes no change) or keine gesicherte Änderung",
    },
)

for _t in (SURVEY_RESPONSES, SURVEY_AGGREGATES, SURVEY_MARGINS, SAFETY_PERCEPTION, SAFETY_CHANGES):
    register_table(_t)
