"""Recommendation follow-up, the flags: the plan of approach due or late, no update in a year."""

from datetime import date, timedelta

import pytest

from policy.constants import (
    Acceptance,
    PlanState,
)
from policy.models import Recommendation
from policy.selectors.followup import (
    months_add,
    months_between,
    plan_of_approach,
)
from tests import factories as f
from tests.policy.followup_builders import (
    ADOPTED,
    COLLEGE,
    DONE,
    IN_PROGRESS,
    MONITOR_URL,
    TODAY,
    read,
    recommendation_in,
    update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


# The plan of approach ---------------------------------------------------------------


def test_months_are_added_by_the_calendar():
    assert months_add(day=date(2025, 10, 13), months=6) == date(2026, 4, 13)
    assert months_add(day=date(2025, 12, 1), months=1) == date(2026, 1, 1)


def test_31_august_plus_six_months_is_the_last_day_of_february():
    assert months_add(day=date(2025, 8, 31), months=6) == date(2026, 2, 28)
    assert months_add(day=date(2023, 8, 31), months=6) == date(2024, 2, 29)


def test_whole_months_between_two_days_count_a_month_only_once_complete():
    assert months_between(start=date(2025, 5, 15), end=date(2026, 6, 15)) == 13
    assert months_between(start=date(2025, 5, 16), end=date(2026, 6, 15)) == 12
    assert months_between(start=date(2026, 1, 31), end=date(2026, 2, 28)) == 1
    assert months_between(start=date(2026, 7, 1), end=date(2026, 6, 15)) == 0


def adopted(recommendation, *, on: date, acceptance=Acceptance.ACCEPTED) -> Recommendation:
    recommendation.council_acceptance = acceptance
    recommendation.besluitvorming_on = on
    return recommendation


def test_plan_is_due_six_months_after_the_councils_decision(recommendation):
    adopted(recommendation, on=date(2025, 10, 13))

    plan = plan_of_approach(recommendation=recommendation, today=date(2026, 1, 1))

    assert plan.due_on == date(2026, 4, 13)
    assert plan.state == PlanState.DUE
    assert not plan.flagged


def test_plan_due_after_31_august_falls_on_the_last_day_of_february(recommendation):
    adopted(recommendation, on=date(2025, 8, 31))

    assert plan_of_approach(recommendation=recommendation, today=TODAY).due_on == date(2026, 2, 28)


def test_plan_due_after_31_august_before_a_leap_year_falls_on_29_february(recommendation):
    adopted(recommendation, on=date(2023, 8, 31))

    assert plan_of_approach(recommendation=recommendation, today=TODAY).due_on == date(2024, 2, 29)


def test_plan_is_due_also_when_the_council_adopted_the_recommendation_partly(recommendation):
    adopted(recommendation, on=date(2025, 10, 13), acceptance=Acceptance.PARTLY)

    assert plan_of_approach(recommendation=recommendation, today=TODAY).due_on == date(2026, 4, 13)


def test_plan_not_received_after_its_due_date_is_overdue(recommendation):
    adopted(recommendation, on=date(2025, 10, 13))

    plan = plan_of_approach(recommendation=recommendation, today=date(2026, 4, 14))

    assert plan.state == PlanState.OVERDUE
    assert plan.flagged


def test_plan_not_received_on_its_due_date_is_not_overdue_yet(recommendation):
    adopted(recommendation, on=date(2025, 10, 13))

    plan = plan_of_approach(recommendation=recommendation, today=date(2026, 4, 13))

    assert plan.state == PlanState.DUE


def test_plan_received_after_its_due_date_is_flagged_as_late(recommendation):
    adopted(recommendation, on=date(2025, 10, 13))
    recommendation.plan_received_on = date(2026, 4, 14)

    plan = plan_of_approach(recommendation=recommendation, today=TODAY)

    assert plan.state == PlanState.RECEIVED_LATE
    assert plan.flagged


def test_plan_received_on_its_due_date_is_in_time(recommendation):
    adopted(recommendation, on=date(2025, 10, 13))
    recommendation.plan_received_on = date(2026, 4, 13)

    plan = plan_of_approach(recommendation=recommendation, today=TODAY)

    assert plan.state == PlanState.RECEIVED
    assert not plan.flagged


def test_no_plan_is_due_while_the_councils_decision_is_pending_even_with_a_planned_date(
    recommendation,
):
    recommendation.besluitvorming_on = date(2025, 10, 13)  # as in Zoetermeer's planning

    plan = plan_of_approach(recommendation=recommendation, today=TODAY)

    assert (plan.state, plan.due_on, plan.flagged) == (PlanState.AWAITING_DECISION, None, False)


def test_no_plan_is_expected_when_the_council_rejected_the_recommendation(recommendation):
    adopted(recommendation, on=date(2025, 1, 13), acceptance=Acceptance.REJECTED)

    plan = plan_of_approach(recommendation=recommendation, today=TODAY)

    assert (plan.state, plan.due_on, plan.flagged) == (PlanState.NOT_EXPECTED, None, False)


def test_monitor_flags_the_overdue_plan(client, raadslid, report):
    recommendation_in(
        report,
        number=1,
        council_acceptance=Acceptance.ACCEPTED,
        besluitvorming_on=date(2025, 10, 13),
    )
    client.force_login(raadslid)

    row = client.get(MONITOR_URL).context["monitor"].rows[0]

    assert row.plan.due_on == date(2026, 4, 13)
    assert row.plan.state == PlanState.OVERDUE


# No update in 12 months -------------------------------------------------------------


def test_last_update_366_days_ago_is_flagged(recommendation):
    update(recommendation, IN_PROGRESS, TODAY - timedelta(days=366))

    assert read(recommendation).stale


def test_last_update_365_days_ago_is_not_flagged(recommendation):
    update(recommendation, IN_PROGRESS, TODAY - timedelta(days=365))

    assert not read(recommendation).stale


def test_last_update_364_days_ago_is_not_flagged(recommendation):
    update(recommendation, IN_PROGRESS, TODAY - timedelta(days=364))

    assert not read(recommendation).stale


def test_the_latest_update_counts_not_an_older_one(recommendation):
    update(recommendation, ADOPTED, TODAY - timedelta(days=800))
    update(recommendation, IN_PROGRESS, TODAY - timedelta(days=30), by=COLLEGE)

    follow_up = read(recommendation)

    assert not follow_up.stale
    assert follow_up.last_update_on == TODAY - timedelta(days=30)


def test_never_updated_and_council_decision_13_months_ago_is_flagged(report):
    recommendation = recommendation_in(report, number=1, besluitvorming_on=date(2025, 5, 15))

    follow_up = read(recommendation)

    assert follow_up.stale
    assert follow_up.stale_since == date(2025, 5, 15)
    assert follow_up.age_months == 13


def test_never_updated_and_council_decision_11_months_ago_is_not_flagged(report):
    recommendation = recommendation_in(report, number=1, besluitvorming_on=date(2025, 7, 15))

    assert not read(recommendation).stale


def test_never_updated_without_decision_counts_from_the_reports_date(municipality):
    old = f.ReportFactory(municipality=municipality, year=2025, published_on=date(2025, 6, 14))
    recommendation = recommendation_in(old, number=1)

    follow_up = read(recommendation)

    assert follow_up.stale
    assert (follow_up.age_since, follow_up.age_basis) == (date(2025, 6, 14), "report_date")


def test_a_report_without_a_day_gives_no_age_and_no_stale_flag(municipality):
    undated = f.ReportFactory(municipality=municipality, year=2024, published_on=None)
    recommendation = recommendation_in(undated, number=1)

    follow_up = read(recommendation)

    assert (follow_up.age_since, follow_up.age_basis, follow_up.age_months) == (
        None,
        "unknown",
        None,
    )
    assert not follow_up.stale


def test_a_planned_decision_in_the_future_does_not_reset_the_age(municipality):
    dated = f.ReportFactory(municipality=municipality, year=2025, published_on=date(2025, 3, 1))
    recommendation = recommendation_in(dated, number=1, besluitvorming_on=date(2026, 9, 1))

    assert read(recommendation).age_since == date(2025, 3, 1)


def test_a_done_recommendation_is_closed_and_never_flagged_as_stale(recommendation):
    update(recommendation, DONE, TODAY - timedelta(days=800))

    follow_up = read(recommendation)

    assert follow_up.closed
    assert not follow_up.stale


def test_monitor_flags_only_the_recommendation_without_an_update_in_12_months(
    client, raadslid, report
):
    quiet = recommendation_in(report, number=1)
    busy = recommendation_in(report, number=2)
    update(quiet, IN_PROGRESS, TODAY - timedelta(days=366))
    update(busy, IN_PROGRESS, TODAY - timedelta(days=364))
    client.force_login(raadslid)

    rows = client.get(MONITOR_URL).context["monitor"].rows

    assert [(row.recommendation.number, row.stale) for row in rows] == [(1, True), (2, False)]
