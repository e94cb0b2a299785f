"""Every page, for every role, on a phone (390 px) and a laptop (1366 px): nothing scrolls
sideways and axe-core finds no WCAG 2.1 A or AA violation. One browser and one login per
role; each page is opened once and measured at both widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import WCAG_21_AA, open_page, pages_for_role, sign_in_as
from tests.url_table import ROLES, site_objects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP = 390, 1366
WIDTHS = (PHONE, LAPTOP)
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
# The elements that stick out past the right edge, outside any box that scrolls itself.
STICKING_OUT = """() => Array.from(document.querySelectorAll('body *')).filter((element) => {
  if (element.getBoundingClientRect().right <= window.innerWidth + 1) return false;
  for (let box = element.parentElement; box; box = box.parentElement) {
    if (['auto', 'scroll', 'clip'].includes(getComputedStyle(box).overflowX)) return false;
  }
  return true;
}).slice(0, 5).map((element) => element.tagName.toLowerCase() + '.' + element.className)"""


def _measure(page, path: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(50)  # one frame for the charts to follow the new width
    problems = []
    if not page.evaluate(FITS):
        problems.append(f"scrolls sideways at {width} px: {page.evaluate(STICKING_OUT)}")
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        problems.append(f"axe at {width} px:\n{results.generate_report()}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_a_laptop_without_wcag_violations(page, demo_site, role):
    objects = site_objects()
    sign_in_as(page, demo_site.url, role)
    failures = {}

    for path in pages_for_role(role, objects):
        open_page(page, demo_site.url + path)
        problems = [line for width in WIDTHS for line in _measure(page, path, width)]
        if problems:
            failures[path] = "\n".join(problems)

    assert not failures, "\n\n".join(f"{path}:\n{report}" for path, report in failures.items())


def test_the_policy_matrix_stacks_per_group_on_a_phone(page, demo_site):
    sign_in_as(page, demo_site.url, "raadslid")
    page.set_viewport_size({"width": PHONE, "height": 900})
    open_page(page, demo_site.url + "/dashboards/beleidsmatrix/?municipality=GM0394")

    first_row = page.locator(".matrix-table tbody tr").first
    cell = first_row.locator("td.cell").first

    assert first_row.evaluate("(row) => getComputedStyle(row).display") == "block"
    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") != "none"
    assert cell.bounding_box()["width"] <= PHONE


def test_the_policy_matrix_is_a_table_on_a_laptop(page, demo_site):
    sign_in_as(page, demo_site.url, "raadslid")
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    open_page(page, demo_site.url + "/dashboards/beleidsmatrix/?municipality=GM0394")

    row = page.locator(".matrix-table tbody tr").first

    assert row.evaluate("(row) => getComputedStyle(row).display") == "table-row"


def test_a_wide_table_scrolls_inside_its_own_labelled_box_on_a_phone(page, demo_site):
    sign_in_as(page, demo_site.url, "raadslid")
    page.set_viewport_size({"width": PHONE, "height": 900})
    open_page(page, demo_site.url + "/opvolging/?municipality=GM0394")

    box = page.locator(".table-scroll").first

    assert box.get_attribute("role") == "region"
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-labelledby") or box.get_attribute("aria-label")
    assert box.evaluate("(box) => getComputedStyle(box).overflowX") == "auto"
    assert page.evaluate(FITS)


def test_the_main_menu_folds_on_a_phone_and_opens_with_its_toggle(page, demo_site):
    sign_in_as(page, demo_site.url, "raadslid")
    page.set_viewport_size({"width": PHONE, "height": 900})
    compare = page.locator("nav a[href^='/dashboards/vergelijken/']")
    assert not compare.is_visible()

    page.click(".site-nav__toggle")

    assert compare.is_visible()
    assert page.evaluate(FITS)


def test_the_main_menu_is_always_open_on_a_laptop(page, demo_site):
    sign_in_as(page, demo_site.url, "raadslid")
    page.set_viewport_size({"width": LAPTOP, "height": 900})

    assert page.locator("nav a[href^='/dashboards/vergelijken/']").is_visible()
    assert not page.locator(".site-nav__toggle").is_visible()
