"""Each domain's assets alone, with Dagster's ``materialize`` and the resources the CLI gives them, on a small
Demoland (30 Gemeinden in 3 Landkreise, written by the demo's writers in the published formats): the row
counts the MaterializeResult reports are the rows of the table written, the asset's checks run and pass, and
nothing of the full pipeline runs.

Every asset is materialised into a copy of one warehouse that holds the small Land's sources (materialised
once for the module: the sources' checks read the boundaries), the boundaries into an empty one."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dagster import AssetKey, ExecuteInProcessResult, materialize

from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, SOURCE_GROUPS
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention.demo.generate import (
    LAND,
    build_land,
    simulate_accidents,
    simulate_pks,
    write_boundaries,
    write_gv100ad,
    write_pks,
    write_unfallatlas,
)
from praevention.demo.surveys import DemoSurvey, write_surveys
from tests.register.conftest import BODY, MEASURE, register_xlsx

#: one worker builds the small Land for all of them
pytestmark = pytest.mark.xdist_group("small_land")


@dataclass(frozen=True)
class SmallLand:
    raw: Path
    gemeinden: pd.DataFrame
    kreise: pd.DataFrame
    pks: pd.DataFrame
    accidents: pd.DataFrame
    #: a warehouse holding every source of the small Land (copy it before writing)
    sources: Path


def materialise(raw: Path, warehouse: Path, *names: str, out: Path | None = None) -> ExecuteInProcessResult:
    """The assets ``names`` (and their checks) materialised alone, with the CLI's resources."""
    return materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        selection=[AssetKey(n) for n in names],
        resources={
            "warehouse": DuckDBWarehouse(path=str(warehouse)),
            "raw_data": RawData(raw_dir=str(raw), land=LAND),
            "report_settings": ReportSettings(out_dir=str(out or warehouse.parent / "out"), synthetic=True),
        },
    )


def metadata(result: ExecuteInProcessResult, name: str) -> dict[str, object]:
    """The metadata values of the asset's one materialization in ``result``."""
    (event,) = [
        m for m in result.get_asset_materialization_events() if m.asset_key == AssetKey(name)
    ]  # one materialization
    return {k: v.value for k, v in event.materialization.metadata.items()}


def copy_of_sources(small: SmallLand, folder: Path) -> Path:
    warehouse = folder / "w.duckdb"
    shutil.copyfile(small.sources, warehouse)
    return warehouse


