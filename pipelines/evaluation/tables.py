"""Contract of the evaluation tables (``panel``, ``measure_effects``, ``effects_pooled``, ``estimate_cache``)."""

from __future__ import annotations

from pipelines.tables import Table, register_table

PANEL = Table(
    "panel",
    "One row per unit × period × indicator: counts, population, rates with exact Poisson intervals, breaks.",
    "derived from crime_cases, crime_city_stats, accident_points, accident_counts and population",
    ("unit_ags", "year", "month", "indicator", "source"),
    {
        "unit_ags": "AGS of the unit (8 digits Gemeinde, 5 Kreis, 2 Land; Stadtteile '15003000-NN')",
        "unit_level": "Gemeinde, Kreis, Land or Stadtteil",
        "unit_name": "name of the unit",
        "year": "year",
        "month": "month where the source has it, else empty",
        "indicator": "'pks:<offence key>' or 'acc:<measure>' (accident measures as in accident_counts; "
        "'acc:points_all' / 'acc:points_ksi' counted from Unfallatlas points)",
        "indicator_label": "German label of the indicator",
        "count": "count in the period",
        "population": "population used as denominator",
        "population_method": "published, interpolated (linear between editions), carried (nearest edition) or pks_implied",
        "rate_per_100k": "count per 100,000 inhabitants on one population basis",
        "rate_ci_low": "exact (Garwood) Poisson 95 % lower bound of the rate",
        "rate_ci_high": "exact (Garwood) Poisson 95 % upper bound of the rate",
        "hz_published": "the HZ the BKA published (PKS only), kept beside the recomputed rate",
        "source": "table the count comes from",
        "break_flag": "true where the series breaks (Zensus 2022 population basis, territorial change, definition change)",
        "break_reason": "why",
        "small_count": "true for counts from 1 to 2 (outputs suppress or widen them)",
        "territory": "as_published, or harmonized_to:<ags> where the unit was merged into a later one",
        "comparison_eligible": "false for units left out of comparison pools (broken series)",
    },
)

MEASURE_EFFECTS = Table(
    "measure_effects",
    "Estimated effects of each register measure, one row per measure × indicator × method (rate-ratio scale).",
    "derived from panel and register_measures",
    ("measure_id", "indicator", "method"),
    {
        "measure_id": "register measure",
        "body_id": "register body",
        "unit_ags": "unit evaluated",
        "unit_level": "level of that unit (Kreis where crime data exist only per Kreis)",
        "indicator": "panel indicator",
        "indicator_label": "German label",
        "method": "naive_before_after, did_poisson_fe, did_staggered, synthetic_control, empirical_bayes, wdq",
        "estimate": "rate ratio (0.85 = 15 % fewer); for wdq the target-area ratio relative to control",
        "ci_low": "95 % lower bound",
        "ci_high": "95 % upper bound",
        "p_value": "p-value where the method gives one",
        "n_before": "count before",
        "n_after": "count after",
        "period_before": "years before (e.g. 2016–2019)",
        "period_after": "years after",
        "comparison": "description of the comparison pool",
        "diagnostics": "JSON: pre-fit RMSPE, pre-trend test, overdispersion, weights …",
        "evaluable": "false where the measure cannot be evaluated (reason in verdict_de)",
        "headline": "true for the one estimate per measure and indicator the products lead with",
        "verdict_de": "plain-German sentence for councils; never claims more than the design allows",
    },
)

EFFECTS_POOLED = Table(
    "effects_pooled",
    "Random-effects meta-analysis of the headline effects per type of measure and indicator domain.",
    "derived from measure_effects",
    ("group", "indicator_domain", "method"),
    {
        "group": "type of measure pooled (e.g. Sicherheitspartnerschaft)",
        "indicator_domain": "crime or traffic",
        "method": "DerSimonian-Laird or REML",
        "k": "number of effects pooled",
        "estimate": "pooled rate ratio",
        "ci_low": "95 % lower bound",
        "ci_high": "95 % upper bound",
        "tau2": "between-effect variance τ²",
        "i2": "I² heterogeneity (0–1)",
        "verdict_de": "plain-German sentence",
        "forest": "JSON list of the pooled effects (label, estimate, ci_low, ci_high, weight)",
    },
)

ESTIMATE_CACHE = Table(
    "estimate_cache",
    "Estimates of the last measure_effects run per design, reused while their inputs are unchanged "
    "(an incremental run after a register text edit re-estimates nothing). Bookkeeping, not for analysis.",
    "this pipeline",
    ("key",),
    {
        "key": "sha256 over the estimator code, the panel, Kreis and point data, the design (unit, indicator, "
        "periods), the other treated units of its indicator and, for traffic, the measure's area",
        "estimates": "JSON of the estimates of that design (method, estimate, interval, diagnostics)",
    },
)

for _t in (PANEL, MEASURE_EFFECTS, EFFECTS_POOLED, ESTIMATE_CACHE):
    register_table(_t)
