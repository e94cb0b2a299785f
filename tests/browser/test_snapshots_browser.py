"""The clerk freezes a debate pack in a real browser; the snapshot draws and is accessible."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import CHARTS_DRAWN, WCAG_21_AA, log_in, open_page

# The live server runs in another thread, so the data must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PACK = (
    "/dashboards/debatpakket/?municipality=GM0394"
    "&include=overview:motive-split&include=findings:all"
)


def _freeze(page, base_url: str) -> str:
    """Freeze the pack through its form; returns the snapshot page's URL."""
    page.goto(base_url + PACK)
    page.fill("#snapshot-title", "Migratie in Haarlemmermeer")
    page.fill("#snapshot-meeting-date", "2026-12-10")
    page.fill("#snapshot-agenda-item", "7b")
    page.click(".snapshot-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboards/vergaderingen/\d+/$"))  # and its "load"
    page.wait_for_function(CHARTS_DRAWN)
    return page.url


def test_the_clerk_freezes_a_pack_and_its_snapshot_draws_without_console_errors(page, demo_site):
    log_in(page, demo_site.url, "griffie")

    _freeze(page, demo_site.url)

    figures = page.locator("[data-figure]")
    assert figures.count() == 1
    assert figures.first.locator("svg.main-svg").count() > 0
    assert "Migratie in Haarlemmermeer" in page.locator("h1").inner_text()
    assert page.console_errors == []


def test_the_snapshot_page_and_the_list_have_no_wcag_21_a_or_aa_violations(page, demo_site):
    log_in(page, demo_site.url, "griffie")
    snapshot_url = _freeze(page, demo_site.url)

    for url in (snapshot_url, demo_site.url + "/dashboards/vergaderingen/"):
        open_page(page, url)
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, (url, results.generate_report())


def test_the_freeze_form_on_the_pack_has_no_wcag_21_a_or_aa_violations(page, demo_site):
    log_in(page, demo_site.url, "griffie")
    open_page(page, demo_site.url + PACK)

    results = Axe().run(page, options=WCAG_21_AA)

    assert results.violations_count == 0, results.generate_report()
