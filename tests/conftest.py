"""Shared fixtures. Real data lives in ../shared/data beside the project; tests that need it fail
(never skip) when it is missing, because CI must run them.

The expensive runs happen once per test session: one ``praevention demo`` (:func:`demo_run`) and one
``praevention run`` on the real data (:func:`real_run`, whose warehouse is also :func:`real_warehouse`). Every
test that uses one of them is marked ``slow`` and put in the run's xdist group, so that with
``--dist loadgroup`` all of them land on one worker, which builds the run once; tests that use the real data
are marked ``real_data``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from praevention.demo.generate import LAND as DEMO_LAND

# no timing in tests: a shared machine makes the first call of a property (imports) slow at random
settings.register_profile("project", deadline=None)
settings.load_profile("project")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory: pytest.TempPathFactory):
    """The tests' runs go to a throwaway Dagster instance, never to the project's ``data/dagster_home``."""
    before = os.environ.get("DAGSTER_HOME")
    home = tmp_path_factory.mktemp("dagster_home")
    os.environ["DAGSTER_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = before


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "crime").is_dir():
        pytest.fail(
            f"real data not found at {SHARED_DATA}: these tests must run in CI with ../shared beside the project"
        )
    return SHARED_DATA


def table_digest(con, table: str) -> str:
    """Checksum over a table's sorted content (geometry as WKB), independent of physical row order."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    h = hashlib.sha256(",".join(cols).encode())
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class RealRun:
    """One ``praevention run`` on the real data (../shared/data): its output folder and warehouse."""

    out: Path
    warehouse: Path


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> RealRun:
    """The real run every test of the real products reads (about three minutes, once per session)."""
    from pipelines.cli import main

    root = tmp_path_factory.mktemp("real_run")
    out, warehouse = root / "out", root / "w.duckdb"
    assert main(["run", "--raw-dir", str(shared_data), "--warehouse", str(warehouse), "--out", str(out)]) == 0
    return RealRun(out, warehouse)


@pytest.fixture(scope="session")
def real_warehouse(real_run: RealRun) -> Path:
    """The real data's warehouse: the session's real run ingested every source into it, as
    ``praevention ingest`` does (the run materialises the same source assets first)."""
    return real_run.warehouse


@dataclass(frozen=True)
class DemoRun:
    """One ``praevention demo`` per test session."""

    #: a copy of the demo's folder (raw files, warehouse, products, its Dagster instance) for tests that only read
    out: Path
    #: the folder the demo ran in, which the paths in its Dagster instance name: only for tests/test_engine.py,
    #: which changes its files and runs again in it
    ran_in: Path
    #: ``$DAGSTER_HOME`` while the demo ran, standing for the real runs' instance (the demo must not create it)
    real_home: Path


#: what ``$PRAEVENTION_LAND`` and ``$PRAEVENTION_SYNTHETIC`` say while the demo runs and when it is run again
DEMO_ENV = {"PRAEVENTION_LAND": DEMO_LAND, "PRAEVENTION_SYNTHETIC": "1"}


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """The demo, run once while ``$DAGSTER_HOME`` names the (not yet existing) instance of the real runs, then
    copied: the copy serves the tests that read, the original the one module that changes it."""
    from pipelines.cli import main

    root = tmp_path_factory.mktemp("demo_run")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        for name, value in DEMO_ENV.items():
            mp.setenv(name, value)
        assert main(["demo", "--out", str(root / "demo")]) == 0
    shutil.copytree(root / "demo", root / "copy" / "demo", symlinks=True)
    yield DemoRun(out=root / "copy" / "demo", ran_in=root / "demo", real_home=root / "dagster_home")


#: session fixture → the xdist group of every test that uses it (one worker builds each run)
RUN_GROUPS = {"demo_run": "demo", "real_run": "real", "real_warehouse": "real"}


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks from the fixtures a test uses: ``real_data`` (../shared/data), ``slow`` and the xdist group of a
    session run."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if "shared_data" in used:
            item.add_marker(pytest.mark.real_data)
        groups = {RUN_GROUPS[name] for name in used & set(RUN_GROUPS)}
        if groups:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("+".join(sorted(groups))))
