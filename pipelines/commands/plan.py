"""``praevention plan``: what a council's data could show, before its measure starts.

Prints, in German, the smallest reduction the evaluation would detect with 80 % probability after 1, 2, 3
and 5 years (or ``--years N``), for the planned area and the larger units above it. Reads the warehouse of
an earlier ``praevention run`` or ``ingest``; imports stay inside the handler.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="wie große Senkung die Daten eines Gebiets nach 1, 2, 3 und 5 Jahren erkennen könnten; wie viele "
        "Gremien eine Art von Maßnahme braucht",
        description="Kleinste erkennbare Wirkung (80 %% Power) einer geplanten Maßnahme, aus den Daten des "
        "Warehouse: für ein Gebiet (--ags) auf seiner eigenen Ebene und den Ebenen darüber, oder mit --type, wie "
        "viele Gremien mit dieser Art von Maßnahme eine gemeinsame Auswertung braucht, um eine Senkung zu erkennen "
        "(--reduction, Vorgabe 15 %%).",
    )
    plan.add_argument(
        "--ags", help="Schlüssel des geplanten Gebiets: Gemeinde (8 Stellen), Kreis (5 Stellen) oder Land (2 Stellen)"
    )
    plan.add_argument(
        "--indicator",
        default="------",
        help="PKS-Schlüssel (z. B. '------' für alle Straftaten, ausgewertet ohne ausländerrechtliche Verstöße; "
        "899000 Straßenkriminalität) oder Unfallart (z. B. all); Vorgabe: alle Straftaten",
    )
    plan.add_argument("--years", type=int, help="nur so viele Jahre nach dem Beginn (Vorgabe: 1, 2, 3 und 5)")
    plan.add_argument("--years-before", type=int, default=5, help="Jahre vor dem Beginn zum Vergleich (Vorgabe 5)")
    plan.add_argument(
        "--type", dest="measure_type", help="Art der Maßnahme (z. B. Streifen): wie viele Gremien nötig sind"
    )
    plan.add_argument(
        "--level",
        choices=("Gemeinde", "Kreis"),
        default="Gemeinde",
        help="Ebene, auf der die Gremien wirken (mit --type)",
    )
    plan.add_argument(
        "--reduction", type=float, default=15.0, help="zu erkennende Senkung in %% (mit --type; Vorgabe 15)"
    )
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


def years_text(n: int) -> str:
    return f"{n} Jahr{'en' if n > 1 else ''}"


def run_plan(args: argparse.Namespace) -> int:
    from praevention import config, warehouse
    from praevention.errors import PipelineError
    from praevention.evaluation.evaluate import register_designs
    from praevention.evaluation.inputs import EvaluationData, read_kreis_types
    from praevention.evaluation.plan import AFTER_YEARS, indicator_keys
    from praevention.evaluation.read import read_places
    from praevention.evaluation.rows import treated_units

    ags = (args.ags or "").strip()
    if not args.measure_type and not ags:
        raise PipelineError("plan braucht --ags (ein Gebiet) oder --type (eine Art von Maßnahme)")
    if ags and not (ags.isdigit() and len(ags) in (2, 5, 8)):
        raise PipelineError(
            f"--ags {args.ags!r}: erwartet ein Schlüssel einer Gemeinde (8 Stellen), eines Kreises (5) oder des Landes (2)"
        )
    indicators = indicator_keys(args.indicator.strip())
    con = warehouse.connect(plan_warehouse(args.warehouse), read_only=True, spatial=False)
    try:
        data = EvaluationData(
            con.execute("SELECT * FROM panel").df(),
            read_kreis_types(con),
            config.land(),
            places=read_places(con, config.land()),
        )
        bodies = con.execute("SELECT * FROM register_bodies").df()
        measures = con.execute("SELECT * FROM register_measures").df()
    finally:
        con.close()
    if ags:
        known_area(data, ags)
    treated = treated_units(register_designs(data, bodies, measures))
    if args.measure_type:
        print_councils(args, data, treated, indicators)
        if not ags:
            return 0
        print()
    print_area(args, data, treated, ags, indicators, (args.years,) if args.years else AFTER_YEARS)
    return 0


def known_area(data, ags: str) -> None:
    """Stop with a German line when ``ags`` names no Gemeinde, Kreis or Land of the warehouse's data, naming the
    Gemeinden of its Kreis (or the Kreise of the Land) to choose from."""
    from praevention.errors import PipelineError

    names = dict(zip(data.places.get("ags", []), data.places.get("name", []), strict=False))
    if (ags in names) if len(ags) == 8 else (ags in set(data.yearly["unit_ags"])):
        return
    nearby = sorted(f"{n} ({a})" for a, n in names.items() if a.startswith(ags[:5]) and n)[:8]
    hint = f"; Gemeinden im Kreis {ags[:5]}: {', '.join(nearby)} …" if nearby else ""
    if len(ags) == 8 and ags in set(data.yearly["unit_ags"]):
        raise PipelineError(f"--ags {ags}: keine heutige Gemeinde (nur in älteren Statistiken){hint}")
    none = {8: "keine Gemeinde", 5: "kein Kreis", 2: "kein Land"}[len(ags)]
    raise PipelineError(f"--ags {ags}: {none} mit diesem Schlüssel in den Daten des Warehouse{hint}")


def print_area(args: argparse.Namespace, data, treated: dict, ags: str, indicators: tuple[str, ...], after) -> None:
    """The minimum detectable effects of a planned measure in ``ags`` at its level and the levels above."""
    from praevention.errors import PipelineError
    from praevention.evaluation.design import span
    from praevention.evaluation.dilution import MAX_PLAUSIBLE_REDUCTION
    from praevention.evaluation.evaluator import FINER_DATA
    from praevention.evaluation.plan import plan
    from praevention.render.fmt import change_from_ratio, percent
    from praevention.render.verdict import LEVEL_IN, in_area, kreis_phrase

    rows = plan(data, treated, ags, indicators, years_before=args.years_before, after_years=after)
    if not rows:
        raise PipelineError(f"keine Daten für {', '.join(indicators)} in {ags} oder seinem Kreis und Land")
    names = data.yearly.drop_duplicates("unit_ags").set_index("unit_ags")["unit_name"].to_dict()
    names.update(dict(zip(data.places.get("ags", []), data.places.get("name", []), strict=False)))
    name = names.get(ags, ags)
    print(f"Planung für {name} ({ags}), Zielgröße „{data.label(rows[0].indicator)}“")
    diluted = next((r for r in rows if r.shares is not None), None)
    if diluted is not None:
        s = diluted.shares
        what = "der Fälle" if s.basis == "cases" else "der Einwohner"
        print(
            f"{name} hat etwa {percent(s.share, 0)} {what} {kreis_phrase(names.get(ags[:5], ags[:5]))}; "
            "Kriminalitätsdaten je Gemeinde liegen nicht vor, ausgewertet würde der ganze Kreis."
        )
    print(
        "Kleinste Senkung, die die Auswertung mit 80 % Wahrscheinlichkeit als Wirkung erkennen würde "
        "(Vergleich mit ähnlichen Gebieten, jüngste verfügbare Jahre):"
    )
    for r in rows:
        unit = names.get(r.unit_ags, r.unit_ags)
        head = f"  {r.unit_level} {unit}"
        if r.projected:
            head += f", mit der {FINER_DATA['Gemeinde'].split(' (')[0]} (geschätzt)"
        head += f", nach {years_text(r.after_years)}:"
        if r.mde_80 is None:
            print(f"{head} nicht abschätzbar ({r.reason})")
            continue
        amount = change_from_ratio(r.mde_80).lstrip("−")
        text = f"{head} {'etwa ' if r.projected else ''}{amount} weniger Fälle"
        if r.shares is not None:
            reduction = None if r.mde_80_area is None else 1 - r.mde_80_area
            text += f" {LEVEL_IN[r.unit_level]}; in {name} entspräche das {in_area(reduction, name).removesuffix(f' in {name}')}"
            if r.mde_80_area is None or reduction > MAX_PLAUSIBLE_REDUCTION:
                text += f" – mit {'Kreis' if r.unit_level == 'Kreis' else 'Landes'}daten nicht prüfbar"
        where = f", {r.pool} Vergleichsgebiete" if r.pool else ""
        print(f"{text} (Vorher {span(r.before)}, Nachher {span(r.after)}{where})")
    print("Kleinere Wirkungen sind möglich, aber mit diesen Daten nicht sicher nachweisbar.")


def print_councils(args: argparse.Namespace, data, treated: dict, indicators: tuple[str, ...]) -> None:
    """How many councils doing a type of measure a pooled evaluation needs (see councils_needed)."""
    from praevention.errors import PipelineError
    from praevention.evaluation.plan import councils_needed
    from praevention.evaluation.pooling import rules
    from praevention.render.fmt import change_from_ratio, number

    kinds = {t["type"]: t["label_de"] for t in rules()["types"]}
    if args.measure_type not in kinds:
        raise PipelineError(f"--type {args.measure_type!r}: erwartet eine von {', '.join(kinds)}")
    years = args.years or 3
    result = councils_needed(
        data,
        treated,
        args.level,
        indicators,
        after_years=years,
        years_before=args.years_before,
        reduction=args.reduction / 100,
    )
    level = "Gemeinden" if args.level == "Gemeinde" else "Kreisen"
    print(
        f"Gemeinsame Auswertung „{kinds[args.measure_type]}“, Zielgröße „{data.label(result.indicator)}“: wie viele "
        f"Maßnahmen in verschiedenen {level}, je {years} {'Jahr' if years == 1 else 'Jahre'} nach dem Start "
        "ausgewertet, braucht es, damit "
        f"eine mittlere Senkung um {number(args.reduction)} % mit 80 % Wahrscheinlichkeit erkannt wird?"
    )
    if result.median_mde is None:
        print(f"  Nicht abschätzbar: keine auswertbaren {level} für diese Zielgröße.")
        return
    source = " (geschätzt: Fallzahlen je Gemeinde aus der LKA-Tatortgemeindestatistik)" if result.projected else ""
    print(
        f"  Eine einzelne Maßnahme erkennt typischerweise erst {change_from_ratio(result.median_mde).lstrip('−')} "
        f"weniger Fälle (Median über {number(result.units)} {level} des Landes{source})."
    )
    needed = f"{number(result.needed)} Maßnahmen" if result.needed else "mehr als 500 Maßnahmen"
    print(
        f"  Nötig: etwa {needed} in verschiedenen {level}, wenn die wahren Wirkungen um etwa "
        f"±{number(result.tau * 100)} % um ihr Mittel streuen (Planungsannahme der Auswertungsregeln)."
    )
    if result.diluted_needed is not None or args.level == "Gemeinde":
        diluted = f"etwa {number(result.diluted_needed)}" if result.diluted_needed else "mehr als 500"
        print(f"  Gemessen nur an den Kreisen, in denen die Gemeinden liegen: {diluted} Maßnahmen.")
