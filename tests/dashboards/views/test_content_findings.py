"""Findings, programmes and context as the documents give them, with their sections and links."""

import pytest
from django.urls import reverse

from policy.models import Conclusion, Recommendation
from tests.content import demo_load, export_policy_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


def _page(client, raadslid, name: str, code: str):
    client.force_login(raadslid)
    return client.get(reverse(f"dashboards:{name}") + f"?municipality={code}")


def test_every_conclusion_and_recommendation_shows_its_section(client, raadslid, demo):
    page = _page(client, raadslid, "findings", "GM0394").text

    for item in [*Conclusion.objects.all(), *Recommendation.objects.all()]:
        if item.report.municipality.code == "GM0394":
            assert item.source_section in page


def test_the_audit_offices_preamble_to_section_4_stands_with_the_conclusions(
    client, raadslid, demo
):
    page = _page(client, raadslid, "findings", "GM0394").text

    assert "in staat is om een groot deel van haar wettelijke verplichtingen na te komen" in page
    assert "§4 (inleiding)" in page


def test_recommendation_1_rests_on_all_14_attention_points_by_the_reports_own_words(demo):
    recommendation = export_policy_json("GM0394")["recommendations"][0]

    assert recommendation["attention_points"] == list(range(1, 15))
    assert recommendation["attention_points_basis"] == "document"


def test_the_findings_page_lists_the_attention_points_of_recommendation_1(client, raadslid, demo):
    page = _page(client, raadslid, "findings", "GM0394")

    recommendation = page.context["page"].reports[0].recommendations[0]
    assert [p.number for p in recommendation.attention_points.all()] == list(range(1, 15))


def test_links_the_report_does_not_make_are_labelled_as_the_editors(demo):
    exported = export_policy_json("GM0394")

    assert {c["attention_points_basis"] for c in exported["conclusions"]} == {"editors"}
    assert {r["conclusions_basis"] for r in exported["recommendations"]} == {"editors"}


def test_every_exported_finding_carries_its_source_section(demo):
    exported = export_policy_json("GM0394")

    items = exported["attention_points"] + exported["conclusions"] + exported["recommendations"]
    assert all(item["source_section"] for item in items)


def test_aalsmeers_export_carries_its_programme_and_context(demo):
    exported = export_policy_json("GM0358")

    assert len(exported["programme_lines"]) == 9
    assert len(exported["context_notes"]) == 2
    assert exported["reports"][0]["programme"]["adopted_on"] == "2024-02-01"
    assert exported["reports"][0]["programme"]["period"] == "2024–2027"
    assert exported["reports"][0]["programme"]["next_step"].startswith("Begin 2026")


def test_progress_the_letter_does_not_attach_to_a_line_is_labelled_as_the_editors(demo):
    lines = {
        (line["kind"], line["number"]): line["progress_basis"]
        for line in export_policy_json("GM0358")["programme_lines"]
    }

    assert lines[("programme_line", 4)] == "document"
    assert lines[("programme_line", 1)] == "editors"


def test_the_programme_page_shows_aalsmeers_lines_and_adoption(client, raadslid, demo):
    page = _page(client, raadslid, "programme", "GM0358").text

    assert "Goede huisvesting" in page
    assert "Vergroten van het aantal inschrijvingen in de BRP" in page
    assert "2024–2027" in page
    assert "Regiodeal Sierteeltregio" in page


def test_the_programme_page_shows_the_acvz_as_national_context(client, raadslid, demo):
    page = _page(client, raadslid, "programme", "GM0394").text

    assert "Inburgering: kiezen voor kwaliteit" in page


def test_aalsmeers_findings_page_points_to_its_programme(client, raadslid, demo):
    page = _page(client, raadslid, "findings", "GM0358")

    assert page.context["page"].has_programme
    assert reverse("dashboards:programme") in page.text


def test_the_menu_offers_the_programme_page(client, raadslid, demo):
    page = _page(client, raadslid, "overview", "GM0358").text

    assert reverse("dashboards:programme") in page
