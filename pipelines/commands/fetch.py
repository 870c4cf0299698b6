"""``praevention fetch``: download the raw sources from their official publishers (``data/sources.yaml``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    fetch = subparsers.add_parser(
        "fetch",
        help="die Quellen bei ihren amtlichen Herausgebern herunterladen, in den Rohdatenordner",
        description="Lädt jede Datei aus data/sources.yaml für die angegebenen Jahre herunter, mit Wiederholungen, "
        "Fortsetzen und Prüfsummen. Eine gute Datei wird nie durch eine schlechte ersetzt.",
    )
    fetch.add_argument("--years", default="2014-2024", help="Jahre, z. B. 2014-2024 oder 2019,2021 (Vorgabe 2014-2024)")
    fetch.add_argument("--raw-dir", help="Ordner der Rohdaten (Vorgabe: $PRAEVENTION_RAW_DIR oder data/raw)")
    fetch.add_argument("--source", action="append", help="nur diese Quelle (mehrfach möglich): pks, unfallatlas, …")
    fetch.add_argument("--mirror", help="Adresse eines Spiegels mit den amtlichen Pfaden ({mirror}/{host}/{path})")
    fetch.add_argument("--retries", type=int, default=4, help="Wiederholungen je Datei (Vorgabe 4)")
    fetch.add_argument(
        "--timeout", type=float, default=60.0, help="Sekunden ohne Daten bis zur Wiederholung (Vorgabe 60)"
    )
    fetch.add_argument("--catalogue", type=Path, help="ein anderer Quellenkatalog (Vorgabe data/sources.yaml)")
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
                print(f"GESCHEITERT {d.target}: {exc}", file=sys.stderr)
    for m in manual:
        print(f"von Hand    {m.source}: {m.title} – von {m.landing} nach {raw / m.folder}", file=sys.stderr)
    print(
        f"praevention fetch: {len(downloads) - len(failed)} von {len(downloads)} Datei(en) in {raw}"
        + (f"; {len(failed)} gescheitert" if failed else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0
