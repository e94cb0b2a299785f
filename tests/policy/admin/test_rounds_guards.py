"""Prioritisation rounds, the guards: a point an open round ranks stays published."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from policy.constants import PublicationState, RoundState
from policy.models import AttentionPoint, Report
from policy.selectors.history import item_version
from policy.services import rounds as services
from policy.services.editing import InOpenRoundError, items_state_set
from tests import factories as f
from tests.admin_forms import admin_page_data
from tests.policy.round_builders import a_round, attention_points

pytestmark = pytest.mark.django_db


# --- Drafts stay hidden from voters ---


def test_a_point_returned_to_draft_in_the_admin_is_hidden_on_the_round_and_ballot_pages(
    client, raadslid
):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Geheim"])
    round_ = a_round([a, b, c])
    AttentionPoint.objects.filter(pk=c.pk).update(state=PublicationState.DRAFT)
    client.force_login(raadslid)

    round_page = client.get(reverse("policy:round_detail", args=[round_.pk])).text
    ballot_page = client.get(reverse("policy:round_vote", args=[round_.pk])).text

    assert "Alfa" in round_page
    assert "Geheim" not in round_page
    assert "Geheim" not in ballot_page


def test_a_round_with_a_draft_point_cannot_be_opened():
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Geheim"])
    round_ = a_round([a, b, c], state=RoundState.DRAFT)
    AttentionPoint.objects.filter(pk=c.pk).update(state=PublicationState.DRAFT)

    with pytest.raises(ValidationError):
        services.round_open(round_id=round_.pk)

    round_.refresh_from_db()
    assert round_.state == RoundState.DRAFT


def test_a_point_ranked_in_an_open_round_cannot_be_returned_to_draft(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    client.post(
        reverse("policy:item_state", args=["aandachtspunt", a.pk]),
        {"state": PublicationState.DRAFT, "base_version": item_version(instance=a)},
    )

    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_the_report_of_a_point_in_an_open_round_cannot_be_returned_to_draft(rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])

    with pytest.raises(InOpenRoundError):
        items_state_set(items=[a.report], state=PublicationState.DRAFT, user=rekenkamer)


def _admin_change_data(instance, **changes) -> dict:
    """The instance's editable fields as its change form posts them, with these changes."""
    data = {
        name: [item.pk for item in value] if isinstance(value, list) else value
        for name, value in model_to_dict(instance).items()
        if value is not None
    }
    return {**data, "base_version": item_version(instance=instance), **changes}


def test_the_admin_change_form_keeps_a_point_of_an_open_round_published(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[a.pk]),
        _admin_change_data(a, state=PublicationState.DRAFT),
    )

    assert response.status_code == 200
    assert "Prioriteiten 2026–2030" in str(response.context["adminform"].form.errors["state"])
    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_the_admin_change_form_returns_a_point_to_draft_once_its_round_closed(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b], state=RoundState.CLOSED)
    client.force_login(rekenkamer)

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[a.pk]),
        _admin_change_data(a, state=PublicationState.DRAFT),
    )

    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == PublicationState.DRAFT


def test_the_admin_report_form_keeps_the_report_of_an_open_rounds_point_published(rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    report = a.report
    request = RequestFactory().get("/")
    request.user = rekenkamer
    form_class = admin.site._registry[Report].get_form(request, report)

    form = form_class(_admin_change_data(report, state=PublicationState.DRAFT), instance=report)

    assert not form.is_valid()
    assert "Prioriteiten 2026–2030" in str(form.errors["state"])


def test_the_admin_will_not_delete_a_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_delete", args=[a.pk])

    page = client.get(url)
    client.post(url, {"post": "yes"})

    assert "Prioriteiten 2026–2030" in str(page.context["protected"])
    assert AttentionPoint.objects.filter(pk=a.pk).exists()


def test_the_admin_will_not_delete_the_report_of_a_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    client.post(reverse("admin:policy_report_delete", args=[a.report_id]), {"post": "yes"})

    assert Report.objects.filter(pk=a.report_id).exists()


def test_the_report_page_refuses_deleting_an_inline_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_report_change", args=[a.report_id])
    opened = client.get(url)
    points = next(
        inline.formset
        for inline in opened.context["inline_admin_formsets"]
        if inline.formset.model is AttentionPoint
    )
    deleting = next(form for form in points.forms if form.instance == a)

    response = client.post(url, admin_page_data(opened) | {deleting.add_prefix("DELETE"): "on"})

    assert AttentionPoint.objects.filter(pk=a.pk).exists()
    assert "Prioriteiten 2026–2030" in response.text


def test_reverting_a_ranked_point_to_a_version_in_draft_is_refused(client, rekenkamer):
    a, b = attention_points(2)
    a.state = PublicationState.DRAFT
    a.save()  # a history row of the draft
    draft_version = item_version(instance=a)
    a.state = PublicationState.PUBLISHED
    a.save()
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_simple_history", args=[a.pk, draft_version])

    client.post(url, admin_page_data(client.get(url)))

    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_a_ranked_point_stays_in_its_report_while_its_round_is_open(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    draft_report = f.ReportFactory(municipality=a.report.municipality, state=PublicationState.DRAFT)
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_change", args=[a.pk])

    client.post(url, admin_page_data(client.get(url)) | {"report": draft_report.pk})

    a.refresh_from_db()
    assert a.report_id != draft_report.pk
