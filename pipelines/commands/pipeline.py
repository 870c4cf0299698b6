"""``praevention ingest`` and ``praevention run``: materialise assets in the persistent Dagster instance
with a progress display; ``run`` materialises what the run planner (:mod:`pipelines.engine`) finds due, in
waves, each one run in the instance."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import time
from collections.abc import Iterator
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
        help="erzeugen, was fällig ist (geänderte Rohdaten, Programme oder Datendateien, aus dem Ausgabeordner "
        "verschwundene Dateien, nicht bestandene Prüfungen), und Welle für Welle, was auf einem geänderten Ergebnis "
        "aufbaut",
        description="Erzeugt, was fällig ist, und was auf einem geänderten Ergebnis aufbaut: Warehouse, Auswertung, "
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
    from pipelines.definitions import SOURCE_GROUPS

    ctx = Context.from_args(args)
    return ctx.execute([k for k, n in ctx.graph.nodes.items() if n.group in SOURCE_GROUPS], "ingest")


def run_all(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args, regions=args.regions or "")
    ctx.prepare_output()
    if args.full:
        return ctx.execute(ctx.graph.order, "run", reasons=dict.fromkeys(ctx.graph.order, "--full"))
    return ctx.run_due()


@contextlib.contextmanager
def instance_guard(home: Path) -> Iterator[None]:
    """A damaged database of the Dagster instance in ``home`` as one German line naming the files and what
    to do."""
    from sqlalchemy.exc import DatabaseError

    from praevention.errors import PipelineError
    from praevention.files import damaged_sqlite_files

    try:
        yield
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        damaged = ", ".join(str(p) for p in damaged_sqlite_files(home)) or str(home)
        raise PipelineError(
            f"{damaged}: die Datenbank der Dagster-Instanz ist beschädigt; verschieben Sie den Ordner {home} "
            "beiseite (der nächste Lauf legt eine neue Instanz an und rechnet alles neu) oder setzen Sie "
            "DAGSTER_HOME auf einen neuen Ordner"
        ) from exc


class Context:
    """Resolved paths and settings, the Definitions built for them and the planner's view of their assets."""

    def __init__(
        self,
        raw_dir: Path,
        warehouse: Path,
        out_dir: Path,
        register: Path | None,
        synthetic: bool = False,
        land: str = "",
        regions: str = "",
        dagster_home: Path | None = None,
    ):
        from pipelines import engine
        from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, build_definitions
        from praevention import config

        #: the instance's folder: ``$DAGSTER_HOME`` (or ``data/dagster_home``) unless given (the demo's own)
        self.dagster_home = dagster_home or config.dagster_home()
        self.settings = engine.Settings(
            raw_dir=raw_dir,
            warehouse=warehouse,
            out_dir=out_dir,
            register=register,
            synthetic=config.synthetic(synthetic),
            land=config.land(land),
            regions=config.regions(regions),
            dagster_home=self.dagster_home,
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
            dagster_home=str(self.dagster_home),
        )
        self.graph = engine.Graph.of(ALL_ASSETS, ALL_CHECKS)

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

    def prepare_output(self) -> None:
        """Claim the output folder (a file, the raw-data folder or a foreign folder stops the run before any
        work) and remove the temporary files a killed run left (:func:`praevention.publish.output.tidy_run`)."""
        from praevention import config
        from praevention.publish.output import tidy_run

        removed = tidy_run(self.out_dir, self.raw_dir, config.staging_dir(self.out_dir, self.dagster_home))
        if removed:
            print(f"  {len(removed)} unvollständige Datei(en) eines abgebrochenen Laufs entfernt", file=sys.stderr)

    def report_unrecognised(self) -> None:
        """Name every raw file no reader recognises: it is not loaded, and the user should know."""
        from praevention.discovery import discover, display_path
        from praevention.errors import printable

        found = discover(self.raw_dir)
        for path in found.not_loaded():
            print(f"  nicht geladen ({found.why_not_loaded(path)}): {printable(display_path(path))}", file=sys.stderr)

    def _header(self) -> None:
        print(
            f"  Rohdaten  {self.raw_dir}\n  Warehouse {self.warehouse}\n  Ausgabe   {self.out_dir}\n"
            f"  Dagster   {self.dagster_home}",
            file=sys.stderr,
        )
        self.report_unrecognised()

    @contextlib.contextmanager
    def _locked_instance(self) -> Iterator:
        """The instance, with this run holding the warehouse (one writer) and no staging table left over."""
        from pipelines import engine
        from praevention import warehouse

        with warehouse.run_lock(self.warehouse, wait_seconds=0):
            con = warehouse.connect(self.warehouse)
            warehouse.drop_stale_staging(con)
            con.close()
            with instance_guard(self.dagster_home), engine.open_instance(self.dagster_home) as instance:
                yield instance

    def execute(self, keys: list, label: str, *, reasons: dict | None = None) -> int:
        """One in-process run of ``keys`` (one DuckDB writer) in the persistent instance."""
        print(_wave_line(label, keys, reasons), file=sys.stderr)
        self._header()
        started = time.monotonic()
        with self._locked_instance() as instance:
            done = [self._run(instance, keys)]
        return report(done, time.monotonic() - started)

    def run_due(self) -> int:
        """Materialise what is due (:mod:`pipelines.engine`) in waves, each one run, until nothing is due or
        a run fails."""
        from pipelines import engine
        from praevention.errors import PipelineError

        started = time.monotonic()
        done: list[tuple] = []
        with self._locked_instance() as instance:
            ran: set = set()
            while wave := engine.next_wave(instance, self.graph, self.settings):
                if ran & set(wave):  # a planner that asks for an asset twice would never end
                    again = ", ".join(k.to_user_string() for k in sorted(ran & set(wave)))
                    raise PipelineError(f"die Laufplanung verlangte {again} zweimal im selben Lauf")
                print(_wave_line("run", list(wave), wave), file=sys.stderr)
                if not done:
                    self._header()
                done.append(self._run(instance, list(wave)))
                ran |= set(wave)
                if not done[-1][0].success:
                    break
        if not done:
            print("Alles ist aktuell: Seit dem letzten Lauf hat sich keine Eingabe geändert.", file=sys.stderr)
            return 0
        return report(done, time.monotonic() - started)

    def _run(self, instance, keys: list) -> tuple:
        """One run of ``keys``: its result and what the progress display counted."""
        from pipelines import engine
        from pipelines.progress import current_tally
        from pipelines.recover import cli_tags

        chosen = set(keys)
        stages = sorted({ad.node_def.name for ad in self.defs.assets if chosen & set(ad.keys)})
        job = self.defs.resolve_job_def("run_all")
        result = job.execute_in_process(
            asset_selection=keys,
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {"config": {"stages": stages, "live": sys.stderr.isatty()}}}},
            tags={
                engine.RUN_TAG_WAREHOUSE: str(self.warehouse),
                engine.RUN_TAG_OUT: str(self.out_dir),
                **cli_tags(),  # a restart of the server can tell whether this run's process is gone
            },
        )
        return result, current_tally()


