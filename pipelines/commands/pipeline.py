"""``praevention ingest`` and ``praevention run``: materialise assets in the persistent Dagster instance
(:mod:`pipelines.engine`) with a progress display."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def _paths(parser: argparse.ArgumentParser, *, out: bool) -> None:
    parser.add_argument("--raw-dir", help="raw-data directory (default: $PRAEVENTION_RAW_DIR or data/raw)")
    parser.add_argument("--warehouse", help="DuckDB file (default: $PRAEVENTION_WAREHOUSE or data/warehouse.duckdb)")
    parser.add_argument(
        "--register", help="register file or folder, if not in <raw-dir>/councils (default: $PRAEVENTION_REGISTER)"
    )
    if out:
        parser.add_argument("--out", help="output directory (default: $PRAEVENTION_OUT or reports/)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser("ingest", help="load every raw source into the warehouse")
    _paths(ingest, out=False)
    ingest.set_defaults(handler=run_ingest)
    run = subparsers.add_parser(
        "run",
        help="materialise what Dagster reports as stale or missing (changed raw files or code, failed "
        "blocking checks) and everything downstream",
    )
    _paths(run, out=True)
    run.add_argument("--full", action="store_true", help="re-materialise every asset, changed or not")
    run.add_argument(
        "--regions",
        choices=("polizeiinspektionen", "kreise"),
        help="one conference deck per police inspection (default, data/regions.yaml) or per Kreis",
    )
    run.set_defaults(handler=run_all)


def run_ingest(args: argparse.Namespace) -> int:
    from dagster import AssetSelection

    from pipelines.definitions import SOURCE_GROUPS

    ctx = Context.from_args(args)
    graph = ctx.defs.resolve_asset_graph()
    keys = AssetSelection.groups(*SOURCE_GROUPS).resolve(graph)
    return ctx.execute([k for k in graph.toposorted_asset_keys if k in keys], "ingest")


def run_all(args: argparse.Namespace) -> int:
    from pipelines import engine

    ctx = Context.from_args(args, regions=args.regions or "")
    ctx.prepare_output()
    if args.full:
        todo = {k: "--full" for k in ctx.defs.resolve_asset_graph().toposorted_asset_keys}
    else:
        with instance_guard(), engine.open_instance() as instance:
            todo = engine.stale_assets(instance, ctx.defs, ctx.settings)
    if not todo:
        print("Everything is up to date: no input changed since the last run.", file=sys.stderr)
        return 0
    return ctx.execute(list(todo), "run", reasons=todo)


@contextlib.contextmanager
def instance_guard() -> Iterator[None]:
    """A damaged database of the Dagster instance as one German line naming the files and what to do."""
    from sqlalchemy.exc import DatabaseError

    from praevention import config
    from praevention.errors import PipelineError
    from praevention.files import damaged_sqlite_files

    try:
        yield
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        home = config.dagster_home()
        damaged = ", ".join(str(p) for p in damaged_sqlite_files(home)) or str(home)
        raise PipelineError(
            f"{damaged}: die Datenbank der Dagster-Instanz ist beschädigt; verschieben Sie den Ordner {home} "
            "beiseite (der nächste Lauf legt eine neue Instanz an und rechnet alles neu) oder setzen Sie "
            "DAGSTER_HOME auf einen neuen Ordner"
        ) from exc


class Context:
    """Resolved paths and settings plus the Definitions built for them."""

    def __init__(
        self,
        raw_dir: Path,
        warehouse: Path,
        out_dir: Path,
        register: Path | None,
        synthetic: bool = False,
        land: str = "",
        regions: str = "",
    ):
        from pipelines import engine
        from pipelines.definitions import build_definitions
        from praevention import config

        self.settings = engine.Settings(
            raw_dir=raw_dir,
            warehouse=warehouse,
            out_dir=out_dir,
            register=register,
            synthetic=config.synthetic(synthetic),
            land=config.land(land),
            regions=config.regions(regions),
        )
        self.raw_dir, self.warehouse, self.out_dir, self.register = raw_dir, warehouse, out_dir, register
        self.defs = build_definitions(
            raw_dir=str(raw_dir),
            warehouse=str(warehouse),
            out_dir=str(out_dir),
            register=str(register or ""),
            synthetic=self.settings.synthetic,
            land=self.settings.land,
            regions=self.settings.regions,
        )

    @classmethod
    def from_args(cls, args: argparse.Namespace, regions: str = "") -> Context:
        from praevention import config
        from praevention.errors import PipelineError

        raw = config.raw_dir(args.raw_dir)
        if not raw.is_dir():
            raise PipelineError(f"raw-data directory {raw} does not exist (use --raw-dir or PRAEVENTION_RAW_DIR)")
        return cls(
            raw,
            config.warehouse_path(args.warehouse),
            config.out_dir(getattr(args, "out", None)),
            config.register_path(getattr(args, "register", None)),
            regions=regions,
        )

    def prepare_output(self) -> None:
        """Claim the output folder (a file, the raw-data folder or a foreign folder stops the run before any
        work) and remove the temporary files a killed run left (:func:`praevention.publish.output.tidy_run`)."""
        from praevention import config
        from praevention.publish.output import tidy_run

        removed = tidy_run(self.out_dir, self.raw_dir, config.staging_dir(self.out_dir))
        if removed:
            print(f"  {len(removed)} unvollständige Datei(en) eines abgebrochenen Laufs entfernt", file=sys.stderr)

    def report_unrecognised(self) -> None:
        """Name every raw file no reader recognises: it is not loaded, and the user should know."""
        from praevention.discovery import discover, display_path
        from praevention.errors import printable

        found = discover(self.raw_dir)
        for path in found.not_loaded():
            print(f"  not loaded ({found.why_not_loaded(path)}): {printable(display_path(path))}", file=sys.stderr)

    def execute(self, keys: list, label: str, *, reasons: dict | None = None) -> int:
        """One in-process run of ``keys`` (one DuckDB writer) in the persistent instance."""
        from pipelines import engine
        from praevention import config, warehouse

        named = [
            k.to_user_string() + (f" ({reasons[k]})" if reasons and reasons[k] != "upstream" else "") for k in keys
        ]
        print(f"praevention {label}: {len(keys)} asset(s): {', '.join(named)}", file=sys.stderr)
        print(
            f"  raw data  {self.raw_dir}\n  warehouse {self.warehouse}\n  output    {self.out_dir}\n"
            f"  dagster   {config.dagster_home()}",
            file=sys.stderr,
        )
        self.report_unrecognised()
        started = time.monotonic()
        with warehouse.run_lock(self.warehouse, wait_seconds=0):
            con = warehouse.connect(self.warehouse)
            warehouse.drop_stale_staging(con)
            con.close()
            with instance_guard(), engine.open_instance() as instance:
                result = self._run(instance, keys)
        return report(result, time.monotonic() - started)

    def _run(self, instance, keys: list):
        from pipelines import engine

        graph = self.defs.resolve_asset_graph()
        chosen = set(keys)
        stages = sorted({ad.node_def.name for ad in graph.assets_defs if chosen & set(ad.keys)})
        job = self.defs.resolve_implicit_global_asset_job_def()
        return job.execute_in_process(
            asset_selection=keys,
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {"config": {"stages": stages, "live": sys.stderr.isatty()}}}},
            tags={engine.RUN_TAG_WAREHOUSE: str(self.warehouse), engine.RUN_TAG_OUT: str(self.out_dir)},
        )


def report(result, took: float) -> int:
    """Print failures as one line each (file, line, problem), a summary, and return the exit code."""
    from pipelines.progress import current_tally
    from praevention.errors import printable

    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    failed_checks = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.event_specific_data.passed
        and str(e.event_specific_data.severity).endswith("ERROR")
    ]
    for event in failures:
        err = event.event_specific_data.error
        cause = err
        while cause.cause is not None:
            cause = cause.cause
        message = (cause.message or err.message).strip().splitlines()[-1]
        print(f"praevention: error in {event.step_key}: {printable(message)}", file=sys.stderr)
    for check in failed_checks:
        detail = f" ({check.description})" if check.description else ""
        print(
            f"praevention: blocking check failed: {check.asset_key.to_user_string()} / {check.check_name}{detail}",
            file=sys.stderr,
        )
        meta = check.metadata or {}
        for line in getattr(meta.get("problems"), "value", None) or []:
            print(f"  {printable(line)}", file=sys.stderr)
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            meta = event.event_specific_data.materialization.metadata
            for line in getattr(meta.get("not_loaded"), "value", None) or []:
                print(f"praevention: not loaded: {printable(line)}", file=sys.stderr)
            for line in getattr(meta.get("quarantine_summary"), "value", None) or []:
                print(f"praevention: {printable(line)}", file=sys.stderr)
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        print(f"praevention: not run because an upstream step failed: {', '.join(skipped)}", file=sys.stderr)
    tally = current_tally()
    summary = (
        f"{len(tally.materialized)} asset(s) materialised, {tally.checks_passed} check(s) passed, "
        f"{len(tally.warnings)} warning(s), {tally.files} output file(s); run {result.run_id[:8]} in the Dagster "
        "instance"
    )
    if failures or failed_checks or not result.success:
        print(f"praevention: failed after {took:.1f} s: {summary}", file=sys.stderr)
        return 1
    print(f"praevention: done in {took:.1f} s: {summary}", file=sys.stderr)
    return 0
