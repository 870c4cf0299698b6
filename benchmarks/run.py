"""All benchmarks of the Präventionsmonitor, printed as a Markdown table (nothing is asserted).

    uv run python benchmarks/run.py [--raw-dir ../shared/data] [--skip-germany]

1. Unfallatlas ingest at Germany scale (2.43 million records, :mod:`benchmarks.germany_scale`): the
   project's DuckDB reader against plain pandas (registered in DuckDB, or written with ``to_sql``), each
   in its own process, with its peak memory; each three times, alternating, because a shared 2-core
   machine's speed drifts (median and range). The typed parse alone is the floor under any DuckDB ingest
   and bounds the ratio.
2. The full Sachsen-Anhalt pipeline from the raw files to every output (``praevention run --full``).
3. An incremental run after one register row changed: what re-ran and how long it took.
4. Rendering 218 fact sheets (plus one per body) and every map for a synthetic Land of 218 Gemeinden.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    import os

    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - started, proc.stdout + proc.stderr


def germany_ingest(rows: list[tuple[str, str]], repeats: int) -> None:
    """Each approach ``repeats`` times, alternating (the machine's load drifts): median and range."""
    from benchmarks.germany_scale import generate

    zips = generate(ROOT / "benchmarks" / "out" / "germany")
    folder = zips[0].parent
    results: dict[str, list[dict]] = {"duckdb": [], "pandas": [], "pandas_to_sql": [], "scan": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            for approach in results:
                _, out = _run(
                    [sys.executable, "benchmarks/unfallatlas_ingest.py", approach, str(folder), f"{tmp}/{approach}.db"]
                )
                results[approach].append(json.loads(out.strip().splitlines()[-1]))
    seconds = {a: sorted(r["seconds"] for r in runs) for a, runs in results.items()}
    peak = {a: max(r["peak_mb"] for r in runs) / 1024 for a, runs in results.items()}
    d, p = statistics.median(seconds["duckdb"]), statistics.median(seconds["pandas"])

    def spread(a: str) -> str:
        return f"median of {repeats}, range {seconds[a][0]:.1f}–{seconds[a][-1]:.1f} s; peak {peak[a]:.2f} GB"

    records = results["duckdb"][0]["rows"]
    rows.append(
        (
            f"Unfallatlas ingest, 9 files, {records:,} records (DuckDB reader, checks, quarantine, atomic write)",
            f"{d:.1f} s ({spread('duckdb')})",
        )
    )
    rows.append(
        (
            "same files, plain pandas (read_csv per file, concat, CREATE TABLE; no checks)",
            f"{p:.1f} s ({spread('pandas')})",
        )
    )
    rows.append(("speed ratio pandas / DuckDB reader (medians)", f"{p / d:.2f}×"))
    t = statistics.median(seconds["pandas_to_sql"])
    rows.append(
        (
            "same files, pandas with its own writer (read_csv per file, concat, `to_sql` into SQLite; no checks)",
            f"{t:.1f} s ({spread('pandas_to_sql')}); ratio to the DuckDB reader {t / d:.2f}×",
        )
    )
    s = statistics.median(seconds["scan"])
    rows.append(
        (
            "floor under any DuckDB ingest: unzip and typed parse of every column, nothing kept (`scan`)",
            f"{s:.1f} s ({spread('scan')}); pandas / floor {p / s:.2f}×",
        )
    )


def full_and_incremental(raw: Path, rows: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        register = Path(tmp) / "register"
        shutil.copytree(raw / "councils", register)
        base = [
            "uv",
            "run",
            "praevention",
            "run",
            "--raw-dir",
            str(raw),
            "--warehouse",
            f"{tmp}/w.duckdb",
            "--out",
            f"{tmp}/out",
            "--register",
            str(register),
        ]
        instance = {"DAGSTER_HOME": f"{tmp}/dagster_home"}  # a fresh Dagster instance for the measurement
        seconds, _ = _run([*base, "--full"], instance)
        rows.append(
            (
                "Sachsen-Anhalt, full pipeline from the raw files to all outputs (`praevention run --full`)",
                f"{seconds:.1f} s",
            )
        )
        measures = next(register.glob("*massnahmen*.csv"))
        with measures.open(encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        table[1][table[0].index("measure_as_in_source")] += " (geändert)"  # one register row changes
        with measures.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(table)
        before = _stamps(Path(tmp) / "out")
        seconds, log = _run(base, instance)
        ran = re.findall(r"praevention run: \d+ (?:Schritt\(e\)|asset\(s\)): (.*)", log)  # one line per wave
        rows.append(
            (
                f"incremental run after one register row changed (re-ran in {len(ran)} wave(s): "
                f"{'; '.join(ran) if ran else '?'})",
                f"{seconds:.1f} s",
            )
        )
        after = _stamps(Path(tmp) / "out")
        kinds = sorted({p.suffix for p in after})
        written = {k: sum(1 for p, t in after.items() if p.suffix == k and before.get(p) != t) for k in kinds}
        total = {k: sum(1 for p in after if p.suffix == k) for k in kinds}
        rows.append(
            (
                "output files the incremental run wrote, by type (the render caches keep the rest)",
                ", ".join(f"{k.lstrip('.')} {written[k]} of {total[k]}" for k in kinds),
            )
        )


def _stamps(out: Path) -> dict[Path, int]:
    """Modification time of every product file (not the run's own state files)."""
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}


def render(rows: list[tuple[str, str]]) -> None:
    from praevention.render import products
    from tests.render.synthetic_land import make_report_data

    data = make_report_data(218, synthetic=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        sheets = products.fact_sheets(data, out)
        maps = products.maps_and_charts(data, out)
        seconds = time.perf_counter() - started
    rows.append(
        (
            f"render {len(data.gemeinden)} Gemeinde + {len(data.bodies)} body fact sheets ({len(sheets)} files) "
            f"and all maps and charts ({len(maps.files)} files)",
            f"{seconds:.1f} s",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-germany", action="store_true", help="skip the 2.4-million-record ingest")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each ingest approach (default 3)")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if not args.skip_germany:
        germany_ingest(rows, args.repeats)
    full_and_incremental(args.raw_dir.resolve(), rows)
    render(rows)
    print("| benchmark | result |\n|---|---|")
    for what, result in rows:
        print(f"| {what} | {result} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
