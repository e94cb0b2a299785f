"""The audit office's editing desk: roles, drafts, history, stale edits, safe text."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from migrantportal.roles import Role
from policy.constants import PublicationState
from policy.models import AttentionPoint, Conclusion, Recommendation, Report
from policy.selectors.history import item_version
from policy.services.editing import StaleEditError, item_save
from tests import factories as f
from tests.admin_forms import admin_page_data

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT
PUBLISHED = PublicationState.PUBLISHED
SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)"> [klik](javascript:alert(2))'


def _detail(kind: str, pk: int) -> str:
    return reverse("policy:item_detail", kwargs={"kind": kind, "pk": pk})


def _edit(kind: str, pk: int) -> str:
    return reverse("policy:item_edit", kwargs={"kind": kind, "pk": pk})


def _create(kind: str) -> str:
    return reverse("policy:item_create", kwargs={"kind": kind})


def _point_data(point: AttentionPoint, **changes) -> dict:
    data = {
        "base_version": item_version(instance=point),
        "number": point.number,
        "title": point.title,
        "explanation": point.explanation,
        "groups": [g.pk for g in point.groups.all()],
        "theme": point.theme_id or "",
        "source_section": point.source_section,
        "state": point.state,
        "action": "save",
    }
    return data | changes


@pytest.fixture
def point(db):
    return f.AttentionPointFactory(title="Huisvesting statushouders", explanation="Eerste tekst.")


@pytest.fixture
def as_role(client, request):
    def log_in(role: str):
        client.force_login(request.getfixturevalue(role))
        return client

    return log_in


# --- Who may do what ---


EDITING_PAGES = ["editor_home", "report_editor", "create", "edit"]


def _editing_url(page: str, point: AttentionPoint) -> str:
    return {
        "editor_home": reverse("policy:editor_home")
        + f"?municipality={point.report.municipality.code}",
        "report_editor": reverse("policy:report_editor", args=[point.report.pk]),
        "create": _create("aandachtspunt") + f"?report={point.report.pk}",
        "edit": _edit("aandachtspunt", point.pk),
    }[page]


@pytest.mark.parametrize("page", EDITING_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_for_every_editing_page(client, point, page):
    response = client.get(_editing_url(page, point))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", EDITING_PAGES)
@pytest.mark.parametrize("role", ["raadslid", "griffie"])
def test_council_members_and_clerks_may_not_open_editing_pages(as_role, point, page, role):
    assert as_role(role).get(_editing_url(page, point)).status_code == 403


@pytest.mark.parametrize("page", EDITING_PAGES)
@pytest.mark.parametrize("role", ["rekenkamer", "superuser"])
def test_the_audit_office_and_superusers_open_every_editing_page(as_role, point, page, role):
    assert as_role(role).get(_editing_url(page, point)).status_code == 200


@pytest.mark.parametrize("role", ["raadslid", "griffie"])
def test_council_members_and_clerks_may_not_save_or_publish(as_role, point, role):
    client = as_role(role)

    saved = client.post(_edit("aandachtspunt", point.pk), _point_data(point, title="Gewijzigd"))
    published = client.post(
        reverse("policy:item_state", args=["aandachtspunt", point.pk]),
        {"state": DRAFT, "base_version": item_version(instance=point)},
    )

    assert (saved.status_code, published.status_code) == (403, 403)
    point.refresh_from_db()
    assert (point.title, point.state) == ("Huisvesting statushouders", PUBLISHED)


@pytest.mark.parametrize("role", ["raadslid", "griffie", "rekenkamer", "superuser"])
def test_every_signed_in_role_reads_a_published_finding(as_role, point, role):
    assert as_role(role).get(_detail("aandachtspunt", point.pk)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_finding(client, point):
    response = client.get(_detail("aandachtspunt", point.pk))

    assert response.status_code == 302


def test_an_unknown_kind_of_item_is_not_found(as_role, point):
    assert as_role("rekenkamer").get("/bevinding/gedicht/1/").status_code == 404


# --- Drafts ---


def test_a_new_attention_point_is_saved_as_a_draft_by_default(as_role, point):
    client = as_role("rekenkamer")

    response = client.post(
        _create("aandachtspunt") + f"?report={point.report.pk}",
        {"base_version": 0, "number": 2, "title": "Nieuw punt", "state": DRAFT, "action": "save"},
    )

    created = AttentionPoint.objects.get(title="Nieuw punt")
    assert response.status_code == 302
    assert (created.report, created.state) == (point.report, DRAFT)


def test_a_draft_is_invisible_to_a_council_member_on_its_page(as_role, point):
    point.state = DRAFT
    point.save()

    assert as_role("raadslid").get(_detail("aandachtspunt", point.pk)).status_code == 404


def test_a_published_finding_of_a_draft_report_is_invisible_to_a_council_member(as_role, point):
    Report.objects.filter(pk=point.report.pk).update(state=DRAFT)

    assert as_role("raadslid").get(_detail("aandachtspunt", point.pk)).status_code == 404


def test_the_audit_office_sees_its_draft_marked_as_such(as_role, point):
    point.state = DRAFT
    point.save()

    page = as_role("rekenkamer").get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "state-draft" in page


def test_a_draft_is_left_out_of_the_findings_dashboard_and_the_policy_export(as_role, point):
    f.AttentionPointFactory(report=point.report, title="Geheim concept", state=DRAFT)
    municipality = point.report.municipality.code
    out = io.StringIO()

    page = as_role("raadslid").get(reverse("dashboards:findings") + f"?municipality={municipality}")
    call_command("export_policy", municipality=municipality, format="json", stdout=out)

    assert "Huisvesting statushouders" in page.content.decode()
    assert "Geheim concept" not in page.content.decode()
    assert "Geheim concept" not in out.getvalue()


def test_a_draft_linked_conclusion_is_not_listed_on_a_published_point_for_members(as_role, point):
    conclusion = f.ConclusionFactory(report=point.report, title="Conceptconclusie", state=DRAFT)
    conclusion.attention_points.add(point)

    member_page = as_role("raadslid").get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "Conceptconclusie" not in member_page


def test_publishing_makes_a_draft_visible_to_council_members(as_role, client, point, raadslid):
    point.state = DRAFT
    point.save()
    as_role("rekenkamer").post(
        reverse("policy:item_state", args=["aandachtspunt", point.pk]),
        {"state": PUBLISHED, "base_version": item_version(instance=point)},
    )
    client.force_login(raadslid)

    assert client.get(_detail("aandachtspunt", point.pk)).status_code == 200


def test_the_preview_shows_the_formatted_text_and_saves_nothing(as_role, point):
    client = as_role("rekenkamer")

    response = client.post(
        _edit("aandachtspunt", point.pk),
        _point_data(point, explanation="Twee punten:\n\n- een\n- twee", action="preview"),
    )

    page = response.content.decode()
    point.refresh_from_db()
    assert response.status_code == 200
    assert "<li>een</li>" in page
    assert point.explanation == "Eerste tekst."


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
    assert "iemand anders" in str(response.context["adminform"].form.non_field_errors())


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


# --- Validation ---


def test_a_number_already_used_in_the_report_is_refused_on_its_field(as_role, point):
    other = f.AttentionPointFactory(report=point.report)

    response = as_role("rekenkamer").post(
        _edit("aandachtspunt", other.pk), _point_data(other, number=point.number)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["number"]
    assert 'id="id_number_error"' in response.content.decode()


def test_a_report_gets_a_unique_key_from_its_title(as_role):
    municipality = f.MunicipalityFactory()
    client = as_role("rekenkamer")
    data = {
        "base_version": 0,
        "title": "Migratie in beeld",
        "municipality": municipality.pk,
        "kind": "bestuurlijke_nota",
        "author": "Rekenkamer",
        "year": 2026,
        "state": DRAFT,
        "action": "save",
    }

    client.post(_create("rapport"), data)
    client.post(_create("rapport"), data)

    assert sorted(Report.objects.values_list("slug", flat=True)) == [
        "migratie-in-beeld-2026",
        "migratie-in-beeld-2026-2",
    ]


def test_a_second_matrix_cell_for_the_same_group_and_theme_is_refused(as_role):
    cell = f.PolicyCellFactory()
    data = {
        "base_version": 0,
        "group": cell.group_id,
        "theme": cell.theme_id,
        "legal_position": cell.legal_position,
        "policy_status": cell.policy_status,
        "state": DRAFT,
        "action": "save",
    }

    response = as_role("rekenkamer").post(
        _create("beleidscel") + f"?municipality={cell.municipality.code}", data
    )

    assert response.status_code == 400
    assert response.context["form"].errors["theme"]


# --- Text is inert ---


@pytest.mark.parametrize("field", ["title", "explanation", "source_section"])
def test_script_in_a_finding_renders_inert_on_its_page(as_role, point, field):
    setattr(point, field, SCRIPT)
    point.save()

    page = as_role("raadslid").get(_detail("aandachtspunt", point.pk)).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_script_in_a_finding_renders_inert_on_the_findings_dashboard(as_role, point):
    point.explanation = SCRIPT
    point.title = SCRIPT
    point.save()

    page = as_role("raadslid").get(
        reverse("dashboards:findings") + f"?municipality={point.report.municipality.code}"
    )

    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_script_in_a_matrix_note_renders_inert(as_role):
    cell = f.PolicyCellFactory(note=SCRIPT)

    page = as_role("raadslid").get(
        reverse("dashboards:matrix") + f"?municipality={cell.municipality.code}"
    )

    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_script_in_the_preview_and_in_the_history_renders_inert(as_role, point):
    client = as_role("rekenkamer")
    preview = client.post(
        _edit("aandachtspunt", point.pk), _point_data(point, explanation=SCRIPT, action="preview")
    )
    client.post(_edit("aandachtspunt", point.pk), _point_data(point, explanation=SCRIPT))
    history = client.get(_detail("aandachtspunt", point.pk))

    for html in (preview.content.decode(), history.content.decode()):
        assert "<script>alert" not in html
        assert "<img src=x" not in html


def test_a_link_in_a_text_becomes_a_safe_link(as_role, point):
    point.explanation = "Zie [het rapport](https://example.org/rapport)."
    point.save()

    page = as_role("raadslid").get(_detail("aandachtspunt", point.pk)).content.decode()

    assert '<a href="https://example.org/rapport" rel="noopener noreferrer nofollow">' in page


# --- Traceability ---


def test_an_attention_point_leads_to_its_conclusions_and_recommendations_and_back(as_role, point):
    conclusion = f.ConclusionFactory(report=point.report, title="Te weinig woningen")
    conclusion.attention_points.add(point)
    recommendation = f.RecommendationFactory(report=point.report, title="Bouw flexwoningen")
    recommendation.attention_points.add(point)
    recommendation.conclusions.add(conclusion)
    client = as_role("raadslid")

    point_page = client.get(_detail("aandachtspunt", point.pk)).content.decode()
    conclusion_page = client.get(_detail("conclusie", conclusion.pk)).content.decode()

    assert _detail("conclusie", conclusion.pk) in point_page
    assert _detail("aanbeveling", recommendation.pk) in point_page
    assert _detail("aandachtspunt", point.pk) in conclusion_page
    assert _detail("aanbeveling", recommendation.pk) in conclusion_page


def test_the_findings_dashboard_links_each_finding_to_its_page(as_role, point):
    page = as_role("raadslid").get(
        reverse("dashboards:findings") + f"?municipality={point.report.municipality.code}"
    )

    assert _detail("aandachtspunt", point.pk) in page.content.decode()


# --- Queries ---


def test_a_findings_page_with_a_long_history_stays_within_a_fixed_query_budget(
    as_role, point, django_assert_max_num_queries
):
    groups = list(f.pm.MigrantGroup.objects.all())
    for number in range(30):
        point.title = f"Titel {number}"
        point.save()
        point.groups.set(groups[: number % len(groups) + 1])
    client = as_role("rekenkamer")
    client.get(_detail("aandachtspunt", point.pk))

    with django_assert_max_num_queries(14):
        response = client.get(_detail("aandachtspunt", point.pk))

    assert response.status_code == 200


def test_the_editing_desk_stays_within_a_fixed_query_budget(
    as_role, point, django_assert_max_num_queries
):
    for _ in range(20):
        report = f.ReportFactory(municipality=point.report.municipality)
        f.AttentionPointFactory(report=report)
        f.RecommendationFactory(report=report)
    client = as_role("rekenkamer")
    url = _editing_url("editor_home", point)
    client.get(url)

    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200


def test_recommendation_and_conclusion_kinds_are_registered():
    from policy.views.editing import KINDS

    assert {kind.model for kind in KINDS.values()} >= {Conclusion, Recommendation}


@pytest.mark.postgres_only(reason="row locks between parallel connections")
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_from_the_same_version_never_both_succeed():
    point = f.AttentionPointFactory(title="Begin")
    # Transactional tests run after others have emptied the role groups; the service
    # itself checks no permissions, so plain users will do.
    editors = [f.UserFactory(username=f"redacteur{i}") for i in range(2)]
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
