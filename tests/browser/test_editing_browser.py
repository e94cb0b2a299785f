"""The audit office's editing desk in a real browser: accessible, and a change reaches members."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from policy.models import AttentionPoint
from tests.browser.pages import WCAG_21_AA, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page, what: str) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"


def test_the_editing_pages_have_no_wcag_21_a_or_aa_violations(page, demo_site):
    point = AttentionPoint.objects.filter(report__municipality__code="GM0394").first()
    log_in(page, demo_site.url, username="rekenkamer")

    for path in [
        "/redactie/?municipality=GM0394",
        f"/redactie/rapport/{point.report_id}/",
        f"/redactie/aandachtspunt/{point.pk}/bewerken/",
        f"/bevinding/aandachtspunt/{point.pk}/",
    ]:
        page.goto(demo_site.url + path)
        _assert_accessible(page, path)


def test_an_edit_previewed_and_saved_shows_in_the_history(page, demo_site):
    point = AttentionPoint.objects.filter(report__municipality__code="GM0394").first()
    log_in(page, demo_site.url, username="rekenkamer")
    page.goto(f"{demo_site.url}/redactie/aandachtspunt/{point.pk}/bewerken/")

    page.fill("#id_explanation", "Twee punten:\n\n- eerste\n- tweede")
    page.click("button[value=preview]")
    assert page.locator(".preview li").all_inner_texts() == ["eerste", "tweede"]
    _assert_accessible(page, "preview")
    page.click("button[value=save]")

    page.wait_for_url(f"{demo_site.url}/bevinding/aandachtspunt/{point.pk}/")
    assert page.locator(".formatted li").count() == 2
    assert "rekenkamer" in page.locator(".history-list").first.inner_text()
    _assert_accessible(page, "item page after saving")


def test_a_refused_stale_edit_is_accessible(page, demo_site):
    point = AttentionPoint.objects.filter(report__municipality__code="GM0394").first()
    log_in(page, demo_site.url, username="rekenkamer")
    page.goto(f"{demo_site.url}/redactie/aandachtspunt/{point.pk}/bewerken/")
    point.title = "Titel van een collega"
    point.save()  # someone else saves meanwhile

    page.fill("#id_title", "Mijn titel")
    page.click("button[value=save]")

    assert page.locator(".stale[role=alert]").count() == 1
    assert "Titel van een collega" in page.locator(".stale").inner_text()
    _assert_accessible(page, "stale edit")