def _wave_line(label: str, keys: list, reasons: dict | None) -> str:
    named = [k.to_user_string() + (f" ({reasons[k]})" if reasons and reasons.get(k) else "") for k in keys]
    return f"praevention {label}: {len(keys)} Schritt(e): {', '.join(named)}"


def report(done: list[tuple], took: float) -> int:
    """Print failures as one line each (file, line, problem), a summary of every run, and return the exit code."""
    from praevention.errors import printable
    from praevention.render import fmt

    results = [result for result, _ in done]
    events = [e for result in results for e in result.all_events]
    failures = [e for e in events if e.event_type_value == "STEP_FAILURE"]
    failed_checks = [
        e.event_specific_data
        for e in events
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
        print(f"praevention: Fehler in {event.step_key}: {printable(message)}", file=sys.stderr)
    for check in failed_checks:
        detail = f" ({check.description})" if check.description else ""
        print(
            f"praevention: blockierende Prüfung nicht bestanden: {check.asset_key.to_user_string()} / "
            f"{check.check_name}{detail}",
            file=sys.stderr,
        )
        meta = check.metadata or {}
        for line in getattr(meta.get("problems"), "value", None) or []:
            print(f"  {printable(line)}", file=sys.stderr)
    for event in events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            meta = event.event_specific_data.materialization.metadata
            for line in getattr(meta.get("not_loaded"), "value", None) or []:
                print(f"praevention: nicht geladen: {printable(line)}", file=sys.stderr)
            for line in getattr(meta.get("quarantine_summary"), "value", None) or []:
                print(f"praevention: {printable(line)}", file=sys.stderr)
    skipped = [e.step_key for e in events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        print(
            f"praevention: nicht ausgeführt, weil ein vorheriger Schritt scheiterte: {', '.join(skipped)}",
            file=sys.stderr,
        )
    tallies = [tally for _, tally in done]
    runs = ", ".join(result.run_id[:8] for result in results)
    summary = (
        f"{sum(len(t.materialized) for t in tallies)} Schritt(e) erzeugt, "
        f"{sum(t.checks_passed for t in tallies)} Prüfung(en) bestanden, {sum(len(t.warnings) for t in tallies)} "
        f"Warnung(en), {sum(t.files for t in tallies)} Ausgabedatei(en); Lauf {runs} in der Dagster-Instanz"
    )
    if failures or failed_checks or not all(result.success for result in results):
        print(f"praevention: gescheitert nach {fmt.number(took, 1)} s: {summary}", file=sys.stderr)
        return 1
    print(f"praevention: fertig in {fmt.number(took, 1)} s: {summary}", file=sys.stderr)
    return 0
