"""Measures that aim at the sense of safety, evaluated on the survey waves before and after their start.

A register measure whose target names the sense of safety (``Sicherheitsgefühl``, see
:mod:`praevention.register.targets`) gets one design per measure on the questionnaire's standard item
(``umfrage:SG01``): the latest published wave of its AGS before the start against the latest published wave
after it (before the end, if it has one). The estimate is the ratio of the shares after/before (0.80 = a fifth
fewer feel unsafe) with its interval on the log scale, the p-value of no change and the smallest reduction the
two waves could detect with 80 % power (:func:`praevention.survey.estimate.compare`); the shares, their
difference in percentage points with its interval and the answers per wave needed to detect a change of ten
points go into ``diagnostics``. The headline rows join the report-wide adjustment for multiple testing and get
the same findings as crime (:func:`praevention.evaluation.evaluate.adjust_and_classify`).

Two waves of one place have no comparison group: a change shows that the sense of safety changed, not that the
measure changed it. The sentences say so (:mod:`praevention.render.safety`).
"""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd

from praevention.evaluation.evaluate import adjust_and_classify
from praevention.evaluation.rows import EFFECT_COLUMNS, to_json
from praevention.register.targets import aims_at_safety
from praevention.stats.methods import NONE, SURVEY
from praevention.survey.estimate import MIN_ANSWERS, compare, sample_size_for
from praevention.survey.perception import estimate_of
from praevention.survey.questionnaire import questionnaire

PREFIX = "umfrage:"
#: the change a council would want to see, for "what would make it detectable" (10 percentage points)
TARGET_CHANGE = 0.10
COMPARISON = "keine Vergleichsgruppe: zwei Befragungswellen desselben Gebiets vor und nach dem Beginn"


def indicator() -> str:
    return PREFIX + questionnaire().headline.code


def indicator_label() -> str:
    return "Sicherheitsgefühl (Befragung): " + questionnaire().headline.short


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def wave_text(value: dt.date) -> str:
    return f"{value:%m/%Y}"


def _base(m: pd.Series) -> dict[str, object]:
    ags = str(m["ags"] or "")
    return {
        "measure_id": m["measure_id"],
        "body_id": m["body_id"],
        "unit_ags": ags,
        "unit_level": {8: "Gemeinde", 5: "Kreis", 2: "Land"}.get(len(ags), ""),
        "indicator": indicator(),
        "indicator_label": indicator_label(),
        "p_adjusted": None,
        "p_holm": None,
        "headline": True,
    }


def not_evaluable_row(m: pd.Series, reason: str, n_before: int | None = None, n_after: int | None = None) -> dict:
    return {
        **_base(m),
        "method": NONE,
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "mde_80": None,
        "n_before": n_before,
        "n_after": n_after,
        "period_before": "",
        "period_after": "",
        "comparison": "",
        "diagnostics": to_json({"reason_de": reason}),
        "evaluable": False,
        "finding": "not_evaluable",
    }


def design_row(m: pd.Series, waves: pd.DataFrame) -> dict:
    """The row of one measure: the comparison of its waves, or the reason why there is none."""
    start, end = _date(m.get("start")), _date(m.get("end"))
    if start is None:
        return not_evaluable_row(m, str(m.get("not_evaluable_reason") or "kein Startdatum im Register"))
    if not len(waves):
        return not_evaluable_row(
            m,
            "für dieses Gebiet liegt keine Befragung vor; nötig sind eine Welle vor und eine nach dem Beginn "
            "(Vorlage: praevention survey template)",
        )
    dates = waves["wave_date"].map(_date)
    listed = ", ".join(wave_text(d) for d in sorted(set(dates)))
    before = waves[dates < start]
    after = waves[(dates > start) & (dates <= (end or dt.date.max))]
    if not len(before):
        return not_evaluable_row(
            m, f"keine Befragungswelle vor dem Beginn ({start:%d.%m.%Y}); vorhandene Wellen: {listed}"
        )
    if not len(after):
        return not_evaluable_row(
            m, f"keine Befragungswelle nach dem Beginn ({start:%d.%m.%Y}); vorhandene Wellen: {listed}"
        )
    b, a = before.iloc[-1], after.iloc[-1]
    small = [r for r in (b, a) if not bool(r["published"])]
    if small:
        which = ", ".join(f"{wave_text(_date(r['wave_date']))}: {int(r['n'])}" for r in small)
        return not_evaluable_row(
            m,
            f"weniger als {MIN_ANSWERS} Antworten auf die Hauptfrage ({which}); so kleine Befragungen "
            "ergeben keine belastbaren Anteile",
            int(b["n"]),
            int(a["n"]),
        )
    c = compare(estimate_of(b), estimate_of(a))
    if c.ratio != c.ratio:  # a share of 0 before: no ratio
        return not_evaluable_row(
            m, "Anteil in der Welle vorher ist 0: keine Veränderung messbar", int(b["n"]), int(a["n"])
        )
    diagnostics = {
        "share_before": c.before.share,
        "share_after": c.after.share,
        "ci_before": [c.before.ci_low, c.before.ci_high],
        "ci_after": [c.after.ci_low, c.after.ci_high],
        "difference": c.difference,
        "difference_ci": [c.diff_low, c.diff_high],
        "n_effective_before": c.before.n_effective,
        "n_effective_after": c.after.n_effective,
        "wave_before": str(_date(b["wave_date"])),
        "wave_after": str(_date(a["wave_date"])),
        "weighting_before": str(b["weighting"]),
        "weighting_after": str(a["weighting"]),
        "lower_is_better": questionnaire().headline.lower_is_better,
        "target_change": TARGET_CHANGE,
        "n_for_target_change": sample_size_for(c.before, -TARGET_CHANGE),
    }
    return {
        **_base(m),
        "method": SURVEY,
        "estimate": c.ratio,
        "ci_low": c.ratio_low,
        "ci_high": c.ratio_high,
        "p_value": c.p_value,
        "mde_80": c.mde_ratio,
        "n_before": int(b["n"]),
        "n_after": int(a["n"]),
        "period_before": wave_text(_date(b["wave_date"])),
        "period_after": wave_text(_date(a["wave_date"])),
        "comparison": COMPARISON,
        "diagnostics": to_json(diagnostics),
        "evaluable": True,
        "finding": None,
    }


def survey_effects(measures: pd.DataFrame, perception: pd.DataFrame) -> pd.DataFrame:
    """One headline row per measure aiming at the sense of safety (``measure_effects`` columns)."""
    code = questionnaire().headline.code
    main = perception[perception["item"] == code].sort_values("wave_date") if len(perception) else perception
    rows = []
    for _, m in measures.iterrows():
        if not aims_at_safety(m.get("target")):
            continue
        waves = main[main["ags"] == str(m["ags"])] if len(main) else main
        rows.append(design_row(m, waves))
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def with_survey_effects(effects: pd.DataFrame, survey: pd.DataFrame) -> pd.DataFrame:
    """The crime and traffic effects with the survey rows, all headlines adjusted together."""
    if not len(survey):
        return effects
    with warnings.catch_warnings():
        # columns a survey row leaves empty (p_adjusted before the adjustment) are all-NA there: expected
        warnings.simplefilter("ignore", FutureWarning)
        both = pd.concat([effects, survey], ignore_index=True)
    both = adjust_and_classify(both)[EFFECT_COLUMNS]
    return both.sort_values(["measure_id", "indicator", "method"]).reset_index(drop=True)
