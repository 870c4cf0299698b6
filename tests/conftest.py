"""Shared fixtures. Real data lives in ../shared/data beside the project; tests that need it fail
(never skip) when it is missing, because CI must run them."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import settings

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


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory, shared_data) -> Path:
    """One ingest of the real data for the whole session (about 35 s)."""
    from pipelines.cli import main

    path = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
    assert main(["ingest", "--raw-dir", str(shared_data), "--warehouse", str(path)]) == 0
    return path
