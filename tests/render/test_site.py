"""The static site in headless Chromium: loads from file:// without console errors, the search finds
Quedlinburg, a click opens its fact sheet, and the map links every Gemeinde."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.render.conftest import Rendered

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(rendered: Rendered):
    if CHROMIUM is None:
        pytest.fail("Debian chromium is required (scripts/setup.sh installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto((rendered.out / "index.html").as_uri())
        pg.console_errors = errors
        yield pg
        browser.close()


def test_site_loads_without_console_errors(page) -> None:
    assert page.title().startswith("Präventionsmonitor")
    assert page.console_errors == []


def test_search_finds_quedlinburg_and_a_click_opens_its_fact_sheet(page) -> None:
    page.fill("#suche", "quedlin")
    hit = page.locator("#treffer a.treffer", has_text="Quedlinburg (Gemeinde")
    assert hit.count() == 1
    hit.click()
    page.wait_for_load_state()
    assert "gemeinde_15085235_quedlinburg.html" in page.url
    assert page.locator("h1").inner_text().strip() == "Steckbrief Quedlinburg"
    page.go_back()


def test_search_ignores_umlauts_and_reports_no_hit(page) -> None:
    page.fill("#suche", "weissenfels")
    assert page.locator("#treffer a.treffer", has_text="Weißenfels").count() == 1
    page.fill("#suche", "xyzxyz")
    assert page.locator("#treffer").inner_text().strip() == "Kein Treffer"


def test_map_links_every_gemeinde_with_a_fact_sheet(page, rendered: Rendered) -> None:
    hrefs = page.eval_on_selector_all("svg a", "els => els.map(e => e.getAttribute('href'))")
    assert len(set(hrefs)) == len(rendered.data.gemeinden)
    assert all(h.startswith("steckbriefe/gemeinde_") and h.endswith(".html") for h in hrefs)
