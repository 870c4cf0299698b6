"""The product check over whole runs: the demo and the real data (../shared/data) must both pass it,
and the run's own blocking checks (product check and privacy scan) must let them through."""

from __future__ import annotations

from pathlib import Path

from praevention.publish.privacy_scan import scan
from praevention.publish.product_check import check_products
from tests.conftest import DemoRun, RealRun


def _assert_clean(out: Path) -> None:
    problems, n_files = check_products(out)
    assert n_files > 100, n_files
    assert not problems, "\n".join(p.line() for p in problems[:30])
    findings, _ = scan(out)
    assert not findings, [(f.file, f.where, f.kind) for f in findings[:10]]


def test_demo_products_pass_the_product_check(demo_run: DemoRun) -> None:
    _assert_clean(demo_run.out)


def test_real_products_pass_the_product_check(real_run: RealRun) -> None:
    real_out = real_run.out
    _assert_clean(real_out)
    workbook = real_out / "ministerium" / "tabellen.xlsx"
    release = real_out / "ministerium" / "offene-daten"
    assert workbook.exists() and (release / "praeventionsmonitor.gpkg").exists()
    assert "offene-daten/praeventionsmonitor.gpkg" in (real_out / "index.html").read_text(encoding="utf-8")
