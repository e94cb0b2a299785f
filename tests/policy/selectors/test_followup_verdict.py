"""Recommendation follow-up, the verdict: the audit office's latest update, the college's claim."""

from datetime import date

import pytest

from policy.constants import (
    RecommendationStatus,
    VerdictBasis,
)
from tests.policy.followup_builders import (
    ADOPTED,
    AUDIT_OFFICE,
    COLLEGE,
    COUNCIL,
    DONE,
    IN_PROGRESS,
    MONITOR_URL,
    detail_url,
    read,
    recommendation_in,
    update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


# The verdict and the college's claim ------------------------------------------------


def test_verdict_is_the_audit_offices_latest_update_and_the_college_claim_is_beside_it(
    recommendation,
):
    update(recommendation, IN_PROGRESS, date(2026, 2, 1), by=AUDIT_OFFICE)
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)

    follow_up = read(recommendation)

    assert follow_up.verdict.status == IN_PROGRESS
    assert follow_up.verdict_basis == VerdictBasis.AUDIT_OFFICE_OR_COUNCIL
    assert (follow_up.claim.status, follow_up.claim.changed_on) == (DONE, date(2026, 3, 12))


def test_college_claim_is_not_shown_when_it_agrees_with_the_verdict(recommendation):
    update(recommendation, IN_PROGRESS, date(2026, 2, 1), by=AUDIT_OFFICE)
    update(recommendation, IN_PROGRESS, date(2026, 3, 12), by=COLLEGE)

    assert read(recommendation).claim is None


def test_council_update_counts_as_the_verdict(recommendation):
    update(recommendation, ADOPTED, date(2025, 10, 13), by=COUNCIL)
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)

    follow_up = read(recommendation)

    assert follow_up.verdict.status == ADOPTED
    assert follow_up.claim.status == DONE


def test_without_an_audit_office_or_council_update_the_colleges_latest_stands_in(
    recommendation,
):
    update(recommendation, IN_PROGRESS, date(2026, 1, 5), by=COLLEGE)
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)

    follow_up = read(recommendation)

    assert follow_up.verdict.status == DONE
    assert follow_up.verdict_basis == VerdictBasis.COLLEGE_ONLY
    assert follow_up.claim is None


def test_without_any_update_a_recommendation_is_open(recommendation):
    follow_up = read(recommendation)

    assert follow_up.verdict.status == RecommendationStatus.OPEN
    assert follow_up.verdict_basis == VerdictBasis.NO_UPDATES


def test_two_updates_on_one_day_the_later_recorded_counts(recommendation):
    update(recommendation, ADOPTED, date(2026, 3, 12))
    update(recommendation, IN_PROGRESS, date(2026, 3, 12))

    assert read(recommendation).verdict.status == IN_PROGRESS


def test_followup_page_shows_the_colleges_claim_beside_the_verdict(
    client, raadslid, recommendation
):
    update(recommendation, IN_PROGRESS, date(2026, 2, 1), by=AUDIT_OFFICE)
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)
    client.force_login(raadslid)

    client.cookies["django_language"] = "en"  # the language switch's choice
    response = client.get(detail_url(recommendation))

    text = " ".join(response.text.split())
    assert (
        "The college reports: done (12 March 2026); verdict of the audit office: in progress"
        in text
    )


def test_followup_page_shows_no_claim_when_college_and_verdict_agree(
    client, raadslid, recommendation
):
    update(recommendation, IN_PROGRESS, date(2026, 2, 1), by=AUDIT_OFFICE)
    update(recommendation, IN_PROGRESS, date(2026, 3, 12), by=COLLEGE)
    client.force_login(raadslid)

    client.cookies["django_language"] = "en"  # the language switch's choice
    response = client.get(detail_url(recommendation))

    assert "The college reports" not in response.text


def test_followup_page_says_when_the_college_stands_in_for_the_verdict(
    client, raadslid, recommendation
):
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)
    client.force_login(raadslid)

    client.cookies["django_language"] = "en"  # the language switch's choice
    response = client.get(detail_url(recommendation))

    assert "the status shown is the latest one the college reported" in response.text


def test_followup_page_lists_progress_updates_newest_first(client, raadslid, recommendation):
    update(recommendation, ADOPTED, date(2025, 10, 13), by=COUNCIL, note="Raadsbesluit")
    update(recommendation, IN_PROGRESS, date(2026, 3, 12), note="Voortgangsbrief")
    client.force_login(raadslid)

    response = client.get(detail_url(recommendation))

    assert [c.note for c in response.context["follow_up"].updates] == [
        "Voortgangsbrief",
        "Raadsbesluit",
    ]
    assert response.text.index("Voortgangsbrief") < response.text.index("Raadsbesluit")


def test_monitor_shows_the_colleges_claim_only_where_it_differs(client, raadslid, report):
    differs = recommendation_in(report, number=1)
    agrees = recommendation_in(report, number=2)
    for recommendation in (differs, agrees):
        update(recommendation, IN_PROGRESS, date(2026, 2, 1))
    update(differs, DONE, date(2026, 3, 12), by=COLLEGE)
    update(agrees, IN_PROGRESS, date(2026, 3, 12), by=COLLEGE)
    client.force_login(raadslid)

    response = client.get(MONITOR_URL)

    claims = [row.claim and row.claim.status for row in response.context["monitor"].rows]
    assert claims == [DONE, None]
    assert response.text.count('class="followup-claim"') == 1
