"""``praevention fetch``: download the raw sources from their official publishers (``data/sources.yaml``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    fetch = subparsers.add_parser(
        "fetch",
        help="download the sources from their official publishers into the raw-data directory",
        description="Downloads every file of data/sources.yaml for the given years, with retries, resume and "
        "checksum verification. A good file is never replaced by a bad one.",
    )
    fetch.add_argument("--years", default="2014-2024", help="years, e.g. 2014-2024 or 2019,2021 (default 2014-2024)")
    fetch.add_argument("--raw-dir", help="raw-data directory (default: $PRAEVENTION_RAW_DIR or data/raw)")
    fetch.add_argument("--source", action="append", help="only this source (repeatable): pks, unfallatlas, …")
    fetch.add_argument("--mirror", help="base URL of a mirror that keeps the official paths ({mirror}/{host}/{path})")
    fetch.add_argument("--retries", type=int, default=4, help="retries per file (default 4)")
    fetch.add_argument("--timeout", type=float, default=60.0, help="seconds without data before a retry (default 60)")
    fetch.add_argument("--catalogue", type=Path, help="another source catalogue (default data/sources.yaml)")
    fetch.set_defaults(handler=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from praevention import config
    from praevention.fetch.catalog import CATALOGUE, load_catalogue, mirrored, parse_years
    from praevention.fetch.download import FetchError, Policy, fetch_file

    raw = config.raw_dir(args.raw_dir)
    downloads, manual = load_catalogue(args.catalogue or CATALOGUE, years=parse_years(args.years), sources=args.source)
    policy = Policy(retries=args.retries, timeout=args.timeout)
    failed = []
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, transient=False, disable=not sys.stderr.isatty()) as bar:
        for d in downloads:
            task = bar.add_task(f"{d.source} {d.year}", total=None)
            try:
                outcome = fetch_file(
                    mirrored(d.url, args.mirror),
                    raw / d.target,
                    sha256=d.sha256,
                    landing=d.landing,
                    policy=policy,
                    progress=lambda done, total, t=task: bar.update(t, completed=done, total=total),
                )
                print(f"{outcome:10s} {d.target}", file=sys.stderr)
            except FetchError as exc:
                failed.append(d)
                print(f"FAILED     {d.target}: {exc}", file=sys.stderr)
    for m in manual:
        print(f"by hand    {m.source}: {m.title} – from {m.landing} into {raw / m.folder}", file=sys.stderr)
    print(
        f"praevention fetch: {len(downloads) - len(failed)} of {len(downloads)} file(s) in {raw}"
        + (f"; {len(failed)} failed" if failed else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0
