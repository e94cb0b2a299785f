"""Recommendation follow-up, the pages: who sees and records what, drafts, monitor, downloads."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from dashboards.models import Profile
from policy.constants import (
    Acceptance,
    FlagFilter,
    PublicationState,
)
from policy.selectors.findings import recommendation_current_status
from policy.selectors.followup import (
    recommendation_followup,
)
from tests import factories as f
from tests.policy.followup_builders import (
    ADOPTED,
    AUDIT_OFFICE,
    COLLEGE,
    COUNCIL,
    DONE,
    EDITORS,
    IN_PROGRESS,
    MONITOR_URL,
    READERS,
    ROLES,
    TODAY,
    csv_rows,
    detail_url,
    edit_data,
    edit_url,
    monitor,
    progress_data,
    progress_url,
    recommendation_in,
    update,
    xlsx_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


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

    assert client.get(MONITOR_URL, {"format": "docx"}).status_code == 400


# Downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_download_holds_exactly_the_rows_shown(client, raadslid, mixed, file_format):
    client.force_login(raadslid)
    client.cookies["django_language"] = "en"
    params = {"municipality": "GM0394", "status": IN_PROGRESS}
    shown = client.get(MONITOR_URL, params).context["monitor"].rows

    response = client.get(MONITOR_URL, params | {"format": file_format})

    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    with translation.override("en"):
        expected = [
            (str(row.recommendation.number), row.recommendation.title, row.verdict.label)
            for row in shown
        ]
    assert [(str(row["number"]), row["title"], row["status"]) for row in rows] == expected
    assert response["Content-Disposition"].endswith(f'.{file_format}"')


def test_csv_download_carries_the_followup_of_each_row(client, raadslid, mixed):
    client.force_login(raadslid)
    client.cookies["django_language"] = "en"

    rows = csv_rows(client.get(MONITOR_URL, {"format": "csv"}))

    stale = rows[0]
    assert stale["last_update_on"] == "2025-01-10"
    assert stale["no_update_in_12_months"] == "Yes"
    assert stale["status_basis"] == "Reported by the audit office or council"


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


# 8, and 1 for the municipalities' themes, read once per data version for the page header.
MONITOR_QUERIES = 9


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

    # 6, and 2 for whether this user records its follow-up: their profile and the
    # municipalities they work for.
    with django_assert_max_num_queries(8):
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

    assert [recommendation_current_status(recommendation=row.recommendation) for row in rows] == [
        row.verdict.status for row in rows
    ]
    assert [row.verdict.status for row in rows] == [IN_PROGRESS, IN_PROGRESS, DONE]


def test_the_monitor_downloads_in_the_dutch_excel_dialect(client, raadslid, mixed):
    client.force_login(raadslid)

    response = client.get(MONITOR_URL, {"format": "csv-nl"})

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert response["Content-Disposition"].endswith('.csv"')
    header = text.lstrip("\ufeff").splitlines()[0]
    assert header.startswith('"')
    assert '";"' in header
