"""Browser tests: Debian's Chromium driven by Playwright for Python.

Outside CI they skip, with the reason, where Chromium or Playwright is missing;
in CI (CI=true) a missing browser is an error, so the tests cannot silently
stop running.
"""

import importlib
import io
import os
import shutil

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from migrantportal.pdf import CLOSED_NETWORK_FLAGS

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = list(CLOSED_NETWORK_FLAGS)


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow its ORM beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def chromium(settings) -> str:
    """Debian's Chromium for the server's PDF downloads (no Playwright needed)."""
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    settings.PDF_CHROMIUM_PATH = CHROMIUM
    return CHROMIUM


@pytest.fixture
def pdftotext() -> str:
    """poppler-utils' pdftotext, which reads the text of a PDF for the PDF tests."""
    found = shutil.which("pdftotext")
    if not found:
        reason = "pdftotext not found (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    return found


# Transactional tests empty every table afterwards, the rows the data
# migrations made included; these put them back before each browser test.
REFERENCE_DATA_MIGRATIONS = [
    ("registry.migrations.0002_motives", "create_motives"),
    ("policy.migrations.0002_groups_and_themes", "create_reference_data"),
    ("policy.migrations.0003_roles", "create_roles"),
    ("dashboards.migrations.0002_profile_permissions", "grant"),
    ("dashboards.migrations.0004_snapshot_permissions", "grant"),
    ("registry.migrations.0006_municipality_theme", "grant"),
]


def reference_data_restore() -> None:
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture
def demo_site(live_server):
    reference_data_restore()
    call_command("load_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
