"""End to end: `praevention ingest` on the real data fills every table, balances its rows, is idempotent."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.cli import main
from praevention.readers.pks import ALL_OFFENCES
from praevention.register.schema import LSA_KREISE
from tests.conftest import table_digest

TABLES = ["crime_cases", "crime_city_stats", "accident_points", "accident_counts", "boundaries", "population"]
LSA = f"ags IN {LSA_KREISE}"


def scalar(con, sql):
    return con.execute(sql).fetchone()[0]


def test_real_ingest_fills_every_table(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    for t in TABLES:
        assert scalar(con, f"SELECT count(*) FROM {t}") > 0, t
    assert (
        scalar(
            con, f"SELECT sum(cases) FROM crime_cases WHERE offence_key = '{ALL_OFFENCES}' AND year = 2021 AND {LSA}"
        )
        == 158292
    )
    assert scalar(con, "SELECT count(DISTINCT year) FROM crime_cases") == 11
    assert scalar(con, "SELECT count(*) FROM accident_points WHERE ags = '15003000' AND year = 2023") == 925
    assert scalar(con, "SELECT count(DISTINCT ags) FROM population WHERE ags LIKE '15%'") == 218
    assert scalar(con, "SELECT count(*) FROM boundaries WHERE level = 'Gemeinde' AND ags LIKE '15%'") == 2 * 218
    types = dict((r[0], r[1]) for r in con.execute("DESCRIBE accident_points").fetchall())
    assert types["geom_25832"].startswith("GEOMETRY") and types["geom_4326"].startswith("GEOMETRY")
    # the point geometries are virtual: computed from the stored coordinates, readable without the extension
    wkt, x, y = con.execute("SELECT ST_AsText(geom_25832), x_25832, y_25832 FROM accident_points LIMIT 1").fetchone()
    assert tuple(float(v) for v in wkt.removeprefix("POINT (").removesuffix(")").split()) == (x, y)
    assert con.execute("SELECT count(geom_4326) FROM accident_points").fetchone()[0] > 0
    # rows read = rows loaded + rows quarantined, for every file
    assert scalar(con, "SELECT count(*) FROM ingest_log WHERE rows_read <> rows_loaded + rows_quarantined") == 0
    per_asset = dict(con.execute("SELECT asset, count(*) FROM quarantine GROUP BY 1").fetchall())
    logged = dict(con.execute("SELECT asset, sum(rows_quarantined) FROM ingest_log GROUP BY 1").fetchall())
    for asset, n in per_asset.items():
        assert logged[asset] == n
    assert per_asset["boundaries"] == 132  # water-only parts
    con.close()


def test_ingest_twice_gives_identical_tables(real_warehouse, tmp_path, shared_data):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    before = {t: table_digest(con, t) for t in [*TABLES, "quarantine", "ingest_log"]}
    con.close()
    assert main(["ingest", "--raw-dir", str(shared_data), "--warehouse", str(real_warehouse)]) == 0
    con = duckdb.connect(str(real_warehouse), read_only=True)
    after = {t: table_digest(con, t) for t in before}
    con.close()
    assert before == after


def test_clear_errors_without_traceback(tmp_path, capsys):
    assert main(["ingest", "--raw-dir", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "gibt es nicht" in err and "Traceback" not in err
    raw = tmp_path / "raw" / "crime"
    raw.mkdir(parents=True)
    (raw / "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv").write_bytes(b"1;2;3\nSchluessel;Straftat;Gemeindeschluessel\n")
    code = main(["ingest", "--raw-dir", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "w.duckdb")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv" in err and "unknown PKS layout" in err


@pytest.mark.parametrize("table", TABLES)
def test_documented_columns_match_the_warehouse(real_warehouse, table):
    from praevention.tables import BY_NAME

    con = duckdb.connect(str(real_warehouse), read_only=True)
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    con.close()
    assert set(cols) == set(BY_NAME[table].columns)
