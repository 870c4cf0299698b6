"""The whole code location loads, and its public names do not drift."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection

from pipelines.definitions import defs

EXPECTED_ASSETS = {
    "crime_cases",
    "crime_city_stats",
    "crime_gemeinde_cases",
    "accident_points",
    "accident_counts",
    "boundaries",
    "population",
    "survey_responses",
}


PRODUCTS = {"maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site", "publication"}
DERIVED_ASSETS = {
    "register_bodies",
    "register_measures",
    "panel",
    "measure_effects",
    "treated_units",
    "calibration",
    "safety_perception",
    "registered_sites",
    "accident_screening",
    "site_calibration",
    *PRODUCTS,
}


def test_definitions_load_with_every_asset_documented():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS | DERIVED_ASSETS
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description and len(node.description) > 80, key
        assert node.group_name != "default", key
    defs.resolve_implicit_global_asset_job_def()


def test_every_table_asset_has_blocking_key_and_schema_checks_from_its_contract():
    from assets._shared import SQL_CHECKS
    from praevention.tables import contract

    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    tables = EXPECTED_ASSETS | DERIVED_ASSETS - PRODUCTS
    for name in tables:
        assert {(name, "key_unique"), (name, "schema")} <= checks, name
        key = next(s for s in SQL_CHECKS[name] if s.name == "key_unique")
        assert key.sql.startswith("SELECT " + ", ".join(f'"{k}"' for k in contract(name).key) + ", count(*)"), name
    assert {("measure_effects", "key_unique_effects_pooled"), ("measure_effects", "schema_effects_pooled")} <= checks


def test_blocking_checks_guard_the_joins_and_the_outputs():
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert {
        ("register_measures", "bodies_exist"),
        ("panel", "key_unique"),
        ("site", "privacy_scan"),
        ("calibration", "false_positive_rate"),
        ("site_calibration", "false_positive_rate"),
    } <= checks
    # a calibration that fails its check stops every product and their publication: they all depend on it
    reports = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name == "reports"]
    upstream = {k: AssetSelection.keys(k).upstream().resolve(graph) for k in reports}
    assert reports and all(AssetKey("calibration") in upstream[k] for k in reports)
    # the privacy scan and the product check run on the staged products before anything is published
    assert AssetKey("site") in graph.get(AssetKey("publication")).parent_keys
    specs = [spec for ad in graph.assets_defs for spec in ad.check_specs if spec.asset_key == AssetKey("site")]
    assert {spec.name for spec in specs if spec.blocking} == {"privacy_scan", "product_check"}
    for calibration in ("calibration", "site_calibration"):
        assert all(AssetKey(calibration) in upstream[k] for k in reports)


def test_the_data_dictionary_in_docs_is_generated_from_the_registry():
    from praevention.tables import PROJECT_ROOT_DOC, data_dictionary

    assert PROJECT_ROOT_DOC.read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data-dictionary.md is stale: run `make docs`"
    )


def test_every_asset_has_owners_kinds_tags_and_a_code_version():
    graph = defs.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        assert node.owners == ["team:praeventionsmonitor"], key
        assert node.kinds, key
        assert node.tags.get("layer") in {"source", "evaluation", "product"}, key
        assert node.code_version, key
        if node.group_name != "reports":
            assert "duckdb" in node.kinds, key


def test_the_sensor_and_the_fetch_schedule_start_switched_off_outside_a_deployment(monkeypatch):
    """Off by default; on only where the server's settings say so (PRAEVENTION_SENSORS=on), and then only as the
    default an operator's choice in the UI overrides. The monthly download stays off until switched on."""
    from dagster import DefaultScheduleStatus, DefaultSensorStatus

    from pipelines.sensors import default_status

    assert {s.name for s in defs.sensors} == {"stale_assets"}
    monkeypatch.delenv("PRAEVENTION_SENSORS", raising=False)
    assert default_status() == DefaultSensorStatus.STOPPED
    monkeypatch.setenv("PRAEVENTION_SENSORS", "on")
    assert default_status() == DefaultSensorStatus.RUNNING
    (schedule,) = defs.schedules
    assert schedule.name == "monthly_fetch" and schedule.default_status == DefaultScheduleStatus.STOPPED
    assert schedule.job_name == "fetch"


def test_the_cli_takes_debug_after_the_subcommand_and_tells_its_version(capsys):
    import pytest

    from pipelines.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["run", "--debug"]).debug is True
    assert parser.parse_args(["--debug", "run"]).debug is True
    assert parser.parse_args(["run"]).debug is False
    with pytest.raises(SystemExit):
        parser.parse_args(["--version"])
    assert capsys.readouterr().out.startswith("praevention ")
