"""A council member ranks attention points in a real browser, by keyboard only; and the
round pages pass axe-core's WCAG 2.1 A and AA rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from migrantportal.roles import Role
from policy.models import BallotEntry, PrioritisationRound
from policy.services import rounds as services
from tests.browser.pages import WCAG_21_AA, log_in, open_page, open_round, tab_to
from tests.factories import user_with_role

# The live server runs in another thread, so the data must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def closed_round() -> PrioritisationRound:
    """A closed round with the three ballots a result needs before it is shown."""
    round_ = open_round(count=4, title="Prioriteiten 2022–2026")
    points = list(round_.attention_points.order_by("-number"))
    voters = [get_user_model().objects.get(username="raadslid")] + [
        user_with_role(Role.RAADSLID, username=f"raadslid-{round_.pk}-{index}")
        for index in range(2)
    ]
    for voter in voters:
        services.ballot_submit(
            round_id=round_.pk,
            voter=voter,
            values={point.pk: place for place, point in enumerate(points, start=1)},
        )
    return services.round_close(round_id=round_.pk)


# "Aandachtspunt 3 staat nu op plaats 2" (or the English text before translations are merged).
ANNOUNCED = """([number, place]) => new RegExp(
    `(punt|point) ${number} .*(plaats|place) ${place}`, "i"
).test(document.getElementById("ballot-status").textContent)"""


def focused_number(page) -> str:
    return page.evaluate("document.activeElement.closest('.ranking-item').dataset.number")


def test_a_member_ranks_the_attention_points_by_keyboard_only(page, demo_site):
    round_ = open_round(count=3)
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/prioriteiten/{round_.pk}/stemmen/")

    # Attention point 3 to the top: Enter once, Space once on its "Move up" button.
    tab_to(page, ".ranking-item[data-number='3'] .move-up")
    page.keyboard.press("Enter")
    assert focused_number(page) == "3"
    page.wait_for_function(ANNOUNCED, arg=[3, 2])
    page.keyboard.press("Space")
    page.wait_for_function(ANNOUNCED, arg=[3, 1])
    assert focused_number(page) == "3"
    assert page.evaluate("document.activeElement.classList.contains('move-up')")
    places = page.locator(".ranking-item select").evaluate_all("(s) => s.map((e) => e.value)")
    assert places == ["1", "2", "3"]

    tab_to(page, "form.ballot button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site.url}/prioriteiten/{round_.pk}/#own-ballot")

    assert page.locator(".messages .success").count() == 1
    stored = BallotEntry.objects.filter(ballot__round=round_).order_by("rank")
    assert [entry.attention_point.number for entry in stored] == [3, 1, 2]
    assert page.console_errors == []


def test_the_live_region_says_where_the_moved_point_went(page, demo_site):
    round_ = open_round(count=3)
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/prioriteiten/{round_.pk}/stemmen/")

    tab_to(page, ".ranking-item[data-number='1'] .move-down")
    page.keyboard.press("Enter")

    page.wait_for_function(ANNOUNCED, arg=[1, 2])
    assert page.locator("#ballot-status").get_attribute("role") == "status"
    assert focused_number(page) == "1"
    assert page.evaluate("document.activeElement.classList.contains('move-down')")


@pytest.mark.parametrize("which", ["list", "ballot", "result"])
def test_round_pages_have_no_wcag_21_a_or_aa_violations(page, demo_site, which):
    if which == "result":
        path = f"/prioriteiten/{closed_round().pk}/"
    elif which == "ballot":
        path = f"/prioriteiten/{open_round().pk}/stemmen/"
    else:
        open_round()
        closed_round()
        path = "/prioriteiten/"
    log_in(page, demo_site.url)
    open_page(page, demo_site.url + path)
    if which == "result":
        assert page.locator("[data-figure] svg.main-svg").count() > 0

    results = Axe().run(page, options=WCAG_21_AA)

    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []
