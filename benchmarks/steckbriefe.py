"""Render time of the fact sheets for a Land of 218 synthetic Gemeinden (Sachsen-Anhalt's count).

    uv run python benchmarks/steckbriefe.py [--gemeinden 218] [--workers 1 2]

Prints one line per worker count: sheets, files, seconds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipelines.render.steckbrief import render_fact_sheets
from tests.render.synthetic_land import make_report_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeinden", type=int, default=218)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data = make_report_data(args.gemeinden, synthetic=True)
    sheets = len(data.gemeinden) + len(data.bodies)
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            files = render_fact_sheets(data, Path(tmp), workers=workers)
            seconds = time.perf_counter() - start
        print(f"workers={workers}: {sheets} sheets ({len(files)} files: PDF + HTML) in {seconds:.1f} s")


if __name__ == "__main__":
    main()
