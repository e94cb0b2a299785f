"""WCAG 2.1 A/AA on the error pages and the admin, a keyboard-only walk through the
portal, and the admin working under the Content-Security-Policy. Every page a role may
open is checked with axe at 390 and 1366 px in test_layout_browser.py, which opens each
page once for both widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests.browser.pages import (
    DEMO_PASSWORD,
    WCAG_21_AA,
    log_in,
    open_page,
    open_round,
    tab_to,
)
from tests.paths import DATA
from tests.url_table import site_objects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST_DATA = DATA

ADMIN_PAGES = [
    "/admin/",
    "/admin/registry/migrantcount/",
    "/admin/registry/migrantcount/import/",
    "/admin/policy/attentionpoint/",
    "/admin/policy/attentionpoint/{point}/change/",
    "/admin/policy/recommendation/{recommendation}/history/",
]
# Reports the browser sends when the Content-Security-Policy blocks something.
CSP_WATCH = """() => { window.cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def _report(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{path}:\n{report}" for path, report in failures.items())


@pytest.mark.parametrize("path", ["/bestaat-niet/", "/redactie/"])
def test_the_error_pages_have_no_wcag_21_a_or_aa_violations(page, demo_site, path):
    log_in(page, demo_site.url)  # a council member: 404, and 403 on the editing desk
    page.goto(demo_site.url + path)

    results = Axe().run(page, options=WCAG_21_AA)

    assert results.violations_count == 0, results.generate_report()


def test_the_admin_works_under_the_content_security_policy(page, demo_site):
    objects = site_objects()
    page.add_init_script(CSP_WATCH.join(["(", ")()"]))
    get_user_model().objects.create_superuser("root", "root@example.org", DEMO_PASSWORD)
    log_in(page, demo_site.url, "root")
    response = page.goto(demo_site.url + "/admin/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    for path in ADMIN_PAGES:
        open_page(page, demo_site.url + path.format(**objects))
        assert page.evaluate("window.cspViolations") == [], path
        assert page.console_errors == [], path
    # The admin's own scripts run: the change list's "select all" box ticks every row.
    page.goto(demo_site.url + "/admin/policy/attentionpoint/")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() > 0


def test_the_export_pages_select_all_box_works_under_the_content_security_policy(page, demo_site):
    page.add_init_script(CSP_WATCH.join(["(", ")()"]))
    log_in(page, demo_site.url, "griffie")
    open_page(page, demo_site.url + "/admin/registry/migrantcount/export/")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert fields.count() > 1

    page.uncheck("#select-all-toggle")

    assert page.locator(".selectable-field-export-row input[type=checkbox]:checked").count() == 0
    assert page.evaluate("window.cspViolations") == []
    assert page.console_errors == []


# The admin walk in three parts of about equal length, so the two test workers share it.
ADMIN_PARTS = {
    "registry": {"registry"},
    "policy": {"policy"},
    "accounts-and-site": {"auth", "axes", "otp_totp", "otp_static", "dashboards"},
}


def _admin_pages(app_labels: set[str]) -> list[str]:
    """For every model of these apps its list, add form and one object; for models kept by
    django-simple-history also that object's history, which lists the model's own fields.
    Django's plain history page is one template for all models: the site part opens it once."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in app_labels:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
            if isinstance(model_admin, SimpleHistoryAdmin):
                pages.append(reverse(f"{name}_history", args=[first.pk]))
    if "auth" in app_labels:
        user = get_user_model().objects.order_by("pk").first()
        pages += [
            reverse("admin:index"),
            reverse("admin:auth_user_history", args=[user.pk]),
            "/admin/registry/migrantcount/import/",
        ]
    return pages


def test_the_admin_walk_covers_every_registered_app():
    assert set().union(*ADMIN_PARTS.values()) == {
        model._meta.app_label for model in admin.site._registry
    }


@pytest.mark.parametrize("part", ADMIN_PARTS)
def test_every_admin_page_has_no_wcag_21_a_or_aa_violations(page, demo_site, part):
    site_objects()
    log_in(page, demo_site.url, "admin")  # the superuser sees every admin page
    failures = {}

    for path in _admin_pages(ADMIN_PARTS[part]):
        response = open_page(page, demo_site.url + path)
        if response.status == 403:  # e.g. adding to a model that only imports may fill
            continue
        assert response.status == 200, path
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures[path] = results.generate_report()

    assert not failures, _report(failures)


def test_the_import_preview_has_no_wcag_21_a_or_aa_violations(page, demo_site):
    log_in(page, demo_site.url, "griffie")
    page.goto(demo_site.url + "/admin/registry/migrantcount/import/")

    page.set_input_files("#id_import_file", str(TEST_DATA / "statline_labels.csv"))
    page.click("form[enctype='multipart/form-data'] [type=submit]")
    page.wait_for_selector("table.import-totals")

    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_a_member_walks_from_login_to_a_ballot_by_keyboard_only(page, demo_site):
    round_ = open_round(count=3)
    page.goto(demo_site.url + "/login/")

    tab_to(page, "#id_username")
    page.keyboard.type("raadslid")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/dashboards/")

    tab_to(page, "nav a[href^='/dashboards/vergelijken/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/dashboards/vergelijken/**")

    tab_to(page, ".downloads a[href*='format=csv']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")

    tab_to(page, "nav a[href='/prioriteiten/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/prioriteiten/")
    tab_to(page, f"a[href='/prioriteiten/{round_.pk}/stemmen/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/prioriteiten/{round_.pk}/stemmen/")
    tab_to(page, ".ranking-item[data-number='2'] .move-up")
    page.keyboard.press("Enter")
    tab_to(page, "form.ballot button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/prioriteiten/{round_.pk}/#own-ballot")

    assert page.locator(".messages .success").count() == 1
    assert page.console_errors == []
