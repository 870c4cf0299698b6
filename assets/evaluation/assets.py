"""The harmonised panel and the evaluation of the register's measures."""

import json
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines import lineage
from pipelines.evaluation.evaluate import EstimateStore, evaluate, frame_key, kreis_info
from pipelines.evaluation.panel import build_panel
from pipelines.markdown import markdown_table
from pipelines.resources import DuckDBWarehouse, RawData
from pipelines.warehouse import TableWrite, stored_fingerprints, table_exists, write_asset

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


class EffectInputs(NamedTuple):
    """What :func:`evaluate` reads from the warehouse, in its argument order."""

    panel: pd.DataFrame
    bodies: pd.DataFrame
    measures: pd.DataFrame
    kreise: pd.DataFrame
    points: pd.DataFrame

    def data_key(self, land: str) -> str:
        """The data the estimators read (not the register: designs carry what they take from it)."""
        return frame_key(self.panel, self.kreise, self.points) + land


def effect_inputs(con: duckdb.DuckDBPyConnection, land: str) -> EffectInputs:
    panel = con.execute("SELECT * FROM panel").df()
    kinds = con.execute("SELECT DISTINCT year, ags, kreis_type FROM crime_cases WHERE offence_key = '------'").df()
    areas = con.execute((SQL / "evaluation_inputs.sql").read_text()).df()
    return EffectInputs(
        panel,
        con.execute("SELECT * FROM register_bodies").df(),
        con.execute("SELECT * FROM register_measures").df(),
        kreis_info(kinds, areas, panel),
        con.execute((SQL / "land_points.sql").read_text(), [land]).df(),
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
        inputs = effect_inputs(con, land)
        cached = (
            dict(con.execute("SELECT key, estimates FROM estimate_cache").fetchall())
            if table_exists(con, "estimate_cache")
            else {}
        )
        store = EstimateStore(cached, inputs.data_key(land))
        effects, pooled = evaluate(*inputs, land, store)
        counts = write_asset(
            con,
            asset="measure_effects",
            tables=[
                TableWrite("measure_effects", effects, order_by=("measure_id", "indicator", "method")),
                TableWrite("effects_pooled", pooled, order_by=("group", "indicator_domain", "method")),
                TableWrite("estimate_cache", store.frame(), order_by=("key",)),
            ],
            fingerprint=_fingerprint(con, EFFECTS_UPSTREAM),
        )
    head = effects[effects["headline"]]
    return MaterializeResult(
        metadata={
            "dagster/row_count": MetadataValue.int(counts["measure_effects"]),
            "pooled_rows": MetadataValue.int(counts["effects_pooled"]),
            "designs_estimated": MetadataValue.int(store.computed),
            "designs_reused": MetadataValue.int(len(store.used) - store.computed),
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
