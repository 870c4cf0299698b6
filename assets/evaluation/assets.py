"""The harmonised panel and the evaluation of the register's measures."""

import json
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines import lineage
from pipelines.evaluation.evaluate import evaluate, kreis_info
from pipelines.evaluation.panel import build_panel
from pipelines.markdown import markdown_table
from pipelines.resources import DuckDBWarehouse, RawData
from pipelines.warehouse import TableWrite, stored_fingerprints, write_asset

SQL = Path(__file__).parent / "sql"


def _fingerprint(con, upstream: list[str]) -> str:
    stored = stored_fingerprints(con)
    return lineage.derived_fingerprint({u: stored.get(u) for u in upstream})


PANEL_UPSTREAM = ["crime_cases", "crime_city_stats", "accident_points", "accident_counts", "population", "boundaries"]


@asset(
    group_name="evaluation",
    kinds={"duckdb"},
    deps=PANEL_UPSTREAM,
    description=(
        "Harmonised panel: one row per unit × year (× month) × indicator with count, population, rate per 100,000 "
        "and its exact Poisson interval, the published HZ beside the recomputed rate, and break flags. Units: all "
        "German Kreise and Länder for crime (PKS, comparison pools), the Land's Gemeinden and Kreise for accidents, "
        "Magdeburg's Stadtteile (KISS-MD). Caveats: crime exists only per Kreis; population between editions is "
        "interpolated and marked; the Zensus 2022 revision and territorial changes are flagged breaks; counts of 1–2 "
        "are flagged for suppression."
    ),
)
def panel(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        frames = {
            "crime": con.execute(
                "SELECT year, ags, kreis_name, kreis_type, offence_key, offence_label, cases, hz, hz_basis FROM crime_cases"
            ).df(),
            "city": con.execute("SELECT * FROM crime_city_stats").df(),
            "accident_counts": con.execute("SELECT * FROM accident_counts").df(),
            "points": con.execute((SQL / "panel_inputs.sql").read_text(), [land]).df(),
            "population": con.execute("SELECT * FROM population").df(),
            "names": con.execute(
                "SELECT ags, level, arg_max(name, valid_from) AS name FROM boundaries GROUP BY ags, level"
            ).df(),
        }
        result = build_panel(**frames, land=land)
        counts = write_asset(
            con,
            asset="panel",
            tables=[TableWrite("panel", result, order_by=("unit_ags", "indicator", "year", "month"))],
            fingerprint=_fingerprint(con, PANEL_UPSTREAM),
        )
    own = result[result["unit_ags"].str[:2] == land]
    summary = own.groupby(["unit_level", "indicator"], as_index=False).agg(
        units=("unit_ags", "nunique"),
        years=("year", "nunique"),
        breaks=("break_flag", "sum"),
        small=("small_count", "sum"),
    )
    return MaterializeResult(
        metadata={
            "dagster/row_count": MetadataValue.int(counts["panel"]),
            "land_rows": MetadataValue.int(len(own)),
            "breaks": MetadataValue.int(int(result["break_flag"].sum())),
            "summary": MetadataValue.md(markdown_table(summary.head(40))),
            "break_reasons": MetadataValue.json(json.loads(result["break_reason"].value_counts().to_json())),
        }
    )


EFFECTS_UPSTREAM = ["panel", "register_bodies", "register_measures", "crime_cases", "boundaries", "accident_points"]


@asset(
    group_name="evaluation",
    kinds={"duckdb"},
    deps=EFFECTS_UPSTREAM,
    description=(
        "Effects of every body and measure of the register, one row per measure × indicator × method, on the "
        "rate-ratio scale with 95 % intervals and a plain-German verdict: naive before/after (labelled naive), "
        "comparison-group DiD with a rule-based pool of German Kreise and a pre-trend test, staggered DiD, "
        "synthetic control with placebo inference, Empirical Bayes for accidents, WDQ where areas and points exist. "
        "Caveats: crime is evaluated on the Kreis of a Gemeinde's body; measures without a date, a target or data "
        "before and after are listed as not evaluable with the reason; no causal claim beyond the design."
    ),
)
def measure_effects(context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        panel_rows = con.execute("SELECT * FROM panel").df()
        bodies = con.execute("SELECT * FROM register_bodies").df()
        measures = con.execute("SELECT * FROM register_measures").df()
        kinds = con.execute("SELECT DISTINCT year, ags, kreis_type FROM crime_cases WHERE offence_key = '------'").df()
        areas = con.execute((SQL / "evaluation_inputs.sql").read_text()).df()
        points = con.execute((SQL / "land_points.sql").read_text(), [land]).df()
        effects, pooled = evaluate(panel_rows, bodies, measures, kreis_info(kinds, areas, panel_rows), points, land)
        counts = write_asset(
            con,
            asset="measure_effects",
            tables=[
                TableWrite("measure_effects", effects, order_by=("measure_id", "indicator", "method")),
                TableWrite("effects_pooled", pooled, order_by=("group", "indicator_domain", "method")),
            ],
            fingerprint=_fingerprint(con, EFFECTS_UPSTREAM),
        )
    head = effects[effects["headline"]]
    return MaterializeResult(
        metadata={
            "dagster/row_count": MetadataValue.int(counts["measure_effects"]),
            "pooled_rows": MetadataValue.int(counts["effects_pooled"]),
            "evaluable_headlines": MetadataValue.int(int(head["evaluable"].sum())),
            "not_evaluable": MetadataValue.int(int((~head["evaluable"]).sum())),
            "methods": MetadataValue.json(json.loads(effects["method"].value_counts().to_json())),
            "headlines": MetadataValue.md(
                markdown_table(
                    head[head["evaluable"]][["measure_id", "indicator", "method", "estimate", "ci_low", "ci_high"]]
                    .round(3)
                    .head(40)
                )
            ),
        }
    )
