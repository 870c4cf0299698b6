"""Contract of the evaluation tables (``panel``, ``measure_effects``, ``effects_pooled``,
``measure_type_effects``, ``calibration``, ``treated_units``)."""

from __future__ import annotations

from praevention.tables import Table, register_table

PANEL = Table(
    "panel",
    "One row per unit × period × indicator: counts, population, rates with exact Poisson intervals, breaks.",
    "derived from crime_cases, crime_gemeinde_cases, crime_city_stats, accident_points, accident_counts and population",
    ("unit_ags", "year", "month", "indicator"),
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
        "population_method": "published, interpolated (linear between editions of the same census basis), carried "
        "(nearest edition of that basis), the same with '_scaled' (Gemeinden scaled to the Kreis population the "
        "BKA's HZ rests on) or pks_implied (cases × 100,000 / HZ)",
        "population_basis": "census basis of the population: 'Zensus 2011' for the years up to 2023, 'Zensus 2022' "
        "from 2024, as in the BKA's HZ (population of 31.12. of the previous year); empty without population",
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
        "measure_id": "register measure (a body's founding or relaunch: '<body_id>:gruendung' / ':neustart')",
        "body_id": "register body",
        "unit_ags": "unit evaluated",
        "unit_level": "level of that unit: Stadtteil, Gemeinde, Kreis or Land (Kreis where crime data exist only "
        "per Kreis); 'Ort' for the site of a measure with a place, unit_ags then '<Gemeinde>@<measure_id>'",
        "indicator": "panel indicator (a target of all offences is evaluated as pks:890000, all offences without "
        "violations of residence and asylum law; Stadtteile count pks:------)",
        "indicator_label": "German label",
        "method": "naive_before_after, did_placebo (comparison group with placebo inference), synthetic_control, "
        "empirical_bayes, wdq (with the WDD in diagnostics), displacement_neighbours (change in the neighbouring "
        "Kreise), comparison_group (sites: similar places without a measure); 'none' for the headline row of a "
        "design that is not evaluable or inconclusive",
        "estimate": "rate ratio (0.85 = 15 % fewer); for wdq the target-area ratio relative to control",
        "ci_low": "95 % lower bound (for did_placebo and synthetic_control: the inverted placebo test)",
        "ci_high": "95 % upper bound",
        "p_value": "p-value of the method (placebo rank or t test, exact binomial for naive)",
        "p_adjusted": "Benjamini–Hochberg adjusted p-value across the evaluable headline rows of the run",
        "p_holm": "Holm adjusted p-value across the same rows",
        "mde_80": "minimum detectable effect at 80 % power as a rate ratio (0.85 = a 15 % reduction)",
        "n_before": "count before",
        "n_after": "count after",
        "period_before": "years before (e.g. 2016–2019)",
        "period_after": "years after",
        "comparison": "description of the comparison pool",
        "diagnostics": "JSON: placebo count and variance model, pre-trend test, pre-fit RMSPE, weights, WDD, for sites "
        "the SPF and the accidents by severity and participants, the valuation (prevented_per_year, "
        "cost_per_accident_eur) and with the measure's cost benefit_cost_ratio and npv_eur …",
        "evaluable": "false where the measure cannot be evaluated (reason in verdict_de)",
        "headline": "true for the one row per measure and indicator the products lead with",
        "finding": "headline rows: effect, chance, no_large_effect, undetectable, inconclusive or not_evaluable",
        "verdict_de": "plain-German sentence for councils; never claims more than the design allows",
        "context_de": "headline rows: what systematic reviews found for this type of measure (data/literature.yaml) "
        "and how the local result relates to it on the same scale (the review's effect spread over the unit measured)",
        "area_ags": "the measure's own area: Gemeinde, named Stadtteile ('15003000-01+04'), Kreis or Land",
        "area_level": "level of that area (Stadtteil, Gemeinde, Kreis, Land; 'Fläche' for a point or polygon)",
        "area_share_cases": "the area's share of the unit's cases of the indicator in the design's years, where finer "
        "statistics count them (1 when the area is the unit; empty where unknown)",
        "area_share_population": "the area's share of the unit's population (latest Gemeindeverzeichnis)",
        "area_share_territory": "the area's share of the unit's territory",
        "mde_80_area": "dilution-aware minimum detectable effect: the rate ratio in the measure's own area that the "
        "unit's mde_80 corresponds to (share of cases, else of population); empty where even the disappearance of "
        "all the area's cases could not be detected",
        "population_handling": "how the design's population denominators were treated: one_basis, bridged (years on "
        "the Zensus 2022 basis scaled to continue the Zensus 2011 series, per unit), counts (no population), "
        "census_break (not bridgeable)",
        "benefit_eur_per_year": "accident estimates: accidents prevented per year (n_after·(1/estimate − 1) per "
        "after-year) × the mean cost of such an accident in the evaluated place (BASt rates by category, "
        "data/accident_costs.yaml, prices of the latest accident year); negative: costs added",
        "benefit_ci_low": "95 % lower bound of benefit_eur_per_year (from ci_high)",
        "benefit_ci_high": "95 % upper bound (from ci_low)",
    },
)

