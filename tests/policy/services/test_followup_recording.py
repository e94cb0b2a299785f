"""Recommendation follow-up, recording: history, refused dates and routes, stale edits, cache."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from migrantportal.figure_cache import VERSION_KEY, figure_cache_version
from migrantportal.roles import Role
from policy.constants import (
    Acceptance,
)
from policy.selectors.followup import (
    recommendation_followup_version,
)
from policy.services.followup import (
    StaleFollowupEditError,
    recommendation_followup_update,
    recommendation_status_change_create,
)
from tests import factories as f
from tests.policy.followup_builders import (
    AUDIT_OFFICE,
    DONE,
    TODAY,
    edit_data,
    edit_url,
    progress_data,
    progress_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


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
    other = f.user_with_role(Role.REKENKAMER, username="collega")
    recommendation_followup_update(
        recommendation=recommendation,
        user=other,
        base_version=opened["base_version"],
        council_acceptance=Acceptance.REJECTED,
        college_acceptance=Acceptance.PENDING,
        besluitvorming_on=date(2025, 10, 13),
    )
    client.force_login(rekenkamer)

    client.cookies["django_language"] = "en"  # the language switch's choice
    response = client.post(edit_url(recommendation), opened)

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
        user=f.user_with_role(Role.REKENKAMER, username="collega"),
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
