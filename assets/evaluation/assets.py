"""The harmonised panel, the evaluation of the register's measures, the register's treated units and the
calibration on placebo measures."""

import json

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets._shared import EVALUATION, table_metadata, written_tables
from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention.evaluation.calibration import ALL, calibrate_units
from praevention.evaluation.design import interventions
from praevention.evaluation.evaluate import effects_pooled, evaluate, register_designs_on
from praevention.evaluation.panel import build_panel
from praevention.evaluation.pooling import measure_kinds, measure_texts
from praevention.evaluation.read import calibration_inputs, evaluation_inputs, panel_inputs, treated_inputs
from praevention.evaluation.survey import survey_effects, with_survey_effects
from praevention.evaluation.treated import calibration_units, treated_table
from praevention.render.safety import add_survey_verdicts
from praevention.render.verdict import add_verdicts, pooled_verdict_de
from praevention.warehouse import TableWrite, write_asset

PANEL_UPSTREAM = [
    "crime_cases",
    "crime_gemeinde_cases",
    "crime_city_stats",
    "accident_points",
    "accident_counts",
    "population",
    "boundaries",
]


@asset(
    **EVALUATION,
    deps=PANEL_UPSTREAM,
    description=(
        "Harmonised panel: one row per unit × year (× month) × indicator with count, population, rate per 100,000 "
        "and its exact Poisson interval, the published HZ beside the recomputed rate, and break flags. Units: all "
        "German Kreise and Länder for crime (PKS, comparison pools), the Land's Gemeinden for crime where the LKA's "
        "PKS by Tatortgemeinde is delivered, the Land's Gemeinden and Kreise for accidents, Magdeburg's Stadtteile "
        "(KISS-MD). Caveats: the public PKS has crime only per Kreis; population between editions is "
        "interpolated and marked; the Zensus 2022 revision and territorial changes are flagged breaks; counts of 1–2 "
        "are flagged for suppression."
    ),
)
def panel(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        result = build_panel(**panel_inputs(con, land), land=land)
        counts = write_asset(
            con,
            asset="panel",
            tables=[TableWrite("panel", result, order_by=("unit_ags", "indicator", "year", "month"))],
        )
        written, version = written_tables(con, warehouse, raw_data, "panel", counts)
    own = result[result["unit_ags"].str[:2] == land]
    summary = own.groupby(["unit_level", "indicator"], as_index=False).agg(
        units=("unit_ags", "nunique"),
        years=("year", "nunique"),
        breaks=("break_flag", "sum"),
        small=("small_count", "sum"),
    )
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["panel"]),
            "land_rows": MetadataValue.int(len(own)),
            "breaks": MetadataValue.int(int(result["break_flag"].sum())),
            "summary": table_metadata(summary.head(40)),
            "break_reasons": MetadataValue.json(json.loads(result["break_reason"].value_counts().to_json())),
        },
    )


EFFECTS_UPSTREAM = [
    "panel",
    "population",
    "register_bodies",
    "register_measures",
    "crime_cases",
    "boundaries",
    "accident_points",
    "safety_perception",
]


