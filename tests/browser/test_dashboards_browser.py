"""Council members' dashboards in a real browser: drawing, keyboard use, accessibility."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import WCAG_21_AA, log_in, open_page

# The live server runs in another thread, so the data must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AALSMEER_REGISTER = "/dashboards/register/?municipality=GM0358"  # with estimates and ranges
CHOSEN_PACK = "/dashboards/debatpakket/?include=overview:motive-split&include=findings:all"
DASHBOARDS = [
    "/dashboards/",
    "/dashboards/vergelijken/",
    AALSMEER_REGISTER,
    "/dashboards/beleidsmatrix/",
    "/dashboards/bevindingen/",
    "/dashboards/indicatoren/",
    CHOSEN_PACK,
]
VARIANTS = [AALSMEER_REGISTER, CHOSEN_PACK]


def test_every_dashboard_draws_its_charts_without_console_errors(page, demo_site):
    log_in(page, demo_site.url)

    for path in DASHBOARDS:
        page.goto(demo_site.url + path)  # waits for "load": the deferred charts.js has drawn
        figures = page.locator("[data-figure]")
        for index in range(figures.count()):
            assert figures.nth(index).locator("svg.main-svg").count() > 0, path
        assert page.console_errors == [], path


def test_dashboards_with_estimates_and_a_chosen_pack_have_no_wcag_21_a_or_aa_violations(
    page, demo_site
):
    """The role walk in test_accessibility_browser opens every dashboard as it first appears;
    these two views draw what the defaults do not (estimate bands, a member's own pack)."""
    log_in(page, demo_site.url)
    failures = {}

    for path in VARIANTS:
        open_page(page, demo_site.url + path)
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures[path] = results.generate_report()

    assert not failures, "\n\n".join(f"{path}:\n{report}" for path, report in failures.items())


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
    # Enter only starts the navigation; the load state of the old page says nothing about it.
    page.wait_for_url("**municipality=GM0637**")

    assert "municipality=GM0637" in page.url
    assert "from=2020" in page.url
    assert page.locator("h1").inner_text().endswith("Zoetermeer")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(page, demo_site):
    log_in(page, demo_site.url)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('utrecht-skip-link')")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_dashboards_fit_a_360_pixel_wide_screen_without_sideways_scrolling(page, demo_site):
    log_in(page, demo_site.url)
    page.set_viewport_size({"width": 360, "height": 800})

    for path in DASHBOARDS:
        open_page(page, demo_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
