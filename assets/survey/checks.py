"""Quality checks on the survey tables and the sense-of-safety estimates."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, sql_check
from assets._sources import loading_checks
from praevention.survey.estimate import MIN_ANSWERS

checks = [
    *contract_checks("survey_responses"),
    *contract_checks("survey_responses", "survey_aggregates"),
    *contract_checks("survey_responses", "survey_margins"),
    *loading_checks("survey_responses", "survey_responses", required=False),
    *ags_known_checks(
        "survey_responses",
        "the survey tables",
        "SELECT ags FROM survey_responses UNION SELECT ags FROM survey_aggregates WHERE length(ags) IN (5, 8) "
        "UNION SELECT ags FROM survey_margins",
    ),
    *contract_checks("safety_perception"),
    *contract_checks("safety_perception", "safety_changes"),
    sql_check(
        asset_name="safety_perception",
        name="intervals_contain_shares",
        blocking=True,
        description="Blocking: every published share lies inside its 95 % interval, and both within 0–1.",
        sql="SELECT ags, wave_date, item, share, ci_low, ci_high FROM safety_perception WHERE published AND NOT "
        "(0 <= ci_low AND ci_low <= share AND share <= ci_high AND ci_high <= 1)",
    ),
    sql_check(
        asset_name="safety_perception",
        name="small_samples_unpublished",
        blocking=True,
        description=f"Blocking: no share on fewer than {MIN_ANSWERS} answers is published as a figure.",
        sql="SELECT ags, wave_date, item, n FROM safety_perception WHERE (n < ? AND (published OR share IS NOT NULL)) "
        "OR (NOT published AND share IS NOT NULL)",
        params=(MIN_ANSWERS,),
    ),
    sql_check(
        asset_name="safety_perception",
        name="weighting_complete",
        blocking=False,
        description="Warning: a wave whose raking did not converge, or a margin that could not be used.",
        sql="SELECT DISTINCT ags, wave_date, weighting FROM safety_perception "
        "WHERE weighting LIKE '%nicht konvergiert%' OR weighting LIKE '%nicht gewichtet%'",
    ),
]
