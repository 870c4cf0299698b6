"""Checks on the panel, the effects, the register's treated units and the calibration of the evaluation."""

from __future__ import annotations

from assets._shared import contract_checks, sql_check
from praevention.evaluation.calibration import ALL, MAX_FALSE_POSITIVE_RATE, MIN_PLACEBO_DESIGNS
from praevention.stats.methods import NAIVE

checks = [
    *contract_checks("panel"),
    sql_check(
        asset_name="panel",
        name="rates_consistent",
        blocking=True,
        description="Blocking: every rate lies inside its exact interval and no count is negative.",
        sql="SELECT unit_ags, year, indicator, count, rate_per_100k, rate_ci_low, rate_ci_high FROM panel "
        "WHERE count < 0 OR (rate_per_100k IS NOT NULL AND NOT (rate_ci_low <= rate_per_100k AND rate_per_100k <= rate_ci_high))",
    ),
    sql_check(
        asset_name="panel",
        name="zensus_break_flagged",
        blocking=False,
        description="Warning: rates on the Zensus 2022 population basis carry a break flag.",
        sql="SELECT unit_ags, year, indicator FROM panel WHERE population_method <> 'pks_implied' AND year >= 2024 "
        "AND unit_level IN ('Gemeinde', 'Kreis', 'Land') AND population IS NOT NULL AND NOT break_flag LIMIT 50",
    ),
    *contract_checks("measure_effects"),
    *contract_checks("measure_effects", "effects_pooled"),
    *contract_checks("measure_effects", "measure_type_effects"),
    sql_check(
        asset_name="measure_effects",
        name="intervals_contain_estimates",
        blocking=True,
        description="Blocking: every evaluable estimate lies strictly inside a 95 % interval of positive width.",
        sql="SELECT measure_id, indicator, method, estimate, ci_low, ci_high FROM measure_effects "
        "WHERE evaluable AND NOT (ci_low <= estimate AND estimate <= ci_high AND ci_low < ci_high)",
    ),
    sql_check(
        asset_name="measure_effects",
        name="headlines_adjusted_with_power",
        blocking=True,
        description="Blocking: every evaluable headline carries its adjusted p-value, minimum detectable effect "
        "and finding.",
        sql="SELECT measure_id, indicator, method FROM measure_effects WHERE headline AND evaluable "
        "AND (p_adjusted IS NULL OR mde_80 IS NULL OR finding IS NULL)",
    ),
    sql_check(
        asset_name="measure_effects",
        name="every_measure_reported",
        blocking=True,
        description="Blocking: every register measure appears in measure_effects (evaluated or with its reason).",
        sql="SELECT measure_id FROM register_measures WHERE measure_id NOT IN (SELECT measure_id FROM measure_effects)",
        additional_deps=["register_measures"],
    ),
    sql_check(
        asset_name="measure_effects",
        name="one_headline",
        blocking=True,
        description="Blocking: exactly one headline per measure and indicator, never the naive comparison.",
        sql="SELECT measure_id, indicator, count(*) FILTER (WHERE headline) AS headlines, "
        "bool_or(headline AND method = ?) AS naive_headline FROM measure_effects "
        "GROUP BY ALL HAVING headlines <> 1 OR naive_headline",
        params=(NAIVE,),
    ),
]

checks += [
    *contract_checks("treated_units"),
    *contract_checks("calibration"),
    sql_check(
        asset_name="calibration",
        name="false_positive_rate",
        blocking=True,
        description=f"Blocking: on placebo measures the published procedure claims an effect in at most "
        f"{MAX_FALSE_POSITIVE_RATE:.0%} of designs over all indicators and levels, from at least "
        f"{MIN_PLACEBO_DESIGNS} designs; otherwise no verdict is published.",
        sql="SELECT indicator, stratum, n_designs, false_positive_rate, mc_error FROM calibration "
        "WHERE method = 'headline' AND indicator = '*' AND stratum = ? "
        "AND (false_positive_rate > ? OR false_positive_rate IS NULL OR n_designs < ?)",
        params=(ALL, MAX_FALSE_POSITIVE_RATE, MIN_PLACEBO_DESIGNS),
    ),
    sql_check(
        asset_name="calibration",
        name="false_positive_rate_per_stratum",
        blocking=False,
        description=f"Warning: the false-positive rate of one indicator or stratum (level, Kreis size class, "
        f"Kreisart, selected starts) exceeds {MAX_FALSE_POSITIVE_RATE:.0%} (a few hundred placebos each: the "
        "Monte-Carlo error is about 1–2 percentage points).",
        sql="SELECT indicator, stratum, n_designs, false_positive_rate, mc_error FROM calibration "
        "WHERE method = 'headline' AND false_positive_rate > ?",
        params=(MAX_FALSE_POSITIVE_RATE,),
    ),
]
