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
        help="generate a synthetic Land (Demoland, key 99) and run the whole pipeline on it, offline",
        description="Writes the raw files of Demoland in the published formats into DIR/rohdaten, "
        "loads them into DIR/warehouse.duckdb and writes every product into DIR, recorded in a Dagster instance "
        "of its own (DIR/.dagster), never in the one of the real runs. Everything is labelled "
        "'Demodaten – synthetisch'.",
    )
    demo.add_argument("--out", default="reports/demo", help="output directory (default: reports/demo)")
    demo.add_argument("--seed", type=int, default=20261125, help="seed of the generator (default: 20261125)")
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
        f"praevention demo: Demoland written to {raw} in {time.monotonic() - started:.1f} s "
        f"({len(truth)} known effects in demo_truth.json)",
        file=sys.stderr,
    )
    # an instance of its own: the real runs' versions and `praevention plan` never see the demo
    ctx = Context(raw, out / "warehouse.duckdb", out, None, synthetic=True, land=LAND, dagster_home=out / DEMO_INSTANCE)
    ctx.prepare_output()
    code = ctx.execute(ctx.graph.order, "demo")
    if code == 0:
        print(f"praevention demo: open {out / 'index.html'}", file=sys.stderr)
    return code
