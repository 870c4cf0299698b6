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


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    data = make_report_data(24, synthetic=True)
    out = tmp_path_factory.mktemp("reports")
    figures, files = render_products(data, out)
    by_folder = {products.FOLDERS[k]: v for k, v in files.items()}
    files["site"] = [render_site(data, out, by_folder)]
    return Rendered(data, out, files, figures)
