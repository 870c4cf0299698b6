"""Where the register's measures with a place act, where accidents concentrate (network screening) and how
often the site evaluation errs (placebo sites)."""

import json

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets._shared import EVALUATION, table_metadata, written_tables
from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention.evaluation.costs import rates
from praevention.evaluation.read import site_inputs
from praevention.evaluation.screening import screen
from praevention.evaluation.site_calibration import calibrate_sites
from praevention.evaluation.sites import SiteModels, site_table, table_exclusions
from praevention.warehouse import TableWrite, write_asset

SITE_UPSTREAM = ["panel", "accident_points", "boundaries", "registered_sites"]


def _models(con, land: str):
    places, sites, labels = site_inputs(con, land)
    return places, SiteModels(places, table_exclusions(sites)), labels


@asset(
    **EVALUATION,
    deps=["register_measures"],
    description=(
        "The places of the register's measures with a place and an accident target: centre and reach of each site "
        "(EPSG:25832). The screening and the site calibration keep their reference and placebo places away from "
        "them. Its content changes only when a place does, so a corrected title or a new partner in the register "
        "re-runs neither."
    ),
)
def registered_sites(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData
) -> MaterializeResult:
    with warehouse.connect() as con:
        table = site_table(con.execute("SELECT * FROM register_measures").df())
        counts = write_asset(
            con, asset="registered_sites", tables=[TableWrite("registered_sites", table, order_by=("measure_id",))]
        )
        written, version = written_tables(con, warehouse, raw_data, "registered_sites", counts)
    return MaterializeResult(
        data_version=version,
        metadata={**written, "dagster/row_count": MetadataValue.int(counts["registered_sites"])},
    )


@asset(
    **EVALUATION,
    deps=SITE_UPSTREAM,
    metadata={records.DATA_FILES: ["data/accident_costs.yaml"]},
    description=(
        "Network screening (HSM Part B) of every Gemeinde with Unfallatlas points: circles of 50 m as a sliding "
        "window, Empirical Bayes expected accidents from a safety performance function of similar places "
        "(accidents in the surroundings, population density, city or not, year), ranked by the excess over "
        "similar places weighted by the BASt accident costs. Caveats: the Unfallatlas counts accidents with "
        "personal injury only; a missing year is a gap; a site's rank says where to look first, not why."
    ),
)
def accident_screening(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData
) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        places, models, _ = _models(con, land)
        table = screen(places, models, rates(places.latest_year or 0))
        counts = write_asset(
            con,
            asset="accident_screening",
            tables=[TableWrite("accident_screening", table, order_by=("ags", "rank"))],
        )
        written, version = written_tables(con, warehouse, raw_data, "accident_screening", counts)
    top = table[table["rank"] <= 5][["ags", "rank", "observed", "expected_eb", "excess", "severity_weighted_excess"]]
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["accident_screening"]),
            "gemeinden": MetadataValue.int(int(table["ags"].nunique()) if len(table) else 0),
            "top_sites": table_metadata(top.round(2).head(40)),
        },
    )


@asset(
    **EVALUATION,
    deps=SITE_UPSTREAM,
    metadata={records.DATA_FILES: ["data/accident_costs.yaml"]},
    description=(
        "Calibration of the site evaluation on real data: placebo sites of 100–200 m at random places with an "
        "accident before, or among the places with the most accidents before, at random start years, evaluated "
        "through the same code as registered sites. One row per method, indicator and way of choosing, with the "
        "false-positive rate, its Monte-Carlo error and the mean ratio of accidents after to those expected "
        "(1 = no bias). Caveat: placebos cannot show what a real measure's selection adds beyond them."
    ),
)
def site_calibration(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData
) -> MaterializeResult:
    land = raw_data.land_key()
    with warehouse.connect() as con:
        places, models, labels = _models(con, land)
        table, rows = calibrate_sites(places, models, labels)
        counts = write_asset(
            con,
            asset="site_calibration",
            tables=[TableWrite("site_calibration", table, order_by=("method", "indicator", "selection"))],
        )
        written, version = written_tables(con, warehouse, raw_data, "site_calibration", counts)
    overall = table[(table["method"] == "headline") & (table["indicator"] == "*") & (table["selection"] == "alle")]
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["site_calibration"]),
            "placebo_designs": MetadataValue.int(int(rows["measure_id"].nunique()) if len(rows) else 0),
            "headline_false_positive_rate": MetadataValue.float(
                float(overall["false_positive_rate"].iloc[0]) if len(overall) else float("nan")
            ),
            "by_selection": MetadataValue.json(
                json.loads(
                    table[(table["method"] == "headline") & (table["indicator"] == "*")]
                    .set_index("selection")[["n_designs", "false_positive_rate", "mean_ratio"]]
                    .round(4)
                    .to_json(orient="index")
                )
                if len(table)
                else {}
            ),
            "table": table_metadata(table.round(4).head(60)),
        },
    )
