"""Record what became of a recommendation: decisions, the council's route, progress.

Each write is atomic, names its user in the history, refuses impossible data
with errors per field (before the database's own constraints would), and
renews the dashboards' cached figures once the transaction has committed.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from migrantportal.figure_cache import figure_cache_invalidate
from policy.constants import Acceptance
from policy.models import Recommendation, RecommendationStatusChange
from policy.rules import FOLLOWUP_FIELDS, day_format, recommendation_followup_errors
from policy.services.scope import item_scope_check


@dataclass(frozen=True)
class FollowupFieldChange:
    field: str
    label: str
    old: str
    new: str


class StaleFollowupEditError(Exception):
    """The follow-up changed after the editor opened the form; saving would overwrite it."""

    def __init__(
        self,
        *,
        current_version: int,
        changed_by: str,
        changed_at: datetime | None,
        changes: list[FollowupFieldChange],
    ) -> None:
        super().__init__("The follow-up was changed by someone else after you opened it.")
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.changes = changes


def _shown(name: str, value: Any) -> str:
    """A follow-up value as the editor reads it."""
    if value in (None, ""):
        return "–"
    if name in ("council_acceptance", "college_acceptance") and value in Acceptance.values:
        return str(Acceptance(value).label)
    if isinstance(value, date):
        return day_format(value)
    return str(value)


def _stale_changes(
    *, recommendation: Recommendation, base_version: int
) -> StaleFollowupEditError | None:
    records = recommendation.history.order_by("-history_date", "-history_id")
    current = records.select_related("history_user").first()
    if current is None or current.history_id == base_version:
        return None
    base = records.filter(history_id=base_version).first()
    changes = [
        FollowupFieldChange(
            field=name,
            label=str(Recommendation._meta.get_field(name).verbose_name),
            old=_shown(name, getattr(base, name) if base is not None else None),
            new=_shown(name, getattr(current, name)),
        )
        for name in FOLLOWUP_FIELDS
        if base is None or getattr(base, name) != getattr(current, name)
    ]
    if not changes:
        return None  # someone edited other fields (the text): nothing of theirs is at stake
    return StaleFollowupEditError(
        current_version=current.history_id,
        changed_by=current.history_user.get_username() if current.history_user else _("unknown"),
        changed_at=current.history_date,
        changes=changes,
    )


@transaction.atomic
def recommendation_followup_update(
    *,
    recommendation: Recommendation,
    user: User,
    base_version: int,
    council_acceptance: str,
    college_acceptance: str,
    beeldvorming_on: date | None = None,
    oordeelsvorming_on: date | None = None,
    besluitvorming_on: date | None = None,
    route_note: str = "",
    college_responded_on: date | None = None,
    plan_received_on: date | None = None,
    today: date | None = None,
) -> Recommendation:
    """Set the council's decision and route, the college's response and the plan's receipt.

    Raises ValidationError (per field) for impossible data, and
    StaleFollowupEditError when another editor changed these fields after
    `base_version` (the version the form was made from). The row is locked
    first, so two editors saving at once are put in order.
    """
    values = {
        "council_acceptance": council_acceptance,
        "beeldvorming_on": beeldvorming_on,
        "oordeelsvorming_on": oordeelsvorming_on,
        "besluitvorming_on": besluitvorming_on,
        "route_note": route_note or "",
        "college_acceptance": college_acceptance,
        "college_responded_on": college_responded_on,
        "plan_received_on": plan_received_on,
    }
    item_scope_check(user=user, instance=recommendation)
    errors = recommendation_followup_errors(values=values, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    stale = _stale_changes(recommendation=locked, base_version=base_version)
    if stale is not None:
        raise stale
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked._history_user = user
    locked.save(update_fields=changed)
    figure_cache_invalidate()
    return locked


@transaction.atomic
def recommendation_status_change_create(
    *,
    recommendation: Recommendation,
    user: User,
    status: str,
    changed_on: date,
    reported_by: str,
    note: str = "",
) -> RecommendationStatusChange:
    """Add a dated progress update; ValidationError (per field) for what the model refuses:
    an unknown status or reporter, a date in the future or before the report."""
    change = RecommendationStatusChange(
        recommendation=recommendation,
        status=status,
        changed_on=changed_on,
        reported_by=reported_by,
        note=note or "",
        created_by=user,
    )
    item_scope_check(user=user, instance=change)
    change.full_clean()
    change._history_user = user
    change.save()
    figure_cache_invalidate()
    return change
