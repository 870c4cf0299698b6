"""``praevention ingest`` and ``praevention run``: materialise assets in the persistent Dagster instance
(:mod:`pipelines.engine`) with a progress display."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _paths(parser: argparse.ArgumentParser, *, out: bool) -> None:
    parser.add_argument(
        "--raw-dir", metavar="ORDNER", help="Ordner der Rohdaten (Vorgabe: $PRAEVENTION_RAW_DIR oder data/raw)"
    )
    parser.add_argument(
        "--warehouse", metavar="DATEI", help="DuckDB-Datei (Vorgabe: $PRAEVENTION_WAREHOUSE oder data/warehouse.duckdb)"
    )
    parser.add_argument(
        "--register",
        metavar="PFAD",
        help="Registerdatei oder -ordner, falls nicht in <raw-dir>/councils (Vorgabe: $PRAEVENTION_REGISTER)",
    )
    if out:
        parser.add_argument("--out", metavar="ORDNER", help="Ausgabeordner (Vorgabe: $PRAEVENTION_OUT oder reports/)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser(
        "ingest", help="alle Rohdaten in das Warehouse laden", description="Lädt alle Rohdaten in das Warehouse."
    )
    _paths(ingest, out=False)
    ingest.set_defaults(handler=run_ingest)
    run = subparsers.add_parser(
        "run",
        help="erzeugen, was Dagster als veraltet oder fehlend meldet (geänderte Rohdaten oder Programme, "
        "nicht bestandene Prüfungen), und alles, was darauf aufbaut",
        description="Erzeugt, was veraltet ist oder fehlt, und alles, was darauf aufbaut: Warehouse, Auswertung, "
        "Karten, Steckbriefe, Bericht, Präsentationen und die Übersichtsseite.",
    )
    _paths(run, out=True)
    run.add_argument("--full", action="store_true", help="alles neu erzeugen, ob geändert oder nicht")
    run.add_argument(
        "--regions",
        choices=("polizeiinspektionen", "kreise"),
        help="eine Konferenzpräsentation je Polizeiinspektion (Vorgabe, data/regions.yaml) oder je Kreis",
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
    if args.full:
        todo = {k: "--full" for k in ctx.defs.resolve_asset_graph().toposorted_asset_keys}
    else:
        with engine.open_instance() as instance:
            todo = engine.stale_assets(instance, ctx.defs, ctx.settings)
    if not todo:
        print("Alles ist aktuell: Seit dem letzten Lauf hat sich keine Eingabe geändert.", file=sys.stderr)
        return 0
    return ctx.execute(list(todo), "run", reasons=todo)


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
            raise PipelineError(f"Rohdatenordner {raw} gibt es nicht (--raw-dir oder PRAEVENTION_RAW_DIR angeben)")
        return cls(
            raw,
            config.warehouse_path(args.warehouse),
            config.out_dir(getattr(args, "out", None)),
            config.register_path(getattr(args, "register", None)),
            regions=regions,
        )

    def report_unrecognised(self) -> None:
        """Name every raw file no reader recognises: it is not loaded, and the user should know."""
        from praevention.discovery import discover, display_path

        for path in discover(self.raw_dir).not_loaded():
            print(f"  nicht geladen (kein bekanntes Format einer Quelle): {display_path(path)}", file=sys.stderr)

    def execute(self, keys: list, label: str, *, reasons: dict | None = None) -> int:
        """One in-process run of ``keys`` (one DuckDB writer) in the persistent instance."""
        from pipelines import engine
        from praevention import config, warehouse

        named = [
            k.to_user_string() + (f" ({reasons[k]})" if reasons and reasons[k] != "upstream" else "") for k in keys
        ]
        print(f"praevention {label}: {len(keys)} Schritt(e): {', '.join(named)}", file=sys.stderr)
        print(
            f"  Rohdaten  {self.raw_dir}\n  Warehouse {self.warehouse}\n  Ausgabe   {self.out_dir}\n"
            f"  Dagster   {config.dagster_home()}",
            file=sys.stderr,
        )
        self.report_unrecognised()
        started = time.monotonic()
        with warehouse.run_lock(self.warehouse, wait_seconds=0):
            con = warehouse.connect(self.warehouse)
            warehouse.drop_stale_staging(con)
            con.close()
            with engine.open_instance() as instance:
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
    from praevention.render import fmt

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
        print(f"praevention: Fehler in {event.step_key}: {message}", file=sys.stderr)
    for check in failed_checks:
        detail = f" ({check.description})" if check.description else ""
        print(
            f"praevention: blockierende Prüfung nicht bestanden: {check.asset_key.to_user_string()} / "
            f"{check.check_name}{detail}",
            file=sys.stderr,
        )
        meta = check.metadata or {}
        for line in getattr(meta.get("problems"), "value", None) or []:
            print(f"  {line}", file=sys.stderr)
        for name in getattr(meta.get("files_removed"), "value", None) or []:
            print(f"  aus dem Ausgabeordner entfernt: {name}", file=sys.stderr)
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            files = event.event_specific_data.materialization.metadata.get("not_loaded")
            for line in getattr(files, "value", None) or []:
                print(f"praevention: nicht geladen: {line}", file=sys.stderr)
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        print(
            f"praevention: nicht ausgeführt, weil ein vorheriger Schritt scheiterte: {', '.join(skipped)}",
            file=sys.stderr,
        )
    tally = current_tally()
    summary = (
        f"{len(tally.materialized)} Schritt(e) erzeugt, {tally.checks_passed} Prüfung(en) bestanden, "
        f"{len(tally.warnings)} Warnung(en), {tally.files} Ausgabedatei(en); Lauf {result.run_id[:8]} in der "
        "Dagster-Instanz"
    )
    if failures or failed_checks or not result.success:
        print(f"praevention: gescheitert nach {fmt.number(took, 1)} s: {summary}", file=sys.stderr)
        return 1
    print(f"praevention: fertig in {fmt.number(took, 1)} s: {summary}", file=sys.stderr)
    return 0
