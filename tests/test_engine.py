"""The CLI runs in the persistent Dagster instance: the instance shows the latest materialization and check
results of every asset, an unchanged re-run does nothing, and a failed blocking check fails every run,
with the same message and nothing published, until its input changes.

One Demoland run (in a Dagster instance of its own) serves the whole module; the tests run in order.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from dagster import DagsterInstance
from dagster._core.definitions.data_version import DATA_VERSION_TAG
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from pipelines.cli import main
from praevention.demo.generate import LAND
from praevention.publish.privacy_scan import scan
from tests.conftest import table_digest

CONTACT = "Erika Musterfrau"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("engine")
    env = {"DAGSTER_HOME": str(root / "dagster_home"), "PRAEVENTION_LAND": LAND, "PRAEVENTION_SYNTHETIC": "1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert main(["demo", "--out", str(root / "demo")]) == 0
        yield root / "demo"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(out: Path, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    capsys.readouterr()
    code = main(
        ["run", "--raw-dir", str(out / "rohdaten"), "--warehouse", str(out / "warehouse.duckdb"), "--out", str(out)]
    )
    return code, capsys.readouterr().err


def blocking_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("praevention: blockierende Prüfung nicht bestanden:")]


def published(out: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file people see (not the raw data, warehouse or caches)."""
    return {
        str(p.relative_to(out)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file() and not {"rohdaten", ".cache"} & set(p.relative_to(out).parts) and "warehouse" not in p.name
    }


def test_the_instance_shows_every_assets_latest_materialization_and_checks(demo_run: Path) -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    with DagsterInstance.get() as instance:
        assert instance.is_persistent
        for key in graph.materializable_asset_keys:
            entry = instance.get_latest_materialization_event(key)
            assert entry is not None, key
            materialization = entry.asset_materialization
            assert materialization.tags.get(DATA_VERSION_TAG), key
            assert str(demo_run) in materialization.metadata["target"].value, key
        checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(graph.asset_check_keys))
        assert set(checks) == set(graph.asset_check_keys)
        blocking = {spec.key for ad in graph.assets_defs for spec in ad.check_specs if spec.blocking}
        assert {k for k in blocking if checks[k].status != AssetCheckExecutionRecordStatus.SUCCEEDED} == set()
    # `praevention plan` without --warehouse reads the warehouse of that run
    from pipelines.commands.plan import plan_warehouse

    assert plan_warehouse(None) == demo_run / "warehouse.duckdb"


def test_an_unchanged_rerun_materialises_nothing(demo_run: Path, capsys) -> None:
    code, err = run(demo_run, capsys)
    assert code == 0, err
    assert "Alles ist aktuell" in err


def _plant_contact(register: Path, contact: str | None) -> None:
    """Give the first body a contact column (allowed: never stored) and, with ``contact``, leak the name
    into a measure title, which every product shows."""
    wb = openpyxl.load_workbook(register)
    bodies, measures = wb["Gremien"], wb["Maßnahmen"]
    if bodies.cell(1, bodies.max_column).value != "Ansprechpartner":
        bodies.cell(1, bodies.max_column + 1, "Ansprechpartner")
    bodies.cell(2, bodies.max_column, CONTACT)
    title = str(measures.cell(2, 3).value).split(" (")[0]
    measures.cell(2, 3, f"{title} ({contact})" if contact else title)
    wb.save(register)


def test_a_privacy_leak_fails_every_run_and_leaves_no_leaking_file(demo_run: Path, capsys) -> None:
    register = demo_run / "rohdaten" / "councils" / "register.xlsx"
    _plant_contact(register, CONTACT)
    code, err = run(demo_run, capsys)
    assert code == 1, err
    assert blocking_lines(err) == [line for line in blocking_lines(err) if "site / privacy_scan" in line] != []
    assert scan(demo_run, {CONTACT})[0] == []
    again, err_again = run(demo_run, capsys)
    assert again == 1, err_again
    assert blocking_lines(err_again) == blocking_lines(err)
    assert scan(demo_run, {CONTACT})[0] == []
    # the input no longer leaks: the run passes and the removed files are back
    _plant_contact(register, None)
    fixed, err_fixed = run(demo_run, capsys)
    assert fixed == 0, err_fixed
    assert (demo_run / "index.html").is_file() and (demo_run / "ministerium" / "bericht.pdf").is_file()


def _duplicate_an_accident(accidents: Path) -> None:
    path = sorted(accidents.glob("Unfallorte*_CSV.zip"))[0]
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in members if n.endswith(".csv"))
    lines = members[name].decode("utf-8").splitlines()
    members[name] = ("\n".join([*lines, lines[-1]]) + "\n").encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    path.write_bytes(buf.getvalue())


def test_a_duplicate_accident_key_fails_every_run_and_publishes_nothing(demo_run: Path, capsys) -> None:
    files = published(demo_run)
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        panel = table_digest(con, "panel")
    _duplicate_an_accident(demo_run / "rohdaten" / "accidents")
    code, err = run(demo_run, capsys)
    assert code == 1, err
    assert blocking_lines(err) == ["praevention: blockierende Prüfung nicht bestanden: accident_points / key_unique"]
    again, err_again = run(demo_run, capsys)
    assert again == 1, err_again
    assert blocking_lines(err_again) == blocking_lines(err)
    assert "Alles ist aktuell" not in err_again
    assert published(demo_run) == files
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        assert table_digest(con, "panel") == panel
