"""The CLI runs in the persistent Dagster instance: the instance shows the latest materialization and check
results of every asset, an unchanged re-run does nothing, a register saved again with the same rows re-runs
nothing downstream, a changed title re-runs what shows it but not the calibration, files gone are rendered
again, and a failed blocking check fails every run, with the same message and nothing published, until its
input changes.

The session's Demoland run (in the demo's own Dagster instance, never the one of the real runs, see
tests/conftest.py) serves the whole module in the folder it ran in; the later runs use the demo's instance;
the tests run in order.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest
from dagster import DagsterInstance

from pipelines.cli import main
from pipelines.commands.demo import DEMO_INSTANCE
from pipelines.engine import DATA_VERSION_TAG
from praevention.demo.generate import LAND
from praevention.publish.privacy_scan import scan
from tests.conftest import DEMO_ENV, DemoRun, table_digest

CONTACT = "Erika Musterfrau"


@pytest.fixture(scope="module")
def demo_run(demo_run: DemoRun) -> Iterator[Path]:
    """The session's demo (run while ``$DAGSTER_HOME`` named the instance of the real runs), in the folder it
    ran in, which this module changes; the module's later runs use the demo's own instance."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(demo_run.real_home))
        for name, value in DEMO_ENV.items():
            mp.setenv(name, value)
        yield demo_run.ran_in


def run(out: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """``praevention run`` on the demo's files, in the demo's instance."""
    monkeypatch.setenv("DAGSTER_HOME", str(out / DEMO_INSTANCE))
    capsys.readouterr()
    code = main(
        ["run", "--raw-dir", str(out / "rohdaten"), "--warehouse", str(out / "warehouse.duckdb"), "--out", str(out)]
    )
    return code, capsys.readouterr().err


def materialised(err: str) -> set[str]:
    """The steps a run's display marked done (``  ✓ register (1.2 s)``)."""
    return {line.split()[1] for line in err.splitlines() if line.startswith("  ✓ ")}


def blocking_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("praevention: blockierende Prüfung nicht bestanden:")]


