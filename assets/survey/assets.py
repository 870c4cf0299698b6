"""Local safety surveys and the sense of safety (Sicherheitsempfinden) estimated from them."""

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets._shared import OWNERS, asset_tags, table_metadata, written_tables
from assets._sources import source_asset
from pipelines import records
from pipelines.resources import DuckDBWarehouse, RawData
from praevention.survey.load import load_surveys, typed
from praevention.survey.perception import CHANGE_COLUMNS, PERCEPTION_COLUMNS, safety_changes
from praevention.survey.perception import safety_perception as estimate_perception
from praevention.warehouse import write_asset

survey_responses = source_asset(
    name="survey_responses",
    group="survey",
    kinds=("survey",),
    description=(
        "Local safety surveys of municipalities and councils in the import format of `praevention survey template` "
        "(docs/survey.md): respondents' answers (table survey_responses), published shares per answer with n "
        "(survey_aggregates) and population margins for weighting (survey_margins), read from `<raw-dir>/surveys/`. "
        "Unit: AGS × wave (date) × item of the standard questionnaire (data/survey_questionnaire.yaml). Caveats: "
        "optional (without files the tables are empty); columns outside the format – free text, names – are never "
        "read; a wave delivered twice (same AGS and date) is taken from one file only and the other's rows are "
        "quarantined."
    ),
    load=lambda found, _con: load_surveys(found.of("survey")),
)

_SOURCE_SQL = {
    "responses": "SELECT * FROM survey_responses",
    "aggregates": "SELECT * FROM survey_aggregates",
    "margins": "SELECT * FROM survey_margins",
    "population": "SELECT ags, reference_date, population, population_male FROM population",
}


@asset(
    group_name="evaluation",
    kinds={"duckdb", "pandas"},
    owners=OWNERS,
    tags=asset_tags("evaluation"),
    deps=["survey_responses", "population"],
    metadata={records.DATA_FILES: ["data/survey_questionnaire.yaml", "data/survey_reference.yaml"]},
    description=(
        "The sense of safety per AGS, wave and item of the standard questionnaire: weighted shares (the survey's "
        "weights raked to the Gemeinde's gender structure from the population statistics and to the age margins "
        "delivered with the survey) with design-based 95 % intervals (Taylor linearisation with the raking taken "
        "into account), answers and Kish's effective sample size; Land and federal figures beside them "
        "(data/survey_reference.yaml). Table safety_changes compares each wave with the one before (interval of "
        "the difference). Caveats: no share on fewer than 30 answers is published; published shares without a "
        "design effect get binomial intervals, which are too narrow for weighted surveys; the population "
        "statistics hold no age structure per Gemeinde, so age is weighted only where a survey brings margins."
    ),
)
def safety_perception(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData
) -> MaterializeResult:
    with warehouse.connect() as con:
        inputs = {name: con.execute(sql).df() for name, sql in _SOURCE_SQL.items()}
        for name in ("responses", "aggregates", "margins"):
            inputs[name]["wave_date"] = [
                None if pd.isna(d) else pd.Timestamp(d).date() for d in inputs[name]["wave_date"]
            ]
        perception = estimate_perception(
            inputs["responses"], inputs["aggregates"], inputs["margins"], inputs["population"]
        )
        changes = safety_changes(perception)
        counts = write_asset(
            con,
            asset="safety_perception",
            tables=[
                typed("safety_perception", perception, PERCEPTION_COLUMNS, ("ags", "wave_date", "item")),
                typed("safety_changes", changes, CHANGE_COLUMNS, ("ags", "item", "wave_before")),
            ],
        )
        written, version = written_tables(con, warehouse, raw_data, "safety_perception", counts)
    head = perception[perception["headline"]]
    return MaterializeResult(
        data_version=version,
        metadata={
            **written,
            "dagster/row_count": MetadataValue.int(counts["safety_perception"]),
            "units": MetadataValue.int(int(perception["ags"].nunique()) if len(perception) else 0),
            "waves": MetadataValue.int(int(perception[["ags", "wave_date"]].drop_duplicates().shape[0])),
            "not_published": MetadataValue.int(int((~perception["published"].astype(bool)).sum())),
            "headline": table_metadata(
                head[["ags", "wave_date", "share", "ci_low", "ci_high", "n", "n_effective", "weighting"]]
                .round(3)
                .head(30)
            ),
        },
    )