def count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def tables(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def checks_passed(result: ExecuteInProcessResult, name: str) -> None:
    evaluations = [e for e in result.get_asset_check_evaluations() if e.asset_key == AssetKey(name)]
    assert evaluations, f"no check of {name} ran"
    assert all(e.passed for e in evaluations if e.severity.value == "ERROR"), [
        (e.check_name, e.metadata) for e in evaluations if not e.passed
    ]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SmallLand:
    root = tmp_path_factory.mktemp("small_land")
    raw = root / "rohdaten"
    land = build_land(7, n_gemeinden=30, n_landkreise=3)
    rng = np.random.default_rng(7)
    write_boundaries(land, raw / "boundaries")
    write_gv100ad(land, raw / "population")
    pks = simulate_pks(rng, land.kreise[["ags", "name", "kreis_type", "population"]], [])
    write_pks(pks, raw / "crime")
    accidents, _ = simulate_accidents(rng, land, [])
    accidents = accidents.sample(n=2000, random_state=7)  # a few points per Gemeinde and year suffice
    write_unfallatlas(accidents, raw / "accidents")
    town = land.gemeinden.sort_values("ags").iloc[0]
    body = {**BODY, "ags": town["ags"], "name": f"Präventionsrat {town['name']}"}
    (raw / "councils").mkdir()
    register_xlsx(raw / "councils" / "register.xlsx", [body], [{**MEASURE, "target": "899000"}])
    survey = DemoSurvey(town["ags"], (dt.date(2020, 10, 1), dt.date(2022, 10, 1)), 0.0, 40, "responses")
    write_surveys(rng, [survey], LAND, raw / "surveys")
    sources = root / "sources.duckdb"
    names = [k.to_user_string() for a in ALL_ASSETS for k in a.keys if a.group_names_by_key[k] in SOURCE_GROUPS]
    assert materialise(raw, sources, *names).success
    return SmallLand(raw, land.gemeinden, land.kreise, pks, accidents, sources)


def test_crime_cases_from_the_pks_tables(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    meta = metadata(materialise(small.raw, warehouse, "crime_cases"), "crime_cases")
    n = count(warehouse, "SELECT count(*) FROM crime_cases")
    assert meta["dagster/row_count"] == meta["rows_crime_cases"] == meta["rows_loaded"] == n
    assert meta["rows_quarantined"] == 0
    # every simulated Kreis, year and offence, with its count
    assert n >= len(small.pks)
    assert count(warehouse, "SELECT sum(cases) FROM crime_cases WHERE offence_key = '------'") == int(
        small.pks.loc[small.pks["offence_key"] == "------", "cases"].sum()
    )


def test_accident_points_from_the_unfallatlas_zips(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "accident_points")
    meta = metadata(result, "accident_points")
    assert (
        meta["rows_accident_points"] == count(warehouse, "SELECT count(*) FROM accident_points") == len(small.accidents)
    )
    assert meta["rows_read"] == meta["rows_loaded"] + meta["rows_quarantined"]
    checks_passed(result, "accident_points")


def test_boundaries_of_the_gemeinden_and_kreise(small: SmallLand, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"  # empty: the boundaries' checks read nothing else
    result = materialise(small.raw, warehouse, "boundaries")
    meta = metadata(result, "boundaries")
    assert meta["dagster/row_count"] == count(warehouse, "SELECT count(*) FROM boundaries")
    assert count(warehouse, "SELECT count(DISTINCT ags) FROM boundaries WHERE level = 'Gemeinde'") == 30
    assert count(warehouse, "SELECT count(DISTINCT ags) FROM boundaries WHERE level = 'Kreis'") == len(small.kreise)
    checks_passed(result, "boundaries")


def test_population_from_the_gemeindeverzeichnis(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "population")
    meta = metadata(result, "population")
    assert meta["dagster/row_count"] == count(warehouse, "SELECT count(*) FROM population") > 0
    assert set(small.gemeinden["ags"]) <= {
        r[0] for r in duckdb.connect(str(warehouse), read_only=True).execute("SELECT ags FROM population").fetchall()
    }
    checks_passed(result, "population")


def test_register_from_a_one_row_workbook(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "register_bodies", "register_measures")
    bodies, measures = metadata(result, "register_bodies"), metadata(result, "register_measures")
    assert bodies["dagster/row_count"] == count(warehouse, "SELECT count(*) FROM register_bodies") == 1
    assert measures["dagster/row_count"] == count(warehouse, "SELECT count(*) FROM register_measures") == 1
    assert count(warehouse, "SELECT count(*) FROM quarantine WHERE asset = 'register'") == 0
    checks_passed(result, "register_bodies")


def test_survey_responses_of_one_gemeinde(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "survey_responses")
    meta = metadata(result, "survey_responses")
    assert meta["rows_survey_responses"] == count(warehouse, "SELECT count(*) FROM survey_responses") > 0
    assert meta["dagster/row_count"] == sum(
        v for k, v in meta.items() if k.startswith("rows_") and k[5:] in tables(warehouse)
    )
    assert meta["rows_read"] == meta["rows_loaded"] + meta["rows_quarantined"]
    checks_passed(result, "survey_responses")


def test_panel_from_the_small_lands_warehouse(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "panel")
    meta = metadata(result, "panel")
    rows = count(warehouse, "SELECT count(*) FROM panel")
    assert meta["dagster/row_count"] == rows > 0
    # every Gemeinde and Kreis of the small Land is a unit of the panel
    units = count(warehouse, f"SELECT count(DISTINCT unit_ags) FROM panel WHERE unit_ags LIKE '{LAND}%'")
    assert units >= 30 + len(small.kreise)
    checks_passed(result, "panel")


def test_accident_screening_from_the_small_lands_warehouse(small: SmallLand, tmp_path: Path) -> None:
    warehouse = copy_of_sources(small, tmp_path)
    result = materialise(small.raw, warehouse, "panel", "registered_sites", "accident_screening")
    meta = metadata(result, "accident_screening")
    assert meta["dagster/row_count"] == count(warehouse, "SELECT count(*) FROM accident_screening")
    checks_passed(result, "accident_screening")
