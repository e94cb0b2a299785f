"""Create, edit and publish the audit office's texts, with history and no lost edits."""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from migrantportal.audit import audit_log
from migrantportal.figure_cache import figure_cache_invalidate
from policy.constants import PublicationState
from policy.models import AttentionPoint, Report
from policy.selectors.history import item_version
from policy.selectors.rounds import round_open_ranking
from policy.services.scope import item_scope_check


class StaleEditError(Exception):
    """The item changed after the editor opened it; saving would overwrite that change."""

    def __init__(self, *, current_version: int) -> None:
        super().__init__("The item was changed by someone else after you opened it.")
        self.current_version = current_version


@transaction.atomic
def item_save(
    *,
    instance: models.Model,
    links: Mapping[str, Iterable[models.Model]],
    base_version: int,
    user: User,
) -> models.Model:
    """Save an item with its fields already set and its many-to-many links.

    Refused with StaleEditError when the item's history moved on since
    base_version (the version the editor's form was made from): the row is
    locked first, so two editors saving at once are put in order and the
    second is refused rather than silently overwriting the first.
    """
    item_scope_check(user=user, instance=instance)
    previous_state = None
    if instance.pk is not None:
        stored = item_stale_check(instance=instance, base_version=base_version)
        previous_state = getattr(stored, "state", None)
        item_open_round_check(instance=instance)
    if isinstance(instance, Report) and not instance.slug:
        instance.slug = report_slug_unique(title=instance.title, year=instance.year)
    instance._history_user = user
    instance.save()
    for name, related in links.items():
        getattr(instance, name).set(list(related))
    figure_cache_invalidate()
    _publication_audit(instance=instance, previous_state=previous_state, user=user)
    return instance


def item_stale_check(*, instance: models.Model, base_version: int) -> models.Model | None:
    """Lock the stored item until the transaction ends and return it; StaleEditError when
    its history moved on since base_version. Call it inside the saving transaction."""
    stored = type(instance).objects.select_for_update().filter(pk=instance.pk).first()
    current = item_version(instance=instance)
    if current != base_version:
        raise StaleEditError(current_version=current)
    return stored


def _publication_audit(*, instance: models.Model, previous_state: str | None, user: User) -> None:
    state = getattr(instance, "state", None)
    if state is None or state == previous_state:
        return
    if previous_state is None and state == PublicationState.DRAFT:
        return  # a new draft is not a publication event
    event = "publish" if state == PublicationState.PUBLISHED else "unpublish"
    transaction.on_commit(lambda: audit_log(event=event, user=user, obj=instance))


@transaction.atomic
def item_state_set(
    *, instance: models.Model, state: str, base_version: int, user: User
) -> models.Model:
    """Publish an item or return it to draft, as an edit with its own history row."""
    if state not in PublicationState.values:
        raise ValueError(f"Unknown state {state!r}")
    instance.state = state
    return item_save(instance=instance, links={}, base_version=base_version, user=user)


@transaction.atomic
def items_state_set(*, items: Iterable[models.Model], state: str, user: User) -> int:
    """Publish or unpublish many items at once (the admin's action), each with history."""
    changed = 0
    for item in items:
        item_scope_check(user=user, instance=item)
        if item.state != state:
            previous_state = item.state
            item.state = state
            item_open_round_check(instance=item)
            item._history_user = user
            item.save(update_fields=["state"])
            _publication_audit(instance=item, previous_state=previous_state, user=user)
            changed += 1
    figure_cache_invalidate()
    return changed


# Fields that would move a ranked item out of the round's sight: to a report in draft, or
# to another municipality's council.
FIXED_WHILE_RANKED: dict[type[models.Model], tuple[str, ...]] = {
    AttentionPoint: ("report",),
    Report: ("municipality",),
}


class InOpenRoundError(Exception):
    """The item is ranked in an open prioritisation round, so it must stay as voters see it:
    published, where it is, and not deleted. `fields` names what the change touched."""

    def __init__(self, *, round_title: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(round_title)
        self.round_title = round_title
        self.fields = fields

    def as_validation_error(self) -> ValidationError:
        """The refusal for a form: on each field concerned, else above the form."""
        error = ValidationError(
            _(
                "This stays as it is while the prioritisation round “%(round)s” is open: "
                "the round ranks it or its attention points."
            ),
            code="in_open_round",
            params={"round": self.round_title},
        )
        return ValidationError({name: [error] for name in self.fields or (NON_FIELD_ERRORS,)})


def item_open_round_check(*, instance: models.Model) -> None:
    """Refuse, with InOpenRoundError, a change to `instance` that would hide or move an
    attention point (or a report's points) while an open round's voters rank it: a return
    to draft, or a change of a FIXED_WHILE_RANKED field.

    Compared with the stored row, not with the instance as loaded: on simple-history's
    revert page the instance is an old version, not what voters see now.
    """
    fixed = FIXED_WHILE_RANKED.get(type(instance))
    if fixed is None or instance.pk is None:
        return
    stored = (
        type(instance)
        .objects.filter(pk=instance.pk)
        .values("state", *(f"{name}_id" for name in fixed))
        .first()
    )
    if stored is None:
        return
    fields = [name for name in fixed if getattr(instance, f"{name}_id") != stored[f"{name}_id"]]
    if stored["state"] != PublicationState.DRAFT and instance.state == PublicationState.DRAFT:
        fields.append("state")
    if fields:
        _refuse_if_ranked(items=[instance], fields=tuple(fields))


def items_delete_check(*, items: Iterable[models.Model]) -> None:
    """Refuse, with InOpenRoundError, deleting attention points or reports that an open
    round ranks: the voters' ballots would lose them."""
    _refuse_if_ranked(items=list(items), fields=())


def _refuse_if_ranked(*, items: list[models.Model], fields: tuple[str, ...]) -> None:
    open_round = round_open_ranking(
        attention_points=[item for item in items if isinstance(item, AttentionPoint)],
        reports=[item for item in items if isinstance(item, Report)],
    ).first()
    if open_round is not None:
        raise InOpenRoundError(round_title=open_round.title, fields=fields)


def report_slug_unique(*, title: str, year: int) -> str:
    base = slugify(f"{title}-{year}")[:70] or f"report-{year}"
    slug, counter = base, 2
    while Report.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
