"""What changed in the audit office's texts: who, when and what, readable."""

import difflib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from policy.constants import HistoryKind

# Saving an item and then its links writes two history rows; rows of one
# editor this close together are one change to the reader.
_SAME_CHANGE = timedelta(seconds=5)
# simple-history's history_type, as the kind of change the reader sees.
_KIND_OF_TYPE = {"+": HistoryKind.CREATED, "~": HistoryKind.CHANGED, "-": HistoryKind.DELETED}


@dataclass
class FieldChange:
    label: str
    old: SafeString
    new: SafeString
    diff: SafeString | None = None  # word-level diff, for longer texts
    link: bool = False  # a change of links (many-to-many)


@dataclass
class HistoryEntry:
    when: datetime
    user: str
    kind: str  # a HistoryKind
    changes: list[FieldChange] = field(default_factory=list)
    version: int = 0

    @property
    def kind_label(self) -> str:
        return str(HistoryKind(self.kind).label)


def item_version(*, instance: models.Model) -> int:
    """The id of the item's latest history row: what an edit form is based on."""
    if instance.pk is None:
        return 0
    latest = instance.history.order_by("-history_date", "-history_id").first()
    return latest.history_id if latest else 0


def item_last_changed(*, instance: models.Model) -> datetime | None:
    latest = instance.history.order_by("-history_date").values_list("history_date", flat=True)
    return latest.first()


def item_history(*, instance: models.Model, limit: int = 200) -> list[HistoryEntry]:
    """The item's changes, newest first, in a fixed number of queries.

    The differences are computed here rather than with simple-history's
    diff_against, which reads the links of every row pair from the database.
    """
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    links = _links_by_record(model=model, records=records)
    labels = _related_labels(model=model, records=records, links=links)
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = _changes(
            model=model, record=record, previous=previous, links=links, labels=labels
        )
        kind = _KIND_OF_TYPE[record.history_type]
        if kind == HistoryKind.CHANGED and not changes:
            continue
        entry = HistoryEntry(
            when=record.history_date,
            user=record.history_user.get_username() if record.history_user else _("unknown"),
            kind=kind,
            changes=changes,
            version=record.history_id,
        )
        newer = entries[-1] if entries else None
        if (
            newer is not None
            and newer.kind == HistoryKind.CHANGED
            and all(change.link for change in newer.changes)
            and newer.user == entry.user
            and newer.when - entry.when <= _SAME_CHANGE
        ):
            # One save: the newer row holds only the links, this one the fields.
            seen = {change.label for change in newer.changes}
            newer.changes.extend(c for c in entry.changes if c.label not in seen)
            newer.kind = entry.kind
            continue
        entries.append(entry)
    return entries


def _plain_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name != "id"]


def _links_by_record(*, model, records) -> dict[str, dict[int, frozenset]]:
    """For each many-to-many field: history id → the ids it linked to then."""
    ids = [record.history_id for record in records]
    links: dict[str, dict[int, frozenset]] = {}
    for model_field in model._meta.many_to_many:
        through = apps.get_model(
            model._meta.app_label, f"Historical{model.__name__}_{model_field.name}"
        )
        target = model_field.related_model._meta.model_name
        rows: dict[int, set] = {history_id: set() for history_id in ids}
        for history_id, target_id in through.objects.filter(history_id__in=ids).values_list(
            "history_id", target
        ):
            rows[history_id].add(target_id)
        links[model_field.name] = {key: frozenset(value) for key, value in rows.items()}
    return links


def _changes(*, model, record, previous, links, labels) -> list[FieldChange]:
    if previous is None:
        return []
    changes = []
    for model_field in _plain_fields(model):
        old = getattr(previous, model_field.attname)
        new = getattr(record, model_field.attname)
        if old == new:
            continue
        diff = None
        if isinstance(model_field, models.TextField):
            diff = _word_diff(str(old or ""), str(new or ""))
        changes.append(
            FieldChange(
                label=_label(model_field),
                old=_display(model_field, old, labels),
                new=_display(model_field, new, labels),
                diff=diff,
            )
        )
    for model_field in model._meta.many_to_many:
        old = links[model_field.name].get(previous.history_id, frozenset())
        new = links[model_field.name].get(record.history_id, frozenset())
        if old != new:
            changes.append(
                FieldChange(
                    label=_label(model_field),
                    old=_display_many(model_field, old, labels),
                    new=_display_many(model_field, new, labels),
                    link=True,
                )
            )
    return changes


def _label(model_field) -> str:
    return str(model_field.verbose_name).capitalize()


def _related_labels(*, model, records, links) -> dict[tuple[type, object], str]:
    """Names of the related objects the rows point at, read once per related model."""
    wanted: dict[type, set] = {}
    for model_field in _plain_fields(model):
        if model_field.is_relation:
            values = {getattr(record, model_field.attname) for record in records}
            wanted.setdefault(model_field.related_model, set()).update(values - {None})
    for model_field in model._meta.many_to_many:
        for target_ids in links[model_field.name].values():
            wanted.setdefault(model_field.related_model, set()).update(target_ids)
    labels: dict[tuple[type, object], str] = {}
    for related, ids in wanted.items():
        if ids:
            for obj in related._default_manager.filter(pk__in=ids):
                labels[(related, obj.pk)] = str(obj)
    return labels


def _display(model_field, value, labels) -> SafeString:
    if value in (None, ""):
        return mark_safe("–")
    if model_field.is_relation:
        text = labels.get((model_field.related_model, value), str(value))
    elif model_field.choices:
        text = str(dict(model_field.flatchoices).get(value, value))
    else:
        text = str(value)
    return mark_safe(escape(text))


def _display_many(model_field, target_ids, labels) -> SafeString:
    if not target_ids:
        return mark_safe("–")
    related = model_field.related_model
    names = sorted(labels.get((related, pk), str(pk)) for pk in target_ids)
    return mark_safe(escape("; ".join(names)))


def _word_diff(old: str, new: str) -> SafeString:
    """The new text with deleted words struck through and added words marked."""
    old_words, new_words = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))
