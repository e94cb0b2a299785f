"""Council members' dashboards in a real browser: drawing, keyboard use, accessibility."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in

# The live server runs in another thread, so the data must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARDS = [
    "/dashboards/",
    "/dashboards/vergelijken/",
    "/dashboards/register/?municipality=GM0358",
    "/dashboards/beleidsmatrix/",
    "/dashboards/bevindingen/",
    "/dashboards/indicatoren/",
    "/dashboards/debatpakket/?include=overview:motive-split&include=findings:all",
]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_every_dashboard_draws_its_charts_without_console_errors(page, demo_site):
    log_in(page, demo_site.url)

    for path in DASHBOARDS:
        page.goto(demo_site.url + path)
        page.wait_for_load_state("networkidle")
        figures = page.locator("[data-figure]")
        for index in range(figures.count()):
            assert figures.nth(index).locator("svg.main-svg").count() > 0, path
        assert page.console_errors == [], path


@pytest.mark.parametrize("path", DASHBOARDS)
def test_dashboard_has_no_wcag_21_a_or_aa_violations(page, demo_site, path):
    log_in(page, demo_site.url)
    page.goto(demo_site.url + path)
    page.wait_for_load_state("networkidle")

    results = Axe().run(page, options=WCAG_21_AA)

    assert results.violations_count == 0, results.generate_report()


def test_login_page_has_no_wcag_21_a_or_aa_violations(page, demo_site):
    page.goto(demo_site.url + "/login/")

    results = Axe().run(page, options=WCAG_21_AA)

    assert results.violations_count == 0, results.generate_report()


def test_switching_municipality_and_years_works_by_keyboard_only(page, demo_site):
    log_in(page, demo_site.url)
    page.goto(demo_site.url + "/dashboards/")

    page.focus("#filter-municipality")
    page.keyboard.press("End")  # the last municipality in the list: Zoetermeer
    page.keyboard.press("Tab")
    page.keyboard.type("2020")
    page.keyboard.press("Tab")
    page.keyboard.type("2023")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    assert "municipality=GM0637" in page.url
    assert "from=2020" in page.url
    assert page.locator("h1").inner_text().endswith("Zoetermeer")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(page, demo_site):
    log_in(page, demo_site.url)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_dashboards_fit_a_360_pixel_wide_screen_without_sideways_scrolling(page, demo_site):
    log_in(page, demo_site.url)
    page.set_viewport_size({"width": 360, "height": 800})

    for path in DASHBOARDS:
        page.goto(demo_site.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
