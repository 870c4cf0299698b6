"""``praevention ingest`` and ``praevention run``: materialise assets in-process with a progress display."""

from __future__ import annotations

import argparse
import sys
import time
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
        "run", help="materialise everything whose inputs changed (sources, evaluation, reports)"
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
    keys = AssetSelection.groups(*SOURCE_GROUPS).resolve(ctx.defs.resolve_asset_graph())
    return ctx.execute(sorted(keys), "ingest")


def run_all(args: argparse.Namespace) -> int:
    import os

    from pipelines import config
    from pipelines.staleness import stale_assets

    if args.regions:
        os.environ[config.ENV_REGIONS] = args.regions  # read by the report assets, inherited by their processes
    ctx = Context.from_args(args)
    graph = ctx.defs.resolve_asset_graph()
    keys = (
        list(graph.toposorted_asset_keys)
        if args.full
        else stale_assets(ctx.defs, ctx.warehouse, ctx.raw_dir, ctx.register, ctx.settings)
    )
    if not keys:
        print("Everything is up to date: no input changed since the last run.", file=sys.stderr)
        return 0
    # a full run (or the first into this folder) renders everything: two worker processes pay off. An
    # incremental run re-renders few files (render caches), and each worker's start-up (3-5 s) would dominate.
    parallel = args.full or not (ctx.out_dir / ".state").is_dir()
    return ctx.execute(keys, "run", parallel_products=parallel)


class Context:
    """Resolved paths plus the Definitions built for them."""

    def __init__(
        self,
        raw_dir: Path,
        warehouse: Path,
        out_dir: Path,
        register: Path | None,
        synthetic: bool = False,
        land: str = "",
    ):
        from pipelines import config
        from pipelines.definitions import build_definitions

        self.raw_dir, self.warehouse, self.out_dir, self.register = raw_dir, warehouse, out_dir, register
        self.land = config.land(land)
        self.settings = {"out_dir": str(out_dir), "synthetic": synthetic, "regions": config.regions()}
        self.defs = build_definitions(
            raw_dir=str(raw_dir),
            warehouse=str(warehouse),
            out_dir=str(out_dir),
            register=str(register or ""),
            synthetic=synthetic,
            land=self.land,
        )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        from pipelines import config
        from pipelines.errors import PipelineError

        raw = config.raw_dir(args.raw_dir)
        if not raw.is_dir():
            raise PipelineError(f"raw-data directory {raw} does not exist (use --raw-dir or PRAEVENTION_RAW_DIR)")
        return cls(
            raw,
            config.warehouse_path(args.warehouse),
            config.out_dir(getattr(args, "out", None)),
            config.register_path(getattr(args, "register", None)),
        )

    def report_unrecognised(self) -> None:
        """Name every raw file no reader recognises: it is not loaded, and the user should know."""
        from pipelines.discovery import discover, display_path

        for path in discover(self.raw_dir).not_loaded():
            print(f"  not loaded (matches no known source layout): {display_path(path)}", file=sys.stderr)

    def execute(self, keys: list, label: str, *, parallel_products: bool = True) -> int:
        """Warehouse assets in one in-process run (one DuckDB writer), then the products in parallel processes
        (``parallel_products``) or in the same in-process run."""
        from pipelines import warehouse

        graph = self.defs.resolve_asset_graph()
        products = [k for k in keys if graph.get(k).group_name == "reports"] if parallel_products else []
        tables = [k for k in keys if k not in products]
        print(
            f"praevention {label}: {len(keys)} asset(s): {', '.join(k.to_user_string() for k in keys)}", file=sys.stderr
        )
        print(f"  raw data  {self.raw_dir}\n  warehouse {self.warehouse}\n  output    {self.out_dir}", file=sys.stderr)
        self.report_unrecognised()
        started = time.monotonic()
        with warehouse.run_lock(self.warehouse, wait_seconds=0):
            con = warehouse.connect(self.warehouse)
            warehouse.drop_stale_staging(con)
            con.close()
            code = 0
            if tables:
                code = report(self._in_process(tables), time.monotonic() - started, final=not products)
            if code == 0 and products:
                code = report(self._products(products), time.monotonic() - started, final=True)
        return code

    def _in_process(self, keys: list):
        from dagster import DagsterInstance

        job = self.defs.resolve_implicit_global_asset_job_def()
        with DagsterInstance.ephemeral() as instance:
            return job.execute_in_process(
                asset_selection=keys, instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}}
            )

    def _products(self, keys: list):
        """The products read the warehouse only: the multiprocess executor renders two at a time."""
        import logging
        import os
        import tempfile

        from dagster import DagsterInstance, execute_job, reconstructable

        from pipelines import config
        from pipelines.definitions import reports_job_definition

        env = {
            config.ENV_RAW_DIR: str(self.raw_dir),
            config.ENV_WAREHOUSE: str(self.warehouse),
            config.ENV_OUT_DIR: str(self.out_dir),
            config.ENV_SYNTHETIC: "1" if self.settings["synthetic"] else "0",
            config.ENV_LAND: self.land,
        }
        if self.register:
            env[config.ENV_REGISTER] = str(self.register)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)  # the worker processes rebuild the code location from the environment
        logging.getLogger("dagster").setLevel(logging.WARNING)  # the executor's own debug lines
        try:
            with (
                tempfile.TemporaryDirectory(prefix="praevention-dagster-") as home,
                DagsterInstance.local_temp(home, overrides={"telemetry": {"enabled": False}}) as instance,
                execute_job(
                    reconstructable(reports_job_definition),
                    instance=instance,
                    asset_selection=keys,
                    raise_on_error=False,
                    run_config={"loggers": {"progress": {}}},
                ) as result,
            ):
                return _Summary(result)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class _Summary:
    """What :func:`report` needs from a run result, kept after the instance is closed."""

    def __init__(self, result):
        self.all_events = list(result.all_events)
        self.success = result.success


def report(result, took: float, *, final: bool = True) -> int:
    """Print failures as one line each (file, line, problem) and return the exit code."""
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
        print(f"praevention: error in {event.step_key}: {message}", file=sys.stderr)
    for check in failed_checks:
        print(
            f"praevention: blocking check failed: {check.asset_key.to_user_string()} / {check.check_name}",
            file=sys.stderr,
        )
        meta = check.metadata or {}
        for line in getattr(meta.get("problems"), "value", None) or []:
            print(f"  {line}", file=sys.stderr)
        for name in getattr(meta.get("files_removed"), "value", None) or []:
            print(f"  removed from the output folder: {name}", file=sys.stderr)
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            files = event.event_specific_data.materialization.metadata.get("not_loaded")
            for line in getattr(files, "value", None) or []:
                print(f"praevention: not loaded: {line}", file=sys.stderr)
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        print(f"praevention: skipped because an upstream step failed: {', '.join(skipped)}", file=sys.stderr)
    if failures or failed_checks or not result.success:
        print(f"praevention: failed after {took:.1f} s", file=sys.stderr)
        return 1
    if final:
        print(f"praevention: done in {took:.1f} s", file=sys.stderr)
    return 0
