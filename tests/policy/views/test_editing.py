"""The audit office's editing desk, the pages: roles, drafts, validation, safe text, links."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from policy.models import AttentionPoint, Report
from policy.selectors.history import item_version
from tests import factories as f
from tests.policy.editing_builders import (
    DRAFT,
    PUBLISHED,
    SCRIPT,
    _create,
    _detail,
    _edit,
    _point_data,
)

pytestmark = pytest.mark.django_db


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
