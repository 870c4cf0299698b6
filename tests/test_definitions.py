"""The whole code location loads, and its public names do not drift."""

from __future__ import annotations

from pipelines.definitions import defs

EXPECTED_ASSETS = {
    "crime_cases",
    "crime_city_stats",
    "accident_points",
    "accident_counts",
    "boundaries",
    "population",
}


def test_definitions_load_with_every_asset_documented():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys >= EXPECTED_ASSETS
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description and len(node.description) > 80, key
        assert node.group_name != "default", key
    defs.resolve_implicit_global_asset_job_def()


def test_every_source_asset_has_blocking_key_and_schema_checks():
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    for name in EXPECTED_ASSETS:
        assert (name, "key_unique") in checks, name
    for name in EXPECTED_ASSETS - {"crime_city_stats"}:
        assert (name, "schema") in checks, name
