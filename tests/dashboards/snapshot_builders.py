"""Builders the meeting-snapshot tests share: packs, a frozen snapshot, forms, URLs."""

from datetime import date

from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dashboards import services
from dashboards.filters import Filters, filters_from_query
from dashboards.models import MeetingSnapshot
from migrantportal.figure_cache import figure_cache_invalidate
from policy.models import AttentionPoint
from registry.models import Municipality

DEMO_PACK = "municipality=GM0394&include=overview:motive-split,findings:all"
SMALL_PACK = "municipality=GM9001&include=overview:motive-split,findings:all"
PACK_URL = reverse("dashboards:pack") + "?" + DEMO_PACK
FREEZE_ACTION = f'action="{reverse("dashboards:snapshot_create")}"'
DEMO_REPORT = "haarlemmermeer-migranten-2025"


def _filters(query: str) -> Filters:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    return filters_from_query(
        params=QueryDict(query),
        municipalities=municipalities,
        comparison_groups={
            m.code: [other.code for other in m.comparison_group.all()]
            for m in municipalities.values()
        },
        default=lambda: municipalities["GM0394"],
    )


def _freeze(
    *, query: str = DEMO_PACK, user=None, language: str = "nl", **fields
) -> MeetingSnapshot:
    """A snapshot frozen by the service, as the clerk's form does."""
    values = {"title": "Migratie", "meeting_date": date(2026, 12, 10), "agenda_item": "7"}
    with translation.override(language):
        return services.meeting_snapshot_create(
            filters=_filters(query), user=user, **(values | fields)
        )


def _form(**changes) -> dict:
    return {
        "title": "Migratie in Haarlemmermeer",
        "meeting_date": "2026-12-10",
        "agenda_item": "7b",
        "pack": DEMO_PACK,
    } | changes


def _url(view: str, snapshot: MeetingSnapshot | None = None) -> str:
    if view in ("list", "create"):
        return reverse(f"dashboards:snapshot_{view}")
    return reverse(f"dashboards:snapshot_{view}", args=[snapshot.pk])


def _dutch(msgid: str, **values) -> str:
    """The text a Dutch reader gets for `msgid` (the msgid itself until it is translated)."""
    with translation.override("nl"):
        text = gettext(msgid)
    return text % values if values else text


def _page(client: Client, snapshot: MeetingSnapshot):
    response = client.get(_url("detail", snapshot))
    assert response.status_code == 200
    return response


def _frozen_part(html: str) -> str:
    """The frozen pack on a snapshot page, without the change note above it."""
    return html[html.index('class="snapshot-content"') :]


def _edit(instance, **values) -> None:
    """An edit as the editing services make it: saved with history, figures invalidated."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    figure_cache_invalidate()


def _point(number: int) -> AttentionPoint:
    return AttentionPoint.objects.get(report__slug=DEMO_REPORT, number=number)