@asset(
    **EVALUATION,
    deps=EFFECTS_UPSTREAM,
    metadata={
        records.DATA_FILES: [
            "data/accident_costs.yaml",
            "data/literature.yaml",
            "data/pooling_rules.yaml",
            "data/survey_questionnaire.yaml",
            "data/survey_reference.yaml",
        ]
    },
    description=(
        "Effects of every body and measure of the register, one row per measure × indicator × method, on the "
        "rate-ratio scale with 95 % intervals, minimum detectable effects (also in the measure's own area, where it "
        "is smaller than the unit measured) and a plain-German verdict in four cases; all offences are evaluated "
        "without violations of residence and asylum law, populations bridged across the Zensus 2022 break; "
        "measures of one type pooled by the declared rules of data/pooling_rules.yaml (measure_type_effects): naive "
        "before/after (labelled naive), a comparison-group design with placebo inference across Kreise of the same "
        "type in Germany (each measured against the rest of its Land), synthetic control, Empirical Bayes for "
        "accidents, WDQ/WDD where areas and points exist, a displacement check on neighbouring Kreise, and for measures "
        "aiming at the sense of safety the survey waves before and after their start ('umfrage:' indicators). Headline "
        "p-values adjusted across the report (Benjamini–Hochberg, Holm). Caveats: crime is evaluated on the finest "
        "level with data (named Stadtteile, the Gemeinde where the LKA's PKS by Tatortgemeinde is delivered, else "
        "the Kreis), and every output names it; designs that fail their checks are 'nicht eindeutig auswertbar'; no causal claim "
        "beyond the design."
    ),
)
def measure_effects(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        data, bodies, measures = evaluation_inputs(con, land)
        effects, types, _ = evaluate(data, bodies, measures)
        perception = con.execute("SELECT * FROM safety_perception").df()
        effects = with_survey_effects(effects, survey_effects(measures, perception))
        interv = interventions(bodies, measures)
        kinds, texts = measure_kinds(interv), measure_texts(interv)
        names = dict(con.execute("SELECT ags, arg_max(name, valid_from) FROM boundaries GROUP BY ags").fetchall())
        effects, types = add_verdicts(effects, types, bodies, measures, names, kinds, texts)
        effects = add_survey_verdicts(effects, measures, names)
        pooled = effects_pooled(types)
        pooled = pooled.assign(verdict_de=[pooled_verdict_de(r) for r in pooled.to_dict(orient="records")])
        counts = write_asset(
            con,
            asset="measure_effects",
            tables=[
                TableWrite("measure_effects", effects, order_by=("measure_id", "indicator", "method")),
                TableWrite("effects_pooled", pooled, order_by=("group", "indicator_domain", "method")),
                TableWrite("measure_type_effects", types, order_by=("measure_type", "mechanism", "outcome", "scope")),
            ],
        )
        written, version = written_tables(con, warehouse, raw_data, "measure_effects", counts)
    head = effects[effects["headline"]]
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["measure_effects"]),
            "pooled_rows": MetadataValue.int(counts["effects_pooled"]),
            "measure_types": table_metadata(
                types[["measure_type", "outcome", "scope", "n_measures", "n_designs", "estimate", "ci_low", "ci_high"]]
                .round(3)
                .head(40)
            ),
            "evaluable_headlines": MetadataValue.int(int(head["evaluable"].sum())),
            "findings": MetadataValue.json(json.loads(head["finding"].value_counts().to_json())),
            "methods": MetadataValue.json(json.loads(effects["method"].value_counts().to_json())),
            "headlines": table_metadata(
                head[head["evaluable"]][
                    ["measure_id", "indicator", "method", "estimate", "ci_low", "ci_high", "p_adjusted", "mde_80"]
                ]
                .round(3)
                .head(40)
            ),
        },
    )


TREATED_UPSTREAM = ["panel", "register_bodies", "register_measures"]


@asset(
    **EVALUATION,
    deps=TREATED_UPSTREAM,
    description=(
        "What the calibration needs of the register: one row per unit and indicator of a registered design (with "
        "whether one of its designs is evaluable), one per Kreis with a registered body or measure and one per Gemeinde "
        "or Kreis the register names (no Gemeinde placebo there). Its content "
        "changes only when the set of treated units does, so the calibration runs again then and not when a "
        "title, a note or a partner in the register changes."
    ),
)
def treated_units(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    with warehouse.connect() as con:
        available, bodies, measures = treated_inputs(con, raw_data.land_key())
        table = treated_table(register_designs_on(available, bodies, measures, raw_data.land_key()), bodies, measures)
        counts = write_asset(
            con,
            asset="treated_units",
            tables=[TableWrite("treated_units", table, order_by=("indicator", "unit_ags"))],
        )
        written, version = written_tables(con, warehouse, raw_data, "treated_units", counts)
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["treated_units"]),
            "treated": MetadataValue.int(int(table["evaluable"].sum())),
            "registered_kreise": MetadataValue.int(int((table["indicator"] == "*").sum())),
        },
    )


CALIBRATION_UPSTREAM = ["panel", "crime_cases", "boundaries", "treated_units"]


@asset(
    **EVALUATION,
    deps=CALIBRATION_UPSTREAM,
    description=(
        "Calibration of the evaluation on real data: placebo measures at random start dates in Kreise across "
        "Germany without a registered body or measure, every Land at every start year, Gemeinden and Stadtteile "
        "where their figures exist, and Kreise with starts chosen after their worst year or on a rising trend, on "
        "each PKS indicator the register uses, evaluated through the same design, pool and headline rules as real "
        "measures. One row per method, indicator and stratum (level, Kreis size class, Kreisart, selection) with "
        "the false-positive rate (with its Monte-Carlo error), the coverage of the 95 % intervals and the median "
        "minimum detectable effect. Caveat: selected starts show the selection of real series, not every way a "
        "council may be founded (see the simulation study in docs/methods.md)."
    ),
)
def calibration(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        data, treated = calibration_inputs(con, land)
        table, rows = calibrate_units(data, *calibration_units(treated))
        counts = write_asset(
            con,
            asset="calibration",
            tables=[TableWrite("calibration", table, order_by=("method", "indicator"))],
        )
        written, version = written_tables(con, warehouse, raw_data, "calibration", counts)
    overall = table[(table["method"] == "headline") & (table["indicator"] == "*") & (table["stratum"] == ALL)]
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["calibration"]),
            "placebo_designs": MetadataValue.int(int(rows["measure_id"].nunique()) if len(rows) else 0),
            "headline_false_positive_rate": MetadataValue.float(
                float(overall["false_positive_rate"].iloc[0]) if len(overall) else float("nan")
            ),
            "table": table_metadata(table.round(4)),
        },
    )
