"""``praevention fetch``: download the raw sources from their official publishers (``data/sources.yaml``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

#: the years ``praevention fetch`` and the scheduled download ask for (the catalogue has files for these)
DEFAULT_YEARS = "2014-2024"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    fetch = subparsers.add_parser(
        "fetch",
        help="die Quellen bei ihren amtlichen Herausgebern herunterladen, in den Rohdatenordner",
        description="Lädt jede Datei aus data/sources.yaml für die angegebenen Jahre herunter, mit Wiederholungen, "
        "Fortsetzen und Prüfsummen. Eine gute Datei wird nie durch eine schlechte ersetzt.",
    )
    fetch.add_argument(
        "--years", default=DEFAULT_YEARS, help=f"Jahre, z. B. 2014-2024 oder 2019,2021 (Vorgabe {DEFAULT_YEARS})"
    )
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

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, transient=False, disable=not sys.stderr.isatty()) as bar:

        def progress_of(download) -> Callable[[int, int | None], None]:
            task = bar.add_task(f"{download.source} {download.year}", total=None)
            return lambda done, total: bar.update(task, completed=done, total=total)

        failed = fetch_sources(
            args.raw_dir,
            args.years,
            sources=args.source,
            mirror=args.mirror,
            retries=args.retries,
            timeout=args.timeout,
            catalogue=args.catalogue,
            show=lambda line: print(line, file=sys.stderr),
            progress_of=progress_of,
        )
    return 1 if failed else 0


def fetch_sources(
    raw_dir: str | Path | None,
    years: str = DEFAULT_YEARS,
    *,
    sources: list[str] | None = None,
    mirror: str | None = None,
    retries: int = 4,
    timeout: float = 60.0,
    catalogue: Path | None = None,
    show: Callable[[str], None],
    progress_of: Callable = lambda download: lambda done, total: None,
) -> int:
    """Download every file of the catalogue for ``years`` into the raw-data folder, one line per file through
    ``show`` (and the sources to fetch by hand, and a summary); returns how many failed. ``praevention fetch``
    and the scheduled job ``fetch_sources`` (:mod:`pipelines.schedules`) both run it."""
    from praevention import config
    from praevention.fetch.catalog import CATALOGUE, load_catalogue, mirrored, parse_years
    from praevention.fetch.download import FetchError, Policy, fetch_file

    raw = config.raw_dir(raw_dir)
    downloads, manual = load_catalogue(catalogue or CATALOGUE, years=parse_years(years), sources=sources)
    policy = Policy(retries=retries, timeout=timeout)
    failed = []
    for d in downloads:
        try:
            outcome = fetch_file(
                mirrored(d.url, mirror),
                raw / d.target,
                sha256=d.sha256,
                landing=d.landing,
                policy=policy,
                progress=progress_of(d),
            )
            show(f"{outcome:10s} {d.target}")
        except FetchError as exc:
            failed.append(d)
            show(f"GESCHEITERT {d.target}: {exc}")
    for m in manual:
        show(f"von Hand    {m.source}: {m.title} – von {m.landing} nach {raw / m.folder}")
    show(
        f"praevention fetch: {len(downloads) - len(failed)} von {len(downloads)} Datei(en) in {raw}"
        + (f"; {len(failed)} gescheitert" if failed else "")
    )
    return len(failed)
