"""Recommendation follow-up: the monitor, one recommendation's page, recording, exports."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dashboards.models import Profile
from migrantportal.figure_cache import VERSION_KEY, figure_cache_version
from policy.constants import (
    Acceptance,
    FlagFilter,
    PlanState,
    PublicationState,
    RecommendationStatus,
    StatusReporter,
    VerdictBasis,
)
from policy.models import Recommendation, RecommendationStatusChange
from policy.selectors.followup import (
    MonitorFilters,
    followup_detail,
    followup_monitor,
    months_add,
    months_between,
    plan_of_approach,
    recommendation_followup,
    recommendation_followup_version,
    recommendation_verdict,
)
from policy.services.followup import (
    StaleFollowupEditError,
    recommendation_followup_update,
    recommendation_status_change_create,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
ROLES = ["raadslid", "griffie", "rekenkamer", "superuser"]
READERS = ["raadslid", "griffie"]
EDITORS = ["rekenkamer", "superuser"]
DONE, IN_PROGRESS, ADOPTED = (
    RecommendationStatus.DONE,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.ADOPTED,
)
AUDIT_OFFICE, COLLEGE, COUNCIL = (
    StatusReporter.AUDIT_OFFICE,
    StatusReporter.COLLEGE,
    StatusReporter.COUNCIL,
)


# Builders ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Every view, form and service reads this day as today."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")


@pytest.fixture
def report(municipality):
    return f.ReportFactory(
        municipality=municipality, title="Migranten in Haarlemmermeer", year=2025
    )


@pytest.fixture
def recommendation(report):
    return recommendation_in(report, number=1)


def recommendation_in(report, *, number: int, **fields) -> Recommendation:
    return f.RecommendationFactory(report=report, number=number, **fields)


def update(recommendation, status, on: date, by=AUDIT_OFFICE, note="") -> None:
    RecommendationStatusChange.objects.create(
        recommendation=recommendation, status=status, changed_on=on, reported_by=by, note=note
    )


def read(recommendation: Recommendation, on: date = TODAY):
    return followup_detail(pk=recommendation.pk, include_drafts=True, today=on)


def monitor(municipality, *, include_drafts=False, **filters):
    return followup_monitor(
        filters=MonitorFilters(municipality=municipality, **filters),
        include_drafts=include_drafts,
        today=TODAY,
    )


def detail_url(recommendation) -> str:
    return reverse("policy:followup_detail", kwargs={"pk": recommendation.pk})


def edit_url(recommendation) -> str:
    return reverse("policy:followup_edit", kwargs={"pk": recommendation.pk})


def progress_url(recommendation) -> str:
    return reverse("policy:followup_progress_add", kwargs={"pk": recommendation.pk})


MONITOR_URL = reverse("policy:followup_monitor")


def edit_data(recommendation, **changes) -> dict:
    data = {
        "base_version": recommendation_followup_version(recommendation=recommendation),
        "council_acceptance": Acceptance.ACCEPTED,
        "beeldvorming_on": "",
        "oordeelsvorming_on": "2025-09-29",
        "besluitvorming_on": "2025-10-13",
        "route_note": "",
        "college_acceptance": Acceptance.PENDING,
        "college_responded_on": "",
        "plan_received_on": "",
    }
    return data | changes


def progress_data(**changes) -> dict:
    return {
        "changed_on": "2026-03-12",
        "status": IN_PROGRESS,
        "reported_by": AUDIT_OFFICE,
        "note": "Brief van het college",
    } | changes


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def xlsx_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


# Who may see and record what -----------------------------------------------------


@pytest.mark.parametrize("url_of", [lambda r: MONITOR_URL, detail_url, edit_url, progress_url])
def test_anonymous_visitor_is_sent_to_log_in_from_every_followup_page(
    client, recommendation, url_of
):
    response = client.get(url_of(recommendation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_of", [edit_url, progress_url])
def test_anonymous_post_is_sent_to_log_in_and_records_nothing(client, recommendation, url_of):
    response = client.post(url_of(recommendation), progress_data())

    assert response.url.startswith(reverse("login"))
    assert not recommendation.status_changes.exists()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_monitor(client, request, recommendation, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(MONITOR_URL).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_a_published_recommendations_followup(
    client, request, recommendation, role
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(detail_url(recommendation)).status_code == 200


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url_of", [edit_url, progress_url])
def test_council_members_and_clerks_may_not_open_the_recording_forms(
    client, request, recommendation, role, url_of
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url_of(recommendation)).status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_council_members_and_clerks_may_not_record_a_progress_update(
    client, request, recommendation, role
):
    client.force_login(request.getfixturevalue(role))

    response = client.post(progress_url(recommendation), progress_data())

    assert response.status_code == 403
    assert not recommendation.status_changes.exists()


@pytest.mark.parametrize("role", READERS)
def test_council_members_and_clerks_may_not_record_decisions(client, request, recommendation, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(edit_url(recommendation), edit_data(recommendation))

    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.council_acceptance == Acceptance.PENDING


@pytest.mark.parametrize("role", READERS)
def test_council_members_see_no_recording_form_on_the_followup_page(
    client, request, recommendation, role
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(detail_url(recommendation))

    assert progress_url(recommendation) not in response.text
    assert edit_url(recommendation) not in response.text


@pytest.mark.parametrize("role", EDITORS)
@pytest.mark.parametrize("url_of", [edit_url, progress_url])
def test_audit_office_opens_the_recording_forms(client, request, recommendation, role, url_of):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url_of(recommendation)).status_code == 200


@pytest.mark.parametrize("role", EDITORS)
def test_audit_office_records_a_progress_update(client, request, recommendation, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(progress_url(recommendation), progress_data())

    assert response.status_code == 302
    assert response.url == detail_url(recommendation)
    change = recommendation.status_changes.get()
    assert (change.status, change.changed_on, change.reported_by) == (
        IN_PROGRESS,
        date(2026, 3, 12),
        AUDIT_OFFICE,
    )


@pytest.mark.parametrize("role", EDITORS)
def test_audit_office_records_the_decisions_and_route(client, request, recommendation, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        edit_url(recommendation),
        edit_data(
            recommendation,
            college_acceptance=Acceptance.PARTLY,
            college_responded_on="2025-09-01",
            plan_received_on="2026-03-01",
        ),
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.council_acceptance == Acceptance.ACCEPTED
    assert recommendation.besluitvorming_on == date(2025, 10, 13)
    assert recommendation.college_acceptance == Acceptance.PARTLY
    assert recommendation.college_responded_on == date(2025, 9, 1)
    assert recommendation.plan_received_on == date(2026, 3, 1)


def test_audit_office_sees_the_progress_form_on_the_followup_page(
    client, rekenkamer, recommendation
):
    client.force_login(rekenkamer)

    response = client.get(detail_url(recommendation))

    assert f'action="{progress_url(recommendation)}"' in response.text
    assert edit_url(recommendation) in response.text


def test_unknown_recommendation_is_not_found(client, raadslid, db):
    client.force_login(raadslid)

    assert client.get(reverse("policy:followup_detail", kwargs={"pk": 999})).status_code == 404


# Drafts ---------------------------------------------------------------------------


def test_draft_recommendation_is_not_found_by_a_council_member(client, raadslid, report):
    draft = recommendation_in(report, number=1, state=PublicationState.DRAFT)
    client.force_login(raadslid)

    assert client.get(detail_url(draft)).status_code == 404


def test_recommendation_of_a_draft_report_is_not_found_by_a_council_member(
    client, raadslid, municipality
):
    draft_report = f.ReportFactory(municipality=municipality, state=PublicationState.DRAFT)
    hidden = recommendation_in(draft_report, number=1)
    client.force_login(raadslid)

    assert client.get(detail_url(hidden)).status_code == 404


def test_audit_office_opens_a_draft_marked_as_draft(client, rekenkamer, report):
    draft = recommendation_in(report, number=1, state=PublicationState.DRAFT)
    client.force_login(rekenkamer)

    response = client.get(detail_url(draft))

    assert response.status_code == 200
    assert response.context["follow_up"].is_draft
    assert "state-draft" in response.text


def test_draft_is_left_out_of_a_council_members_monitor(client, raadslid, report):
    recommendation_in(report, number=1, title="Gepubliceerd")
    recommendation_in(report, number=2, title="Nog concept", state=PublicationState.DRAFT)
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"municipality": "GM0394"})

    assert [row.recommendation.title for row in response.context["monitor"].rows] == [
        "Gepubliceerd"
    ]
    assert "Nog concept" not in response.text
    assert response.context["monitor"].total == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_draft_is_left_out_of_a_council_members_download(client, raadslid, report, file_format):
    recommendation_in(report, number=1, title="Gepubliceerd")
    recommendation_in(report, number=2, title="Nog concept", state=PublicationState.DRAFT)
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"municipality": "GM0394", "format": file_format})

    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert [row["title"] for row in rows] == ["Gepubliceerd"]


def test_audit_office_monitor_lists_drafts_marked_as_draft(client, rekenkamer, report):
    recommendation_in(report, number=1, title="Gepubliceerd")
    recommendation_in(report, number=2, title="Nog concept", state=PublicationState.DRAFT)
    client.force_login(rekenkamer)

    response = client.get(MONITOR_URL, {"municipality": "GM0394"})

    rows = response.context["monitor"].rows
    assert [(row.recommendation.title, row.is_draft) for row in rows] == [
        ("Gepubliceerd", False),
        ("Nog concept", True),
    ]
    assert "state-draft" in response.text


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

    response = client.get(detail_url(recommendation), HTTP_ACCEPT_LANGUAGE="en")

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

    response = client.get(detail_url(recommendation), HTTP_ACCEPT_LANGUAGE="en")

    assert "The college reports" not in response.text


def test_followup_page_says_when_the_college_stands_in_for_the_verdict(
    client, raadslid, recommendation
):
    update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)
    client.force_login(raadslid)

    response = client.get(detail_url(recommendation), HTTP_ACCEPT_LANGUAGE="en")

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


# Recording: history, refusals, cache --------------------------------------------------


def test_progress_update_is_recorded_with_user_and_time_in_history(
    client, rekenkamer, recommendation
):
    client.force_login(rekenkamer)

    client.post(progress_url(recommendation), progress_data())

    change = recommendation.status_changes.get()
    record = change.history.get()
    assert record.history_user == rekenkamer
    assert record.history_type == "+"
    assert record.history_date is not None
    assert change.created_by == rekenkamer


def test_decision_edit_is_recorded_with_user_in_history(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    client.post(edit_url(recommendation), edit_data(recommendation))

    record = recommendation.history.order_by("-history_id").first()
    assert record.history_user == rekenkamer
    assert record.council_acceptance == Acceptance.ACCEPTED


def test_service_names_the_user_in_history_outside_a_request(recommendation, rekenkamer):
    change = recommendation_status_change_create(
        recommendation=recommendation,
        user=rekenkamer,
        status=DONE,
        changed_on=date(2026, 5, 1),
        reported_by=AUDIT_OFFICE,
    )

    assert change.history.get().history_user == rekenkamer


def test_progress_update_in_the_future_is_refused(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    response = client.post(progress_url(recommendation), progress_data(changed_on="2026-06-16"))

    assert response.status_code == 400
    assert response.context["progress_form"].errors["changed_on"]
    assert not recommendation.status_changes.exists()


def test_progress_update_of_today_is_accepted(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    client.post(progress_url(recommendation), progress_data(changed_on="2026-06-15"))

    assert recommendation.status_changes.get().changed_on == TODAY


def test_progress_update_before_the_report_is_refused(recommendation, rekenkamer):
    with pytest.raises(ValidationError) as refused:
        recommendation_status_change_create(
            recommendation=recommendation,
            user=rekenkamer,
            status=DONE,
            changed_on=date(2024, 12, 31),
            reported_by=AUDIT_OFFICE,
        )

    assert "changed_on" in refused.value.message_dict


def test_progress_error_is_tied_to_its_field(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    response = client.post(progress_url(recommendation), progress_data(changed_on="2026-07-01"))

    assert 'aria-describedby="id_changed_on_helptext id_changed_on_error"' in response.text
    assert 'id="id_changed_on_error"' in response.text


def test_oordeelsvorming_after_besluitvorming_is_refused_on_its_field(
    client, rekenkamer, recommendation
):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation),
        edit_data(recommendation, oordeelsvorming_on="2025-10-14"),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["oordeelsvorming_on"]
    recommendation.refresh_from_db()
    assert recommendation.oordeelsvorming_on is None


def test_beeldvorming_after_oordeelsvorming_is_refused_on_its_field(recommendation, rekenkamer):
    with pytest.raises(ValidationError) as refused:
        recommendation_followup_update(
            recommendation=recommendation,
            user=rekenkamer,
            base_version=recommendation_followup_version(recommendation=recommendation),
            council_acceptance=Acceptance.PENDING,
            college_acceptance=Acceptance.PENDING,
            beeldvorming_on=date(2025, 10, 1),
            oordeelsvorming_on=date(2025, 9, 29),
        )

    assert list(refused.value.message_dict) == ["beeldvorming_on"]


def test_plan_received_before_the_council_decision_is_refused(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation), edit_data(recommendation, plan_received_on="2025-10-12")
    )

    assert list(response.context["form"].errors) == ["plan_received_on"]


def test_plan_received_without_a_council_decision_date_is_refused(
    client, rekenkamer, recommendation
):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation),
        edit_data(
            recommendation,
            council_acceptance=Acceptance.PENDING,
            oordeelsvorming_on="",
            besluitvorming_on="",
            plan_received_on="2026-01-10",
        ),
    )

    assert list(response.context["form"].errors) == ["plan_received_on"]


def test_council_decision_without_its_date_is_refused(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation),
        edit_data(recommendation, oordeelsvorming_on="", besluitvorming_on=""),
    )

    assert list(response.context["form"].errors) == ["besluitvorming_on"]


def test_college_response_without_its_date_is_refused(client, rekenkamer, recommendation):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation),
        edit_data(recommendation, college_acceptance=Acceptance.ACCEPTED),
    )

    assert list(response.context["form"].errors) == ["college_responded_on"]


def test_a_planned_decision_date_may_lie_in_the_future_while_undecided(
    client, rekenkamer, recommendation
):
    client.force_login(rekenkamer)

    response = client.post(
        edit_url(recommendation),
        edit_data(
            recommendation,
            council_acceptance=Acceptance.PENDING,
            oordeelsvorming_on="2026-09-01",
            besluitvorming_on="2026-09-15",
        ),
    )

    assert response.status_code == 302


def test_save_based_on_an_outdated_version_is_refused_and_shows_the_other_change(
    client, rekenkamer, recommendation
):
    opened = edit_data(recommendation)
    other = f.UserFactory(username="collega")
    recommendation_followup_update(
        recommendation=recommendation,
        user=other,
        base_version=opened["base_version"],
        council_acceptance=Acceptance.REJECTED,
        college_acceptance=Acceptance.PENDING,
        besluitvorming_on=date(2025, 10, 13),
    )
    client.force_login(rekenkamer)

    response = client.post(edit_url(recommendation), opened, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert "collega" in response.text
    assert "Rejected" in response.text
    recommendation.refresh_from_db()
    assert recommendation.council_acceptance == Acceptance.REJECTED


def test_after_a_stale_refusal_saving_again_keeps_the_editors_version(
    client, rekenkamer, recommendation
):
    opened = edit_data(recommendation)
    recommendation_followup_update(
        recommendation=recommendation,
        user=f.UserFactory(username="collega"),
        base_version=opened["base_version"],
        council_acceptance=Acceptance.REJECTED,
        college_acceptance=Acceptance.PENDING,
        besluitvorming_on=date(2025, 10, 13),
    )
    client.force_login(rekenkamer)
    refused = client.post(edit_url(recommendation), opened)

    client.post(
        edit_url(recommendation),
        opened | {"base_version": refused.context["form"]["base_version"].value()},
    )

    recommendation.refresh_from_db()
    assert recommendation.council_acceptance == Acceptance.ACCEPTED


def test_stale_check_ignores_an_edit_of_other_fields(recommendation, rekenkamer):
    base_version = recommendation_followup_version(recommendation=recommendation)
    recommendation.title = "Nieuwe titel"
    recommendation.save()

    recommendation_followup_update(
        recommendation=recommendation,
        user=rekenkamer,
        base_version=base_version,
        council_acceptance=Acceptance.PENDING,
        college_acceptance=Acceptance.PARTLY,
        college_responded_on=date(2025, 9, 1),
    )

    recommendation.refresh_from_db()
    assert (recommendation.title, recommendation.college_acceptance) == (
        "Nieuwe titel",
        Acceptance.PARTLY,
    )


def test_stale_refusal_is_raised_by_the_service(recommendation, rekenkamer):
    base_version = recommendation_followup_version(recommendation=recommendation)
    values = {
        "council_acceptance": Acceptance.PENDING,
        "college_acceptance": Acceptance.PENDING,
        "beeldvorming_on": date(2025, 9, 1),
    }
    recommendation_followup_update(
        recommendation=recommendation, user=rekenkamer, base_version=base_version, **values
    )

    with pytest.raises(StaleFollowupEditError):
        recommendation_followup_update(
            recommendation=recommendation,
            user=rekenkamer,
            base_version=base_version,
            **values | {"beeldvorming_on": date(2025, 9, 2)},
        )


def test_a_progress_update_renews_the_cached_dashboards(
    recommendation, rekenkamer, django_capture_on_commit_callbacks
):
    before = figure_cache_version()

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_status_change_create(
            recommendation=recommendation,
            user=rekenkamer,
            status=DONE,
            changed_on=date(2026, 5, 1),
            reported_by=AUDIT_OFFICE,
        )

    assert cache.get(VERSION_KEY) != before


def test_a_decision_edit_renews_the_cached_dashboards(
    recommendation, rekenkamer, django_capture_on_commit_callbacks
):
    before = figure_cache_version()

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_followup_update(
            recommendation=recommendation,
            user=rekenkamer,
            base_version=recommendation_followup_version(recommendation=recommendation),
            council_acceptance=Acceptance.ACCEPTED,
            college_acceptance=Acceptance.PENDING,
            besluitvorming_on=date(2025, 10, 13),
        )

    assert cache.get(VERSION_KEY) != before


# The monitor: municipality, filters, counts ------------------------------------------


@pytest.fixture
def mixed(report):
    """Three recommendations: one in progress and stale, one done, one without updates."""
    stale = recommendation_in(report, number=1, title="Stil")
    done = recommendation_in(report, number=2, title="Klaar")
    fresh = recommendation_in(report, number=3, title="Vers", besluitvorming_on=date(2026, 5, 1))
    update(stale, IN_PROGRESS, date(2025, 1, 10))
    update(done, DONE, date(2026, 2, 1))
    return stale, done, fresh


def test_monitor_counts_recommendations_by_status_and_flag(mixed, municipality):
    result = monitor(municipality)

    counts = {count.status: count.count for count in result.status_counts}
    assert counts == {"open": 1, "adopted": 0, "in_progress": 1, "done": 1, "rejected": 0}
    assert (result.flagged_count, result.stale_count) == (1, 1)


def test_status_filter_shows_only_that_status_and_keeps_the_counts(mixed, municipality):
    result = monitor(municipality, status=DONE)

    assert [row.recommendation.title for row in result.rows] == ["Klaar"]
    assert result.total == 3


def test_flag_filter_shows_only_the_flagged(mixed, municipality):
    result = monitor(municipality, flagged=FlagFilter.ANY)

    assert [row.recommendation.title for row in result.rows] == ["Stil"]


def test_filters_in_the_query_string_reproduce_the_view(client, raadslid, mixed):
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"municipality": "GM0394", "flagged": "stale"})

    assert [row.recommendation.title for row in response.context["monitor"].rows] == ["Stil"]
    assert response.context["filters"].as_query() == "municipality=GM0394&flagged=stale"
    assert '<option value="stale" selected>' in response.text
    assert "?municipality=GM0394&amp;flagged=stale&amp;format=csv" in response.text


def test_status_tile_links_to_the_view_of_that_status(client, raadslid, mixed):
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"municipality": "GM0394"})

    assert 'href="?municipality=GM0394&amp;status=done"' in response.text


def test_monitor_opens_on_the_users_own_municipality(client, raadslid, mixed):
    zoetermeer = f.MunicipalityFactory(code="GM0637", name="Zoetermeer")
    Profile.objects.create(user=raadslid, municipality=zoetermeer)
    client.force_login(raadslid)

    response = client.get(MONITOR_URL)

    assert response.context["filters"].municipality == zoetermeer


def test_monitor_opens_on_the_default_municipality_without_a_profile(
    client, raadslid, mixed, settings
):
    f.MunicipalityFactory(code="GM0637", name="Zoetermeer")
    settings.DEFAULT_MUNICIPALITY = "GM0394"
    client.force_login(raadslid)

    response = client.get(MONITOR_URL)

    assert response.context["filters"].municipality.code == "GM0394"


def test_monitor_switches_municipality_from_the_query_string(client, raadslid, mixed):
    zoetermeer = f.MunicipalityFactory(code="GM0637", name="Zoetermeer")
    elsewhere = f.ReportFactory(municipality=zoetermeer)
    recommendation_in(elsewhere, number=1, title="Zoetermeerse aanbeveling")
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"municipality": "GM0637"})

    rows = response.context["monitor"].rows
    assert [row.recommendation.title for row in rows] == ["Zoetermeerse aanbeveling"]


@pytest.mark.parametrize(
    "params", [{"municipality": "GM9999"}, {"status": "klaar"}, {"flagged": "soms"}]
)
def test_unknown_filter_value_is_a_bad_request(client, raadslid, mixed, params):
    client.force_login(raadslid)

    assert client.get(MONITOR_URL, params).status_code == 400


def test_unknown_download_format_is_a_bad_request(client, raadslid, mixed):
    client.force_login(raadslid)

    assert client.get(MONITOR_URL, {"format": "pdf"}).status_code == 400


# Downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_download_holds_exactly_the_rows_shown(client, raadslid, mixed, file_format):
    client.force_login(raadslid)
    params = {"municipality": "GM0394", "status": IN_PROGRESS}
    shown = client.get(MONITOR_URL, params).context["monitor"].rows

    response = client.get(MONITOR_URL, params | {"format": file_format})

    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert [(str(row["number"]), row["title"], row["status"]) for row in rows] == [
        (str(row.recommendation.number), row.recommendation.title, row.verdict.status)
        for row in shown
    ]
    assert response["Content-Disposition"].endswith(f'.{file_format}"')


def test_csv_download_carries_the_followup_of_each_row(client, raadslid, mixed):
    client.force_login(raadslid)

    rows = csv_rows(client.get(MONITOR_URL, {"format": "csv"}))

    stale = rows[0]
    assert stale["last_update_on"] == "2025-01-10"
    assert stale["no_update_in_12_months"] == "True"
    assert stale["status_basis"] == VerdictBasis.AUDIT_OFFICE_OR_COUNCIL


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_download_is_formula_safe(client, raadslid, report, file_format):
    recommendation_in(report, number=1, title='=HYPERLINK("https://example.org","klik")')
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"format": file_format})

    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert rows[0]["title"] == '\'=HYPERLINK("https://example.org","klik")'


# Query budget --------------------------------------------------------------------------


def _many(report, count: int) -> None:
    for number in range(1, count + 1):
        recommendation = recommendation_in(report, number=number)
        update(recommendation, ADOPTED, date(2025, 10, 13), by=COUNCIL)
        update(recommendation, IN_PROGRESS, date(2026, 1, 10))
        update(recommendation, DONE, date(2026, 3, 12), by=COLLEGE)


MONITOR_QUERIES = 8


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("params", [{}, {"format": "csv"}, {"format": "xlsx"}])
def test_monitor_takes_a_fixed_number_of_queries(
    client, rekenkamer, report, django_assert_max_num_queries, count, params
):
    _many(report, count)
    client.force_login(rekenkamer)

    with django_assert_max_num_queries(MONITOR_QUERIES):
        response = client.get(MONITOR_URL, params)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_followup_page_takes_a_fixed_number_of_queries(
    client, rekenkamer, recommendation, django_assert_max_num_queries, count
):
    for day in range(count):
        update(recommendation, IN_PROGRESS, date(2026, 1, 1) + timedelta(days=day))
    client.force_login(rekenkamer)

    with django_assert_max_num_queries(6):
        response = client.get(detail_url(recommendation))

    assert response.status_code == 200


def test_the_monitors_rows_need_two_queries(report, municipality, django_assert_num_queries):
    _many(report, 5)

    with django_assert_num_queries(2):
        result = monitor(municipality)

    assert len(result.rows) == 5


def test_followup_reads_prefetched_updates_without_a_query(
    report, municipality, django_assert_num_queries
):
    _many(report, 2)
    rows = monitor(municipality).rows

    with django_assert_num_queries(0):
        again = [
            recommendation_followup(recommendation=r.recommendation, today=TODAY) for r in rows
        ]

    assert [row.claim.status for row in again] == [DONE, DONE]


def test_verdict_for_other_pages_agrees_with_the_followup_page(report, municipality):
    _many(report, 2)
    only_college = recommendation_in(report, number=3)
    update(only_college, DONE, date(2026, 3, 12), by=COLLEGE)

    rows = monitor(municipality).rows

    assert [recommendation_verdict(recommendation=row.recommendation) for row in rows] == [
        row.verdict.status for row in rows
    ]
    assert [row.verdict.status for row in rows] == [IN_PROGRESS, IN_PROGRESS, DONE]
