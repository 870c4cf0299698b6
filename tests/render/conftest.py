"""Every product rendered once per session from the synthetic Land of :mod:`tests.render.synthetic_land`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from praevention.render import products
from praevention.render.data import ReportData
from praevention.render.site import render_site
from tests.render.synthetic_land import make_report_data, render_products


@dataclass
class Rendered:
    data: ReportData
    out: Path
    files: dict[str, list[Path]]
    figures: products.Figures


@dataclass
class RealRun:
    """One ``praevention run`` on the real data (../shared/data): its output folder and warehouse."""

    out: Path
    warehouse: Path


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> RealRun:
    """The real run every product test of this folder reads (about three minutes, once per session)."""
    from pipelines.cli import main

    root = tmp_path_factory.mktemp("real_run")
    out, warehouse = root / "out", root / "w.duckdb"
    assert main(["run", "--raw-dir", str(shared_data), "--warehouse", str(warehouse), "--out", str(out)]) == 0
    return RealRun(out, warehouse)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    data = make_report_data(24, synthetic=True)
    out = tmp_path_factory.mktemp("reports")
    figures, files = render_products(data, out)
    by_folder = {products.FOLDERS[k]: v for k, v in files.items()}
    files["site"] = [render_site(data, out, by_folder)]
    return Rendered(data, out, files, figures)
