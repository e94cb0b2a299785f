"""Recommendation follow-up in a real browser: accessibility of the monitor and the forms."""

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from policy.constants import RecommendationStatus, StatusReporter
from policy.models import Recommendation, RecommendationStatusChange
from tests.browser.pages import WCAG_21_AA, log_in

# The live server runs in another thread, so the data must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_violations(page) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def zoetermeer_recommendation(demo_site) -> Recommendation:
    """Zoetermeer's first recommendation, with a verdict and a differing college claim."""
    recommendation = Recommendation.objects.get(
        report__slug="zoetermeer-arbeidsmigranten-2025", number=1
    )
    for status, on, reporter in [
        (RecommendationStatus.IN_PROGRESS, date(2026, 2, 1), StatusReporter.AUDIT_OFFICE),
        (RecommendationStatus.DONE, date(2026, 3, 12), StatusReporter.COLLEGE),
    ]:
        RecommendationStatusChange.objects.create(
            recommendation=recommendation, status=status, changed_on=on, reported_by=reporter
        )
    return recommendation


@pytest.mark.parametrize("username", ["raadslid", "rekenkamer"])
def test_monitor_has_no_wcag_21_a_or_aa_violations(
    page, demo_site, zoetermeer_recommendation, username
):
    log_in(page, demo_site.url, username)

    page.goto(f"{demo_site.url}/opvolging/?municipality=GM0637")

    assert page.locator("table.followup-monitor tbody tr").count() == 5
    assert_no_violations(page)


def test_followup_page_with_its_progress_form_has_no_violations(
    page, demo_site, zoetermeer_recommendation
):
    log_in(page, demo_site.url, "rekenkamer")

    page.goto(f"{demo_site.url}/opvolging/aanbeveling/{zoetermeer_recommendation.pk}/")

    assert page.locator("form.followup-form").count() == 1
    assert page.locator(".followup-claim-line").count() == 1
    assert_no_violations(page)


def test_decision_form_has_no_violations_also_with_errors(
    page, demo_site, zoetermeer_recommendation
):
    log_in(page, demo_site.url, "rekenkamer")
    page.goto(f"{demo_site.url}/opvolging/aanbeveling/{zoetermeer_recommendation.pk}/bijwerken/")
    assert_no_violations(page)

    # The demo holds only the provisional planning; the dates entered here are the actual
    # ones, and opinion forming after the decision is refused.
    page.fill("#id_besluitvorming_on", "2025-10-13")
    page.fill("#id_oordeelsvorming_on", "2025-10-20")
    page.click(".followup-form button[type=submit]")

    assert page.locator("#id_oordeelsvorming_on_error").count() == 1
    assert_no_violations(page)


def test_progress_update_recorded_by_keyboard_appears_on_the_page(
    page, demo_site, zoetermeer_recommendation
):
    log_in(page, demo_site.url, "rekenkamer")
    page.goto(f"{demo_site.url}/opvolging/aanbeveling/{zoetermeer_recommendation.pk}/")

    page.focus("#id_changed_on")
    page.keyboard.type("05042026")  # Chromium's Dutch date field: day, month, year
    page.focus("#id_status_3")  # "done"
    page.keyboard.press("Space")
    page.focus("#id_note")
    page.keyboard.type("Eindrapportage ontvangen")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # Enter only starts the POST and redirect back to this same URL, so waiting for the load
    # state or the URL could read the old page; the web-first assertion retries until it shows.
    expect(page.locator("#progress-heading + div table")).to_contain_text(
        "Eindrapportage ontvangen", timeout=15_000
    )
    assert zoetermeer_recommendation.status_changes.filter(
        status=RecommendationStatus.DONE, reported_by=StatusReporter.AUDIT_OFFICE
    ).exists()
    assert_no_violations(page)


def test_progress_form_with_a_future_date_shows_its_error_without_violations(
    page, demo_site, zoetermeer_recommendation
):
    log_in(page, demo_site.url, "rekenkamer")
    page.goto(f"{demo_site.url}/opvolging/aanbeveling/{zoetermeer_recommendation.pk}/voortgang/")

    page.fill("#id_changed_on", "2999-01-01")
    page.check("#id_status_2")
    page.click(".followup-form button[type=submit]")

    assert page.locator("#id_changed_on_error").count() == 1
    assert_no_violations(page)
