"""The harmonised panel, the evaluation of the register's measures and its calibration on placebo measures."""

import json

from dagster import AssetExecutionContext, DataVersion, MaterializeResult, MetadataValue, asset

from assets._shared import OWNERS, asset_tags, table_metadata, warehouse_metadata
from pipelines import engine
from pipelines.resources import DuckDBWarehouse, RawData
from praevention.evaluation.calibration import ALL, calibrate
from praevention.evaluation.design import interventions
from praevention.evaluation.evaluate import effects_pooled, evaluate, register_designs
from praevention.evaluation.panel import build_panel
from praevention.evaluation.pooling import measure_kinds, measure_texts
from praevention.evaluation.read import evaluation_inputs, panel_inputs
from praevention.render.verdict import add_verdicts, pooled_verdict_de
from praevention.warehouse import TableWrite, table_version, write_asset


def _written(con, warehouse: DuckDBWarehouse, raw_data: RawData, counts: dict[str, int]) -> dict[str, object]:
    """Schemas and location of the tables an evaluation asset wrote."""
    return warehouse_metadata(con, warehouse, raw_data, list(counts))


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
    group_name="evaluation",
    kinds={"duckdb", "pandas"},
    owners=OWNERS,
    tags=asset_tags("evaluation"),
    code_version=engine.code_version(),
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
        written = _written(con, warehouse, raw_data, counts)
        version = DataVersion(table_version(con, list(counts)))
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


EFFECTS_UPSTREAM = ["panel", "register_bodies", "register_measures", "crime_cases", "boundaries", "accident_points"]


@asset(
    group_name="evaluation",
    kinds={"duckdb", "pandas"},
    owners=OWNERS,
    tags=asset_tags("evaluation"),
    code_version=engine.code_version(),
    deps=EFFECTS_UPSTREAM,
    description=(
        "Effects of every body and measure of the register, one row per measure × indicator × method, on the "
        "rate-ratio scale with 95 % intervals, minimum detectable effects (also in the measure's own area, where it "
        "is smaller than the unit measured) and a plain-German verdict in four cases; all offences are evaluated "
        "without violations of residence and asylum law, populations bridged across the Zensus 2022 break; "
        "measures of one type pooled by the declared rules of data/pooling_rules.yaml (measure_type_effects): naive "
        "before/after (labelled naive), a comparison-group design with placebo inference across Kreise of the same "
        "type in Germany (each measured against the rest of its Land), synthetic control, Empirical Bayes for "
        "accidents, WDQ/WDD where areas and points exist, and a displacement check on neighbouring Kreise. Headline "
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
        interv = interventions(bodies, measures)
        kinds, texts = measure_kinds(interv), measure_texts(interv)
        names = dict(con.execute("SELECT ags, arg_max(name, valid_from) FROM boundaries GROUP BY ags").fetchall())
        effects, types = add_verdicts(effects, types, bodies, measures, names, kinds, texts)
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
        written = _written(con, warehouse, raw_data, counts)
        version = DataVersion(table_version(con, list(counts)))
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


CALIBRATION_UPSTREAM = ["panel", "register_bodies", "register_measures", "crime_cases", "boundaries"]


@asset(
    group_name="evaluation",
    kinds={"duckdb", "pandas"},
    owners=OWNERS,
    tags=asset_tags("evaluation"),
    code_version=engine.code_version(),
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
        data, bodies, measures = evaluation_inputs(con, land)
        table, rows = calibrate(data, bodies, measures, register_designs(data, bodies, measures))
        counts = write_asset(
            con,
            asset="calibration",
            tables=[TableWrite("calibration", table, order_by=("method", "indicator"))],
        )
        written = _written(con, warehouse, raw_data, counts)
        version = DataVersion(table_version(con, list(counts)))
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
