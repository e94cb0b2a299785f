"""Builders the editing-desk tests share: URLs of an item and a posted attention point."""

from django.urls import reverse

from policy.constants import PublicationState
from policy.models import AttentionPoint
from policy.selectors.history import item_version

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