EFFECTS_POOLED = Table(
    "effects_pooled",
    "Random-effects meta-analysis of the headline effects per type of measure and indicator domain: one "
    "estimate per measure and outcome family and one per unit, never nested indicators as independent studies.",
    "derived from measure_effects",
    ("group", "indicator_domain", "method"),
    {
        "group": "type of measure pooled (e.g. Sicherheitspartnerschaft)",
        "indicator_domain": "crime or traffic",
        "method": "REML with the Hartung-Knapp-Sidik-Jonkman interval",
        "k": "number of effects pooled",
        "estimate": "pooled rate ratio",
        "ci_low": "95 % lower bound (t distribution, k − 1 degrees of freedom)",
        "ci_high": "95 % upper bound",
        "p_value": "p-value of the pooled effect",
        "tau2": "between-effect variance τ²",
        "i2": "I² heterogeneity (0–1)",
        "verdict_de": "plain-German sentence",
        "forest": "JSON list of the pooled effects (measure_id, indicator_label, estimate, ci_low, ci_high, weight)",
    },
)

MEASURE_TYPE_EFFECTS = Table(
    "measure_type_effects",
    "What works in the Land: the evaluations of measures of one type pooled across councils by the declared "
    "rules of data/pooling_rules.yaml (random effects, modified Knapp–Hartung interval, prediction interval), "
    "each measure once per outcome family, on the finest common level; single evaluations where a type has one.",
    "derived from measure_effects and data/pooling_rules.yaml",
    ("measure_type", "mechanism", "outcome", "scope"),
    {
        "measure_type": "pooled type (data/pooling_rules.yaml: Sicherheitspartnerschaft, Streifen, Präventionsgremium …)",
        "n_measures": "measures (and foundings) whose evaluations enter",
        "n_designs": "distinct designs pooled (identical designs of several measures count once)",
        "estimate": "pooled rate ratio (the single design's where n_designs = 1)",
        "ci_low": "95 % lower bound (modified Knapp–Hartung: t on n_designs − 1 degrees of freedom, SE² = "
        "max(1, q)/Σw)",
        "ci_high": "95 % upper bound",
        "pi_low": "95 % prediction interval for the next measure of the type, lower bound (t on k − 2 degrees of "
        "freedom; empty for fewer than three designs)",
        "pi_high": "prediction interval, upper bound",
        "i2": "I² heterogeneity (0–1)",
        "mde_80": "minimum detectable pooled effect at 80 % power (rate ratio)",
        "literature_estimate": "the review's rate ratio where a measure of the type acts (data/literature.yaml)",
        "literature_source": "the review (short citation)",
        "measure_type_label": "German label of the type",
        "mechanism": "mechanism class (register field mechanism, else the type's default in the rules)",
        "outcome": "outcome family (data/pooling_rules.yaml)",
        "outcome_label": "German label of the outcome family",
        "scope": "lokal (measures in a Gemeinde, Stadtteil or Kreis) or Land (Land-wide measures)",
        "unit_level": "the common level the designs were pooled on",
        "method": "German name of the pooling method",
        "p_value": "p-value of the pooled effect",
        "tau2": "between-design variance τ²",
        "mean_share": "mean share of the measures' areas in the units measured (1: the area is the unit)",
        "literature_at_level": "the review's rate ratio spread over the units measured (1 − mean_share × reduction)",
        "rules_version": "version of data/pooling_rules.yaml the pooling followed",
        "designs_for_15": "how many designs like these (same level and years) a pooled evaluation would need to "
        "detect a 15 % reduction with 80 % power (empty: more than 500)",
        "forest": "JSON list of the pooled designs (measure_id, unit_ags, indicator_label, estimate, ci_low, ci_high)",
        "verdict_de": "plain-German sentence with bound, level and the rules' version",
    },
)

CALIBRATION = Table(
    "calibration",
    "How often the evaluation claims an effect where none exists: placebo measures at random start dates in "
    "Kreise without a registered body or measure, evaluated through the same code path as real measures.",
    "derived from panel, crime_cases (Kreis types), boundaries (neighbours) and treated_units",
    ("method", "indicator", "stratum"),
    {
        "method": "'headline' (the published procedure) or an estimator code as in measure_effects",
        "indicator": "PKS indicator, or '*' for all of them together",
        "stratum": "the placebo designs counted: 'alle' (every one), 'Ebene: Kreis|Land|Gemeinde|Stadtteil', "
        "'Kreisgröße: …' (population class of the placebo Kreis), 'Kreisart: …'; strata only over all indicators",
        "indicator_label": "German label",
        "n_designs": "evaluable placebo designs",
        "n_not_evaluable": "placebo designs the procedure did not evaluate",
        "false_positive_rate": "share of evaluable placebo designs whose 95 % interval excludes no change",
        "mc_error": "Monte-Carlo standard error of that share",
        "coverage": "share of 95 % intervals containing the true rate ratio 1",
        "mde_80": "median minimum detectable effect at 80 % power (rate ratio)",
    },
)

TREATED_UNITS = Table(
    "treated_units",
    "What the calibration needs of the register: the units and indicators of its designs and the Kreise with a "
    "registered body or measure. Changes only when the set of treated units does, not with the register's text.",
    "derived from panel, register_bodies and register_measures",
    ("unit_ags", "indicator"),
    {
        "unit_ags": "unit of a registered design (8 digits Gemeinde, 5 Kreis, 2 Land, Stadtteil key), or a Kreis "
        "with a registered body or measure",
        "indicator": "panel indicator of the design, or '*' for a Kreis with a registered body or measure (no "
        "placebo measure is drawn there)",
        "evaluable": "at least one registered design on this unit and indicator is evaluable: the unit is left out "
        "of the comparison pools of the indicator",
        "named": "for an indicator '*' row: the register names this Gemeinde or Kreis itself (no Gemeinde placebo "
        "is drawn in it or, for a Kreis, in its Gemeinden)",
    },
)

for _t in (PANEL, MEASURE_EFFECTS, EFFECTS_POOLED, MEASURE_TYPE_EFFECTS, CALIBRATION, TREATED_UNITS):
    register_table(_t)
