"""Warehouse connections: the spatial extension is loaded only where a query needs it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets._shared import SQL_CHECKS
from pipelines import definitions  # noqa: F401  (registers every asset check in SQL_CHECKS)
from praevention import warehouse as wh


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ST_Area(geometry) FROM boundaries", True),
        ("SELECT 1 FROM b WHERE st_intersects (a.g, b.g)", True),
        ("SELECT ags, count(*) FROM boundaries GROUP BY ALL", False),
        ("SELECT 'ST_Area(' AS x", True),  # conservative: a false positive only costs the load
        ("SELECT last_value FROM ags_state", False),
    ],
)
def test_uses_spatial(sql: str, expected: bool) -> None:
    assert wh.uses_spatial(sql) is expected


def test_geometry_tables_read_without_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    con = wh.connect(path)
    con.execute("CREATE TABLE shapes AS SELECT 'a' AS ags, ST_GeomFromText('POINT (1 2)') AS geometry")
    con.close()
    plain = wh.connect(path, read_only=True, spatial=False)
    assert plain.execute("SELECT count(*), any_value(typeof(geometry)) FROM shapes").fetchone() == (1, "GEOMETRY")
    with pytest.raises(duckdb.CatalogException, match="spatial"):
        plain.execute("SELECT ST_X(geometry) FROM shapes")
    plain.close()


def test_overlap_check_loads_spatial() -> None:
    overlap = next(s for s in SQL_CHECKS["boundaries"] if s.name == "no_overlaps")
    assert wh.uses_spatial(overlap.sql)
