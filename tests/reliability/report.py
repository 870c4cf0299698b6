"""The figures of ``docs/reliability.md``, measured, printed as Markdown.

    uv run python -m tests.reliability.report [--outputs reports/] > docs/reliability.md

Runs the malformed-input corpus, kill-and-rerun trials on a large write, three ingests of the real data
and three renders of the synthetic Land (determinism), and the privacy scan (on a synthetic render and,
with ``--outputs``, on a real output folder). Takes about five minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tests.conftest import PROJECT_ROOT, SHARED_DATA, table_digest
from tests.reliability.corpus import CASES, run_case, summary
from tests.reliability.test_crash_and_concurrency import NEW, OLD, WRITER, _complete, _state


def corpus() -> list[str]:
    outcomes = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            outcomes.append((case, run_case(case, Path(tmp))))
    df = summary(outcomes)
    df["as expected"] = df["expected"] == df["outcome"]
    by_source = df.groupby("source").agg(
        inputs=("case", "size"),
        errors=("outcome", lambda s: int((s == "error").sum())),
        refused=("outcome", lambda s: int((s == "refused").sum())),
        quarantined=("outcome", lambda s: int((s == "quarantine").sum())),
        caught_by_check=("outcome", lambda s: int((s == "check").sum())),
        loaded=("outcome", lambda s: int((s == "loaded").sum())),
        rows_quarantined=("rows_quarantined", "sum"),
        as_expected=("as expected", "sum"),
    )
    lines = [
        f"## Malformed inputs\n\n{len(df)} inputs generated from the real files (`tests/reliability/corpus.py`), "
        f"{int(df['as expected'].sum())} with the expected outcome; none crashed, none left a partly filled table, "
        "and rows read = rows loaded + rows quarantined held for every file. Outcomes: *error* – the source "
        "stops with one line naming the files; *refused* – the file is not loaded and named with its reason "
        "(run summary, `ingest_log`, check `files_readable`) while the source's other files load; *quarantine* "
        "– the bad rows are kept in `quarantine` with their reason; *check* – an asset check flags the load "
        "(blocking ones stop the joins); *loaded* – read correctly (the figures are asserted in "
        "`tests/readers/test_pks.py` and `tests/test_ingest_files.py`).\n",
        "| source | inputs | error | refused | quarantine (inputs) | check | loaded | rows quarantined | as expected |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for src, r in by_source.iterrows():
        lines.append(
            f"| {src} | {r.inputs} | {r.errors} | {r.refused} | {r.quarantined} | {r.caught_by_check} | {r.loaded} | "
            f"{r.rows_quarantined} | {r.as_expected} |"
        )
    lines += ["", "| source | input | outcome | reason (shortened) |", "|---|---|---|---|"]
    for r in df.itertuples():
        reason = _without_paths(r.message)[:110] if r.outcome in ("error", "refused") else r.message[:110]
        lines.append(f"| {r.source} | {r.case} | {r.outcome} | {reason.replace('|', '/')} |")
    return lines


def _without_paths(message: str) -> str:
    """A message with the temporary folders of the case cut from the file names it gives."""
    import re

    return re.sub(r"/\S*/raw/", "", message)


def kills(trials: tuple[float, ...] = (0.2, 0.5, 0.8, 1.2, 2.0)) -> list[str]:
    rows = []
    for delay in trials:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "w.duckdb"
            _complete(path, OLD)
            with subprocess.Popen(
                [sys.executable, "-c", WRITER, str(path), str(NEW)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
            ) as proc:
                proc.stdout.readline()
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            n, _, leftovers = _state(path)
            state = "old table intact" if n == OLD else "new table complete" if n == NEW else f"BROKEN ({n} rows)"
            rerun = _complete(path, NEW) == 0 and _state(path)[0] == NEW
            rows.append(f"| {delay:.1f} s | {state} | {len(leftovers)} | {'complete' if rerun else 'FAILED'} |")
    return [
        "## Kill and re-run\n",
        f"A write of {NEW:,} rows over a table of {OLD:,} rows, killed with SIGKILL after the given delay, then "
        "re-run (`tests/reliability/test_crash_and_concurrency.py` runs three of these, and kills a real "
        "`praevention ingest` mid-way and compares the re-run's tables with a clean ingest).\n",
        "| killed after | warehouse after the kill | staging tables dropped | re-run |",
        "|---|---|---|---|",
        *rows,
    ]


def _outputs_digest(out: Path) -> dict[str, str]:
    digests = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file() or ".cache" in p.parts:
            continue
        digests[p.relative_to(out).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digests


def determinism() -> list[str]:
    from pipelines.cli import main
    from tests.render.synthetic_land import make_report_data, render_products
    from tests.test_ingest import TABLES

    with tempfile.TemporaryDirectory() as tmp:
        table_runs = []
        for i in range(3):
            path = Path(tmp) / f"w{i}.duckdb"
            main(["ingest", "--raw-dir", str(SHARED_DATA), "--warehouse", str(path)])
            con = duckdb.connect(str(path), read_only=True)
            table_runs.append({t: table_digest(con, t) for t in [*TABLES, "quarantine", "ingest_log"]})
            con.close()
        output_runs = []
        for i in range(3):
            out = Path(tmp) / f"out{i}"
            render_products(make_report_data(24), out)
            output_runs.append(_outputs_digest(out))
    same_tables = sum(all(r[t] == table_runs[0][t] for r in table_runs) for t in table_runs[0])
    same_files = sum(all(r.get(f) == output_runs[0][f] for r in output_runs) for f in output_runs[0])
    return [
        "## Determinism\n",
        f"* Three ingests of `../shared/data` into fresh warehouses: {same_tables} of {len(table_runs[0])} tables "
        "byte-identical (SHA-256 over the sorted content; `ingest_log` holds no timestamps).",
        f"* Three renders of the synthetic Land: {same_files} of {len(output_runs[0])} files byte-identical. PDFs "
        "carry no creation date; XLSX and PPTX carry the data date, also on their zip members; SVG and HTML ids "
        "are derived from the file name. Every output carries the data date (the end of the latest crime or "
        "accident year), not the day of the run, and is written to a temporary file in its folder and renamed "
        "when complete (`praevention/files.py`): a full disk leaves the previous file, never a truncated one.",
    ]


def privacy(outputs: Path | None) -> list[str]:
    from praevention.publish.privacy_scan import register_contact_names, scan
    from praevention.register.load import discover_register_files
    from tests.render.synthetic_land import make_report_data, render_products

    lines = [
        "## Privacy scan\n",
        "| outputs | files scanned by type | contact names checked | findings |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        render_products(make_report_data(24), out)
        findings, coverage = scan(out, {"Erika Musterfrau"})
        lines.append(
            f"| synthetic Land (24 Gemeinden) | {dict(sorted(coverage.items()))} | 1 (planted) | {len(findings)} |"
        )
    if outputs is not None:
        names = register_contact_names(discover_register_files(SHARED_DATA, None))
        findings, coverage = scan(outputs, names)
        lines.append(f"| `{outputs}` (real run) | {dict(sorted(coverage.items()))} | {len(names)} | {len(findings)} |")
    lines.append(
        "\nThe same scan is the blocking asset check `site/privacy_scan` of every `praevention run`. "
        "`tests/render/test_privacy.py` plants an e-mail address in an HTML fact sheet, a phone number in the "
        "workbook and a contact name in a deck, and the scan finds all three."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=Path, help="a real output folder to scan as well (e.g. reports/)")
    args = parser.parse_args()
    started = time.perf_counter()
    lines = [
        "# Reliability\n",
        "Generated by `uv run python -m tests.reliability.report --outputs reports/ > docs/reliability.md` "
        "after `praevention run --raw-dir ../shared/data --out reports/`. Every protection below is also a test "
        "that fails when the protection is removed (`tests/reliability/`, `tests/render/test_privacy.py`).\n",
        *corpus(),
        "",
        *kills(),
        "",
        *determinism(),
        "",
        *privacy(args.outputs),
        "",
    ]
    lines += [
        "## Small numbers\n",
        "One rule, `praevention/render/fmt.py: publish_count`: counts of 1–2 that the pipeline aggregates itself "
        "(Unfallatlas points per Gemeinde) are shown as `<3`, without rate, interval or change; counts the source "
        "publishes itself are shown, and marked `*` in fact sheets of Gemeinden under 1,000 inhabitants. Tested on "
        "the fact sheet (PDF and HTML), the workbook and the map hover text (`tests/render/`). The decks show no "
        "per-Gemeinde counts.\n",
        "## Supply chain\n",
        "Dependencies are pinned in `uv.lock` and installed with `uv sync --frozen`; ruff's security rules (S) run "
        "in CI. `pip-audit` does not work on this network: the package mirror does not serve PyPI's vulnerability "
        'API, so every package comes back "not found on PyPI" (an empty audit, not a clean one). Where pypi.org is '
        "reachable: `uv export --frozen --no-hashes --no-emit-project > req.txt && uv run pip-audit -r req.txt "
        "--no-deps --disable-pip`.\n",
        f"_Measured in {time.perf_counter() - started:.0f} s._",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
