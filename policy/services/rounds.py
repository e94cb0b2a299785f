"""Writes of prioritisation rounds: prepare, open, vote, close.

Every write that depends on the round's state first locks the round's row
(`select_for_update`), so a vote and the close that would end it happen one
after the other: a ballot stored before the close is counted in its result,
and one that comes after is refused. The unique constraint on round and voter
is the last guard against a doubled ballot.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from migrantportal.access import municipality_scope_check
from policy.constants import BallotMethod, PublicationState, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound
from policy.selectors.round_results import round_result_compute
from policy.selectors.rounds import (
    MIN_ATTENTION_POINTS,
    round_attention_points,
    round_voter_refusal,
    round_voting_closed_reason,
)
from registry.models import Municipality


class VotingClosed(Exception):
    """The round takes no ballots (any more); the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _round_locked(round_id: int) -> PrioritisationRound:
    return PrioritisationRound.objects.select_for_update().get(pk=round_id)


def round_check(
    *,
    municipality: Municipality,
    period_start: int,
    period_end: int,
    method: str,
    points_budget: int | None,
    closes_at: datetime.datetime,
    attention_points: Iterable[AttentionPoint] | None,
) -> None:
    """Raise a ValidationError, per field, for a round that cannot be held.

    `attention_points` None: they are not being chosen now (an open round keeps its own).
    """
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = _("The period must end in or after the year it starts.")
    if method not in BallotMethod.values:
        errors["method"] = _("Choose ranking or points.")
    elif method == BallotMethod.POINTS and not points_budget:
        errors["points_budget"] = _("Give the number of points each member distributes.")
    if closes_at <= timezone.now():
        errors["closes_at"] = _("The end must lie in the future.")
    points = list(attention_points or [])
    foreign = [
        point
        for point in points
        if point.report.municipality_id != municipality.pk
        or point.state != PublicationState.PUBLISHED
        or point.report.state != PublicationState.PUBLISHED
    ]
    if foreign:
        errors["attention_points"] = _(
            "Choose only published attention points of %(municipality)s; “%(point)s” is not one."
        ) % {"municipality": municipality.name, "point": foreign[0]}
    elif attention_points is not None and len(points) < MIN_ATTENTION_POINTS:
        errors["attention_points"] = _("Choose at least %(count)s attention points to rank.") % {
            "count": MIN_ATTENTION_POINTS
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(
    *,
    municipality: Municipality,
    title: str,
    period_start: int,
    period_end: int,
    method: str,
    points_budget: int | None,
    closes_at: datetime.datetime,
    attention_points: Iterable[AttentionPoint],
    created_by: AbstractBaseUser | None,
) -> PrioritisationRound:
    """A new round in preparation (draft); council members do not see it yet. Only for a
    municipality `created_by` works for (OutsideScopeError otherwise)."""
    municipality_scope_check(user=created_by, municipality_ids=[municipality.pk])
    points = list(attention_points)
    round_check(
        municipality=municipality,
        period_start=period_start,
        period_end=period_end,
        method=method,
        points_budget=points_budget,
        closes_at=closes_at,
        attention_points=points,
    )
    round_ = PrioritisationRound.objects.create(
        municipality=municipality,
        title=title,
        period_start=period_start,
        period_end=period_end,
        method=method,
        points_budget=points_budget if method == BallotMethod.POINTS else None,
        closes_at=closes_at,
        created_by=created_by,
    )
    round_.attention_points.set(points)
    return round_


@transaction.atomic
def round_update(
    *,
    round_id: int,
    title: str,
    period_start: int,
    period_end: int,
    closes_at: datetime.datetime,
    municipality: Municipality | None = None,
    method: str | None = None,
    points_budget: int | None = None,
    attention_points: Iterable[AttentionPoint] | None = None,
    user: AbstractBaseUser | None = None,
) -> PrioritisationRound:
    """Change a round. A draft may change in every respect; an open round keeps its
    municipality, method, points and attention points; a closed round does not change.
    `user` must work for the round's municipality (and a new one); None is the operator."""
    round_ = _round_locked(round_id)
    municipality_scope_check(
        user=user,
        municipality_ids=[round_.municipality_id, (municipality or round_.municipality).pk],
    )
    if round_.state == RoundState.CLOSED:
        raise ValidationError(_("A closed round cannot be changed."))
    current_points = list(round_.attention_points.select_related("report"))
    points = current_points if attention_points is None else list(attention_points)
    new_municipality = municipality or round_.municipality
    new_method = method or round_.method
    new_budget = points_budget if method is not None else round_.points_budget
    if round_.state == RoundState.OPEN and (
        new_municipality.pk != round_.municipality_id
        or new_method != round_.method
        or (new_method == BallotMethod.POINTS and new_budget != round_.points_budget)
        or {point.pk for point in points} != {point.pk for point in current_points}
    ):
        raise ValidationError(
            _(
                "An open round keeps its municipality, method, points and attention points; "
                "only its title, period and end can change."
            )
        )
    round_check(
        municipality=new_municipality,
        period_start=period_start,
        period_end=period_end,
        method=new_method,
        points_budget=new_budget,
        closes_at=closes_at,
        attention_points=points if round_.state == RoundState.DRAFT else None,
    )
    round_.municipality = new_municipality
    round_.title = title
    round_.period_start = period_start
    round_.period_end = period_end
    round_.closes_at = closes_at
    round_.method = new_method
    round_.points_budget = new_budget if new_method == BallotMethod.POINTS else None
    round_.save()
    if round_.state == RoundState.DRAFT:
        round_.attention_points.set(points)
    return round_


@transaction.atomic
def round_open(*, round_id: int, user: AbstractBaseUser | None = None) -> PrioritisationRound:
    """Draft → open: council members may vote from now until the end. `user` must work for
    the round's municipality; None is the operator."""
    round_ = _round_locked(round_id)
    municipality_scope_check(user=user, municipality_ids=[round_.municipality_id])
    if round_.state != RoundState.DRAFT:
        raise ValidationError(_("Only a round in preparation can be opened."))
    now = timezone.now()
    if round_.closes_at <= now:
        raise ValidationError(_("The end of this round has passed; set a later end first."))
    # Checked again: a point may have gone back to draft, or been added in the
    # admin, since the round was prepared.
    round_check(
        municipality=round_.municipality,
        period_start=round_.period_start,
        period_end=round_.period_end,
        method=round_.method,
        points_budget=round_.points_budget,
        closes_at=round_.closes_at,
        attention_points=round_.attention_points.select_related("report"),
    )
    round_.state = RoundState.OPEN
    round_.opened_at = now
    round_.save(update_fields=["state", "opened_at"])
    return round_


@transaction.atomic
def round_close(*, round_id: int, user: AbstractBaseUser | None = None) -> PrioritisationRound:
    """Open → closed: count the stored ballots once and keep that result with the round.
    `user` must work for the round's municipality; None is the operator (close_due_rounds)."""
    round_ = _round_locked(round_id)
    municipality_scope_check(user=user, municipality_ids=[round_.municipality_id])
    if round_.state != RoundState.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    now = timezone.now()
    round_.result = round_result_compute(
        round_=round_, attention_points=round_attention_points(round_=round_), computed_at=now
    )
    round_.state = RoundState.CLOSED
    round_.closed_at = now
    round_.save(update_fields=["state", "closed_at", "result"])
    return round_


def _voting_check(round_: PrioritisationRound) -> None:
    reason = round_voting_closed_reason(round_=round_)
    if reason is not None:
        not_recorded = _("Your ballot was not recorded.")
        raise VotingClosed(f"{reason} {not_recorded}")


def ballot_entries_check(
    *, round_: PrioritisationRound, points: list[AttentionPoint], values: Mapping[int, int]
) -> list[BallotEntry]:
    """The entries of a valid ballot, unsaved; a ValidationError listing what is wrong.

    A ranking gives every attention point of the round exactly one place, 1 to n
    without gaps; points are whole, not negative, and add up to the budget.
    """
    by_id = {point.pk: point for point in points}
    errors: list[str] = []
    if set(values) - set(by_id):
        errors.append(_("Your ballot names an attention point that is not part of this round."))
    ranking = round_.method == BallotMethod.RANKING
    missing = [point for point in points if values.get(point.pk) is None]
    for point in missing:
        message = (
            _("Attention point %(number)s has no place.")
            if ranking
            else _("Attention point %(number)s has no points.")
        )
        errors.append(message % {"number": point.number})
    given = {pk: value for pk, value in values.items() if pk in by_id and value is not None}
    if ranking:
        size = len(points)
        outside = sorted({rank for rank in given.values() if not 1 <= rank <= size})
        for rank in outside:
            errors.append(
                _("Places run from 1 to %(count)s; %(rank)s is not one of them.")
                % {"count": size, "rank": rank}
            )
        seen: dict[int, int] = {}
        for rank in given.values():
            seen[rank] = seen.get(rank, 0) + 1
        for rank in sorted(rank for rank, count in seen.items() if count > 1):
            errors.append(
                _("Place %(rank)s is given to more than one attention point.") % {"rank": rank}
            )
    else:
        if any(value < 0 for value in given.values()):
            errors.append(_("Points cannot be negative."))
        total = sum(given.values())
        if not missing and total != round_.points_budget:
            errors.append(
                _("Distribute exactly %(budget)s points; your ballot gives %(total)s.")
                % {"budget": round_.points_budget, "total": total}
            )
    if errors:
        raise ValidationError(errors)
    return [
        BallotEntry(
            attention_point=by_id[pk],
            rank=value if ranking else None,
            points=None if ranking else value,
        )
        for pk, value in given.items()
    ]


def _ballot_get_or_create(round_: PrioritisationRound, voter: AbstractBaseUser) -> Ballot:
    ballot = Ballot.objects.filter(round=round_, voter=voter).first()
    if ballot is not None:
        return ballot
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the outer one usable
            return Ballot.objects.create(round=round_, voter=voter)
    except IntegrityError:
        # Another request of the same member stored the first ballot meanwhile.
        return Ballot.objects.get(round=round_, voter=voter)


@transaction.atomic
def ballot_submit(
    *, round_id: int, voter: AbstractBaseUser, values: Mapping[int, int | None]
) -> Ballot:
    """Cast or replace the voter's one ballot in the round.

    `values`: per attention point id, its place (ranking) or its points. The
    entries are replaced as a whole, so a ballot is never half old, half new.
    Raises VotingClosed when the round takes no ballots and ValidationError
    when the ballot is not complete and consistent.
    """
    round_ = _round_locked(round_id)
    _voting_check(round_)
    refusal = round_voter_refusal(round_=round_, user=voter)
    if refusal is not None:
        raise VotingClosed(f"{refusal} {_('Your ballot was not recorded.')}")
    points = list(round_.attention_points.all())
    entries = ballot_entries_check(round_=round_, points=points, values=values)
    ballot = _ballot_get_or_create(round_, voter)
    BallotEntry.objects.filter(ballot=ballot).delete()
    for entry in entries:
        entry.ballot = ballot
    BallotEntry.objects.bulk_create(entries)
    ballot.save(update_fields=["updated_at"])
    return ballot


def rounds_close_due(*, now: datetime.datetime | None = None) -> list[PrioritisationRound]:
    """Close every open round whose end has passed, each in its own transaction."""
    now = now or timezone.now()
    due = PrioritisationRound.objects.filter(state=RoundState.OPEN, closes_at__lte=now)
    closed = []
    for round_id in due.values_list("pk", flat=True):
        try:
            closed.append(round_close(round_id=round_id))
        except ValidationError:  # the clerk closed it in the meantime
            continue
    return closed