def published(out: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file people see (not the raw data, warehouse, caches or the demo's
    Dagster instance)."""
    return {
        str(p.relative_to(out)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file()
        and not {"rohdaten", ".cache", DEMO_INSTANCE} & set(p.relative_to(out).parts)
        and "warehouse" not in p.name
    }


def test_the_demos_instance_shows_every_assets_latest_materialization_and_checks(demo_run: Path) -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    with DagsterInstance.from_config(str(demo_run / DEMO_INSTANCE)) as instance:
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
        assert {k for k in blocking if not checks[k].event.asset_check_evaluation.passed} == set()


def test_the_demo_leaves_the_real_runs_instance_and_plan_alone(demo_run: Path) -> None:
    """``$DAGSTER_HOME`` named the real runs' instance while the demo ran: the demo did not even create it, and
    `praevention plan` does not read the demo's warehouse."""
    from pipelines.commands.plan import plan_warehouse

    assert not Path(os.environ["DAGSTER_HOME"]).exists()
    assert plan_warehouse(None) != demo_run / "warehouse.duckdb"


def test_an_unchanged_rerun_materialises_nothing(demo_run: Path, capsys, monkeypatch) -> None:
    code, err = run(demo_run, capsys, monkeypatch)
    assert code == 0, err
    assert "Alles ist aktuell" in err


def test_the_sensor_requests_what_the_planner_finds_due_once_per_state(demo_run: Path) -> None:
    from dagster import RunRequest, SkipReason, build_sensor_context

    from pipelines.definitions import build_definitions
    from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
    from pipelines.sensors import stale_assets

    paths = {"raw_dir": str(demo_run / "rohdaten"), "warehouse": str(demo_run / "warehouse.duckdb")}
    resources = {
        "raw_data": RawData(raw_dir=paths["raw_dir"], land=LAND),
        "warehouse": DuckDBWarehouse(path=paths["warehouse"]),
        "report_settings": ReportSettings(out_dir=str(demo_run), synthetic=True),
    }
    defs = build_definitions(**paths, out_dir=str(demo_run), synthetic=True, land=LAND)
    register = demo_run / "rohdaten" / "councils" / "register.xlsx"
    original = register.read_bytes()
    with DagsterInstance.from_config(str(demo_run / DEMO_INSTANCE)) as instance:

        def tick():
            return stale_assets(build_sensor_context(instance=instance, definitions=defs, resources=resources))

        assert isinstance(tick(), SkipReason)
        openpyxl.load_workbook(register).save(register)
        try:
            first, again = tick(), tick()
        finally:
            register.write_bytes(original)
        assert isinstance(first, RunRequest)
        assert {k.to_user_string() for k in first.asset_selection} == {"register_bodies", "register_measures"}
        assert again.run_key == first.run_key  # the same state: Dagster launches it once
        assert isinstance(tick(), SkipReason)


def test_the_register_saved_again_with_the_same_rows_reruns_nothing_downstream(demo_run: Path, capsys, monkeypatch):
    register = demo_run / "rohdaten" / "councils" / "register.xlsx"
    before = register.read_bytes()
    openpyxl.load_workbook(register).save(register)  # other bytes (time stamps), the same rows
    assert register.read_bytes() != before
    code, err = run(demo_run, capsys, monkeypatch)
    assert code == 0, err
    assert materialised(err) == {"register"}
    again, err_again = run(demo_run, capsys, monkeypatch)
    assert again == 0 and "Alles ist aktuell" in err_again


def test_a_product_whose_files_are_gone_is_rendered_again(demo_run: Path, capsys, monkeypatch) -> None:
    sheet = next((demo_run / "steckbriefe").glob("*.pdf"))
    sheet.unlink()
    code, err = run(demo_run, capsys, monkeypatch)
    assert code == 0, err
    assert materialised(err) == {"publication"}  # published again from the checked staging folder
    assert sheet.is_file()


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


def test_a_privacy_leak_fails_every_run_and_publishes_nothing(demo_run: Path, capsys, monkeypatch) -> None:
    """A contact name in a measure's title: what shows the title runs again, the panel and the calibration (which
    read no text of the register) do not; the leak, found in the staged products, fails the run and every run
    after it, and nothing is published or deleted."""
    files = published(demo_run)
    register = demo_run / "rohdaten" / "councils" / "register.xlsx"
    _plant_contact(register, CONTACT)
    code, err = run(demo_run, capsys, monkeypatch)
    assert code == 1, err
    assert blocking_lines(err) == [line for line in blocking_lines(err) if "site / privacy_scan" in line] != []
    assert published(demo_run) == files  # found in the staged products: nothing published, nothing deleted
    assert {"register", "measure_effects", "treated_units", "site"} <= materialised(err)
    assert not {"panel", "calibration", "crime_cases", "accident_screening", "site_calibration"} & materialised(err)
    assert scan(demo_run, {CONTACT})[0] == []
    again, err_again = run(demo_run, capsys, monkeypatch)
    assert again == 1, err_again
    assert blocking_lines(err_again) == blocking_lines(err)
    assert published(demo_run) == files and scan(demo_run, {CONTACT})[0] == []
    # the input no longer leaks: the run passes and publishes
    _plant_contact(register, None)
    fixed, err_fixed = run(demo_run, capsys, monkeypatch)
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


def test_a_duplicate_accident_key_fails_every_run_and_publishes_nothing(demo_run: Path, capsys, monkeypatch) -> None:
    files = published(demo_run)
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        panel = table_digest(con, "panel")
    _duplicate_an_accident(demo_run / "rohdaten" / "accidents")
    code, err = run(demo_run, capsys, monkeypatch)
    assert code == 1, err
    assert blocking_lines(err) == ["praevention: blockierende Prüfung nicht bestanden: accident_points / key_unique"]
    lines = err.splitlines()
    first = lines[lines.index(blocking_lines(err)[0]) + 1]  # the first offending row, with its file and line
    assert "Unfallorte" in first and ", Zeile " in first and "accident_uid" in first, first
    again, err_again = run(demo_run, capsys, monkeypatch)
    assert again == 1, err_again
    assert blocking_lines(err_again) == blocking_lines(err)
    assert "Alles ist aktuell" not in err_again
    assert published(demo_run) == files
    with duckdb.connect(str(demo_run / "warehouse.duckdb"), read_only=True) as con:
        assert table_digest(con, "panel") == panel
