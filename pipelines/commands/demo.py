"""``praevention demo --out DIR``: generate Demoland and run the whole pipeline on it, offline."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from praevention.demo.generate import LAND, generate_demo

#: the demo's Dagster instance: a hidden folder in its output folder, beside its raw files and warehouse
DEMO_INSTANCE = ".dagster"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="ein erfundenes Land (Demoland, Schlüssel 99) erzeugen und alles darauf rechnen, ohne Internet",
        description="Schreibt die Rohdateien von Demoland in den veröffentlichten Formaten nach DIR/rohdaten, lädt "
        "sie in DIR/warehouse.duckdb und schreibt alle Produkte nach DIR, festgehalten in einer eigenen "
        "Dagster-Instanz (DIR/.dagster), nie in der der echten Läufe. Alles ist als "
        "'Demodaten – synthetisch' gekennzeichnet.",
    )
    demo.add_argument("--out", default="reports/demo", help="Ausgabeordner (Vorgabe: reports/demo)")
    demo.add_argument("--seed", type=int, default=20261125, help="Startwert des Zufallsgenerators (Vorgabe: 20261125)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from pipelines.commands.pipeline import Context
    from praevention.publish.output import claim

    out = claim(Path(args.out))  # a foreign folder is refused before anything in it is touched
    raw = out / "rohdaten"
    started = time.monotonic()
    if raw.exists():
        import shutil

        shutil.rmtree(raw)  # the generator owns this folder: a re-run starts from the same files
    truth = generate_demo(raw, seed=args.seed)
    print(
        f"praevention demo: Demoland in {raw} geschrieben in {time.monotonic() - started:.1f} s "
        f"({len(truth)} bekannte Wirkungen in demo_truth.json)",
        file=sys.stderr,
    )
    # an instance of its own: the real runs' versions and `praevention plan` never see the demo
    ctx = Context(raw, out / "warehouse.duckdb", out, None, synthetic=True, land=LAND, dagster_home=out / DEMO_INSTANCE)
    ctx.prepare_output()
    code = ctx.execute(ctx.graph.order, "demo")
    if code == 0:
        print(f"praevention demo: {out / 'index.html'} öffnen", file=sys.stderr)
    return code
