"""What a reader may know of edits after publication: that a published text changed, when,
and what it said before. Only wordings the item had while published count, never drafts."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from policy.constants import PublicationState

# The texts a council member reads of each kind of item.
READER_FIELDS: dict[str, tuple[str, ...]] = {
    "AttentionPoint": ("title", "explanation"),
    "Conclusion": ("title", "explanation"),
    "Recommendation": ("title", "explanation"),
    "PolicyCell": ("legal_position", "policy_status", "note", "uncertain_reason"),
    "Report": ("title", "summary"),
}


@dataclass(frozen=True)
class PublishedWording:
    since: datetime
    values: dict


def _wordings(rows, fields: tuple[str, ...]) -> list[PublishedWording]:
    wordings: list[PublishedWording] = []
    for row in rows:
        if row["state"] != PublicationState.PUBLISHED or row["history_type"] == "-":
            continue
        values = {name: row[name] for name in fields}
        if not wordings or wordings[-1].values != values:
            wordings.append(PublishedWording(since=row["history_date"], values=values))
    return wordings


def item_published_wordings(*, instance: models.Model) -> list[PublishedWording]:
    """The item's published wordings, oldest first; the last is the current one."""
    fields = READER_FIELDS.get(type(instance).__name__)
    if fields is None:
        return []
    rows = instance.history.order_by("history_date", "history_id").values(
        "history_date", "history_type", "state", *fields
    )
    meta = type(instance)._meta
    # Keyed by the fields' names as readers know them ("toelichting", not "explanation").
    return [
        PublishedWording(
            since=wording.since,
            values={
                str(meta.get_field(name).verbose_name): v for name, v in wording.values.items()
            },
        )
        for wording in _wordings(rows, fields)
    ]


def items_changed_after_publication(*, model: type[models.Model], pks: list[int]) -> dict:
    """Per item: when its published text last changed, for those whose text changed after
    it was first published (one query for all of them)."""
    fields = READER_FIELDS[model.__name__]
    rows = (
        model.history.filter(id__in=pks)
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", "history_type", "state", *fields)
    )
    per_item: dict[int, list] = {}
    for row in rows:
        per_item.setdefault(row["id"], []).append(row)
    changed = {}
    for pk, item_rows in per_item.items():
        wordings = _wordings(item_rows, fields)
        if len(wordings) > 1:
            changed[pk] = wordings[-1].since
    return changed
