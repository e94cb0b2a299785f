"""An edit after publication is shown as one, with the earlier published wording."""

import json

import pytest
from django.urls import reverse

from policy.constants import PublicationState
from policy.models import Conclusion, Report
from tests.content import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


@pytest.fixture
def conclusion(demo) -> Conclusion:
    return Conclusion.objects.get(report__slug="haarlemmermeer-migranten-2025", number=3)


def _findings(client, raadslid):
    client.force_login(raadslid)
    return client.get(reverse("dashboards:findings") + "?municipality=GM0394")


def test_an_unedited_published_finding_is_not_marked_as_changed(client, raadslid, conclusion):
    page = _findings(client, raadslid)

    shown = next(c for c in page.context["page"].reports[0].conclusions if c.pk == conclusion.pk)
    assert shown.changed_on is None


def test_a_published_text_edited_later_says_it_changed(client, raadslid, conclusion):
    conclusion.title = "Een nieuwe zin van de rekenkamer."
    conclusion.save()

    page = _findings(client, raadslid)

    shown = next(c for c in page.context["page"].reports[0].conclusions if c.pk == conclusion.pk)
    assert shown.changed_on is not None
    assert "Gewijzigd op" in page.text


def test_the_item_page_offers_the_earlier_published_wording(client, raadslid, conclusion):
    original = conclusion.title
    conclusion.title = "Een nieuwe zin van de rekenkamer."
    conclusion.save()
    client.force_login(raadslid)

    page = client.get(reverse("policy:item_detail", args=["conclusie", conclusion.pk]))

    assert [w.values["titel"] for w in page.context["earlier_wordings"]] == [original]


def test_a_draft_wording_is_never_offered_as_an_earlier_published_one(client, raadslid, conclusion):
    original = conclusion.title
    conclusion.state = PublicationState.DRAFT
    conclusion.title = "Een concepttekst."
    conclusion.save()
    conclusion.state = PublicationState.PUBLISHED
    conclusion.title = "De definitieve nieuwe tekst."
    conclusion.save()
    client.force_login(raadslid)

    page = client.get(reverse("policy:item_detail", args=["conclusie", conclusion.pk]))

    titles = [w.values["titel"] for w in page.context["earlier_wordings"]]
    assert titles == [original]
    assert "Een concepttekst." not in page.text


def test_zoetermeer_stores_no_link_that_belongs_to_another_report(demo):
    assert Report.objects.get(slug="zoetermeer-arbeidsmigranten-2025").url == ""


def test_zoetermeer_keeps_the_reports_relatively_many_not_mostly(demo):
    note = json.dumps(
        list(
            Report.objects.get(slug="zoetermeer-arbeidsmigranten-2025").context_notes.values_list(
                "body", flat=True
            )
        ),
        ensure_ascii=False,
    )

    assert "relatief veel" in note
    assert "meeste" not in note


def _matrix_cells(client, raadslid) -> dict:
    client.force_login(raadslid)
    page = client.get(reverse("dashboards:matrix") + "?municipality=GM0394")
    matrix = page.context["page"].matrices[0]
    return {cell.pk: cell for _group, row in matrix.rows for cell in row if cell is not None}


def test_an_unedited_matrix_cell_is_not_marked_as_changed(client, raadslid, demo):
    assert all(cell.changed_on is None for cell in _matrix_cells(client, raadslid).values())


def test_a_matrix_cell_edited_after_publication_says_it_changed_and_links_its_history(
    client, raadslid, demo
):
    from policy.models import PolicyCell

    cell = PolicyCell.objects.filter(municipality__code="GM0394").order_by("pk").first()
    cell.note = "Een nieuwe toelichting van de rekenkamer."
    cell.save()

    shown = _matrix_cells(client, raadslid)[cell.pk]
    html = client.get(reverse("dashboards:matrix") + "?municipality=GM0394").text

    item = client.get(reverse("policy:item_detail", args=["beleidscel", cell.pk]))

    assert shown.changed_on is not None
    assert reverse("policy:item_detail", args=["beleidscel", cell.pk]) + "#earlier" in html
    assert 'id="earlier"' in item.text
