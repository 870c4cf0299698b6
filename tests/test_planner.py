"""The run planner on a small asset graph: what is due, in which wave, and where the work stops.

    a ──► b ──► c        a, b ──► d        a ──► x, y (one step writes both)

b has a blocking check.

Each asset's data version is a value the test sets (what it "wrote"); the runs are real Dagster runs in an
ephemeral instance (``materialize``), planned by :func:`pipelines.engine.next_wave` until nothing is due.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import (
    AssetCheckResult,
    AssetKey,
    AssetSpec,
    DagsterInstance,
    DataVersion,
    MaterializeResult,
    asset,
    asset_check,
    materialize,
    multi_asset,
)

from pipelines import engine, records

#: what each asset writes (its data version), whether b's blocking check passes, the warehouse's target
WRITES: dict[str, str] = {}
CHECK: dict[str, object] = {}


def _result(name: str, key: str | None = None) -> MaterializeResult:
    return MaterializeResult(
        asset_key=key, data_version=DataVersion(WRITES[name]), metadata={records.TARGET: CHECK["target"]}
    )


def graph_assets(code: str = "1") -> list:
    @asset(name="a", code_version=code)
    def a() -> MaterializeResult:
        return _result("a")

    @asset(name="b", deps=["a"], code_version="1")
    def b() -> MaterializeResult:
        return _result("b")

    @asset(name="c", deps=["b"], code_version="1")
    def c() -> MaterializeResult:
        return _result("c")

    @asset(name="d", deps=["a", "b"], code_version="1")
    def d() -> MaterializeResult:
        return _result("d")

    @multi_asset(specs=[AssetSpec("x", deps=["a"], code_version="1"), AssetSpec("y", deps=["a"], code_version="1")])
    def xy():
        yield _result("x", "x")
        yield _result("y", "y")

    return [a, b, c, d, xy]


@asset_check(asset="b", blocking=True)
def b_ok() -> AssetCheckResult:
    return AssetCheckResult(passed=CHECK["passes"])


@pytest.fixture
def world(tmp_path: Path):
    WRITES.update({"a": "a1", "b": "b1", "c": "c1", "d": "d1", "x": "x1", "y": "y1"})
    settings = engine.Settings(raw_dir=tmp_path, warehouse=tmp_path / "w.duckdb", out_dir=tmp_path / "out")
    settings.warehouse.touch()
    CHECK.update(passes=True, target=settings.target(None))
    with DagsterInstance.ephemeral() as instance:
        yield instance, settings


def waves(instance: DagsterInstance, settings: engine.Settings, assets: list) -> list[dict[str, str]]:
    """Plan and run wave after wave until nothing is due (or a run fails); the waves with their reasons."""
    graph = engine.Graph.of(assets, [b_ok])
    done = []
    while wave := engine.next_wave(instance, graph, settings):
        done.append({k.to_user_string(): reason for k, reason in wave.items()})
        result = materialize([*assets, b_ok], instance=instance, selection=list(wave), raise_on_error=False)
        if not result.success:
            break
        assert len(done) < 10, done
    return done


def test_everything_runs_once_then_nothing(world) -> None:
    instance, settings = world
    first = waves(instance, settings, graph_assets())
    assert len(first) == 1 and set(first[0]) == set(WRITES)
    assert set(first[0].values()) == {"noch nie erzeugt"}
    assert waves(instance, settings, graph_assets()) == []


def test_new_code_with_the_same_result_stops_there(world) -> None:
    instance, settings = world
    waves(instance, settings, graph_assets())
    assert waves(instance, settings, graph_assets(code="2")) == [{"a": "Programm geändert"}]
    assert waves(instance, settings, graph_assets(code="2")) == []


def test_a_changed_result_spreads_wave_by_wave_and_stops_where_results_stay(world) -> None:
    instance, settings = world
    waves(instance, settings, graph_assets())
    WRITES["a"] = "a2"  # a writes something new; b, d, x and y write what they wrote before
    assert waves(instance, settings, graph_assets(code="2")) == [
        {"a": "Programm geändert"},
        {
            "b": "Eingaben geändert: a",
            "d": "Eingaben geändert: a",
            "x": "Eingaben geändert: a",
            "y": "Eingaben geändert: a",
        },
    ]  # c reads only b, which came out as before
    WRITES["a"], WRITES["b"] = "a3", "b3"  # now b's result changes too: c follows in a third wave
    found = waves(instance, settings, graph_assets(code="3"))
    assert [set(w) for w in found] == [{"a"}, {"b", "d", "x", "y"}, {"c"}]
    assert found[2] == {"c": "Eingaben geändert: b"}  # d ran after b in the same run and read b3 already


def test_one_step_writes_both_assets_or_neither(world) -> None:
    instance, settings = world
    waves(instance, settings, graph_assets())
    instance.wipe_assets([AssetKey("y")])
    assert waves(instance, settings, graph_assets()) == [{"x": "erzeugt zusammen mit y", "y": "noch nie erzeugt"}]


def test_a_failed_blocking_check_is_run_again_first_and_nothing_downstream_reads_its_result(world) -> None:
    instance, settings = world
    waves(instance, settings, graph_assets())
    WRITES["a"], WRITES["b"], CHECK["passes"] = "a2", "b2", False
    found = waves(instance, settings, graph_assets(code="2"))
    assert [set(w) for w in found] == [{"a"}, {"b", "d", "x", "y"}]  # d is skipped behind b's failed check
    again = waves(instance, settings, graph_assets(code="2"))
    assert again == [
        {"b": "blockierende Prüfung b_ok nicht bestanden", "c": "Eingaben geändert: b", "d": "Eingaben geändert: a, b"}
    ]  # every run tries b with its check first; c and d wait behind it
    assert waves(instance, settings, graph_assets(code="2")) == again
    CHECK["passes"] = True
    assert [set(w) for w in waves(instance, settings, graph_assets(code="2"))] == [{"b", "c", "d"}]
    assert waves(instance, settings, graph_assets(code="2")) == []
