"""``praevention plan``: what a council's data could show, before its measure starts.

Prints, in German, the smallest reduction the evaluation would detect with 80 % probability after 1, 2, 3
and 5 years (or ``--years N``), for the planned area and the larger units above it. Reads the warehouse of
an earlier ``praevention run`` or ``ingest``; imports stay inside the handler.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="wie große Senkung die Daten eines Gebiets nach 1, 2, 3 und 5 Jahren erkennen könnten",
        description="Kleinste erkennbare Wirkung (80 %% Power) einer geplanten Maßnahme, aus den Daten des Warehouse.",
    )
    plan.add_argument("--ags", required=True, help="Schlüssel des Gebiets: Gemeinde (8 Stellen) oder Kreis (5 Stellen)")
    plan.add_argument(
        "--indicator",
        required=True,
        help="PKS-Schlüssel (z. B. '------' für alle Straftaten, 899000 Straßenkriminalität) oder Unfallart "
        "(z. B. all)",
    )
    plan.add_argument("--years", type=int, help="nur so viele Jahre nach dem Beginn (Vorgabe: 1, 2, 3 und 5)")
    plan.add_argument("--years-before", type=int, default=5, help="Jahre vor dem Beginn zum Vergleich (Vorgabe 5)")
    plan.add_argument(
        "--warehouse",
        help="DuckDB-Datei (Vorgabe: $PRAEVENTION_WAREHOUSE, sonst das Warehouse des letzten Laufs in der "
        "Dagster-Instanz, sonst data/warehouse.duckdb)",
    )
    plan.set_defaults(handler=run_plan)


def plan_warehouse(explicit: str | None) -> Path:
    """``--warehouse``, else ``$PRAEVENTION_WAREHOUSE``, else the warehouse of the latest ``praevention`` run
    recorded in the Dagster instance, else ``data/warehouse.duckdb``."""
    import os

    from praevention import config

    if explicit or os.environ.get(config.ENV_WAREHOUSE):
        return config.warehouse_path(explicit)
    from pipelines.engine import latest_run_warehouse

    return latest_run_warehouse() or config.warehouse_path()


def run_plan(args: argparse.Namespace) -> int:
    from praevention import config, warehouse
    from praevention.errors import PipelineError
    from praevention.evaluation.design import span
    from praevention.evaluation.evaluate import register_designs, treated_units
    from praevention.evaluation.inputs import EvaluationData, read_kreis_types
    from praevention.evaluation.plan import AFTER_YEARS, indicator_keys, plan
    from praevention.render.fmt import change_from_ratio

    ags = args.ags.strip()
    if not (ags.isdigit() and len(ags) in (2, 5, 8)):
        raise PipelineError(
            f"--ags {args.ags!r}: erwartet ein Schlüssel einer Gemeinde (8 Stellen), eines Kreises (5) oder des Landes (2)"
        )
    indicators = indicator_keys(args.indicator.strip())
    con = warehouse.connect(plan_warehouse(args.warehouse), read_only=True, spatial=False)
    try:
        data = EvaluationData(con.execute("SELECT * FROM panel").df(), read_kreis_types(con), config.land())
        bodies = con.execute("SELECT * FROM register_bodies").df()
        measures = con.execute("SELECT * FROM register_measures").df()
    finally:
        con.close()
    after = (args.years,) if args.years else AFTER_YEARS
    treated = treated_units(register_designs(data, bodies, measures))
    rows = plan(data, treated, ags, indicators, years_before=args.years_before, after_years=after)
    if not rows:
        raise PipelineError(f"keine Daten für {', '.join(indicators)} in {ags} oder seinem Kreis und Land")
    names = data.yearly.drop_duplicates("unit_ags").set_index("unit_ags")["unit_name"]
    print(f"Planung für {names.get(ags, ags)} ({ags}), Zielgröße „{data.label(rows[0].indicator)}“")
    if indicators[0].startswith("pks:") and len(ags) == 8:
        print("Kriminalitätsdaten gibt es nur je Kreis: ausgewertet würde der Kreis, in dem die Gemeinde liegt.")
    print(
        "Kleinste Senkung, die die Auswertung mit 80 % Wahrscheinlichkeit als Wirkung erkennen würde "
        "(Vergleich mit ähnlichen Gebieten, jüngste verfügbare Jahre):"
    )
    for r in rows:
        head = f"  {r.unit_level} {names.get(r.unit_ags, r.unit_ags)}, nach {r.after_years} Jahr{'en' if r.after_years > 1 else ''}:"
        if r.mde_80 is None:
            print(f"{head} nicht abschätzbar ({r.reason})")
        else:
            print(
                f"{head} {change_from_ratio(r.mde_80).lstrip('−')} weniger Fälle "
                f"(Vorher {span(r.before)}, Nachher {span(r.after)}, {r.pool} Vergleichsgebiete)"
            )
    print("Kleinere Wirkungen sind möglich, aber mit diesen Daten nicht sicher nachweisbar.", file=sys.stdout)
    return 0
