"""The audit office's editing desk, saving: history, stale edits, concurrent editors."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from migrantportal.roles import Role
from policy.models import AttentionPoint, Conclusion, Recommendation
from policy.selectors.history import item_version
from policy.services.editing import StaleEditError, item_save
from tests import factories as f
from tests.admin_forms import admin_page_data
from tests.policy.editing_builders import DRAFT, PUBLISHED, _detail, _edit, _point_data

pytestmark = pytest.mark.django_db


# --- History ---


def test_a_change_is_recorded_with_its_editor_and_time(as_role, point, rekenkamer):
    as_role("rekenkamer").post(
        _edit("aandachtspunt", point.pk), _point_data(point, title="Nieuwe titel")
    )

    latest = point.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == rekenkamer
    assert latest.title == "Nieuwe titel"
    assert latest.history_date is not None


def test_the_history_shows_each_changed_field_before_and_after(as_role, point):
    client = as_role("rekenkamer")
    client.post(_edit("aandachtspunt", point.pk), _point_data(point, title="Nieuwe titel"))

    page = client.get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "Huisvesting statushouders" in page  # before
    assert "Nieuwe titel" in page  # after
    assert "rekenkamer-user" in page


def test_the_history_shows_a_text_change_word_by_word(as_role, point):
    client = as_role("rekenkamer")
    client.post(_edit("aandachtspunt", point.pk), _point_data(point, explanation="Tweede tekst."))

    page = client.get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "<del>Eerste</del> <ins>Tweede</ins> tekst." in page


def test_the_history_records_a_change_of_links(as_role, point):
    conclusion = f.ConclusionFactory(report=point.report, title="Te weinig woningen")
    client = as_role("rekenkamer")
    data = {
        "base_version": item_version(instance=conclusion),
        "number": conclusion.number,
        "title": conclusion.title,
        "attention_points": [point.pk],
        "state": PUBLISHED,
        "action": "save",
    }
    client.post(_edit("conclusie", conclusion.pk), data)

    page = client.get(_detail("conclusie", conclusion.pk)).content.decode()

    assert conclusion.attention_points.get() == point
    assert "Huisvesting statushouders" in page.split("History")[-1]


def test_a_council_member_sees_when_it_last_changed_but_not_the_history(as_role, point):
    page = as_role("raadslid").get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "last-changed" in page
    assert "history-list" not in page


def test_the_admin_publish_action_records_history(client, superuser, point):
    point.state = DRAFT
    point.save()
    client.force_login(superuser)

    client.post(
        reverse("admin:policy_attentionpoint_changelist"),
        {"action": "publish", "_selected_action": [point.pk]},
    )

    latest = point.history.order_by("-history_date", "-history_id").first()
    assert (latest.state, latest.history_user) == (PUBLISHED, superuser)


# --- Concurrent edits ---


def test_a_save_based_on_an_outdated_version_is_refused(as_role, point, rekenkamer):
    opened = _point_data(point)
    point.title = "Andermans wijziging"
    point._history_user = f.user_with_role(Role.REKENKAMER, username="collega")
    point.save()

    response = as_role("rekenkamer").post(
        _edit("aandachtspunt", point.pk), opened | {"title": "Mijn wijziging"}
    )

    point.refresh_from_db()
    assert response.status_code == 409
    assert point.title == "Andermans wijziging"


def test_the_refusal_shows_the_other_editors_change(as_role, point):
    opened = _point_data(point)
    point.title = "Andermans wijziging"
    point._history_user = f.user_with_role(Role.REKENKAMER, username="collega")
    point.save()

    page = (
        as_role("rekenkamer")
        .post(_edit("aandachtspunt", point.pk), opened | {"title": "Mijn wijziging"})
        .content.decode()
    )

    assert "collega" in page
    assert "Andermans wijziging" in page
    assert 'value="Mijn wijziging"' in page  # the editor's own text is kept


def test_saving_again_after_the_refusal_keeps_the_editors_version(as_role, point):
    opened = _point_data(point)
    point.title = "Andermans wijziging"
    point.save()
    client = as_role("rekenkamer")
    refused = client.post(_edit("aandachtspunt", point.pk), opened | {"title": "Mijn wijziging"})

    client.post(
        _edit("aandachtspunt", point.pk),
        opened
        | {
            "title": "Mijn wijziging",
            "base_version": refused.context["form"]["base_version"].value(),
        },
    )

    point.refresh_from_db()
    assert point.title == "Mijn wijziging"


def _admin_form_as_opened(client, point: AttentionPoint) -> dict:
    return admin_page_data(
        client.get(reverse("admin:policy_attentionpoint_change", args=[point.pk]))
    )


def test_an_admin_save_based_on_an_outdated_version_is_refused(as_role, point):
    client = as_role("rekenkamer")
    opened = _admin_form_as_opened(client, point)
    point.title = "Andermans wijziging"
    point._history_user = f.user_with_role(Role.REKENKAMER, username="collega")
    point.save()

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[point.pk]),
        opened | {"title": "Mijn wijziging"},
    )

    point.refresh_from_db()
    assert point.title == "Andermans wijziging"
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["stale_version"]


def test_an_admin_save_from_the_current_version_is_stored(as_role, point):
    client = as_role("rekenkamer")
    opened = _admin_form_as_opened(client, point)

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[point.pk]),
        opened | {"title": "Mijn wijziging"},
    )

    point.refresh_from_db()
    assert response.status_code == 302
    assert point.title == "Mijn wijziging"


def test_the_report_page_refuses_a_save_when_one_of_its_points_changed_meanwhile(as_role, point):
    client = as_role("rekenkamer")
    url = reverse("admin:policy_report_change", args=[point.report_id])
    opened = admin_page_data(client.get(url))
    point.title = "Andermans wijziging"
    point.save()

    response = client.post(url, opened)

    point.refresh_from_db()
    assert response.status_code == 200
    assert point.title == "Andermans wijziging"


def test_the_report_page_saves_when_nothing_changed_meanwhile(as_role, point):
    client = as_role("rekenkamer")
    url = reverse("admin:policy_report_change", args=[point.report_id])
    opened = admin_page_data(client.get(url))

    response = client.post(url, opened | {"title": "Nieuwe titel"})

    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_revert_from_the_history_is_saved(client):
    # Transactional, so that on PostgreSQL the view must open its own transaction for the
    # stale-edit check's row lock, as a real request has to.
    point = f.AttentionPointFactory(title="Eerste titel")
    first_version = item_version(instance=point)
    point.title = "Tweede titel"
    point.save()
    admin_user = f.UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:policy_attentionpoint_simple_history", args=[point.pk, first_version])

    response = client.post(url, admin_page_data(client.get(url)))

    point.refresh_from_db()
    assert response.status_code == 302
    assert point.title == "Eerste titel"


def test_publishing_from_an_outdated_page_is_refused(as_role, point):
    version = item_version(instance=point)
    point.title = "Andermans wijziging"
    point.save()

    as_role("rekenkamer").post(
        reverse("policy:item_state", args=["aandachtspunt", point.pk]),
        {"state": DRAFT, "base_version": version},
    )

    point.refresh_from_db()
    assert point.state == PUBLISHED


def test_recommendation_and_conclusion_kinds_are_registered():
    from policy.views.editing import KINDS

    assert {kind.model for kind in KINDS.values()} >= {Conclusion, Recommendation}


@pytest.mark.postgres_only(reason="row locks between parallel connections")
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_from_the_same_version_never_both_succeed():
    point = f.AttentionPointFactory(title="Begin")
    # Transactional tests run after others have emptied the role groups; the service
    # checks only the municipality a user acts for, and superusers act everywhere.
    editors = [f.UserFactory(username=f"redacteur{i}", is_superuser=True) for i in range(2)]
    version = item_version(instance=point)
    barrier = threading.Barrier(len(editors))
    outcomes: list[str] = []

    def save(editor) -> None:
        try:
            mine = AttentionPoint.objects.get(pk=point.pk)
            mine.title = f"Versie van {editor.username}"
            barrier.wait()
            item_save(instance=mine, links={}, base_version=version, user=editor)
            outcomes.append("saved")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    assert point.history.filter(history_type="~").count() == 1
