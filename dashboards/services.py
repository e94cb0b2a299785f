"""The dashboards' writes: the demo users (one per role, plus a superuser) and meeting snapshots."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from charts import privacy
from dashboards import selectors
from dashboards.filters import Filters
from dashboards.models import MeetingSnapshot, Profile
from migrantportal.access import municipality_scope_check
from migrantportal.roles import Role
from migrantportal.upsert import Outcome, upsert
from registry.models import Municipality

# Documented in the README; only ever for a local demo database.
DEMO_PASSWORD = "raadsdebat-2026"
# The demo's users all belong to the council whose audit-office report the demo is built on.
DEMO_MUNICIPALITY = "GM0394"
# The three demo municipalities: Haarlemmermeer, Zoetermeer, Aalsmeer.
DEMO_MUNICIPALITIES = ("GM0394", "GM0637", "GM0358")


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role | None
    is_staff: bool
    is_superuser: bool = False
    municipality: str = DEMO_MUNICIPALITY
    works_for: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("raadslid", Role.RAADSLID, is_staff=False),
    # The clerk and the audit office work in the admin, for all three demo municipalities,
    # so the demo behaves as before they were scoped.
    DemoUser("griffie", Role.GRIFFIE, is_staff=True, works_for=DEMO_MUNICIPALITIES),
    DemoUser("rekenkamer", Role.REKENKAMER, is_staff=True, works_for=DEMO_MUNICIPALITIES),
    # An audit-office employee of one municipality: changes Zoetermeer's findings only.
    DemoUser(
        "rekenkamer-zoetermeer",
        Role.REKENKAMER,
        is_staff=True,
        municipality="GM0637",
        works_for=("GM0637",),
    ),
    DemoUser("admin", None, is_staff=True, is_superuser=True),
)


@transaction.atomic
def demo_users_ensure(*, password: str) -> Counter:
    """Create or correct the demo users so that each can log in with `password`.

    Returns the outcomes per (model label, outcome); a second call with the same
    password changes nothing.
    """
    if not password:
        raise ValueError("The demo password must not be empty.")
    user_model = get_user_model()
    counts: Counter = Counter()
    for spec in DEMO_USERS:
        groups = [Group.objects.get(name=spec.role)] if spec.role else []
        result = upsert(
            model=user_model,
            lookup={user_model.USERNAME_FIELD: spec.username},
            values={
                "is_active": True,
                "is_staff": spec.is_staff,
                "is_superuser": spec.is_superuser,
            },
            m2m={"groups": groups},
        )
        user = result.instance
        outcome = result.outcome
        # A hash is salted, so setting the same password again would still
        # change the row; set it only when the current one does not match.
        if outcome is Outcome.CREATED or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            if outcome is Outcome.UNCHANGED:
                outcome = Outcome.UPDATED
        counts[(user_model._meta.label, str(outcome))] += 1
        profile = upsert(
            model=Profile,
            lookup={"user": user},
            values={"municipality": Municipality.objects.filter(code=spec.municipality).first()},
            m2m={"works_for": list(Municipality.objects.filter(code__in=spec.works_for))},
        )
        counts[(Profile._meta.label, str(profile.outcome))] += 1
    return counts


@transaction.atomic
def meeting_snapshot_create(
    *,
    filters: Filters,
    title: str,
    meeting_date: date,
    agenda_item: str,
    user: AbstractBaseUser | None,
) -> MeetingSnapshot:
    """Freeze the debate pack of `filters` for a council meeting.

    The pack is built afresh and kept as plain JSON (see `selectors.pack_frozen`),
    so later imports and edits leave the snapshot as it is. It is read by council
    members, so it keeps what they may see: small numbers held back
    (`charts.privacy`), even when a clerk with staff rights freezes it. Only for a
    council `user` works for (OutsideScopeError otherwise).
    """
    municipality_scope_check(user=user, municipality_ids=[filters.municipality.pk])
    if not filters.include:
        raise ValidationError(
            _("Choose at least one chart or the findings before you freeze the pack."),
            code="empty",
        )
    made_at = timezone.now()
    threshold = privacy.threshold_for_members()
    content = selectors.pack_frozen(
        pack=selectors.pack_page(filters=filters, suppress_below=threshold),
        filters=filters,
        suppress_below=threshold,
    )
    if not content["charts"] and content["findings"] is None:
        raise ValidationError(
            _("The chosen contents are not in the debate pack; choose them again."),
            code="empty",
        )
    return MeetingSnapshot.objects.create(
        municipality=filters.municipality,
        title=title,
        meeting_date=meeting_date,
        agenda_item=agenda_item,
        include=list(filters.include),
        content=content | {"made_at": made_at.isoformat()},
        created_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def meeting_snapshot_delete(
    *, snapshot: MeetingSnapshot, user: AbstractBaseUser | None = None
) -> None:
    """Delete a snapshot of a council `user` works for (None: the operator)."""
    municipality_scope_check(user=user, municipality_ids=[snapshot.municipality_id])
    snapshot.delete()
