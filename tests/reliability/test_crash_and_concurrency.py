"""A killed run leaves the warehouse consistent, a re-run completes it, and two runs on one warehouse
never write at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, table_digest
from tests.test_ingest import TABLES

WRITER = """
import sys
import pandas as pd
from praevention import warehouse as wh
con = wh.connect(sys.argv[1])
n = int(sys.argv[2])
print("writing", flush=True)
wh.write_asset(con, asset="big", tables=[wh.TableWrite(
    "big_table", "SELECT range AS id, md5(CAST(range AS VARCHAR)) AS h FROM range(?)", order_by=("id",), params=[n])],
    ingest_log=pd.DataFrame([{"source_file": f"rows={n}", "rows_read": n}]))
con.close()
print("done", flush=True)
"""
OLD, NEW = 1_000, 6_000_000


def _write(path: Path, n: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(n)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )


def _complete(path: Path, n: int) -> int:
    cmd = [sys.executable, "-c", WRITER, str(path), str(n)]
    return subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, check=False).returncode


def _state(path: Path) -> tuple[int, str | None, list[str]]:
    from praevention import warehouse as wh

    con = wh.connect(path)
    leftovers = wh.drop_stale_staging(con)
    rows = con.execute("SELECT count(*) FROM big_table").fetchone()[0]
    fp = con.execute("SELECT source_file FROM ingest_log WHERE asset = 'big'").fetchone()
    con.close()
    return rows, fp[0] if fp else None, leftovers


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_sigkill_during_a_large_write_then_rerun(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "w.duckdb"
    assert _complete(path, OLD) == 0
    with _write(path, NEW) as proc:
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    rows, fingerprint, _ = _state(path)
    # the table is the old one with the old log row, or (if the swap had committed) the new one: never a mix
    assert (rows, fingerprint) in {(OLD, f"rows={OLD}"), (NEW, f"rows={NEW}")}
    assert _complete(path, NEW) == 0
    assert _state(path)[:2] == (NEW, f"rows={NEW}")


def test_killed_ingest_reruns_to_the_same_tables(real_warehouse: Path, shared_data: Path, tmp_path: Path) -> None:
    """The third ingest of the same input (after the session's and test_ingest's) is killed mid-way,
    re-run, and must give byte-identical tables."""
    path = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "pipelines.cli", "ingest", "--raw-dir", str(shared_data), "--warehouse", str(path)]
    with subprocess.Popen(cmd, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        for line in proc.stderr:  # kill while a big source is being written
            if "accident_points" in line or "boundaries" in line:
                break
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, check=False).returncode == 0
    got, want = duckdb.connect(str(path), read_only=True), duckdb.connect(str(real_warehouse), read_only=True)
    for table in [*TABLES, "quarantine"]:
        assert table_digest(got, table) == table_digest(want, table), table
    got.close()
    want.close()


def test_a_second_run_on_the_same_warehouse_fails_clearly(tmp_path: Path) -> None:
    from praevention.warehouse import run_lock

    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom praevention.warehouse import run_lock\n"
            "with run_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(30)\n",
            str(path),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(Exception, match=rf"von einem anderen praevention-Lauf benutzt \(PID {holder.pid}"),
            run_lock(path, wait_seconds=0.5),
        ):
            pass
        raw = tmp_path / "raw"
        raw.mkdir()
        proc = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "ingest", "--raw-dir", str(raw), "--warehouse", str(path)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2
        assert f"PID {holder.pid}" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with run_lock(path):  # a killed holder leaves no stale lock behind
        pass
